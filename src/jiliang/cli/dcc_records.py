"""``jiliang dcc export`` and ``jiliang dcc import``: DCCs of the platform's records (Django)."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from jiliang.cli.dcc import read_document, write_output
from jiliang.cli.output import dumps, emit
from jiliang.cli.platform import setup_django
from jiliang.errors import InvalidInput, NotFound


def export_cmd(args: argparse.Namespace) -> int:
    setup_django()
    from jiliang.calibration import certificates
    from jiliang.calibration.models import Record
    from jiliang.registry.policy import SYSTEM

    records = list(Record.objects.filter(certificate_number=args.number).select_related("institution"))
    if args.institution is not None:
        records = [r for r in records if r.institution_id == args.institution]
    if not records:
        raise NotFound("certificate", args.number)
    if len(records) > 1:
        ids = ", ".join(str(r.institution_id) for r in records)
        raise InvalidInput("--institution", f"{args.number} was issued by institutions {ids}: name one")
    stored = certificates.sign(SYSTEM, records[0])  # the operator holds the key store
    write_output(args.output, bytes(stored.signed_xml))  # the exact signed bytes
    emit(f"{args.output}: {stored.number} signed with key {stored.key_name} (sha256 {stored.sha256})")
    return 0


def import_cmd(args: argparse.Namespace) -> int:
    data = read_document(args.file)
    setup_django()
    from jiliang.calibration.models import Record
    from jiliang.certificates.imports import import_dcc
    from jiliang.registry.models import MeasurementStandard

    standard = MeasurementStandard.objects.filter(pk=args.standard).first()
    if standard is None:
        raise NotFound("measurement standard", str(args.standard))
    record = None
    if args.record is not None:
        record = Record.objects.filter(pk=args.record).first()
        if record is None:
            raise NotFound("record", str(args.record))
    imported = import_dcc(
        standard,
        data,
        file_name=Path(args.file).name,
        by="cli",
        record=record,
        valid_until=_date(args.valid_until, "--valid-until"),
        cipm_mra_reference=args.cipm_mra_reference or "",
    )
    emit(dumps({"id": imported.pk, "certificate": imported.unique_identifier, "issuer": imported.issuer,
                "calibration_date": str(imported.end_performance_date),
                "valid_until": str(imported.valid_until) if imported.valid_until else None,
                "cipm_mra_reference": imported.cipm_mra_reference or None,
                "valid": imported.valid, "signature": imported.signature_status, "report": imported.report}))  # fmt: skip
    return 0


def _date(text: str | None, field: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("export", help="sign and write the DCC of an issued record (platform database)")
    p.add_argument("number", metavar="CERT_NUMBER")
    p.add_argument("-o", "--output", required=True, metavar="FILE.xml")
    p.add_argument("--institution", type=int, help="issuer id, when several issued this number")
    p.set_defaults(func=export_cmd)

    p = sub.add_parser("import", help="keep a third-party DCC as a standard's calibration evidence")
    p.add_argument("file")
    p.add_argument("--standard", type=int, required=True, metavar="ID", help="measurement standard id")
    p.add_argument("--record", type=int, metavar="ID", help="the record of that external calibration")
    p.add_argument(
        "--valid-until",
        metavar="YYYY-MM-DD",
        help="recalibration due (default: the DCC's basic_recalibration statement)",
    )
    p.add_argument(
        "--cipm-mra-reference",
        metavar="REF",
        help="KCDB CMC reference when the issuer is an NMI under the CIPM MRA (ends the chain)",
    )
    p.set_defaults(func=import_cmd)
