"""Entry point of the ``jiliang`` command.

Each command group lives in its own module exposing ``register(subparsers)``; a registered
command sets ``func`` (taking the parsed ``argparse.Namespace`` and returning an exit code).
Core commands (uncertainty, conformity, sampling, intervals, dcc validate) need no database;
platform commands call :func:`jiliang.cli.platform.setup_django` first.

Exit codes: 0 success, 1 a domain error or a negative verdict, 2 invalid input or usage.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from jiliang import __version__
from jiliang.cli import language
from jiliang.errors import InvalidInput, JiliangError

# Command-group modules, in the order they appear in ``jiliang --help``.
COMMAND_MODULES: tuple[str, ...] = (
    "jiliang.cli.platform",
    "jiliang.cli.audit",
    "jiliang.cli.registry",
    "jiliang.cli.conformity",
    "jiliang.cli.intervals",
    "jiliang.cli.sampling",
    "jiliang.cli.dcc",
    "jiliang.cli.keys",
    "jiliang.cli.supervision",
    "jiliang.cli.compulsory",
    "jiliang.cli.uncertainty",
    "jiliang.cli.trace",
)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="jiliang", description="Jiliang (计量): a region's metrology system.")
    parser.add_argument("--version", action="version", version=f"jiliang {__version__}")
    parser.add_argument(
        "--language",
        choices=language.LANGUAGES,
        type=str.lower,
        help=f"language of messages (default: ${language.ENV_VAR}, else LC_ALL, LC_MESSAGES, LANG)",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        language.set_chosen(language.choose(args.language, os.environ))
    except InvalidInput as exc:
        print(f"jiliang: invalid input: {exc}", file=sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except InvalidInput as exc:
        print(f"jiliang: invalid input: {exc}", file=sys.stderr)
        return 2
    except JiliangError as exc:
        print(f"jiliang: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    finally:
        language.reset()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
