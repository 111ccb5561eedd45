"""REST endpoints of the registry: list (filter, search, order, paginate), read, create, update,
delete; plus the public instrument lookup by serial number."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, viewsets
from rest_framework.permissions import AllowAny

from jiliang.errors import InvalidInput
from jiliang.registry import models as m
from jiliang.registry import policy, services
from jiliang.registry.api import serializers as s
from jiliang.registry.api.permissions import RegistryPermission


class RegistryViewSet(viewsets.ModelViewSet):
    """Shared behaviour: the queryset the actor may see; writes through the services."""

    permission_classes = [RegistryPermission]
    base_queryset: QuerySet

    @property
    def actor(self) -> policy.Actor:
        return policy.actor_for(self.request.user)

    def get_queryset(self) -> QuerySet:
        return policy.visible(self.actor, self.base_queryset.all())

    def perform_create(self, serializer: Any) -> None:
        model: type[Model] = self.base_queryset.model
        serializer.instance = services.create(self.actor, model, serializer.validated_data)

    def perform_update(self, serializer: Any) -> None:
        serializer.instance = services.update(self.actor, serializer.instance, serializer.validated_data)

    def perform_destroy(self, instance: Model) -> None:
        services.delete(self.actor, instance)


class MeasurementAreaViewSet(RegistryViewSet):
    base_queryset = m.MeasurementArea.objects.all()
    serializer_class = s.MeasurementAreaSerializer
    filterset_fields = ["code"]
    search_fields = ["code", "name_zh", "name_en"]
    pagination_class = None


class DistrictViewSet(RegistryViewSet):
    base_queryset = m.District.objects.all()
    serializer_class = s.DistrictSerializer
    filterset_fields = ["code"]
    search_fields = ["code", "name_zh", "name_en"]
    pagination_class = None


class TechnicalSpecificationViewSet(RegistryViewSet):
    base_queryset = m.TechnicalSpecification.objects.all()
    serializer_class = s.TechnicalSpecificationSerializer
    filterset_fields = ["kind", "area", "area__code"]
    search_fields = ["code", "title"]
    ordering_fields = ["code", "effective_from"]


class InstrumentCategoryViewSet(RegistryViewSet):
    base_queryset = m.InstrumentCategory.objects.all()
    serializer_class = s.InstrumentCategorySerializer
    filterset_fields = ["compulsory_verification", "verification_form", "area", "area__code"]
    search_fields = ["code", "name_zh", "name_en"]


class InstitutionViewSet(RegistryViewSet):
    base_queryset = m.Institution.objects.select_related("district")
    serializer_class = s.InstitutionSerializer
    filterset_fields = ["kind", "district", "district__code", "credit_code", "cnas_number"]
    search_fields = ["name", "credit_code", "cnas_number", "address"]
    ordering_fields = ["name", "kind", "accreditation_valid_until"]


class AuthorisationViewSet(RegistryViewSet):
    base_queryset = m.Authorisation.objects.all()
    serializer_class = s.AuthorisationSerializer
    filterset_fields = ["institution", "activity", "area", "category", "specification"]
    search_fields = ["items"]
    ordering_fields = ["valid_until"]


class PersonViewSet(RegistryViewSet):
    base_queryset = m.Person.objects.select_related("institution").prefetch_related("authorised_categories")
    serializer_class = s.PersonSerializer
    filterset_fields = ["institution", "role", "metrologist_level", "registration_number"]
    search_fields = ["name", "registration_number"]
    ordering_fields = ["name", "registration_valid_until"]


class MeasurementStandardViewSet(RegistryViewSet):
    base_queryset = m.MeasurementStandard.objects.select_related("owner")
    serializer_class = s.MeasurementStandardSerializer
    filterset_fields = ["level", "owner", "area", "area__code", "status", "certificate_number"]
    search_fields = ["name", "quantity", "certificate_number"]
    ordering_fields = ["name", "certificate_valid_until"]


class ReferenceMaterialViewSet(RegistryViewSet):
    base_queryset = m.ReferenceMaterial.objects.select_related("producer")
    serializer_class = s.ReferenceMaterialSerializer
    filterset_fields = ["producer", "area", "area__code", "number"]
    search_fields = ["number", "name", "property"]
    ordering_fields = ["number", "expiry"]


class InstrumentViewSet(RegistryViewSet):
    base_queryset = m.Instrument.objects.select_related("owner", "category")
    serializer_class = s.InstrumentSerializer
    filterset_fields = {
        "serial_number": ["exact"],
        "manufacturer": ["exact"],
        "status": ["exact"],
        "category": ["exact"],
        "category__code": ["exact"],
        "category__compulsory_verification": ["exact"],
        "owner": ["exact"],
        "district": ["exact"],
        "district__code": ["exact"],
        "next_due": ["lte", "gte"],
    }
    search_fields = ["=serial_number", "manufacturer", "model"]
    ordering_fields = ["id", "serial_number", "next_due", "last_verification"]


@extend_schema(parameters=[OpenApiParameter("serial_number", str, required=True)])
class InstrumentLookupView(generics.ListAPIView):
    """Public lookup of instruments by serial number (no login): status and verification dates."""

    serializer_class = s.InstrumentLookupSerializer
    permission_classes = [AllowAny]
    pagination_class = None
    filter_backends: list = []

    def get_queryset(self) -> QuerySet:
        serial = self.request.query_params.get("serial_number", "").strip()
        if not serial:
            raise InvalidInput("serial_number", "give the serial number to look up")
        return services.lookup_instruments(serial)
