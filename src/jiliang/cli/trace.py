"""``jiliang trace chain`` and ``jiliang trace impact`` (issue 5, item 5): the traceability chain
of a certificate and the out-of-tolerance impact of a standard, as JSON (or CSV for impact).

Both read the database named by ``JILIANG_DATABASE_URL`` and run as the ``system`` administrator
unless ``--as USER`` names a user whose permissions apply.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from jiliang.cli.output import dumps, emit
from jiliang.cli.platform import setup_django
from jiliang.errors import NotFound

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


def chain(args: argparse.Namespace) -> int:
    setup_django()
    from jiliang.traceability import services

    record = services.find_record(args.certificate, args.issuer)
    result = services.chain_of_record(_actor(args.as_user), record)
    emit(dumps(result.as_dict()), args.output)
    return 0 if result.verdict == "traceable" or not args.strict else 1


def impact(args: argparse.Namespace) -> int:
    from jiliang.traceability.params import parse_impact

    window, error = parse_impact(
        {"since": args.since, "until": args.until, "error": args.error, "unit": args.unit,
         "error_uncertainty": args.error_uncertainty, "range": args.range}
    )  # fmt: skip
    setup_django()
    from django.db import transaction

    from jiliang.traceability import services

    actor = _actor(args.as_user)
    with transaction.atomic():
        source = services.find_source(args.standard)
        report = services.analyse(actor, source, window, error)
        if args.open_work:
            services.open_nonconforming_work(actor, source, report, args.description or "")
    emit(report.to_csv() if args.format == "csv" else dumps(report.as_dict()), args.output)
    return 0


def demo_history(args: argparse.Namespace) -> int:
    setup_django()
    from django.core.management import call_command

    from jiliang.traceability.demo import build_history

    call_command("migrate", "--noinput", verbosity=0)
    history = build_history(args.records, seed=args.seed)
    print(dumps({"records": history.records, "broken_chains": history.broken_chains,
                 "nonconforming_work": history.nonconforming_work}))  # fmt: skip
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    trace = subparsers.add_parser("trace", help="traceability chains and out-of-tolerance impact")
    sub = trace.add_subparsers(dest="trace_command", required=True)

    p = sub.add_parser("chain", help="the chain of a certificate up to the national primary standards")
    p.add_argument("certificate", metavar="CERT_NUMBER")
    p.add_argument("--issuer", help="credit code of the issuer, when two issuers used the number")
    p.add_argument("--format", choices=["json"], default="json")
    p.add_argument("--strict", action="store_true", help="exit 1 when the chain is broken")
    p.add_argument("--as", dest="as_user", help="run as this user (default: system)")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=chain)

    p = sub.add_parser("impact", help="records downstream of an out-of-tolerance standard")
    p.add_argument(
        "standard", metavar="STANDARD_ID", help="standard id, or a reference material's GBW number"
    )
    p.add_argument("--since", required=True, help="start of the suspect window (YYYY-MM-DD)")
    p.add_argument("--until", help="end of the suspect window (default: open)")
    p.add_argument("--error", help="as-found error E of the standard (in --unit, else each result's unit)")
    p.add_argument("--error-uncertainty", default="0", help="expanded uncertainty U(E), k = 2 (default 0)")
    p.add_argument("--unit", help="unit of --error, --error-uncertainty and --range")
    p.add_argument("--range", help="LOW:HIGH of nominal values affected (needs --error)")
    p.add_argument("--format", choices=["json", "csv"], default="json")
    p.add_argument("--open-work", action="store_true", help="open nonconforming work and notify owners")
    p.add_argument("--description", help="description of the nonconforming work")
    p.add_argument("--as", dest="as_user", help="run as this user (default: system)")
    p.add_argument("-o", "--output", help="file to write (default: stdout)")
    p.set_defaults(func=impact)

    p = sub.add_parser("demo-history", help="add years of calibration history to the demo region")
    p.add_argument("--records", type=int, default=500_000, help="about how many records (default 500,000)")
    p.add_argument("--seed", type=int, default=5)
    p.set_defaults(func=demo_history)
