"""REST endpoints of records: list (filter, search, paginate), read with results, create a
draft, add a measurement point, check, issue, revoke. Every write calls the services."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from jiliang.calibration import policy, services
from jiliang.calibration.api import serializers as s
from jiliang.calibration.models import Record
from jiliang.errors import InvalidInput
from jiliang.registry.policy import Actor, actor_for


class RecordViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    permission_classes = [IsAuthenticated]
    filterset_fields = ["kind", "status", "outcome", "institution", "instrument", "standard", "area"]
    search_fields = ["certificate_number"]
    ordering_fields = ["calibration_date", "certificate_number"]

    @property
    def actor(self) -> Actor:
        return actor_for(self.request.user)

    def get_queryset(self) -> QuerySet[Record]:
        queryset = Record.objects.select_related("institution").order_by("-calibration_date", "id")
        if self.action != "list":
            queryset = queryset.prefetch_related("results__usages__standard", "results__usages__certificate")
        return policy.visible(self.actor, queryset)

    def get_serializer_class(self) -> Any:
        return s.RecordSerializer if self.action in ("list", "create") else s.RecordDetailSerializer

    def perform_create(self, serializer: Any) -> None:
        with transaction.atomic():
            serializer.instance = services.create_record(self.actor, serializer.validated_data)

    def _done(self, record: Record, status: int = 200) -> Response:
        fresh = self.get_queryset().get(pk=record.pk)
        return Response(s.RecordDetailSerializer(fresh).data, status=status)

    @extend_schema(request=s.NewResultSerializer, responses=s.RecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def results(self, request: Request, pk: str | None = None) -> Response:
        record = self.get_object()
        data = s.NewResultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        usages = [_usage(u, i) for i, u in enumerate(values.pop("usages"))]
        with transaction.atomic():
            services.add_result(self.actor, record, values, usages)
        return self._done(record, 201)

    @extend_schema(request=None, responses=s.RecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def check(self, request: Request, pk: str | None = None) -> Response:
        with transaction.atomic():
            record = services.check_record(self.actor, self.get_object())
        return self._done(record)

    @extend_schema(request=None, responses=s.RecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def issue(self, request: Request, pk: str | None = None) -> Response:
        ratio = settings.JILIANG_MIN_UNCERTAINTY_RATIO
        with transaction.atomic():
            record = services.issue_record(self.actor, self.get_object(), min_uncertainty_ratio=ratio)
        return self._done(record)

    @extend_schema(request=s.RevokeSerializer, responses=s.RecordDetailSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request: Request, pk: str | None = None) -> Response:
        data = s.RevokeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        with transaction.atomic():
            record = services.revoke_record(self.actor, self.get_object(), data.validated_data["reason"])
        return self._done(record)


_USAGE_KEYS = {
    "standard": "standard_id",
    "reference_material": "reference_material_id",
    "certificate": "certificate_id",
}


def _usage(raw: dict[str, Any], index: int) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(_USAGE_KEYS))
    if unknown:
        raise InvalidInput(f"usages[{index}].{unknown[0]}", "no such field")
    out = {}
    for key, column in _USAGE_KEYS.items():
        value = raw.get(key)
        if value is None:
            continue
        if not isinstance(value, int) or isinstance(value, bool):
            raise InvalidInput(f"usages[{index}].{key}", "must be an id (integer)")
        out[column] = value
    return out
