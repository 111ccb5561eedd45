"""Where a lot's sampling plan comes from, in the page's language, from the plan's data
(:attr:`jiliang.supervision.rules.Plan.basis_data`); the plan's ``basis`` says it in English for the
CLI and the API. A plan stored before its data was kept has only that English text, shown as
stored (audited history is not rewritten)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.platform.labels import lq_source

MODELS = {
    "hypergeometric": gettext_lazy("hypergeometric model (the finite lot)"),
    "binomial": gettext_lazy("binomial model (a process or a very large lot)"),
}


def _percent(x: float) -> str:
    return f"{100 * x:g} %"


def plan_basis(plan: dict[str, Any]) -> tuple[str, bool]:
    """The basis of ``plan`` (a lot's stored plan) in the current language, and whether it is
    worded here (False: the stored English text of an older plan)."""
    data = plan.get("basis_data")
    if not data:
        return str(plan.get("basis", "")), False
    if plan["kind"] == "lq":
        return lq_source(data), True
    if plan["kind"] == "conformity":
        model = data["model"]
        return _(
            "At least %(fraction)s of the lot conforms, shown at %(confidence)s confidence; %(model)s"
        ) % {
            "fraction": _percent(data["conforming_fraction"]),
            "confidence": _percent(data["confidence"]),
            "model": MODELS.get(model, model),
        }, True
    return _(
        "ISO 3951-1 s-method, designed so that a lot with %(p1)s nonconforming is accepted with a "
        "probability of at least %(accept)s and a lot with %(p2)s nonconforming with a probability of "
        "at most %(beta)s"
    ) % {
        "p1": _percent(data["producer_quality"]),
        "accept": _percent(1 - data["producer_risk"]),
        "p2": _percent(data["consumer_quality"]),
        "beta": _percent(data["consumer_risk"]),
    }, True
