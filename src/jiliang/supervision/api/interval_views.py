"""``GET /api/supervision/intervals/{standards/ID | instruments/ID | categories/CODE | models}/``:
interval recommendations from the recorded calibration and verification histories (issue 7, item 4)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from jiliang.errors import InvalidInput
from jiliang.intervals import DEFAULT_TARGET
from jiliang.supervision import interval_advice
from jiliang.supervision.api.views import _Base

PARAMS = [
    OpenApiParameter("target", float, description="reliability target (default 0.9)"),
    OpenApiParameter("manufacturer", str, description="models only"),
    OpenApiParameter("model", str, description="models only"),
]


def _target(request: Request) -> float:
    text = request.query_params.get("target")
    if text in (None, ""):
        return DEFAULT_TARGET
    try:
        return float(text)
    except ValueError:
        raise InvalidInput("target", f"{text!r} is not a number") from None


class HistoryAdvice(_Base):
    """``kind`` comes from the URL: standard, instrument, category or model."""

    kind = ""

    @extend_schema(parameters=PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, key: Any = None) -> Response:
        q = request.query_params
        subject: dict[str, Any] = {"model": q.get("model", ""), "manufacturer": q.get("manufacturer")}
        if self.kind != "model":
            subject = {self.kind: key}
        return Response(interval_advice.advise_for(self.actor, target=_target(request), **subject))
