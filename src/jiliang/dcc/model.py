"""Typed, frozen data of a Digital Calibration Certificate (PTB DCC 3.3.0, D-SI 2.2.1).

The model covers the core of a DCC that Jiliang issues and reads: administrative data
(``dcc:coreData``, items, laboratory, responsible persons, customer, statements) and the
measurement results as quantities with D-SI units and an expanded measurement uncertainty
(JCGM 100:2008 6.2: ``U = k u_c`` with coverage factor ``k`` and coverage probability ``p``).
Parts of a DCC outside this model (methods, equipment, influence conditions, embedded
documents...) are kept by the XML itself; :func:`jiliang.dcc.parse` reads what the model holds.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

LATEST_SCHEMA_VERSION = "3.3.0"
SUPPORTED_SCHEMA_VERSIONS = ("2.4.0", "3.0.0", "3.1.1", "3.1.2", "3.2.0", "3.2.1", "3.3.0")

Severity = Literal["error", "warning"]
# A value as printed on the certificate: ``Decimal("0.0020")`` keeps its significant digits
# (what a reader of the certificate sees); a float is written with Python's shortest repr.
Number = Decimal | float
Layer = Literal["xml", "xsd", "rules", "units", "signature"]


@dataclass(frozen=True)
class Text:
    """A ``dcc:textType``: one ``dcc:content`` per language (``lang`` None when not given)."""

    contents: tuple[tuple[str | None, str], ...]

    @classmethod
    def of(cls, default: str | None = None, /, **by_lang: str) -> Text:
        """``Text.of(en="Thermometer", zh="温度计")``; a positional value has no language."""
        pairs: list[tuple[str | None, str]] = [] if default is None else [(None, default)]
        pairs.extend(by_lang.items())
        return cls(tuple(pairs))

    def get(self, lang: str | None = None) -> str:
        """The content in ``lang``, else the one without a language, else the first one."""
        for key, value in self.contents:
            if key == lang:
                return value
        for key, value in self.contents:
            if key is None:
                return value
        return self.contents[0][1] if self.contents else ""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(lang for lang, _ in self.contents if lang)


@dataclass(frozen=True)
class Location:
    """A ``dcc:location`` (DCC 3.3.0 ``locationType``)."""

    city: str | None = None
    country_code: str | None = None
    post_code: str | None = None
    street: str | None = None
    street_no: str | None = None
    further: str | None = None


@dataclass(frozen=True)
class Contact:
    """A ``dcc:contactType`` (customer, laboratory) or ``contactNotStrictType`` (persons)."""

    name: Text
    email: str | None = None
    phone: str | None = None
    location: Location | None = None


@dataclass(frozen=True)
class Identification:
    """A ``dcc:identification``: who issued the identifier, its value, an optional name."""

    issuer: str
    value: str
    name: Text | None = None


@dataclass(frozen=True)
class Item:
    """The calibration item (``dcc:item``)."""

    name: Text
    identifications: tuple[Identification, ...]
    manufacturer: str | None = None
    model: str | None = None
    description: Text | None = None


@dataclass(frozen=True)
class Software:
    """A ``dcc:software`` entry (name and release)."""

    name: str
    release: str


@dataclass(frozen=True)
class RespPerson:
    """A responsible person (``dcc:respPerson``)."""

    name: Text
    role: str | None = None
    main_signer: bool = False


@dataclass(frozen=True)
class ExpandedUncertainty:
    """Expanded measurement uncertainty ``U = k u_c`` (JCGM 100:2008 6.2.1, 6.3).

    ``values`` has one entry per quantity value (in the unit of the value); the coverage factor
    and probability apply to all of them. D-SI 2.2.1 ``si:expandedMU`` / ``si:expandedMUXMLList``
    (read also from the deprecated ``si:expandedUnc``).
    """

    values: tuple[Number, ...]
    coverage_factor: float
    coverage_probability: float
    distribution: str | None = None


@dataclass(frozen=True)
class Quantity:
    """A ``dcc:quantity`` holding D-SI real values (``si:real`` or ``si:realListXMLList``).

    ``units`` holds one D-SI unit for every value, or one unit for all of them.
    :func:`jiliang.dcc.parse` returns values as ``Decimal`` so that the digits written in the
    document (``100.0120``) survive. Several values are written as ``si:realListXMLList``; ``as_list`` asks for that form even
    for a single value.
    """

    values: tuple[Number, ...]
    units: tuple[str, ...]
    name: Text | None = None
    uncertainty: ExpandedUncertainty | None = None
    ref_type: str | None = None
    as_list: bool = False

    @property
    def unit(self) -> str:
        return self.units[0] if self.units else ""

    def unit_of(self, index: int) -> str:
        return self.units[index] if len(self.units) > 1 else self.unit


@dataclass(frozen=True)
class Result:
    """A ``dcc:result``: a name and the quantities of its ``dcc:data`` (a ``dcc:list`` when > 1)."""

    name: Text
    quantities: tuple[Quantity, ...]
    description: Text | None = None
    ref_type: str | None = None


@dataclass(frozen=True)
class MeasurementResult:
    """A ``dcc:measurementResult`` with the names of the methods used."""

    name: Text
    results: tuple[Result, ...]
    methods: tuple[Text, ...] = ()


@dataclass(frozen=True)
class Statement:
    """A ``dcc:statement``. ``ref_type`` says what it is: ``basic_conformity`` (decision rule and
    conformity, ILAC-G8), ``basic_metrologicalTraceability``, ``basic_uncertainty``,
    ``basic_recalibration`` (``date`` or ``period``: when to recalibrate)..."""

    declaration: Text
    ref_type: str | None = None
    norms: tuple[str, ...] = ()
    conformity: str | None = None
    traceable: bool | None = None
    date: dt.date | None = None
    period: str | None = None  # xs:duration, e.g. "P1Y" (a recalibration interval)


@dataclass(frozen=True)
class CoreData:
    """``dcc:coreData`` (DCC 3.3.0): identifiers, languages and dates."""

    unique_identifier: str
    country_code: str
    used_languages: tuple[str, ...]
    mandatory_languages: tuple[str, ...]
    begin_performance_date: dt.date
    end_performance_date: dt.date
    performance_location: str = "laboratory"
    issue_date: dt.date | None = None
    receipt_date: dt.date | None = None
    identifications: tuple[Identification, ...] = ()


@dataclass(frozen=True)
class Certificate:
    """A Digital Calibration Certificate as Jiliang models it."""

    core: CoreData
    items: tuple[Item, ...]
    laboratory: Contact
    responsible_persons: tuple[RespPerson, ...]
    customer: Contact
    measurement_results: tuple[MeasurementResult, ...]
    software: tuple[Software, ...] = (Software("Jiliang", "0.1.0"),)
    laboratory_code: str | None = None
    statements: tuple[Statement, ...] = ()
    schema_version: str = LATEST_SCHEMA_VERSION
    signed: bool = False

    def statements_of(self, ref_type: str) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if ref_type in (s.ref_type or "").split())


@dataclass(frozen=True)
class Finding:
    """One finding of :func:`jiliang.dcc.validate`: which layer, how bad, where, which rule."""

    layer: Layer
    severity: Severity
    path: str
    rule: str
    message: str

    def to_dict(self) -> dict[str, str]:
        return {
            "layer": self.layer,
            "severity": self.severity,
            "path": self.path,
            "rule": self.rule,
            "message": self.message,
        }


@dataclass(frozen=True)
class ValidationReport:
    """The layered verdict on one document: valid when no finding is an error."""

    schema_version: str | None
    findings: tuple[Finding, ...] = field(default=())

    @property
    def valid(self) -> bool:
        return not any(f.severity == "error" for f in self.findings)

    def errors(self, layer: str | None = None) -> tuple[Finding, ...]:
        return tuple(
            f for f in self.findings if f.severity == "error" and (layer is None or f.layer == layer)
        )

    def to_dict(self) -> dict[str, object]:
        return {
            "valid": self.valid,
            "schema_version": self.schema_version,
            "findings": [f.to_dict() for f in self.findings],
        }
