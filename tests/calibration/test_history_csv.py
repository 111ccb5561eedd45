"""``jiliang import FILE.csv`` of a calibration history (issue 5, item 5): one row per point, the
record's columns repeated on its rows, checked by the same checker as JSON Lines; the two formats
leave the same database content for the same history (docs/import.md, "Records as CSV")."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.utils import translation

from jiliang.calibration import history_csv
from jiliang.calibration.history import import_history, is_history
from jiliang.calibration.history_check import POINT_MEMBERS, RECORD_MEMBERS, USE_MEMBERS
from jiliang.calibration.models import Record
from jiliang.cli.main import main
from jiliang.errors import InvalidInputs
from jiliang.registry import models as m
from jiliang.registry.bulk import import_file
from tests import factories
from tests.calibration import builders as b
from tests.calibration import history_files as h

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _english():
    """The import words its messages in the active language; these tests read the English ones
    (tests/calibration/test_history_language.py reads both)."""
    with translation.override("en"):
        yield


EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "history"


@pytest.fixture
def world():
    return h.world()


def _csv(rows: list[dict[str, str]], header: list[str] | None = None) -> str:
    """The rows under ``header`` (default: the columns they use, in the documented order)."""
    out = io.StringIO()
    used = {c for r in rows for c in r}
    header = header or [c for c in history_csv.RECORD_COLUMNS + history_csv.POINT_COLUMNS if c in used]
    writer = csv.DictWriter(out, fieldnames=header, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _errors(path: Path) -> list[str]:
    before = Record.objects.count()
    with pytest.raises(InvalidInputs) as caught:
        import_history(path, min_uncertainty_ratio=b.RATIO)
    assert Record.objects.count() == before
    return [str(e) for e in caught.value.errors]


def _every_member(w):
    """A history using every member of a record, a point and a standard used, in both formats."""
    spec = m.TechnicalSpecification.objects.create(
        code="JJG 146-2011", title="Gauge blocks", kind="verification_regulation"
    )
    material = factories.reference_material()
    lab, nmi = w["lab"].institution.credit_code, w["nmi"].institution.credit_code
    cert = {
        "type": "record", "kind": "calibration", "issuer": nmi, "certificate_number": "NMI-2024-7",
        "standard": w["standard"].pk, "area": "length", "performer": w["nmi"].performer.registration_number,
        "checker": w["nmi"].checker.registration_number, "calibration_date": "2024-01-10",
        "issue_date": "2024-01-12", "valid_until": "2024-12-31", "cipm_mra_reference": "EX-CMC-1",
        "conditions": "vibration below 1 µm", "results": [h.point(
            expanded_uncertainty="0.05", measured_value="10.001", as_found_value="10.3",
            coverage_probability="0.95", standards=[{"standard": w["primary"].pk}])],
    }  # fmt: skip
    first = {
        "type": "record", "kind": "verification", "issuer": lab, "certificate_number": "H2024-0001",
        "instrument": h.instrument_of(w), "area": "length", "specification": spec.code,
        "performer": w["lab"].performer.registration_number, "checker": w["lab"].checker.name,
        "calibration_date": "2024-06-01", "issue_date": "2024-06-03", "valid_until": "2025-05-31",
        "temperature": "(20.0 ± 0.5) °C", "humidity": "50 %RH", "decision_rule": "guarded:0.8", "status": "issued",
        "results": [
            h.point(standards=[{"standard": w["standard"].certificate_number,
                                "certificate": {"issuer": nmi, "number": "NMI-2024-7"}},
                               {"reference_material": material.number}]),
            h.point(measured_value="10.9", standards=[{"standard": w["standard"].certificate_number,
                                                       "certificate": "NMI-2024-7"}]),
        ],
    }  # fmt: skip
    second = first | {
        "certificate_number": "H2024-0002", "issue_date": "2024-06-10", "decision_rule": "simple",
        "supersedes": {"issuer": lab, "number": "H2024-0001"},
        "results": [h.point(decision="accept", standards=[{"standard": w["standard"].certificate_number,
                                                           "certificate": "NMI-2024-7"}])],
    }  # fmt: skip
    third = second | {
        "certificate_number": "H2024-0003", "issue_date": "2024-06-20", "supersedes": "H2024-0002",
        "status": "revoked", "revocation_reason": "wrong standard",
    }  # fmt: skip
    objects = [first, cert, second, third]

    def row(record, pt, **cells):
        fixed = {k: str(v) for k, v in record.items() if k not in ("results", "instrument", "supersedes")}
        fixed |= record.get("instrument", {})
        fixed |= {k: v for k, v in pt.items() if k != "standards"}
        return fixed | cells

    std = w["standard"].certificate_number
    rows = [
        row(first, first["results"][0], standards=f"{std} @ NMI-2024-7 @ {nmi}", reference_materials=material.number),
        row(cert, cert["results"][0], standards=str(w["primary"].pk), standard=str(w["standard"].pk)),
        row(first, first["results"][1], standards=f" {std}@NMI-2024-7 ;"),
        row(second, second["results"][0], standards=f"{std} @ NMI-2024-7", supersedes="H2024-0001", supersedes_issuer=lab),
        row(third, third["results"][0], standards=f"{std} @ NMI-2024-7", supersedes="H2024-0002"),
    ]  # fmt: skip
    return objects, rows


def test_csv_and_jsonl_leave_the_same_database_content_for_every_member(tmp_path, world):
    objects, rows = _every_member(world)
    # the history uses every member and every column: a member added to one format only fails here
    assert set().union(*objects) >= RECORD_MEMBERS
    assert set().union(*(p for o in objects for p in o["results"])) >= POINT_MEMBERS
    assert set().union(*(u for o in objects for p in o["results"] for u in p["standards"])) >= USE_MEMBERS
    assert {c for r in rows for c, v in r.items() if v} == history_csv.COLUMNS
    from_jsonl = h.content_after(h.jsonl(tmp_path, objects))
    from_csv = h.content_after(h.csv_file(tmp_path, _csv(rows)))
    assert from_csv == from_jsonl
    by_number = {r["certificate_number"]: r for r in from_csv["records"]}
    assert [by_number[n]["status"] for n in ("H2024-0001", "H2024-0002", "H2024-0003")] == [
        "superseded", "superseded", "revoked"
    ]  # fmt: skip
    assert by_number["H2024-0003"]["supersedes_id"] == "H2024-0002"
    assert by_number["H2024-0001"]["decision_rule"] == "guarded:0.8"
    assert ("supersede", "H2024-0001", "issued", "superseded") in from_csv["transitions"]
    assert len(from_csv["usages"]) == 6  # a standard and a reference material at the first point


def test_the_documented_example_imports_from_either_format(tmp_path, capsys):
    import_file(EXAMPLES / "registry.jsonl")
    from_csv = h.content_after(EXAMPLES / "history.csv")
    assert from_csv == h.content_after(EXAMPLES / "history.jsonl")
    assert {r["certificate_number"]: r["status"] for r in from_csv["records"]} == {
        "NMI-2024-0031": "issued", "H2024-0107": "superseded", "H2024-0107-R1": "issued", "H2024-0121": "revoked",
    }  # fmt: skip
    assert main(["import", str(EXAMPLES / "history.csv")]) == 0
    out = capsys.readouterr().out
    assert '"supersedes": 1' in out and '"guard_findings": 0' in out


def test_a_csv_with_an_excel_byte_order_mark_imports(tmp_path, world):
    path = h.csv_file(tmp_path, _csv(_rows(world)), encoding="utf-8-sig")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and is_history(path)
    assert import_history(path, min_uncertainty_ratio=b.RATIO).counts["record"] == 2


def test_a_file_that_is_not_utf8_is_refused_with_its_line(tmp_path, world, capsys):
    text = _csv(_rows(world))
    path = h.csv_file(tmp_path, text, encoding="gb18030")  # µ of the unit µm is 81 30 85 38 there
    offset = path.read_bytes().index(b"\x81")
    assert text.splitlines()[1].count("µm") and "µ" not in text.splitlines()[0]
    assert _errors(path) == [
        f"line 2: file: not UTF-8 text (byte 0x81 at offset {offset}); save the spreadsheet as "
        "'CSV UTF-8' (a GBK or GB 18030 file must be converted first)"
    ]
    assert main(["--language", "en", "import", str(path)]) == 2
    assert "not UTF-8 text" in capsys.readouterr().err


def _rows(w, **record):
    """Two rows of the instrument record (CSV lines 2 and 4) around the NMI certificate (line 3)."""
    user, cert = h.records(w)
    std = w["standard"].certificate_number
    base = {k: str(v) for k, v in user.items() if k not in ("results", "instrument", "type")}
    base |= h.instrument_of(w) | record
    pts = [{k: v for k, v in p.items() if k != "standards"} for p in user["results"]]
    cert_row = {k: str(v) for k, v in cert.items() if k not in ("results", "type")}
    cert_row |= {k: v for k, v in cert["results"][0].items() if k != "standards"}
    return [
        base | pts[0] | {"standards": f"{std} @ NMI-2024-7 @ {w['nmi'].institution.credit_code}"},
        cert_row | {"standards": str(w["primary"].pk)},
        base | pts[1] | {"standards": f"{std} @ NMI-2024-7"},
    ]


def test_csv_errors_name_line_and_column_and_nothing_is_written(tmp_path, world):
    rows = _rows(world)
    rows[2] |= {
        "checker": world["lab"].performer.name,
        "measured_value": "ten",
        "reference_materials": "GBW(E)999999",
    }
    rows[1] |= {"standards": "EX-1 @ A @ B @ C; NO-SUCH-STANDARD"}
    rows.append(
        rows[0] | {"certificate_number": "H2024-0009", "standards": "EX-2 @ NO-CERT", "decision": "reject"}
    )
    errors = _errors(h.csv_file(tmp_path, _csv(rows)))
    checker = world["lab"].checker.name
    assert errors[0] == (
        f"line 4: checker: differs from line 2 of the same certificate ({checker!r} there, "
        f"{world['lab'].performer.name!r} here); repeat the record's columns on each of its rows"
    )
    assert (
        "line 3: standards: 'EX-1 @ A @ B @ C': write STANDARD, STANDARD @ CERTIFICATE or STANDARD @ CERTIFICATE @ ISSUER"
        in errors
    )
    assert "line 3: standards: unknown measurement standard 'NO-SUCH-STANDARD'" in errors
    assert "line 4: measured_value: 'ten' is not a number" in errors
    assert "line 4: reference_materials: unknown reference material 'GBW(E)999999'" in errors
    assert "line 5: standards: unknown measurement standard 'EX-2'" in errors
    assert any(e.startswith("line 5: decision: the file says 'reject'") for e in errors)


def test_csv_certificates_resolve_by_line_and_column(tmp_path, world):
    rows = _rows(world)
    rows[2]["standards"] = f"{world['standard'].certificate_number} @ NMI-2099-1"
    assert _errors(h.csv_file(tmp_path, _csv(rows))) == [
        "line 4: standards: no certificate NMI-2099-1 in the database or the file"
    ]


def test_csv_header_and_shape_errors(tmp_path, world):
    text = _csv(_rows(world))
    header = text.splitlines()[0]
    bad = text.replace(header, header.replace("measured_value", "measured_value,measured_valu"), 1)
    assert _errors(h.csv_file(tmp_path, bad)) == ["line 1: measured_valu: unknown column"]
    columns = header.split(",")
    missing = _csv(_rows(world), header=[c for c in columns if c != "unit"])
    assert _errors(h.csv_file(tmp_path, missing)) == ["line 1: unit: required column missing"]
    short = text.rstrip("\r\n") + "\r\nverification,only two\r\n"
    assert f"line 5: has 2 fields, the header has {len(columns)}" in _errors(h.csv_file(tmp_path, short))


def test_csv_is_chosen_by_its_columns_or_by_type(tmp_path, world):
    history = h.csv_file(tmp_path, _csv(_rows(world)), name="lab-2024.csv")
    registry = h.csv_file(
        tmp_path, "category,manufacturer,model,serial_number,owner\r\n", name="instruments.csv"
    )
    assert is_history(history) and not is_history(registry)
    assert is_history(registry, record_type="record") and not is_history(history, fmt="jsonl")
    assert main(["import", str(history)]) == 0


def test_the_csv_columns_are_documented():
    doc = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    section = doc.split("### Records as CSV", 1)[1].split("\n## ", 1)[0]
    for name in history_csv.COLUMNS:
        assert f"`{name}`" in section, f"CSV column {name} missing from docs/import.md"
