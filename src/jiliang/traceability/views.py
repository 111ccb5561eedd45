"""Web pages of traceability: a record's chain drawn as a graph with its verdict and reasons,
and the impact analysis of an out-of-tolerance standard (report, CSV download, opening
nonconforming work). They call the same services as the API and the CLI."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from jiliang import errors
from jiliang.calibration.models import Record
from jiliang.registry.policy import actor_for
from jiliang.traceability import services, svg
from jiliang.traceability.params import parse_impact

SHOWN = 500  # results and items drawn on the page; the CSV and JSON downloads have them all
_KEYS = ("source", "since", "until", "error", "error_uncertainty", "unit", "range")


def chain(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    record = Record.objects.filter(pk=pk).first()
    if record is None:
        raise Http404("record")
    try:
        result = services.chain_of_record(actor_for(request.user), record)
    except errors.PermissionDenied:
        raise Http404("record") from None
    drawing = mark_safe(svg.draw(result, _("national primary standard")))
    context = {"record": record, "chain": result, "data": result.as_dict(), "svg": drawing}
    return render(request, "traceability/chain.html", context)


def impact(request: HttpRequest) -> HttpResponse:
    """GET with a ``source`` runs the analysis; ``export=csv`` or ``json`` downloads it; POST opens work."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    values = {k: (request.POST if request.method == "POST" else request.GET).get(k) or None for k in _KEYS}
    context: dict[str, object] = {"values": {k: v or "" for k, v in values.items()}}
    if values["source"]:
        try:
            window, error = parse_impact(values)
            source = services.find_source(values["source"] or "")
            actor = actor_for(request.user)
            with transaction.atomic():
                report = services.analyse(actor, source, window, error)
                if request.method == "POST":
                    work = services.open_nonconforming_work(
                        actor, source, report, request.POST.get("description", "")
                    )
                    messages.success(
                        request, _("Nonconforming work %(work)s opened; owners notified.") % {"work": work}
                    )
        except errors.JiliangError as exc:
            context["error"] = exc
        else:
            if request.GET.get("export") == "csv":
                response = HttpResponse(report.to_csv(), content_type="text/csv; charset=utf-8")
                response["Content-Disposition"] = 'attachment; filename="impact.csv"'
                return response
            if request.GET.get("export") == "json":
                response = JsonResponse(report.as_dict(), json_dumps_params={"ensure_ascii": False})
                response["Content-Disposition"] = 'attachment; filename="impact.json"'
                return response
            context.update(
                report=report,
                data=report.summary(),  # the figures; the rows are drawn from the first SHOWN only
                query=request.GET.urlencode(),
                shown=report.first_results(SHOWN),
                shown_items=report.first_items(SHOWN),
            )
    return render(request, "traceability/impact.html", context)
