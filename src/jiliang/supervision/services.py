"""Use cases of state-based extension: fleets, lots, forecast, lookup (and, re-exported from
:mod:`jiliang.supervision.inspection`, notification, sample draws, results and decisions).

Each function checks the actor, validates everything before writing, and appends an audit entry
in the same transaction; a refused request writes nothing.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import QuerySet

from jiliang.errors import InvalidInput, InvalidInputs, NotFound
from jiliang.registry.policy import Actor
from jiliang.supervision import deadlines, lots, membership, rules
from jiliang.supervision.choices import MeterStatus, Outcome
from jiliang.supervision.forecast import Forecast, forecast
from jiliang.supervision.inspection import (  # the services of inspection, one import path
    decide,
    decide_lots,
    draw_sample,
    draw_samples,
    fleet_rule,
    notify_authority,
    notify_lots,
    record_audit,
    replace_sample_meter,
    schedule,
)
from jiliang.supervision.models import Fleet, Lot, Meter
from jiliang.supervision.policy import OPERATE, require
from jiliang.supervision.results import record_lot_results, record_results

__all__ = [
    "create_fleet",
    "create_lot",
    "decide",
    "decide_lots",
    "draw_sample",
    "draw_samples",
    "fleet_forecast",
    "fleet_rule",
    "form_lots",
    "get_fleet",
    "get_lot",
    "lookup_meter",
    "notify_authority",
    "notify_lots",
    "record_lot_results",
    "record_results",
    "replace_sample_meter",
    "rules",
    "schedule",
]


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
        record_audit(
            actor, "create", fleet, {"code": fleet.code, "rule": fleet.rule, "lot_rules": fleet.lot_rules}
        )
    return fleet


def get_fleet(code: str) -> Fleet:
    fleet = Fleet.objects.select_related("owner", "category").filter(code=code).first()
    if fleet is None:
        raise NotFound("fleet", code)
    return fleet


def get_lot(fleet: Fleet, number: int) -> Lot:
    lot = Lot.objects.select_related("fleet__owner").defer("frame").filter(fleet=fleet, number=number).first()
    if lot is None:
        raise NotFound("lot", f"{fleet.code}/{number}")
    return lot


def _table(rows: list[tuple[Any, ...]] | QuerySet) -> lots.MeterTable:
    columns = list(zip(*rows, strict=True)) if len(rows) else [()] * 6
    return lots.MeterTable.of(columns[0], columns[1], columns[2], columns[3], columns[4], columns[5])


_COLUMNS = ("meter_type", "ratings", "manufacturer", "model", "verification_year", "excluded")


def _next_number(fleet: Fleet) -> int:
    last = Lot.objects.filter(fleet=fleet).order_by("-number").values_list("number", flat=True).first()
    return (last or 0) + 1


def form_lots(actor: Actor, fleet: Fleet, due_year: int) -> list[Lot]:
    """Form lots of the meters falling due in ``due_year`` by the fleet's lot-formation rules.

    The candidates come from the fleet's meter cells and lot frames (:func:`.membership.candidates`),
    are grouped into lots by :func:`jiliang.supervision.lots.form_lots_of_cells`, and each lot is
    written once with its members (its frame); no meter row is written. The fleet row is locked
    meanwhile, so that two requests cannot form the same lots.
    """
    require(actor, OPERATE, fleet)
    lot_rules = lots.LotRules.from_dict(fleet.lot_rules)
    with transaction.atomic():
        list(Fleet.objects.select_for_update().filter(pk=fleet.pk).values_list("pk", flat=True))
        formed = lots.form_lots_of_cells(membership.candidates(fleet, due_year), lot_rules)
        if not formed:
            return []
        start = _next_number(fleet)
        created = Lot.objects.bulk_create(
            [_lot(fleet, start + i, f, due_year) for i, f in enumerate(formed)], batch_size=200
        )
        digest = hashlib.sha256(b"".join(bytes(x.frame) for x in created)).hexdigest()
        record_audit(
            actor,
            "form_lots",
            fleet,
            {
                "due_year": due_year,
                "lots": [c.number for c in created],
                "meters": sum(f.size for f in formed),
                "frames_sha256": digest,
            },
        )
    return created


def _lot(fleet: Fleet, number: int, f: lots.FormedLot, due_year: int) -> Lot:
    return Lot(
        fleet=fleet,
        number=number,
        meter_type=f.meter_type,
        ratings=f.ratings,
        manufacturer=f.manufacturer,
        first_year=f.first_year,
        last_year=f.last_year,
        due_year=due_year,
        size=f.size,
        frame=membership.encode(f.ids),
    )


def create_lot(actor: Actor, fleet: Fleet, serials: list[str], due_year: int) -> Lot:
    """A hand-picked lot: refused unless every meter fits the lot rules (one type, ratings, ...)."""
    require(actor, OPERATE, fleet)
    lot_rules = lots.LotRules.from_dict(fleet.lot_rules)
    found = {
        m[0]: m
        for m in Meter.objects.filter(fleet=fleet, serial_number__in=serials).values_list(
            "serial_number", "id", *_COLUMNS
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
    _check_due(fleet, serials, rows, due_year)
    ids = np.array([r[1] for r in rows], dtype=np.int64)
    formed = lots.FormedLot(
        str(table.meter_type[0]),
        str(table.ratings[0]),
        str(table.manufacturer[0]) if lot_rules.same_manufacturer else "",
        int(table.verification_year.min()),
        int(table.verification_year.max()),
        np.sort(ids),
    )
    with transaction.atomic():
        lot = _lot(fleet, _next_number(fleet), formed, due_year)
        lot.save()
        record_audit(actor, "create_lot", lot, {"serials": serials, "due_year": due_year})
    return lot


def _check_due(fleet: Fleet, serials: list[str], rows: list[tuple[Any, ...]], due_year: int) -> None:
    """Each meter must be in no open lot and fall due in ``due_year``."""
    held = membership.lots_of_many(fleet, [r[1] for r in rows], rows[0][2], rows[0][3])
    for i, row in enumerate(rows):
        latest = held[row[1]].latest
        if latest is not None and latest.status in membership.OPEN:
            raise InvalidInput(f"meters[{i}]", f"meter {serials[i]} is already in an open lot")
        if latest is not None and latest.outcome == Outcome.ROTATE:
            raise InvalidInput(
                f"meters[{i}]", f"meter {serials[i]} is excluded from lots (lot {latest} failed)"
            )
        due = row[6] + fleet.base_years + held[row[1]].extension_years
        if due != due_year:
            raise InvalidInput(
                f"meters[{i}].verification_year", f"meter {serials[i]} falls due in {due}, not {due_year}"
            )


def fleet_forecast(fleet: Fleet, first: int, last: int) -> Forecast:
    """Meters of the fleet still in service falling due per year, with and without extensions."""
    vy, ext = membership.due_years(fleet)
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
    for meter in Meter.objects.filter(serial_number=serial).select_related("fleet").order_by("fleet__code"):
        held = membership.lots_of(meter)
        lot, ext = held.latest, held.extension_years
        due = meter.verification_year + meter.fleet.base_years + ext
        rotate = lot is not None and lot.outcome == Outcome.ROTATE and meter.status == MeterStatus.IN_SERVICE
        found.append(
            {
                "serial_number": meter.serial_number,
                "fleet": meter.fleet.name,
                "meter_type": meter.meter_type,
                "manufacturer": meter.manufacturer,
                "model": meter.model,
                "verification_year": meter.verification_year,
                "status": MeterStatus.ROTATE.value if rotate else meter.status,
                "original_due_year": meter.verification_year + meter.fleet.base_years,
                "extension_years": ext,
                "due_year": due,
                "valid_until": deadlines.expiry_of(due).isoformat(),
                "lot": str(lot) if lot else None,
                "lot_outcome": lot.outcome if lot else None,
            }
        )
    return found
