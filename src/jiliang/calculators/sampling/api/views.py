"""REST endpoints: POST a JSON body (or GET with query parameters for the single-value ones).

The calculators read and write no records, so anyone may call them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.calculators.sampling import services
from jiliang.calculators.sampling.api import serializers as s


class _Calculator(APIView):
    permission_classes = [AllowAny]
    request_serializer: type[serializers.Serializer]
    allow_get = True

    def compute(self, data: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def _answer(self, raw: Any) -> Response:
        request = self.request_serializer(data=raw)
        request.is_valid(raise_exception=True)
        return Response(self.compute(dict(request.validated_data)))

    def post(self, request: Request) -> Response:
        return self._answer(request.data)

    def get(self, request: Request) -> Response:
        if not self.allow_get:
            return Response({"detail": "use POST"}, status=405)
        return self._answer(request.query_params)


def _calculator(
    serializer: type[serializers.Serializer], fn: Callable[..., dict[str, Any]], *, get: bool = True
):
    @extend_schema(request=serializer, responses=OpenApiTypes.OBJECT)
    class View(_Calculator):
        request_serializer = serializer
        allow_get = get

        def compute(self, data: dict[str, Any]) -> dict[str, Any]:
            return fn(**data)

    View.__name__ = View.__qualname__ = f"{fn.__name__.title().replace('_', '')}View"
    return View


def _switching(lots: list[dict[str, int]], **kwargs: Any) -> dict[str, Any]:
    return services.switching([(lot["lot_size"], lot["nonconforming"]) for lot in lots], **kwargs)


PlanView = _calculator(s.PlanRequest, services.plan)
LQPlanView = _calculator(s.LQPlanRequest, services.lq)
OCView = _calculator(s.OCRequest, services.oc)
ZeroAcceptanceView = _calculator(s.ZeroAcceptanceRequest, services.zero_acceptance)
VariablesPlanView = _calculator(s.VariablesPlanRequest, services.variables_plan)
VariablesCheckView = _calculator(s.VariablesCheckRequest, services.variables_check, get=False)
SwitchingView = _calculator(s.SwitchingRequest, _switching, get=False)
LotsView = _calculator(s.LotsRequest, services.decide_lots, get=False)
