"""Request shapes of the sampling endpoints (types only: the core checks ranges and choices and
names the field in its error)."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


class PlanRequest(serializers.Serializer):
    lot_size = serializers.IntegerField()
    aql = serializers.FloatField()
    level = serializers.CharField(default="II", help_text="I, II, III, S-1, S-2, S-3 or S-4")
    inspection = serializers.CharField(default="normal", help_text="normal, tightened or reduced")


class LQPlanRequest(serializers.Serializer):
    lot_size = serializers.IntegerField()
    lq = serializers.FloatField()
    acceptance_number = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="compute the plan for this Ac (else Table A)"
    )
    consumer_risk = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text="compute the plan for this risk (else Table A)",
    )


class OCRequest(serializers.Serializer):
    sample_size = serializers.IntegerField()
    acceptance_number = serializers.IntegerField()
    lot_size = serializers.IntegerField(required=False, allow_null=True, default=None)
    points = serializers.IntegerField(default=51)
    nonconformities = serializers.BooleanField(default=False)


class ZeroAcceptanceRequest(serializers.Serializer):
    conforming = serializers.FloatField()
    confidence = serializers.FloatField()
    acceptance_number = serializers.IntegerField(default=0)
    lot_size = serializers.IntegerField(required=False, allow_null=True, default=None)


class VariablesPlanRequest(serializers.Serializer):
    producer_quality = serializers.FloatField()
    consumer_quality = serializers.FloatField()
    producer_risk = serializers.FloatField(default=0.05)
    consumer_risk = serializers.FloatField(default=0.10)
    method = serializers.CharField(default="s", help_text="s (sigma unknown) or sigma (sigma known)")


class VariablesCheckRequest(serializers.Serializer):
    values = serializers.ListField(child=serializers.FloatField(), min_length=1)
    k = serializers.FloatField(required=False, allow_null=True, default=None, help_text="k for both limits")
    k_upper = serializers.FloatField(
        required=False, allow_null=True, default=None, help_text="k of the upper limit (its own AQL)"
    )
    k_lower = serializers.FloatField(
        required=False, allow_null=True, default=None, help_text="k of the lower limit (its own AQL)"
    )
    sigma = serializers.FloatField(
        required=False,
        allow_null=True,
        default=None,
        help_text="known process standard deviation: sigma-method",
    )
    lower = serializers.FloatField(required=False, allow_null=True, default=None)
    upper = serializers.FloatField(required=False, allow_null=True, default=None)
    control = serializers.CharField(
        default="separate",
        help_text="double limits: separate (Q_U >= k_U and Q_L >= k_L) or combined "
        "(p_U <= M_U, p_L <= M_L and p_U + p_L <= max(M_U, M_L))",
    )


class LotSerializer(serializers.Serializer):
    lot_size = serializers.IntegerField()
    nonconforming = serializers.IntegerField()


class SwitchingRequest(serializers.Serializer):
    lots = LotSerializer(many=True, allow_empty=False)
    aql = serializers.FloatField()
    level = serializers.CharField(default="II", help_text="I, II, III, S-1, S-2, S-3 or S-4")
    production_steady = serializers.BooleanField(default=True)
    authority_approves_reduced = serializers.BooleanField(default=False)


@extend_schema_field({"oneOf": [{"type": "number"}, {"type": "array", "items": {"type": "number"}}]})
class AqlField(serializers.Field):
    """One AQL for every lot, or a list with one AQL per lot."""

    def to_internal_value(self, data):
        try:
            return [float(x) for x in data] if isinstance(data, list) else float(data)
        except (TypeError, ValueError):
            raise serializers.ValidationError("give a number or a list of numbers") from None

    def to_representation(self, value):
        return value


class LotsRequest(serializers.Serializer):
    lot_sizes = serializers.ListField(child=serializers.IntegerField(), min_length=1, max_length=1_000_000)
    nonconforming = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, max_length=1_000_000
    )
    aql = AqlField()
    level = serializers.CharField(default="II", help_text="I, II, III, S-1, S-2, S-3 or S-4")
    inspection = serializers.CharField(default="normal", help_text="normal, tightened or reduced")
