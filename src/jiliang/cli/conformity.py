"""``jiliang conformity check|risk``: conformity decisions and their risks (JCGM 106, ILAC-G8).

Core commands: no database, no Django. JSON keys are a public contract (issue 4, item 4).
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from jiliang.cli.output import dumps, emit
from jiliang.conformity import Tolerance, assess_risk, check, check_sample, parse_rule
from jiliang.errors import InvalidInput


def _text(data: dict[str, object]) -> str:
    return "\n".join(f"{key}: {value}" for key, value in data.items())


def _emit(args: argparse.Namespace, data: dict[str, object]) -> None:
    emit(dumps(data) if args.format == "json" else _text(data))


def _load_draws(path: str) -> np.ndarray:
    """Monte Carlo draws of the output: a .npy array or a text file with one number per line."""
    try:
        return np.load(path) if path.endswith(".npy") else np.loadtxt(path, dtype=float, ndmin=1)
    except (OSError, ValueError) as exc:
        raise InvalidInput("draws", f"cannot read Monte Carlo draws from {path!r}: {exc}") from None


def _check(args: argparse.Namespace) -> int:
    tolerance = Tolerance(args.lower, args.upper)
    rule = parse_rule(args.rule)
    if args.draws:
        if not Path(args.draws).is_file():
            raise InvalidInput("draws", f"no such file {args.draws!r}")
        result = check_sample(_load_draws(args.draws), tolerance, rule, coverage_factor=args.coverage_factor)
    else:
        if args.value is None or args.uncertainty is None:
            raise InvalidInput("value", "give --value and --uncertainty (or --draws FILE)")
        result = check(args.value, args.uncertainty, tolerance, rule, coverage_factor=args.coverage_factor)
    _emit(args, result.as_dict())
    return 0


def _risk(args: argparse.Namespace) -> int:
    result = assess_risk(
        process_mean=args.process_mean,
        process_std=args.process_std,
        process_distribution=args.process_distribution,
        measurement_std=args.measurement_std,
        tolerance=Tolerance(args.lower, args.upper),
        guard_band=args.guard_band,
        target_consumer_risk=args.target_consumer_risk,
        coverage_factor=args.coverage_factor,
    )
    _emit(args, result.as_dict())
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lower", type=float, metavar="TL", help="lower tolerance limit (leave out: one-sided)")
    p.add_argument("--upper", type=float, metavar="TU", help="upper tolerance limit (leave out: one-sided)")
    p.add_argument("--coverage-factor", type=float, default=2.0, metavar="K", help="U = K·u (default 2)")
    p.add_argument("--format", choices=("text", "json"), default="text")


def register(subparsers: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    group = subparsers.add_parser("conformity", help="conformity decisions and risks (JCGM 106, ILAC-G8)")
    sub = group.add_subparsers(dest="conformity_command", metavar="COMMAND", parser_class=type(group))
    p = sub.add_parser("check", help="decide conformity of one measurement result")
    p.add_argument("--value", type=float, metavar="Y", help="measured value")
    p.add_argument("--uncertainty", type=float, metavar="U_STD", help="standard uncertainty u")
    p.add_argument("--draws", metavar="FILE", help="Monte Carlo draws of the output (.npy or one per line)")
    p.add_argument(
        "--rule", default="simple", help="simple | guarded:R | guarded-rejection:R | nonbinary[:R] (w = R·U)"
    )
    _common(p)
    p.set_defaults(func=_check)
    p = sub.add_parser("risk", help="global consumer's and producer's risk over a process")
    p.add_argument("--process-mean", type=float, required=True, metavar="M")
    p.add_argument("--process-std", type=float, required=True, metavar="S")
    p.add_argument("--process-distribution", choices=("normal", "gamma"), default="normal")
    p.add_argument(
        "--measurement-std", type=float, required=True, metavar="U", help="standard uncertainty u_m"
    )
    band = p.add_mutually_exclusive_group()
    band.add_argument("--guard-band", type=float, metavar="W", help="acceptance interval [TL + W, TU − W]")
    band.add_argument("--target-consumer-risk", type=float, metavar="R", help="find the W that meets R")
    _common(p)
    p.set_defaults(func=_risk)
