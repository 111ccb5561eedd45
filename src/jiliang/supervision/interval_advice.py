"""Interval recommendations from recorded histories (issue 7, item 4): the issued calibration and
verification records of a measurement standard or an instrument (:mod:`jiliang.calibration`), and
of like items pooled (an instrument's category and its manufacturer's model; standards of the same
measurement area and quantity), analysed by :mod:`jiliang.intervals` and shown beside the current
interval.

An as-found result is a record whose state is known (:mod:`jiliang.calibration.asfound`) and that
follows an earlier record of the same item: its interval is the time in service since that earlier
calibration, in days. The first record of an item starts the clock and gives no result.

Current intervals: an instrument's own ``interval_months``, else its category's default; a
standard has no interval field in the registry, so its current interval is the validity of its
latest certificate (calibration date to ``valid_until``), else the default interval of that
record's technical specification.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from django.db.models import Q, QuerySet

from jiliang import intervals
from jiliang.calibration import asfound
from jiliang.calibration.models import Record
from jiliang.errors import InvalidInput, NotFound
from jiliang.intervals import advice
from jiliang.registry import policy
from jiliang.registry.models import Instrument, InstrumentCategory, MeasurementStandard

DAYS_PER_MONTH = 365.25 / 12


@dataclass(frozen=True)
class Current:
    months: int | None
    source: str  # instrument | category_default | certificate_validity | specification_default | ...


@dataclass(frozen=True)
class Data:
    """What a history was built from."""

    records: int
    items: int
    results: int
    in_tolerance: int
    not_judged: int
    first: date | None
    last: date | None

    def as_dict(self) -> dict[str, Any]:
        return {
            "records": self.records,
            "items": self.items,
            "results": self.results,
            "in_tolerance": self.in_tolerance,
            "out_of_tolerance": self.results - self.in_tolerance,
            "not_judged": self.not_judged,
            "first": None if self.first is None else self.first.isoformat(),
            "last": None if self.last is None else self.last.isoformat(),
        }


def history_of(records: QuerySet[Record], item_field: str) -> tuple[intervals.History | None, Data]:
    """As-found history of the records, one item per distinct ``item_field`` (one query)."""
    rows = (
        asfound.with_state(records)
        .order_by(item_field, "calibration_date", "id")
        .values_list(item_field, "calibration_date", "judged", "found_out")
    )
    lengths: list[float] = []
    flags: list[bool] = []
    names: list[str] = []
    previous: dict[Any, date] = {}
    count, not_judged, dates = 0, 0, []
    for item, day, judged, found_out in rows:
        count += 1
        dates.append(day)
        not_judged += not judged
        before = previous.get(item)
        previous[item] = day
        if before is not None and judged and (day - before).days > 0:
            lengths.append(float((day - before).days))
            flags.append(not found_out)
            names.append(str(item))
    data = Data(
        count,
        len(previous),
        len(lengths),
        sum(flags),
        not_judged,
        min(dates, default=None),
        max(dates, default=None),
    )
    history = intervals.make_history(lengths, flags, names, unit="d") if lengths else None
    return history, data


def pooled_history(records: QuerySet[Record], item_field: str) -> tuple[intervals.History | None, Data]:
    """The same history as :func:`history_of` for a group, computed in the database (counts per
    distinct interval length); rows carry no item names, which only the staircase needs."""
    pooled = asfound.interval_counts(records, item_field)
    lengths = np.array([c[0] for c in pooled.lengths], dtype=float)
    flags = np.array([c[1] for c in pooled.lengths], dtype=bool)
    repeats = np.array([c[2] for c in pooled.lengths], dtype=int)
    results, passed = int(repeats.sum()), int(repeats[flags].sum())
    data = Data(pooled.records, pooled.items, results, passed, pooled.not_judged, pooled.first, pooled.last)
    if not pooled.lengths:
        return None, data
    return intervals.make_history(np.repeat(lengths, repeats), np.repeat(flags, repeats), unit="d"), data


def _months(days: float | None) -> float | None:
    return None if days is None else round(days / DAYS_PER_MONTH, 1)


EXPLAIN = {
    advice.STAIRCASE: "one item's own history: staircase (ILAC-G24 method 1) from its last interval and result",
    advice.INTERVAL_TEST: (
        f"fewer than {advice.MIN_MLE_RESULTS} pooled results: interval test (NCSLI RP-1 A3) of the current "
        "interval against the target"
    ),
    advice.NO_EVENTS_FOR_MLE: (
        "no out-of-tolerance result (or none in tolerance), so no reliability model can be fitted: "
        "interval test (NCSLI RP-1 A3) of the current interval"
    ),
    advice.MLE: (
        f"at least {advice.MIN_MLE_RESULTS} pooled results with both outcomes: maximum-likelihood "
        "reliability model (NCSLI RP-1 S2; exponential or Weibull by AIC)"
    ),
    advice.NO_RESULTS: "too little data: no as-found result yet (an item needs two issued records with a tolerance)",
    advice.TOO_FEW_RESULTS: (
        f"too little data: fewer than {advice.MIN_TEST_RESULTS} pooled as-found results; no interval is recommended"
    ),
}


def analyse(
    scope: str,
    label: str,
    records: QuerySet[Record],
    item_field: str,
    current: Current,
    target: float,
    single_item: bool,
) -> dict[str, Any]:
    """One analysis: the data, the method the data support and the recommendation (or why none)."""
    history, data = (history_of if single_item else pooled_history)(records, item_field)
    i0 = None if current.months is None else current.months * DAYS_PER_MONTH
    got = advice.advise(history, single_item=single_item, current_interval=i0, target=target)
    rec = got.recommendation
    bounds = (
        None if rec is None or rec.confidence_bounds is None else [_months(b) for b in rec.confidence_bounds]
    )
    return {
        "scope": scope,
        "label": label,
        "data": data.as_dict(),
        "reason": got.reason,
        "method": got.method,
        "sufficient": rec is not None,
        "recommended_interval_days": None if rec is None else round(rec.recommended_interval, 1),
        "recommended_interval_months": None if rec is None else _months(rec.recommended_interval),
        "confidence_bounds_months": bounds,
        "explanation": _explain(got, i0),
        "detail": None if rec is None else rec.as_dict(),
    }


def _explain(got: advice.Advice, current: float | None) -> str:
    text = EXPLAIN[got.reason]
    if got.method == "interval-test" and current is None:
        text += " (no current interval is set: the median observed interval is tested)"
    rec = got.recommendation
    return text + (f"; {rec.note}" if rec is not None and rec.note else "")


def _report(
    kind: str, obj: Any, current: Current, target: float, analyses: Iterable[dict[str, Any]]
) -> dict[str, Any]:
    return {
        "subject": {"kind": kind, "id": getattr(obj, "pk", None), "name": str(obj)},
        "target_reliability": target,
        "current_interval_months": current.months,
        "current_interval_source": current.source,
        "analyses": list(analyses),
    }


def instrument_current(instrument: Instrument) -> Current:
    if instrument.interval_months:
        return Current(instrument.interval_months, "instrument")
    if instrument.category.default_interval_months:
        return Current(instrument.category.default_interval_months, "category_default")
    return Current(None, "none")


def standard_current(standard: MeasurementStandard) -> Current:
    latest = (
        asfound.counted()
        .filter(standard=standard)
        .select_related("specification")
        .order_by("-calibration_date", "-id")
        .first()
    )
    if latest is not None and latest.valid_until is not None:
        return Current(
            round((latest.valid_until - latest.calibration_date).days / DAYS_PER_MONTH),
            "certificate_validity",
        )
    if latest is not None and latest.specification and latest.specification.default_interval_months:
        return Current(latest.specification.default_interval_months, "specification_default")
    return Current(None, "none")


def for_instrument(instrument: Instrument, target: float = intervals.DEFAULT_TARGET) -> dict[str, Any]:
    """The instrument's own history, then its model's and its category's pooled histories."""
    target = intervals.check_target(target)
    current = instrument_current(instrument)
    rows = asfound.counted()
    model = Q(instrument__manufacturer=instrument.manufacturer, instrument__model=instrument.model)
    return _report(
        "instrument",
        instrument,
        current,
        target,
        [
            analyse(
                "instrument",
                str(instrument),
                rows.filter(instrument=instrument),
                "instrument_id",
                current,
                target,
                True,
            ),
            analyse(
                "model",
                f"{instrument.manufacturer} {instrument.model}",
                rows.filter(model),
                "instrument_id",
                current,
                target,
                False,
            ),
            analyse(
                "category",
                str(instrument.category),
                rows.filter(instrument__category=instrument.category_id),
                "instrument_id",
                current,
                target,
                False,
            ),
        ],
    )


def for_standard(standard: MeasurementStandard, target: float = intervals.DEFAULT_TARGET) -> dict[str, Any]:
    """The standard's own history, then that of standards of the same area and quantity."""
    target = intervals.check_target(target)
    current = standard_current(standard)
    rows = asfound.counted()
    like = Q(standard__area=standard.area_id, standard__quantity=standard.quantity)
    return _report(
        "standard",
        standard,
        current,
        target,
        [
            analyse(
                "standard",
                str(standard),
                rows.filter(standard=standard),
                "standard_id",
                current,
                target,
                True,
            ),
            analyse(
                "like_standards",
                f"{standard.area} · {standard.quantity}",
                rows.filter(like),
                "standard_id",
                current,
                target,
                False,
            ),
        ],
    )


def for_category(category: InstrumentCategory, target: float = intervals.DEFAULT_TARGET) -> dict[str, Any]:
    """The pooled history of every instrument of the category, beside its default interval."""
    target = intervals.check_target(target)
    current = Current(
        category.default_interval_months, "category_default" if category.default_interval_months else "none"
    )
    records = asfound.counted().filter(instrument__category=category)
    return _report(
        "category",
        category,
        current,
        target,
        [analyse("category", str(category), records, "instrument_id", current, target, False)],
    )


def for_model(manufacturer: str, model: str, target: float = intervals.DEFAULT_TARGET) -> dict[str, Any]:
    """The pooled history of one manufacturer's model, beside its instruments' most common interval."""
    target = intervals.check_target(target)
    months = Counter(
        Instrument.objects.filter(
            manufacturer=manufacturer, model=model, interval_months__isnull=False
        ).values_list("interval_months", flat=True)
    ).most_common(1)
    current = Current(months[0][0], "most_common_of_model") if months else Current(None, "none")
    records = asfound.counted().filter(instrument__manufacturer=manufacturer, instrument__model=model)
    label = f"{manufacturer} {model}"
    return _report(
        "model",
        label,
        current,
        target,
        [analyse("model", label, records, "instrument_id", current, target, False)],
    )


def advise_for(
    actor: policy.Actor,
    *,
    standard: int | None = None,
    instrument: int | None = None,
    category: str | None = None,
    manufacturer: str | None = None,
    model: str | None = None,
    target: float = intervals.DEFAULT_TARGET,
) -> dict[str, Any]:
    """The one entry of the edges: exactly one subject, looked up within what ``actor`` may read
    (standards and categories are public; an instrument only for its owner, regulators and admins).
    Pooled groups report counts and the fitted interval, never another owner's items."""
    given = [
        n
        for n, v in (
            ("standard", standard),
            ("instrument", instrument),
            ("category", category),
            ("model", model),
        )
        if v not in (None, "")
    ]
    if len(given) != 1:
        raise InvalidInput("subject", "name exactly one of standard, instrument, category or model")
    if standard is not None:
        found = MeasurementStandard.objects.select_related("area").filter(pk=standard).first()
        if found is None:
            raise NotFound("standard", standard)
        return for_standard(found, target)
    if instrument is not None:
        rows = policy.visible(actor, Instrument.objects.select_related("category"))
        inst = rows.filter(pk=instrument).first()
        if inst is None:
            raise NotFound("instrument", instrument)
        return for_instrument(inst, target)
    if category:
        cat = InstrumentCategory.objects.filter(code=category).first()
        if cat is None:
            raise NotFound("category", category)
        return for_category(cat, target)
    if not manufacturer:
        raise InvalidInput("manufacturer", "a model is named with its manufacturer")
    if not Instrument.objects.filter(manufacturer=manufacturer, model=model).exists():
        raise NotFound("model", f"{manufacturer} {model}")
    return for_model(manufacturer, str(model), target)
