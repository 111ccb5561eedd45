"""``jiliang intervals recommend HISTORY.csv``: calibration intervals (ILAC-G24, OIML D 10, JJF 1139).

Core command: no database, no Django (``jiliang intervals advise``, which reads the platform's
records, is in :mod:`jiliang.cli.interval_advice`). JSON keys are a public contract (issue 4, item 4); the history
columns are documented in docs/intervals.md.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jiliang.cli.output import dumps, emit
from jiliang.errors import InvalidInput
from jiliang.intervals import DEFAULT_TARGET, METHODS, History, history_from_csv, recommend
from jiliang.intervals.mle import MODELS


def read_history(path: str, unit: str) -> History:
    try:
        text = Path(path).read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise InvalidInput("history", f"cannot read {path!r}: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise InvalidInput("history", f"{path!r} is not a UTF-8 CSV file: {exc}") from None
    return history_from_csv(text, unit=unit)


def _recommend(args: argparse.Namespace) -> int:
    history = read_history(args.history, args.unit)
    result = recommend(
        history,
        target=args.target,
        method=args.method,
        model=args.model,
        confidence=args.confidence,
        current_interval=args.current_interval,
        extend=args.extend,
    )
    data = result.as_dict()
    emit(dumps(data) if args.format == "json" else "\n".join(f"{k}: {v}" for k, v in data.items()))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("intervals", help="calibration intervals from as-found histories")
    sub = group.add_subparsers(dest="intervals_command", metavar="COMMAND", parser_class=type(group))
    p = sub.add_parser("recommend", help="recommend the next calibration interval")
    p.add_argument("history", metavar="HISTORY.csv", help="columns: instrument, date, interval, in_tolerance")
    p.add_argument("--target", type=float, default=DEFAULT_TARGET, help="reliability target (default 0.9)")
    p.add_argument("--method", choices=METHODS, default="mle")
    p.add_argument("--model", choices=MODELS, default="best", help="reliability model for --method mle")
    p.add_argument("--confidence", type=float, default=0.95, help="confidence level of the bounds")
    p.add_argument("--unit", default="d", help="unit of the interval column (default d, days)")
    p.add_argument(
        "--current-interval", type=float, help="interval under test (interval-test, rp1-a3; default median)"
    )
    p.add_argument(
        "--extend", type=float, default=0.1, help="staircase: fractional extension when in tolerance"
    )
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=_recommend)
    from jiliang.cli import interval_advice  # imports Django only when run

    interval_advice.register(sub)
