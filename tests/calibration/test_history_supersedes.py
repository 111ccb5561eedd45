"""``supersedes`` in an imported history (issue 5, item 5): a record that replaces an earlier
certificate marks it superseded through the lifecycle service, audited, in the import's
transaction; every way the link can be wrong is refused with its line, and nothing is written."""

from __future__ import annotations

import pytest
from django.utils import translation

from jiliang.calibration import services
from jiliang.calibration.history import import_history
from jiliang.calibration.models import Record
from jiliang.errors import Conflict, InvalidInputs
from jiliang.platform.models import AuditEntry
from jiliang.registry.policy import SYSTEM
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


@pytest.fixture
def world(tmp_path):
    """The base history (H2024-0001 and its standard's certificate NMI-2024-7) already imported."""
    w = h.world()
    import_history(h.jsonl(tmp_path, h.records(w), "base.jsonl"), min_uncertainty_ratio=b.RATIO)
    return w


def _replacement(w, number="H2024-0002", **kw):
    """A corrected certificate of the same instrument, issued later."""
    record = h.records(w)[0] | {
        "certificate_number": number,
        "issue_date": "2024-06-10",
        "supersedes": "H2024-0001",
    }
    record["results"] = [r | {"decision": ""} for r in record["results"]]
    return record | kw


def _errors(tmp_path, rows):
    before = (Record.objects.count(), AuditEntry.objects.count())
    with pytest.raises(InvalidInputs) as caught:
        import_history(h.jsonl(tmp_path, rows), min_uncertainty_ratio=b.RATIO)
    assert (Record.objects.count(), AuditEntry.objects.count()) == before
    assert Record.objects.get(certificate_number="H2024-0001").status == "issued"
    return [str(e) for e in caught.value.errors]


def test_a_record_supersedes_a_certificate_in_the_database(tmp_path, world):
    result = import_history(h.jsonl(tmp_path, [_replacement(world)]), min_uncertainty_ratio=b.RATIO)
    old, new = (
        Record.objects.get(certificate_number="H2024-0001"),
        Record.objects.get(certificate_number="H2024-0002"),
    )
    assert (old.status, new.status, new.supersedes_id) == ("superseded", "issued", old.pk)
    assert result.counts["supersedes"] == 1 and result.counts["status:issued"] == 1
    entry = AuditEntry.objects.get(
        object_type="calibration.record", object_id=str(old.pk), action="supersede"
    )
    assert (entry.actor, entry.before["status"], entry.after["status"]) == ("system", "issued", "superseded")


def test_a_record_supersedes_one_later_in_the_same_file(tmp_path):
    w = h.world()
    user, cert = h.records(w, supersedes={"issuer": h.records(w)[0]["issuer"], "number": "H2023-0900"})
    older = h.records(w)[0] | {
        "certificate_number": "H2023-0900",
        "calibration_date": "2024-05-01",
        "status": "superseded",
    }
    import_history(h.jsonl(tmp_path, [user, cert, older]), min_uncertainty_ratio=b.RATIO)
    assert Record.objects.get(certificate_number="H2023-0900").status == "superseded"
    assert Record.objects.get(certificate_number="H2024-0001").supersedes.certificate_number == "H2023-0900"


def test_an_unknown_certificate(tmp_path, world):
    errors = _errors(tmp_path, [_replacement(world, supersedes="H2019-0404")])
    assert errors == [
        "line 1: supersedes: no certificate H2019-0404 of the issuer in the database or the file"
    ]


def test_a_record_of_another_item(tmp_path, world):
    other = factories.instrument()
    item = {"manufacturer": other.manufacturer, "model": other.model, "serial_number": other.serial_number}
    assert _errors(tmp_path, [_replacement(world, instrument=item)]) == [
        "line 1: supersedes: record H2024-0001 is of another item"
    ]


def test_another_issuers_certificate(tmp_path, world):
    nmi = world["nmi"].institution.credit_code
    errors = _errors(tmp_path, [_replacement(world, supersedes={"issuer": nmi, "number": "NMI-2024-7"})])
    assert (
        "line 1: supersedes: record NMI-2024-7 is another issuer's certificate; a laboratory supersedes its own"
        in errors
    )


def test_a_revoked_or_already_superseded_record(tmp_path, world):
    old = Record.objects.get(certificate_number="H2024-0001")
    services.revoke_record(SYSTEM, old, "wrong standard")
    with pytest.raises(InvalidInputs) as caught:
        import_history(h.jsonl(tmp_path, [_replacement(world)]), min_uncertainty_ratio=b.RATIO)
    assert [str(e) for e in caught.value.errors] == [
        "line 1: supersedes: record H2024-0001 is revoked; only an issued record is superseded"
    ]
    import_history(
        h.jsonl(tmp_path, [_replacement(world, supersedes="", number="H2024-0005")]),
        min_uncertainty_ratio=b.RATIO,
    )
    import_history(
        h.jsonl(tmp_path, [_replacement(world, number="H2024-0006", supersedes="H2024-0005")]),
        min_uncertainty_ratio=b.RATIO,
    )
    with pytest.raises(InvalidInputs) as again:
        import_history(
            h.jsonl(tmp_path, [_replacement(world, number="H2024-0007", supersedes="H2024-0005")]),
            min_uncertainty_ratio=b.RATIO,
        )
    assert [str(e) for e in again.value.errors] == [
        "line 1: supersedes: record H2024-0005 is already superseded"
    ]


def test_a_draft_of_the_database_that_already_names_it(tmp_path, world):
    old = Record.objects.get(certificate_number="H2024-0001")
    b.draft(world["lab"], old.instrument, supersedes=old, calibration_date=old.calibration_date)
    assert _errors(tmp_path, [_replacement(world)])[0].startswith(
        "line 1: supersedes: record H2024-0001 is already named in supersedes by record CAL"
    )


def test_twice_in_the_file_and_a_revoked_record_of_the_file(tmp_path, world):
    revoked = _replacement(
        world, number="H2024-0003", supersedes="", status="revoked", revocation_reason="typo"
    )
    errors = _errors(tmp_path, [
        _replacement(world), _replacement(world, number="H2024-0004"), revoked,
        _replacement(world, number="H2024-0008", supersedes="H2024-0003"),
    ])  # fmt: skip
    assert errors == [
        "line 2: supersedes: record H2024-0001 is already superseded by line 1",
        "line 4: supersedes: record H2024-0003 is revoked; only an issued record is superseded",
    ]


def test_a_cycle_within_the_file(tmp_path, world):
    rows = [
        _replacement(world, number="C-1", supersedes="C-3"),
        _replacement(world, number="C-2", supersedes="C-1"),
        _replacement(world, number="C-3", supersedes="C-2"),
        _replacement(world, number="C-4", supersedes="C-4"),
    ]
    assert _errors(tmp_path, rows) == [
        "line 1: supersedes: the records supersede one another in a cycle (line 1 -> line 3 -> line 2 -> line 1)",
        "line 4: supersedes: a record cannot supersede itself",
    ]


def test_dates_earlier_than_the_superseded_records(tmp_path, world):
    rows = [_replacement(world, calibration_date="2024-05-31", issue_date="2024-06-02")]
    errors = _errors(tmp_path, rows)
    assert errors == [
        "line 1: supersedes: calibration_date 2024-05-31 is before that of record H2024-0001 (2024-06-01)"
    ]
    rows = [
        _replacement(world, number="D-1", supersedes="", issue_date="2024-06-20"),
        _replacement(world, number="D-2", supersedes="D-1", issue_date="2024-06-19"),
    ]
    assert _errors(tmp_path, rows) == [
        "line 2: supersedes: issue_date 2024-06-19 is before that of record D-1 (2024-06-20)"
    ]


def test_csv_names_the_supersedes_column(tmp_path, world):
    record = _replacement(world, supersedes="H2019-0404")
    header = ["kind", "issuer", "certificate_number", "manufacturer", "model", "serial_number", "area",
              "performer", "calibration_date", "supersedes", "quantity", "unit", "nominal_value",
              "measured_value", "expanded_uncertainty", "coverage_factor", "tolerance_lower", "tolerance_upper"]  # fmt: skip
    cells = record | record["instrument"] | record["results"][0]
    text = ",".join(header) + "\n" + ",".join(str(cells[c]) for c in header) + "\n"
    with pytest.raises(InvalidInputs) as caught:
        import_history(h.csv_file(tmp_path, text), min_uncertainty_ratio=b.RATIO)
    assert [str(e) for e in caught.value.errors] == [
        "line 2: supersedes: no certificate H2019-0404 of the issuer in the database or the file"
    ]


def test_issuing_in_the_web_workflow_follows_the_same_rules(world):
    old = Record.objects.get(certificate_number="H2024-0001")
    at = world["lab"]
    new = b.draft(at, factories.instrument(), supersedes=old, calibration_date=old.calibration_date)
    services.add_result(SYSTEM, new, b.point(), [{"standard": world["primary"]}])
    services.check_record(SYSTEM, new)
    with pytest.raises(Conflict) as caught, translation.override("en"):
        services.issue_record(SYSTEM, new, min_uncertainty_ratio=b.RATIO, on=old.calibration_date)
    assert str(caught.value) == "supersedes: record H2024-0001 is of another item"
    with pytest.raises(Conflict) as caught, translation.override("zh-hans"):  # the web's other language
        services.issue_record(SYSTEM, new, min_uncertainty_ratio=b.RATIO, on=old.calibration_date)
    assert str(caught.value) == "supersedes: 记录 H2024-0001 针对的是另一台计量器具或另一项计量标准"
    assert Record.objects.get(pk=old.pk).status == "issued"


def test_supersession_problems_name_the_status_in_the_active_language(world):
    old = Record.objects.get(certificate_number="H2024-0001")
    new = Record(
        **{f.attname: getattr(old, f.attname) for f in Record._meta.concrete_fields if not f.primary_key}
    )
    old.status = "revoked"  # in memory only: the rules read the record as given
    with translation.override("en"):
        assert services.supersession_problems(old, new) == [
            "record H2024-0001 is revoked; only an issued record is superseded"
        ]
    with translation.override("zh-hans"):
        assert services.supersession_problems(old, new) == [
            "记录 H2024-0001 的状态为“已撤销”；只有已发布的记录可以被替代"
        ]
