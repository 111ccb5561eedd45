"""Public verification of Jiliang's certificates (issue 6 item 4).

A certificate number (typed, or from the QR code) or an uploaded DCC gives a :class:`Verdict`:

- ``valid``: issued, not revoked nor superseded, and (for an upload) the exact signed bytes;
- ``tampered``: the upload differs from the certificate Jiliang signed — the signature no longer
  verifies, or verifies only with a key that is not the issuer's — with what no longer matches;
- ``revoked`` / ``superseded``: the record's lifecycle state (``jiliang.calibration``);
- ``unknown``: no certificate of Jiliang has that number;
- ``invalid``: the upload is not a readable DCC (not well-formed, DOCTYPE/entities, too large).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from jiliang import dcc
from jiliang.calibration.choices import RecordStatus
from jiliang.certificates.models import IssuedCertificate
from jiliang.errors import InvalidInput

Status = Literal["valid", "tampered", "revoked", "superseded", "unknown", "invalid"]
MAX_DIFFERENCES = 10
_DS = "{http://www.w3.org/2000/09/xmldsig#}Signature"


@dataclass(frozen=True)
class Verdict:
    status: Status
    message: str
    number: str = ""
    issuer: str = ""
    item: str = ""
    calibration_date: dt.date | None = None
    issue_date: dt.date | None = None
    valid_until: dt.date | None = None
    superseded_by: str = ""
    differences: tuple[str, ...] = field(default=())

    def to_dict(self) -> dict[str, object]:
        def day(d: dt.date | None) -> str | None:
            return d.isoformat() if d else None

        return {
            "status": self.status,
            "message": self.message,
            "number": self.number,
            "issuer": self.issuer,
            "item": self.item,
            "calibration_date": day(self.calibration_date),
            "issue_date": day(self.issue_date),
            "valid_until": day(self.valid_until),
            "superseded_by": self.superseded_by or None,
            "differences": list(self.differences),
        }


def _item(stored: IssuedCertificate) -> str:
    item = stored.record.item
    serial = getattr(item, "serial_number", "")
    return f"{item} ({serial})" if serial and serial not in str(item) else str(item)


def _lifecycle(stored: IssuedCertificate) -> Verdict:
    record = stored.record
    base = Verdict(
        "valid",
        "issued and in force",
        number=stored.number,
        issuer=record.institution.name,
        item=_item(stored),
        calibration_date=record.calibration_date,
        issue_date=record.issue_date,
        valid_until=record.valid_until,
    )
    if hashlib.sha256(bytes(stored.signed_xml)).hexdigest() != stored.sha256:
        return _with(base, "tampered", "the stored copy no longer matches its recorded digest")
    if record.status == RecordStatus.REVOKED:
        return _with(base, "revoked", f"revoked: {record.revocation_reason}")
    if record.status == RecordStatus.SUPERSEDED:
        successor = getattr(record, "superseded_by", None)
        number = successor.certificate_number if successor is not None else ""
        return Verdict(
            **{**base.__dict__, "status": "superseded", "message": "superseded", "superseded_by": number}
        )
    return base


def _with(base: Verdict, status: Status, message: str, differences: tuple[str, ...] = ()) -> Verdict:
    return Verdict(**{**base.__dict__, "status": status, "message": message, "differences": differences})


def _certificates(number: str) -> list[IssuedCertificate]:
    return list(
        IssuedCertificate.objects.filter(number=number).select_related(
            "record__institution", "record__instrument__category", "record__standard"
        )
    )


def by_number(number: str) -> list[Verdict]:
    """One verdict per certificate with this number (numbers are unique per issuer)."""
    number = number.strip()
    if not number:
        raise InvalidInput("number", "enter a certificate number")
    found = _certificates(number)
    if not found:
        return [Verdict("unknown", "no certificate with this number was issued here", number=number)]
    return [_lifecycle(c) for c in found]


def _elements(data: bytes) -> dict[str, tuple[str, dict[str, str]]]:
    tree = dcc.parse_xml(data)
    out: dict[str, tuple[str, dict[str, str]]] = {}
    for el in tree.getroot().iter(etree.Element):
        if any(a.tag == _DS for a in el.iterancestors()) or el.tag == _DS:
            continue  # the signature itself is judged by its verification
        out[str(tree.getpath(el))] = ((el.text or "").strip(), dict(el.attrib))
    return out


def differences(signed: bytes, other: bytes) -> tuple[str, ...]:
    """What in ``other`` no longer matches the signed certificate, by element path."""
    a, b = _elements(signed), _elements(other)
    found: list[str] = []
    for path, (text, attrs) in a.items():
        if path not in b:
            found.append(f"{path}: missing")
        elif b[path][0] != text:
            found.append(f"{path}: {text!r} is now {b[path][0]!r}")
        elif b[path][1] != attrs:
            found.append(f"{path}: attributes changed")
    found += [f"{path}: added" for path in b if path not in a]
    return tuple(found[:MAX_DIFFERENCES])


def by_document(data: bytes) -> Verdict:
    """The verdict on an uploaded DCC (refused over 20 MB; parsed safely by the core)."""
    if len(data) > dcc.MAX_DOCUMENT_BYTES:
        raise InvalidInput("file", "the document is larger than 20 MB")
    try:
        number = dcc.parse(data).core.unique_identifier
    except (dcc.MalformedDocument, InvalidInput) as exc:
        return Verdict("invalid", f"not a readable DCC: {getattr(exc, 'reason', exc)}")
    found = _certificates(number)
    if not found:
        return Verdict("unknown", "no certificate with this number was issued here", number=number)
    exact = [c for c in found if bytes(c.signed_xml) == data]
    if exact:
        return _lifecycle(exact[0])
    stored = found[0]
    base = _lifecycle(stored)
    anchors = dcc.load_certificates(stored.signer_certificate.encode("ascii"))
    check = dcc.verify(data, anchors)
    changed = differences(bytes(stored.signed_xml), data)
    if check.status in {"untrusted", "not-valid-at-signing-time"}:
        message = f"signed by a key that is not the issuer's ({check.signer_subject})"
    elif check.ok:
        message = "the signature verifies but the document differs from the one issued"
    else:
        message = f"the signature no longer verifies: {check.message}"
    return _with(base, "tampered", message, changed)
