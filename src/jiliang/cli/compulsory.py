"""``jiliang compulsory ...`` (filing, due list, reminders, regulator summary, public state) and
``jiliang risk ...`` (early-warning list, campaigns, findings, follow-up, interval advice)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from jiliang.cli.output import dumps
from jiliang.errors import InvalidInput, NotFound


def _setup(args: argparse.Namespace) -> Any:
    from jiliang.cli.supervision import _setup as setup

    return setup(args)


def _day(text: str | None) -> date:
    from jiliang.cli.supervision import _day as day

    return day(text, "date")


def _get(model: Any, field: str, value: Any, kind: str) -> Any:
    if value is None:
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise NotFound(kind, str(value))
    return found


def file_(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.registry.models import Instrument
    from jiliang.supervision import compulsory

    instrument = _get(Instrument, "pk", args.instrument, "instrument")
    with transaction.atomic():
        filing = compulsory.file_instrument(actor, instrument, args.purpose, _day(args.on))
    print(dumps({"filing": filing.pk, "instrument": instrument.pk, "form": filing.entry.form}))
    return 0


def _status_row(row: dict[str, Any]) -> dict[str, Any]:
    inst = row["instrument"]
    return {
        "instrument": inst.pk,
        "serial_number": inst.serial_number,
        "category": inst.category.code,
        "owner": inst.owner.name,
        "state": row["state"],
        "due": row["due"].isoformat() if row["due"] else None,
        "days_overdue": row["days_overdue"],
    }


def due_(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from jiliang.supervision import compulsory

    rows = compulsory.due_list(actor, _day(args.today))
    print(dumps([_status_row(r) for r in rows]))
    return 0


def remind(args: argparse.Namespace) -> int:
    _setup(args)
    from jiliang.supervision import compulsory

    print(dumps({"queued": compulsory.queue_reminders(_day(args.today), args.warn_days)}))
    return 0


def summary(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from jiliang.supervision import compulsory

    print(dumps(compulsory.regulator_summary(actor, _day(args.today))))
    return 0


def status(args: argparse.Namespace) -> int:
    _setup(args)
    from jiliang.supervision import compulsory

    found = compulsory.public_state(args.serial, _day(args.today))
    print(
        dumps(
            [
                {
                    **r,
                    "due": r["due"].isoformat() if r["due"] else None,
                    "last_verification": r["last_verification"].isoformat()
                    if r["last_verification"]
                    else None,
                }
                for r in found
            ]
        )
    )
    return 0 if found else 1


def rank(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from jiliang.registry.models import District, InstrumentCategory
    from jiliang.supervision import screening

    rows = screening.ranked(
        actor,
        _day(args.today),
        _get(District, "code", args.district, "district"),
        _get(InstrumentCategory, "code", args.category, "category"),
        args.limit,
    )
    print(
        dumps(
            [
                {
                    "instrument": i.pk,
                    "serial_number": i.serial_number,
                    "category": i.category.code,
                    **s.as_dict(),
                }
                for i, s in rows
            ]
        )
    )
    return 0


def campaign(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.registry.models import District, InstrumentCategory
    from jiliang.supervision import screening

    with transaction.atomic():
        c = screening.create_campaign(
            actor,
            args.name,
            _day(args.today),
            args.size,
            args.seed,
            args.high_risk,
            _get(District, "code", args.district, "district"),
            _get(InstrumentCategory, "code", args.category, "category"),
        )
    print(dumps({"campaign": c.pk, "seed": c.seed, "selected": c.selected}))
    return 0


def finding(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.registry.models import Instrument
    from jiliang.supervision import screening
    from jiliang.supervision.models import Campaign

    c = _get(Campaign, "pk", args.campaign, "campaign")
    inst = _get(Instrument, "pk", args.instrument, "instrument")
    with transaction.atomic():
        f = screening.record_finding(
            actor,
            c,
            inst,
            _day(args.on),
            args.outcome,
            args.note,
            _day(args.rectify_by) if args.rectify_by else None,
            args.months,
        )
    print(dumps({"finding": f.pk, "outcome": f.outcome}))
    return 0


def follow_up(args: argparse.Namespace) -> int:
    actor = _setup(args)
    from django.db import transaction

    from jiliang.supervision import screening
    from jiliang.supervision.models import Finding

    f = _get(Finding, "pk", args.finding, "finding")
    with transaction.atomic():
        screening.follow_up(actor, f, _day(args.on), args.result)
    print(dumps({"finding": f.pk, "follow_up": f.follow_up}))
    return 0


def interval(args: argparse.Namespace) -> int:
    _setup(args)
    from jiliang.registry.models import InstrumentCategory
    from jiliang.supervision import screening

    category = _get(InstrumentCategory, "code", args.category, "category")
    if not 0 < args.target < 1:
        raise InvalidInput("target", f"{args.target} must lie strictly between 0 and 1")
    print(dumps(screening.interval_recommendation(category, args.target)))
    return 0


def _as(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_user", help="act as this user (their permissions apply); default: system")
    p.add_argument("--today", help="ISO date (default: today)")


def _group_help(group: argparse.ArgumentParser) -> Any:
    """A group named without a subcommand prints its own help and exits 2 (usage)."""

    def show(args: argparse.Namespace) -> int:
        group.print_help()
        return 2

    return show


def register(subparsers: argparse._SubParsersAction) -> None:
    group = subparsers.add_parser("compulsory", help="compulsory verification: filing, due list, reminders")
    group.set_defaults(func=_group_help(group))
    sub = group.add_subparsers(dest="compulsory_command", metavar="SUBCOMMAND")
    p = sub.add_parser("file", help="file (备案) an instrument under the current catalogue")
    p.add_argument("instrument", type=int, help="registry instrument id")
    p.add_argument("--purpose", required=True, choices=["trade", "safety", "health", "environment"])
    p.add_argument("--on", help="filing date (default: today)")
    _as(p)
    p.set_defaults(func=file_)
    for name, func, text in (
        ("due", due_, "filed instruments due soon, overdue or never verified"),
        ("summary", summary, "regulator view: counts by district, category and state"),
    ):
        p = sub.add_parser(name, help=text)
        _as(p)
        p.set_defaults(func=func)
    p = sub.add_parser("remind", help="queue reminders in the notification outbox")
    p.add_argument("--warn-days", type=int, default=30)
    _as(p)
    p.set_defaults(func=remind)
    p = sub.add_parser("status", help="public state of an instrument by serial number")
    p.add_argument("serial")
    _as(p)
    p.set_defaults(func=status)

    group = subparsers.add_parser("risk", help="risk screening: early-warning list, campaigns, findings")
    group.set_defaults(func=_group_help(group))
    sub = group.add_subparsers(dest="risk_command", metavar="SUBCOMMAND")
    p = sub.add_parser("rank", help="instruments by descending risk score, with the factors")
    p.add_argument("--district")
    p.add_argument("--category")
    p.add_argument("--limit", type=int, default=50)
    _as(p)
    p.set_defaults(func=rank)
    p = sub.add_parser("campaign", help="select instruments: the top risks plus a seeded random draw")
    p.add_argument("name")
    p.add_argument("--size", type=int, required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--high-risk", type=int, default=0)
    p.add_argument("--district")
    p.add_argument("--category")
    _as(p)
    p.set_defaults(func=campaign)
    p = sub.add_parser("finding", help="record an inspection finding")
    p.add_argument("campaign", type=int)
    p.add_argument("instrument", type=int)
    p.add_argument(
        "--outcome", required=True, choices=["conforming", "nonconforming", "overdue", "not_filed"]
    )
    p.add_argument("--on")
    p.add_argument("--note", default="")
    p.add_argument("--rectify-by")
    p.add_argument("--months", type=int, help="months since the last verification")
    _as(p)
    p.set_defaults(func=finding)
    p = sub.add_parser("follow-up", help="record the follow-up visit of a finding")
    p.add_argument("finding", type=int)
    p.add_argument("--result", required=True, choices=["rectified", "not_rectified"])
    p.add_argument("--on")
    _as(p)
    p.set_defaults(func=follow_up)
    p = sub.add_parser("interval", help="interval recommendation for a category from the findings")
    p.add_argument("category")
    p.add_argument("--target", type=float, default=0.90)
    _as(p)
    p.set_defaults(func=interval)
