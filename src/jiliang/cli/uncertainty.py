"""``jiliang uncertainty``: evaluate a model file (GUM and Monte Carlo) or fit a calibration line.

    jiliang uncertainty MODEL_FILE [--method gum|mc|both] [--trials N | --adaptive [--digits N]]
        [--seed N] [--threads N] [--coverage P] [--coverage-factor K] [--second-order]
        [--format text|json|html] [--output FILE]
    jiliang uncertainty fit DATA.csv --x COL --y COL [--uy COL] [--x0 X0] [--at X] [--format json|text]

A core command: no database, no Django. The JSON shapes are public contracts (docs/uncertainty.md).
"""

from __future__ import annotations

import argparse
import csv
import json
from pathlib import Path
from typing import Any, NoReturn

import yaml

from jiliang.cli.output import dumps, emit
from jiliang.errors import InvalidInput
from jiliang.uncertainty.evaluate import evaluate_mapping
from jiliang.uncertainty.modelfile import MAX_MODEL_BYTES, check_size
from jiliang.uncertainty.monte_carlo import MAX_THREADS, THREAD_LIMIT
from jiliang.uncertainty.report import html_report, text_report
from jiliang.uncertainty.typea import fit_line

USAGE = (
    "jiliang uncertainty MODEL_FILE [--method gum|mc|both] [--trials N | --adaptive [--digits N]] [--seed N]\n"
    "                           [--threads N] [--coverage P] [--coverage-factor K] [--second-order]\n"
    "                           [--format text|json|html] [--output FILE]\n"
    "       jiliang uncertainty fit DATA.csv --x COL --y COL [--uy COL] [--x0 X0] [--at X] [--format json|text]"
)


class _Parser(argparse.ArgumentParser):
    """Argument errors are invalid input (exit code 2) with the parser's message."""

    def error(self, message: str) -> NoReturn:
        raise InvalidInput("arguments", message)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "uncertainty",
        help="measurement uncertainty: GUM and Monte Carlo (JCGM 100/101), calibration lines",
        usage=USAGE,
        description="Evaluate a measurement model file, or fit a straight calibration line (GUM H.3).",
        epilog=_model_parser().format_help().split("\n\n", 1)[1]
        + "\nfit "
        + _fit_parser().format_help().split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("words", nargs=argparse.REMAINDER, help=argparse.SUPPRESS)
    parser.set_defaults(func=run)


def _model_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jiliang uncertainty", usage=USAGE)
    p.add_argument("model_file", metavar="MODEL_FILE", help="YAML or JSON model file")
    p.add_argument("--method", choices=("gum", "mc", "both"), default="both")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--trials", type=int, help="Monte Carlo trials (default 1000000)")
    group.add_argument("--adaptive", action="store_true", help="adaptive Monte Carlo (JCGM 101 7.9)")
    p.add_argument(
        "--digits", type=int, default=2, help="significant digits for the adaptive stop and validation"
    )
    p.add_argument("--seed", type=int, help="seed of the random generator (reported in the output)")
    p.add_argument(
        "--threads",
        type=int,
        help=f"Monte Carlo threads, 1 to {THREAD_LIMIT} (default: CPU count, at most {MAX_THREADS}); "
        "the results do not depend on it",
    )
    p.add_argument("--coverage", type=float, help="coverage probability (default from the file, else 0.95)")
    p.add_argument("--coverage-factor", type=float, help="a fixed coverage factor k instead of t_p(ν_eff)")
    p.add_argument("--second-order", action="store_true", help="add second-order terms (GUM 5.1.2 note)")
    p.add_argument("--format", choices=("text", "json", "html"), default="text")
    p.add_argument("--output", help="write to FILE instead of standard output")
    return p


def _fit_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="jiliang uncertainty fit", usage=USAGE)
    p.add_argument("data", metavar="DATA.csv")
    p.add_argument("--x", required=True, help="column of x values")
    p.add_argument("--y", required=True, help="column of y values")
    p.add_argument("--uy", help="column of standard uncertainties of y (weights 1/u²)")
    p.add_argument("--x0", type=float, default=0.0, help="x0 in y = a + b·(x − x0)")
    p.add_argument("--at", type=float, help="predict the line and its uncertainty at X")
    p.add_argument("--format", choices=("json", "text"), default="json")
    p.add_argument("--output", help="write to FILE instead of standard output")
    return p


def run(args: argparse.Namespace) -> int:
    words = list(args.words)
    if not words:
        raise InvalidInput(
            "arguments", "give a MODEL_FILE, or 'fit DATA.csv' (see jiliang uncertainty --help)"
        )
    if words[0] == "fit":
        return _fit(_fit_parser().parse_args(words[1:]))
    return _evaluate(_model_parser().parse_args(words))


def read_model_file(path: str) -> object:
    """Read and parse a YAML or JSON model file, refusing one larger than the limit unread."""
    file = Path(path)
    try:
        size = file.stat().st_size
        if size > MAX_MODEL_BYTES:
            raise InvalidInput(
                "model_file", f"the model file is {size} bytes; the limit is {MAX_MODEL_BYTES} bytes"
            )
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InvalidInput("model_file", f"no such file: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput("model_file", f"cannot read {path}: {exc}") from None
    check_size(text)
    return parse_model_text(text, json_only=file.suffix.lower() == ".json")


def parse_model_text(text: str, *, json_only: bool = False) -> object:
    try:
        if json_only:
            return json.loads(text)
        return yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as exc:
        raise InvalidInput(
            "model_file", f"not valid {'JSON' if json_only else 'YAML or JSON'}: {exc}"
        ) from None


def _evaluate(args: argparse.Namespace) -> int:
    data = read_model_file(args.model_file)
    evaluation = evaluate_mapping(
        data,
        method=args.method,
        trials=args.trials,
        adaptive=args.adaptive,
        digits=args.digits,
        rng=args.seed,
        threads=args.threads,
        coverage_probability=args.coverage,
        coverage_factor=args.coverage_factor,
        second_order=args.second_order,
    )
    if args.format == "json":
        emit(dumps(evaluation.to_dict()), args.output)
    elif args.format == "html":
        emit(html_report(evaluation), args.output)
    else:
        emit(text_report(evaluation), args.output)
    return 0


def read_columns(path: str, columns: list[str]) -> dict[str, list[float]]:
    """Numeric columns of a CSV file with a header row; errors name the line and column."""
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh)
            missing = [c for c in columns if c not in (reader.fieldnames or [])]
            if missing:
                raise InvalidInput(
                    missing[0], f"no such column in {path} (columns: {', '.join(reader.fieldnames or [])})"
                )
            out: dict[str, list[float]] = {c: [] for c in columns}
            for row in reader:
                for c in columns:
                    try:
                        out[c].append(float(row[c]))
                    except (TypeError, ValueError):
                        raise InvalidInput(
                            f"line {reader.line_num}: {c}", f"not a number: {row[c]!r}"
                        ) from None
    except FileNotFoundError:
        raise InvalidInput("data", f"no such file: {path}") from None
    return out


def _fit(args: argparse.Namespace) -> int:
    columns = [args.x, args.y] + ([args.uy] if args.uy else [])
    data = read_columns(args.data, columns)
    fit = fit_line(data[args.x], data[args.y], data[args.uy] if args.uy else None, args.x0)
    prediction = None
    if args.at is not None:
        y, u = fit.predict(args.at)
        prediction = {"x": args.at, "y": y, "standard_uncertainty": u}
    result = {
        "intercept": fit.intercept,
        "slope": fit.slope,
        "u_intercept": fit.u_intercept,
        "u_slope": fit.u_slope,
        "correlation": fit.correlation,
        "residual_standard_deviation": fit.residual_standard_deviation,
        "dof": fit.dof,
        "prediction": prediction,
    }
    if args.format == "json":
        emit(dumps(result), args.output)
    else:
        lines = [f"{k} = {v}" for k, v in result.items() if k != "prediction"]
        if prediction:
            lines.append(
                f"y({args.at}) = {prediction['y']} ± {prediction['standard_uncertainty']} (standard uncertainty)"
            )
        emit("\n".join(lines), args.output)
    return 0
