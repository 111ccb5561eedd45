"""Business rules the DCC XSD cannot express, and the D-SI unit check.

The rules follow PTB's Schematron rule set for DCCs (``dcclib``: languages, dates, ID
references, XML-list lengths) and the D-SI 2.2.1 unit syntax (``si:unit`` is a bare
``xs:string`` in the XSD). Each check returns :class:`Finding` objects with the element path.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections import Counter
from collections.abc import Iterator

from lxml import etree

from jiliang.dcc.model import Finding, Severity
from jiliang.units import is_dsi_unit

NS = {"dcc": "https://ptb.de/dcc", "si": "https://ptb.de/si"}


def _path(el: etree._Element) -> str:
    return str(el.getroottree().getpath(el))


def _rule(el: etree._Element, rule: str, message: str, severity: Severity = "error") -> Finding:
    return Finding("rules", severity, _path(el), rule, message)


def _date(el: etree._Element | None) -> dt.date | None:
    if el is None or not el.text:
        return None
    try:
        return dt.date.fromisoformat(el.text.strip()[:10])
    except ValueError:
        return None  # the XSD layer reports a malformed date


def check_dates(root: etree._Element) -> Iterator[Finding]:
    """Performance ends on or after it begins; the certificate is issued after it ends; the
    item is received before the calibration begins."""
    core = root.find("dcc:administrativeData/dcc:coreData", NS)
    if core is None:
        return
    els = {
        tag: core.find(f"dcc:{tag}", NS)
        for tag in ("receiptDate", "beginPerformanceDate", "endPerformanceDate", "issueDate")
    }
    d = {tag: _date(el) for tag, el in els.items()}
    begin, end, issue, receipt = (
        d["beginPerformanceDate"],
        d["endPerformanceDate"],
        d["issueDate"],
        d["receiptDate"],
    )
    if begin and end and end < begin:
        yield _rule(
            els["endPerformanceDate"],
            "dates.performanceOrder",
            f"endPerformanceDate {end} is before beginPerformanceDate {begin}",
        )
    if issue and end and issue < end:
        yield _rule(
            els["issueDate"],
            "dates.issueAfterPerformance",
            f"issueDate {issue} is before endPerformanceDate {end}",
        )
    if receipt and begin and receipt > begin:
        yield _rule(
            els["receiptDate"],
            "dates.receiptBeforePerformance",
            f"receiptDate {receipt} is after beginPerformanceDate {begin}",
            "warning",
        )


def check_identifiers(root: etree._Element) -> Iterator[Finding]:
    """The unique identifier and every identification value are non-empty."""
    uid = root.find("dcc:administrativeData/dcc:coreData/dcc:uniqueIdentifier", NS)
    if uid is not None and not (uid.text or "").strip():
        yield _rule(uid, "identifiers.nonEmpty", "uniqueIdentifier is empty")
    for value in root.iterfind(".//dcc:identification/dcc:value", NS):
        if not (value.text or "").strip():
            yield _rule(value, "identifiers.nonEmpty", "identification value is empty")


def check_languages(root: etree._Element) -> Iterator[Finding]:
    """Mandatory languages are among the used ones; every ``dcc:content/@lang`` is a used
    language; a text gives each language once and covers every mandatory language."""
    core = root.find("dcc:administrativeData/dcc:coreData", NS)
    if core is None:
        return
    used_els = core.findall("dcc:usedLangCodeISO639_1", NS)
    used = [(e.text or "").strip() for e in used_els]
    mandatory_els = core.findall("dcc:mandatoryLangCodeISO639_1", NS)
    mandatory = [(e.text or "").strip() for e in mandatory_els]
    for lang, count in Counter(used).items():
        if count > 1:
            yield _rule(
                core, "languages.duplicate", f"used language {lang!r} is declared {count} times", "warning"
            )
    for el, lang in zip(mandatory_els, mandatory, strict=True):
        if lang not in used:
            yield _rule(
                el,
                "languages.mandatoryUsed",
                f"mandatory language {lang!r} is not among the used languages {used}",
            )
    yield from _check_texts(root, set(used), [m for m in mandatory if m in used])


def _check_texts(root: etree._Element, used: set[str], mandatory: list[str]) -> Iterator[Finding]:
    # A content without @lang is language-neutral (names of people, firms): not reported.
    texts = {c.getparent() for c in root.iter("{https://ptb.de/dcc}content")}
    for text in sorted(texts, key=_path):
        tagged = [c.get("lang") for c in text.iterfind("dcc:content", NS) if c.get("lang")]
        for lang in sorted(set(tagged) - used):
            yield _rule(
                text, "languages.declared", f"content in language {lang!r}, which is not a used language"
            )
        # Rich content may hold several paragraphs in one language: a warning, not an error.
        for lang, count in Counter(tagged).items():
            if count > 1:
                yield _rule(text, "languages.unique", f"{count} contents in language {lang!r}", "warning")
        missing = [m for m in mandatory if m not in tagged]
        if tagged and missing:
            yield _rule(
                text,
                "languages.mandatoryCovered",
                f"text has no content in mandatory language(s) {', '.join(missing)}",
                "warning",
            )


def check_references(root: etree._Element) -> Iterator[Finding]:
    """Every ``@refId`` names an existing ``@id`` (PTB Schematron ID hygiene)."""
    ids = {el.get("id") for el in root.iter() if isinstance(el.tag, str) and el.get("id")}
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for ref in (el.get("refId") or "").split():
            if ref not in ids:
                yield _rule(el, "references.refId", f"refId {ref!r} names no element id")


def check_xml_lists(root: etree._Element) -> Iterator[Finding]:
    """In ``si:realListXMLList`` the units and uncertainties number one or one per value."""
    for real in root.iter("{https://ptb.de/si}realListXMLList"):
        n = len((real.findtext("si:valueXMLList", "", NS)).split())
        for path in (
            "si:unitXMLList",
            "si:measurementUncertaintyUnivariateXMLList/si:expandedMUXMLList/si:valueExpandedMUXMLList",
            "si:expandedUncXMLList/si:uncertaintyXMLList",
        ):
            el = real.find(path, NS)
            m = len((el.text or "").split()) if el is not None else None
            if m is not None and m not in {1, n}:
                yield _rule(
                    el,
                    "lists.length",
                    f"{m} entries for {n} values (give one, or one per value)",
                )


def check_uncertainty(root: etree._Element) -> Iterator[Finding]:
    """Coverage factor >= 1 and coverage probability in (0, 1] (JCGM 100:2008 6.2, 6.3;
    the 3.3.0 XSD checks this too, older D-SI versions do not)."""
    for tag, low, high in (("coverageFactor", 1.0, float("inf")), ("coverageProbability", 0.0, 1.0)):
        for el in root.iter(f"{{https://ptb.de/si}}{tag}", f"{{https://ptb.de/si}}{tag}XMLList"):
            for token in (el.text or "").split():
                try:
                    value = float(token)
                except ValueError:
                    continue  # reported by the XSD layer
                if not (low <= value <= high) or (tag == "coverageProbability" and value == 0):
                    yield _rule(el, f"uncertainty.{tag}", f"{tag} {token} is out of range")


_MAGIC = {"application/pdf": b"%PDF", "image/png": b"\x89PNG", "image/jpeg": b"\xff\xd8\xff"}


def check_document(root: etree._Element) -> Iterator[Finding]:
    """The embedded human-readable copy (``dcc:document``) is what its MIME type says."""
    doc = root.find("dcc:document", NS)
    if doc is None:
        return
    mime = (doc.findtext("dcc:mimeType", "", NS)).strip()
    try:
        head = base64.b64decode("".join(doc.findtext("dcc:dataBase64", "", NS).split())[:64])[:4]
    except (binascii.Error, ValueError):
        return  # the XSD layer reports invalid base64
    magic = _MAGIC.get(mime)
    if magic is not None and not head.startswith(magic):
        yield _rule(doc, "document.mimeType", f"the embedded document is not {mime}", "warning")


RULES = (
    check_dates,
    check_identifiers,
    check_languages,
    check_references,
    check_xml_lists,
    check_uncertainty,
    check_document,
)


def rule_findings(root: etree._Element) -> list[Finding]:
    return [f for check in RULES for f in check(root)]


def unit_findings(root: etree._Element) -> list[Finding]:
    """D-SI unit syntax (D-SI 2.2.1): an empty unit is an error; a unit outside D-SI (``%``,
    the old ``\\degreeCelsius``) is a warning, since real certificates carry them."""
    findings = []
    for el in root.iter("{https://ptb.de/si}unit", "{https://ptb.de/si}unitXMLList"):
        tokens = (el.text or "").split()
        if not tokens:
            findings.append(Finding("units", "error", _path(el), "units.empty", "unit is empty"))
        for token in dict.fromkeys(tokens):
            if not is_dsi_unit(token):
                findings.append(
                    Finding("units", "warning", _path(el), "units.nonDsi", f"{token!r} is not a D-SI unit")
                )
    return findings
