"""Layered validation of a DCC: ``xml`` -> ``xsd`` -> ``rules`` -> ``units`` -> ``signature``.

- ``xml``: well-formed and safe (no entity declarations, at most 20 MB: larger raises
  ``InvalidInput``, the caller's mistake rather than the document's).
- ``xsd``: the bundled schema of the version the root declares in ``schemaVersion``.
- ``rules``: :mod:`jiliang.dcc.rules` (dates, identifiers, languages, references, lists).
- ``units``: D-SI unit syntax; units outside D-SI are warnings.
- ``signature``: when a ``ds:Signature`` is present, its digests and signature value must
  verify (trust in the signer is :func:`jiliang.dcc.verify.verify`).

A report is valid when no finding is an error.
"""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from jiliang.dcc.model import SUPPORTED_SCHEMA_VERSIONS, Finding, ValidationReport
from jiliang.dcc.rules import rule_findings, unit_findings
from jiliang.dcc.safexml import MalformedDocument, parse_xml
from jiliang.dcc.schema import load_schema
from jiliang.dcc.signing import check_signature

LAYERS = ("xml", "xsd", "rules", "units", "signature")
_ROOT = "{https://ptb.de/dcc}digitalCalibrationCertificate"


def _xsd_findings(tree: etree._ElementTree, version: str | None) -> list[Finding]:
    root = tree.getroot()
    if root.tag != _ROOT:
        return [Finding("xsd", "error", "/", "xsd.root", f"root element {root.tag!r} is not a DCC")]
    if version not in SUPPORTED_SCHEMA_VERSIONS:
        return [
            Finding(
                "xsd",
                "error",
                str(tree.getpath(root)),
                "xsd.schemaVersion",
                f"schemaVersion {version!r} is not one of {', '.join(SUPPORTED_SCHEMA_VERSIONS)}",
            )
        ]
    schema = load_schema(version)
    if schema.validate(tree):
        return []
    return [
        Finding("xsd", "error", e.path or f"line {e.line}", f"xsd.{e.type_name.lower()}", e.message)
        for e in schema.error_log
    ]


def _signature_findings(data: bytes, root: etree._Element) -> list[Finding]:
    findings = []
    signatures = root.findall("{http://www.w3.org/2000/09/xmldsig#}Signature")
    if len(signatures) > 1:
        findings.append(
            Finding(
                "signature",
                "warning",
                str(root.getroottree().getpath(signatures[1])),
                "signature.multiple",
                f"{len(signatures)} enveloped signatures: only the first is checked, and each later one "
                "is covered by (and so breaks) the earlier ones",
            )
        )
    check = check_signature(data)
    if check.status in {"unsigned", "intact"}:
        return findings
    rule = {"tampered": "signature.digest", "bad-signature": "signature.value"}.get(
        check.status, "signature.malformed"
    )
    return [Finding("signature", "error", check.path, rule, check.message), *findings]


def validate(data: bytes, layers: Iterable[str] = LAYERS) -> ValidationReport:
    """Validate DCC ``data`` in the given layers (all by default) and report every finding."""
    wanted = set(layers)
    try:
        tree = parse_xml(data)
    except MalformedDocument as exc:
        where = f"line {exc.line}" if exc.line else "/"
        return ValidationReport(None, (Finding("xml", "error", where, "xml.wellFormed", exc.reason),))
    root = tree.getroot()
    version = root.get("schemaVersion")
    findings: list[Finding] = []
    if "xsd" in wanted:
        findings += _xsd_findings(tree, version)
    if root.tag == _ROOT:
        if "rules" in wanted:
            findings += rule_findings(root)
        if "units" in wanted:
            findings += unit_findings(root)
        if "signature" in wanted:
            findings += _signature_findings(data, root)
    return ValidationReport(version, tuple(findings))
