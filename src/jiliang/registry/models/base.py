"""Shared pieces of the registry's models."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import get_language

from jiliang.errors import InvalidInput

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise
from jiliang.registry import validators


def _as_django(check: Callable[[str, str], str], value: str) -> None:
    """Run a registry validator (raising InvalidInput) under Django's ValidationError protocol."""
    try:
        check(value, "")
    except InvalidInput as exc:
        raise ValidationError(exc.reason) from exc


def credit_code_validator(value: str) -> None:
    _as_django(validators.validate_credit_code, value)


def specification_code_validator(value: str) -> None:
    _as_django(validators.validate_specification_code, value)


def gbw_number_validator(value: str) -> None:
    _as_django(validators.validate_gbw_number, value)


def cnas_number_validator(value: str) -> None:
    _as_django(validators.validate_cnas_number, value)


# Constraint name -> the field its violation is reported beside (forms and services).
CONSTRAINT_FIELDS: dict[str, str] = {}


def field_check(condition: Q, name: str, field: str, message: str | _StrPromise) -> models.CheckConstraint:
    """A check constraint whose violation reads ``message`` and is reported beside ``field``."""
    CONSTRAINT_FIELDS[name] = field
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_code=name, violation_error_message=message
    )


def field_unique(field: str, condition: Q, name: str, message: str | _StrPromise) -> models.UniqueConstraint:
    """A conditional unique constraint on one field, reported beside that field."""
    CONSTRAINT_FIELDS[name] = field
    return models.UniqueConstraint(
        fields=[field],
        condition=condition,
        name=name,
        violation_error_code=name,
        violation_error_message=message,
    )


class FieldConstraints:
    """Report constraint violations beside their field instead of as a form-wide message.

    Django reports a check constraint's violation (and a conditional unique constraint's) as a
    non-field error; a person filling in a form then sees it at the top, away from the field to
    correct. Constraints built by ``field_check``/``field_unique`` name their field.
    """

    def validate_constraints(self, exclude: Any = None) -> None:
        try:
            super().validate_constraints(exclude)  # type: ignore[misc]
        except ValidationError as exc:
            moved: dict[str, list[ValidationError]] = {}
            for key, errors in exc.error_dict.items():
                for error in errors:
                    target = CONSTRAINT_FIELDS.get(error.code or "", key) if key == NON_FIELD_ERRORS else key
                    moved.setdefault(target, []).append(error)
            raise ValidationError(moved) from exc


class BilingualName(models.Model):
    """A catalogue entry named in Chinese and English; ``name`` follows the active language."""

    name_zh = models.CharField("名称", max_length=200)
    name_en = models.CharField("name", max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        language = get_language() or "zh-hans"
        return self.name_zh if language.startswith("zh") else self.name_en

    def __str__(self) -> str:
        return self.name
