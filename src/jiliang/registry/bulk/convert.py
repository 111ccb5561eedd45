"""Turn one raw file value into a typed value, or raise ValueError with the reason.

CSV gives text; JSON Lines may give numbers and null. Text columns take text only, so a JSON
number where a serial number is expected is reported as a wrong type rather than guessed.
Reasons are worded in the active language (the command's ``--language``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from jiliang.errors import InvalidInput
from jiliang.registry.bulk.columns import Column

# DecimalField(max_digits=30, decimal_places=12): at most 18 digits before the point.
_MAX_INT_DIGITS, _MAX_PLACES = 18, 12

# One sentence per kind of reference (translated whole, not from a noun).
_NAMING = {
    "institution": gettext_noop("must be text naming an institution, got %(type)s"),
    "area": gettext_noop("must be text naming a measurement area, got %(type)s"),
    "category": gettext_noop("must be text naming an instrument category, got %(type)s"),
    "district": gettext_noop("must be text naming a district, got %(type)s"),
    "specification": gettext_noop("must be text naming a specification, got %(type)s"),
}
_UNKNOWN = {
    "institution": gettext_noop("unknown institution %(key)r"),
    "area": gettext_noop("unknown area %(key)r"),
    "category": gettext_noop("unknown category %(key)r"),
    "district": gettext_noop("unknown district %(key)r"),
    "specification": gettext_noop("unknown specification %(key)r"),
}


def _text(column: Column) -> Callable[[Any], Any]:
    limit, canonical = column.max_length, column.canonical

    def convert(raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError(_("must be text, got %(type)s") % {"type": type(raw).__name__})
        value = raw.strip()
        if canonical is not None:
            try:
                value = canonical(value, column.name)
            except InvalidInput as exc:
                raise ValueError(exc.reason) from exc
        if limit is not None and len(value) > limit:
            raise ValueError(_("longer than %(limit)s characters") % {"limit": limit})
        return value

    return convert


def _int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValueError(_("must be a whole number, got %(type)s") % {"type": type(raw).__name__})
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(_("%(value)r is not a whole number") % {"value": raw}) from None
    if not 0 <= value <= 32767:
        raise ValueError(_("%(value)s is out of range 0 to 32767") % {"value": value})
    return value


def to_date(raw: Any) -> date:
    """``raw`` as a date (ISO text), else ValueError with the reason in the active language."""
    if not isinstance(raw, str):
        raise ValueError(
            _("must be a date as text (YYYY-MM-DD), got %(type)s") % {"type": type(raw).__name__}
        )
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(_("%(value)r is not a date YYYY-MM-DD") % {"value": raw}) from None


def to_decimal(raw: Any) -> Decimal:
    """``raw`` as a Decimal that fits ``DecimalField(30, 12)``, else ValueError with the reason."""
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(_("must be a number, got %(type)s") % {"type": type(raw).__name__})
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(_("%(value)r is not a number") % {"value": raw}) from None
    if not value.is_finite():
        raise ValueError(_("must be finite"))
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent < -_MAX_PLACES and value != value.quantize(Decimal(1).scaleb(-_MAX_PLACES)):
        raise ValueError(_("more than %(places)s decimal places") % {"places": _MAX_PLACES})
    if value.adjusted() >= _MAX_INT_DIGITS:
        raise ValueError(
            _("more than %(digits)s digits before the decimal point") % {"digits": _MAX_INT_DIGITS}
        )
    return value


def _choice(column: Column) -> Callable[[Any], Any]:
    allowed = column.choices

    def convert(raw: Any) -> str:
        if not isinstance(raw, str) or raw.strip() not in allowed:
            raise ValueError(
                _("%(value)r is not one of %(choices)s")
                % {"value": raw, "choices": ", ".join(sorted(allowed))}
            )
        return raw.strip()

    return convert


def converter(column: Column, resolve: Callable[[str, str], Any]) -> Callable[[Any], Any]:
    """The converter of ``column``; ``resolve(kind, key)`` looks a reference up (KeyError if absent)."""
    if column.kind == "str":
        return _text(column)
    if column.kind == "choice":
        return _choice(column)
    if column.kind in {"ref", "refs"}:
        return _reference(column, resolve)
    return {"int": _int, "date": to_date, "decimal": to_decimal}[column.kind]


def _reference(column: Column, resolve: Callable[[str, str], Any]) -> Callable[[Any], Any]:
    kind = column.ref

    def one(key: Any) -> Any:
        if not isinstance(key, str):
            raise ValueError(_(_NAMING[kind]) % {"type": type(key).__name__})
        try:
            return resolve(kind, key.strip())
        except KeyError:
            raise ValueError(_(_UNKNOWN[kind]) % {"key": key.strip()}) from None

    if column.kind == "ref":
        return one

    def many(raw: Any) -> tuple[Any, ...]:
        keys = raw if isinstance(raw, list) else str(raw).split(";")
        return tuple(one(k) for k in keys if str(k).strip())

    return many
