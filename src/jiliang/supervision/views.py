"""Web pages of state-based extension: fleets, a fleet's lots and forecast, a lot's sample and
decision, and the public meter lookup. Writes go through the same services as the API."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jiliang.errors import InvalidInput, JiliangError, NotFound, PermissionDenied
from jiliang.registry.policy import actor_for
from jiliang.supervision import compulsory, labels, present, services
from jiliang.supervision.forecast import forecast_svg
from jiliang.supervision.policy import DECIDE, OPERATE, READ, can, require, visible_fleets


def _web_errors(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A missing record is a 404 page and a refused one a 403 page (domain errors carry no HTTP)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(str(exc)) from exc
        except PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc)) from exc

    return wrapper


@login_required
def fleets(request: HttpRequest) -> HttpResponse:
    rows = [present.fleet(f) for f in visible_fleets(actor_for(request.user))]
    return render(request, "supervision/fleets.html", {"fleets": rows})


@login_required
@_web_errors
def fleet(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    f = services.get_fleet(code)
    require(actor, READ, f)
    first = date.today().year
    fc = services.fleet_forecast(f, first - 1, first + 12)
    chart = forecast_svg(fc, (_("without the extension programme"), _("with the extension programme")))
    context = {
        "fleet": present.fleet(f),
        "lots": [present.lot(x) for x in f.lots.select_related("fleet").defer("frame").order_by("number")],
        "forecast": list(zip(fc.years, fc.without_programme, fc.with_programme, strict=True)),
        "chart": mark_safe(chart),  # generated here from numbers; labels are escaped
        "can_operate": can(actor, OPERATE, f),
    }
    return render(request, "supervision/fleet.html", context)


@login_required
@_web_errors
def lot(request: HttpRequest, code: str, number: int) -> HttpResponse:
    actor = actor_for(request.user)
    f = services.get_fleet(code)
    require(actor, READ, f)
    x = services.get_lot(f, number)
    basis, worded = labels.plan_basis(x.plan) if x.plan else ("", False)
    context = {
        "fleet": present.fleet(f),
        "lot": present.lot_detail(x),
        "plan_basis": basis,
        "plan_basis_worded": worded,
        "can_operate": can(actor, OPERATE, f),
        "can_decide": can(actor, DECIDE, f),
    }
    return render(request, "supervision/lot.html", context)


@login_required
@require_POST
@_web_errors
def form_lots(request: HttpRequest, code: str) -> HttpResponse:
    actor = actor_for(request.user)
    f = services.get_fleet(code)
    try:
        due_year = int(request.POST.get("due_year", ""))
        with transaction.atomic():
            made = services.form_lots(actor, f, due_year)
        messages.success(request, _("%(count)d lots formed.") % {"count": len(made)})
    except ValueError:
        messages.error(request, _("due year: a whole number is required"))
    except JiliangError as exc:
        messages.error(request, str(exc))
    return redirect("supervision:fleet", code=code)


@login_required
@require_POST
@_web_errors
def lot_step(request: HttpRequest, code: str, number: int, step: str) -> HttpResponse:
    actor = actor_for(request.user)
    x = services.get_lot(services.get_fleet(code), number)
    try:
        day = _day(request.POST.get("on", ""))
        with transaction.atomic():
            if step == "notify":
                services.notify_authority(actor, x, day)
            elif step == "sample":
                services.draw_sample(actor, x, _seed(request.POST.get("seed", "")), day)
            elif step == "decide":
                services.decide(actor, x, day)
            else:
                raise InvalidInput("step", f"unknown step {step!r}")
        messages.success(request, _("Saved."))
    except JiliangError as exc:
        messages.error(request, str(exc))
    return redirect("supervision:lot", code=code, number=number)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput("on", _("%(value)r is not a date (YYYY-MM-DD)") % {"value": text}) from None


def _seed(text: str) -> int:
    if not text.strip().isdigit():
        raise InvalidInput("seed", _("a whole number is required"))
    return int(text)


def meter_lookup(request: HttpRequest) -> HttpResponse:
    """Public: the extension of a meter is not marked on it, so consumers look it up here."""
    serial = request.GET.get("serial_number", "").strip()
    found = services.lookup_meter(serial) if serial else None
    instruments = compulsory.public_state(serial, date.today()) if serial else None
    context = {"serial": serial, "found": found, "instruments": instruments}
    return render(request, "supervision/meter_lookup.html", context)
