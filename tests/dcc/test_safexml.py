"""Untrusted XML is refused safely: XXE, entity bombs, oversized uploads (issue 6 item 7)."""

from __future__ import annotations

import pytest

from jiliang.dcc import MAX_DOCUMENT_BYTES, MalformedDocument, parse, parse_xml, validate
from jiliang.errors import InvalidInput

from .builders import data

XXE = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<dcc:digitalCalibrationCertificate xmlns:dcc="https://ptb.de/dcc" schemaVersion="3.3.0">&xxe;</dcc:digitalCalibrationCertificate>"""

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<lolz>&lol9;</lolz>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE d [<!ENTITY % ext SYSTEM "http://127.0.0.1:9/evil.dtd"> %ext;]>
<d/>"""


@pytest.mark.parametrize(
    "doc", [XXE, BILLION_LAUGHS, PARAMETER_ENTITY], ids=["xxe", "billion-laughs", "param"]
)
def test_entity_declarations_are_refused(doc):
    with pytest.raises(MalformedDocument) as info:
        parse_xml(doc)
    assert "passwd" not in str(info.value)
    report = validate(doc)
    assert not report.valid
    assert [f.layer for f in report.findings] == ["xml"]
    assert "root:" not in str(report.to_dict())  # nothing from /etc/passwd leaked into the report


def test_oversized_upload_is_invalid_input_before_parsing():
    big = data("minimal-valid.xml").replace(
        b"<dcc:administrativeData>",
        b"<!--" + b"x" * MAX_DOCUMENT_BYTES + b"-->" + b"<dcc:administrativeData>",
    )
    assert len(big) > MAX_DOCUMENT_BYTES
    with pytest.raises(InvalidInput, match="20 MB"):
        validate(big)
    with pytest.raises(InvalidInput, match="20 MB"):
        parse(big)


def test_a_document_just_under_the_limit_is_accepted():
    doc = data("minimal-valid.xml")
    padded = doc.replace(
        b"<dcc:administrativeData>", b"<!--" + b"x" * (5 * 2**20) + b"-->" + b"<dcc:administrativeData>"
    )
    assert validate(padded).valid


def test_not_well_formed_is_an_xml_finding_with_its_line():
    report = validate(data("dcclib_invalid_syntax.xml"))
    assert not report.valid
    (finding,) = report.findings
    assert finding.layer == "xml" and finding.rule == "xml.wellFormed"
    assert finding.path.startswith("line ")


def test_parse_wants_bytes():
    with pytest.raises(InvalidInput):
        parse_xml("<a/>")  # type: ignore[arg-type]


def test_a_large_embedded_pdf_within_20_mb_is_accepted_signed_and_verified(ec_key):
    # Over libxml2's 10 MB text-node limit, within the 20 MB upload limit (issue 6 item 6).
    from jiliang.dcc import EmbeddedDocument, embed_document, load_certificates, sign, verify

    pdf = b"%PDF-1.7 " + bytes(range(256)) * (9 * 4096)
    doc = embed_document(data("minimal-valid.xml"), EmbeddedDocument("big.pdf", "application/pdf", pdf))
    assert 10 * 2**20 < len(doc) < MAX_DOCUMENT_BYTES
    assert validate(doc).valid
    signed = sign(doc, ec_key.private_key_pem, [ec_key.certificate_pem])
    assert verify(signed, load_certificates(ec_key.certificate_pem)).ok


def test_the_huge_text_retry_is_never_given_to_a_document_with_a_doctype():
    big = b'<?xml version="1.0"?><!DOCTYPE a><a>' + b"x" * (11 * 2**20) + b"</a>"
    with pytest.raises(MalformedDocument, match="Text node too long"):
        parse_xml(big)
