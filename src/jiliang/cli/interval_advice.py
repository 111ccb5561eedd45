"""``jiliang intervals advise --standard ID | --instrument ID | --category CODE | --model M
--manufacturer NAME``: interval recommendations from the platform's calibration and verification
records (issue 7, item 4), beside the current interval. Needs the database; the history-file command
``jiliang intervals recommend`` does not."""

from __future__ import annotations

import argparse
from typing import Any

from jiliang.cli.output import dumps, emit


def _text(report: dict[str, Any]) -> str:
    subject = report["subject"]
    lines = [
        f"{subject['kind']}: {subject['name']}",
        f"current interval: {report['current_interval_months'] or '—'} months ({report['current_interval_source']})",
        f"target reliability: {report['target_reliability']}",
    ]
    for a in report["analyses"]:
        d = a["data"]
        lines.append("")
        lines.append(f"[{a['scope']}] {a['label']}")
        lines.append(
            f"  data: {d['records']} records of {d['items']} items, {d['results']} as-found results "
            f"({d['in_tolerance']} in, {d['out_of_tolerance']} out of tolerance), {d['not_judged']} not judged"
        )
        if a["sufficient"]:
            bounds = a["confidence_bounds_months"]
            lines.append(
                f"  recommended: {a['recommended_interval_months']} months ({a['recommended_interval_days']} d)"
                f" by {a['method']}" + (f"; bounds {bounds} months" if bounds else "")
            )
        else:
            lines.append("  recommended: none")
        lines.append(f"  why: {a['explanation']}")
    return "\n".join(lines)


def advise(args: argparse.Namespace) -> int:
    from jiliang.cli.supervision import _setup

    actor = _setup(args)
    from jiliang.supervision import interval_advice

    report = interval_advice.advise_for(
        actor,
        standard=args.standard,
        instrument=args.instrument,
        category=args.category,
        manufacturer=args.manufacturer,
        model=args.model,
        target=args.target,
    )
    emit(dumps(report) if args.format == "json" else _text(report))
    return 0


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "advise",
        help="recommend intervals from the platform's records (standard, instrument, category, model)",
    )
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument("--standard", type=int, metavar="ID", help="a measurement standard (registry id)")
    which.add_argument("--instrument", type=int, metavar="ID", help="an instrument (registry id)")
    which.add_argument("--category", metavar="CODE", help="all instruments of a category")
    which.add_argument("--model", metavar="MODEL", help="all instruments of a model (with --manufacturer)")
    p.add_argument("--manufacturer", help="the manufacturer of --model")
    p.add_argument("--target", type=float, default=0.9, help="reliability target (default 0.9)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.add_argument("--as", dest="as_user", help="act as this user (their permissions apply); default: system")
    p.set_defaults(func=advise)
