"""REST endpoints of the conformity calculators: the same JSON as ``jiliang conformity ... --format json``.

Stateless computations that store nothing, so anyone may call them (``AllowAny``).
"""

from __future__ import annotations

import math
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.calculators.conformity import services
from jiliang.calculators.conformity.api.serializers import (
    CheckResultSerializer,
    CheckSerializer,
    RiskResultSerializer,
    RiskSerializer,
)


def _clean(value: Any) -> Any:
    """JSON has no infinity: the open side of a one-sided tolerance becomes null, as in the CLI."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    return value


def _json(data: dict[str, object]) -> Response:
    return Response({key: _clean(value) for key, value in data.items()})


class CheckView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=CheckSerializer, responses=CheckResultSerializer)
    def post(self, request: Request) -> Response:
        serializer = CheckSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _json(services.check_conformity(**serializer.validated_data).as_dict())


class RiskView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(request=RiskSerializer, responses=RiskResultSerializer)
    def post(self, request: Request) -> Response:
        serializer = RiskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return _json(services.global_risk(**serializer.validated_data).as_dict())
