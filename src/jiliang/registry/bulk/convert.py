"""Turn one raw file value into a typed value, or raise ValueError with the reason.

CSV gives text; JSON Lines may give numbers and null. Text columns take text only, so a JSON
number where a serial number is expected is reported as a wrong type rather than guessed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from jiliang.errors import InvalidInput
from jiliang.registry.bulk.columns import Column

# DecimalField(max_digits=30, decimal_places=12): at most 18 digits before the point.
_MAX_INT_DIGITS, _MAX_PLACES = 18, 12


def _text(column: Column) -> Callable[[Any], Any]:
    limit, canonical = column.max_length, column.canonical

    def convert(raw: Any) -> str:
        if not isinstance(raw, str):
            raise ValueError(f"must be text, got {type(raw).__name__}")
        value = raw.strip()
        if canonical is not None:
            try:
                value = canonical(value, column.name)
            except InvalidInput as exc:
                raise ValueError(exc.reason) from exc
        if limit is not None and len(value) > limit:
            raise ValueError(f"longer than {limit} characters")
        return value

    return convert


def _int(raw: Any) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int | str):
        raise ValueError(f"must be a whole number, got {type(raw).__name__}")
    try:
        value = int(raw)
    except ValueError:
        raise ValueError(f"{raw!r} is not a whole number") from None
    if not 0 <= value <= 32767:
        raise ValueError(f"{value} is out of range 0 to 32767")
    return value


def _date(raw: Any) -> date:
    if not isinstance(raw, str):
        raise ValueError(f"must be a date as text (YYYY-MM-DD), got {type(raw).__name__}")
    try:
        return date.fromisoformat(raw.strip())
    except ValueError:
        raise ValueError(f"{raw!r} is not a date YYYY-MM-DD") from None


def _decimal(raw: Any) -> Decimal:
    if isinstance(raw, bool) or not isinstance(raw, int | float | str):
        raise ValueError(f"must be a number, got {type(raw).__name__}")
    try:
        value = Decimal(str(raw).strip())
    except InvalidOperation:
        raise ValueError(f"{raw!r} is not a number") from None
    if not value.is_finite():
        raise ValueError("must be finite")
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    if exponent < -_MAX_PLACES and value != value.quantize(Decimal(1).scaleb(-_MAX_PLACES)):
        raise ValueError(f"more than {_MAX_PLACES} decimal places")
    if value.adjusted() >= _MAX_INT_DIGITS:
        raise ValueError(f"more than {_MAX_INT_DIGITS} digits before the decimal point")
    return value


def _choice(column: Column) -> Callable[[Any], Any]:
    allowed = column.choices

    def convert(raw: Any) -> str:
        if not isinstance(raw, str) or raw.strip() not in allowed:
            raise ValueError(f"{raw!r} is not one of {', '.join(sorted(allowed))}")
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
    return {"int": _int, "date": _date, "decimal": _decimal}[column.kind]


def _reference(column: Column, resolve: Callable[[str, str], Any]) -> Callable[[Any], Any]:
    kind = column.ref

    def one(key: Any) -> Any:
        if not isinstance(key, str):
            raise ValueError(f"must be text naming a {kind}, got {type(key).__name__}")
        try:
            return resolve(kind, key.strip())
        except KeyError:
            raise ValueError(f"unknown {kind} {key.strip()!r}") from None

    if column.kind == "ref":
        return one

    def many(raw: Any) -> tuple[Any, ...]:
        keys = raw if isinstance(raw, list) else str(raw).split(";")
        return tuple(one(k) for k in keys if str(k).strip())

    return many
