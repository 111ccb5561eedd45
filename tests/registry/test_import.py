"""``jiliang import``: every row is validated first; one bad row anywhere leaves the database
unchanged and the error names the line, the column and the reason."""

import json
from pathlib import Path

import pytest
from django.db import connection, transaction
from django.utils import translation

from jiliang.cli.main import main
from jiliang.errors import Conflict, InvalidInputs
from jiliang.platform.models import AuditEntry
from jiliang.registry import models as m
from jiliang.registry.bulk import import_file, write
from jiliang.registry.bulk.check import Checker
from jiliang.registry.policy import actor_for
from tests import factories as f

pytestmark = pytest.mark.django_db

HEADER = "category,manufacturer,model,serial_number,owner,district,status,interval_months,last_verification,next_due"


def _row(owner, serial, **kw):
    values = {
        "category": "water_meter_dn15_25",
        "manufacturer": "Acme",
        "model": "LXS-15",
        "serial_number": serial,
        "owner": owner,
        "district": "310104",
        "status": "in_service",
        "interval_months": "72",
        "last_verification": "2024-01-10",
        "next_due": "2030-01-10",
    }
    values.update(kw)
    return ",".join(values[c] for c in HEADER.split(","))


def _write(tmp_path, name, lines):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _snapshot():
    return (m.Instrument.objects.count(), m.Institution.objects.count(), AuditEntry.objects.count())


def _errors(path, **kw):
    """The errors, in English (tests/registry/test_import_language.py checks both languages)."""
    before = _snapshot()
    with translation.override("en"), pytest.raises(InvalidInputs) as err:
        import_file(path, **kw)
    assert _snapshot() == before, "a rejected import changed the database"
    return [str(e) for e in err.value.errors]


@pytest.fixture
def owner():
    return f.institution(kind="enterprise", credit_code="91350100M000100Y43")


def test_a_per_type_csv_imports_and_is_audited_once(tmp_path, owner):
    path = _write(
        tmp_path, "instruments.csv", [HEADER] + [_row(owner.credit_code, f"S{i}") for i in range(20)]
    )
    result = import_file(path)
    assert result.counts == {"instrument": 20}
    inst = m.Instrument.objects.get(serial_number="S7")
    assert (
        inst.owner == owner and inst.next_due.isoformat() == "2030-01-10" and inst.district.code == "310104"
    )
    entry = AuditEntry.objects.get(action="import")
    assert entry.after["counts"] == {"instrument": 20} and entry.after["sha256"] == result.sha256


def test_a_mixed_jsonl_file_may_reference_its_own_institutions(tmp_path):
    records = [
        {
            "type": "instrument",
            "category": "taximeter",
            "manufacturer": "M",
            "model": "T",
            "serial_number": "1",
            "owner": "91310000132200821h",
            "interval_months": 12,
        },
        {
            "type": "institution",
            "name": "Shanghai Taxi Co",
            "kind": "enterprise",
            "credit_code": "91310000132200821H",
        },
        {
            "type": "person",
            "institution": "91310000132200821H",
            "name": "Li Wei",
            "metrologist_level": 2,
            "registration_number": "R-77",
            "registration_valid_until": "2028-05-01",
            "authorised_categories": ["taximeter", "water_meter_dn15_25"],
        },
        {
            "type": "specification",
            "code": "JJG(沪)99-2024",
            "title": "Local test",
            "kind": "local_specification",
        },
        {
            "type": "standard",
            "name": "Taximeter standard",
            "level": "public",
            "owner": "91310000132200821H",
            "area": "length",
            "quantity": "distance",
            "expanded_uncertainty": "0.2",
            "coverage_factor": 2,
            "uncertainty_unit": "%",
            "certificate_number": "[2024]沪量标证字第9号",
            "certificate_valid_until": "2028-01-01",
        },
        {
            "type": "reference_material",
            "number": "GBW(E)130001",
            "name": "pH 6.86",
            "producer": "91310000132200821H",
            "property": "pH",
            "certified_value": 6.864,
            "expanded_uncertainty": "0.01",
            "coverage_factor": "2",
            "unit": "1",
            "expiry": "2027-01-01",
        },
    ]
    path = _write(tmp_path, "mixed.jsonl", [json.dumps(r, ensure_ascii=False) for r in records])
    result = import_file(path)
    assert result.total == 6
    person = m.Person.objects.get(registration_number="R-77")
    assert sorted(c.code for c in person.authorised_categories.all()) == ["taximeter", "water_meter_dn15_25"]
    assert m.Instrument.objects.get(serial_number="1").owner.name == "Shanghai Taxi Co"
    assert str(m.ReferenceMaterial.objects.get().certified_value.normalize()) == "6.864"


def test_malformed_csv(tmp_path, owner):
    quote = _write(tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "A"), 'x,"unterminated'])
    assert any("line 3" in e and "malformed CSV" in e for e in _errors(quote))
    width = _write(tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "A") + ",extra"])
    assert _errors(width) == ["line 2: has 11 fields, the header has 10"]
    untyped = _write(tmp_path, "data.csv", [HEADER, _row(owner.credit_code, "A")])
    assert "no type column" in _errors(untyped)[0]
    binary = tmp_path / "instruments.csv"
    binary.write_bytes(HEADER.encode() + b"\n\xff\xfe\n")
    assert "not UTF-8" in _errors(binary)[0]


def test_unknown_references(tmp_path, owner):
    path = _write(
        tmp_path,
        "instruments.csv",
        [
            HEADER,
            _row("91350100M000100Y40", "A"),
            _row(owner.credit_code, "B", category="steam_engine", district="999999"),
        ],
    )
    assert _errors(path) == [
        "line 2: owner: unknown institution '91350100M000100Y40'",
        "line 3: category: unknown category 'steam_engine'",
        "line 3: district: unknown district '999999'",
    ]


def test_duplicate_serial_numbers_in_the_file_and_in_the_registry(tmp_path, owner):
    f.instrument(owner=owner, manufacturer="Acme", model="LXS-15", serial_number="OLD")
    path = _write(
        tmp_path,
        "instruments.csv",
        [
            HEADER,
            _row(owner.credit_code, "A"),
            _row(owner.credit_code, "A"),
            _row(owner.credit_code, "A", model="LXS-20"),  # another model: a different instrument
        ],
    )
    assert _errors(path) == ["line 3: serial_number: duplicate of line 2 (Acme, LXS-15, A)"]
    again = _write(
        tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "B"), _row(owner.credit_code, "OLD")]
    )
    assert _errors(again) == ["line 3: serial_number: already in the registry (Acme, LXS-15, OLD)"]


def test_wrong_types(tmp_path, owner):
    records = [
        {
            "type": "instrument",
            "category": "taximeter",
            "manufacturer": "M",
            "model": "T",
            "serial_number": 12345,
            "owner": owner.credit_code,
            "interval_months": "twelve",
            "last_verification": 20240101,
        },
        {
            "type": "instrument",
            "category": "taximeter",
            "manufacturer": "M",
            "model": "T",
            "serial_number": "9",
            "owner": owner.credit_code,
            "status": "lost",
            "colour": "red",
            "interval_months": True,
        },
        {"type": "gadget"},
        ["not", "an", "object"],
    ]
    path = _write(tmp_path, "x.jsonl", [json.dumps(r) for r in records] + ["{broken"])
    assert _errors(path) == [
        "line 1: serial_number: must be text, got int",
        "line 1: interval_months: 'twelve' is not a whole number",
        "line 1: last_verification: must be a date as text (YYYY-MM-DD), got int",
        "line 2: status: 'lost' is not one of in_service, out_of_service, scrapped",
        "line 2: interval_months: must be a whole number, got bool",
        "line 2: colour: is not a column of instrument",
        "line 3: type: unknown record type 'gadget'; known: specification, institution, authorisation, person, "
        "standard, reference_material, instrument",
        "line 4: each line must be a JSON object",
        "line 5: malformed JSON: Expecting property name enclosed in double quotes at column 2",
    ]


def test_row_rules_mirror_the_database_constraints(tmp_path, owner):
    path = _write(
        tmp_path,
        "instruments.csv",
        [
            HEADER,
            _row(owner.credit_code, "A", next_due="2020-01-01"),
            _row(owner.credit_code, "B", interval_months="0"),
            _row(owner.credit_code, "", model=""),
        ],
    )
    assert _errors(path) == [
        "line 2: next_due: is before last_verification",
        "line 3: interval_months: must be a positive number of months",
        "line 4: model: required",
        "line 4: serial_number: required",
    ]


def test_one_bad_row_in_the_middle_of_ten_thousand_leaves_the_database_unchanged(tmp_path, owner):
    rows = [_row(owner.credit_code, f"S{i:05d}") for i in range(10_000)]
    rows[4_999] = _row(owner.credit_code, "S04999", last_verification="2024-02-30")
    path = _write(tmp_path, "instruments.csv", [HEADER, *rows])
    assert _errors(path) == ["line 5001: last_verification: '2024-02-30' is not a date YYYY-MM-DD"]
    assert not m.Instrument.objects.exists()


def test_staff_may_import_only_their_own_institutions_records(tmp_path, owner):
    other = f.institution(kind="enterprise")
    actor = actor_for(f.user_with_role("staff", owner))
    path = _write(
        tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "A"), _row(other.credit_code, "B")]
    )
    assert _errors(path, actor=actor) == [f"line 3: {actor.username} may not create this instrument"]


def test_cli_import_reports_errors_and_exits_2(tmp_path, owner, capsys):
    path = _write(tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "A", status="lost")])
    assert main(["--language", "en", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert "line 2: status: 'lost' is not one of" in err and "nothing was imported" in err
    good = _write(tmp_path, "instruments.csv", [HEADER, _row(owner.credit_code, "A")])
    assert main(["import", str(good)]) == 0
    assert json.loads(capsys.readouterr().out)["imported"] == {"instrument": 1}


def test_too_many_errors_are_summarised(tmp_path, owner):
    rows = [_row(owner.credit_code, f"S{i}", status="lost") for i in range(150)]
    errors = _errors(_write(tmp_path, "instruments.csv", [HEADER, *rows]))
    assert len(errors) == 101 and errors[-1] == "... and 50 more errors"


def test_path_type_is_inferred_from_the_name():
    from jiliang.registry.bulk.reader import type_from_name

    known = {"instrument", "reference_material", "person"}
    assert type_from_name(Path("reference_materials.csv"), known) == "reference_material"
    assert type_from_name(Path("instrument.csv"), known) == "instrument"
    assert type_from_name(Path("stuff.csv"), known) == ""


def _indexes():
    with connection.cursor() as cursor:
        return sorted(
            (c, tuple(sorted(d["columns"])), d["unique"], d["foreign_key"])
            for c, d in connection.introspection.get_constraints(cursor, "registry_instrument").items()
        )


def test_large_imports_rebuild_indexes_and_constraints_exactly(tmp_path, owner, monkeypatch):
    monkeypatch.setattr(write, "REBUILD_FROM", 1)
    before = _indexes()
    path = _write(
        tmp_path, "instruments.csv", [HEADER] + [_row(owner.credit_code, f"S{i}") for i in range(50)]
    )
    assert import_file(path).counts == {"instrument": 50}
    assert _indexes() == before


def test_a_duplicate_found_only_by_the_rebuilt_constraint_rolls_everything_back(tmp_path, owner, monkeypatch):
    monkeypatch.setattr(write, "REBUILD_FROM", 1)
    monkeypatch.setattr(Checker, "check_database_uniqueness", lambda self: None)  # as if a race
    f.instrument(owner=owner, manufacturer="Acme", model="LXS-15", serial_number="S3")
    before, indexes = _snapshot(), _indexes()
    path = _write(
        tmp_path, "instruments.csv", [HEADER] + [_row(owner.credit_code, f"S{i}") for i in range(5)]
    )
    with (
        translation.override("en"),
        pytest.raises(Conflict, match="nothing was written"),
        transaction.atomic(),
    ):
        import_file(path)
    assert _snapshot() == before and _indexes() == indexes
