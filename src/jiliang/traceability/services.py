"""Use cases of traceability: the chain of a certificate or instrument, the impact of an
out-of-tolerance standard, and opening nonconforming work with notifications to the owners
(ISO/IEC 17025:2017 7.10.1 e: notify the customer when the nonconforming work matters to them)."""

from __future__ import annotations

from django.db import transaction

from jiliang.calibration import policy as record_policy
from jiliang.calibration.choices import RecordStatus
from jiliang.calibration.models import Record
from jiliang.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from jiliang.registry import services as registry_services
from jiliang.registry.choices import Role
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.registry.policy import Actor
from jiliang.traceability import queries
from jiliang.traceability.graph import Chain
from jiliang.traceability.models import NonconformingWork, Notification
from jiliang.traceability.reverse import Error, ImpactReport, Window, impact


class UnknownCertificate(NotFound):
    def __init__(self, number: str) -> None:
        super().__init__("certificate", number)
        self.number = number

    def __str__(self) -> str:
        return f"no certificate numbered {self.number}"


def find_record(number: str, issuer: str | None = None) -> Record:
    """The record with certificate ``number`` (numbers are unique per issuer: name the issuer's
    credit code when two issuers used the same number)."""
    found = Record.objects.filter(certificate_number=number)
    if issuer:
        found = found.filter(institution__credit_code=issuer)
    records = list(found[:2])
    if not records:
        raise UnknownCertificate(number)
    if len(records) > 1:
        raise Conflict(f"two issuers numbered a certificate {number}; name the issuer", "issuer")
    return records[0]


def chain_of_record(actor: Actor, record: Record) -> Chain:
    if not record_policy.can_read(actor, record):
        raise PermissionDenied(f"read record {record}")
    return queries.chain(record.pk)


def latest_record_of_instrument(instrument_id: int) -> Record:
    record = (
        Record.objects.filter(instrument_id=instrument_id, status=RecordStatus.ISSUED)
        .order_by("-calibration_date", "-id")
        .first()
    )
    if record is None:
        raise NotFound("issued record of instrument", instrument_id)
    return record


def find_source(key: str) -> MeasurementStandard | ReferenceMaterial:
    """A standard by id, or a reference material by its GBW number."""
    if key.strip().isdigit():
        standard = MeasurementStandard.objects.filter(pk=int(key)).first()
        if standard is None:
            raise NotFound("measurement standard", key)
        return standard
    material = ReferenceMaterial.objects.filter(number=key.strip()).first()
    if material is None:
        raise NotFound("measurement standard or reference material", key)
    return material


def _may_analyse(actor: Actor, source: MeasurementStandard | ReferenceMaterial) -> bool:
    owner = source.owner_id if isinstance(source, MeasurementStandard) else source.producer_id
    if actor.is_admin or actor.role == Role.REGULATOR:
        return True
    return actor.role in (Role.STAFF, Role.APPROVER) and actor.institution_id == owner


def analyse(
    actor: Actor, source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    if not _may_analyse(actor, source):
        raise PermissionDenied(f"analyse the impact of {source}")
    if window.until is not None and window.until < window.since:
        raise InvalidInput("until", f"{window.until} is before since = {window.since}")
    if window.low is not None and window.high is not None and window.low > window.high:
        raise InvalidInput("range", f"LOW {window.low} is above HIGH {window.high}")
    return impact(source, window, error)


def open_nonconforming_work(
    actor: Actor, source: MeasurementStandard | ReferenceMaterial, report: ImpactReport, description: str = ""
) -> NonconformingWork:
    """Record the nonconforming work with its impact report and queue one notification per
    owner of an affected item, audited, in one transaction."""
    if not _may_analyse(actor, source) or actor.role == Role.REGULATOR:
        raise PermissionDenied(f"open nonconforming work on {source}")
    data = report.as_dict()
    with transaction.atomic():
        work = NonconformingWork.objects.create(
            standard=source if isinstance(source, MeasurementStandard) else None,
            reference_material=source if isinstance(source, ReferenceMaterial) else None,
            opened_by=actor.username,
            since=report.window.since,
            until=report.window.until,
            description=description,
            report=data,
        )
        owners: dict[int, list[str]] = {}
        for item in report.items:
            owners.setdefault(item.owner_id, []).append(item.label)
        Notification.objects.bulk_create(
            Notification(
                work=work,
                recipient_id=owner,
                subject=f"{work}: results traceable to {source} may be affected",
                body=_body(source, report, labels),
            )
            for owner, labels in sorted(owners.items())
        )
        registry_services._audit(
            actor,
            "open",
            work,
            None,
            {
                "source": str(source),
                "since": data["since"],
                "until": data["until"],
                "affected_results": data["affected_results"],
                "changed_decisions": data["changed_decisions"],
                "owners": sorted(owners),
            },
            work.pk,
        )
    return work


def _body(source: MeasurementStandard | ReferenceMaterial, report: ImpactReport, labels: list[str]) -> str:
    window = f"{report.window.since} to {report.window.until or 'now'}"
    lines = [
        f"{source} was found out of tolerance. Results obtained with it from {window} may be affected.",
        "",
    ]
    lines += [f"- {label}" for label in sorted(labels)]
    return "\n".join(lines)
