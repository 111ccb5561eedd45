"""The registry's models, split by topic; import them from here."""

from jiliang.registry.models.assets import Instrument, MeasurementStandard, ReferenceMaterial
from jiliang.registry.models.catalogue import (
    District,
    InstrumentCategory,
    MeasurementArea,
    TechnicalSpecification,
)
from jiliang.registry.models.institutions import Authorisation, Institution, Person

__all__ = [
    "Authorisation",
    "District",
    "Institution",
    "Instrument",
    "InstrumentCategory",
    "MeasurementArea",
    "MeasurementStandard",
    "Person",
    "ReferenceMaterial",
    "TechnicalSpecification",
]
