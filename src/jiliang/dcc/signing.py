"""Sign a DCC with an enveloped signature and check a signature cryptographically.

Profiles: XAdES baseline B-B (ETSI EN 319 132-1: SigningTime, SigningCertificateV2,
DataObjectFormat; the PTB/GEMIMEG good-practice profile) by default, or plain XML-DSig 1.1
enveloped (what PTB's ``dcclib`` writes). Keys: ECDSA P-256 or RSA >= 3072 bits, SHA-256.
The signature is appended as the last child of the root, where DCC >= 3.2.0 allows
``ds:Signature``; older documents have no slot, so they are refused. One signature per DCC:
a second enveloped signature would break the first (its digest would cover the second).

The exact bytes returned by :func:`sign` are the certificate: re-serialising or re-indenting
them breaks the signature, so store and serve them as they are. Trust (chain, validity at
signing time, revocation) is :func:`jiliang.dcc.verify.verify`.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from cryptography import x509
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat, load_pem_private_key
from lxml import etree
from signxml import SignatureConfiguration, SignatureMethod, XMLSigner, XMLVerifier
from signxml import exceptions as sx
from signxml.xades import (
    XAdESDataObjectFormat,
    XAdESSignatureConfiguration,
    XAdESSigner,
    XAdESVerifier,
)

from jiliang.dcc.safexml import MalformedDocument, admitted_parser, parse_xml
from jiliang.errors import Conflict, InvalidInput

DS = "http://www.w3.org/2000/09/xmldsig#"
XADES = "http://uri.etsi.org/01903/v1.3.2#"
NS = {"ds": DS, "xades": XADES}
Profile = Literal["xades", "xmldsig"]
_SIGNABLE_FROM = (3, 2, 0)


class _TimedXAdESSigner(XAdESSigner):
    """XAdES signer whose SigningTime is given (signxml always writes "now")."""

    def __init__(self, signing_time: dt.datetime, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._signing_time = signing_time

    def add_signing_time(self, signed_signature_properties, sig_root, signing_settings):
        el = etree.SubElement(signed_signature_properties, f"{{{XADES}}}SigningTime", nsmap=self.namespaces)
        el.text = self._signing_time.astimezone(dt.UTC).isoformat(timespec="seconds")


def signature_method(key: object) -> SignatureMethod:
    """ECDSA P-256 -> ECDSA-SHA256; RSA >= 3072 bits -> RSA-SHA256; anything else is refused."""
    if isinstance(key, ec.EllipticCurvePrivateKey) and isinstance(key.curve, ec.SECP256R1):
        return SignatureMethod.ECDSA_SHA256
    if isinstance(key, rsa.RSAPrivateKey) and key.key_size >= 3072:
        return SignatureMethod.RSA_SHA256
    raise InvalidInput("key", "signing keys must be ECDSA P-256 or RSA with at least 3072 bits")


SigningKey = ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey


def load_signing_key(pem: bytes) -> SigningKey:
    """Load an unencrypted PEM private key and check it is allowed for DCC signatures.

    Loading an RSA key checks its primes (slow, ~0.3 s): load once and pass the key object to
    :func:`sign` when signing many certificates."""
    try:
        key = load_pem_private_key(pem, password=None)
    except (ValueError, TypeError) as exc:
        raise InvalidInput("key", f"not an unencrypted PEM private key ({exc})") from None
    signature_method(key)
    assert isinstance(key, ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey)
    return key


def _spki(public_key: Any) -> bytes:
    return bytes(public_key.public_bytes(Encoding.DER, PublicFormat.SubjectPublicKeyInfo))


def _version(root: etree._Element) -> tuple[int, ...]:
    text = root.get("schemaVersion") or ""
    try:
        return tuple(int(p) for p in text.split("."))
    except ValueError:
        raise InvalidInput("schemaVersion", f"{text!r} is not a DCC schema version") from None


def sign(
    data: bytes,
    private_key: bytes | SigningKey,
    certificate_chain_pem: Sequence[bytes],
    *,
    profile: Profile = "xades",
    signing_time: dt.datetime | None = None,
) -> bytes:
    """Sign DCC ``data`` (schema >= 3.2.0) and return the signed document's exact bytes.

    ``private_key`` is PEM bytes or a key from :func:`load_signing_key`;
    ``certificate_chain_pem`` starts with the signer's certificate, then any intermediates.
    """
    root = parse_xml(data).getroot()
    if _version(root) < _SIGNABLE_FROM:
        raise InvalidInput("schemaVersion", "DCC schemas before 3.2.0 have no place for a signature")
    if root.find("ds:Signature", NS) is not None:
        raise Conflict("the document is already signed; a DCC carries one enveloped signature")
    key = private_key if isinstance(private_key, SigningKey) else load_signing_key(private_key)
    signature_method(key)
    if not certificate_chain_pem:
        raise InvalidInput("certificate", "the signer's certificate is required")
    chain = [x509.load_pem_x509_certificate(pem) for pem in certificate_chain_pem]
    if _spki(chain[0].public_key()) != _spki(key.public_key()):
        raise InvalidInput("certificate", "the certificate does not belong to the signing key")
    method = signature_method(key)
    when = signing_time or dt.datetime.now(dt.UTC)
    signer: XMLSigner
    if profile == "xades":
        signer = _TimedXAdESSigner(
            when,
            signature_algorithm=method,
            data_object_format=XAdESDataObjectFormat("Digital Calibration Certificate", "text/xml"),
        )
    elif profile == "xmldsig":
        signer = XMLSigner(signature_algorithm=method)
    else:
        raise InvalidInput("profile", f"unknown signature profile {profile!r}")
    signer._parser = admitted_parser()  # signxml re-parses; see admitted_parser (no public hook)
    signed = signer.sign(root, key=key, cert=[c.public_bytes(Encoding.PEM).decode() for c in chain])
    return etree.tostring(signed, xml_declaration=True, encoding="UTF-8")


@dataclass(frozen=True)
class SignatureCheck:
    """Outcome of the cryptographic check of a document's signature (no trust decision).

    ``status``: ``unsigned``, ``intact`` (digests and signature value verify with the embedded
    certificate), ``tampered`` (a digest no longer matches the signed content), ``bad-signature``
    (the signature value does not verify) or ``malformed``.
    """

    status: Literal["unsigned", "intact", "tampered", "bad-signature", "malformed"]
    message: str
    profile: Profile | None = None
    signer: x509.Certificate | None = None
    chain: tuple[x509.Certificate, ...] = ()
    signing_time: dt.datetime | None = None
    path: str = "/"

    @property
    def intact(self) -> bool:
        return self.status == "intact"


def _embedded_chain(signature: etree._Element) -> list[x509.Certificate]:
    certs = [
        x509.load_der_x509_certificate(base64.b64decode(el.text or ""))
        for el in signature.iterfind("ds:KeyInfo/ds:X509Data/ds:X509Certificate", NS)
    ]
    issuers = {c.issuer for c in certs if c.issuer != c.subject}
    leaves = [c for c in certs if c.subject not in issuers]
    return leaves[:1] + [c for c in certs if c is not (leaves[0] if leaves else None)]


def _signing_time(signature: etree._Element) -> dt.datetime | None:
    text = signature.findtext(".//xades:SignedSignatureProperties/xades:SigningTime", None, NS)
    if not text:
        return None
    value = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


_REFERENCE = re.compile(r"reference (\d+) \((.*?)\)")


def _what_changed(signature: etree._Element, reason: str) -> str:
    """Say which signed part no longer matches its digest (signxml names the reference)."""
    match = _REFERENCE.search(reason)
    if "certificate digest" in reason:
        return "the signer's certificate is not the one named in the signed properties"
    if match is None:
        return f"the signed content was changed: {reason}"
    uri = match.group(2)
    target = (
        signature.getroottree().getroot().xpath("//*[@Id=$id]", id=uri[1:]) if uri.startswith("#") else []
    )
    if uri == "":
        what = "the certificate content (the whole document outside the signature)"
    elif target and etree.QName(target[0]).localname == "SignedProperties":
        what = "the signed properties (signing time, signer's certificate)"
    elif target and etree.QName(target[0]).localname == "KeyInfo":
        what = "the signer's certificate in the signature"
    else:
        what = f"the signed element {uri}"
    return f"changed after signing: {what}"


def check_signature(data: bytes) -> SignatureCheck:
    """Verify digests and signature value of the enveloped signature with its embedded
    certificate (XML-DSig core validation, W3C XMLDSig 1.1 §3.2); trust is not judged here."""
    try:
        tree = parse_xml(data)
    except MalformedDocument as exc:
        return SignatureCheck("malformed", exc.reason)
    root = tree.getroot()
    signature = root.find("ds:Signature", NS)
    if signature is None:
        return SignatureCheck("unsigned", "the document carries no signature")
    path = str(tree.getpath(signature))
    try:
        chain = _embedded_chain(signature)
        signing_time = _signing_time(signature)
    except (ValueError, binascii.Error) as exc:
        return SignatureCheck("malformed", f"unreadable certificate or signing time: {exc}", path=path)
    if not chain:
        return SignatureCheck("malformed", "the signature embeds no X.509 certificate", path=path)
    xades = signature.find(".//xades:QualifyingProperties", NS) is not None
    profile: Profile = "xades" if xades else "xmldsig"
    config_type = XAdESSignatureConfiguration if xades else SignatureConfiguration
    # Validity in time is judged by verify(); here only the mathematics.
    config = config_type(
        location="./", expect_references=True, verification_time=chain[0].not_valid_before_utc
    )
    verifier = XAdESVerifier() if xades else XMLVerifier()
    base = SignatureCheck(
        "intact",
        "digests and signature value verify",
        profile=profile,
        signer=chain[0],
        chain=tuple(chain),
        signing_time=signing_time,
        path=path,
    )
    try:
        results = verifier.verify(data, x509_cert=chain[0], expect_config=config, parser=admitted_parser())
    except sx.InvalidDigest as exc:
        return replace(base, status="tampered", message=_what_changed(signature, str(exc)))
    except sx.InvalidSignature as exc:
        return replace(base, status="bad-signature", message=f"the signature value does not verify: {exc}")
    # signxml meets untrusted input here; a broken signature must be a verdict, not a crash.
    except (
        sx.SignXMLException,
        UnsupportedAlgorithm,
        ValueError,
        TypeError,
        KeyError,
        IndexError,
        AttributeError,
        etree.LxmlError,
    ) as exc:
        return replace(base, status="malformed", message=f"the signature cannot be checked: {exc}")
    results = results if isinstance(results, list) else [results]
    if not any(r.signed_xml is not None and r.signed_xml.tag == root.tag for r in results):
        return replace(base, status="malformed", message="the signature does not cover the whole document")
    return base
