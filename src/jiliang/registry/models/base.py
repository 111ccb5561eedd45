"""Shared pieces of the registry's models."""

from __future__ import annotations

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language

from jiliang.errors import InvalidInput
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
