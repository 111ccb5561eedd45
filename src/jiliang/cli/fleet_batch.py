"""``jiliang fleet notify-lots | draw-samples | record-lot-results | decide-lots``: steps 2-5 of
the extension programme for a batch of lots of one fleet (docs/supervision.md). Each command is one
transaction through the batch service of the same name (:mod:`jiliang.supervision.inspection`,
:mod:`jiliang.supervision.results`): the batch is checked whole and audited as one entry, and
nothing is written when one lot is refused.
"""

from __future__ import annotations

import argparse
from typing import Any

from jiliang.cli.output import dumps
from jiliang.errors import InvalidInput


def _lots(args: argparse.Namespace) -> tuple[Any, list[Any]]:
    from jiliang.cli.supervision import _setup
    from jiliang.supervision import services

    actor = _setup(args)
    fleet = services.get_fleet(args.fleet)
    return actor, [services.get_lot(fleet, number) for number in args.lots]


def _pairs(texts: list[str]) -> list[tuple[int, int]]:
    """``LOT:SEED`` pairs; the field of an error is ``lots[i]``."""
    pairs = []
    for i, text in enumerate(texts):
        lot, sep, seed = text.partition(":")
        if not sep or not lot.strip().isdigit() or not seed.strip().lstrip("-").isdigit():
            raise InvalidInput(f"lots[{i}]", f"{text!r} is not LOT:SEED (two integers, e.g. 3:42)")
        pairs.append((int(lot), int(seed)))
    return pairs


def _print(args: argparse.Namespace, data: Any, lines: list[str]) -> int:
    print(dumps(data) if args.format == "json" else "\n".join(lines))
    return 0


def notify_lots(args: argparse.Namespace) -> int:
    from jiliang.cli.supervision import _day, _lot_summary

    actor, lots = _lots(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        notified = services.notify_lots(actor, lots, _day(args.on, "on"))
    lines = [f"lot {x.number}: notified on {x.notified_on}" for x in notified]
    return _print(args, [_lot_summary(x) for x in notified], lines)


def draw_samples(args: argparse.Namespace) -> int:
    from jiliang.cli.supervision import _day, _draw_summary, _setup
    from jiliang.supervision import services

    pairs = _pairs(args.lots)
    actor = _setup(args)
    fleet = services.get_fleet(args.fleet)
    seeds = [(services.get_lot(fleet, number), seed) for number, seed in pairs]
    from django.db import transaction

    with transaction.atomic():
        draws = services.draw_samples(actor, seeds, _day(args.start, "start"))
    data = _draw_summary([(lot, d) for (lot, _), d in zip(seeds, draws, strict=True)])
    lines = [
        f"lot {x['lot']}: seed {x['seed']}, {len(x['sample'])} sample meters, {len(x['reserves'])} reserves, "
        f"frame sha256 {x['frame_sha256']}"
        for x in data
    ]
    return _print(args, data, lines)


def record_lot_results(args: argparse.Namespace) -> int:
    from jiliang.cli.supervision import _record_results

    actor, lots = _lots(args)
    count = _record_results(actor, lots, args.file)
    if count is None:
        return 2
    numbers = [x.number for x in lots]
    line = f"recorded {count} results for lots {', '.join(map(str, numbers))}"
    return _print(args, {"lots": numbers, "recorded": count}, [line])


def decide_lots(args: argparse.Namespace) -> int:
    from jiliang.cli.supervision import _day, _decision_summary

    actor, lots = _lots(args)
    from django.db import transaction

    from jiliang.supervision import services

    with transaction.atomic():
        decisions = services.decide_lots(actor, lots, _day(args.on, "on"))
    data = [_decision_summary(x, d) for x, d in zip(lots, decisions, strict=True)]
    lines = [
        f"lot {x['lot']}: {x['outcome']}"
        + (f" by {x['extension_years']} years" if x["outcome"] == "extend" else "")
        + f" ({x['nonconforming']} nonconforming of {x['sample_size']})"
        for x in data
    ]
    return _print(args, data, lines)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_user", help="act as this user (their permissions apply); default: system")
    p.add_argument("--format", choices=("text", "json"), default="text")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("notify-lots", help="record that the authority was notified of several lots")
    p.add_argument("fleet", help="fleet code")
    p.add_argument("lots", nargs="+", type=int, metavar="LOT", help="lot numbers")
    p.add_argument("--on", help="ISO date (default: today)")
    _common(p)
    p.set_defaults(func=notify_lots)
    p = sub.add_parser("draw-samples", help="fix the plans and draw the samples of several lots")
    p.add_argument("fleet", help="fleet code")
    p.add_argument(
        "lots", nargs="+", metavar="LOT:SEED", help="each lot number with its seed, e.g. 1:42 2:43"
    )
    p.add_argument("--start", help="ISO date testing starts (default: today)")
    _common(p)
    p.set_defaults(func=draw_samples)
    p = sub.add_parser(
        "record-lot-results",
        help="record results of several lots from one CSV (serial_number,test_point,error_percent,mpe_percent)",
    )
    p.add_argument("fleet", help="fleet code")
    p.add_argument("lots", nargs="+", type=int, metavar="LOT", help="lot numbers")
    p.add_argument("--file", required=True, metavar="RESULTS.csv")
    _common(p)
    p.set_defaults(func=record_lot_results)
    p = sub.add_parser("decide-lots", help="decide several lots: extend each by N years or rotate it")
    p.add_argument("fleet", help="fleet code")
    p.add_argument("lots", nargs="+", type=int, metavar="LOT", help="lot numbers")
    p.add_argument("--on", help="ISO date (default: today)")
    _common(p)
    p.set_defaults(func=decide_lots)
