"""Import a third-party DCC as the evidence of a standard's external calibration (issue 6 item 5).

The document is validated in every layer of :func:`jiliang.dcc.validate` (and its signature
checked when it carries one); the exact bytes and the report are kept with the standard, so the
traceability chain can end at this external certificate. An invalid document is kept too (with
``valid`` false), because the evidence of what was received matters; the caller decides.
"""

from __future__ import annotations

import hashlib

from django.db import transaction

from jiliang import dcc
from jiliang.calibration.models import Record
from jiliang.certificates.models import ImportedCertificate
from jiliang.errors import Conflict, InvalidInput
from jiliang.registry.models import MeasurementStandard


def import_dcc(
    standard: MeasurementStandard, data: bytes, *, file_name: str, by: str, record: Record | None = None
) -> ImportedCertificate:
    """Keep ``data`` for ``standard``; ``record`` (optional) is the record of that calibration and
    must be of the same standard and certificate number."""
    if len(data) > dcc.MAX_DOCUMENT_BYTES:
        raise InvalidInput("file", "the document is larger than 20 MB")
    report = dcc.validate(data)
    if report.errors("xml"):
        raise InvalidInput("file", f"not a readable DCC: {report.errors('xml')[0].message}")
    try:
        cert = dcc.parse(data)
    except (dcc.MalformedDocument, InvalidInput) as exc:
        raise InvalidInput("file", f"not a readable DCC: {getattr(exc, 'reason', exc)}") from None
    if record is not None:
        _check_record(record, standard, cert.core.unique_identifier)
    digest = hashlib.sha256(data).hexdigest()
    if ImportedCertificate.objects.filter(standard=standard, sha256=digest).exists():
        raise Conflict(f"this DCC is already imported for standard {standard.pk}", "file")
    signature = dcc.check_signature(data)
    with transaction.atomic():
        return ImportedCertificate.objects.create(
            standard=standard,
            record=record,
            unique_identifier=cert.core.unique_identifier[:200],
            issuer=cert.laboratory.name.get("en")[:300],
            schema_version=cert.schema_version,
            end_performance_date=cert.core.end_performance_date,
            issue_date=cert.core.issue_date,
            file_name=file_name[:255],
            xml=data,
            sha256=digest,
            valid=report.valid,
            signature_status=signature.status,
            report=report.to_dict(),
            imported_by=by[:150],
        )


def _check_record(record: Record, standard: MeasurementStandard, number: str) -> None:
    if record.standard_id != standard.pk:
        raise InvalidInput("record", f"record {record} is not a calibration of standard {standard.pk}")
    if record.certificate_number.strip() != number.strip():
        raise InvalidInput("record", f"record {record} has another number than the DCC ({number})")
