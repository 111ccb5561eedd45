"""Business rules and D-SI units (layers ``rules`` and ``units``), by mutating valid documents.

The 3.3.0 XSD accepts each mutation below (research §4): only these layers catch them.
"""

from __future__ import annotations

import pytest

from jiliang.dcc import validate

from .builders import data

MINIMAL = data("minimal-valid.xml")
FULL = data("skeleton-full.xml")


def _mutate(doc: bytes, old: str, new: str) -> bytes:
    assert old.encode() in doc
    return doc.replace(old.encode(), new.encode(), 1)


def _rules(doc: bytes, layer: str = "rules") -> dict[str, str]:
    report = validate(doc)
    assert not report.errors("xsd"), report.errors("xsd")
    return {f.rule: f.severity for f in report.findings if f.layer == layer}


def test_the_unmutated_documents_are_clean():
    assert validate(MINIMAL).findings == ()
    assert validate(FULL).valid


@pytest.mark.parametrize(
    ("doc", "old", "new", "rule"),
    [
        (
            MINIMAL,
            "<dcc:endPerformanceDate>2025-01-16",
            "<dcc:endPerformanceDate>2025-01-14",
            "dates.performanceOrder",
        ),
        (FULL, "<dcc:issueDate>2025-01-20", "<dcc:issueDate>2025-01-15", "dates.issueAfterPerformance"),
        (
            MINIMAL,
            "<dcc:mandatoryLangCodeISO639_1>en",
            "<dcc:mandatoryLangCodeISO639_1>de",
            "languages.mandatoryUsed",
        ),
        (
            FULL,
            '<dcc:content lang="de">Auftragsnummer',
            '<dcc:content lang="fr">Auftragsnummer',
            "languages.declared",
        ),
        (
            FULL,
            "<si:unitXMLList>\\ohm</si:unitXMLList>",
            "<si:unitXMLList>\\ohm \\ohm</si:unitXMLList>",
            "lists.length",
        ),
        (FULL, '<dcc:item id="item1">', '<dcc:item id="item1" refId="nowhere">', "references.refId"),
    ],
    ids=[
        "end-before-begin",
        "issued-before-end",
        "mandatory-not-used",
        "undeclared-lang",
        "list-length",
        "refid",
    ],
)
def test_each_broken_rule_is_an_error(doc, old, new, rule):
    report = validate(_mutate(doc, old, new))
    assert not report.valid
    assert _rules(_mutate(doc, old, new))[rule] == "error"


def test_receipt_after_begin_is_only_a_warning():
    doc = _mutate(FULL, "<dcc:receiptDate>2025-01-10", "<dcc:receiptDate>2025-01-15T")
    doc = doc.replace(b"2025-01-15T</dcc:receiptDate>", b"2025-01-16</dcc:receiptDate>")
    assert _rules(doc) == {"dates.receiptBeforePerformance": "warning"}
    assert validate(doc).valid


def test_a_text_missing_a_mandatory_language_is_a_warning():
    doc = _mutate(FULL, "<dcc:mandatoryLangCodeISO639_1>en", "<dcc:mandatoryLangCodeISO639_1>de")
    rules = _rules(doc)
    assert rules["languages.mandatoryCovered"] == "warning"


@pytest.mark.parametrize("unit", ["%", r"\degreeCelsius", r"\°C", "kN"])
def test_non_dsi_units_are_warnings(unit):
    doc = _mutate(MINIMAL, r"<si:unit>\kelvin</si:unit>", f"<si:unit>{unit}</si:unit>")
    report = validate(doc)
    assert report.valid
    assert [(f.layer, f.severity, f.rule) for f in report.findings] == [("units", "warning", "units.nonDsi")]
    assert report.findings[0].path.endswith("si:real/si:unit")


def test_an_empty_unit_is_an_error():
    doc = _mutate(MINIMAL, r"<si:unit>\kelvin</si:unit>", "<si:unit></si:unit>")
    assert "units.empty" in {f.rule for f in validate(doc).errors("units")}


def test_dsi_units_of_the_skeleton_pass_including_percent():
    assert not [f for f in validate(FULL).findings if f.layer == "units"]


def test_report_json_shape():
    report = validate(
        _mutate(MINIMAL, "<dcc:endPerformanceDate>2025-01-16", "<dcc:endPerformanceDate>2025-01-14")
    )
    payload = report.to_dict()
    assert payload["valid"] is False and payload["schema_version"] == "3.3.0"
    assert set(payload["findings"][0]) == {"layer", "severity", "path", "rule", "message"}


def test_wrong_or_missing_schema_version_is_an_xsd_error():
    doc = _mutate(MINIMAL, 'schemaVersion="3.3.0"', 'schemaVersion="9.9.9"')
    (finding,) = validate(doc).errors("xsd")
    assert finding.rule == "xsd.schemaVersion"


def test_an_embedded_copy_that_is_not_what_its_mime_type_says_is_a_warning():
    from jiliang.dcc import EmbeddedDocument, embed_document

    assert validate(FULL).valid and "document.mimeType" not in _rules(FULL)  # a real 608-byte PDF
    fake = embed_document(MINIMAL, EmbeddedDocument("c.pdf", "application/pdf", b"<html>not a pdf</html>"))
    assert _rules(fake) == {"document.mimeType": "warning"}
