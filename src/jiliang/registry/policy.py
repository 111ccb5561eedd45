"""Who may read and write which registry records (issue 2, "Users, roles, scoping").

Roles: the anonymous public; institution staff; institution approvers; regulators; administrators.

* Everyone reads the public registry: catalogues, institutions and their authorisations,
  measurement standards, reference materials. Instruments and people are not public (the public
  looks an instrument up by serial number through a separate, narrow endpoint).
* Staff of institution A read A's instruments and people and create or update A's standards,
  reference materials and instruments; an approver of A also deletes them, manages A's people and
  edits A's own institution record.
* A regulator reads everything in their region (their institution's district, or the whole region
  when that institution has no district), registers institutions and grants authorisations there,
  and issues technical specifications.
* Administrators do everything.

The same rules serve the API (permission classes), the web and the CLI: they all call the
services, and the services call :func:`require`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Model, Q, QuerySet

from jiliang.errors import PermissionDenied
from jiliang.registry import models as m
from jiliang.registry.choices import Role

READ, CREATE, UPDATE, DELETE = "view", "create", "update", "delete"
ACTIONS = (READ, CREATE, UPDATE, DELETE)

PUBLIC_MODELS: tuple[type[Model], ...] = (
    m.MeasurementArea,
    m.District,
    m.InstrumentCategory,
    m.TechnicalSpecification,
    m.Institution,
    m.Authorisation,
    m.MeasurementStandard,
    m.ReferenceMaterial,
)
# Which roles may write each model, per action, on records of their own institution ("own")
# or of their region ("region", regulators). Administrators may always.
_WRITE: dict[type[Model], dict[str, dict[str, str]]] = {
    m.MeasurementArea: {},
    m.District: {},
    m.InstrumentCategory: {},
    m.TechnicalSpecification: {CREATE: {Role.REGULATOR: "any"}, UPDATE: {Role.REGULATOR: "any"}},
    m.Institution: {
        CREATE: {Role.REGULATOR: "region"},
        UPDATE: {Role.REGULATOR: "region", Role.APPROVER: "own"},
    },
    m.Authorisation: {a: {Role.REGULATOR: "region"} for a in (CREATE, UPDATE, DELETE)},
    m.Person: {a: {Role.APPROVER: "own"} for a in (CREATE, UPDATE, DELETE)},
}
for _asset in (m.MeasurementStandard, m.ReferenceMaterial, m.Instrument):
    _WRITE[_asset] = {
        CREATE: {Role.STAFF: "own", Role.APPROVER: "own"},
        UPDATE: {Role.STAFF: "own", Role.APPROVER: "own"},
        DELETE: {Role.APPROVER: "own"},
    }


@dataclass(frozen=True)
class Actor:
    """The acting user as the rules see it: a role, an institution and a region."""

    username: str
    user_id: int | None = None
    role: str | None = None  # None: the public
    institution_id: int | None = None
    district_id: int | None = None  # a regulator's district; None: the whole region

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMINISTRATOR

    def __str__(self) -> str:
        return self.username


PUBLIC = Actor("anonymous")
SYSTEM = Actor("system", role=Role.ADMINISTRATOR)


def actor_for(user: Any) -> Actor:
    """The actor of a Django user (anonymous users and users without a Person are the public)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return PUBLIC
    person = getattr(user, "person", None)
    if user.is_superuser:
        return Actor(user.get_username(), user.pk, Role.ADMINISTRATOR)
    if person is None:
        return Actor(user.get_username(), user.pk)
    district = person.institution.district_id if person.role == Role.REGULATOR else None
    return Actor(user.get_username(), user.pk, person.role, person.institution_id, district)


def owner_id(obj: Model) -> int | None:
    """The institution a record belongs to (None for catalogue entries)."""
    if isinstance(obj, m.Institution):
        return obj.pk
    for attr in ("institution_id", "owner_id", "producer_id"):
        if hasattr(obj, attr):
            return getattr(obj, attr)
    return None


def district_id(obj: Model) -> int | None:
    """The district a record lies in: an instrument's own district, else its institution's."""
    if isinstance(obj, m.Instrument) and obj.district_id:
        return obj.district_id
    if isinstance(obj, m.Institution):
        return obj.district_id
    owner = owner_id(obj)
    if owner is None:
        return None
    return m.Institution.objects.filter(pk=owner).values_list("district_id", flat=True).first()


def _in_region(actor: Actor, obj: Model) -> bool:
    return actor.district_id is None or district_id(obj) == actor.district_id


def can(actor: Actor, action: str, obj: Model) -> bool:
    """May ``actor`` do ``action`` on ``obj`` (for CREATE: the unsaved record)?"""
    if actor.is_admin:
        return True
    if action == READ:
        return can_read(actor, obj)
    scope = _WRITE.get(type(obj), {}).get(action, {}).get(actor.role or "")
    if scope == "any":
        return True
    if scope == "own":
        return actor.institution_id is not None and owner_id(obj) == actor.institution_id
    if scope == "region":
        return _in_region(actor, obj)
    return False


def can_read(actor: Actor, obj: Model) -> bool:
    if actor.is_admin or isinstance(obj, PUBLIC_MODELS):
        return True
    if actor.role == Role.REGULATOR:
        return _in_region(actor, obj)
    return actor.institution_id is not None and owner_id(obj) == actor.institution_id


def may_write_model(actor: Actor, model: type[Model], action: str) -> bool:
    """Could ``actor`` do ``action`` on some record of ``model`` (before looking at the record)?"""
    return actor.is_admin or bool(_WRITE.get(model, {}).get(action, {}).get(actor.role or ""))


def require(actor: Actor, action: str, obj: Model) -> None:
    if not can(actor, action, obj):
        name = type(obj)._meta.verbose_name
        raise PermissionDenied(f"{action} {name}", f"{actor} ({actor.role or 'public'}) may not")


def visible(actor: Actor, queryset: QuerySet) -> QuerySet:
    """Narrow ``queryset`` to the rows ``actor`` may read."""
    model = queryset.model
    if actor.is_admin or issubclass(model, PUBLIC_MODELS):
        return queryset
    path = {m.Person: "institution", m.Instrument: "owner"}.get(model)
    if path is None:
        return queryset.none()
    if actor.role == Role.REGULATOR:
        if actor.district_id is None:
            return queryset
        if model is m.Instrument:
            return queryset.filter(
                Q(district_id=actor.district_id)
                | Q(district__isnull=True, owner__district_id=actor.district_id)
            )
        return queryset.filter(**{f"{path}__district_id": actor.district_id})
    if actor.institution_id is None:
        return queryset.none()
    return queryset.filter(**{f"{path}_id": actor.institution_id})
