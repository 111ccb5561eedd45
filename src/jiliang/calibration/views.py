"""Web pages of records: the list (filters, search, pagination) and a record with its results
and the standards used. Reads are narrowed by :func:`jiliang.calibration.policy.visible`."""

from __future__ import annotations

from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from jiliang.calibration import policy
from jiliang.calibration.choices import RecordKind, RecordStatus
from jiliang.calibration.models import Record
from jiliang.registry.policy import actor_for

PAGE_SIZE = 50


def record_list(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    records = policy.visible(actor_for(request.user), Record.objects.all()).select_related(
        "institution", "instrument", "standard"
    )
    q, status, kind = (request.GET.get(k, "").strip() for k in ("q", "status", "kind"))
    if q:
        records = records.filter(certificate_number__icontains=q)
    if status in RecordStatus.values:
        records = records.filter(status=status)
    if kind in RecordKind.values:
        records = records.filter(kind=kind)
    current = Paginator(records.order_by("-calibration_date", "-id"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = "&".join(f"{k}={v}" for k, v in (("q", q), ("status", status), ("kind", kind)) if v)
    context = {
        "current": current, "q": q, "status": status, "kind": kind, "query": query,
        "statuses": RecordStatus.choices, "kinds": RecordKind.choices,
    }  # fmt: skip
    return render(request, "calibration/list.html", context)


def record_detail(request: HttpRequest, pk: int) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    queryset = Record.objects.select_related(
        "institution", "instrument", "standard", "area", "specification", "performer", "checker", "approver"
    ).prefetch_related(
        "results__usages__standard", "results__usages__reference_material", "results__usages__certificate"
    )
    actor = actor_for(request.user)
    record = policy.visible(actor, queryset).filter(pk=pk).first()
    if record is None:
        raise Http404("record")
    # a superseded or revoked record keeps the DCC signed while it was in force
    dcc = getattr(record, "dcc", None)  # RelatedObjectDoesNotExist is an AttributeError
    unsigned = dcc is None and record.status == RecordStatus.ISSUED
    context = {
        "record": record, "results": record.results.all(), "dcc": dcc, "unsigned": unsigned,
        "can_sign": unsigned and policy.can(actor, policy.ISSUE, record),
    }  # fmt: skip
    return render(request, "calibration/detail.html", context)
