"""Signing keys of an issuing institution: generation and a self-signed X.509 certificate.

Pure: keys and certificates come back as PEM bytes; where they are stored (``jiliang keys``
keeps them under ``$JILIANG_DATA_DIR/keys/``, mode 0600) is the caller's business. Algorithms:
ECDSA on P-256 or RSA 3072 bits (SOG-IS / BSI TR-02102-1 levels for signatures beyond 2030).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.x509.oid import NameOID

from jiliang.errors import InvalidInput

Algorithm = Literal["ec-p256", "rsa-3072"]
ALGORITHMS: tuple[str, ...] = ("ec-p256", "rsa-3072")


@dataclass(frozen=True)
class KeyMaterial:
    """A new private key (PKCS#8 PEM, unencrypted: protect the file) and its certificate."""

    private_key_pem: bytes
    certificate_pem: bytes


@dataclass(frozen=True)
class CertificateInfo:
    """What a person needs to know about a signing certificate."""

    subject: str
    serial_number: int
    not_before: dt.datetime
    not_after: dt.datetime
    sha256_fingerprint: str
    key_type: str


def _private_key(algorithm: str) -> ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey:
    if algorithm == "ec-p256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "rsa-3072":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    raise InvalidInput(
        "algorithm", f"unknown key algorithm {algorithm!r}; use one of {', '.join(ALGORITHMS)}"
    )


def generate_key(
    common_name: str,
    *,
    organization: str | None = None,
    country: str | None = None,
    algorithm: str = "ec-p256",
    valid_from: dt.datetime | None = None,
    valid_days: int = 3 * 365,
) -> KeyMaterial:
    """A new signing key with a self-signed certificate (digitalSignature + nonRepudiation)."""
    if not common_name.strip():
        raise InvalidInput("common_name", "a certificate needs a common name")
    if country is not None and not (len(country) == 2 and country.isalpha()):
        raise InvalidInput("country", "an ISO 3166-1 alpha-2 code such as CN")
    if valid_days < 1:
        raise InvalidInput("valid_days", "a certificate is valid for at least one day")
    attrs = [x509.NameAttribute(NameOID.COMMON_NAME, common_name.strip())]
    if organization:
        attrs.append(x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization))
    if country:
        attrs.append(x509.NameAttribute(NameOID.COUNTRY_NAME, country))
    return _self_signed(x509.Name(attrs), algorithm, valid_from or dt.datetime.now(dt.UTC), valid_days)


def rotate_key(
    certificate_pem: bytes,
    *,
    algorithm: str = "ec-p256",
    valid_from: dt.datetime | None = None,
    valid_days: int = 3 * 365,
) -> KeyMaterial:
    """A new key for the same subject as ``certificate_pem`` (the key being retired)."""
    try:
        subject = x509.load_pem_x509_certificate(certificate_pem).subject
    except ValueError as exc:
        raise InvalidInput("certificate", f"not a PEM X.509 certificate ({exc})") from None
    if valid_days < 1:
        raise InvalidInput("valid_days", "a certificate is valid for at least one day")
    return _self_signed(subject, algorithm, valid_from or dt.datetime.now(dt.UTC), valid_days)


def _self_signed(name: x509.Name, algorithm: str, start: dt.datetime, valid_days: int) -> KeyMaterial:
    key = _private_key(algorithm)
    usage = x509.KeyUsage(True, True, False, False, False, False, False, False, False)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + dt.timedelta(days=valid_days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    return KeyMaterial(
        private_key_pem=key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        ),
        certificate_pem=cert.public_bytes(serialization.Encoding.PEM),
    )


def describe_certificate(pem: bytes) -> CertificateInfo:
    try:
        cert = x509.load_pem_x509_certificate(pem)
    except ValueError as exc:
        raise InvalidInput("certificate", f"not a PEM X.509 certificate ({exc})") from None
    public = cert.public_key()
    if isinstance(public, ec.EllipticCurvePublicKey):
        key_type = f"ECDSA {public.curve.name}"
    elif isinstance(public, rsa.RSAPublicKey):
        key_type = f"RSA {public.key_size}"
    else:
        key_type = type(public).__name__
    return CertificateInfo(
        subject=cert.subject.rfc4514_string(),
        serial_number=cert.serial_number,
        not_before=cert.not_valid_before_utc,
        not_after=cert.not_valid_after_utc,
        sha256_fingerprint=cert.fingerprint(hashes.SHA256()).hex(),
        key_type=key_type,
    )
