from __future__ import annotations

from rest_framework import serializers

from jiliang.intervals import DEFAULT_TARGET, METHODS
from jiliang.intervals.mle import MODELS


class RecommendSerializer(serializers.Serializer):
    history = serializers.FileField(required=False, help_text="history CSV (multipart), or give rows")
    rows = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        help_text="history rows with the CSV's columns: instrument, date, interval, in_tolerance (true/false)",
    )
    unit = serializers.CharField(default="d")
    target = serializers.FloatField(default=DEFAULT_TARGET)
    method = serializers.ChoiceField(choices=METHODS, default="mle")
    model = serializers.ChoiceField(choices=MODELS, default="best")
    confidence = serializers.FloatField(default=0.95)
    current_interval = serializers.FloatField(required=False, allow_null=True, default=None)

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("history") and not attrs.get("rows"):
            raise serializers.ValidationError({"history": "give a history CSV file or rows"})
        return attrs


class RecommendResultSerializer(serializers.Serializer):
    recommended_interval = serializers.FloatField()
    unit = serializers.CharField()
    method = serializers.CharField()
    observed_reliability = serializers.FloatField()
    target_reliability = serializers.FloatField()
    confidence_bounds = serializers.ListField(child=serializers.FloatField(allow_null=True), allow_null=True)
    confidence_level = serializers.FloatField(allow_null=True)
    model = serializers.CharField(allow_null=True)
    shape = serializers.FloatField(allow_null=True)
    bounds_method = serializers.CharField(allow_null=True)
    note = serializers.CharField()
    reliability_range = serializers.ListField(child=serializers.FloatField(), allow_null=True)
