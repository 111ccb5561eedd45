"""Models of supervision: meter fleets and lots, compulsory verification, risk screening."""

from jiliang.supervision.models.compulsory import CatalogueEntry, CatalogueVersion, Filing, Notification
from jiliang.supervision.models.fleet import (
    Fleet,
    InspectionResult,
    Lot,
    Meter,
    MeterCell,
    SampleDraw,
    SampleMeter,
)
from jiliang.supervision.models.risk import Campaign, Finding

__all__ = [
    "Campaign",
    "CatalogueEntry",
    "CatalogueVersion",
    "Filing",
    "Finding",
    "Fleet",
    "InspectionResult",
    "Lot",
    "Meter",
    "MeterCell",
    "Notification",
    "SampleDraw",
    "SampleMeter",
]
