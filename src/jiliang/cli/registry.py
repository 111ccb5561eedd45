"""``jiliang import FILE`` and ``jiliang export``: registry records as CSV or JSON Lines.

The import validates every row first and writes all or nothing; errors go to stderr, one per
line (``line 12: serial_number: duplicate of line 3 (...)``), and the exit code is 2. The errors
and the closing "nothing was imported" are worded in the command's language (``--language``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from jiliang.cli.output import dumps
from jiliang.cli.platform import setup_django
from jiliang.errors import InvalidInputs, NotFound

if TYPE_CHECKING:
    from jiliang.registry.policy import Actor


def _actor(username: str | None) -> Actor:
    from django.contrib.auth import get_user_model

    from jiliang.registry import policy

    if not username:
        return policy.SYSTEM
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise NotFound("user", username)
    return policy.actor_for(user)


def import_(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from jiliang.calibration import history
    from jiliang.registry.bulk import import_file
    from jiliang.registry.bulk.load import NOTHING_IMPORTED

    call_command("migrate", "--noinput", verbosity=0)
    start = time.perf_counter()
    if history.is_history(Path(args.file), args.format, args.type):
        return _import_history(Path(args.file), args, start)
    try:
        result = import_file(
            Path(args.file), actor=_actor(args.as_user), fmt=args.format, record_type=args.type
        )
    except InvalidInputs as exc:
        for error in exc.errors:
            print(f"jiliang: {error}", file=sys.stderr)
        print(f"jiliang: {NOTHING_IMPORTED}", file=sys.stderr)
        return 2
    seconds = time.perf_counter() - start
    summary = {
        "imported": result.counts,
        "total": result.total,
        "sha256": result.sha256,
        "seconds": round(seconds, 3),
    }
    print(dumps(summary))
    return 0


def _import_history(path: Path, args: argparse.Namespace, start: float) -> int:
    """Calibration and verification records (JSON Lines with ``"type": "record"``, or CSV with
    the history columns)."""
    from django.conf import settings

    from jiliang.calibration.history import NOTHING_IMPORTED, import_history

    try:
        result = import_history(
            path,
            actor=_actor(args.as_user),
            min_uncertainty_ratio=settings.JILIANG_MIN_UNCERTAINTY_RATIO,
            fmt=args.format,
        )
    except InvalidInputs as exc:  # worded in the command's language (--language)
        for error in exc.errors:
            print(f"jiliang: {error}", file=sys.stderr)
        print(f"jiliang: {NOTHING_IMPORTED}", file=sys.stderr)
        return 2
    summary = {
        "imported": result.counts,
        "total": result.total,
        "sha256": result.sha256,
        "guard_findings": result.finding_count,
        "findings": result.findings,
        "seconds": round(time.perf_counter() - start, 3),
    }
    print(dumps(summary))
    return 0


def export(args: argparse.Namespace) -> int:
    setup_django()
    from jiliang.registry.bulk import export_records

    fmt = args.format or ("jsonl" if args.output and args.output.endswith((".jsonl", ".ndjson")) else "csv")
    if args.output:
        with open(args.output, "w", encoding="utf-8", newline="") as out:
            counts = export_records(out, fmt, args.type)
        print(dumps({"exported": counts}), file=sys.stderr)
    else:
        export_records(sys.stdout, fmt, args.type)
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "import",
        help="import registry records or calibration records (CSV or JSON Lines), all or nothing",
    )
    p.add_argument("file", help="a .csv or .jsonl file (columns: docs/import.md)")
    p.add_argument("--format", choices=["csv", "jsonl"], help="file format (default: from the suffix)")
    p.add_argument(
        "--type",
        default="",
        help="record type of a CSV without a type column ('record': calibration history)",
    )
    p.add_argument(
        "--as", dest="as_user", help="import as this user (their permissions apply); default: system"
    )
    p.set_defaults(func=import_)

    p = subparsers.add_parser("export", help="export registry records as CSV or JSON Lines")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.add_argument("--format", choices=["csv", "jsonl"], help="default: from the output suffix, else csv")
    p.add_argument("--type", action="append", help="record type to export (repeatable; default: all)")
    p.set_defaults(func=export)
