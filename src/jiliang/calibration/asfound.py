"""As-found state of calibration and verification records: was the item in tolerance when it came in?

The interval analyses (ILAC-G24:2007, NCSLI RP-1) and the risk screening need, per record, whether
the instrument or standard was found within its tolerance *before* any adjustment. A point's as-found
statement is its ``as_found_decision`` when an as-found value was recorded, otherwise its statement
as left (``accepted``): without an adjustment the two are the same reading. A record is

* out of tolerance when any judged point was rejected as found ("reject", "fail", "conditional fail");
* in tolerance when it has judged points and none was rejected;
* not judged when no point had a tolerance (a calibration without limits); such records still mark
  the start of the next interval but give no as-found result.

Only issued records count: a draft is not a result, a revoked certificate was withdrawn, and a
superseded certificate was replaced by the record that supersedes it (the same calibration).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, IntegerField, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import Coalesce, Lag

from jiliang.calibration.choices import RecordStatus
from jiliang.calibration.models import Record, Result

REJECTED = ("reject", "fail", "conditional fail")  # jiliang.conformity statement names of a rejection
IN, OUT = "in", "out"


def rejected_point() -> Q:
    """Results rejected as found."""
    return Q(as_found_decision__in=REJECTED) | Q(as_found_decision="", accepted=False)


def state_of(points: Iterable[tuple[str, bool | None]]) -> str | None:
    """``IN``, ``OUT`` or ``None`` (not judged) from (as_found_decision, accepted) of each point."""
    judged = False
    for as_found, accepted in points:
        if accepted is None:
            continue
        judged = True
        if (as_found in REJECTED) if as_found else accepted is False:
            return OUT
    return IN if judged else None


def counted() -> QuerySet[Record]:
    """Records that count as results: issued ones."""
    return Record.objects.filter(status=RecordStatus.ISSUED)


def _judged() -> Exists:
    return Exists(Result.objects.filter(record=OuterRef("pk"), accepted__isnull=False))


def _found_out() -> Exists:
    return Exists(Result.objects.filter(rejected_point(), record=OuterRef("pk")))


def with_state(records: QuerySet[Record]) -> QuerySet[Record]:
    """Annotate ``found_out`` and ``judged`` (booleans) on each record, one query in all."""
    return records.annotate(found_out=_found_out(), judged=_judged())


def state(record: Record) -> str | None:
    """State of a record annotated by :func:`with_state`."""
    if not getattr(record, "judged", False):
        return None
    return OUT if getattr(record, "found_out", False) else IN


def instrument_counts(since: date) -> dict[str, Any]:
    """Annotations for an ``Instrument`` queryset: ``records_judged`` (issued records since ``since``
    with an as-found result) and ``records_failed`` (of those, out of tolerance as found). Subqueries,
    so that other annotations (counts of findings) are not multiplied by a join."""
    recent = counted().filter(_judged(), instrument=OuterRef("pk"), calibration_date__gte=since)

    def count(rows: QuerySet[Record]) -> Any:
        per_item = rows.order_by().values("instrument").annotate(n=Count("pk")).values("n")
        return Coalesce(Subquery(per_item, output_field=IntegerField()), 0)

    return {
        "records_judged": count(recent),
        "records_failed": count(recent.filter(_found_out())),
    }


@dataclass(frozen=True)
class PooledCounts:
    """A group's history as counts: ``lengths`` are (days since the item's previous record, in
    tolerance, how many); the rest describes the records read."""

    lengths: list[tuple[int, bool, int]]
    records: int
    items: int
    not_judged: int
    first: date | None
    last: date | None


def interval_counts(records: QuerySet[Record], item_field: str) -> PooledCounts:
    """The as-found history of ``records`` as counts per distinct interval length, in one query: a
    window function finds each record's predecessor of the same item (judged or not: any
    calibration restarts the clock), and only a few rows per distinct length come back, so a
    category of a million records costs one query and a few thousand rows. An item's first record
    is the one without a predecessor, which counts the items."""
    previous = Window(
        Lag("calibration_date"),
        partition_by=[F(item_field)],
        order_by=[F("calibration_date").asc(), F("id").asc()],
    )
    inner = with_state(records).order_by().annotate(previous=previous)
    sql, params = inner.values("calibration_date", "previous", "judged", "found_out").query.sql_with_params()
    if connection.vendor == "sqlite":
        days = "CAST(julianday(t.calibration_date) - julianday(t.previous) AS INTEGER)"
    else:
        days = "(t.calibration_date - t.previous)"
    outer = (  # Django-compiled SQL inside, its parameters bound
        f"SELECT {days}, t.judged, t.found_out, COUNT(*), MIN(t.calibration_date), MAX(t.calibration_date) "
        f"FROM ({sql}) t GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"
    )
    with connection.cursor() as cursor:
        cursor.execute(outer, params)
        rows = cursor.fetchall()
    dates = [_day(r[4]) for r in rows] + [_day(r[5]) for r in rows]
    return PooledCounts(
        lengths=[(int(d), not bool(out), int(n)) for d, judged, out, n, *_ in rows if judged and d and d > 0],
        records=sum(int(r[3]) for r in rows),
        items=sum(int(r[3]) for r in rows if r[0] is None),
        not_judged=sum(int(r[3]) for r in rows if not r[1]),
        first=min(dates, default=None),
        last=max(dates, default=None),
    )


def _day(value: Any) -> date:
    """SQLite returns dates of a raw query as text."""
    return value if isinstance(value, date) else date.fromisoformat(str(value))
