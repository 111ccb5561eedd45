"""Use cases of state-based extension: lots, sample draws, results, decisions, forecast, lookup.

Each function checks the actor, validates everything before writing, and appends an audit entry
in the same transaction; a refused request writes nothing.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import numpy as np
from django.db import connection, transaction
from django.db.models import F, QuerySet

from jiliang.errors import Conflict, InvalidInput, InvalidInputs, NotFound
from jiliang.platform import audit
from jiliang.registry.policy import Actor
from jiliang.supervision import deadlines, draw, lots, rules
from jiliang.supervision.choices import LotStatus, MeterStatus
from jiliang.supervision.forecast import Forecast, forecast
from jiliang.supervision.models import Fleet, InspectionResult, Lot, Meter, SampleDraw, SampleMeter
from jiliang.supervision.policy import DECIDE, OPERATE, require

RESERVES = 10


def _audit(actor: Actor, action: str, obj: Any, after: Any) -> None:
    audit.record(
        actor=actor.username,
        actor_id=actor.user_id,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        after=after,
    )


def fleet_rule(fleet: Fleet) -> rules.ExtensionRule:
    return rules.ExtensionRule.from_dict(fleet.rule)


def create_fleet(actor: Actor, data: dict[str, Any]) -> Fleet:
    """Register a fleet; its rule and lot rules are checked before anything is saved."""
    from jiliang.registry import services as registry_services
    from jiliang.registry.models import Institution, InstrumentCategory

    owner = Institution.objects.filter(credit_code=data.get("owner", "")).first()
    if owner is None:
        raise InvalidInput("owner", f"no institution with credit code {data.get('owner')!r}")
    category = InstrumentCategory.objects.filter(code=data.get("category", "electricity_meter")).first()
    if category is None:
        raise InvalidInput("category", f"no instrument category {data.get('category')!r}")
    rules.ExtensionRule.from_dict(data.get("rule"))
    lots.LotRules.from_dict(data.get("lot_rules"))
    points = data.get("test_points") or []
    if not isinstance(points, list) or not all(isinstance(p, str) and p.strip() for p in points):
        raise InvalidInput("test_points", "must be a list of test-point names")
    fields = {k: v for k, v in data.items() if k not in ("owner", "category")}
    fleet = Fleet(owner=owner, category=category, **fields)
    require(actor, OPERATE, fleet)
    registry_services._validate(fleet)
    with transaction.atomic():
        fleet.save()
        _audit(actor, "create", fleet, {"code": fleet.code, "rule": fleet.rule, "lot_rules": fleet.lot_rules})
    return fleet


def get_fleet(code: str) -> Fleet:
    fleet = Fleet.objects.select_related("owner", "category").filter(code=code).first()
    if fleet is None:
        raise NotFound("fleet", code)
    return fleet


def get_lot(fleet: Fleet, number: int) -> Lot:
    lot = Lot.objects.select_related("fleet__owner").filter(fleet=fleet, number=number).first()
    if lot is None:
        raise NotFound("lot", f"{fleet.code}/{number}")
    return lot


def _table(rows: list[tuple[Any, ...]] | QuerySet) -> lots.MeterTable:
    columns = list(zip(*rows, strict=True)) if len(rows) else [()] * 6
    return lots.MeterTable.of(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5])


_COLUMNS = ("meter_type", "ratings", "manufacturer", "model", "verification_year", "excluded")


def _candidates(fleet: Fleet, due_year: int) -> QuerySet:
    """In-service meters falling due in ``due_year`` that are not in an undecided lot."""
    base = fleet.base_years
    return (
        Meter.objects.filter(fleet=fleet, status=MeterStatus.IN_SERVICE)
        .annotate(due=F("verification_year") + base + F("extension_years"))
        .filter(due=due_year)
        .exclude(lot__status__in=[LotStatus.FORMED, LotStatus.NOTIFIED, LotStatus.TESTING])
    )


def form_lots(actor: Actor, fleet: Fleet, due_year: int) -> list[Lot]:
    """Form lots of the meters falling due in ``due_year`` by the fleet's lot-formation rules."""
    require(actor, OPERATE, fleet)
    lot_rules = lots.LotRules.from_dict(fleet.lot_rules)
    ids_rows = list(_candidates(fleet, due_year).order_by("id").values_list("id", *_COLUMNS))
    if not ids_rows:
        return []
    ids = np.array([r[0] for r in ids_rows], dtype=np.int64)
    table = _table([r[1:] for r in ids_rows])
    plan = lots.form_lots(table, lot_rules)
    with transaction.atomic():
        start = (
            Lot.objects.filter(fleet=fleet).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        created = Lot.objects.bulk_create(
            [_lot(fleet, start + i, table, plan, i, due_year, lot_rules) for i in range(plan.count)]
        )
        _assign(ids, plan.lot, [lot.pk for lot in created])
        _audit(
            actor,
            "form_lots",
            fleet,
            {"due_year": due_year, "lots": [c.number for c in created], "meters": int(plan.sizes.sum())},
        )
    return created


def _lot(
    fleet: Fleet,
    number: int,
    table: lots.MeterTable,
    plan: lots.LotPlan,
    i: int,
    due_year: int,
    lot_rules: lots.LotRules,
) -> Lot:
    r = int(plan.representative[i])
    return Lot(
        fleet=fleet,
        number=number,
        meter_type=table.meter_type[r],
        ratings=table.ratings[r],
        manufacturer=table.manufacturer[r] if lot_rules.same_manufacturer else "",
        first_year=int(plan.first_year[i]),
        last_year=int(plan.last_year[i]),
        due_year=due_year,
        size=int(plan.sizes[i]),
    )


def _assign(ids: np.ndarray, lot_index: np.ndarray, pks: list[int]) -> None:
    """Point each meter at its new lot. PostgreSQL: one UPDATE joined to two arrays; elsewhere
    one UPDATE per lot (ids in chunks for SQLite's variable limit)."""
    member = lot_index >= 0
    lot_pk = np.asarray(pks, dtype=np.int64)[lot_index[member]]
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(Meter._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS m SET lot_id = v.lot FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, lot) "
                "WHERE m.id = v.id",
                [ids[member].tolist(), lot_pk.tolist()],
            )
        return
    order = np.argsort(lot_index, kind="stable")
    sorted_lot = lot_index[order]
    for i, pk in enumerate(pks):
        lo, hi = np.searchsorted(sorted_lot, [i, i + 1])
        members = ids[order[lo:hi]].tolist()
        for k in range(0, len(members), 30_000):
            Meter.objects.filter(pk__in=members[k : k + 30_000]).update(lot_id=pk)


def create_lot(actor: Actor, fleet: Fleet, serials: list[str], due_year: int) -> Lot:
    """A hand-picked lot: refused unless every meter fits the lot rules (one type, ratings, ...)."""
    require(actor, OPERATE, fleet)
    lot_rules = lots.LotRules.from_dict(fleet.lot_rules)
    found = {
        m[0]: m
        for m in Meter.objects.filter(fleet=fleet, serial_number__in=serials).values_list(
            "serial_number", "id", *_COLUMNS, "lot__status", "extension_years"
        )
    }
    repeated = [i for i, s in enumerate(serials) if s in serials[:i]]
    if repeated:
        raise InvalidInput(f"meters[{repeated[0]}]", f"meter {serials[repeated[0]]} is listed twice")
    missing = [i for i, s in enumerate(serials) if s not in found]
    if missing:
        raise InvalidInputs(
            [InvalidInput(f"meters[{i}]", f"no meter {serials[i]!r} in fleet {fleet.code}") for i in missing]
        )
    rows = [found[s] for s in serials]
    table = _table([r[2:8] for r in rows])
    lots.check_homogeneous(table, lot_rules, serials)
    busy = [
        i for i, r in enumerate(rows) if r[8] in (LotStatus.FORMED, LotStatus.NOTIFIED, LotStatus.TESTING)
    ]
    if busy:
        raise InvalidInput(f"meters[{busy[0]}]", f"meter {serials[busy[0]]} is already in an open lot")
    not_due = [i for i, r in enumerate(rows) if r[6] + fleet.base_years + r[9] != due_year]
    if not_due:
        i = not_due[0]
        raise InvalidInput(
            f"meters[{i}].verification_year",
            f"meter {serials[i]} falls due in {rows[i][6] + fleet.base_years + rows[i][9]}, not {due_year}",
        )
    plan = lots.LotPlan(
        np.zeros(len(rows), np.int64),
        np.array([len(rows)]),
        np.array([table.verification_year.min()]),
        np.array([table.verification_year.max()]),
        np.array([0]),
    )
    with transaction.atomic():
        number = (
            Lot.objects.filter(fleet=fleet).order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        lot = _lot(fleet, number, table, plan, 0, due_year, lot_rules)
        lot.save()
        Meter.objects.filter(pk__in=[r[1] for r in rows]).update(lot=lot)
        _audit(actor, "create_lot", lot, {"serials": serials, "due_year": due_year})
    return lot


def schedule(lot: Lot) -> deadlines.Schedule:
    fleet = lot.fleet
    return deadlines.schedule(lot.due_year, lot.size, fleet.replacements_per_day, fleet.test_days)


def notify_authority(actor: Actor, lot: Lot, on: date) -> Lot:
    require(actor, OPERATE, lot.fleet)
    if lot.status != LotStatus.FORMED:
        raise Conflict(f"lot {lot} is {lot.status}; only a formed lot is notified", "status")
    with transaction.atomic():
        lot.notified_on, lot.status = on, LotStatus.NOTIFIED
        lot.save(update_fields=["notified_on", "status"])
        _audit(actor, "notify", lot, {"notified_on": on.isoformat()})
    return lot


def draw_sample(actor: Actor, lot: Lot, seed: int, started_on: date) -> SampleDraw:
    """Fix the plan, draw the sample from the stored seed and start testing (deadlines checked)."""
    require(actor, OPERATE, lot.fleet)
    if hasattr(lot, "draw"):
        raise Conflict(
            f"lot {lot} already has a sample (seed {lot.draw.seed}); a plan may not change", "seed"
        )
    deadlines.check_test_start(schedule(lot), lot.notified_on, started_on, lot.fleet.notice_days)
    plan = rules.plan_for(fleet_rule(lot.fleet), lot.size)
    frame = np.fromiter(Meter.objects.filter(lot=lot).values_list("id", flat=True), dtype=np.int64)
    d = draw.draw_sample(frame, plan.sample_size, seed, RESERVES)
    with transaction.atomic():
        record = SampleDraw.objects.create(
            lot=lot,
            seed=seed,
            frame_digest=d.frame_digest,
            frame_size=d.frame_size,
            algorithm=d.algorithm,
            sample=list(d.sample),
            reserves=list(d.reserves),
            drawn_by=actor.username,
        )
        SampleMeter.objects.bulk_create(
            [SampleMeter(draw=record, meter_id=m, position=i) for i, m in enumerate(d.sample)]
        )
        lot.plan, lot.status, lot.started_on = plan.as_dict(), LotStatus.TESTING, started_on
        lot.save(update_fields=["plan", "status", "started_on"])
        _audit(actor, "draw", lot, {"seed": seed, "frame_sha256": d.frame_digest, "sample": list(d.sample)})
    return record


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
        _audit(actor, "replace_sample_meter", lot, {"out": serial, "in": reserve, "reason": reason})
    return new


def record_results(actor: Actor, lot: Lot, rows: list[dict[str, Any]]) -> int:
    """Record errors per sample meter per test point; every row is checked before any is written."""
    require(actor, OPERATE, lot.fleet)
    if lot.status != LotStatus.TESTING:
        raise Conflict(f"lot {lot} is {lot.status}; results are recorded while testing", "status")
    members, points = _members(lot), list(lot.fleet.test_points)
    errors: list[InvalidInput] = []
    objects: list[InspectionResult] = []
    seen: set[tuple[str, str]] = set()
    for i, row in enumerate(rows):
        obj = _result(i, row, members, points, seen, errors, actor)
        if obj is not None:
            objects.append(obj)
    if errors:
        raise InvalidInputs(errors)
    existing = set(
        InspectionResult.objects.filter(member__draw__lot=lot).values_list("member_id", "test_point")
    )
    clash = [o for o in objects if (o.member_id, o.test_point) in existing]
    if clash:
        raise Conflict(
            f"meter {clash[0].member.meter.serial_number} already has a result at {clash[0].test_point!r}",
            "test_point",
        )
    with transaction.atomic():
        InspectionResult.objects.bulk_create(objects)
        _audit(actor, "record_results", lot, {"rows": len(objects)})
    return len(objects)


def _result(
    i: int,
    row: dict[str, Any],
    members: dict[str, SampleMeter],
    points: list[str],
    seen: set,
    errors: list[InvalidInput],
    actor: Actor,
) -> InspectionResult | None:
    serial, point = str(row.get("serial_number", "")).strip(), str(row.get("test_point", "")).strip()
    member = members.get(serial)
    if member is None:
        errors.append(
            InvalidInput(f"results[{i}].serial_number", f"meter {serial!r} is not in the sample of this lot")
        )
    if points and point not in points:
        errors.append(
            InvalidInput(
                f"results[{i}].test_point",
                f"{point!r} is not a test point of the fleet ({', '.join(points)})",
            )
        )
    elif not point:
        errors.append(InvalidInput(f"results[{i}].test_point", "is required"))
    values = {}
    for name in ("error_percent", "mpe_percent"):
        try:
            values[name] = float(row.get(name))  # type: ignore[arg-type]
            if not math.isfinite(values[name]):
                raise ValueError
        except (TypeError, ValueError):
            errors.append(InvalidInput(f"results[{i}].{name}", f"{row.get(name)!r} is not a finite number"))
    if "mpe_percent" in values and values["mpe_percent"] <= 0:
        errors.append(InvalidInput(f"results[{i}].mpe_percent", "must be positive"))
    if (serial, point) in seen:
        errors.append(
            InvalidInput(f"results[{i}].test_point", f"meter {serial} at {point!r} is listed twice")
        )
    seen.add((serial, point))
    if member is None or len(values) < 2:
        return None
    return InspectionResult(
        member=member,
        test_point=point,
        error_percent=values["error_percent"],
        mpe_percent=values["mpe_percent"],
        conforming=abs(values["error_percent"]) <= values["mpe_percent"],
        recorded_by=actor.username,
    )


def decide(actor: Actor, lot: Lot, on: date) -> rules.Decision:
    """Decide the lot from its complete sample: extend every meter by N years or rotate the lot."""
    require(actor, DECIDE, lot.fleet)
    if lot.status != LotStatus.TESTING:
        raise Conflict(f"lot {lot} is {lot.status}; only a lot under test can be decided", "status")
    deadlines.check_decision_date(schedule(lot), on)
    rule = fleet_rule(lot.fleet)
    members = list(
        SampleMeter.objects.filter(draw__lot=lot, inaccessible=False)
        .select_related("meter")
        .prefetch_related("results")
        .order_by("position")
    )
    flags, values, mpe, missing = _sample_outcome(members, rule, list(lot.fleet.test_points))
    if missing:
        raise InvalidInputs(
            [
                InvalidInput(f"results.{serial}", f"no result yet at {', '.join(points)}")
                for serial, points in missing[:20]
            ]
        )
    plan = rules.Plan(**lot.plan)
    decision = rules.decide(rule, plan, flags, values if rule.kind == "variables" else None, mpe)
    with transaction.atomic():
        lot.status, lot.decided_on, lot.outcome = LotStatus.DECIDED, on, decision.outcome
        lot.extension_years = decision.extension_years
        lot.decision = {
            "nonconforming": decision.nonconforming,
            "sample_size": decision.sample_size,
            "accepted": decision.accepted,
            **decision.detail,
        }
        lot.save(update_fields=["status", "decided_on", "outcome", "extension_years", "decision"])
        meters = Meter.objects.filter(lot=lot)
        if decision.accepted:
            meters.update(extension_years=F("extension_years") + decision.extension_years)
        else:
            meters.update(status=MeterStatus.ROTATE, excluded=True)
        _audit(actor, "decide", lot, {"outcome": decision.outcome, **lot.decision})
    return decision


def _sample_outcome(members: list[SampleMeter], rule: rules.ExtensionRule, points: list[str]):
    flags, values, missing = [], [], []
    mpe: float | None = None
    for member in members:
        results = {r.test_point: r for r in member.results.all()}
        need = points or ([rule.test_point] if rule.test_point else [])
        lacking = [p for p in need if p not in results] or ([] if results else ["any test point"])
        if lacking:
            missing.append((member.meter.serial_number, lacking))
            continue
        flags.append(not all(r.conforming for r in results.values()))
        if rule.kind == "variables":
            values.append(results[rule.test_point].error_percent)
            mpe = results[rule.test_point].mpe_percent
    return flags, values, mpe, missing


def fleet_forecast(fleet: Fleet, first: int, last: int) -> Forecast:
    """Meters of the fleet still in service falling due per year, with and without extensions."""
    rows = Meter.objects.filter(fleet=fleet).exclude(status=MeterStatus.REPLACED)
    vy = np.fromiter(rows.values_list("verification_year", flat=True), dtype=np.int64)
    ext = np.fromiter(rows.values_list("extension_years", flat=True), dtype=np.int64)
    return forecast(vy, ext, fleet.base_years, first, last)


def lookup_meter(serial_number: str) -> list[dict[str, Any]]:
    """The public view of a meter: its verification year, lot, granted extension and due date.

    The extension is not marked on the meter (§ 35 MessEV practice), so this is where a consumer
    sees it.
    """
    serial = serial_number.strip()
    if not serial:
        raise InvalidInput("serial_number", "is required")
    found = []
    for meter in (
        Meter.objects.filter(serial_number=serial).select_related("fleet", "lot").order_by("fleet__code")
    ):
        lot = meter.lot
        found.append(
            {
                "serial_number": meter.serial_number,
                "fleet": meter.fleet.name,
                "meter_type": meter.meter_type,
                "manufacturer": meter.manufacturer,
                "model": meter.model,
                "verification_year": meter.verification_year,
                "status": meter.status,
                "original_due_year": meter.verification_year + meter.fleet.base_years,
                "extension_years": meter.extension_years,
                "due_year": meter.due_year,
                "valid_until": deadlines.expiry_of(meter.due_year).isoformat(),
                "lot": str(lot) if lot else None,
                "lot_outcome": lot.outcome if lot else None,
            }
        )
    return found
