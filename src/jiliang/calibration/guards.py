"""The checks that run when a record is issued (issue 5, item 2; ISO/IEC 17025:2017 6.2, 6.4,
6.5; JJF 1033 计量标准考核; JJF 1069 法定计量检定机构考核规范).

Each failed check is an :class:`InvalidInput` naming the field; :func:`check_issue` reports all of
them at once as :class:`InvalidInputs`, and nothing is written. The reasons are worded in the
active language (gettext with named placeholders, like the registry's constraint messages): a
request shows them in its language; the history import words them in English for the CLI.
"""

from __future__ import annotations

import math
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from jiliang.calibration.choices import RecordKind, RecordStatus
from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.registry.choices import AuthorisationActivity, StandardLevel
from jiliang.registry.models import Authorisation, MeasurementStandard, Person
from jiliang.units import convert_difference, parse_unit

# A public or highest standard must hold a valid examination certificate (计量标准考核证书).
EXAMINED_LEVELS = (StandardLevel.PUBLIC, StandardLevel.HIGHEST)


def check_issue(record: Record, *, min_uncertainty_ratio: float) -> None:
    """Raise :class:`InvalidInputs` listing every reason ``record`` may not be issued."""
    on = record.calibration_date
    errors = [*_people(record, on), *_laboratory(record, on)]
    results = list(
        Result.objects.filter(record=record).prefetch_related(
            "usages__standard", "usages__reference_material", "usages__certificate"
        )
    )
    if not results:
        errors.append(InvalidInput("results", _("a record needs at least one measurement point")))
    for i, result in enumerate(results):
        errors.extend(_result(record, result, f"results[{i}]"))
        for j, usage in enumerate(result.usages.all()):
            errors.extend(_usage(usage, result, on, f"results[{i}].usages[{j}]", min_uncertainty_ratio))
    if errors:
        raise InvalidInputs(errors)


def _qualified(person: Person, on: date) -> bool:
    return person.registration_valid_until is not None and person.registration_valid_until >= on


def _people(record: Record, on: date) -> list[InvalidInput]:
    errors = []
    performer = record.performer
    if not _qualified(performer, on):
        errors.append(
            InvalidInput(
                "performer",
                _("%(performer)s holds no registered-metrologist qualification valid on %(date)s")
                % {"performer": performer, "date": on},
            )
        )
    elif record.kind == RecordKind.VERIFICATION and record.instrument is not None:
        if not performer.authorised_categories.filter(pk=record.instrument.category_id).exists():
            errors.append(
                InvalidInput(
                    "performer",
                    _("%(performer)s is not authorised to verify %(category)s")
                    % {"performer": performer, "category": record.instrument.category},
                )
            )
    if record.checker_id is None:
        errors.append(InvalidInput("checker", _("a record needs a checker (核验员)")))
    elif record.checker_id == record.performer_id:
        errors.append(InvalidInput("checker", _("the checker must be a different person from the performer")))
    return errors


def _laboratory(record: Record, on: date) -> list[InvalidInput]:
    """A verification needs a government authorisation for the area (授权); a calibration needs
    that authorisation or a valid accreditation (CNAS, ISO/IEC 17025)."""
    lab = record.institution
    activity = (
        AuthorisationActivity.VERIFICATION
        if record.kind == RecordKind.VERIFICATION
        else AuthorisationActivity.CALIBRATION
    )
    authorised = Authorisation.objects.filter(
        institution=lab, activity=activity, area_id=record.area_id, valid_from__lte=on, valid_until__gte=on
    ).exists()
    accredited = (
        bool(lab.cnas_number)
        and lab.accreditation_valid_until is not None
        and lab.accreditation_valid_until >= on
    )
    if authorised or (record.kind == RecordKind.CALIBRATION and accredited):
        return []
    if record.kind == RecordKind.VERIFICATION:
        message = _("%(institution)s is not authorised for %(activity)s in %(area)s on %(date)s")
    else:
        message = _(
            "%(institution)s is not authorised or accredited for %(activity)s in %(area)s on %(date)s"
        )
    values = {"institution": lab, "activity": activity.label, "area": record.area, "date": on}
    return [InvalidInput("institution", message % values)]


def _result(record: Record, result: Result, field: str) -> list[InvalidInput]:
    if record.kind == RecordKind.VERIFICATION and not result.has_tolerance:
        return [InvalidInput(f"{field}.tolerance", _("a verification judges every point against the MPE"))]
    if not result.usages.all():
        return [InvalidInput(f"{field}.usages", _("name the standards or reference materials used"))]
    return []


def _usage(usage: Usage, result: Result, on: date, field: str, ratio: float) -> list[InvalidInput]:
    if usage.reference_material is not None:
        material = usage.reference_material
        if material.expiry < on:
            reason = _("%(material)s expired on %(date)s") % {"material": material, "date": material.expiry}
            return [InvalidInput(f"{field}.reference_material", reason)]
        u = material.expanded_uncertainty / material.coverage_factor
        return _ratio(result, u, material.unit, f"{field}.reference_material", ratio)
    standard = usage.standard
    assert standard is not None
    errors = [*_examination(standard, on, f"{field}.standard"), *_certificate(usage, standard, on, field)]
    if standard.expanded_uncertainty is not None and standard.coverage_factor:
        u = standard.expanded_uncertainty / standard.coverage_factor
        errors.extend(_ratio(result, u, standard.uncertainty_unit, f"{field}.standard", ratio))
    return errors


def _examination(standard: MeasurementStandard, on: date, field: str) -> list[InvalidInput]:
    until = standard.certificate_valid_until
    if until is not None and until < on:
        reason = _("the examination certificate of %(standard)s expired on %(date)s")
        return [InvalidInput(field, reason % {"standard": standard, "date": until})]
    if until is None and standard.level in EXAMINED_LEVELS:
        reason = _("%(standard)s has no standard-examination certificate")
        return [InvalidInput(field, reason % {"standard": standard})]
    return []


def _imported_dcc(standard: MeasurementStandard, on: date, where: str) -> list[InvalidInput]:
    """Without a certificate on record, a third-party DCC imported for the standard (issue 6 item
    5) may be the evidence: the one calibrated last on or before ``on`` must be valid and in force."""
    from jiliang.certificates.models import ImportedCertificate

    dcc = (
        ImportedCertificate.objects.filter(standard=standard, end_performance_date__lte=on)
        .order_by("-end_performance_date", "-id")
        .first()
    )
    if dcc is None:
        reason = _("name the certificate that made %(standard)s valid on %(date)s, or import its DCC")
        return [InvalidInput(where, reason % {"standard": standard, "date": on})]
    values = {"dcc": dcc, "standard": standard, "date": on, "until": dcc.valid_until}
    if not dcc.valid:
        return [InvalidInput(where, _("the imported DCC %(dcc)s of %(standard)s failed validation") % values)]
    if dcc.valid_until is None or dcc.valid_until < on:
        reason = _("the imported DCC %(dcc)s of %(standard)s was not valid on %(date)s (until %(until)s)")
        return [InvalidInput(where, reason % values)]
    return []


def _certificate(usage: Usage, standard: MeasurementStandard, on: date, field: str) -> list[InvalidInput]:
    """The certificate that made the standard valid: issued (not revoked) for that standard,
    and covering the calibration date. A national primary standard needs none."""
    cert = usage.certificate
    where = f"{field}.certificate"
    if cert is None:
        if standard.level == StandardLevel.NATIONAL_PRIMARY:
            return []
        return _imported_dcc(standard, on, where)
    values = {"certificate": cert, "standard": standard, "date": on, "until": cert.valid_until}
    if cert.standard_id != standard.pk:
        return [
            InvalidInput(
                where, _("certificate %(certificate)s is not a certificate of %(standard)s") % values
            )
        ]
    if cert.status == RecordStatus.REVOKED:
        return [InvalidInput(where, _("certificate %(certificate)s of %(standard)s was revoked") % values)]
    if cert.status not in (RecordStatus.ISSUED, RecordStatus.SUPERSEDED):
        return [InvalidInput(where, _("certificate %(certificate)s of %(standard)s is not issued") % values)]
    if cert.calibration_date > on or cert.valid_until is None or cert.valid_until < on:
        reason = _("certificate %(certificate)s of %(standard)s was not valid on %(date)s (until %(until)s)")
        return [InvalidInput(where, reason % values)]
    return []


def _ratio(result: Result, u_reference: Decimal, unit: str, field: str, ratio: float) -> list[InvalidInput]:
    """The result's standard uncertainty must be at least ``ratio`` times the reference's.
    A dimensionless U of a dimensional result is relative to the nominal value."""
    u_result = float(result.expanded_uncertainty / result.coverage_factor)
    result_unit = parse_unit(result.unit, "unit")
    ref_unit = parse_unit(unit, field)
    # uncertainties are differences: 1 °C of U is 1 K (jiliang.units.convert_difference)
    if ref_unit.dimensionless and not result_unit.dimensionless:
        u_ref = convert_difference(float(u_reference), unit, "", field) * abs(float(result.nominal_value))
    elif ref_unit.dimensionality == result_unit.dimensionality:
        u_ref = convert_difference(float(u_reference), unit, result.unit, field)
    else:
        reason = _("its uncertainty in %(unit)s cannot be compared with a result in %(result_unit)s")
        return [InvalidInput(field, reason % {"unit": repr(unit), "result_unit": repr(result.unit)})]
    if u_ref > 0 and not math.isclose(u_result / u_ref, ratio) and u_result / u_ref < ratio:
        reason = _(
            "its standard uncertainty %(reference)s %(unit)s is not %(ratio)s times smaller "
            "than the result's %(result)s %(unit)s"
        )
        values = {
            "reference": f"{u_ref:.3g}",
            "result": f"{u_result:.3g}",
            "unit": result.unit,
            "ratio": f"{ratio:g}",
        }
        return [InvalidInput(field, reason % values)]
    return []
