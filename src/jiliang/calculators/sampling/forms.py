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
    acceptance_number = forms.IntegerField(
        label=_("Acceptance number"), required=False, help_text=_("Leave empty to read ISO 2859-2 Table A.")
    )
    consumer_risk = forms.FloatField(
        label=_("Consumer's risk at LQ"),
        required=False,
        help_text=_("Leave empty to read ISO 2859-2 Table A."),
    )


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
    method = forms.ChoiceField(
        label=_("Method"),
        choices=[
            ("s", _("s-method: process standard deviation unknown")),
            ("sigma", _("σ-method: process standard deviation known")),
        ],
        initial="s",
        required=False,
    )


def _numbers(text: str, kind: type, per_line: int) -> list:
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.replace(",", " ").replace(";", " ").split()
        if not parts:
            continue
        try:
            values = [kind(p) for p in parts]
        except ValueError:
            raise forms.ValidationError(_("line %(line)s: not a number") % {"line": number}) from None
        if per_line and len(values) != per_line:
            raise forms.ValidationError(
                _("line %(line)s: give the lot size and the count") % {"line": number}
            )
        rows.append(values)
    if not rows:
        raise forms.ValidationError(_("enter at least one line"))
    return rows


class SwitchingForm(forms.Form):
    lots = forms.CharField(
        label=_("Lots (lot size, nonconforming; one lot per line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        initial="2000, 1\n2000, 4\n2000, 0\n2000, 5\n2000, 2",
    )
    aql = forms.ChoiceField(label=_("AQL"), choices=_aql_choices, initial="1.0")
    level = forms.ChoiceField(label=_("Inspection level"), choices=LEVEL_CHOICES, initial="II")
    production_steady = forms.BooleanField(
        label=_("Production at a steady rate"), required=False, initial=True
    )
    authority_approves_reduced = forms.BooleanField(
        label=_("Responsible authority approves reduced inspection"), required=False
    )

    def clean_lots(self) -> list[tuple[int, int]]:
        return [(row[0], row[1]) for row in _numbers(self.cleaned_data["lots"], int, 2)]


class VariablesCheckForm(forms.Form):
    values = forms.CharField(
        label=_("Measured values"), widget=forms.Textarea(attrs={"rows": 4}), initial="10.1 9.9 10.0 10.2 9.8"
    )
    k = forms.FloatField(label=_("Acceptability constant k"), initial=1.65, required=False)
    k_upper = forms.FloatField(
        label=_("k for the upper limit"),
        required=False,
        help_text=_("Only when the upper limit has its own AQL."),
    )
    k_lower = forms.FloatField(
        label=_("k for the lower limit"),
        required=False,
        help_text=_("Only when the lower limit has its own AQL."),
    )
    sigma = forms.FloatField(
        label=_("Known process standard deviation σ"),
        required=False,
        help_text=_("Give it to use the σ-method; leave empty for the s-method."),
    )
    lower = forms.FloatField(label=_("Lower specification limit L"), required=False)
    upper = forms.FloatField(label=_("Upper specification limit U"), required=False, initial=11.0)
    control = forms.ChoiceField(
        label=_("Double limits"),
        choices=[
            ("separate", _("separate control: Q_U ≥ k_U and Q_L ≥ k_L")),
            ("combined", _("combined control: p̂_U ≤ M_U, p̂_L ≤ M_L and p̂_U + p̂_L ≤ max(M_U, M_L)")),
        ],
        initial="separate",
        required=False,
    )

    def clean_values(self) -> list[float]:
        return [v for row in _numbers(self.cleaned_data["values"], float, 0) for v in row]
