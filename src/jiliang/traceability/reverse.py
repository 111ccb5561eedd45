"""The impact report of an out-of-tolerance standard or reference material (issue 5, item 4):
fetch the downstream closure in two queries, find the affected results (:mod:`.impact`),
re-evaluate their statements, and list the affected items and owners."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from django.db.models import Q
from django.db.models.expressions import RawSQL

from jiliang.calibration.decisions import Point
from jiliang.calibration.models import Record, Usage
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.traceability.impact import Error, Row, Window, affected, reevaluate
from jiliang.traceability.queries import to_base

_FAR = date(9999, 12, 31)


def _closure(column: str, source_id: int, window: Window) -> RawSQL:
    """Ids of every record downstream of the source: used it in the window, or used (at any
    date) a certificate of a record already downstream. ``UNION`` ends cycles."""
    sql = f"""
        WITH RECURSIVE tainted(id) AS (
            SELECT u.record_id FROM calibration_usage u JOIN calibration_record r ON r.id = u.record_id
            WHERE u.{column} = %s AND r.calibration_date >= %s AND r.calibration_date <= %s
            UNION
            SELECT u.record_id FROM calibration_usage u JOIN tainted t ON u.certificate_id = t.id
        )
        SELECT id FROM tainted"""
    return RawSQL(sql, [source_id, window.since, window.until or _FAR])


@dataclass(frozen=True)
class AffectedResult:
    certificate_number: str
    record_id: int
    result_id: int
    depth: int
    unit: str
    nominal_value: float
    decision: str
    new_decision: str
    changed: bool
    note: str


@dataclass(frozen=True)
class AffectedItem:
    kind: str
    id: int
    label: str
    owner_id: int
    owner: str
    certificates: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    source: str
    window: Window
    error: Error | None
    results: tuple[AffectedResult, ...]
    items: tuple[AffectedItem, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jiliang trace impact`` and ``GET /api/traceability/impact/``."""
        return {
            "source": self.source,
            "since": self.window.since.isoformat(),
            "until": self.window.until.isoformat() if self.window.until else None,
            "range": [self.window.low, self.window.high]
            if self.window.low is not None or self.window.high is not None
            else None,
            "error": asdict(self.error) if self.error else None,
            "affected_records": len({r.record_id for r in self.results}),
            "affected_results": len(self.results),
            "changed_decisions": sum(r.changed for r in self.results),
            "max_depth": max((r.depth for r in self.results), default=0),
            "results": [asdict(r) for r in self.results],
            "items": [asdict(i) | {"certificates": list(i.certificates)} for i in self.items],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(AffectedResult.__dataclass_fields__)
        writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        for r in self.results:
            writer.writerow(asdict(r))
        return out.getvalue()


def _factor(unit: str, target: str | None) -> float | None:
    """Multiply a value in ``unit`` by this to express it in ``target`` (1 when no target)."""
    if target is None:
        return 1.0
    a, b = to_base(unit), to_base(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def impact(
    source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    """Everything downstream of ``source`` in ``window`` (3 queries at any depth)."""
    column = "standard_id" if isinstance(source, MeasurementStandard) else "reference_material_id"
    closure = _closure(column, source.pk, window)
    direct = Q(standard_id=source.pk) if column == "standard_id" else Q(reference_material_id=source.pk)
    usages = list(
        Usage.objects.filter(record_id__in=closure)
        .filter(direct | Q(certificate_id__in=_closure(column, source.pk, window)))
        .values(
            "record_id", "result_id", "standard_id", "reference_material_id", "certificate_id",
            "record__calibration_date", "record__certificate_number", "record__decision_rule", "result__unit",
            "result__nominal_value", "result__measured_value", "result__expanded_uncertainty",
            "result__coverage_factor", "result__tolerance_lower", "result__tolerance_upper",
        )
    )  # fmt: skip
    target = error.unit if error else None
    rows = [_row(u, column, source.pk, target) for u in usages]
    depths = affected(rows, window)
    by_result = {u["result_id"]: u for u in usages}
    results = tuple(
        _reevaluated(by_result[res], depth, error)
        for res, depth in sorted(depths.items(), key=lambda kv: (kv[1], by_result[kv[0]]["record_id"], kv[0]))
    )
    return ImpactReport(str(source), window, error, results, _items({r.record_id for r in results}, closure))


def _row(u: Mapping[str, Any], column: str, source_id: int, target: str | None) -> Row:
    factor = _factor(u["result__unit"], target)
    nominal = float(u["result__nominal_value"])
    return Row(
        record=u["record_id"],
        result=u["result_id"],
        direct=u[column] == source_id,
        certificate=u["certificate_id"],
        calibration_date=u["record__calibration_date"],
        nominal=None if factor is None else nominal * factor,
    )


def _reevaluated(u: Mapping[str, Any], depth: int, error: Error | None) -> AffectedResult:
    def f(value: Any) -> float | None:
        return None if value is None else float(value)

    point = Point(
        float(u["result__nominal_value"]), float(u["result__measured_value"]),
        float(u["result__expanded_uncertainty"]), float(u["result__coverage_factor"]),
        f(u["result__tolerance_lower"]), f(u["result__tolerance_upper"]),
    )  # fmt: skip
    decision, new, note = "", "", ""
    factor = _factor(u["result__unit"], error.unit) if error else None
    if point.lower is None and point.upper is None:
        note = "no tolerance: no conformity statement to re-evaluate"
    elif error is None:
        note = "no as-found error given"
    elif factor is None:
        note = f"unit {u['result__unit']} cannot be compared with {error.unit}"
    if not note and error is not None and factor is not None:
        again = reevaluate(
            point, u["record__decision_rule"], error.value / factor, error.expanded_uncertainty / 2 / factor
        )
        decision, new = again.decision, again.new_decision
    return AffectedResult(
        certificate_number=u["record__certificate_number"],
        record_id=u["record_id"],
        result_id=u["result_id"],
        depth=depth,
        unit=u["result__unit"],
        nominal_value=point.nominal,
        decision=decision,
        new_decision=new,
        changed=bool(decision) and decision != new,
        note=note,
    )


def _items(record_ids: set[int], closure: RawSQL) -> tuple[AffectedItem, ...]:
    records = Record.objects.filter(pk__in=closure).values(
        "id", "certificate_number", "instrument_id", "instrument__manufacturer", "instrument__model",
        "instrument__serial_number", "instrument__owner_id", "instrument__owner__name", "standard_id",
        "standard__name", "standard__owner_id", "standard__owner__name",
    )  # fmt: skip
    items: dict[tuple[str, int], dict[str, Any]] = {}
    for r in records:
        if r["id"] not in record_ids:
            continue
        if r["instrument_id"]:
            label = (
                f"{r['instrument__manufacturer']} {r['instrument__model']} {r['instrument__serial_number']}"
            )
            key, owner = (
                ("instrument", r["instrument_id"]),
                (r["instrument__owner_id"], r["instrument__owner__name"]),
            )
        else:
            key, label = ("standard", r["standard_id"]), r["standard__name"]
            owner = (r["standard__owner_id"], r["standard__owner__name"])
        entry = items.setdefault(key, {"label": label, "owner": owner, "certificates": []})
        entry["certificates"].append(r["certificate_number"])
    return tuple(
        AffectedItem(kind, pk, e["label"], e["owner"][0], e["owner"][1], tuple(sorted(e["certificates"])))
        for (kind, pk), e in sorted(items.items())
    )
