"""Web pages of the conformity calculators: a GET form (results are linkable), the result, the picture."""

from __future__ import annotations

import math

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from jiliang.calculators.conformity import services
from jiliang.calculators.conformity.forms import CheckForm, RiskForm
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.platform.labels import DECISIONS

# Core field paths -> form fields, so that an error shows beside the field that caused it.
_FIELDS = {"tolerance.lower": "lower", "tolerance.upper": "upper", "tolerance": "upper"}


def add_core_error(form: forms.Form, exc: InvalidInput) -> None:
    for error in exc.errors if isinstance(exc, InvalidInputs) else [exc]:
        name = _FIELDS.get(error.field, error.field)
        form.add_error(name if name in form.fields else None, error.reason)


def display_limits(limits: tuple[float, float]) -> str:
    """Acceptance limits for people: an open side of a one-sided tolerance shows as −∞ or +∞."""
    low = "−∞" if math.isinf(limits[0]) else f"{limits[0]:.6g}"
    high = "+∞" if math.isinf(limits[1]) else f"{limits[1]:.6g}"
    return f"[{low}, {high}]"


def _labels() -> dict[str, str]:
    return {
        "title": _("Risk picture"),
        "tolerance": _("tolerance limits"),
        "acceptance": _("acceptance limits"),
        "value": _("measured value"),
    }


def check(request: HttpRequest) -> HttpResponse:
    form = CheckForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        try:
            decision = services.check_conformity(**form.core_arguments())
        except InvalidInput as exc:
            add_core_error(form, exc)
        else:
            context["result"] = decision
            context["limits"] = display_limits(decision.acceptance_limits)
            context["decision"] = DECISIONS[decision.decision]
            context["picture"] = mark_safe(
                services.check_picture(decision, _labels())
            )  # svg.py escapes every label
    return render(request, "calc_conformity/check.html", context)


def risk(request: HttpRequest) -> HttpResponse:
    form = RiskForm(request.GET or None)
    context: dict[str, object] = {"form": form}
    if form.is_bound and form.is_valid():
        data = form.core_arguments()
        try:
            result = services.global_risk(**data)
        except InvalidInput as exc:
            add_core_error(form, exc)
        else:
            context["result"] = result
            context["limits"] = display_limits(result.acceptance_limits)
            context["picture"] = mark_safe(services.risk_picture_for(result, data, _labels()))
    return render(request, "calc_conformity/risk.html", context)
