from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from jiliang.intervals import DEFAULT_TARGET

METHODS = (
    ("mle", _("Maximum likelihood (reliability model)")),
    ("interval-test", _("Interval test (binomial)")),
    ("rp1-a3", _("NCSLI RP-1 method A3 (test interval)")),
    ("staircase", _("Staircase (simple response)")),
)
MODELS = (("best", _("Best by AIC")), ("exponential", _("Exponential")), ("weibull", _("Weibull")))


class RecommendForm(forms.Form):
    history = forms.FileField(
        label=_("History CSV"), help_text=_("Columns: instrument, date, interval, in_tolerance")
    )
    unit = forms.CharField(label=_("Unit of the intervals"), initial="d", max_length=20)
    target = forms.FloatField(label=_("Reliability target"), initial=DEFAULT_TARGET)
    method = forms.ChoiceField(label=_("Method"), choices=METHODS, initial="mle")
    model = forms.ChoiceField(label=_("Reliability model"), choices=MODELS, initial="best")
    confidence = forms.FloatField(label=_("Confidence level"), initial=0.95)
    current_interval = forms.FloatField(label=_("Current interval (interval test, RP-1 A3)"), required=False)
