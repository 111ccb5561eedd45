"""Records and their lifecycle (issue 5, item 1): statements computed by jiliang.conformity,
draft -> checked -> issued -> superseded / revoked, issued records frozen in services and in the
database, certificate numbers unique per issuer, audit entries."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import translation

from jiliang.calibration import services
from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import Conflict, InvalidInput, PermissionDenied
from jiliang.platform.models import AuditEntry
from jiliang.registry.choices import Role
from jiliang.registry.models import Person
from jiliang.registry.policy import SYSTEM, actor_for
from tests import factories
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def world():
    nmi = b.lab(kind="nmi")
    p = b.primary()
    std = b.examined_standard()
    cert = b.issued(
        nmi, std, [{"standard": p}], [b.point(expanded_uncertainty=D("0.02"), measured_value=D("10.01"))]
    )
    return {"lab": b.lab(), "standard": std, "certificate": cert, "primary": p}


def test_points_get_their_conformity_statement_from_the_engine(world):
    rec = b.draft(world["lab"], factories.instrument(), decision_rule="guarded:1")
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    inside = services.add_result(SYSTEM, rec, b.point(measured_value=D("10.2")), uses)
    near = services.add_result(SYSTEM, rec, b.point(measured_value=D("10.8"), as_found_value=D("11.5")), uses)
    # e = 0.2, U = 0.5: acceptance interval [-0.5, 0.5] -> accept; e = 0.8 -> reject; as found 1.5 -> reject
    assert (inside.decision, inside.accepted) == ("accept", True)
    assert (near.decision, near.accepted, near.as_found_decision) == ("reject", False, "reject")
    assert [u.standard_id for u in Usage.objects.filter(result=inside)] == [world["standard"].pk]


def test_verification_with_a_failing_point_is_a_notice_of_failure(world):
    rec = b.draft(world["lab"], factories.instrument(), kind="verification")
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    services.add_result(SYSTEM, rec, b.point(measured_value=D("11.5")), uses)
    services.check_record(SYSTEM, rec)
    services.issue_record(SYSTEM, rec, min_uncertainty_ratio=3, on=date(2025, 3, 2))
    rec.refresh_from_db()
    assert (rec.status, rec.outcome) == ("issued", "notice_of_failure")


def test_lifecycle_and_audit(world):
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    rec = b.issued(world["lab"], factories.instrument(), uses)
    assert rec.status == "issued" and rec.outcome == "calibration_certificate"
    actions = list(
        AuditEntry.objects.filter(object_type="calibration.record", object_id=str(rec.pk)).values_list(
            "action", flat=True
        )
    )
    assert actions == ["create", "check", "issue"]
    new = b.draft(world["lab"], rec.instrument, supersedes=rec)
    services.add_result(SYSTEM, new, b.point(), uses)
    services.check_record(SYSTEM, new)
    services.issue_record(SYSTEM, new, min_uncertainty_ratio=3)
    rec.refresh_from_db()
    assert rec.status == "superseded"
    with pytest.raises(Conflict):
        services.revoke_record(SYSTEM, rec, "typo")
    services.revoke_record(SYSTEM, new, "wrong standard")
    new.refresh_from_db()
    assert (new.status, new.revocation_reason) == ("revoked", "wrong standard")


def test_an_issued_record_never_changes_in_services(world):
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    rec = b.issued(world["lab"], factories.instrument(), uses)
    with pytest.raises(Conflict) as info:
        services.update_record(SYSTEM, rec, {"temperature": "21 °C"})
    assert info.value.field == "status"
    with pytest.raises(Conflict):
        services.add_result(SYSTEM, rec, b.point(), uses)


def test_an_issued_record_never_changes_in_the_database(world):
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    rec = b.issued(world["lab"], factories.instrument(), uses)
    for attempt in (
        lambda: Record.objects.filter(pk=rec.pk).update(temperature="25 °C"),
        lambda: Record.objects.filter(pk=rec.pk).update(status="draft"),
        lambda: Result.objects.filter(record=rec).update(measured_value=D("9")),
        lambda: Usage.objects.filter(record=rec).delete(),
        lambda: Record.objects.filter(pk=rec.pk).delete(),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            attempt()
    Record.objects.filter(pk=rec.pk).update(status="revoked", revocation_reason="ok")  # the one allowed move
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=rec.pk).update(status="issued")


def test_certificate_numbers_are_unique_per_issuer(world):
    inst = factories.instrument()
    b.draft(world["lab"], inst, certificate_number="L2025-001")
    with pytest.raises(InvalidInput) as info:
        b.draft(world["lab"], inst, certificate_number="L2025-001")
    assert "certificate_number" in str(info.value) or "record" in info.value.field
    b.draft(b.lab(), inst, certificate_number="L2025-001")  # another issuer may use it


def test_checker_differs_from_performer_and_rule_is_valid(world):
    at = world["lab"]
    with pytest.raises(InvalidInput):
        b.draft(at, factories.instrument(), checker=at.performer)
    with pytest.raises(InvalidInput) as info:
        b.draft(at, factories.instrument(), decision_rule="guarded")
    assert info.value.field == "record.decision_rule"


def test_permissions_follow_roles(world):
    at = world["lab"]
    staff = actor_for(factories.user_with_role(Role.STAFF, at.institution))
    outsider = actor_for(factories.user_with_role(Role.APPROVER))
    rec = services.create_record(
        staff,
        {
            "kind": "calibration",
            "certificate_number": "P-1",
            "institution": at.institution,
            "instrument": factories.instrument(),
            "area": factories.area(),
            "performer": at.performer,
            "checker": at.checker,
            "calibration_date": date(2025, 3, 1),
        },
    )
    with pytest.raises(PermissionDenied):
        services.update_record(outsider, rec, {"temperature": "20 °C"})
    services.add_result(
        staff, rec, b.point(), [{"standard": world["standard"], "certificate": world["certificate"]}]
    )
    with pytest.raises(PermissionDenied):  # staff is not the named checker
        services.check_record(staff, rec)
    checker_user = factories.user_with_role(Role.STAFF, at.institution)
    services.update_record(staff, rec, {"checker": Person.objects.get(user=checker_user)})
    services.check_record(actor_for(checker_user), rec)
    with pytest.raises(PermissionDenied):  # staff may not approve
        services.issue_record(staff, rec, min_uncertainty_ratio=3)


def _conflict(language: str, call, *args, **kwargs) -> tuple[str, str]:
    with translation.override(language), pytest.raises(Conflict) as info:
        call(SYSTEM, *args, **kwargs)
    return info.value.field, info.value.reason


def test_lifecycle_conflicts_are_worded_in_chinese_and_english(world):
    uses = [{"standard": world["standard"], "certificate": world["certificate"]}]
    draft = b.draft(world["lab"], factories.instrument(), certificate_number="L-DRAFT-1")
    issue, ratio = services.issue_record, {"min_uncertainty_ratio": 3}
    assert _conflict("en", issue, draft, **ratio) == (
        "status",
        "record L-DRAFT-1 must be checked before it is issued",
    )
    assert _conflict("zh-hans", issue, draft, **ratio) == ("status", "记录 L-DRAFT-1 须经核验后方可批准发布")
    revoke = services.revoke_record
    assert (
        _conflict("en", revoke, draft, "typo")[1]
        == "record L-DRAFT-1 is Draft; only an issued record is revoked"
    )
    assert (
        _conflict("zh-hans", revoke, draft, "typo")[1]
        == "记录 L-DRAFT-1 的状态为“草稿”；只有已发布的记录可以撤销"
    )
    assert _conflict("zh-hans", services.return_to_draft, draft)[1] == "记录 L-DRAFT-1 尚未核验"
    issued = b.issued(world["lab"], factories.instrument(), uses, certificate_number="L-ISSUED-1")
    change = services.update_record, issued, {"temperature": "21 °C"}
    assert _conflict("en", *change)[1] == "record L-ISSUED-1 is Issued; only a draft may change"
    assert _conflict("zh-hans", *change)[1] == "记录 L-ISSUED-1 的状态为“已发布”；只有草稿可以修改"
    with translation.override("zh-hans"), pytest.raises(InvalidInput) as info:
        services.revoke_record(SYSTEM, issued, " ")
    assert (info.value.field, info.value.reason) == ("reason", "请说明撤销原因")
