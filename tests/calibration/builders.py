"""Builders of calibration records for tests: a qualified laboratory and an issued chain."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from jiliang.calibration import services
from jiliang.calibration.models import Record
from jiliang.registry import models
from jiliang.registry.policy import SYSTEM
from tests import factories

_seq = itertools.count(1)
RATIO = 3.0
D = Decimal


@dataclass
class Lab:
    institution: models.Institution
    performer: models.Person
    checker: models.Person


def qualified(inst: models.Institution, **kw: Any) -> models.Person:
    n = next(_seq)
    fields: dict[str, Any] = {
        "institution": inst,
        "metrologist_level": 1,
        "registration_number": f"REG{n:06d}",
        "registration_valid_until": date(2030, 12, 31),
    }
    fields.update(kw)
    person = factories.person(**fields)
    person.authorised_categories.add(factories.category())
    return person


def lab(**kw: Any) -> Lab:
    """A laboratory authorised for verification and calibration of length, 2020-2030."""
    inst = factories.institution(**kw)
    for activity in ("verification", "calibration"):
        models.Authorisation.objects.create(
            institution=inst,
            activity=activity,
            area=factories.area(),
            valid_from=date(2020, 1, 1),
            valid_until=date(2030, 12, 31),
        )
    return Lab(inst, qualified(inst), qualified(inst))


def point(**kw: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "quantity": "length",
        "unit": "µm",
        "nominal_value": D("10"),
        "measured_value": D("10.2"),
        "expanded_uncertainty": D("0.5"),
        "coverage_factor": D("2"),
        "tolerance_lower": D("-1"),
        "tolerance_upper": D("1"),
    }
    fields.update(kw)
    return fields


def draft(at: Lab, item: models.Instrument | models.MeasurementStandard, **kw: Any) -> Record:
    fields: dict[str, Any] = {
        "kind": "calibration",
        "certificate_number": f"CAL{next(_seq):07d}",
        "institution": at.institution,
        "area": factories.area(),
        "performer": at.performer,
        "checker": at.checker,
        "calibration_date": date(2025, 3, 1),
        "valid_until": date(2026, 2, 28),
        "temperature": "(20.0 ± 0.5) °C",
    }
    if isinstance(item, models.Instrument):
        fields["instrument"] = item
    else:
        fields["standard"] = item
    fields.update(kw)
    return services.create_record(SYSTEM, fields)


def issued(
    at: Lab,
    item: models.Instrument | models.MeasurementStandard,
    uses: list[dict[str, Any]],
    points: list[dict[str, Any]] | None = None,
    **kw: Any,
) -> Record:
    """An issued record with ``points`` (one default point), each using ``uses``."""
    record = draft(at, item, **kw)
    for p in points or [point()]:
        services.add_result(SYSTEM, record, p, uses)
    services.check_record(SYSTEM, record)
    return services.issue_record(SYSTEM, record, min_uncertainty_ratio=RATIO, on=record.calibration_date)


def primary(**kw: Any) -> models.MeasurementStandard:
    """A national primary standard (no certificate needed)."""
    fields: dict[str, Any] = {
        "level": "national_primary",
        "expanded_uncertainty": D("0.001"),
        "uncertainty_unit": "µm",
        "owner": factories.institution(kind="nmi"),
    }
    fields.update(kw)
    return factories.standard(**fields)


def examined_standard(**kw: Any) -> models.MeasurementStandard:
    n = next(_seq)
    fields: dict[str, Any] = {
        "level": "public",
        "certificate_number": f"EXAM{n:06d}",
        "certificate_valid_until": date(2029, 12, 31),
        "expanded_uncertainty": D("0.05"),
        "uncertainty_unit": "µm",
    }
    fields.update(kw)
    return factories.standard(**fields)
