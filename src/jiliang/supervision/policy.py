"""Who may do what with a fleet (builds on :mod:`jiliang.registry.policy`).

* The fleet owner's staff and approvers import meters, form lots, notify, draw samples and
  record results; a regulator of the owner's region may do all that too.
* Only a regulator (or an administrator) decides a lot: the extension is an official act.
* Reading a fleet: the owner's people, regulators of the region, administrators. The public sees a
  meter only through :func:`jiliang.supervision.services.lookup_meter`.
"""

from __future__ import annotations

from django.db.models import QuerySet

from jiliang.errors import PermissionDenied
from jiliang.registry.choices import Role
from jiliang.registry.policy import Actor
from jiliang.supervision.models import Fleet

OPERATE, DECIDE, READ = "operate", "decide", "read"


def can(actor: Actor, action: str, fleet: Fleet) -> bool:
    if actor.is_admin:
        return True
    if actor.role == Role.REGULATOR:
        return actor.district_id is None or fleet.owner.district_id == actor.district_id
    if action == DECIDE:
        return False
    return actor.role in (Role.STAFF, Role.APPROVER) and actor.institution_id == fleet.owner_id


def regulates(actor: Actor) -> bool:
    """Regulators and administrators see the early-warning list and the regulator summary (the
    menu shows them these pages by the same rule: ``SupervisionConfig.nav_items``)."""
    return actor.is_admin or actor.role == Role.REGULATOR


def require(actor: Actor, action: str, fleet: Fleet) -> None:
    if not can(actor, action, fleet):
        raise PermissionDenied(f"{action} fleet {fleet.code}", f"{actor} ({actor.role or 'public'}) may not")


def visible_fleets(actor: Actor) -> QuerySet[Fleet]:
    """The fleets ``actor`` may read."""
    fleets = Fleet.objects.select_related("owner", "category").order_by("code")
    if actor.is_admin:
        return fleets
    if actor.role == Role.REGULATOR:
        district = actor.district_id
        return fleets if district is None else fleets.filter(owner__district_id=district)
    if actor.role not in (Role.STAFF, Role.APPROVER) or actor.institution_id is None:
        return fleets.none()
    return fleets.filter(owner_id=actor.institution_id)
