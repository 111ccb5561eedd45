"""Issue the Digital Calibration Certificate of an issued record (issue 6 items 1 and 2).

An issued record becomes a :class:`jiliang.dcc.Certificate` (DCC 3.3.0, D-SI 2.2.1 quantities
with the expanded uncertainty U, k and p of each point; JCGM 100:2008 6.2), is built (XSD- and
rule-checked), signed with the issuing institution's key (XAdES B-B) and its exact signed bytes
are stored as :class:`jiliang.certificates.models.IssuedCertificate`. Each institution signs with
its own key, named :func:`key_name` in the key store of ``jiliang keys``.

One rule for who signs (:func:`sign`): the issue permission (an approver of the issuing
institution, or an administrator), so signing happens at issue
(:func:`jiliang.calibration.services.issue_record` calls :func:`sign_at_issue`) when the institution
has a key then, or later by someone who may issue. Readers only get what is stored
(:func:`stored`): a record whose DCC nobody has signed yet raises :class:`DccNotSigned`, never
a silent signing. Either way the DCC is signed once and the stored bytes are what is served from
then on; signing is audited (``sign_dcc``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from jiliang import dcc
from jiliang.calibration import policy
from jiliang.calibration.choices import RecordKind, RecordStatus
from jiliang.calibration.models import Record, Result
from jiliang.certificates.dsi import to_dsi
from jiliang.certificates.models import IssuedCertificate
from jiliang.cli import keystore
from jiliang.errors import Conflict, JiliangError, NotFound
from jiliang.platform import labels
from jiliang.registry import services as registry_services
from jiliang.registry.policy import Actor

_LANGS = ("zh", "en")
log = logging.getLogger(__name__)


class DccNotSigned(NotFound):
    """An issued record whose DCC has not been signed yet (its institution had no key at issue)."""

    def __init__(self, record: Record) -> None:
        super().__init__("signed DCC of record", record.certificate_number)
        self.record_id = record.pk
        self.number = record.certificate_number
        self.institution = str(record.institution)

    def __str__(self) -> str:
        message = _(
            "the DCC of %(number)s has not been signed yet; an approver of %(institution)s "
            "(or an administrator) can sign it"
        )
        return message % {"number": self.number, "institution": self.institution}


def key_name(record: Record) -> str:
    """The key-store name of the issuing institution's signing key."""
    return f"institution-{record.institution_id}"


def _text(zh: str, en: str) -> dcc.Text:
    return dcc.Text.of(zh=zh, en=en)


def _item(record: Record) -> dcc.Item:
    if record.instrument is not None:
        inst = record.instrument
        return dcc.Item(
            dcc.Text.of(zh=str(inst.category), en=str(inst.category)),
            (dcc.Identification("manufacturer", inst.serial_number, _text("出厂编号", "Serial number")),),
            manufacturer=inst.manufacturer or None,
            model=inst.model or None,
        )
    std = record.standard
    assert std is not None
    return dcc.Item(
        dcc.Text.of(zh=std.name, en=std.name),
        (dcc.Identification("owner", f"STD-{std.pk}", _text("计量标准编号", "Standard number")),),
    )


def _quantity(r: Result) -> dcc.Quantity:
    unit = to_dsi(r.unit, f"results[{r.position}].unit")
    return dcc.Quantity(
        (Decimal(r.measured_value).normalize(),),
        (unit,),
        name=_text("测得值", "Measured value"),
        uncertainty=dcc.ExpandedUncertainty(
            (Decimal(r.expanded_uncertainty).normalize(),),
            float(r.coverage_factor),
            float(r.coverage_probability),
        ),
    )


def _result(r: Result) -> dcc.Result:
    nominal = dcc.Quantity(
        (Decimal(r.nominal_value).normalize(),),
        (to_dsi(r.unit, f"results[{r.position}].unit"),),
        name=_text("标称值", "Nominal value"),
        ref_type="basic_nominalValue",
    )
    return dcc.Result(
        _text(f"{r.quantity} #{r.position}", f"{r.quantity} #{r.position}"), (nominal, _quantity(r))
    )


def _traceability(record: Record) -> dcc.Statement:
    """Which standards (and their certificates) the results were traced to."""
    lines = []
    for usage in record.usages.select_related("standard", "reference_material", "certificate").order_by("id"):
        used = usage.standard or usage.reference_material
        cert = f" ({usage.certificate.certificate_number})" if usage.certificate else ""
        line = f"{used}{cert}"
        if line not in lines:
            lines.append(line)
    listed = "; ".join(lines) or "-"
    return dcc.Statement(
        _text(f"测量结果溯源至：{listed}", f"The results are traceable to: {listed}"),
        ref_type="basic_metrologicalTraceability",
        traceable=bool(lines),
    )


def _conformity(record: Record, points: list[Result]) -> dcc.Statement:
    """The decision rule and each point's statement, each language by its own labels
    (:mod:`jiliang.platform.labels`); a DCC already signed keeps the bytes it was signed with."""
    judged = [r for r in points if r.decision]

    def words(language: str, intro: str, sep: str) -> str:
        with translation.override(language):
            summary = sep.join(f"#{r.position}: {labels.statement(r.decision)}" for r in judged) or "-"
            return f"{intro}{labels.decision_rule(record.decision_rule)}{sep}{summary}"

    return dcc.Statement(
        _text(words("zh-hans", "判定规则：", "；"), words("en", "Decision rule: ", "; ")),
        ref_type="basic_conformity",
    )


def certificate_data(record: Record) -> dcc.Certificate:
    """The core DCC data of an issued (or later superseded/revoked) record."""
    if record.status == RecordStatus.DRAFT or record.status == RecordStatus.CHECKED:
        raise Conflict(_("record %(record)s is not issued") % {"record": record}, "status")
    inst = record.institution
    owner = record.item.owner
    title = "校准" if record.kind == RecordKind.CALIBRATION else "检定"
    points = list(record.results.order_by("position"))
    results = tuple(_result(r) for r in points)
    return dcc.Certificate(
        core=dcc.CoreData(
            unique_identifier=record.certificate_number,
            country_code="CN",
            used_languages=_LANGS,
            mandatory_languages=_LANGS,
            begin_performance_date=record.calibration_date,
            end_performance_date=record.calibration_date,
            issue_date=record.issue_date,
        ),
        items=(_item(record),),
        laboratory=dcc.Contact(
            dcc.Text.of(inst.name), location=dcc.Location(further=inst.address or None, country_code="CN")
        ),
        responsible_persons=tuple(
            dcc.RespPerson(dcc.Text.of(p.name), role=role, main_signer=role == "approver")
            for p, role in (
                (record.performer, "performer"),
                (record.checker, "checker"),
                (record.approver, "approver"),
            )
            if p is not None
        ),
        customer=dcc.Contact(dcc.Text.of(owner.name), location=dcc.Location(country_code="CN")),
        measurement_results=(
            dcc.MeasurementResult(_text(f"{title}结果", f"{record.get_kind_display()} results"), results),
        ),
        statements=(_conformity(record, points), _traceability(record)),
    )


def has_key(record: Record) -> bool:
    return key_name(record) in keystore.names()


def sign_at_issue(actor: Actor, record: Record) -> IssuedCertificate | None:
    """Sign the DCC of a just-issued record when its institution has a key. A DCC that cannot be
    made now (a unit without a D-SI form, an encrypted key without its passphrase) does not undo
    the issue: it is logged, and someone who may issue signs it later (:func:`sign`)."""
    if not has_key(record):
        return None
    try:
        with transaction.atomic():
            return sign(actor, record)
    except JiliangError as exc:
        log.warning("DCC of %s not signed at issue: %s", record, exc)
        return None


def stored(record: Record) -> IssuedCertificate:
    """The stored signed DCC of ``record``, for whoever may read it; nothing is signed here."""
    existing = IssuedCertificate.objects.filter(record=record).first()
    if existing is not None:
        return existing
    if record.status != RecordStatus.ISSUED:
        message = _("record %(record)s is %(status)s and has no DCC")
        raise Conflict(message % {"record": record, "status": record.get_status_display()}, "status")
    raise DccNotSigned(record)


def sign(actor: Actor, record: Record, *, now: dt.datetime | None = None) -> IssuedCertificate:
    """The signed DCC of ``record``: built and signed once by someone who may issue the record,
    then always the same stored bytes (returned, not re-signed, when they exist)."""
    policy.require(actor, policy.ISSUE, record)
    existing = IssuedCertificate.objects.filter(record=record).first()
    if existing is not None:
        return existing
    if record.status != RecordStatus.ISSUED:
        message = _("record %(record)s is %(status)s; only an issued record is signed")
        raise Conflict(message % {"record": record, "status": record.get_status_display()}, "status")
    return _sign(actor, record, now or dt.datetime.now(dt.UTC))


def _sign(actor: Actor, record: Record, when: dt.datetime) -> IssuedCertificate:
    name = key_name(record)
    try:
        key = keystore.current(name)
    except NotFound:
        raise NotFound("signing key", f"{name} (create it: jiliang keys create {name})") from None
    cert_pem = key.cert_path.read_bytes()
    xml = dcc.build(certificate_data(record))
    signed = dcc.sign(xml, key.private_key_pem(), [cert_pem], signing_time=when)
    signer = dcc.load_certificates(cert_pem)[0]
    with transaction.atomic():
        issued = IssuedCertificate.objects.create(
            record=record,
            number=record.certificate_number,
            signed_xml=signed,
            sha256=hashlib.sha256(signed).hexdigest(),
            key_name=name,
            signer_serial=f"{signer.serial_number:x}",
            signer_certificate=cert_pem.decode("ascii"),
            signed_at=when,
        )
        after = {"record": record.pk, "number": issued.number, "sha256": issued.sha256,
                 "key_name": name, "signer_serial": issued.signer_serial, "signed_at": when.isoformat()}  # fmt: skip
        registry_services._audit(actor, "sign_dcc", issued, None, after, issued.pk)
        return issued
