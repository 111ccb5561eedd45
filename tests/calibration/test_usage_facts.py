"""The usage facts table (issue 5, item 8): the triggers keep it equal to the join of usages,
records and results after every kind of write, on SQLite and on PostgreSQL."""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from jiliang.calibration import services, usage_facts
from jiliang.calibration.models import Record, Result, Usage
from jiliang.registry.policy import SYSTEM
from tests import factories
from tests.calibration import builders as b
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db
# The table is PostgreSQL's (SQLite's impact reads the live tables): these run in CI's PostgreSQL
# pass; on SQLite the last test checks that nothing was created.
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="the usage facts are PostgreSQL's")

_SELECT = ", ".join(
    f"CAST({expr} AS DOUBLE PRECISION)" if expr.startswith("res.") and expr != "res.unit" else expr
    for _, _, expr in usage_facts.COLUMNS
)


def _rows(sql: str) -> set[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        # NaN never equals itself; NULL limits come as None on both sides.
        return {tuple(None if isinstance(v, float) and math.isnan(v) else v for v in row) for row in cursor}


def facts() -> set[tuple]:
    return _rows(f"SELECT {', '.join(name for name, _, _ in usage_facts.COLUMNS)} FROM {usage_facts.TABLE}")


def joined() -> set[tuple]:
    return _rows(
        f"SELECT {_SELECT} FROM calibration_usage u JOIN calibration_record r ON r.id = u.record_id "
        "JOIN calibration_result res ON res.id = u.result_id"
    )


@postgresql
def test_every_write_is_copied():
    lad = ladder(1)
    standard, certificate = lad.standards[0], lad.certificates[0]
    record = b.draft(b.lab(), factories.instrument())
    result = services.add_result(
        SYSTEM, record, b.point(), [{"standard": standard, "certificate": certificate}]
    )
    assert len(facts()) == 3 and facts() == joined()  # the certificate's use of the primary, two uses of it

    # a draft's record and result change: their copies follow
    Record.objects.filter(pk=record.pk).update(
        calibration_date=date(2025, 4, 2), certificate_number="CHANGED-1", decision_rule="guarded"
    )
    Result.objects.filter(pk=result.pk).update(
        unit="mm", measured_value=Decimal("10.125"), tolerance_lower=None, tolerance_upper=None
    )
    assert facts() == joined()
    assert {row[7] for row in facts()} >= {"CHANGED-1"}

    # a usage moved to another certificate and another standard, then one added and one deleted
    use = Usage.objects.get(result=result)
    use.standard, use.certificate = b.examined_standard(), None
    use.save()
    assert facts() == joined()
    Usage.objects.create(record=record, result=result, reference_material=factories.reference_material())
    assert facts() == joined() and len(facts()) == 4
    use.delete()
    assert facts() == joined() and len(facts()) == 3

    # a status change copies nothing and changes nothing; a deleted draft takes its uses along
    before = facts()
    services.check_record(SYSTEM, record)
    assert facts() == before == joined()
    Record.objects.get(pk=record.pk).delete()
    assert facts() == joined() and {row[1] for row in facts()} == {certificate.pk, lad.record.pk}


@postgresql
def test_bulk_writes_are_copied():
    """Bulk inserts, updates and deletes (the demo history, the history import): each is copied
    by one set-based statement."""
    lad = ladder(1)
    standard, certificate = lad.standards[0], lad.certificates[0]
    at = b.lab()
    records = [b.draft(at, factories.instrument()) for _ in range(5)]
    results = Result.objects.bulk_create(Result(record=r, position=1, **b.point()) for r in records)
    Usage.objects.bulk_create(
        Usage(record=r, result=res, standard=standard, certificate=certificate)
        for r, res in zip(records, results, strict=True)
    )
    assert len(facts()) == 7 and facts() == joined()
    Record.objects.filter(pk__in=[r.pk for r in records[:3]]).update(decision_rule="guarded")
    Result.objects.filter(record__in=records[3:]).update(nominal_value=Decimal("20"))
    assert facts() == joined()
    Usage.objects.filter(record__in=records[:2]).delete()
    assert len(facts()) == 5 and facts() == joined()


def test_the_table_and_its_triggers_exist_on_postgresql_only():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor != "postgresql":
            assert usage_facts.TABLE not in tables
            return
        assert usage_facts.TABLE in tables
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{usage_facts.TABLE}%"])
        assert {name for (name,) in cursor} == set(usage_facts.TRIGGERS.values())
