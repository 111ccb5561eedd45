"""The usage facts table on PostgreSQL (issue 5, item 8): the triggers keep it equal to the join
of usages, records and results after every kind of write, and mark every cited record."""

from __future__ import annotations

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

_NAMES = [name for name, _, _ in usage_facts.COLUMNS]


def _by_usage(sql: str) -> dict[int, tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return {row[0]: tuple(row) for row in cursor}


def facts() -> dict[int, tuple]:
    return _by_usage(f"SELECT {', '.join(_NAMES)} FROM {usage_facts.TABLE}")


def cited() -> set[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT record_id FROM {usage_facts.CITED}")
        return {pk for (pk,) in cursor}


def copied() -> bool:
    """The facts equal the join of the live tables, and every record named as a certificate is
    marked cited (a record once cited may stay marked: never the other way round, or the impact
    would miss its downstream)."""
    named = set(Usage.objects.exclude(certificate=None).values_list("certificate_id", flat=True))
    return facts() == _by_usage(usage_facts.select("calibration_usage")) and named <= cited()


@postgresql
def test_every_write_is_copied():
    lad = ladder(1)
    standard, certificate = lad.standards[0], lad.certificates[0]
    record = b.draft(b.lab(), factories.instrument())
    result = services.add_result(
        SYSTEM, record, b.point(), [{"standard": standard, "certificate": certificate}]
    )
    assert len(facts()) == 3 and copied()  # the certificate's use of the primary, two uses of it

    # a draft's record and result change: their copies follow
    Record.objects.filter(pk=record.pk).update(
        calibration_date=date(2025, 4, 2), certificate_number="CHANGED-1", decision_rule="guarded"
    )
    Result.objects.filter(pk=result.pk).update(
        unit="mm", measured_value=Decimal("10.125"), tolerance_lower=None, tolerance_upper=None
    )
    assert copied()
    assert {row[7] for row in facts().values()} >= {"CHANGED-1"}

    # a usage moved to another certificate and another standard, then one added and one deleted
    use = Usage.objects.get(result=result)
    use.standard, use.certificate = b.examined_standard(), None
    use.save()
    assert copied()
    Usage.objects.create(record=record, result=result, reference_material=factories.reference_material())
    assert copied() and len(facts()) == 4
    use.delete()
    assert copied() and len(facts()) == 3

    # a status change copies nothing and changes nothing; a deleted draft takes its uses along
    before = facts()
    services.check_record(SYSTEM, record)
    assert facts() == before and copied()
    Record.objects.get(pk=record.pk).delete()
    assert copied() and {row[1] for row in facts().values()} == {certificate.pk, lad.record.pk}


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
    assert len(facts()) == 7 and copied()
    Record.objects.filter(pk__in=[r.pk for r in records[:3]]).update(decision_rule="guarded")
    Result.objects.filter(record__in=records[3:]).update(nominal_value=Decimal("20"))
    assert copied()
    Usage.objects.filter(record__in=records[:2]).delete()
    assert len(facts()) == 5 and copied()


@postgresql
def test_a_record_is_marked_cited_once_a_usage_names_it_as_certificate():
    """The impact looks downstream of a reached record only if it is marked cited."""
    lad = ladder(1)
    assert lad.certificates[0].pk in cited() and lad.record.pk not in cited()
    # an instrument's record named as a certificate (history data that the import only reports)
    record = b.draft(b.lab(), factories.instrument())
    result = Result.objects.create(record=record, position=1, **b.point())
    use = Usage.objects.create(record=record, result=result, standard=b.examined_standard())
    use.certificate = lad.record
    use.save()  # an update names it
    assert lad.record.pk in cited() and copied()
    # the citation gone, the mark stays: one look-up too many, nothing missed
    use.delete()
    assert lad.record.pk in cited() and copied()


@postgresql
def test_truncating_the_usages_empties_the_facts():
    """TRUNCATE fires no delete trigger; Django's flush (between transactional tests) uses it."""
    ladder(1)
    assert facts() and cited()
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no pending foreign-key checks, or no TRUNCATE
        cursor.execute("TRUNCATE calibration_usage")
    assert not facts() and not cited()


def test_the_table_and_its_triggers_exist_on_postgresql_only():
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        if connection.vendor != "postgresql":
            assert not {usage_facts.TABLE, usage_facts.CITED} & set(tables)
            return
        assert {usage_facts.TABLE, usage_facts.CITED} <= set(tables)
        cursor.execute("SELECT tgname FROM pg_trigger WHERE tgname LIKE %s", [f"{usage_facts.TABLE}%"])
        assert {name for (name,) in cursor} == set(usage_facts.TRIGGERS.values())
