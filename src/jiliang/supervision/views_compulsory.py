"""Web pages of compulsory verification and risk screening."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from jiliang.registry.models import District, InstrumentCategory
from jiliang.registry.policy import actor_for
from jiliang.supervision import compulsory, screening
from jiliang.supervision.models import Campaign
from jiliang.supervision.policy import regulates
from jiliang.supervision.views import _web_errors


@login_required
@_web_errors
def due_list(request: HttpRequest) -> HttpResponse:
    actor = actor_for(request.user)
    context = {
        "rows": compulsory.due_list(actor, date.today()),
        "outbox": compulsory.outbox(actor)[:200],
        "regulates": regulates(actor),
    }
    return render(request, "supervision/due.html", context)


@login_required
@_web_errors
def summary(request: HttpRequest) -> HttpResponse:
    rows = compulsory.regulator_summary(actor_for(request.user), date.today())
    return render(request, "supervision/summary.html", {"rows": rows})


@login_required
@_web_errors
def early_warning(request: HttpRequest) -> HttpResponse:
    district = District.objects.filter(code=request.GET.get("district", "")).first()
    category = InstrumentCategory.objects.filter(code=request.GET.get("category", "")).first()
    rows = screening.ranked(actor_for(request.user), date.today(), district, category)
    context = {
        "rows": rows,
        "districts": District.objects.all(),
        "district": district,
        "categories": InstrumentCategory.objects.filter(compulsory_verification=True),
        "category": category,
        "campaigns": Campaign.objects.all()[:50],
        "pending": screening.pending_follow_ups(date.today())[:100],
    }
    return render(request, "supervision/risk.html", context)
