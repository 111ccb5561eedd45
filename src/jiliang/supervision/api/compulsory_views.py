"""REST endpoints of compulsory verification and risk screening (``/api/supervision/...``)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from jiliang.errors import InvalidInput, NotFound
from jiliang.registry.models import District, Instrument, InstrumentCategory
from jiliang.supervision import compulsory, screening
from jiliang.supervision.api.views import OBJECT, _Base, _body, _day, _int
from jiliang.supervision.models import Campaign, Finding

TODAY = OpenApiParameter("today", str, description="ISO date (default: today)")


def _today(request: Request) -> date:
    return _day(request.query_params, "today") if "today" in request.query_params else date.today()


def _by(model: Any, field: str, value: Any, kind: str) -> Any:
    if value in (None, ""):
        return None
    found = model.objects.filter(**{field: value}).first()
    if found is None:
        raise NotFound(kind, str(value))
    return found


def status_json(row: dict[str, Any]) -> dict[str, Any]:
    inst = row["instrument"]
    return {
        "instrument": inst.pk,
        "serial_number": inst.serial_number,
        "category": inst.category.code,
        "owner": inst.owner.name,
        "state": row["state"],
        "due": row["due"],
        "days_overdue": row["days_overdue"],
    }


class Filings(_Base):
    @OBJECT
    def post(self, request: Request) -> Response:
        data = _body(request)
        instrument = _by(Instrument, "pk", _int(data, "instrument"), "instrument")
        with transaction.atomic():
            filing = compulsory.file_instrument(
                self.actor, instrument, str(data.get("purpose", "")), _day(data, "filed_on")
            )
        return Response({"filing": filing.pk, "form": filing.entry.form}, status=201)


class DueList(_Base):
    @extend_schema(parameters=[TODAY], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response([status_json(r) for r in compulsory.due_list(self.actor, _today(request))])


class Summary(_Base):
    @extend_schema(parameters=[TODAY], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request) -> Response:
        return Response(compulsory.regulator_summary(self.actor, _today(request)))


class Outbox(_Base):
    @OBJECT
    def get(self, request: Request) -> Response:
        return Response(
            [
                {
                    "id": n.pk,
                    "recipient": n.recipient.name,
                    "kind": n.kind,
                    "due_on": n.due_on,
                    "message": n.message,
                    "created_at": n.created_at,
                    "sent_at": n.sent_at,
                }
                for n in compulsory.outbox(self.actor)[:500]
            ]
        )


class InstrumentState(APIView):
    """Public: the compulsory-verification state of an instrument by serial number."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("serial_number", str, required=True), TODAY],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        return Response(
            compulsory.public_state(request.query_params.get("serial_number", ""), _today(request))
        )


class EarlyWarning(_Base):
    @extend_schema(
        parameters=[TODAY, OpenApiParameter("district", str), OpenApiParameter("category", str)],
        responses=OpenApiTypes.OBJECT,
    )
    def get(self, request: Request) -> Response:
        q = request.query_params
        rows = screening.ranked(
            self.actor,
            _today(request),
            _by(District, "code", q.get("district"), "district"),
            _by(InstrumentCategory, "code", q.get("category"), "category"),
        )
        return Response(
            [
                {
                    "instrument": i.pk,
                    "serial_number": i.serial_number,
                    "category": i.category.code,
                    "owner": i.owner.name,
                    **s.as_dict(),
                }
                for i, s in rows
            ]
        )


class Campaigns(_Base):
    @OBJECT
    def post(self, request: Request) -> Response:
        d = _body(request)
        with transaction.atomic():
            c = screening.create_campaign(
                self.actor,
                str(d.get("name", "")),
                _day(d, "created_on"),
                _int(d, "size"),
                _int(d, "seed"),
                _int(d, "high_risk") if "high_risk" in d else 0,
                _by(District, "code", d.get("district"), "district"),
                _by(InstrumentCategory, "code", d.get("category"), "category"),
            )
        return Response(
            {"campaign": c.pk, "seed": c.seed, "selected": c.selected, "scores": c.scores}, status=201
        )


class Findings(_Base):
    @OBJECT
    def post(self, request: Request, campaign: int) -> Response:
        d = _body(request)
        c = _by(Campaign, "pk", campaign, "campaign")
        inst = _by(Instrument, "pk", _int(d, "instrument"), "instrument")
        months = d.get("months_since_verification")
        with transaction.atomic():
            f = screening.record_finding(
                self.actor,
                c,
                inst,
                _day(d, "found_on"),
                str(d.get("outcome", "")),
                str(d.get("note", "")),
                _day(d, "rectification_due") if d.get("rectification_due") else None,
                _int(d, "months_since_verification") if months is not None else None,
            )
        return Response({"finding": f.pk, "outcome": f.outcome}, status=201)


class FollowUp(_Base):
    @OBJECT
    def post(self, request: Request, finding: int) -> Response:
        d = _body(request)
        f = _by(Finding, "pk", finding, "finding")
        with transaction.atomic():
            screening.follow_up(self.actor, f, _day(d, "followed_up_on"), str(d.get("result", "")))
        return Response({"finding": f.pk, "follow_up": f.follow_up})


class IntervalAdvice(_Base):
    @extend_schema(parameters=[OpenApiParameter("target", float)], responses=OpenApiTypes.OBJECT)
    def get(self, request: Request, category: str) -> Response:
        try:
            target = float(request.query_params.get("target", 0.9))
        except ValueError:
            raise InvalidInput("target", "is not a number") from None
        if not 0 < target < 1:
            raise InvalidInput("target", f"{target} must lie strictly between 0 and 1")
        return Response(
            screening.interval_recommendation(_by(InstrumentCategory, "code", category, "category"), target)
        )
