"""REST serializers of the registry. They check types and shapes only; the rules (permission,
constraints, audit) live in :mod:`jiliang.registry.services`, which the views call."""

from __future__ import annotations

from rest_framework import serializers

from jiliang.registry import models as m


class _Base(serializers.ModelSerializer):
    def get_validators(self) -> list:
        # Uniqueness and check constraints are validated by the service (one place, one message).
        return []


class MeasurementAreaSerializer(_Base):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = m.MeasurementArea
        fields = ["id", "code", "name", "name_zh", "name_en", "order"]


class DistrictSerializer(_Base):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = m.District
        fields = ["id", "code", "name", "name_zh", "name_en"]


class TechnicalSpecificationSerializer(_Base):
    class Meta:
        model = m.TechnicalSpecification
        fields = ["id", "code", "title", "kind", "area", "default_interval_months", "effective_from"]


class InstrumentCategorySerializer(_Base):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = m.InstrumentCategory
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "area",
            "compulsory_verification",
            "verification_form",
            "compulsory_scope",
            "type_approval",
            "default_interval_months",
            "service_life_months",
            "specification",
        ]


class AuthorisationSerializer(_Base):
    class Meta:
        model = m.Authorisation
        fields = [
            "id",
            "institution",
            "activity",
            "area",
            "category",
            "specification",
            "items",
            "valid_from",
            "valid_until",
        ]


class InstitutionSerializer(_Base):
    district_name = serializers.CharField(source="district.name", read_only=True, default=None)

    class Meta:
        model = m.Institution
        fields = [
            "id",
            "name",
            "kind",
            "credit_code",
            "district",
            "district_name",
            "address",
            "cnas_number",
            "accreditation_scope",
            "accreditation_valid_until",
        ]


class PersonSerializer(_Base):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = m.Person
        fields = [
            "id",
            "institution",
            "institution_name",
            "name",
            "role",
            "metrologist_level",
            "registration_number",
            "registration_valid_until",
            "authorised_categories",
        ]


class MeasurementStandardSerializer(_Base):
    owner_name = serializers.CharField(source="owner.name", read_only=True)

    class Meta:
        model = m.MeasurementStandard
        fields = [
            "id",
            "name",
            "level",
            "owner",
            "owner_name",
            "area",
            "quantity",
            "measuring_range",
            "expanded_uncertainty",
            "coverage_factor",
            "uncertainty_unit",
            "accuracy_class",
            "mpe",
            "certificate_number",
            "certificate_valid_until",
            "status",
        ]


class ReferenceMaterialSerializer(_Base):
    producer_name = serializers.CharField(source="producer.name", read_only=True)

    class Meta:
        model = m.ReferenceMaterial
        fields = [
            "id",
            "number",
            "name",
            "producer",
            "producer_name",
            "area",
            "property",
            "certified_value",
            "expanded_uncertainty",
            "coverage_factor",
            "unit",
            "expiry",
        ]


class InstrumentSerializer(_Base):
    owner_name = serializers.CharField(source="owner.name", read_only=True)
    category_code = serializers.CharField(source="category.code", read_only=True)

    class Meta:
        model = m.Instrument
        fields = [
            "id",
            "category",
            "category_code",
            "manufacturer",
            "model",
            "serial_number",
            "owner",
            "owner_name",
            "location",
            "district",
            "accuracy_class",
            "mpe",
            "status",
            "interval_months",
            "last_verification",
            "next_due",
        ]


class InstrumentLookupSerializer(serializers.ModelSerializer):
    """What the public sees of an instrument: identity, status and verification dates."""

    category = serializers.CharField(source="category.name", read_only=True)
    compulsory_verification = serializers.BooleanField(
        source="category.compulsory_verification", read_only=True
    )

    class Meta:
        model = m.Instrument
        fields = [
            "category",
            "compulsory_verification",
            "manufacturer",
            "model",
            "serial_number",
            "status",
            "last_verification",
            "next_due",
        ]
        read_only_fields = fields
