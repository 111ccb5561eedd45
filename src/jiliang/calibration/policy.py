"""Who may read and write calibration and verification records, on top of the registry's roles
(:mod:`jiliang.registry.policy`: the same :class:`Actor`, institutions and regions).

* Staff and approvers of the performing institution write drafts of its records.
* The checker (核验员) named on a record checks it: their own login, or an administrator.
* An approver of the performing institution issues, supersedes and revokes (批准).
* Records are read by the performing institution, the owner of the item, regulators of the
  region and administrators.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from jiliang.calibration.models import Record
from jiliang.errors import PermissionDenied
from jiliang.registry.choices import Role
from jiliang.registry.policy import Actor

WRITE, CHECK, ISSUE = "write", "check", "issue"


def _of_institution(actor: Actor, record: Record, roles: tuple[str, ...]) -> bool:
    return (
        actor.role in roles
        and actor.institution_id is not None
        and actor.institution_id == record.institution_id
    )


def can(actor: Actor, action: str, record: Record) -> bool:
    if actor.is_admin:
        return True
    if action == WRITE:
        return _of_institution(actor, record, (Role.STAFF, Role.APPROVER))
    if action == CHECK:
        checker = record.checker
        return checker is not None and actor.user_id is not None and checker.user_id == actor.user_id
    if action == ISSUE:
        return _of_institution(actor, record, (Role.APPROVER,))
    return False


def require(actor: Actor, action: str, record: Record) -> None:
    if not can(actor, action, record):
        raise PermissionDenied(f"{action} record {record}", f"{actor} ({actor.role or 'public'}) may not")


def visible(actor: Actor, queryset: QuerySet[Record]) -> QuerySet[Record]:
    """Narrow ``queryset`` to the records ``actor`` may read."""
    if actor.is_admin:
        return queryset
    if actor.role == Role.REGULATOR:
        if actor.district_id is None:
            return queryset
        return queryset.filter(institution__district_id=actor.district_id)
    if actor.institution_id is None:
        return queryset.none()
    own = actor.institution_id
    return queryset.filter(Q(institution_id=own) | Q(instrument__owner_id=own) | Q(standard__owner_id=own))


def can_read(actor: Actor, record: Record) -> bool:
    return visible(actor, Record.objects.filter(pk=record.pk)).exists()
