"""REST endpoint of the interval calculator: the same JSON as ``jiliang intervals recommend --format json``.

A stateless computation that stores nothing, so anyone may call it (``AllowAny``).
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.calculators.intervals import services
from jiliang.calculators.intervals.api.serializers import RecommendResultSerializer, RecommendSerializer


class RecommendView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=RecommendSerializer, responses=RecommendResultSerializer)
    def post(self, request: Request) -> Response:
        serializer = RecommendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if data.get("history"):
            history = services.history_from_upload(data["history"].read(), unit=data["unit"])
        else:
            history = services.history_from_json_rows(data["rows"], unit=data["unit"])
        result = services.recommend_interval(
            history,
            target=data["target"],
            method=data["method"],
            model=data["model"],
            confidence=data["confidence"],
            current_interval=data["current_interval"],
        )
        return Response(result.as_dict())
