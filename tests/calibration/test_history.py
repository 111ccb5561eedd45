"""``jiliang import`` of calibration and verification records (issue 5, item 5): a lab's history
goes in as issued records with results and the standards used per point, checked all or
nothing with line-numbered errors, audited once with the file's SHA-256; the issue-time guards
are reported, and the imported records form traceability chains."""

from __future__ import annotations

import hashlib
import json
from datetime import date

import pytest
from django.utils import translation

from jiliang.calibration.history import import_history, is_history
from jiliang.calibration.models import Record, Result, Usage
from jiliang.cli.main import main
from jiliang.errors import InvalidInputs, PermissionDenied
from jiliang.platform.models import AuditEntry
from jiliang.registry.choices import Role
from jiliang.registry.policy import actor_for
from jiliang.traceability import queries
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
def world():
    return h.world()


_point, _records, _file = h.point, h.records, h.jsonl


def test_a_history_imports_as_issued_records_that_form_a_chain(tmp_path, world):
    path = _file(tmp_path, _records(world))
    assert is_history(path)
    result = import_history(path, min_uncertainty_ratio=b.RATIO)
    assert result.counts == {"record": 2, "result": 3, "standard_used": 3, "status:issued": 2}
    user = Record.objects.get(certificate_number="H2024-0001")
    cert = Record.objects.get(certificate_number="NMI-2024-7")
    assert (user.status, user.outcome, cert.status) == ("issued", "notice_of_failure", "issued")
    decisions = list(
        Result.objects.filter(record=user).order_by("position").values_list("decision", "accepted")
    )
    assert decisions == [("accept", True), ("reject", False)]  # 11.5 - 10 = 1.5 > 1
    assert set(Usage.objects.filter(record=user).values_list("certificate_id", flat=True)) == {cert.pk}
    chain = queries.chain(user.pk)
    assert chain.verdict == "traceable", chain.reasons
    entry = AuditEntry.objects.get(object_type="calibration.import")
    assert entry.after["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest() == result.sha256
    assert entry.after["counts"]["record"] == 2 and result.finding_count == 0


def test_guards_are_reported_not_enforced(tmp_path, world):
    world["lab"].performer.registration_valid_until = date(2024, 1, 1)  # lapsed before 2024-06-01
    world["lab"].performer.save()
    result = import_history(_file(tmp_path, _records(world)), min_uncertainty_ratio=b.RATIO)
    assert result.finding_count == 1
    assert result.findings[0].startswith("line 1: performer:") and "qualification" in result.findings[0]
    assert Record.objects.get(certificate_number="H2024-0001").status == "issued"


def test_every_bad_line_is_reported_and_nothing_is_written(tmp_path, world):
    rows = _records(world, calibration_date="2024-02-30", checker=world["lab"].performer.registration_number)
    rows[1]["results"][0]["coverage_factor"] = "-2"
    rows[0]["results"][1]["tolerance_uper"] = "1"  # misspelt: refused, not dropped
    rows += [
        "{not json",
        _records(world, certificate_number="NMI-2024-7", issuer=world["nmi"].institution.credit_code)[0]
        | {"results": [_point(decision="reject", standards=[{"reference_material": "GBW(E)999999"}])]},
        {"type": "instrument"},
    ]
    before = Record.objects.count()
    with pytest.raises(InvalidInputs) as caught:
        import_history(_file(tmp_path, rows), min_uncertainty_ratio=b.RATIO)
    errors = [str(e) for e in caught.value.errors]
    assert "line 1: calibration_date: '2024-02-30' is not a date YYYY-MM-DD" in errors
    assert "line 1: checker: the checker must be a different person from the performer" in errors
    assert "line 1: results[1].tolerance_uper: unknown member" in errors
    assert "line 2: results[0].expanded_uncertainty: U and k must be positive" in errors
    assert any(e.startswith("line 3: malformed JSON") for e in errors)
    assert "line 4: certificate_number: duplicate of line 2" in errors
    assert (
        "line 4: results[0].standards[0].reference_material: unknown reference material 'GBW(E)999999'"
        in errors
    )
    assert any(e.startswith("line 4: results[0].decision: the file says 'reject'") for e in errors)
    assert "line 5: type: must be 'record' (registry rows go in a file of their own)" in errors
    assert Record.objects.count() == before and not AuditEntry.objects.filter(
        object_type="calibration.import"
    )


def test_an_unknown_certificate_and_a_second_import_are_refused(tmp_path, world):
    rows = _records(world)
    with pytest.raises(InvalidInputs) as caught:
        import_history(_file(tmp_path, rows[:1]), min_uncertainty_ratio=b.RATIO)
    assert (
        "line 1: results[1].standards[0].certificate: no certificate NMI-2024-7 in the database or the file"
        in [str(e) for e in caught.value.errors]
    )
    import_history(_file(tmp_path, rows), min_uncertainty_ratio=b.RATIO)
    with pytest.raises(InvalidInputs) as again:
        import_history(_file(tmp_path, rows), min_uncertainty_ratio=b.RATIO)
    assert "line 1: certificate_number: this issuer already has a record with this number" in [
        str(e) for e in again.value.errors
    ]


def test_revoked_history_and_permissions(tmp_path, world):
    rows = _records(world, status="revoked", revocation_reason="wrong standard")
    staff = actor_for(factories.user_with_role(Role.STAFF, world["lab"].institution))
    with pytest.raises(InvalidInputs) as caught:
        import_history(_file(tmp_path, rows), actor=staff, min_uncertainty_ratio=b.RATIO)
    assert [str(e) for e in caught.value.errors] == [
        f"line 2: issuer: {staff.username} may import only their own institution's records"
    ]
    import_history(_file(tmp_path, rows), min_uncertainty_ratio=b.RATIO)
    assert Record.objects.get(certificate_number="H2024-0001").status == "revoked"
    with pytest.raises(PermissionDenied):
        import_history(_file(tmp_path, rows), actor=actor_for(factories.user_with_role(Role.REGULATOR)))


def test_cli_imports_records_and_reports_errors(tmp_path, world, capsys):
    bad = _records(world, kind="repair")
    assert main(["--language", "en", "import", str(_file(tmp_path, bad, "bad.jsonl"))]) == 2
    err = capsys.readouterr().err
    assert (
        "line 1: kind: 'repair' is not one of calibration, verification" in err
        and "nothing was imported" in err
    )
    assert main(["import", str(_file(tmp_path, _records(world)))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["imported"]["record"] == 2 and out["guard_findings"] == 0 and len(out["sha256"]) == 64
