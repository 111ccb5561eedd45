"""Forms of the sampling pages (types and choices; the core checks the ranges)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from jiliang.sampling.iso2859_2 import PREFERRED_LQ
from jiliang.sampling.tables import iso2859_1

LEVEL_CHOICES = [(x, x) for x in ("I", "II", "III", "S-1", "S-2", "S-3", "S-4")]
INSPECTION_CHOICES = [("normal", _("normal")), ("tightened", _("tightened")), ("reduced", _("reduced"))]


def _aql_choices() -> list[tuple[str, str]]:
    return [(label, label) for label in iso2859_1().aql_labels]


class PlanForm(forms.Form):
    lot_size = forms.IntegerField(label=_("Lot size"), initial=2000)
    aql = forms.ChoiceField(label=_("AQL"), choices=_aql_choices, initial="1.0")
    level = forms.ChoiceField(label=_("Inspection level"), choices=LEVEL_CHOICES, initial="II")
    inspection = forms.ChoiceField(label=_("Inspection"), choices=INSPECTION_CHOICES, initial="normal")


class LQPlanForm(forms.Form):
    lot_size = forms.IntegerField(label=_("Lot size"), initial=10000)
    lq = forms.TypedChoiceField(
        label=_("Limiting quality LQ (%)"),
        choices=[(q, f"{q:g}") for q in PREFERRED_LQ],
        coerce=float,
        initial=5.0,
    )
    acceptance_number = forms.IntegerField(label=_("Acceptance number"), initial=0)
    consumer_risk = forms.FloatField(label=_("Consumer's risk at LQ"), initial=0.10)


class OCForm(forms.Form):
    sample_size = forms.IntegerField(label=_("Sample size"), initial=125)
    acceptance_number = forms.IntegerField(label=_("Acceptance number"), initial=3)
    lot_size = forms.IntegerField(label=_("Lot size (optional)"), required=False)


class ZeroAcceptanceForm(forms.Form):
    conforming = forms.FloatField(label=_("Fraction that must conform"), initial=0.95)
    confidence = forms.FloatField(label=_("Confidence"), initial=0.95)
    acceptance_number = forms.IntegerField(label=_("Acceptance number"), initial=0)
    lot_size = forms.IntegerField(label=_("Lot size (optional)"), required=False)


class VariablesPlanForm(forms.Form):
    producer_quality = forms.FloatField(label=_("Producer's quality (fraction nonconforming)"), initial=0.01)
    consumer_quality = forms.FloatField(label=_("Consumer's quality (fraction nonconforming)"), initial=0.05)
    producer_risk = forms.FloatField(label=_("Producer's risk"), initial=0.05)
    consumer_risk = forms.FloatField(label=_("Consumer's risk"), initial=0.10)
