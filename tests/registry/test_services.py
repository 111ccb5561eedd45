"""Services validate, check permission, save and audit in one transaction."""

from datetime import date

import pytest
from django.db import transaction
from django.utils import translation

from jiliang.errors import Conflict, InvalidInput, InvalidInputs, PermissionDenied
from jiliang.platform import audit
from jiliang.platform.models import AuditEntry
from jiliang.registry import models as m
from jiliang.registry import services
from jiliang.registry.policy import SYSTEM, actor_for
from tests import factories as f

pytestmark = pytest.mark.django_db


def _instrument_data(owner, **kw):
    data = {
        "category": f.category("taximeter"),
        "manufacturer": "Acme",
        "model": "T-1",
        "serial_number": "T0001",
        "owner": owner,
        "interval_months": 12,
        "last_verification": date(2025, 3, 1),
        "next_due": date(2026, 3, 1),
    }
    data.update(kw)
    return data


def test_create_update_delete_are_audited_with_before_and_after():
    owner = f.institution(kind="enterprise")
    user = f.user_with_role("staff", owner)
    actor = actor_for(user)
    inst = services.create(actor, m.Instrument, _instrument_data(owner))
    services.update(actor, inst, {"status": "out_of_service"})
    services.delete(SYSTEM, inst)
    entries = list(AuditEntry.objects.filter(object_type="registry.instrument"))
    assert [e.action for e in entries] == ["create", "update", "delete"]
    assert entries[0].before is None and entries[0].after["serial_number"] == "T0001"
    assert entries[0].actor == user.username and entries[0].actor_id == user.pk
    assert entries[1].before["status"] == "in_service" and entries[1].after["status"] == "out_of_service"
    assert entries[2].after is None and entries[2].actor == "system"
    assert audit.verify().ok


def test_invalid_values_are_reported_by_field_and_nothing_is_written():
    owner = f.institution(kind="enterprise")
    before = AuditEntry.objects.count()
    with pytest.raises(InvalidInputs) as err:
        services.create(
            SYSTEM, m.Institution, {"name": "X", "kind": "nope", "credit_code": "91350100M000100Y44"}
        )
    fields = {e.field for e in err.value.errors}
    assert {"institution.kind", "institution.credit_code"} <= fields
    with pytest.raises(InvalidInputs) as err, translation.override("en"):
        services.create(SYSTEM, m.Instrument, _instrument_data(owner, next_due=date(2020, 1, 1)))
    assert [(e.field, e.reason) for e in err.value.errors] == [
        ("instrument.next_due", "The next due date cannot be before the last verification.")
    ]
    assert AuditEntry.objects.count() == before and not m.Instrument.objects.exists()


def test_duplicate_identity_is_invalid_input():
    owner = f.institution(kind="enterprise")
    services.create(SYSTEM, m.Instrument, _instrument_data(owner))
    with pytest.raises(InvalidInputs) as err, translation.override("en"):
        services.create(SYSTEM, m.Instrument, _instrument_data(owner))
    assert "already exists" in str(err.value)


def test_unknown_field_is_named():
    with pytest.raises(InvalidInput, match="instrument.colour"):
        services.create(SYSTEM, m.Instrument, {"colour": "red"})


def test_staff_cannot_write_another_institutions_record_and_nothing_is_audited():
    mine, theirs = f.institution(kind="enterprise"), f.institution(kind="enterprise")
    actor = actor_for(f.user_with_role("staff", mine))
    before = AuditEntry.objects.count()
    with pytest.raises(PermissionDenied):
        services.create(actor, m.Instrument, _instrument_data(theirs))
    own = services.create(actor, m.Instrument, _instrument_data(mine))
    with pytest.raises(PermissionDenied):  # moving it away needs rights on both sides
        services.update(actor, own, {"owner": theirs})
    assert AuditEntry.objects.count() == before + 1


def test_a_failure_after_saving_rolls_back_the_record_and_its_audit_entry(monkeypatch):
    owner = f.institution(kind="enterprise")

    def boom(**kw):
        raise RuntimeError("audit store down")

    monkeypatch.setattr(audit, "record", boom)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.create(SYSTEM, m.Instrument, _instrument_data(owner))
    assert not m.Instrument.objects.exists()


def test_deleting_a_referenced_record_is_a_conflict():
    inst = f.institution()
    f.standard(owner=inst)
    with pytest.raises(Conflict):
        services.delete(SYSTEM, inst)


def test_person_role_is_mirrored_in_django_groups():
    inst = f.institution()
    user = f.user_with_role("staff", inst)
    person = user.person
    services.update(SYSTEM, person, {"role": "approver"})
    assert list(user.groups.values_list("name", flat=True)) == ["approver"]
