"""Signing and verification (issue 6 items 2 and 7): tampering, re-signing with another key,
revocation, certificate chains and validity at signing time are all detected."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import etree

from jiliang.dcc import build, check_signature, generate_key, load_certificates, sign, validate, verify
from jiliang.dcc.keys import describe_certificate
from jiliang.errors import Conflict, InvalidInput

from .builders import ca_chain, data, sample_certificate


@pytest.fixture(scope="module")
def signed(ec_key) -> bytes:
    return sign(build(sample_certificate()), ec_key.private_key_pem, [ec_key.certificate_pem])


@pytest.fixture(scope="module")
def anchors(ec_key):
    return load_certificates(ec_key.certificate_pem)


@pytest.mark.parametrize("profile", ["xades", "xmldsig"])
@pytest.mark.parametrize("algorithm", ["ec-p256", "rsa-3072"])
def test_sign_then_verify_each_profile_and_algorithm(profile, algorithm):
    key = generate_key("Lab", algorithm=algorithm)
    out = sign(build(sample_certificate()), key.private_key_pem, [key.certificate_pem], profile=profile)
    result = verify(out, load_certificates(key.certificate_pem))
    assert result.ok, result.message
    assert result.profile == profile
    assert (result.signing_time is not None) is (profile == "xades")
    assert validate(out).valid  # a signed 3.3.0 DCC is still schema-valid
    assert describe_certificate(key.certificate_pem).key_type.startswith(
        "ECDSA" if algorithm == "ec-p256" else "RSA 3072"
    )


def _digit_positions(doc: bytes) -> list[int]:
    text = doc.decode()
    end = text.index("<ds:Signature")
    return [
        m.start() for m in re.finditer(r"(?<=<si:value>)[0-9.]+|(?<=<si:valueXMLList>)[0-9. ]+", text[:end])
    ]


def test_changing_any_one_digit_of_a_value_is_detected(signed, anchors):
    positions = _digit_positions(signed)
    assert positions
    for pos in positions:
        text = signed.decode()
        flipped = "1" if text[pos] != "1" else "2"
        tampered = (text[:pos] + flipped + text[pos + 1 :]).encode()
        result = verify(tampered, anchors)
        assert result.status == "tampered", result
        assert result.message.startswith("changed after signing: the certificate content")
        assert [f.rule for f in validate(tampered).errors("signature")] == ["signature.digest"]


def test_removing_an_element_is_detected(signed, anchors):
    root = etree.fromstring(signed)
    statement = root.find(".//{https://ptb.de/dcc}statement")
    statement.getparent().remove(statement)
    tampered = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    assert verify(tampered, anchors).status == "tampered"


def test_resigning_with_another_key_is_untrusted(signed, anchors, other_key):
    root = etree.fromstring(signed)
    root.remove(root.find("{http://www.w3.org/2000/09/xmldsig#}Signature"))
    unsigned = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    forged = sign(unsigned.replace(b"0.12", b"0.02"), other_key.private_key_pem, [other_key.certificate_pem])
    assert check_signature(forged).intact  # mathematically fine ...
    result = verify(forged, anchors)  # ... but not by a trusted signer
    assert result.status == "untrusted"
    assert "Impostor" in (result.signer_subject or "")


def test_revocation_by_serial_and_by_callback(signed, anchors):
    serial = anchors[0].serial_number
    assert verify(signed, anchors, revoked_serials={serial}).status == "revoked"
    assert verify(signed, anchors, is_revoked=lambda c: c.serial_number == serial).status == "revoked"
    assert verify(signed, anchors, revoked_serials={serial + 1}).ok


def test_chain_to_a_ca_trust_anchor():
    ca_pem, key_pem, leaf_pem = ca_chain()
    out = sign(build(sample_certificate()), key_pem, [leaf_pem])
    assert verify(out, load_certificates(ca_pem)).ok
    assert verify(out, load_certificates(generate_key("Other CA").certificate_pem)).status == "untrusted"
    ca_serial = load_certificates(ca_pem)[0].serial_number
    assert verify(out, load_certificates(ca_pem), revoked_serials={ca_serial}).status == "revoked"


def test_key_not_valid_at_signing_time():
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    key = generate_key("Future Lab", valid_from=later)
    out = sign(build(sample_certificate()), key.private_key_pem, [key.certificate_pem])
    result = verify(out, load_certificates(key.certificate_pem))
    assert result.status == "not-valid-at-signing-time"


def test_an_expired_key_still_verifies_for_documents_signed_while_it_was_valid():
    start = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
    key = generate_key("Old Lab", valid_from=start, valid_days=365)
    when = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    out = sign(build(sample_certificate()), key.private_key_pem, [key.certificate_pem], signing_time=when)
    result = verify(out, load_certificates(key.certificate_pem))
    assert result.ok and result.signing_time == when


def test_unsigned_document(anchors):
    assert verify(build(sample_certificate()), anchors).status == "unsigned"


def test_third_party_signatures_are_checked_mathematically():
    assert check_signature(data("dcclib_valid_signature.xml")).status == "intact"
    assert check_signature(data("dcclib_invalid_signature.xml")).status == "tampered"
    assert check_signature(data("gemimeg_v3.2.0_signed.xml")).status == "intact"
    assert check_signature(data("gemimeg_v3.2.0_signed_manipulated.xml")).status == "tampered"
    # Expired 2024-12; its own SigningTime is within validity, but it is not one of our anchors.
    gemimeg = check_signature(data("gemimeg_v3.2.0_signed.xml"))
    assert verify(data("gemimeg_v3.2.0_signed.xml"), [gemimeg.signer]).ok


def test_refusals(ec_key, signed):
    with pytest.raises(InvalidInput, match="3.2.0"):
        sign(data("ptb_example_v2.4.0.xml"), ec_key.private_key_pem, [ec_key.certificate_pem])
    with pytest.raises(Conflict):
        sign(signed, ec_key.private_key_pem, [ec_key.certificate_pem])
    with pytest.raises(InvalidInput, match="belong"):
        sign(data("minimal-valid.xml"), ec_key.private_key_pem, [generate_key("x").certificate_pem])
    with pytest.raises(InvalidInput, match="3072"):
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        weak = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        sign(data("minimal-valid.xml"), weak, [ec_key.certificate_pem])
    with pytest.raises(InvalidInput):
        generate_key("x", algorithm="dsa-1024")


def test_reindenting_a_signed_document_breaks_it(signed, anchors):
    pretty = etree.tostring(
        etree.fromstring(signed), pretty_print=True, xml_declaration=True, encoding="UTF-8"
    )
    assert not verify(pretty, anchors).ok


def test_a_second_enveloped_signature_is_reported_and_breaks_the_first(signed, other_key):
    # Signing refuses a signed DCC; build the double signature by hand (as other tools do).
    from signxml import SignatureMethod, XMLSigner

    root = etree.fromstring(signed)
    twice = XMLSigner(signature_algorithm=SignatureMethod.ECDSA_SHA256).sign(
        root, key=other_key.private_key_pem, cert=other_key.certificate_pem.decode()
    )
    doc = etree.tostring(twice, xml_declaration=True, encoding="UTF-8")
    report = validate(doc)
    assert "signature.multiple" in {f.rule for f in report.findings if f.severity == "warning"}
    assert [f.rule for f in report.errors("signature")] == ["signature.digest"]


def test_verify_of_a_document_that_is_not_xml_is_a_verdict(anchors):
    assert verify(data("dcclib_invalid_syntax.xml"), anchors).status == "malformed"


def test_a_changed_signing_time_is_named(signed, anchors):
    text = signed.decode()
    when = re.search(r"<xades:SigningTime>(\d{4})", text)
    year = when.group(1)
    tampered = text.replace(f"<xades:SigningTime>{year}", f"<xades:SigningTime>{int(year) - 1}").encode()
    result = verify(tampered, anchors)
    assert result.status == "tampered"
    assert "signed properties" in result.message
