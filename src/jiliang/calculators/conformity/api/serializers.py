from __future__ import annotations

from rest_framework import serializers

from jiliang.conformity.risk import PROCESS_DISTRIBUTIONS


class CheckSerializer(serializers.Serializer):
    value = serializers.FloatField()
    uncertainty = serializers.FloatField(help_text="standard uncertainty u")
    lower = serializers.FloatField(required=False, allow_null=True, default=None)
    upper = serializers.FloatField(required=False, allow_null=True, default=None)
    rule = serializers.CharField(
        default="simple", help_text="simple | guarded:R | guarded-rejection:R | nonbinary[:R]"
    )
    coverage_factor = serializers.FloatField(default=2.0)


class RiskSerializer(serializers.Serializer):
    process_mean = serializers.FloatField()
    process_std = serializers.FloatField()
    process_distribution = serializers.ChoiceField(choices=PROCESS_DISTRIBUTIONS, default="normal")
    measurement_std = serializers.FloatField()
    lower = serializers.FloatField(required=False, allow_null=True, default=None)
    upper = serializers.FloatField(required=False, allow_null=True, default=None)
    guard_band = serializers.FloatField(required=False, allow_null=True, default=None)
    target_consumer_risk = serializers.FloatField(required=False, allow_null=True, default=None)
    coverage_factor = serializers.FloatField(default=2.0)


class CheckResultSerializer(serializers.Serializer):
    probability_of_conformity = serializers.FloatField()
    decision = serializers.CharField()
    acceptance_limits = serializers.ListField(child=serializers.FloatField(allow_null=True))
    consumer_risk = serializers.FloatField()
    producer_risk = serializers.FloatField()


class RiskResultSerializer(serializers.Serializer):
    global_consumer_risk = serializers.FloatField()
    global_producer_risk = serializers.FloatField()
    guard_band = serializers.FloatField()
    acceptance_limits = serializers.ListField(child=serializers.FloatField(allow_null=True))
    measurement_capability_index = serializers.FloatField(allow_null=True)
    test_uncertainty_ratio = serializers.FloatField(allow_null=True)
    process_distribution = serializers.CharField()
