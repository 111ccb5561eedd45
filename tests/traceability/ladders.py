"""A ladder of standards from a national primary standard down to an instrument, for DB tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from jiliang.calibration.models import Record
from jiliang.registry import models
from tests import factories
from tests.calibration import builders as b


@dataclass
class Ladder:
    primary: models.MeasurementStandard
    standards: list[models.MeasurementStandard]
    certificates: list[Record]
    instrument: models.Instrument
    record: Record


def u(level: int) -> Decimal:
    """U of level ``level`` below the primary standard: 4 times the level above (guard ratio 3)."""
    return Decimal("0.001") * 4**level


def ladder(depth: int, *, at: b.Lab | None = None, measured: str = "10.2") -> Ladder:
    at = at or b.lab()
    nmi = b.lab(kind="nmi")
    primary = b.primary()
    standards, certificates = [], []
    above: dict = {"standard": primary}
    for level in range(1, depth + 1):
        std = b.examined_standard(expanded_uncertainty=u(level), name=f"Standard L{level}")
        cert = b.issued(
            nmi if level == 1 else at,
            std,
            [above],
            [b.point(expanded_uncertainty=u(level), measured_value=Decimal("10.001"))],
            calibration_date=date(2025, 1, 1),
            valid_until=date(2025, 12, 31),
        )
        standards.append(std)
        certificates.append(cert)
        above = {"standard": std, "certificate": cert}
    instrument = factories.instrument()
    record = b.issued(
        at,
        instrument,
        [above],
        [b.point(expanded_uncertainty=u(depth + 1), measured_value=Decimal(measured),
                 tolerance_lower=Decimal("-100"), tolerance_upper=Decimal("100"))],
    )  # fmt: skip
    return Ladder(primary, standards, certificates, instrument, record)
