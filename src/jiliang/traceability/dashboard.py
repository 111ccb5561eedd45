"""The dashboard's traceability panel (issue 5, item 6): the open out-of-tolerance events with a
link to their impact report, and a few broken chains (a certificate used while revoked or
expired) with a link to each drawn chain. Kept a minute in the cache, like the region figures;
the broken chains ten minutes (finding an expired link scans the uses)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import F
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from jiliang.calibration import policy as record_policy
from jiliang.calibration.models import Record, Usage
from jiliang.registry.choices import Role
from jiliang.registry.policy import Actor, actor_for
from jiliang.traceability.models import NonconformingWork

CACHE_SECONDS = 60
# Finding expired links scans every use when there are few (2 s on SQLite, 5 s on PostgreSQL with
# 1,000,000 records and none to find): the list of broken chains is kept ten minutes.
BROKEN_CACHE_SECONDS = 600
SHOWN = 5


def panel(request: HttpRequest) -> str:
    if not request.user.is_authenticated:
        return ""
    actor = actor_for(request.user)
    scope = f"{actor.is_admin}:{actor.role}:{actor.institution_id}:{actor.district_id}"
    key = f"traceability:panel:{scope}:{get_language()}"
    html = cache.get(key)
    if html is None:
        events = open_events(actor)
        broken = cache.get_or_set(
            f"traceability:broken:{scope}", lambda: broken_chains(actor), BROKEN_CACHE_SECONDS
        )
        html = (
            render_to_string("traceability/dashboard_panel.html", {"events": events, "broken": broken})
            if events or broken
            else ""
        )
        cache.set(key, html, CACHE_SECONDS)
    return str(html)


def open_events(actor: Actor) -> list[dict[str, Any]]:
    """Open nonconforming work the actor may analyse, newest first, with the link that runs its
    impact analysis again with the same source, window, error and range."""
    works = NonconformingWork.objects.filter(closed=False)
    if not (actor.is_admin or actor.role == Role.REGULATOR):
        if actor.institution_id is None or actor.role not in (Role.STAFF, Role.APPROVER):
            return []
        works = works.filter(standard__owner_id=actor.institution_id) | works.filter(
            reference_material__producer_id=actor.institution_id
        )
    rows = works.order_by("-opened_at", "-id").values(
        "id", "standard_id", "standard__name", "reference_material__number", "since", "until", "description",
        "report__affected_results", "report__changed_decisions", "report__error", "report__range",
    )[:SHOWN]  # fmt: skip
    return [_event(row) for row in rows]


def _event(row: Mapping[str, Any]) -> dict[str, Any]:
    params = {"source": row["standard_id"] or row["reference_material__number"], "since": row["since"]}
    if row["until"]:
        params["until"] = row["until"]
    error, limits = row["report__error"], row["report__range"]
    if error:
        params |= {"error": error["value"], "error_uncertainty": error["expanded_uncertainty"]}
        if error.get("unit"):
            params["unit"] = error["unit"]
    if limits:
        params["range"] = ":".join("" if v is None else str(v) for v in limits)
    return {
        "work": f"NCW-{row['id']}",
        "source": row["standard__name"] or row["reference_material__number"],
        "since": row["since"],
        "until": row["until"],
        "description": row["description"],
        "affected": row["report__affected_results"],
        "changed": row["report__changed_decisions"],
        "url": reverse("traceability:impact") + "?" + urlencode(params),
    }


def broken_chains(actor: Actor) -> list[dict[str, Any]]:
    """Up to :data:`SHOWN` records the actor may read that used a certificate revoked, or expired
    on the day of use (the two link failures a list can find; the chain page gives every reason)."""
    uses = Usage.objects.filter(record__in=record_policy.visible(actor, Record.objects.order_by()))
    revoked = uses.filter(certificate__status="revoked")
    expired = uses.filter(certificate__valid_until__lt=F("record__calibration_date"))
    found: list[dict[str, Any]] = []
    for reason, query in (("revoked", revoked), ("expired", expired)):
        rows = query.order_by("record_id").values_list(
            "record_id", "record__certificate_number", "certificate__certificate_number"
        )[: SHOWN - len(found)]
        found += [
            {"url": reverse("traceability:chain", args=[pk]), "record": number, "certificate": cert,
             "reason": reason}
            for pk, number, cert in rows
        ]  # fmt: skip
        if len(found) >= SHOWN:
            break
    return found
