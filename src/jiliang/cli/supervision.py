"""``jiliang fleet ...``: state-based extension of meter fleets from the command line.

``create``, ``import``, ``lots`` (list or ``--form``), ``notify``, ``sample``, ``replace``,
``results``, ``decide``, ``forecast`` (numbers, or ``--svg``) and ``lookup``; the batch forms of
steps 2-5 (``notify-lots``, ``draw-samples``, ``record-lot-results``, ``decide-lots``) are in
:mod:`jiliang.cli.fleet_batch`. Every command runs in one transaction through the same services as
the web and the API.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import date
from typing import Any

from jiliang.cli.output import dumps, emit
from jiliang.cli.platform import setup_django
from jiliang.errors import InvalidInput, InvalidInputs


def _setup(args: argparse.Namespace) -> Any:
    setup_django()
    from django.core.management import call_command

    from jiliang.cli.registry import _actor

    call_command("migrate", "--noinput", verbosity=0)
    return _actor(getattr(args, "as_user", None))


def _day(text: str | None, field: str) -> date:
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _json(text: str | None, field: str) -> Any:
    if not text:
        return None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(field, f"not JSON: {exc}") from None


def _lot_summary(lot: Any) -> dict[str, Any]:
    return {
        "number": lot.number,
        "meter_type": lot.meter_type,
        "ratings": lot.ratings,
        "manufacturer": lot.manufacturer,
        "years": [lot.first_year, lot.last_year],
        "due_year": lot.due_year,
        "size": lot.size,
        "status": lot.status,
        "outcome": lot.outcome or None,
        "extension_years": lot.extension_years,
    }


def create(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.supervision import services

    data: dict[str, Any] = {
        "code": args.code,
        "name": args.name or args.code,
        "owner": args.owner,
        "category": args.category,
        "base_years": args.base_years,
        "test_points": [p.strip() for p in args.test_points.split(",") if p.strip()],
    }
    for key in ("rule", "lot_rules"):
        value = _json(getattr(args, key), key)
        if value is not None:
            data[key] = value
    with transaction.atomic():
        fleet = services.create_fleet(actor, data)
    print(dumps({"fleet": fleet.code, "rule": fleet.rule, "lot_rules": fleet.lot_rules}))
    return 0


def import_(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from jiliang.supervision import services
    from jiliang.supervision.fleet_import import NOTHING_IMPORTED, import_fleet

    fleet = services.get_fleet(args.fleet)
    try:
        with open(args.file, encoding="utf-8", newline="") as stream:
            result = import_fleet(actor, fleet, stream)
    except InvalidInputs as exc:
        for error in exc.errors:
            print(f"jiliang: {error}", file=sys.stderr)
        print(f"jiliang: {NOTHING_IMPORTED}", file=sys.stderr)
        return 2
    print(dumps({"imported": result.imported, "sha256": result.sha256}))
    return 0


def lots(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.supervision import services
    from jiliang.supervision.models import Lot
    from jiliang.supervision.policy import READ, require

    fleet = services.get_fleet(args.fleet)
    if args.form:
        if args.due_year is None:
            raise InvalidInput("due_year", "--form needs --due-year")
        with transaction.atomic():
            found = services.form_lots(actor, fleet, args.due_year)
    else:
        require(actor, READ, fleet)
        found = list(
            Lot.objects.filter(fleet=fleet).select_related("fleet").defer("frame").order_by("number")
        )
    print(dumps([_lot_summary(lot) for lot in found]))
    return 0


def _lot(args: argparse.Namespace) -> tuple[Any, Any]:
    actor = _setup(args)
    from jiliang.supervision import services

    return actor, services.get_lot(services.get_fleet(args.fleet), args.lot)


def notify(args: argparse.Namespace) -> int:
    actor, lot = _lot(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        services.notify_authority(actor, lot, _day(args.on, "on"))
    print(dumps(_lot_summary(lot)))
    return 0


def _draw_summary(draws: list[tuple[Any, Any]]) -> list[dict[str, Any]]:
    """(lot, SampleDraw) pairs as printed: meters by serial number (one query for all)."""
    from jiliang.supervision.models import Meter

    ids = [i for _, d in draws for i in (*d.sample, *d.reserves)]
    serials = dict(Meter.objects.filter(pk__in=ids).values_list("id", "serial_number"))
    return [
        {
            "lot": lot.number,
            "plan": lot.plan,
            "seed": d.seed,
            "frame_sha256": d.frame_digest,
            "frame_size": d.frame_size,
            "sample": [serials[i] for i in d.sample],
            "reserves": [serials[i] for i in d.reserves],
        }
        for lot, d in draws
    ]


def sample(args: argparse.Namespace) -> int:
    actor, lot = _lot(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        d = services.draw_sample(actor, lot, args.seed, _day(args.start, "start"))
    print(dumps(_draw_summary([(lot, d)])[0]))
    return 0


def replace(args: argparse.Namespace) -> int:
    actor, lot = _lot(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        new = services.replace_sample_meter(actor, lot, args.serial, args.reason)
    print(dumps({"replaced": args.serial, "by": new.meter.serial_number}))
    return 0


def _record_results(actor: Any, lots: list[Any], path: str) -> int | None:
    """Record the results of a CSV file for ``lots`` (one transaction); ``None`` after printing
    every refused row (then nothing was recorded)."""
    from django.db import transaction

    from jiliang.supervision import services

    with open(path, encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    try:
        with transaction.atomic():
            return services.record_lot_results(actor, lots, rows)
    except InvalidInputs as exc:
        for error in exc.errors:
            print(f"jiliang: {error}", file=sys.stderr)
        print("jiliang: no result was recorded", file=sys.stderr)
        return None


def results(args: argparse.Namespace) -> int:
    actor, lot = _lot(args)
    count = _record_results(actor, [lot], args.file)
    if count is None:
        return 2
    print(dumps({"recorded": count}))
    return 0


def _decision_summary(lot: Any, decision: Any) -> dict[str, Any]:
    return {
        "lot": lot.number,
        "outcome": decision.outcome,
        "extension_years": decision.extension_years,
        "sample_size": decision.sample_size,
        "nonconforming": decision.nonconforming,
        **decision.detail,
    }


def decide(args: argparse.Namespace) -> int:
    actor, lot = _lot(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        decision = services.decide(actor, lot, _day(args.on, "on"))
    print(dumps(_decision_summary(lot, decision)))
    return 0


def forecast(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from jiliang.supervision import services
    from jiliang.supervision.forecast import forecast_svg
    from jiliang.supervision.policy import READ, require

    fleet = services.get_fleet(args.fleet)
    require(actor, READ, fleet)
    first = args.first or date.today().year
    fc = services.fleet_forecast(fleet, first, args.last or first + 12)
    if args.svg:
        emit(forecast_svg(fc), args.svg)
    print(dumps(fc.as_dict()))
    return 0


def lookup(args: argparse.Namespace) -> int:
    _setup(args)
    from jiliang.supervision import services

    found = services.lookup_meter(args.serial)
    print(dumps(found))
    return 0 if found else 1


def _fleet_lot(p: argparse.ArgumentParser) -> None:
    p.add_argument("fleet", help="fleet code")
    p.add_argument("lot", type=int, help="lot number")
    p.add_argument("--as", dest="as_user", help="act as this user (their permissions apply); default: system")


def _group_help(group: argparse.ArgumentParser) -> Any:
    """A group named without a subcommand prints its own help and exits 2 (usage)."""

    def show(args: argparse.Namespace) -> int:
        group.print_help()
        return 2

    return show


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("fleet", help="meter fleets: lots, sampling, extension decisions, forecast")
    group.set_defaults(func=_group_help(group))
    sub = group.add_subparsers(dest="fleet_command", metavar="SUBCOMMAND")
    p = sub.add_parser("create", help="register a fleet and its extension rule")
    p.add_argument("code")
    p.add_argument("--name")
    p.add_argument("--owner", required=True, help="the owner's unified social credit code")
    p.add_argument("--category", default="electricity_meter")
    p.add_argument("--base-years", type=int, default=8)
    p.add_argument("--rule", help='JSON, e.g. {"kind": "lq", "extension_years": 4, "limiting_quality": 5}')
    p.add_argument("--lot-rules", help='JSON, e.g. {"max_year_span": 2, "same_manufacturer": true}')
    p.add_argument("--test-points", default="", help="comma-separated test points, e.g. 'Ib,Imax'")
    p.add_argument("--as", dest="as_user")
    p.set_defaults(func=create)
    p = sub.add_parser("import", help="import meters from CSV (all or nothing)")
    p.add_argument("fleet")
    p.add_argument("file")
    p.add_argument("--as", dest="as_user")
    p.set_defaults(func=import_)
    p = sub.add_parser("lots", help="list the lots, or form them with --form --due-year Y")
    p.add_argument("fleet")
    p.add_argument("--form", action="store_true")
    p.add_argument("--due-year", type=int)
    p.add_argument("--as", dest="as_user")
    p.set_defaults(func=lots)
    p = sub.add_parser("notify", help="record that the authority was notified")
    _fleet_lot(p)
    p.add_argument("--on", help="ISO date (default: today)")
    p.set_defaults(func=notify)
    p = sub.add_parser("sample", help="fix the plan and draw the sample (start of testing)")
    _fleet_lot(p)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--start", help="ISO date testing starts (default: today)")
    p.set_defaults(func=sample)
    p = sub.add_parser("replace", help="replace an inaccessible sample meter by the next reserve")
    _fleet_lot(p)
    p.add_argument("serial")
    p.add_argument("--reason", required=True)
    p.set_defaults(func=replace)
    p = sub.add_parser(
        "results", help="record results from CSV (serial_number,test_point,error_percent,mpe_percent)"
    )
    _fleet_lot(p)
    p.add_argument("file")
    p.set_defaults(func=results)
    p = sub.add_parser("decide", help="decide the lot: extend by N years or rotate")
    _fleet_lot(p)
    p.add_argument("--on", help="ISO date (default: today)")
    p.set_defaults(func=decide)
    from jiliang.cli import fleet_batch

    fleet_batch.register(sub)
    p = sub.add_parser("forecast", help="meters falling due per year, with and without the programme")
    p.add_argument("fleet")
    p.add_argument("--from", dest="first", type=int)
    p.add_argument("--to", dest="last", type=int)
    p.add_argument("--svg", help="also write the chart to this file")
    p.add_argument("--as", dest="as_user")
    p.set_defaults(func=forecast)
    p = sub.add_parser("lookup", help="public lookup of a meter's extension by serial number")
    p.add_argument("serial")
    p.set_defaults(func=lookup)
