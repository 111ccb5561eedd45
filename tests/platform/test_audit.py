"""The audit chain detects an edited, reordered or deleted entry and names it. The tampering goes
through raw SQL, as an attacker with database access would, bypassing the append-only ORM."""

import pytest
from django.db import connection

from jiliang.errors import Conflict
from jiliang.platform import audit
from jiliang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def _log(n=5):
    return [
        audit.record(
            actor="alice",
            actor_id=1,
            action="create",
            object_type="registry.instrument",
            object_id=str(i),
            before=None,
            after={"serial_number": f"S{i}", "n": i},
        )
        for i in range(n)
    ]


def _sql(statement, params=()):
    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(statement.format(table=table), params)


def test_an_untouched_chain_verifies():
    _log()
    result = audit.verify()
    assert result.ok and result.checked == 5
    assert "intact" in str(result)


def test_entries_chain_their_predecessor():
    entries = _log(3)
    assert entries[0].prev_hash == audit.GENESIS
    assert entries[1].prev_hash == entries[0].hash
    assert len({e.hash for e in entries}) == 3


def test_edited_entry_is_named():
    entries = _log()
    _sql("UPDATE {table} SET actor = %s WHERE id = %s", ["mallory", entries[2].pk])
    result = audit.verify()
    assert not result.ok and result.entry_id == entries[2].pk
    assert "edited" in result.problem


def test_edited_json_is_detected():
    entries = _log()
    _sql(
        "UPDATE {table} SET after = %s WHERE id = %s", ['{"serial_number": "FORGED", "n": 3}', entries[3].pk]
    )
    assert audit.verify().entry_id == entries[3].pk


def test_deleted_entry_names_its_successor():
    entries = _log()
    _sql("DELETE FROM {table} WHERE id = %s", [entries[1].pk])
    result = audit.verify()
    assert result.entry_id == entries[2].pk
    assert f"does not follow entry {entries[0].pk}" in result.problem


def test_reordered_entries_are_detected():
    entries = _log()
    a, b = entries[1].pk, entries[2].pk
    _sql("UPDATE {table} SET id = %s WHERE id = %s", [-1, a])
    _sql("UPDATE {table} SET id = %s WHERE id = %s", [a, b])
    _sql("UPDATE {table} SET id = %s WHERE id = %s", [b, -1])
    result = audit.verify()
    assert not result.ok and result.entry_id == a


def test_deleting_the_newest_entry_is_detected_by_the_head():
    entries = _log()
    _sql("DELETE FROM {table} WHERE id = %s", [entries[-1].pk])
    result = audit.verify()
    assert not result.ok and result.entry_id == entries[-1].pk
    assert "missing" in result.problem


def test_the_orm_refuses_to_change_entries():
    entry = _log(1)[0]
    with pytest.raises(Conflict):
        entry.save()
    with pytest.raises(Conflict):
        entry.delete()
    with pytest.raises(Conflict):
        AuditEntry.objects.all().delete()
    with pytest.raises(Conflict):
        AuditEntry.objects.update(actor="x")
