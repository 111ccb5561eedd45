"""``jiliang dcc validate|verify|sign|render``: Digital Calibration Certificates from files.

Exit codes (issue 6 item 6): ``validate`` 0 when no layer finds an error, 1 when one does (a
malformed document is invalid: 1), 2 for usage errors (a missing file, a file over 20 MB).
``verify`` 0 when the signature is intact and trusted, 1 otherwise. ``export`` and ``import``
(the platform's records) are in :mod:`jiliang.cli.dcc_records`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from jiliang.cli import keystore
from jiliang.cli.output import dumps, emit
from jiliang.dcc import (
    MAX_DOCUMENT_BYTES,
    EmbeddedDocument,
    Text,
    ValidationReport,
    embed_document,
    load_certificates,
    parse,
    sign,
    validate,
    verify,
)
from jiliang.errors import InvalidInput, JiliangError


class DocumentRefused(JiliangError):
    """The document was read but cannot be used (invalid before signing)."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(report)
        self.report = report

    def __str__(self) -> str:
        errors = self.report.errors()
        return f"the document is not valid ({len(errors)} errors; run 'jiliang dcc validate'): " + "; ".join(
            f"{f.rule} at {f.path}" for f in errors[:3]
        )


def read_document(path: str, field: str = "FILE") -> bytes:
    """Read a DCC file, refusing a missing file or one over 20 MB before reading it all."""
    p = Path(path)
    if not p.is_file():
        raise InvalidInput(field, f"no such file: {path}")
    try:
        if p.stat().st_size > MAX_DOCUMENT_BYTES:
            raise InvalidInput(field, f"{path} is larger than 20 MB")
        return p.read_bytes()
    except OSError as exc:
        raise InvalidInput(field, f"cannot read {path}: {exc.strerror}") from None


def write_output(path: str, data: bytes, field: str = "-o") -> None:
    try:
        Path(path).write_bytes(data)
    except OSError as exc:
        raise InvalidInput(field, f"cannot write {path}: {exc.strerror}") from None


def _report_text(path: str, report: ValidationReport) -> str:
    errors = len(report.errors())
    warnings = len(report.findings) - errors
    verdict = "valid" if report.valid else "INVALID"
    lines = [f"{path}: {verdict} (DCC {report.schema_version or '?'}; {errors} errors, {warnings} warnings)"]
    lines += [f"  {f.severity:7} {f.layer:9} {f.rule}: {f.message} [{f.path}]" for f in report.findings]
    return "\n".join(lines)


def validate_cmd(args: argparse.Namespace) -> int:
    report = validate(read_document(args.file))
    emit(dumps(report.to_dict()) if args.format == "json" else _report_text(args.file, report))
    return 0 if report.valid else 1


def verify_cmd(args: argparse.Namespace) -> int:
    data = read_document(args.file)
    anchors = [c for path in args.trust for c in load_certificates(read_document(path, "--trust"))]
    try:
        revoked = {int(s, 16) for s in args.revoked}
    except ValueError:
        raise InvalidInput("--revoked", "serial numbers are hexadecimal") from None
    result = verify(data, anchors, revoked_serials=revoked)
    payload = {
        "status": result.status,
        "ok": result.ok,
        "message": result.message,
        "signer": result.signer_subject,
        "signer_serial": f"{result.signer_serial:x}" if result.signer_serial is not None else None,
        "signing_time": result.signing_time.isoformat() if result.signing_time else None,
        "profile": result.profile,
    }
    if args.format == "json":
        emit(dumps(payload))
    else:
        emit(
            f"{args.file}: {result.status} - {result.message}"
            + (f" (signer {result.signer_subject})" if result.signer_subject else "")
        )
    return 0 if result.ok else 1


def sign_cmd(args: argparse.Namespace) -> int:
    data = read_document(args.file)
    report = validate(data)
    if not report.valid:
        raise DocumentRefused(report)  # never sign an invalid certificate
    key = keystore.current(args.key)
    signed = sign(data, key.private_key_pem(), [key.cert_path.read_bytes()], profile=args.profile)
    write_output(args.output, signed)  # the exact signed bytes: never re-serialise them
    return 0


def _copy_name(languages: tuple[str, ...]) -> Text:
    """The embedded copy's title in the languages the DCC uses (a rule checks every @lang)."""
    titles = {"zh": "校准证书（人可读副本）", "en": "Calibration certificate (human-readable copy)"}
    used = {lang: titles[lang] for lang in languages if lang in titles}
    return Text(tuple(used.items())) if used else Text(((None, titles["en"]),))


def render_cmd(args: argparse.Namespace) -> int:
    from jiliang.render.dcc_html import render_html
    from jiliang.render.dcc_pdf import render_pdf

    data = read_document(args.file)
    cert = parse(data)
    suffix = Path(args.output).suffix.lower()
    if args.embed_into and suffix != ".pdf":
        raise InvalidInput("--embed-into", "only a PDF copy is embedded")
    if suffix == ".pdf":
        pdf = render_pdf(cert, verification_url=args.url)
        if args.embed_into:  # before writing anything: a signed input is refused here
            copy = EmbeddedDocument(
                Path(args.output).name, "application/pdf", pdf, _copy_name(cert.core.used_languages)
            )
            embedded = embed_document(data, copy)
        write_output(args.output, pdf)
        if args.embed_into:
            write_output(args.embed_into, embedded, "--embed-into")
    elif suffix in {".html", ".htm"}:
        write_output(args.output, render_html(cert, verification_url=args.url).encode("utf-8"))
    else:
        raise InvalidInput("-o", "the output file must end in .pdf or .html")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    dcc = subparsers.add_parser(
        "dcc", help="Digital Calibration Certificates: validate, verify, sign, render"
    )
    sub = dcc.add_subparsers(dest="dcc_command", metavar="ACTION", required=True)

    p = sub.add_parser(
        "validate", help="validate a DCC: xml, xsd, rules, units, signature (exit 1 if invalid)"
    )
    p.add_argument("file")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=validate_cmd)

    p = sub.add_parser("verify", help="verify the signature, the signer's chain and revocation")
    p.add_argument("file")
    p.add_argument("--trust", action="append", required=True, metavar="CERT.pem", help="trust anchor(s), PEM")
    p.add_argument("--revoked", action="append", default=[], metavar="SERIAL", help="revoked serial (hex)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=verify_cmd)

    p = sub.add_parser("sign", help="sign a valid DCC (>= 3.2.0) with a key from 'jiliang keys'")
    p.add_argument("file")
    p.add_argument("--key", required=True, metavar="NAME")
    p.add_argument("-o", "--output", required=True, metavar="OUT.xml")
    p.add_argument("--profile", choices=("xades", "xmldsig"), default="xades")
    p.set_defaults(func=sign_cmd)

    p = sub.add_parser("render", help="human-readable copy (zh and en) as PDF or HTML")
    p.add_argument("file")
    p.add_argument("-o", "--output", required=True, metavar="FILE.pdf|FILE.html")
    p.add_argument("--url", help="public verification URL for the QR code")
    p.add_argument(
        "--embed-into",
        metavar="OUT.xml",
        help="also write the DCC with the PDF as dcc:document (sign it after)",
    )
    p.set_defaults(func=render_cmd)

    from jiliang.cli import dcc_records  # imports Django only when run

    dcc_records.register(sub)
