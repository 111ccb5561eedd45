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
from datetime import date
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

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
