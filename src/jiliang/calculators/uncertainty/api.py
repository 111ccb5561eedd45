"""``POST /api/uncertainty/evaluate``: the model file as JSON in, the JSON contract out."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.calculators.uncertainty import services

_OPTIONS = [
    OpenApiParameter("method", str, enum=["gum", "mc", "both"]),
    OpenApiParameter("trials", int, description=f"at most {services.API_MAX_TRIALS}"),
    OpenApiParameter("adaptive", bool),
    OpenApiParameter("digits", int),
    OpenApiParameter("seed", int),
    OpenApiParameter(
        "threads",
        int,
        description=f"Monte Carlo threads, 1 to {services.API_MAX_THREADS}; results do not depend on it",
    ),
    OpenApiParameter("coverage", float),
    OpenApiParameter("coverage_factor", float),
    OpenApiParameter("second_order", bool),
]


class EvaluateView(APIView):
    """Evaluate a measurement model by the GUM method and Monte Carlo (docs/uncertainty.md).

    A stateless calculator: open to anonymous callers, bounded by the trial and size limits.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []
    parser_classes: list[type] = []  # the body is read raw, so its size is checked before parsing

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT, parameters=_OPTIONS)
    def post(self, request: Request) -> Response:
        data = services.parse_json_body(request.body)
        options = services.options_from_query(request.query_params)
        return Response(services.evaluate_model(data, options).to_dict())
