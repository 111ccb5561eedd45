"""Verify a signed DCC: signature, chain to the trust anchors, validity at signing time, revocation.

Order of the checks (ETSI EN 319 102-1 basic signature validation, simplified to what a DCC
issuer and its customers need): (1) cryptographic integrity (:func:`check_signature`), (2) the
signer's certificate was valid at the signing time (XAdES ``SigningTime``; plain XML-DSig has
none, so the verification time is used), (3) a chain from the signer to one of the trust anchors
valid at that time (``cryptography.x509.verification``), (4) no certificate of the chain is
revoked — revocation state is the caller's (Jiliang's registry), passed in as serial numbers
or a callback. ``SigningTime`` is the signer's claim: without a trusted time-stamp (XAdES-T) it
cannot prove the signature predates a later revocation.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.x509 import verification as xv

from jiliang.dcc.signing import SignatureCheck, check_signature
from jiliang.errors import InvalidInput

Status = Literal[
    "valid",
    "unsigned",
    "tampered",
    "bad-signature",
    "malformed",
    "untrusted",
    "not-valid-at-signing-time",
    "revoked",
]


@dataclass(frozen=True)
class Verification:
    """The verdict on a signed DCC, with the signer and what failed."""

    status: Status
    message: str
    signer_subject: str | None = None
    signer_serial: int | None = None
    signing_time: dt.datetime | None = None
    profile: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "valid"


def load_certificates(pem: bytes) -> list[x509.Certificate]:
    try:
        return x509.load_pem_x509_certificates(pem)
    except ValueError as exc:
        raise InvalidInput("trust", f"not PEM X.509 certificates ({exc})") from None


def _fingerprint(cert: x509.Certificate) -> bytes:
    return cert.fingerprint(hashes.SHA256())


def _chain(
    check: SignatureCheck, anchors: Sequence[x509.Certificate], when: dt.datetime
) -> list[x509.Certificate]:
    """The validated chain, signer first; raises ``xv.VerificationError`` when there is none."""
    signer = check.signer
    assert signer is not None
    if _fingerprint(signer) in {_fingerprint(a) for a in anchors}:
        return [signer]  # the signer's own certificate is pinned as a trust anchor
    ee_policy = xv.ExtensionPolicy.permit_all()
    builder = (
        xv.PolicyBuilder()
        .store(xv.Store(list(anchors)))
        .time(when)
        .extension_policies(ee_policy=ee_policy, ca_policy=xv.ExtensionPolicy.webpki_defaults_ca())
    )
    result = builder.build_client_verifier().verify(signer, list(check.chain[1:]))
    return list(result.chain)


def verify(
    data: bytes,
    trust_anchors: Sequence[x509.Certificate],
    *,
    revoked_serials: Collection[int] = (),
    is_revoked: Callable[[x509.Certificate], bool] | None = None,
    at: dt.datetime | None = None,
) -> Verification:
    """Verify the signed DCC ``data`` against ``trust_anchors``."""
    check = check_signature(data)
    if not check.intact:
        return Verification(check.status, check.message, profile=check.profile)  # type: ignore[arg-type]
    signer = check.signer
    assert signer is not None
    info = Verification(
        "valid",
        "signature intact, signer trusted and valid at signing time",
        signer_subject=signer.subject.rfc4514_string(),
        signer_serial=signer.serial_number,
        signing_time=check.signing_time,
        profile=check.profile,
    )
    when = check.signing_time or at or dt.datetime.now(dt.UTC)
    if not signer.not_valid_before_utc <= when <= signer.not_valid_after_utc:
        return replace(
            info,
            status="not-valid-at-signing-time",
            message=f"the signer's certificate is valid from {signer.not_valid_before_utc:%Y-%m-%d} "
            f"to {signer.not_valid_after_utc:%Y-%m-%d}, signed {when:%Y-%m-%d %H:%M}Z",
        )
    if not trust_anchors:
        return replace(info, status="untrusted", message="no trust anchors given")
    try:
        chain = _chain(check, trust_anchors, when)
    except xv.VerificationError as exc:
        return replace(info, status="untrusted", message=f"no chain to a trust anchor: {exc}")
    revoked = set(revoked_serials)
    for cert in chain:
        if cert.serial_number in revoked or (is_revoked is not None and is_revoked(cert)):
            return replace(
                info,
                status="revoked",
                message=f"certificate {cert.subject.rfc4514_string()} (serial {cert.serial_number:x}) is revoked",
            )
    return info
