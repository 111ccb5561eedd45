from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from jiliang.platform import labels

RULES = tuple(labels.RULES.items())


class _Limits(forms.Form):
    lower = forms.FloatField(label=_("Lower tolerance limit TL"), required=False)
    upper = forms.FloatField(label=_("Upper tolerance limit TU"), required=False)
    coverage_factor = forms.FloatField(label=_("Coverage factor k"), initial=2.0, required=False)

    def clean_coverage_factor(self) -> float:
        value = self.cleaned_data.get("coverage_factor")
        return 2.0 if value is None else float(value)


class CheckForm(_Limits):
    value = forms.FloatField(label=_("Measured value y"))
    uncertainty = forms.FloatField(label=_("Standard uncertainty u"))
    rule = forms.ChoiceField(label=_("Decision rule"), choices=RULES, initial="simple")
    factor = forms.FloatField(label=_("Guard band factor r"), initial=1.0, required=False)

    field_order = ["value", "uncertainty", "lower", "upper", "rule", "factor", "coverage_factor"]

    def rule_name(self) -> str:
        kind = self.cleaned_data["rule"]
        factor = self.cleaned_data.get("factor")
        return kind if kind == "simple" else f"{kind}:{1.0 if factor is None else factor:g}"

    def core_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "value": data["value"],
            "uncertainty": data["uncertainty"],
            "lower": data.get("lower"),
            "upper": data.get("upper"),
            "rule": self.rule_name(),
            "coverage_factor": data["coverage_factor"],
        }


class RiskForm(_Limits):
    process_mean = forms.FloatField(label=_("Process mean"))
    process_std = forms.FloatField(label=_("Process standard deviation"))
    process_distribution = forms.ChoiceField(
        label=_("Process distribution"),
        choices=(("normal", _("Normal")), ("gamma", _("Gamma"))),
        initial="normal",
    )
    measurement_std = forms.FloatField(label=_("Standard uncertainty of measurement u_m"))
    guard_band = forms.FloatField(label=_("Guard band w"), required=False)
    target_consumer_risk = forms.FloatField(label=_("Target global consumer's risk"), required=False)

    field_order = [
        "process_mean",
        "process_std",
        "process_distribution",
        "measurement_std",
        "lower",
        "upper",
        "guard_band",
        "target_consumer_risk",
        "coverage_factor",
    ]

    def core_arguments(self) -> dict[str, Any]:
        return {key: self.cleaned_data.get(key) for key in self.fields}
