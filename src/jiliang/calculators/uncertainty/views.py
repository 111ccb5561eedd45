"""The uncertainty calculator page: write a model, edit the inputs in a table, see the results."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from jiliang.calculators.uncertainty import services
from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.uncertainty.report import histogram_svg, round_result

# The names JJF 1059.1-2012 uses for the distributions (the values stay the API's names).
DISTRIBUTION_LABELS = {
    "normal": pgettext_lazy("distribution", "normal"),
    "t": pgettext_lazy("distribution", "t"),
    "rectangular": pgettext_lazy("distribution", "rectangular"),
    "triangular": pgettext_lazy("distribution", "triangular"),
    "arcsine": pgettext_lazy("distribution", "arcsine"),
    "trapezoidal": pgettext_lazy("distribution", "trapezoidal"),
    "curvilinear_trapezoid": pgettext_lazy("distribution", "curvilinear trapezoid"),
    "exponential": pgettext_lazy("distribution", "exponential"),
    "gamma": pgettext_lazy("distribution", "gamma"),
}
COLUMNS = ("name", "distribution", "estimate", "width", "extra", "dof", "unit")
EXAMPLE_ROWS = [
    {
        "name": "l_s",
        "distribution": "normal",
        "estimate": "50000623",
        "width": "25",
        "dof": "18",
        "unit": "nm",
    },
    {"name": "d", "distribution": "normal", "estimate": "215", "width": "9.7", "dof": "25.6", "unit": "nm"},
    {"name": "alpha_s", "distribution": "rectangular", "estimate": "11.5e-6", "width": "2e-6", "unit": "1/K"},
    {"name": "theta", "distribution": "normal", "estimate": "-0.1", "width": "0.41", "unit": "K"},
    {
        "name": "delta_alpha",
        "distribution": "rectangular",
        "estimate": "0",
        "width": "1e-6",
        "dof": "50",
        "unit": "1/K",
    },
    {
        "name": "delta_theta",
        "distribution": "rectangular",
        "estimate": "0",
        "width": "0.05",
        "dof": "2",
        "unit": "K",
    },
]
EXAMPLE = {
    "title": "End gauge (GUM H.1)",
    "equations": "l = l_s + d - l_s*(delta_alpha*theta + alpha_s*delta_theta)",
    "correlations": "",
    "coverage": "0.95",
    "coverage_factor": "",
    "method": "both",
    "trials": "200000",
    "seed": "",
    "second_order": False,
}
EMPTY_ROWS = 3


def _rows(request: HttpRequest) -> list[dict[str, str]]:
    columns = {c: request.POST.getlist(c) for c in COLUMNS}
    count = max((len(v) for v in columns.values()), default=0)
    return [{c: (columns[c][i] if i < len(columns[c]) else "") for c in COLUMNS} for i in range(count)]


def page(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _render(request, dict(EXAMPLE), [dict(r) for r in EXAMPLE_ROWS])
    form = {key: request.POST.get(key, "") for key in EXAMPLE if key != "second_order"}
    form["second_order"] = request.POST.get("second_order") == "on"
    rows = [r for r in _rows(request) if any(r[c].strip() for c in COLUMNS if c != "distribution")]
    context: dict[str, Any] = {}
    try:
        data = services.model_from_table(
            form["title"],
            form["equations"],
            rows,
            form["correlations"],
            form["coverage"],
            form["coverage_factor"],
        )
        query = {"method": form["method"], "trials": form["trials"], "seed": form["seed"]}
        query["second_order"] = "true" if form["second_order"] else ""
        options = services.options_from_query(query)
        context["results"] = _present(services.evaluate_model(data, options))
    except InvalidInputs as exc:
        context["errors"] = [{"field": e.field, "reason": e.reason} for e in exc.errors]
    except InvalidInput as exc:
        context["errors"] = [{"field": exc.field, "reason": exc.reason}]
    return _render(request, form, rows, **context)


def _render(
    request: HttpRequest, form: dict[str, Any], rows: list[dict[str, str]], **context: Any
) -> HttpResponse:
    errors = context.get("errors", [])
    for row in rows:
        prefix = f"inputs.{row.get('name', '').strip()}"
        row["errors"] = [
            e["reason"] for e in errors if e["field"] == prefix or e["field"].startswith(prefix + ".")
        ]
    rows = rows + [{"distribution": "normal"} for _ in range(EMPTY_ROWS)]
    return render(
        request,
        "calc_uncertainty/page.html",
        {
            "form": form,
            "rows": rows,
            "distributions": [(d, DISTRIBUTION_LABELS[d]) for d in services.DISTRIBUTIONS],
            "methods": (
                ("both", _("GUM and Monte Carlo")),
                ("gum", _("GUM only")),
                ("mc", _("Monte Carlo only")),
            ),
            "max_trials": services.API_MAX_TRIALS,
            **context,
        },
    )


def _present(evaluation: Any) -> dict[str, Any]:
    """Numbers rounded for display (GUM 7.2.6) and the histogram as inline SVG."""
    outputs = []
    for out in evaluation.outputs:
        item: dict[str, Any] = {"name": out.name, "unit": out.unit, "gum": out.gum, "mc": out.mc}
        item["validation"] = out.validation
        if out.gum:
            item["gum_y"], item["gum_u"] = round_result(out.gum.estimate, out.gum.standard_uncertainty)
            item["gum_U"] = round_result(out.gum.estimate, out.gum.expanded_uncertainty)[1]
        if out.mc:
            item["mc_y"], item["mc_u"] = round_result(out.mc.estimate, out.mc.standard_uncertainty)
            # the SVG is generated by our code from numbers only, no user text
            item["histogram"] = mark_safe(histogram_svg(out.mc, out.gum))
        outputs.append(item)
    return {
        "title": evaluation.title,
        "outputs": outputs,
        "correlations": evaluation.output_correlations,
        "mc_correlations": evaluation.mc_output_correlations,
    }
