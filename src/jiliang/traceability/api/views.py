"""REST endpoints of traceability: the chain of a record, a certificate number or an instrument;
the impact of an out-of-tolerance standard (JSON or CSV); opening nonconforming work."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.calibration.models import Record
from jiliang.errors import InvalidInput, NotFound
from jiliang.registry.policy import actor_for
from jiliang.traceability import services
from jiliang.traceability.params import parse_impact
from jiliang.traceability.reverse import ImpactReport

_IMPACT_PARAMS = [
    OpenApiParameter(
        "source", str, required=True, description="standard id or reference-material GBW number"
    ),
    OpenApiParameter("since", OpenApiTypes.DATE, required=True),
    OpenApiParameter("until", OpenApiTypes.DATE),
    OpenApiParameter("error", float, description="as-found error E"),
    OpenApiParameter("error_uncertainty", float, description="U(E), k = 2"),
    OpenApiParameter("unit", str),
    OpenApiParameter("range", str, description="LOW:HIGH"),
]


class ChainView(APIView):
    """``GET chain/<id>/``, ``GET chain/?certificate=NUMBER[&issuer=CREDIT_CODE]``,
    ``GET chain/?instrument=ID`` (its latest issued record)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[
            OpenApiParameter("certificate", str),
            OpenApiParameter("issuer", str),
            OpenApiParameter("instrument", int),
        ],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request, pk: int | None = None) -> Response:
        if pk is not None:
            record = Record.objects.filter(pk=pk).first()
            if record is None:
                raise NotFound("record", pk)
        elif request.query_params.get("certificate"):
            record = services.find_record(
                request.query_params["certificate"], request.query_params.get("issuer")
            )
        elif request.query_params.get("instrument", "").isdigit():
            record = services.latest_record_of_instrument(int(request.query_params["instrument"]))
        else:
            raise InvalidInput("certificate", "give a record id, ?certificate=NUMBER or ?instrument=ID")
        return Response(services.chain_of_record(actor_for(request.user), record).as_dict())


class ImpactView(APIView):
    """``GET impact/?source=..&since=..``: the impact report (``&export=csv`` for CSV);
    ``POST impact/`` with the same fields (and ``description``) opens nonconforming work."""

    permission_classes = [IsAuthenticated]

    def _report(self, request: Request, values: dict[str, str | None]) -> tuple[Any, ImpactReport]:
        source_key = values.get("source")
        if not source_key:
            raise InvalidInput("source", "give a standard id or a reference material's GBW number")
        window, error = parse_impact(values)
        source = services.find_source(source_key)
        return source, services.analyse(actor_for(request.user), source, window, error)

    @extend_schema(parameters=_IMPACT_PARAMS, responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response | HttpResponse:
        _, report = self._report(request, {k: request.query_params.get(k) for k in _KEYS})
        if request.query_params.get("export") == "csv":
            response = HttpResponse(report.to_csv(), content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="impact.csv"'
            return response
        return Response(report.as_dict())

    @extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)
    def post(self, request: Request) -> Response:
        data = request.data if isinstance(request.data, dict) else {}
        values = {k: None if data.get(k) is None else str(data.get(k)) for k in _KEYS}
        with transaction.atomic():
            source, report = self._report(request, values)
            work = services.open_nonconforming_work(
                actor_for(request.user), source, report, str(data.get("description", ""))
            )
        return Response(
            {"id": work.pk, "notifications": work.notifications.count(), "report": work.report}, status=201
        )


_KEYS = ("source", "since", "until", "error", "error_uncertainty", "unit", "range")
