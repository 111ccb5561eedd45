"""REST serializers of records: shapes and types only; the rules live in the services."""

from __future__ import annotations

from rest_framework import serializers

from jiliang.calibration.models import Record, Result, Usage


class UsageSerializer(serializers.ModelSerializer):
    standard_name = serializers.CharField(source="standard.name", read_only=True, default=None)
    certificate_number = serializers.CharField(
        source="certificate.certificate_number", read_only=True, default=None
    )

    class Meta:
        model = Usage
        fields = [
            "id",
            "standard",
            "standard_name",
            "reference_material",
            "certificate",
            "certificate_number",
        ]


class ResultSerializer(serializers.ModelSerializer):
    usages = UsageSerializer(many=True, read_only=True)

    class Meta:
        model = Result
        fields = [
            "id", "position", "quantity", "unit", "nominal_value", "measured_value", "as_found_value",
            "expanded_uncertainty", "coverage_factor", "coverage_probability", "tolerance_lower",
            "tolerance_upper", "decision", "accepted", "as_found_decision", "usages",
        ]  # fmt: skip
        read_only_fields = ["position", "decision", "accepted", "as_found_decision"]


class RecordSerializer(serializers.ModelSerializer):
    institution_name = serializers.CharField(source="institution.name", read_only=True)

    class Meta:
        model = Record
        fields = [
            "id", "kind", "certificate_number", "institution", "institution_name", "instrument", "standard",
            "area", "specification", "performer", "checker", "approver", "calibration_date", "issue_date",
            "valid_until", "temperature", "humidity", "conditions", "decision_rule", "status", "outcome",
            "cipm_mra_reference", "supersedes", "revocation_reason",
        ]  # fmt: skip
        read_only_fields = ["approver", "issue_date", "status", "outcome", "revocation_reason"]

    def get_validators(self) -> list:
        return []  # uniqueness and constraints: the service, one place, one message


class RecordDetailSerializer(RecordSerializer):
    results = ResultSerializer(many=True, read_only=True)

    class Meta(RecordSerializer.Meta):
        fields = [*RecordSerializer.Meta.fields, "results"]


class NewResultSerializer(serializers.ModelSerializer):
    usages = serializers.ListField(child=serializers.DictField(), allow_empty=True, default=list)

    class Meta:
        model = Result
        fields = [
            "quantity", "unit", "nominal_value", "measured_value", "as_found_value", "expanded_uncertainty",
            "coverage_factor", "coverage_probability", "tolerance_lower", "tolerance_upper", "usages",
        ]  # fmt: skip

    def get_validators(self) -> list:
        return []


class RevokeSerializer(serializers.Serializer):
    reason = serializers.CharField()
