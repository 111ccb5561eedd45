"""``jiliang audit verify``: walk the hash-chained audit log and name the first broken entry."""

from __future__ import annotations

import argparse
import sys

from jiliang.cli.output import dumps, emit
from jiliang.cli.platform import setup_django


def verify(args: argparse.Namespace) -> int:
    setup_django()
    from jiliang.platform import audit

    result = audit.verify()
    if args.json:
        emit(
            dumps(
                {
                    "ok": result.ok,
                    "checked": result.checked,
                    "entry": result.entry_id,
                    "problem": result.problem,
                }
            )
        )
    elif result.ok:
        print(result)
    else:
        print(f"jiliang: {result}", file=sys.stderr)
    return 0 if result.ok else 1


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("audit", help="check the audit log")
    sub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    v = sub.add_parser("verify", help="verify the audit log's hash chain (exit 1 names the first bad entry)")
    v.add_argument("--json", action="store_true", help="print the result as JSON")
    v.set_defaults(func=verify)
