"""The file format of each record type: its columns, how each is read, and the row rules that
mirror the database's check constraints. One table serves the import, the export and the docs.
The rules' reasons are worded in the active language when a row is checked."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiliang.registry import models as m
from jiliang.registry import validators as v
from jiliang.registry.choices import (
    AuthorisationActivity,
    InstitutionKind,
    InstrumentStatus,
    Role,
    SpecificationKind,
    StandardLevel,
    StandardStatus,
)

# Reference kinds: what a column's text names, and the natural key it is looked up by.
REFERENCES = {
    "institution": (m.Institution, "credit_code"),
    "area": (m.MeasurementArea, "code"),
    "category": (m.InstrumentCategory, "code"),
    "district": (m.District, "code"),
    "specification": (m.TechnicalSpecification, "code"),
}


@dataclass(frozen=True)
class Column:
    """One column. ``kind`` is str, int, date, decimal, choice, ref (a natural key) or refs
    (several natural keys separated by ``;``). ``attname`` is the model attribute it fills."""

    name: str
    kind: str = "str"
    required: bool = False
    attname: str = ""
    max_length: int | None = None
    choices: frozenset[str] = frozenset()
    ref: str = ""
    canonical: Callable[[str, str], str] | None = None
    default: Any = None
    help: str = ""

    @property
    def target(self) -> str:
        return self.attname or (f"{self.name}_id" if self.kind == "ref" else self.name)

    @property
    def export_path(self) -> str:
        if self.kind == "ref":
            return f"{self.name}__{REFERENCES[self.ref][1]}"
        return self.name


# A row rule gets the converted values by column name and returns (column, reason) or None.
RowRule = Callable[[dict[str, Any]], tuple[str, str] | None]


@dataclass(frozen=True)
class RecordType:
    name: str
    model: type[Model]
    columns: tuple[Column, ...]
    unique: tuple[tuple[str, ...], ...] = ()  # column groups unique in the file and the database
    rules: tuple[RowRule, ...] = ()
    m2m: tuple[str, ...] = field(default=())


def _text(name: str, n: int, required: bool = False, **kw: Any) -> Column:
    return Column(name, "str", required, max_length=n, default="", **kw)


def _choice(name: str, choices: Any, required: bool = True, default: Any = None) -> Column:
    return Column(name, "choice", required, choices=frozenset(choices.values), default=default)


def _need(condition: bool, where: str, reason: str, **values: Any) -> tuple[str, str] | None:
    """None when ``condition`` holds, else (``where``, the ``reason`` sentence translated): the
    sentence is marked with ``gettext_noop`` and worded only when a row breaks the rule."""
    if condition:
        return None
    return where, (_(reason) % values if values else _(reason))


def _interval_positive(col: str) -> RowRule:
    return lambda r: _need(
        r[col] is None or r[col] > 0, col, gettext_noop("must be a positive number of months")
    )


def _not_before(later: str, earlier: str) -> RowRule:
    def rule(r: dict[str, Any]) -> tuple[str, str] | None:
        a: date | None = r[later]
        b: date | None = r[earlier]
        return _need(
            a is None or b is None or a >= b, later, gettext_noop("is before %(column)s"), column=earlier
        )

    return rule


def _u_with_k(r: dict[str, Any]) -> tuple[str, str] | None:
    u: Decimal | None = r["expanded_uncertainty"]
    k: Decimal | None = r["coverage_factor"]
    if (u is None) != (k is None):
        return ("coverage_factor" if k is None else "expanded_uncertainty", _("U and k go together"))
    if u is not None and k is not None and (u <= 0 or k <= 0):
        return ("expanded_uncertainty" if u <= 0 else "coverage_factor", _("must be positive"))
    return None


def _capability(r: dict[str, Any]) -> tuple[str, str] | None:
    has = r["expanded_uncertainty"] is not None or r["accuracy_class"] or r["mpe"]
    return _need(
        bool(has), "expanded_uncertainty", gettext_noop("give U with k, an accuracy class or an MPE")
    )


def _qualification(r: dict[str, Any]) -> tuple[str, str] | None:
    parts = (
        r["metrologist_level"] is not None,
        bool(r["registration_number"]),
        r["registration_valid_until"] is not None,
    )
    return _need(
        all(parts) or not any(parts),
        "registration_number",
        gettext_noop("a registered metrologist needs level, registration number and validity together"),
    )


def _validity_given(key: str, validity: str) -> RowRule:
    return lambda r: _need(
        not r[key] or r[validity] is not None,
        validity,
        gettext_noop("required when %(column)s is given"),
        column=key,
    )


DATE, INT, DEC = "date", "int", "decimal"
INSTITUTION = RecordType(
    "institution",
    m.Institution,
    (
        _text("name", 200, True),
        _choice("kind", InstitutionKind),
        _text("credit_code", 18, True, canonical=v.validate_credit_code),
        Column("district", "ref", ref="district"),
        _text("address", 300),
        _text("cnas_number", 20, canonical=v.validate_cnas_number),
        _text("accreditation_scope", 10_000),
        Column("accreditation_valid_until", DATE),
    ),
    unique=(("name",), ("credit_code",), ("cnas_number",)),
    rules=(_validity_given("cnas_number", "accreditation_valid_until"),),
)
SPECIFICATION = RecordType(
    "specification",
    m.TechnicalSpecification,
    (
        _text("code", 40, True, canonical=v.validate_specification_code),
        _text("title", 300, True),
        _choice("kind", SpecificationKind),
        Column("area", "ref", ref="area"),
        Column("default_interval_months", INT),
        Column("effective_from", DATE),
    ),
    unique=(("code",),),
    rules=(_interval_positive("default_interval_months"),),
)
AUTHORISATION = RecordType(
    "authorisation",
    m.Authorisation,
    (
        Column("institution", "ref", True, ref="institution"),
        _choice("activity", AuthorisationActivity),
        Column("area", "ref", True, ref="area"),
        Column("category", "ref", ref="category"),
        Column("specification", "ref", ref="specification"),
        _text("items", 300),
        Column("valid_from", DATE, True),
        Column("valid_until", DATE, True),
    ),
    rules=(_not_before("valid_until", "valid_from"),),
)
PERSON = RecordType(
    "person",
    m.Person,
    (
        Column("institution", "ref", True, ref="institution"),
        _text("name", 100, True),
        _choice("role", Role, required=False, default=Role.STAFF.value),
        Column("metrologist_level", INT),
        _text("registration_number", 40),
        Column("registration_valid_until", DATE),
        Column("authorised_categories", "refs", ref="category", default=()),
    ),
    unique=(("registration_number",),),
    rules=(_qualification,),
    m2m=("authorised_categories",),
)
STANDARD = RecordType(
    "standard",
    m.MeasurementStandard,
    (
        _text("name", 200, True),
        _choice("level", StandardLevel),
        Column("owner", "ref", True, ref="institution"),
        Column("area", "ref", True, ref="area"),
        _text("quantity", 100, True),
        _text("measuring_range", 200),
        Column("expanded_uncertainty", DEC),
        Column("coverage_factor", DEC),
        _text("uncertainty_unit", 40),
        _text("accuracy_class", 40),
        _text("mpe", 100),
        _text("certificate_number", 60),
        Column("certificate_valid_until", DATE),
        _choice("status", StandardStatus, required=False, default=StandardStatus.IN_SERVICE.value),
    ),
    unique=(("certificate_number",),),
    rules=(_u_with_k, _capability, _validity_given("certificate_number", "certificate_valid_until")),
)
REFERENCE_MATERIAL = RecordType(
    "reference_material",
    m.ReferenceMaterial,
    (
        _text("number", 20, True, canonical=v.validate_gbw_number),
        _text("name", 200, True),
        Column("producer", "ref", True, ref="institution"),
        Column("area", "ref", ref="area"),
        _text("property", 200, True),
        Column("certified_value", DEC, True),
        Column("expanded_uncertainty", DEC, True),
        Column("coverage_factor", DEC, True),
        _text("unit", 40, True),
        Column("expiry", DATE, True),
    ),
    unique=(("number",),),
    rules=(_u_with_k,),
)
INSTRUMENT = RecordType(
    "instrument",
    m.Instrument,
    (
        Column("category", "ref", True, ref="category"),
        _text("manufacturer", 200, True),
        _text("model", 100, True),
        _text("serial_number", 100, True),
        Column("owner", "ref", True, ref="institution"),
        _text("location", 300),
        Column("district", "ref", ref="district"),
        _text("accuracy_class", 40),
        _text("mpe", 100),
        _choice("status", InstrumentStatus, required=False, default=InstrumentStatus.IN_SERVICE.value),
        Column("interval_months", INT),
        Column("last_verification", DATE),
        Column("next_due", DATE),
    ),
    unique=(("manufacturer", "model", "serial_number"),),
    rules=(_interval_positive("interval_months"), _not_before("next_due", "last_verification")),
)

# In the order they are written: a record's references come before it.
TYPES: dict[str, RecordType] = {
    t.name: t
    for t in (SPECIFICATION, INSTITUTION, AUTHORISATION, PERSON, STANDARD, REFERENCE_MATERIAL, INSTRUMENT)
}
