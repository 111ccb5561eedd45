"""Web page of the interval calculator: upload a history, get the recommendation and its picture."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.calculators.conformity.views import add_core_error
from jiliang.calculators.intervals import services
from jiliang.calculators.intervals.forms import METHODS, MODELS, RecommendForm
from jiliang.calculators.intervals.svg import reliability_picture
from jiliang.errors import InvalidInput

# How each method's confidence bounds are found (jiliang.intervals), as people read it.
BOUNDS = {
    "mle": gettext_lazy("likelihood ratio (profile likelihood), chi-square with 1 degree of freedom"),
    "interval-test": gettext_lazy(
        "Clopper–Pearson limits of the observed reliability, mapped through I0·ln R/ln R_obs"
    ),
    "rp1-a3": gettext_lazy(
        "none on the interval; the reliability range is the Clopper–Pearson interval of the observed reliability"
    ),
}


def recommend(request: HttpRequest) -> HttpResponse:
    form = RecommendForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            history = services.history_from_upload(data["history"].read(), unit=data["unit"])
            result = services.recommend_interval(
                history,
                target=data["target"],
                method=data["method"],
                model=data["model"],
                confidence=data["confidence"],
                current_interval=data.get("current_interval"),
            )
        except InvalidInput as exc:
            add_core_error(form, exc)
        else:
            labels = {
                "title": _("Observed and fitted reliability"),
                "target": _("reliability target"),
                "recommended": _("recommended interval"),
            }
            context.update(
                result=result,
                history_size=len(history),
                method=dict(METHODS)[result.method],
                model=dict(MODELS).get(result.model or "", gettext_lazy("none")),
                bounds_method=BOUNDS.get(result.method, ""),
            )
            context["picture"] = mark_safe(
                reliability_picture(history, result, labels)
            )  # svg.py escapes every label
    return render(request, "calc_intervals/recommend.html", context)
