"""Histories for the import tests: a laboratory, an NMI and their records as JSON objects, files
in either format, and the database content an import leaves (to compare the formats)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from jiliang.calibration.history import import_history
from jiliang.calibration.models import Record, Result, Usage
from jiliang.platform.models import AuditEntry
from tests import factories
from tests.calibration import builders as b


def world() -> dict[str, Any]:
    nmi, at = b.lab(kind="nmi"), b.lab()
    primary = b.primary(expanded_uncertainty=Decimal("0.001"))
    standard = b.examined_standard(expanded_uncertainty=Decimal("0.05"))
    instrument = factories.instrument()
    return {"nmi": nmi, "lab": at, "primary": primary, "standard": standard, "instrument": instrument}


def point(**kw: Any) -> dict[str, Any]:
    fields = {"quantity": "length", "unit": "µm", "nominal_value": "10", "measured_value": "10.2",
              "expanded_uncertainty": "0.5", "coverage_factor": "2", "tolerance_lower": "-1",
              "tolerance_upper": "1"}  # fmt: skip
    return fields | kw


def instrument_of(w: dict[str, Any], instrument: Any = None) -> dict[str, str]:
    i = instrument or w["instrument"]
    return {"manufacturer": i.manufacturer, "model": i.model, "serial_number": i.serial_number}


def records(w: dict[str, Any], **override: Any) -> list[dict[str, Any]]:
    """A standard's certificate from the NMI, and an instrument record using it; the instrument
    record comes first: a certificate may be named before its line."""
    user = {
        "type": "record", "kind": "verification", "issuer": w["lab"].institution.credit_code,
        "certificate_number": "H2024-0001", "area": "length", "calibration_date": "2024-06-01",
        "valid_until": "2025-05-31", "performer": w["lab"].performer.registration_number,
        "checker": w["lab"].checker.name, "instrument": instrument_of(w),
        "results": [point(decision="accept", standards=[{"standard": w["standard"].certificate_number,
                    "certificate": {"issuer": w["nmi"].institution.credit_code, "number": "NMI-2024-7"}}]),
                    point(measured_value="11.5", standards=[{"standard": w["standard"].certificate_number,
                    "certificate": "NMI-2024-7"}])],
    }  # fmt: skip
    cert = {
        "type": "record", "kind": "calibration", "issuer": w["nmi"].institution.credit_code,
        "certificate_number": "NMI-2024-7", "area": "length", "calibration_date": "2024-01-10",
        "valid_until": "2024-12-31", "performer": w["nmi"].performer.registration_number,
        "checker": w["nmi"].checker.registration_number, "standard": w["standard"].pk,
        "results": [point(expanded_uncertainty="0.05", measured_value="10.001",
                          standards=[{"standard": w["primary"].pk}])],
    }  # fmt: skip
    return [user | override, cert]


def jsonl(tmp_path: Path, rows: list[Any], name: str = "history.jsonl") -> Path:
    path = tmp_path / name
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def csv_file(tmp_path: Path, text: str, name: str = "history.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def content() -> dict[str, Any]:
    """Every calibration row without its own ids (records by certificate number), and the audited
    transitions of records: what two imports of the same history must leave alike."""
    number = dict(Record.objects.values_list("pk", "certificate_number"))
    position = dict(Result.objects.values_list("pk", "position"))
    records = sorted(
        ({k: v for k, v in r.items() if k != "id"} | {"supersedes_id": number.get(r["supersedes_id"])}
         for r in Record.objects.values()),
        key=lambda r: r["certificate_number"],
    )  # fmt: skip
    results = sorted(
        ({k: v for k, v in r.items() if k != "id"} | {"record_id": number[r["record_id"]]}
         for r in Result.objects.values()),
        key=lambda r: (r["record_id"], r["position"]),
    )  # fmt: skip
    usages = sorted(
        (
            (number[u["record_id"]], position[u["result_id"]], u["standard_id"], u["reference_material_id"],
             number.get(u["certificate_id"]))
            for u in Usage.objects.values()
        ),
        key=repr,
    )  # fmt: skip
    transitions = sorted(
        (e.action, number[int(e.object_id)], (e.before or {}).get("status"), (e.after or {}).get("status"))
        for e in AuditEntry.objects.filter(object_type="calibration.record")
    )
    return {"records": records, "results": results, "usages": usages, "transitions": transitions}


class _Undo(Exception):
    pass


def content_after(path: Path, **kw: Any) -> dict[str, Any]:
    """The :func:`content` an import of ``path`` leaves, then the import undone."""
    seen: dict[str, Any] = {}
    try:
        with transaction.atomic():
            import_history(path, min_uncertainty_ratio=b.RATIO, **kw)
            seen.update(content())
            raise _Undo
    except _Undo:
        pass
    return seen
