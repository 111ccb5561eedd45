"""``jiliang sampling ...``: acceptance sampling plans, OC curves and lot series (no database).

Commands: ``plan`` (ISO 2859-1), ``lq-plan`` (isolated lots, LQ-indexed), ``oc`` (OC curve),
``zero-acceptance`` ("at least X conforms with confidence gamma"), ``variables-plan`` and
``variables-check`` (ISO 3951-1 s- or sigma-method, form k, one AQL or one per limit) and ``switching`` (a series of lots from a CSV).
Every command prints readable text, or JSON with ``--format json``.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import Any

from jiliang.cli.output import dumps, emit
from jiliang.errors import InvalidInput
from jiliang.sampling import (
    conformity_demonstration_plan,
    design_s_method,
    design_sigma_method,
    lq_plan,
    lq_report,
    oc_curve,
    oc_svg,
    run_series,
    s_method_decision,
    sigma_method_decision,
    single_plan,
)
from jiliang.sampling.tables import INSPECTIONS, LEVELS
from jiliang.sampling.variables import CONTROLS, decision_report


def _show(args: argparse.Namespace, data: dict[str, Any]) -> int:
    if args.format == "json":
        emit(dumps(data))
    else:
        emit("\n".join(f"{key.replace('_', ' ')}: {_text(value)}" for key, value in data.items()))
    return 0


def _text(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(f"{v:.6g}" if isinstance(v, float) else str(v) for v in value)
    return f"{value:.6g}" if isinstance(value, float) else str(value)


def plan(args: argparse.Namespace) -> int:
    p = single_plan(args.lot_size, args.aql, args.level, args.inspection)
    return _show(
        args,
        {
            "code_letter": p.code_letter,
            "plan_code_letter": p.plan_code_letter,
            "sample_size": p.sample_size,
            "acceptance_number": p.acceptance_number,
            "rejection_number": p.rejection_number,
            "inspect_all": p.inspect_all,
        },
    )


def lq(args: argparse.Namespace) -> int:
    p = lq_plan(
        args.lot_size, args.lq, acceptance_number=args.acceptance_number, consumer_risk=args.consumer_risk
    )
    report = lq_report(p)
    if args.format != "json":  # the text says it all in "source"
        report = {k: v for k, v in report.items() if v is not None and k != "unused_table_cell"}
    return _show(args, report)


def oc(args: argparse.Namespace) -> int:
    curve = oc_curve(
        args.sample_size,
        args.acceptance_number,
        args.lot_size,
        points=args.points,
        nonconformities=args.nonconformities,
    )
    if args.svg:
        Path(args.svg).write_text(oc_svg(curve), encoding="utf-8")
    return _show(
        args,
        {
            "fraction_nonconforming": list(curve.fraction_nonconforming),
            "probability_of_acceptance": list(curve.probability_of_acceptance),
        },
    )


def zero_acceptance(args: argparse.Namespace) -> int:
    p = conformity_demonstration_plan(args.conforming, args.confidence, args.acceptance_number, args.lot_size)
    return _show(
        args,
        {
            "sample_size": p.sample_size,
            "acceptance_number": p.acceptance_number,
            "model": p.model,
            "limiting_nonconforming": p.limiting_nonconforming,
            "probability_of_acceptance_at_limit": p.probability_of_acceptance_at_limit,
            "inspect_all": p.inspect_all,
        },
    )


def variables_plan(args: argparse.Namespace) -> int:
    design = design_sigma_method if args.sigma_known else design_s_method
    p = design(args.producer_quality, args.consumer_quality, args.producer_risk, args.consumer_risk)
    return _show(
        args,
        {
            "method": "sigma" if args.sigma_known else "s",
            "sample_size": p.sample_size,
            "acceptability_constant": p.acceptability_constant,
            "probability_of_acceptance_at_producer_quality": p.probability_of_acceptance_at_producer_quality,
            "probability_of_acceptance_at_consumer_quality": p.probability_of_acceptance_at_consumer_quality,
        },
    )


def variables_check(args: argparse.Namespace) -> int:
    limits = {
        "lower": args.lower,
        "upper": args.upper,
        "control": args.control,
        "k_upper": args.k_upper,
        "k_lower": args.k_lower,
    }
    if args.sigma is None:
        d = s_method_decision(args.values, args.k, **limits)
    else:
        d = sigma_method_decision(args.values, args.sigma, args.k, **limits)
    return _show(args, decision_report(d))


def _read_lots(path: str) -> list[tuple[int, int]]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise InvalidInput("lots", f"cannot read {path}: {exc.strerror}") from None
    lots = []
    for line, row in enumerate(rows, start=2):
        try:
            lots.append((int(row["lot_size"]), int(row["nonconforming"])))
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                f"line {line}", "needs whole numbers in columns lot_size and nonconforming"
            ) from None
    if not lots:
        raise InvalidInput("lots", f"{path} has no lots")
    return lots


def switching(args: argparse.Namespace) -> int:
    state, records = run_series(
        _read_lots(args.lots),
        args.aql,
        args.level,
        production_steady=not args.production_irregular,
        authority_approves_reduced=args.approve_reduced,
    )
    data = {
        "final_inspection": state.inspection,
        "switching_score": state.switching_score,
        "lots": [r.__dict__ for r in records],
    }
    if args.format == "json":
        emit(dumps(data))
        return 0
    for r in records:
        verdict = "accept" if r.accepted else "reject"
        emit(
            f"{r.index + 1}: {r.inspection} {r.plan_code_letter} n={r.sample_size} Ac={r.acceptance_number} "
            f"d={r.nonconforming} {verdict} score={r.switching_score} -> {r.next_inspection}"
        )
    emit(f"final inspection: {state.inspection}")
    return 0


def _command(sub: Any, name: str, func: Any, help_text: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help_text, description=help_text)
    parser.add_argument("--format", choices=("text", "json"), default="text")
    parser.set_defaults(func=func)
    return parser


def register(subparsers: Any) -> None:
    group = subparsers.add_parser("sampling", help="acceptance sampling (ISO 2859-1/-2, ISO 3951-1)")
    sub = group.add_subparsers(dest="sampling_command", metavar="COMMAND")
    p = _command(sub, "plan", plan, "ISO 2859-1 single sampling plan for a lot")
    p.add_argument("--lot-size", type=int, required=True)
    p.add_argument("--aql", type=float, required=True, help="0.010 ... 1000 (a column of Tables 2-A..2-C)")
    p.add_argument("--level", default="II", choices=LEVELS)
    p.add_argument("--inspection", default="normal", choices=INSPECTIONS)
    p = _command(sub, "lq-plan", lq, "plan for an isolated lot indexed by limiting quality (percent)")
    p.add_argument("--lot-size", type=int, required=True)
    p.add_argument("--lq", type=float, required=True, help="0.5 0.8 1.25 2 3.15 5 8 12.5 20 31.5")
    p.add_argument(
        "--acceptance-number", type=int, help="compute the plan for this Ac instead of reading Table A"
    )
    p.add_argument(
        "--consumer-risk",
        type=float,
        help="compute the plan for this risk at the LQ instead of reading Table A",
    )
    p = _command(sub, "oc", oc, "operating-characteristic curve of a single sampling plan")
    p.add_argument("--sample-size", type=int, required=True)
    p.add_argument("--acceptance-number", type=int, required=True)
    p.add_argument("--lot-size", type=int, help="hypergeometric curve for this lot size")
    p.add_argument("--points", type=int, default=51)
    p.add_argument(
        "--nonconformities",
        action="store_true",
        help="Poisson curve against nonconformities per item (AQL > 10)",
    )
    p.add_argument("--svg", metavar="FILE", help="also write the curve as an SVG file")
    p = _command(
        sub, "zero-acceptance", zero_acceptance, "sample size to show 'at least X conforms' at confidence"
    )
    p.add_argument("--conforming", type=float, required=True, help="fraction that must conform, e.g. 0.95")
    p.add_argument("--confidence", type=float, required=True, help="e.g. 0.95")
    p.add_argument("--acceptance-number", type=int, default=0)
    p.add_argument("--lot-size", type=int, help="hypergeometric plan for this lot size")
    p = _command(
        sub, "variables-plan", variables_plan, "ISO 3951-1 s- or sigma-method plan (n, k) from two OC points"
    )
    p.add_argument("--producer-quality", type=float, required=True, help="fraction nonconforming, e.g. 0.01")
    p.add_argument("--consumer-quality", type=float, required=True, help="fraction nonconforming, e.g. 0.05")
    p.add_argument("--producer-risk", type=float, default=0.05)
    p.add_argument("--consumer-risk", type=float, default=0.10)
    p.add_argument(
        "--sigma-known", action="store_true", help="sigma-method: the process standard deviation is known"
    )
    p = _command(
        sub, "variables-check", variables_check, "ISO 3951-1 s- or sigma-method: judge a lot from its sample"
    )
    p.add_argument("--k", type=float, help="acceptability constant k (both limits, unless overridden)")
    p.add_argument("--k-upper", type=float, help="k for the upper limit (its own AQL)")
    p.add_argument("--k-lower", type=float, help="k for the lower limit (its own AQL)")
    p.add_argument("--sigma", type=float, help="known process standard deviation: sigma-method")
    p.add_argument("--lower", type=float)
    p.add_argument("--upper", type=float)
    p.add_argument(
        "--control",
        default="separate",
        choices=CONTROLS,
        help="double limits: separate (Q_U >= k_U and Q_L >= k_L) or combined "
        "(p_U <= M_U, p_L <= M_L and p_U + p_L <= max(M_U, M_L))",
    )
    p.add_argument("values", type=float, nargs="+", metavar="VALUE")
    p = _command(sub, "switching", switching, "ISO 2859-1 switching rules over a series of lots (CSV)")
    p.add_argument(
        "lots", metavar="LOTS.csv", help="columns lot_size,nonconforming; one lot per row, in order"
    )
    p.add_argument("--aql", type=float, required=True)
    p.add_argument("--level", default="II", choices=LEVELS)
    p.add_argument("--approve-reduced", action="store_true", help="the authority approves reduced inspection")
    p.add_argument("--production-irregular", action="store_true", help="production is not at a steady rate")
