"""REST endpoints of state-based extension, mounted under ``/api/supervision/``.

Reads follow :mod:`jiliang.supervision.policy`; every write is one transaction through the
services. The public meter lookup needs no login.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.errors import InvalidInput
from jiliang.registry import policy as registry_policy
from jiliang.supervision import present, services
from jiliang.supervision.models import Fleet
from jiliang.supervision.policy import READ, require, visible_fleets

OBJECT = extend_schema(request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT)


def _day(data: Any, field: str) -> date:
    text = data.get(field) if hasattr(data, "get") else None
    if not text:
        raise InvalidInput(field, "is required (ISO date)")
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not an ISO date (YYYY-MM-DD)") from None


def _body(request: Request) -> dict[str, Any]:
    if not isinstance(request.data, dict):
        raise InvalidInput("body", "must be a JSON object")
    return dict(request.data)


def _int(data: Any, field: str) -> int:
    value: Any = data.get(field) if hasattr(data, "get") else None
    try:
        return int(value)
    except (TypeError, ValueError):
        raise InvalidInput(field, f"{value!r} is not a whole number") from None


class _Base(APIView):
    permission_classes = [IsAuthenticated]

    @property
    def actor(self) -> registry_policy.Actor:
        return registry_policy.actor_for(self.request.user)

    def fleet(self, code: str) -> Fleet:
        fleet = services.get_fleet(code)
        require(self.actor, READ, fleet)
        return fleet


class FleetList(_Base):
    @extend_schema(operation_id="supervision_fleets_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response([present.fleet(f) for f in visible_fleets(self.actor)])

    @OBJECT
    def post(self, request: Request) -> Response:
        with transaction.atomic():
            fleet = services.create_fleet(self.actor, _body(request))
        return Response(present.fleet(fleet), status=201)


class FleetDetail(_Base):
    @extend_schema(operation_id="supervision_fleet_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str) -> Response:
        return Response(present.fleet(self.fleet(code)))


class LotList(_Base):
    @extend_schema(operation_id="supervision_lots_list", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str) -> Response:
        fleet = self.fleet(code)
        return Response(
            [present.lot(x) for x in fleet.lots.select_related("fleet").defer("frame").order_by("number")]
        )

    @OBJECT
    def post(self, request: Request, code: str) -> Response:
        """Form lots by the fleet's rules (``{"due_year": 2026}``) or pick one (``"serials": [...]``)."""
        fleet = self.fleet(code)
        data = _body(request)
        due_year = _int(data, "due_year")
        with transaction.atomic():
            if "serials" in data:
                serials = data["serials"]
                if not isinstance(serials, list):
                    raise InvalidInput("serials", "must be a list of serial numbers")
                made = [services.create_lot(self.actor, fleet, [str(s) for s in serials], due_year)]
            else:
                made = services.form_lots(self.actor, fleet, due_year)
        return Response([present.lot(x) for x in made], status=201)


class LotDetail(_Base):
    """The lot with its deadlines, plan, draw, sample results and decision."""

    @extend_schema(operation_id="supervision_lot_retrieve", responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, code: str, number: int) -> Response:
        return Response(present.lot_detail(services.get_lot(self.fleet(code), number)))


class LotStep(_Base):
    """One step of the procedure: notify, sample, replace, results, decide."""

    @extend_schema(
        operation_id="supervision_lot_step", request=OpenApiTypes.OBJECT, responses=OpenApiTypes.OBJECT
    )
    def post(self, request: Request, code: str, number: int, action: str) -> Response:
        lot = services.get_lot(self.fleet(code), number)
        data = _body(request)
        with transaction.atomic():
            if action == "notify":
                services.notify_authority(self.actor, lot, _day(data, "notified_on"))
            elif action == "sample":
                services.draw_sample(self.actor, lot, _int(data, "seed"), _day(data, "started_on"))
            elif action == "replace":
                services.replace_sample_meter(
                    self.actor, lot, str(data.get("serial_number", "")), str(data.get("reason", ""))
                )
            elif action == "results":
                rows = data.get("results")
                if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
                    raise InvalidInput("results", "must be a list of objects")
                services.record_results(self.actor, lot, rows)
            elif action == "decide":
                services.decide(self.actor, lot, _day(data, "decided_on"))
            else:
                raise InvalidInput("action", f"unknown step {action!r}")
        lot.refresh_from_db()
        return Response(present.lot_detail(lot))


class ForecastView(_Base):
    @extend_schema(
        parameters=[OpenApiParameter("from", int), OpenApiParameter("to", int)], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request, code: str) -> Response:
        first = _int(request.query_params, "from") if "from" in request.query_params else date.today().year
        last = _int(request.query_params, "to") if "to" in request.query_params else first + 12
        return Response(services.fleet_forecast(self.fleet(code), first, last).as_dict())


class MeterLookup(APIView):
    """Public: a meter's verification year, lot and extension by serial number."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("serial_number", str, required=True)], responses=OpenApiTypes.OBJECT
    )
    def get(self, request: Request) -> Response:
        return Response(services.lookup_meter(request.query_params.get("serial_number", "")))
