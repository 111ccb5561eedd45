"""Use cases of the in-service inspection of lots: notify, draw, replace, decide (results are
recorded by :mod:`jiliang.supervision.results`).

Each works on a batch of lots of one fleet (a due year's lots at once, or a single lot: the CLI, API
and web call the same functions with one lot). A batch is checked completely before anything is
written, written in a few set-based statements, and audited as one entry (its lots, counts and the
digests of what was drawn); a refused batch writes nothing.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import connection, transaction

from jiliang.errors import Conflict, InvalidInput, InvalidInputs
from jiliang.platform import audit
from jiliang.registry.bulk.write import _insert_fast
from jiliang.registry.policy import Actor
from jiliang.supervision import deadlines, draw, membership, rules
from jiliang.supervision.choices import LotStatus
from jiliang.supervision.models import Fleet, InspectionResult, Lot, Meter, SampleDraw, SampleMeter
from jiliang.supervision.policy import DECIDE, OPERATE, require

RESERVES = 10


def record_audit(actor: Actor, action: str, obj: Any, after: Any) -> None:
    audit.record(
        actor=actor.username,
        actor_id=actor.user_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        after=after,
    )


def _audit_batch(actor: Actor, action: str, lots: Sequence[Lot], after: dict[str, Any]) -> None:
    """One entry per batch: on the lot itself when there is one, else on the fleet, naming the lots."""
    if len(lots) == 1:
        record_audit(actor, action, lots[0], after)
    else:
        record_audit(actor, action, lots[0].fleet, {"lots": [x.number for x in lots], **after})


def fleet_rule(fleet: Fleet) -> rules.ExtensionRule:
    return rules.ExtensionRule.from_dict(fleet.rule)


def schedule(lot: Lot) -> deadlines.Schedule:
    fleet = lot.fleet
    return deadlines.schedule(lot.due_year, lot.size, fleet.replacements_per_day, fleet.test_days)


def _one_fleet(actor: Actor, lots: Sequence[Lot], action: str) -> Fleet:
    if not lots:
        raise InvalidInput("lots", "name at least one lot")
    fleet = lots[0].fleet
    if any(x.fleet_id != fleet.pk for x in lots):
        raise InvalidInput("lots", "a batch holds lots of one fleet")
    seen: set[int] = set()
    for i, x in enumerate(lots):
        if x.pk in seen:
            raise InvalidInput(f"lots[{i}]", f"lot {x} is named twice")
        seen.add(x.pk)
    require(actor, action, fleet)
    return fleet


def _status(lots: Sequence[Lot], wanted: str, doing: str) -> None:
    for x in lots:
        if x.status != wanted:
            raise Conflict(f"lot {x} is {x.status}; {doing}", "status")


def notify_lots(actor: Actor, lots: Sequence[Lot], on: date) -> list[Lot]:
    """Record that the authority was notified of these lots on ``on`` (before testing starts)."""
    _one_fleet(actor, lots, OPERATE)
    _status(lots, LotStatus.FORMED, "only a formed lot is notified")
    with transaction.atomic():
        Lot.objects.filter(pk__in=[x.pk for x in lots]).update(notified_on=on, status=LotStatus.NOTIFIED)
        for x in lots:
            x.notified_on, x.status = on, LotStatus.NOTIFIED
        _audit_batch(actor, "notify", lots, {"notified_on": on.isoformat()})
    return list(lots)


def notify_authority(actor: Actor, lot: Lot, on: date) -> Lot:
    return notify_lots(actor, [lot], on)[0]


def draw_samples(actor: Actor, seeds: Sequence[tuple[Lot, int]], started_on: date) -> list[SampleDraw]:
    """Fix each lot's plan, draw its sample from its stored frame and seed, start testing."""
    lots = [x for x, _ in seeds]
    fleet = _one_fleet(actor, lots, OPERATE)
    drawn = SampleDraw.objects.filter(lot__in=lots).select_related("lot").first()
    if drawn is not None:
        raise Conflict(
            f"lot {drawn.lot} already has a sample (seed {drawn.seed}); a plan may not change", "seed"
        )
    for lot, _ in seeds:
        deadlines.check_test_start(schedule(lot), lot.notified_on, started_on, fleet.notice_days)
    plans = rules.plans_for(fleet_rule(fleet), [lot.size for lot in lots])
    draws = []
    for lot, seed in seeds:
        draws.append(
            draw.draw_sample(membership.decode(lot.frame), plans[lot.size].sample_size, seed, RESERVES)
        )
    with transaction.atomic():
        records = SampleDraw.objects.bulk_create(
            [
                SampleDraw(
                    lot=lot,
                    seed=seed,
                    frame_digest=d.frame_digest,
                    frame_size=d.frame_size,
                    algorithm=d.algorithm,
                    sample=list(d.sample),
                    reserves=list(d.reserves),
                    drawn_by=actor.username,
                )
                for (lot, seed), d in zip(seeds, draws, strict=True)
            ]
        )
        members = (
            (r.pk, m, i, False, "")
            for r, d in zip(records, draws, strict=True)
            for i, m in enumerate(d.sample)
        )
        _insert_fast(
            SampleMeter._meta.db_table, ("draw_id", "meter_id", "position", "inaccessible", "reason"), members
        )
        for lot in lots:
            lot.plan, lot.status, lot.started_on = plans[lot.size].as_dict(), LotStatus.TESTING, started_on
        _set_lots(lots, ["plan", "status", "started_on"])
        _audit_batch(actor, "draw", lots, _draw_audit(seeds, draws))
    return records


def _set_lots(lots: Sequence[Lot], fields: list[str]) -> None:
    """Save ``fields`` of many lots: one prepared UPDATE run for all (Django's ``bulk_update``
    builds a CASE expression per field and lot, which takes longer than the work itself)."""
    columns = [c for c in Lot._meta.concrete_fields if c.name in fields]
    quote = connection.ops.quote_name
    json_cast = "::jsonb" if connection.vendor == "postgresql" else ""
    sets = ", ".join(
        f"{quote(str(c.column))} = %s{json_cast if c.get_internal_type() == 'JSONField' else ''}"
        for c in columns
    )
    rows = [
        [
            json.dumps(v) if c.get_internal_type() == "JSONField" else v
            for c, v in ((c, getattr(x, c.attname)) for c in columns)
        ]
        + [x.pk]
        for x in lots
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {quote(Lot._meta.db_table)} SET {sets} WHERE id = %s", rows)


def _draw_audit(seeds: Sequence[tuple[Lot, int]], draws: list[draw.Draw]) -> dict[str, Any]:
    if len(draws) == 1:
        d = draws[0]
        return {"seed": d.seed, "frame_sha256": d.frame_digest, "sample": list(d.sample)}
    digest = hashlib.sha256()
    for (lot, seed), d in zip(seeds, draws, strict=True):
        digest.update(f"{lot.number}:{seed}:{d.frame_digest}:{','.join(map(str, d.sample))}\n".encode())
    return {
        "seeds": [s for _, s in seeds],
        "sample_meters": sum(len(d.sample) for d in draws),
        "draws_sha256": digest.hexdigest(),
    }


def draw_sample(actor: Actor, lot: Lot, seed: int, started_on: date) -> SampleDraw:
    """Fix the plan, draw the sample from the stored seed and start testing (deadlines checked)."""
    return draw_samples(actor, [(lot, seed)], started_on)[0]


def _members(lot: Lot) -> dict[str, SampleMeter]:
    return {
        m.meter.serial_number: m
        for m in SampleMeter.objects.filter(draw__lot=lot, inaccessible=False).select_related("meter")
    }


def replace_sample_meter(actor: Actor, lot: Lot, serial: str, reason: str) -> SampleMeter:
    """Mark an inaccessible sample meter and bring in the next unused reserve."""
    require(actor, OPERATE, lot.fleet)
    members = _members(lot)
    if serial not in members:
        raise InvalidInput("serial_number", f"meter {serial} is not in the sample of lot {lot}")
    if not reason.strip():
        raise InvalidInput("reason", "say why the meter cannot be tested")
    old = members[serial]
    if old.results.exists():
        raise Conflict(f"meter {serial} already has results; it cannot be replaced", "serial_number")
    used = set(SampleMeter.objects.filter(draw=old.draw).values_list("meter_id", flat=True))
    reserve = draw.next_reserve(draw.Draw(0, "", 0, (), tuple(old.draw.reserves)), used)
    with transaction.atomic():
        old.inaccessible, old.reason = True, reason.strip()
        old.save(update_fields=["inaccessible", "reason"])
        position = SampleMeter.objects.filter(draw=old.draw).count()
        new = SampleMeter.objects.create(draw=old.draw, meter_id=reserve, position=position, replaces=old)
        record_audit(actor, "replace_sample_meter", lot, {"out": serial, "in": reserve, "reason": reason})
    return new


def decide_lots(actor: Actor, lots: Sequence[Lot], on: date) -> list[rules.Decision]:
    """Decide each lot from its complete sample: extend its meters by N years or rotate the lot.

    The outcome is written on the lot only: its meters' due years, and for a rotated lot their
    state (to be rotated, out of later lots), follow from it (:mod:`.membership`).
    """
    fleet = _one_fleet(actor, lots, DECIDE)
    _status(lots, LotStatus.TESTING, "only a lot under test can be decided")
    for x in lots:
        deadlines.check_decision_date(schedule(x), on)
    rule, points = fleet_rule(fleet), list(fleet.test_points)
    samples = _samples(lots)
    decisions, missing = [], []
    for x in lots:
        flags, values, mpe, lacking = _sample_outcome(samples.get(x.pk, []), rule, points)
        missing.extend(lacking)
        if not lacking:
            plan = rules.Plan(**x.plan)
            decisions.append(
                rules.decide(rule, plan, flags, values if rule.kind == "variables" else None, mpe)
            )
    if missing:
        ids = [meter for meter, _ in missing[:20]]
        serials = dict(Meter.objects.filter(pk__in=ids).values_list("id", "serial_number"))
        raise InvalidInputs(
            [
                InvalidInput(f"results.{serials[meter]}", f"no result yet at {', '.join(p)}")
                for meter, p in missing[:20]
            ]
        )
    with transaction.atomic():
        for x, d in zip(lots, decisions, strict=True):
            x.status, x.decided_on, x.outcome, x.extension_years = (
                LotStatus.DECIDED,
                on,
                d.outcome,
                d.extension_years,
            )
            x.decision = {
                "nonconforming": d.nonconforming,
                "sample_size": d.sample_size,
                "accepted": d.accepted,
                **d.detail,
            }
        _set_lots(lots, ["status", "decided_on", "outcome", "extension_years", "decision"])
        rotated = [x for x, d in zip(lots, decisions, strict=True) if not d.accepted]
        after = (
            {"outcome": decisions[0].outcome, **lots[0].decision}
            if len(lots) == 1
            else {
                "extended": len(lots) - len(rotated),
                "rotated": [x.number for x in rotated],
                "decided_on": on.isoformat(),
            }
        )
        _audit_batch(actor, "decide", lots, after)
    return decisions


def decide(actor: Actor, lot: Lot, on: date) -> rules.Decision:
    return decide_lots(actor, [lot], on)[0]


def _samples(lots: Sequence[Lot]) -> dict[int, list[tuple[int, dict[str, tuple[float, float, bool]]]]]:
    """Per lot, its accessible sample meters (ids) in order, each with its results by test point."""
    members = list(
        SampleMeter.objects.filter(draw__lot__in=lots, inaccessible=False)
        .order_by("draw__lot_id", "position")
        .values_list("id", "draw__lot_id", "meter_id")
    )
    results: dict[int, dict[str, tuple[float, float, bool]]] = {m: {} for m, _, _ in members}
    query = InspectionResult.objects.filter(member__draw__lot__in=lots, member__inaccessible=False)
    for member, point, error, mpe, ok in query.values_list(
        "member_id", "test_point", "error_percent", "mpe_percent", "conforming"
    ):
        results[member][point] = (error, mpe, ok)
    out: dict[int, list[tuple[int, dict[str, tuple[float, float, bool]]]]] = {}
    for member, lot, meter in members:
        out.setdefault(lot, []).append((meter, results[member]))
    return out


def _sample_outcome(
    members: list[tuple[int, dict[str, tuple[float, float, bool]]]],
    rule: rules.ExtensionRule,
    points: list[str],
) -> tuple[list[bool], list[float], float | None, list[tuple[int, list[str]]]]:
    flags: list[bool] = []
    values: list[float] = []
    missing: list[tuple[int, list[str]]] = []
    mpe: float | None = None
    need = points or ([rule.test_point] if rule.test_point else [])
    for meter, results in members:
        lacking = [p for p in need if p not in results] or ([] if results else ["any test point"])
        if lacking:
            missing.append((meter, lacking))
            continue
        flags.append(not all(ok for _, _, ok in results.values()))
        if rule.kind == "variables":
            values.append(results[rule.test_point][0])
            mpe = results[rule.test_point][1]
    return flags, values, mpe, missing
