"""Interval recommendations on the registry's standard and instrument pages (issue 7, item 4),
contributed through ``SupervisionConfig.detail_panels``. The registry view has already checked
that the user may read the object."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from jiliang.registry.models import Instrument, MeasurementStandard
from jiliang.supervision import interval_advice

TEMPLATE = "supervision/interval_panel.html"


def standard_panel(request: HttpRequest, obj: MeasurementStandard) -> dict[str, Any]:
    return {"template": TEMPLATE, "report": interval_advice.for_standard(obj)}


def instrument_panel(request: HttpRequest, obj: Instrument) -> dict[str, Any]:
    return {"template": TEMPLATE, "report": interval_advice.for_instrument(obj)}
