"""Public verification of Jiliang's certificates (issue 6 item 4).

A certificate number (typed, or from the QR code) or an uploaded DCC gives a :class:`Verdict`:

- ``valid``: issued, not revoked nor superseded, and (for an upload) the exact signed bytes;
- ``tampered``: the upload differs from the certificate Jiliang signed — the signature no longer
  verifies, or verifies only with a key that is not the issuer's — with what no longer matches;
- ``revoked`` / ``superseded``: the record's lifecycle state (``jiliang.calibration``);
- ``unknown``: no certificate of Jiliang has that number;
- ``invalid``: the upload is not a readable DCC (not well-formed, DOCTYPE/entities, too large).

A number is looked up among the issued records (issued, superseded or revoked; never a draft): a
record issued without a signed DCC (its institution had no key) is reported from the record, with
``dcc`` false and a message saying that no digital certificate is available. A verdict shows only
what is printed on the certificate: number, issuer, item, dates and its lifecycle state.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field, replace
from typing import Literal

from django.utils.translation import gettext as _
from lxml import etree

from jiliang import dcc
from jiliang.calibration.choices import FROZEN_STATUSES, RecordStatus
from jiliang.calibration.models import Record
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
    dcc: bool | None = None  # a signed DCC is stored (None: no issued record to say it of)

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
            "dcc": self.dcc,
        }


def _item(record: Record) -> str:
    item = record.item
    serial = getattr(item, "serial_number", "")
    return f"{item} ({serial})" if serial and serial not in str(item) else str(item)


def _no_dcc(message: str) -> str:
    return _("%(state)s; no digital calibration certificate (DCC) is available for it") % {"state": message}


def _lifecycle(record: Record, stored: IssuedCertificate | None) -> Verdict:
    """The verdict of an issued (superseded, revoked) record, with or without its stored DCC."""
    signed = stored is not None
    base = Verdict(
        "valid",
        _("issued and in force"),
        number=record.certificate_number,
        issuer=record.institution.name,
        item=_item(record),
        calibration_date=record.calibration_date,
        issue_date=record.issue_date,
        valid_until=record.valid_until,
        dcc=signed,
    )
    if stored is not None and hashlib.sha256(bytes(stored.signed_xml)).hexdigest() != stored.sha256:
        return _with(base, "tampered", _("the stored copy no longer matches its recorded digest"))
    verdict = base
    if record.status == RecordStatus.REVOKED:
        verdict = _with(base, "revoked", _("revoked: %(reason)s") % {"reason": record.revocation_reason})
    elif record.status == RecordStatus.SUPERSEDED:
        successor = getattr(record, "superseded_by", None)  # RelatedObjectDoesNotExist is an AttributeError
        number = successor.certificate_number if successor is not None else ""
        verdict = replace(base, status="superseded", message=_("superseded"), superseded_by=number)
    return verdict if signed else _with(verdict, verdict.status, _no_dcc(verdict.message))


def _with(base: Verdict, status: Status, message: str, differences: tuple[str, ...] = ()) -> Verdict:
    return Verdict(**{**base.__dict__, "status": status, "message": message, "differences": differences})


def _records(number: str) -> list[tuple[Record, IssuedCertificate | None]]:
    """The issued records with this number (one per issuer), each with its stored DCC if any."""
    records = (
        Record.objects.filter(certificate_number=number, status__in=FROZEN_STATUSES)
        .select_related("institution", "instrument", "standard", "superseded_by", "dcc")
        .order_by("institution__name", "pk")
    )
    return [(r, getattr(r, "dcc", None)) for r in records]


def _unknown(number: str) -> Verdict:
    return Verdict("unknown", _("no certificate with this number was issued here"), number=number)


def by_number(number: str) -> list[Verdict]:
    """One verdict per issued record with this number (numbers are unique per issuer)."""
    number = number.strip()
    if not number:
        raise InvalidInput("number", "enter a certificate number")
    found = _records(number)
    if not found:
        return [_unknown(number)]
    return [_lifecycle(record, stored) for record, stored in found]


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
        return Verdict(
            "invalid", _("not a readable DCC: %(reason)s") % {"reason": getattr(exc, "reason", exc)}
        )
    found = _records(number)
    signed = [(record, stored) for record, stored in found if stored is not None]
    if not signed:
        if not found:
            return _unknown(number)
        record = found[0][0]  # issued without a DCC: this document cannot be one of ours
        return _with(_lifecycle(record, None), "tampered", _("no DCC with this number was signed here"))
    exact = [(r, c) for r, c in signed if bytes(c.signed_xml) == data]
    if exact:
        return _lifecycle(*exact[0])
    record, stored = signed[0]
    base = _lifecycle(record, stored)
    anchors = dcc.load_certificates(stored.signer_certificate.encode("ascii"))
    check = dcc.verify(data, anchors)
    changed = differences(bytes(stored.signed_xml), data)
    if check.status in {"untrusted", "not-valid-at-signing-time"}:
        message = _("signed by a key that is not the issuer's (%(signer)s)") % {
            "signer": check.signer_subject
        }
    elif check.ok:
        message = _("the signature verifies but the document differs from the one issued")
    else:
        message = _("the signature no longer verifies: %(detail)s") % {"detail": check.message}
    return _with(base, "tampered", message, changed)
