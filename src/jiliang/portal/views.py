"""Public pages (issue 2 item 7): the institution directory, the standards directory and the
instrument lookup by serial number. Anyone may read them; they show public records only
(:data:`jiliang.registry.policy.PUBLIC_MODELS`) and, for an instrument, only what the public needs:
what it is, its status, its last verification, when it is next due and its compulsory-verification
state; for an electricity meter of a supervised fleet, its lot and the extension granted to it."""

from __future__ import annotations

from datetime import date

from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from jiliang.registry import models as m
from jiliang.registry import services
from jiliang.registry.choices import InstitutionKind, StandardLevel
from jiliang.supervision import public

PAGE_SIZE = 50
# Instrument owners are many and private persons among them; the directory lists the metrology system.
DIRECTORY_KINDS = [(k, label) for k, label in InstitutionKind.choices if k != InstitutionKind.ENTERPRISE]


def _paginate(request: HttpRequest, queryset: QuerySet) -> tuple[Page, str]:
    current = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return current, query.urlencode()


def institutions(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    district = request.GET.get("district", "")
    text = request.GET.get("q", "").strip()
    queryset = m.Institution.objects.exclude(kind=InstitutionKind.ENTERPRISE).select_related("district")
    if kind in dict(DIRECTORY_KINDS):
        queryset = queryset.filter(kind=kind)
    if district.isdigit():
        queryset = queryset.filter(district_id=int(district))
    if text:
        queryset = queryset.filter(Q(name__icontains=text) | Q(cnas_number__icontains=text))
    queryset = queryset.annotate(authorisation_count=Count("authorisations")).order_by("name")
    current, query = _paginate(request, queryset)
    context = {
        "current": current,
        "query": query,
        "kinds": DIRECTORY_KINDS,
        "districts": m.District.objects.all(),
        "kind": kind,
        "district": district,
        "q": text,
        "today": date.today(),
    }
    return render(request, "portal/institutions.html", context)


def capability(standard: m.MeasurementStandard) -> str:
    """How good a standard is, as its certificate states it: U (k), an accuracy class or an MPE."""
    if standard.expanded_uncertainty is not None:
        value = format(standard.expanded_uncertainty.normalize(), "f")
        k = format(standard.coverage_factor.normalize(), "f") if standard.coverage_factor else "?"
        return f"U = {value} {standard.uncertainty_unit} (k = {k})".replace("  ", " ")
    if standard.accuracy_class:
        return _("accuracy class %(cls)s") % {"cls": standard.accuracy_class}
    return _("MPE %(mpe)s") % {"mpe": standard.mpe}


def standards(request: HttpRequest) -> HttpResponse:
    level = request.GET.get("level", StandardLevel.PUBLIC if "level" not in request.GET else "")
    area = request.GET.get("area", "")
    text = request.GET.get("q", "").strip()
    queryset = m.MeasurementStandard.objects.select_related("owner", "area")
    if level in StandardLevel.values:
        queryset = queryset.filter(level=level)
    if area.isdigit():
        queryset = queryset.filter(area_id=int(area))
    if text:
        queryset = queryset.filter(
            Q(name__icontains=text) | Q(owner__name__icontains=text) | Q(certificate_number__icontains=text)
        )
    current, query = _paginate(request, queryset)
    rows = [(s, capability(s)) for s in current.object_list]
    context = {
        "current": current,
        "rows": rows,
        "query": query,
        "levels": StandardLevel.choices,
        "areas": m.MeasurementArea.objects.all(),
        "level": level,
        "area": area,
        "q": text,
        "today": date.today(),
    }
    return render(request, "portal/standards.html", context)


def lookup(request: HttpRequest) -> HttpResponse:
    """Registry instruments with their compulsory-verification state, and meters of supervised
    fleets with their lot, extension decision and new due date (issue 7, item 2)."""
    serial = request.GET.get("serial_number", "").strip()
    today = date.today()
    found = list(services.lookup_instruments(serial)[:20]) if serial else []
    states = public.compulsory_states([i.pk for i in found], today)
    for instrument in found:
        instrument.compulsory_state = states.get(instrument.pk)  # type: ignore[attr-defined]
    meters = public.meter_extensions(serial)[:20] if serial else []
    context = {"serial": serial, "found": found, "meters": meters, "today": today, "searched": bool(serial)}
    return render(request, "portal/lookup.html", context)
