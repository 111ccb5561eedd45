"""Risk screening of instruments in service: explainable scores, ranked early-warning lists per
district, inspection campaigns ("双随机": a random draw with a stored seed, after the highest
risks), findings with rectification and follow-up ("回头看"), and interval recommendations from
the recorded findings through :mod:`jiliang.intervals`."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import numpy as np
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet

from jiliang import intervals
from jiliang.calibration import asfound
from jiliang.errors import Conflict, InvalidInput, PermissionDenied
from jiliang.platform import audit
from jiliang.registry import policy
from jiliang.registry.choices import InstrumentStatus
from jiliang.registry.models import District, Instrument, InstrumentCategory
from jiliang.supervision import due, risk
from jiliang.supervision.choices import Consequence, FindingOutcome, FollowUp
from jiliang.supervision.models import Campaign, CatalogueEntry, Finding
from jiliang.supervision.policy import regulates

_BAD = (FindingOutcome.NONCONFORMING, FindingOutcome.OVERDUE, FindingOutcome.NOT_FILED)


def _regulator(actor: policy.Actor, action: str) -> None:
    if not regulates(actor):
        raise PermissionDenied(action, "only regulators may")


def _state(last: date | None, next_due: date | None, today: date) -> tuple[str, int]:
    if last is None:
        return "never_verified", 0
    if next_due is None:
        return "current", 0
    return due.due_state(due.PERIODIC, True, next_due, today), max((today - next_due).days, 0)


def history_start(today: date, weights: risk.Weights | None = None) -> date:
    """The first day whose calibration and verification records count as recent failure history."""
    years = (weights or risk.Weights()).history_years
    return today - timedelta(days=round(years * 365.25))


def candidates(
    actor: policy.Actor,
    district: District | None = None,
    category: InstrumentCategory | None = None,
    today: date | None = None,
) -> QuerySet[Instrument]:
    """Instruments in service with their findings and their recent records' as-found failures."""
    since = history_start(today or date.today())
    rows = policy.visible(actor, Instrument.objects.filter(status=InstrumentStatus.IN_SERVICE))
    if district is not None:
        rows = rows.filter(Q(district=district) | Q(district__isnull=True, owner__district=district))
    if category is not None:
        rows = rows.filter(category=category)
    return rows.select_related("category", "owner").annotate(
        inspections=Count("findings"),
        failures=Count("findings", filter=Q(findings__outcome__in=_BAD)),
        **asfound.instrument_counts(since),
    )


# The values a score reads: the list scores every instrument in scope without building models.
_SCORED = (
    "pk",
    "last_verification",
    "next_due",
    "category_id",
    "category__service_life_months",
    "inspections",
    "failures",
    "records_judged",
    "records_failed",
)


def score_instrument(row: dict[str, Any], today: date, consequences: dict[int, str]) -> risk.RiskScore:
    """Score one row of ``candidates(...).values(*_SCORED)``."""
    state, days = _state(row["last_verification"], row["next_due"], today)
    # A verification recorded with a later date than today (a data-entry slip) counts as age 0,
    # not as an error that takes the whole early-warning list down.
    start = min(row["last_verification"] or today, today)
    months = row["category__service_life_months"]
    return risk.score(
        consequences.get(row["category_id"], Consequence.OTHER),
        state,
        days,
        int(row["failures"]),
        int(row["inspections"]),
        (today - start).days / 365.25,
        months / 12 if months else None,
        record_failures=int(row["records_failed"] or 0),
        records=int(row["records_judged"] or 0),
    )


def _consequences() -> dict[int, str]:
    return dict(
        CatalogueEntry.objects.filter(version__current=True).values_list("category_id", "consequence")
    )


def ranked(
    actor: policy.Actor,
    today: date,
    district: District | None = None,
    category: InstrumentCategory | None = None,
    limit: int | None = 100,
) -> list[tuple[Instrument, risk.RiskScore]]:
    """The early-warning list: instruments by descending risk (ties: older id first)."""
    _regulator(actor, "view the early-warning list")
    consequences = _consequences()
    rows = candidates(actor, district, category, today).values_list(*_SCORED)
    # Instruments with the same dates, category and counts score the same (a region of 100,000
    # has about 14,000 such groups): score each group once.
    scores: dict[tuple[Any, ...], risk.RiskScore] = {}
    scored = []
    for pk, *values in rows:
        key = tuple(values)
        if key not in scores:
            scores[key] = score_instrument(dict(zip(_SCORED[1:], key, strict=True)), today, consequences)
        scored.append((pk, scores[key]))
    scored.sort(key=lambda pair: (-pair[1].score, pair[0]))
    kept = scored[:limit] if limit else scored
    instruments = candidates(actor, district, category, today).in_bulk([pk for pk, _s in kept])
    return [(instruments[pk], score) for pk, score in kept]


def create_campaign(
    actor: policy.Actor,
    name: str,
    today: date,
    size: int,
    seed: int,
    high_risk: int = 0,
    district: District | None = None,
    category: InstrumentCategory | None = None,
) -> Campaign:
    """Select ``high_risk`` instruments from the top of the list and the rest by a seeded random draw."""
    _regulator(actor, "create an inspection campaign")
    if not name.strip():
        raise InvalidInput("name", "is required")
    if size < 1 or not 0 <= high_risk <= size:
        raise InvalidInput("high_risk", f"{high_risk} must lie between 0 and the campaign size {size}")
    if not 0 <= seed < 2**63:
        raise InvalidInput("seed", f"{seed} must lie in [0, 2^63)")
    pool = ranked(actor, today, district, category, limit=None)
    if len(pool) < size:
        raise InvalidInput("size", f"only {len(pool)} instruments match; cannot select {size}")
    top, rest = pool[:high_risk], pool[high_risk:]
    picks = np.random.Generator(np.random.PCG64(seed)).choice(len(rest), size - high_risk, replace=False)
    chosen = top + [rest[int(i)] for i in sorted(picks)]
    with transaction.atomic():
        campaign = Campaign.objects.create(
            name=name.strip(),
            district=district,
            category=category,
            seed=seed,
            size=size,
            high_risk=high_risk,
            selected=[inst.pk for inst, _ in chosen],
            created_on=today,
            created_by=actor.username,
            scores={str(inst.pk): s.as_dict() for inst, s in chosen},
        )
        audit.record(
            actor=actor.username,
            actor_id=actor.user_id,
            action="create_campaign",
            object_type="supervision.campaign",
            object_id=str(campaign.pk),
            after={"seed": seed, "selected": campaign.selected},
        )
    return campaign


def record_finding(
    actor: policy.Actor,
    campaign: Campaign,
    instrument: Instrument,
    found_on: date,
    outcome: str,
    note: str = "",
    rectification_due: date | None = None,
    months_since_verification: int | None = None,
) -> Finding:
    _regulator(actor, "record a finding")
    if instrument.pk not in campaign.selected:
        raise InvalidInput("instrument", f"{instrument} was not selected for campaign {campaign}")
    if outcome not in FindingOutcome.values:
        raise InvalidInput("outcome", f"{outcome!r} is not one of {', '.join(FindingOutcome.values)}")
    if outcome in _BAD and rectification_due is None:
        raise InvalidInput("rectification_due", "a finding that needs rectification needs a deadline")
    if rectification_due is not None and rectification_due < found_on:
        raise InvalidInput("rectification_due", "lies before the finding")
    try:
        with transaction.atomic():
            finding = Finding.objects.create(
                campaign=campaign,
                instrument=instrument,
                found_on=found_on,
                outcome=outcome,
                note=note,
                rectification_due=rectification_due,
                months_since_verification=months_since_verification,
            )
            audit.record(
                actor=actor.username,
                actor_id=actor.user_id,
                action="finding",
                object_type="supervision.finding",
                object_id=str(finding.pk),
                after={"instrument": instrument.pk, "outcome": outcome},
            )
    except IntegrityError as exc:
        raise Conflict(f"{instrument} already has a finding in this campaign", "instrument") from exc
    return finding


def follow_up(actor: policy.Actor, finding: Finding, on: date, result: str) -> Finding:
    _regulator(actor, "record a follow-up")
    if finding.outcome not in _BAD:
        raise Conflict("a conforming finding needs no follow-up", "follow_up")
    if result not in FollowUp.values:
        raise InvalidInput("follow_up", f"{result!r} is not one of {', '.join(FollowUp.values)}")
    if on < finding.found_on:
        raise InvalidInput("followed_up_on", "lies before the finding")
    with transaction.atomic():
        finding.followed_up_on, finding.follow_up = on, result
        finding.save(update_fields=["followed_up_on", "follow_up"])
        audit.record(
            actor=actor.username,
            actor_id=actor.user_id,
            action="follow_up",
            object_type="supervision.finding",
            object_id=str(finding.pk),
            after={"follow_up": result},
        )
    return finding


def pending_follow_ups(today: date) -> QuerySet[Finding]:
    """Findings whose rectification deadline passed without a follow-up visit."""
    return Finding.objects.filter(
        outcome__in=_BAD, followed_up_on__isnull=True, rectification_due__lt=today
    ).select_related("instrument", "campaign")


def interval_recommendation(category: InstrumentCategory, target: float = 0.90) -> dict[str, Any]:
    """Recommend the category's verification interval from the findings (months since the last
    verification, conforming or not) by the interval test (ILAC-G24 / NCSLI RP-1 A3), beside the
    current interval."""
    rows = list(
        Finding.objects.filter(
            instrument__category=category,
            months_since_verification__gt=0,
            outcome__in=[FindingOutcome.CONFORMING, FindingOutcome.NONCONFORMING],
        ).values_list("months_since_verification", "outcome", "instrument_id")
    )
    current = category.default_interval_months
    if not rows:
        raise InvalidInput("findings", f"no finding of {category.code} records the months since verification")
    history = intervals.make_history(
        [float(r[0] or 0) for r in rows],
        [r[1] == FindingOutcome.CONFORMING for r in rows],
        [str(r[2]) for r in rows],
        unit="month",
    )
    result = intervals.recommend(history, target=target, method="interval-test", current_interval=current)
    return {"category": category.code, "current_interval_months": current, **result.as_dict()}
