"""Import a third-party DCC as the evidence of a standard's external calibration (issue 6 item 5).

The document is validated in every layer of :func:`jiliang.dcc.validate` (and its signature
checked when it carries one); the exact bytes and the report are kept with the standard. The
import is a node of the traceability graph by itself (:mod:`jiliang.traceability.queries`): what
the chain needs is read here once — the issuer, the calibration date, when recalibration is due,
the measurement points with their expanded uncertainty, and the CIPM MRA reference the importer
names. An invalid document is kept too (with ``valid`` false: the evidence of what was received
matters), and a chain that relies on it is broken.

When recalibration is due: ``valid_until`` if the importer gives it (ISO/IEC 17025:2017 6.4.7:
the laboratory sets its own calibration programme), else the DCC's ``basic_recalibration``
statement (its ``dcc:date``, or ``dcc:period`` after the calibration date), else unknown — and a
chain using the standard is then broken until a date is given.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re

from django.db import transaction

from jiliang import dcc
from jiliang.calibration.models import Record
from jiliang.certificates.models import ImportedCertificate
from jiliang.errors import Conflict, InvalidInput
from jiliang.platform import audit
from jiliang.registry.models import MeasurementStandard
from jiliang.units import dsi_to_pint

_PERIOD = re.compile(r"P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T.*)?")
_MRA = re.compile(r"[\w./:()\- ]{1,100}")


def import_dcc(
    standard: MeasurementStandard,
    data: bytes,
    *,
    file_name: str,
    by: str,
    by_id: int | None = None,
    record: Record | None = None,
    valid_until: dt.date | None = None,
    cipm_mra_reference: str = "",
) -> ImportedCertificate:
    """Keep ``data`` for ``standard``; ``record`` (optional) is the record of that calibration and
    must be of the same standard and certificate number."""
    if len(data) > dcc.MAX_DOCUMENT_BYTES:
        raise InvalidInput("file", "the document is larger than 20 MB")
    mra = _mra_reference(cipm_mra_reference or (record.cipm_mra_reference if record else ""))
    report = dcc.validate(data)
    if report.errors("xml"):
        raise InvalidInput("file", f"not a readable DCC: {report.errors('xml')[0].message}")
    try:
        cert = dcc.parse(data)
    except (dcc.MalformedDocument, InvalidInput) as exc:
        raise InvalidInput("file", f"not a readable DCC: {getattr(exc, 'reason', exc)}") from None
    if record is not None:
        _check_record(record, standard, cert.core.unique_identifier)
    until = valid_until or recalibration_due(cert)
    if until is not None and until < cert.core.end_performance_date:
        raise InvalidInput(
            "valid_until", f"{until} is before the calibration ({cert.core.end_performance_date})"
        )
    digest = hashlib.sha256(data).hexdigest()
    if ImportedCertificate.objects.filter(standard=standard, sha256=digest).exists():
        raise Conflict(f"this DCC is already imported for standard {standard.pk}", "file")
    signature = dcc.check_signature(data)
    with transaction.atomic():
        item = ImportedCertificate.objects.create(
            standard=standard,
            record=record,
            unique_identifier=cert.core.unique_identifier[:200],
            issuer=cert.laboratory.name.get("en")[:300],
            schema_version=cert.schema_version,
            end_performance_date=cert.core.end_performance_date,
            issue_date=cert.core.issue_date,
            valid_until=until,
            cipm_mra_reference=mra,
            points=measurement_points(cert),
            file_name=file_name[:255],
            xml=data,
            sha256=digest,
            valid=report.valid,
            signature_status=signature.status,
            report=report.to_dict(),
            imported_by=by[:150],
        )
        audit.record(
            actor=by,
            actor_id=by_id,
            action="import_dcc",
            object_type="certificates.importedcertificate",
            object_id=str(item.pk),
            after={
                "standard": standard.pk,
                "record": record.pk if record else None,
                "certificate": item.unique_identifier,
                "issuer": item.issuer,
                "sha256": digest,
                "valid": item.valid,
                "valid_until": until.isoformat() if until else None,
                "cipm_mra_reference": mra,
            },
        )
        return item


def _mra_reference(text: str) -> str:
    text = text.strip()
    if text and not _MRA.fullmatch(text):
        raise InvalidInput(
            "cipm_mra_reference", "a KCDB CMC reference is up to 100 letters, digits and ./:()-"
        )
    return text


def _check_record(record: Record, standard: MeasurementStandard, number: str) -> None:
    if record.standard_id != standard.pk:
        raise InvalidInput("record", f"record {record} is not a calibration of standard {standard.pk}")
    if record.certificate_number.strip() != number.strip():
        raise InvalidInput("record", f"record {record} has another number than the DCC ({number})")


def add_period(start: dt.date, period: str) -> dt.date | None:
    """``start`` + an xs:duration of years, months, weeks and days (a time part is ignored);
    None when ``period`` is not such a duration. Month ends clamp (31 Jan + P1M = 28/29 Feb)."""
    match = _PERIOD.fullmatch(period.strip())
    if match is None or not any(match.groups()):
        return None
    years, months, weeks, days = (int(g or 0) for g in match.groups())
    month_index = start.month - 1 + months + 12 * years
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, day) + dt.timedelta(days=days + 7 * weeks)


def recalibration_due(cert: dcc.Certificate) -> dt.date | None:
    """The date of the DCC's ``basic_recalibration`` statement, or its period after the calibration."""
    for statement in cert.statements:
        if "basic_recalibration" not in (statement.ref_type or "").split():
            continue
        if statement.date is not None:
            return statement.date
        if statement.period:
            return add_period(cert.core.end_performance_date, statement.period)
    return None


def measurement_points(cert: dcc.Certificate) -> list[list[object]]:
    """``[unit (pint), value, U]`` of every value that has an expanded uncertainty; values whose
    unit is not D-SI are left out (the chain compares uncertainties in SI base units)."""
    points: list[list[object]] = []
    for measurement in cert.measurement_results:
        for result in measurement.results:
            for q in result.quantities:
                if q.uncertainty is None or not q.units:
                    continue
                for i, value in enumerate(q.values):
                    unit = q.units[i] if len(q.units) > 1 else q.units[0]
                    u = q.uncertainty.values
                    try:
                        pint_unit = dsi_to_pint(unit)
                    except InvalidInput:
                        continue
                    points.append([pint_unit, float(value), float(u[i] if len(u) > 1 else u[0])])
    return points
