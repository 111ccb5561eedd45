"""Builders of issued calibration and verification records with a chosen as-found state."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from jiliang.registry import models
from tests.calibration import builders as b

D = Decimal
# e = measured - 10 against [-1, 1] with U = 0.5 (simple acceptance): 10.2 accepted, 11.5 rejected.
POINTS: dict[str, dict[str, Any]] = {
    "in": {"measured_value": D("10.2")},
    "out": {"measured_value": D("11.5")},
    "as_found_out": {"measured_value": D("10.2"), "as_found_value": D("11.5")},  # adjusted back
    "as_found_in": {"measured_value": D("10.2"), "as_found_value": D("10.3")},
    "unjudged": {"measured_value": D("10.2"), "tolerance_lower": None, "tolerance_upper": None},
}


def record(
    lab: b.Lab,
    item: models.Instrument | models.MeasurementStandard,
    day: date,
    state: str,
    kind: str = "calibration",
    primary: models.MeasurementStandard | None = None,
) -> Any:
    """An issued record of ``item`` on ``day`` whose only point is ``state`` (see POINTS)."""
    uses = [{"standard": primary or b.primary()}]
    return b.issued(
        lab,
        item,
        uses,
        [b.point(**POINTS[state])],
        kind=kind,
        calibration_date=day,
        valid_until=day + timedelta(days=365),
    )
