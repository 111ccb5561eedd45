"""Builders for database tests: each makes a valid record, keyword arguments override fields."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model

from jiliang.registry import models
from jiliang.registry.validators import CREDIT_CODE_CHARS, credit_code_check_character

_seq = itertools.count(1)


def credit_code(n: int | None = None) -> str:
    """A valid unified social credit code (GB 32100-2015) numbered ``n``."""
    n = next(_seq) if n is None else n
    body = f"91310000{n:09d}"
    assert all(c in CREDIT_CODE_CHARS for c in body)
    return body + credit_code_check_character(body)


def area(code: str = "length") -> models.MeasurementArea:
    return models.MeasurementArea.objects.get(code=code)


def district(code: str = "310104") -> models.District:
    return models.District.objects.get(code=code)


def category(code: str = "water_meter_dn15_25") -> models.InstrumentCategory:
    return models.InstrumentCategory.objects.get(code=code)


def institution(**kw: Any) -> models.Institution:
    n = next(_seq)
    fields: dict[str, Any] = {
        "name": f"Institution {n}",
        "kind": "calibration_lab",
        "credit_code": credit_code(n),
        "district": district(),
    }
    fields.update(kw)
    return models.Institution.objects.create(**fields)


def person(**kw: Any) -> models.Person:
    fields: dict[str, Any] = {"name": f"Person {next(_seq)}"}
    fields.update(kw)
    if "institution" not in fields:
        fields["institution"] = institution()
    return models.Person.objects.create(**fields)


def user_with_role(role: str, inst: models.Institution | None = None, **kw: Any):
    """A Django user linked to a Person with ``role`` in ``inst`` (a new institution if None)."""
    n = next(_seq)
    user = get_user_model().objects.create_user(f"user{n}", password="pw-for-tests")
    person(institution=inst or institution(), user=user, role=role, **kw)
    return user


def standard(**kw: Any) -> models.MeasurementStandard:
    fields: dict[str, Any] = {
        "name": f"Gauge block standard {next(_seq)}",
        "level": "public",
        "area": area(),
        "quantity": "length",
        "expanded_uncertainty": Decimal("0.05"),
        "coverage_factor": Decimal("2"),
        "uncertainty_unit": "µm",
    }
    fields.update(kw)
    if "owner" not in fields:
        fields["owner"] = institution()
    return models.MeasurementStandard.objects.create(**fields)


def reference_material(**kw: Any) -> models.ReferenceMaterial:
    n = next(_seq)
    fields: dict[str, Any] = {
        "number": f"GBW(E){n:06d}",
        "name": "pH buffer",
        "property": "pH",
        "certified_value": Decimal("4.003"),
        "expanded_uncertainty": Decimal("0.010"),
        "coverage_factor": Decimal("2"),
        "unit": "1",
        "expiry": date(2030, 1, 1),
    }
    fields.update(kw)
    if "producer" not in fields:
        fields["producer"] = institution()
    return models.ReferenceMaterial.objects.create(**fields)


def instrument(**kw: Any) -> models.Instrument:
    fields: dict[str, Any] = {
        "category": category(),
        "manufacturer": "Acme Meters",
        "model": "LXS-15",
        "serial_number": f"SN{next(_seq):08d}",
        "district": district(),
        "interval_months": 72,
        "last_verification": date(2024, 1, 10),
        "next_due": date(2030, 1, 10),
    }
    fields.update(kw)
    if "owner" not in fields:
        fields["owner"] = institution(kind="enterprise")
    return models.Instrument.objects.create(**fields)
