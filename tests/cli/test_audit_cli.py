import pytest
from django.db import connection

from jiliang.cli.main import main
from jiliang.platform import audit
from jiliang.platform.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_audit_verify_exit_codes_name_the_entry(capsys):
    entries = [
        audit.record(
            actor="a", actor_id=None, action="create", object_type="t", object_id=str(i), after={"i": i}
        )
        for i in range(3)
    ]
    assert main(["audit", "verify"]) == 0
    assert "3 entries" in capsys.readouterr().out
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {AuditEntry._meta.db_table} SET object_id = 'x' WHERE id = %s", [entries[1].pk]
        )
    assert main(["audit", "verify"]) == 1
    assert f"audit entry {entries[1].pk}: was edited" in capsys.readouterr().err
