"""Use cases of the registry: create, update and delete records (DESIGN.md "services").

Every change goes through here so that the API, the web pages and the CLI share one rule set:
the actor's permission is checked (:mod:`jiliang.registry.policy`), the record is validated
(field validators, unique and check constraints), saved, and an audit entry with the record
before and after is appended in the same transaction. Services do not commit on their own; they
open a savepoint so a failure leaves nothing behind.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Model, ProtectedError, QuerySet

from jiliang.errors import Conflict, InvalidInput, InvalidInputs
from jiliang.platform import audit
from jiliang.registry import models as m
from jiliang.registry.choices import Role
from jiliang.registry.policy import CREATE, DELETE, UPDATE, Actor, require

M = TypeVar("M", bound=Model)


def object_type(model: type[Model] | Model) -> str:
    return model._meta.label_lower


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    if isinstance(value, date | datetime):
        return value.isoformat()
    return value


def snapshot(obj: Model) -> dict[str, Any]:
    """The record as JSON-safe values (foreign keys as ids, many-to-many as sorted id lists)."""
    data = {f.attname: _json_value(getattr(obj, f.attname)) for f in obj._meta.concrete_fields}
    for field in obj._meta.many_to_many:
        related = getattr(obj, field.name).values_list("pk", flat=True) if obj.pk else []
        data[field.name] = sorted(related)
    return data


def _split(model: type[Model], data: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Separate many-to-many values (set after saving) from plain field values."""
    m2m_names = {f.name for f in model._meta.many_to_many}
    known = {f.name for f in model._meta.get_fields()} | {f.attname for f in model._meta.concrete_fields}
    unknown = sorted(set(data) - known)
    if unknown:
        raise InvalidInput(f"{model._meta.model_name}.{unknown[0]}", "no such field")
    plain = {k: v for k, v in data.items() if k not in m2m_names}
    return plain, {k: v for k, v in data.items() if k in m2m_names}


def _validate(obj: Model) -> None:
    """Run Django's full_clean (validators, uniqueness, check constraints) as InvalidInputs."""
    try:
        obj.full_clean()
    except ValidationError as exc:
        prefix = obj._meta.model_name
        errors = [
            InvalidInput(f"{prefix}.{field}" if field != "__all__" else str(prefix), str(message))
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
        raise InvalidInputs(errors) from exc


def _save(obj: Model, m2m: dict[str, Any]) -> None:
    try:
        with transaction.atomic():
            obj.save()
            for name, values in m2m.items():
                getattr(obj, name).set(values)
    except IntegrityError as exc:  # a race with another writer, caught by the database itself
        raise Conflict(f"the database refused the record: {exc}") from exc
    if isinstance(obj, m.Person):
        sync_role_groups(obj)


def _audit(actor: Actor, action: str, obj: Model, before: Any, after: Any, pk: Any) -> None:
    audit.record(
        actor=actor.username,
        actor_id=actor.user_id,
        action=action,
        object_type=object_type(obj),
        object_id=str(pk),
        before=before,
        after=after,
    )


def create(actor: Actor, model: type[M], data: Mapping[str, Any]) -> M:
    """Create a record of ``model`` from field values (foreign keys as instances or ``<name>_id``)."""
    plain, m2m = _split(model, data)
    obj = model(**plain)
    require(actor, CREATE, obj)
    _validate(obj)
    with transaction.atomic():
        _save(obj, m2m)
        _audit(actor, "create", obj, None, snapshot(obj), obj.pk)
    return obj


def update(actor: Actor, obj: M, changes: Mapping[str, Any]) -> M:
    """Change some fields of ``obj``; moving a record to another institution needs both sides."""
    require(actor, UPDATE, obj)
    plain, m2m = _split(type(obj), changes)
    with transaction.atomic():
        before = snapshot(obj)
        for name, value in plain.items():
            setattr(obj, name, value)
        require(actor, UPDATE, obj)
        _validate(obj)
        _save(obj, m2m)
        after = snapshot(obj)
        if after != before:
            _audit(actor, "update", obj, before, after, obj.pk)
    return obj


def delete(actor: Actor, obj: Model) -> None:
    require(actor, DELETE, obj)
    pk = obj.pk
    with transaction.atomic():
        before = snapshot(obj)
        try:
            with transaction.atomic():
                obj.delete()
        except (IntegrityError, ProtectedError) as exc:
            raise Conflict(f"{obj} is still referenced by other records") from exc
        _audit(actor, "delete", obj, before, None, pk)


def sync_role_groups(person: m.Person) -> None:
    """Keep the linked user's Django groups equal to the person's role (for the admin site)."""
    if person.user_id is None:
        return
    groups = {g.name: g for g in Group.objects.filter(name__in=Role.values)}
    for name in Role.values:
        if name not in groups:
            groups[name] = Group.objects.create(name=name)
    user = person.user
    assert user is not None
    user.groups.remove(*[g for n, g in groups.items() if n != person.role])
    user.groups.add(groups[person.role])


def lookup_instruments(serial_number: str) -> QuerySet[m.Instrument]:
    """Instruments with this serial number (one per manufacturer and model), for the public lookup."""
    return (
        m.Instrument.objects.filter(serial_number=serial_number.strip())
        .select_related("category")
        .order_by("manufacturer", "model")
    )
