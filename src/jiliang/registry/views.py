"""Server-rendered registry pages: the dashboard, lists (filters, search, pagination), detail pages
and create/edit forms. Reads are narrowed by :func:`policy.visible`; writes call the services."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.module_loading import import_string
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_filters.filterset import filterset_factory

from jiliang import errors
from jiliang.platform.dashboard import panels as dashboard_panels
from jiliang.registry import charts, policy, services, stats
from jiliang.registry.pages import PAGES, Page

PAGE_SIZE = 50


def _page(kind: str) -> Page:
    if kind not in PAGES:
        raise Http404(kind)
    return PAGES[kind]


def cell(obj: Model, name: str) -> Any:
    """The display value of field ``name`` of ``obj`` (choice labels, related records' names)."""
    field = obj._meta.get_field(name)
    value = getattr(obj, name)
    if value is None:
        return ""  # an empty choice field displays as None otherwise
    if getattr(field, "choices", None):
        return getattr(obj, f"get_{name}_display")()
    if field.many_to_many:
        return ", ".join(str(v) for v in value.all())
    return value


def _row(obj: Model, columns: tuple[str, ...], today: date) -> list[dict[str, Any]]:
    row = []
    for name in columns:
        value = cell(obj, name)
        css = ""
        if name in ("next_due", "certificate_valid_until", "expiry", "registration_valid_until"):
            css = "bad" if isinstance(value, date) and value < today else ""
        elif name == "status":
            css = "ok" if getattr(obj, "status", "") == "in_service" else "bad"
        if isinstance(value, date):
            value = value.isoformat()
        row.append({"value": value, "css": css, "num": isinstance(getattr(obj, name, None), int | float)})
    return row


def _label(model: type[Model], name: str) -> str:
    return capfirst(str(getattr(model._meta.get_field(name), "verbose_name", name)))


def _headers(page: Page, columns: tuple[str, ...]) -> list[str]:
    return [_label(page.model, c) for c in columns]


def _visible(request: HttpRequest, page: Page) -> tuple[policy.Actor, QuerySet]:
    actor = policy.actor_for(request.user)
    return actor, policy.visible(actor, page.queryset())


def _search(queryset: QuerySet, page: Page, text: str) -> QuerySet:
    condition = Q()
    for name in page.search:
        condition |= Q(**{f"{name}__icontains": text})
    return queryset.filter(condition)


def record_list(request: HttpRequest, kind: str) -> HttpResponse:
    page = _page(kind)
    if not page.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor, queryset = _visible(request, page)
    filterset = filterset_factory(page.model, fields=list(page.filters))(
        request.GET or None, queryset=queryset
    )
    queryset = filterset.qs if filterset.is_bound and filterset.is_valid() else queryset
    text = request.GET.get("q", "").strip()
    if text:
        queryset = _search(queryset, page, text)
    paginator = Paginator(queryset, PAGE_SIZE)
    current = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    today = date.today()
    context = {
        "page": page,
        "kind": kind,
        "filterset": filterset,
        "q": text,
        "headers": _headers(page, page.columns),
        "rows": [(obj.pk, _row(obj, page.columns, today)) for obj in current.object_list],
        "current": current,
        "query": query.urlencode(),
        "can_create": policy.may_write_model(actor, page.model, policy.CREATE),
    }
    return render(request, "registry/list.html", context)


def record_detail(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    page = _page(kind)
    if not page.public and not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor, queryset = _visible(request, page)
    obj = get_object_or_404(queryset, pk=pk)
    names = [f.name for f in page.model._meta.concrete_fields if f.name != "id"]
    names += [f.name for f in page.model._meta.many_to_many]
    today = date.today()
    related = []
    for attr, title, columns in page.related:
        model = getattr(obj, attr).model
        joins = [c for c in columns if model._meta.get_field(c).many_to_one]
        rel_qs = getattr(obj, attr).select_related(*joins)[:PAGE_SIZE]
        heads = [_label(model, c) for c in columns]
        related.append((title, heads, [_row(r, columns, today) for r in rel_qs]))
    context = {
        "page": page,
        "kind": kind,
        "obj": obj,
        "fields": [(_label(page.model, n), cell(obj, n)) for n in names],
        "related": related,
        "panels": _panels(request, kind, obj),
        "can_edit": policy.can(actor, policy.UPDATE, obj),
        "can_delete": policy.can(actor, policy.DELETE, obj),
    }
    return render(request, "registry/detail.html", context)


def record_delete(request: HttpRequest, kind: str, pk: int) -> HttpResponse:
    """Ask to confirm (GET), then delete through the services (POST), which audit the deletion.

    A record others still refer to (an institution with instruments, a category in use) is kept
    and the detail page says why; nothing is half-deleted.
    """
    page = _page(kind)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor, queryset = _visible(request, page)
    obj = get_object_or_404(queryset, pk=pk)
    if not policy.can(actor, policy.DELETE, obj):
        raise PermissionDenied(_("You may not delete this record."))
    if request.method == "POST":
        name = str(obj)
        try:
            services.delete(actor, obj)
        except errors.Conflict:
            messages.error(
                request,
                _("%(record)s is still referred to by other records and was not deleted.") % {"record": name},
            )
            return redirect(reverse("registry:detail", args=[kind, pk]))
        messages.success(request, _("Deleted %(record)s.") % {"record": name})
        return redirect(reverse(f"registry:{kind}"))
    return render(request, "registry/delete.html", {"page": page, "kind": kind, "obj": obj})


def _panels(request: HttpRequest, kind: str, obj: Model) -> list[dict[str, Any]]:
    """Sections other apps add to a detail page: an ``AppConfig`` may declare ``detail_panels``,
    pairs of (page slug, dotted path of ``f(request, obj) -> dict | None``); the dict names the
    ``template`` to include and carries its data. The registry thus imports no other app."""
    panels = []
    for config in apps.get_app_configs():
        for slug, path in getattr(config, "detail_panels", ()):
            panel = import_string(path)(request, obj) if slug == kind else None
            if panel:
                panels.append(panel)
    return panels


def record_form(request: HttpRequest, kind: str, pk: int | None = None) -> HttpResponse:
    """Create (``pk`` None) or edit a record; the services check permission, validate and audit."""
    page = _page(kind)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor, queryset = _visible(request, page)
    obj = get_object_or_404(queryset, pk=pk) if pk is not None else None
    allowed = (
        policy.can(actor, policy.UPDATE, obj) if obj else policy.may_write_model(actor, page.model, "create")
    )
    if not allowed:
        raise PermissionDenied(_("You may not change these records."))
    # Validating the form changes ``obj`` in memory: the service gets the record as stored, so
    # that its audit entry's "before" is what the database held.
    form = page.form(request.POST or None, instance=obj, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                if obj is None:
                    saved = services.create(actor, page.model, form.cleaned_data)
                else:
                    saved = services.update(
                        actor, page.model._default_manager.get(pk=obj.pk), form.cleaned_data
                    )
        except errors.InvalidInput as exc:
            form.add_service_errors(exc)
        except (errors.Conflict, errors.PermissionDenied) as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Saved %(record)s.") % {"record": saved})
            return redirect(reverse("registry:detail", args=[kind, saved.pk]))
    return render(request, "registry/form.html", {"page": page, "kind": kind, "form": form, "obj": obj})


def dashboard(request: HttpRequest) -> HttpResponse:
    figures = stats.cached_region_figures()
    context = {
        "f": figures,
        "panels": dashboard_panels(request),
        "share": f"{100 * figures.compulsory_share:.1f}",
        "chart_kinds": charts.bar_chart(
            [kv for kv in figures.institutions_by_kind if kv[1]], label_width=250
        ),
        "chart_levels": charts.bar_chart(figures.standards_by_level, label_width=250),
        "chart_standard_areas": charts.bar_chart(figures.standards_by_area, label_width=150),
        "chart_districts": charts.bar_chart(figures.instruments_by_district, label_width=150),
        "chart_instrument_areas": charts.bar_chart(figures.instruments_by_area, label_width=150),
        "chart_compulsory": charts.donut(
            [
                (_("Compulsory verification"), figures.compulsory),
                (_("Other instruments"), figures.instruments - figures.compulsory),
            ],
            colours=(charts.BLUE, charts.GREY),
        ),
        "chart_due": charts.donut(
            [
                (_("Overdue"), figures.overdue),
                (_("Due within 30 days"), figures.due_soon),
                (_("In date"), figures.instruments - figures.overdue - figures.due_soon),
            ],
            colours=(charts.RED, charts.AMBER, charts.GREEN),
        ),
    }
    return render(request, "registry/dashboard.html", context)
