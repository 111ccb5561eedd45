"""Sampling pages: a GET form per calculator (nothing is stored), the result beside it and the OC
curve drawn as inline SVG. Errors from the core are shown beside the field they name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms as django_forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.calculators.sampling import forms, services
from jiliang.errors import InvalidInput
from jiliang.platform.labels import lq_source
from jiliang.sampling import oc_svg
from jiliang.sampling.variables import s_method_oc_curve, sigma_method_oc_curve

PAGES = (
    ("calc_sampling:plan", gettext_lazy("ISO 2859-1 plan")),
    ("calc_sampling:lq", gettext_lazy("Isolated lot (LQ)")),
    ("calc_sampling:oc", gettext_lazy("OC curve")),
    # xgettext:no-python-format
    ("calc_sampling:zero", gettext_lazy("At least X % conforms")),
    ("calc_sampling:variables", gettext_lazy("Variables (s- or σ-method)")),
    ("calc_sampling:variables-check", gettext_lazy("Judge a lot by variables")),
    ("calc_sampling:switching", gettext_lazy("Switching rules")),
)


def _calculate(
    request: HttpRequest,
    form_class: type[django_forms.Form],
    compute: Callable[[dict[str, Any]], dict[str, Any]],
    template: str,
    title: str,
) -> HttpResponse:
    form = form_class(request.GET or None)
    result = None
    if form.is_bound and form.is_valid():
        try:
            result = compute(form.cleaned_data)
        except InvalidInput as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.reason)
    if result and "svg" in result:
        result["svg"] = mark_safe(result["svg"])  # built by jiliang.sampling.oc_svg, text escaped there
    context = {"form": form, "result": result, "title": title, "pages": PAGES}
    return render(request, template, context)


def _oc_of(result: dict[str, Any], lot_size: int | None) -> dict[str, Any]:
    oc = services.oc(result["sample_size"], result["acceptance_number"], lot_size, title=_("OC curve"))
    return {**result, "svg": oc["svg"]}


def plan(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        result = services.plan(d["lot_size"], float(d["aql"]), d["level"], d["inspection"])
        if result["inspect_all"] or result["acceptance_number"] >= result["sample_size"]:
            return result
        return _oc_of(result, d["lot_size"])

    return _calculate(
        request, forms.PlanForm, compute, "calc_sampling/plan.html", _("ISO 2859-1 sampling plan")
    )


def lq(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        result = services.lq(d["lot_size"], d["lq"], d["acceptance_number"], d["consumer_risk"])
        result["source_label"] = lq_source(result)
        return result if result["inspect_all"] else _oc_of(result, d["lot_size"])

    return _calculate(
        request, forms.LQPlanForm, compute, "calc_sampling/lq.html", _("Isolated lot, indexed by LQ")
    )


def oc(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        result = services.oc(
            d["sample_size"], d["acceptance_number"], d["lot_size"], points=26, title=_("OC curve")
        )
        pairs = zip(result["fraction_nonconforming"], result["probability_of_acceptance"], strict=True)
        return {**result, "rows": [(100 * p, pa) for p, pa in pairs]}

    return _calculate(
        request, forms.OCForm, compute, "calc_sampling/oc.html", _("Operating-characteristic curve")
    )


def zero(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        result = services.zero_acceptance(
            d["conforming"], d["confidence"], d["acceptance_number"], d["lot_size"]
        )
        return result if result["inspect_all"] else _oc_of(result, d["lot_size"])

    return _calculate(
        request,
        forms.ZeroAcceptanceForm,
        compute,
        "calc_sampling/zero.html",
        # xgettext:no-python-format
        _("At least X % of the lot conforms"),
    )


def variables(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        method = d["method"] or "s"
        result = services.variables_plan(
            d["producer_quality"], d["consumer_quality"], d["producer_risk"], d["consumer_risk"], method
        )
        curve_of = sigma_method_oc_curve if method == "sigma" else s_method_oc_curve
        curve = curve_of(result["sample_size"], result["acceptability_constant"])
        return {**result, "svg": oc_svg(curve, title=_("OC curve"))}

    return _calculate(
        request,
        forms.VariablesPlanForm,
        compute,
        "calc_sampling/variables.html",
        _("ISO 3951-1 variables plan (s- or σ-method)"),
    )


def variables_check(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        return services.variables_check(
            d["values"],
            d["k"],
            d["lower"],
            d["upper"],
            d["control"] or "separate",
            sigma=d["sigma"],
            k_upper=d["k_upper"],
            k_lower=d["k_lower"],
        )

    return _calculate(
        request,
        forms.VariablesCheckForm,
        compute,
        "calc_sampling/variables_check.html",
        _("Judge a lot by variables"),
    )


SEVERITY = {
    "normal": gettext_lazy("normal"),
    "tightened": gettext_lazy("tightened"),
    "reduced": gettext_lazy("reduced"),
    "discontinued": gettext_lazy("discontinued"),
}


def switching(request: HttpRequest) -> HttpResponse:
    def compute(d: dict[str, Any]) -> dict[str, Any]:
        result = services.switching(
            d["lots"], float(d["aql"]), d["level"], d["production_steady"], d["authority_approves_reduced"]
        )
        for lot in result["lots"]:
            lot["inspection_label"] = SEVERITY[lot["inspection"]]
            lot["next_label"] = SEVERITY[lot["next_inspection"]]
        return {**result, "final_label": SEVERITY[result["final_inspection"]]}

    return _calculate(
        request, forms.SwitchingForm, compute, "calc_sampling/switching.html", _("ISO 2859-1 switching rules")
    )
