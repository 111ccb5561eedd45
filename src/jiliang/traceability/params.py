"""Parse the parameters of an impact analysis from text (CLI options, query strings), so the
CLI and the API accept the same values with the same messages. No Django here."""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import date

from jiliang.errors import InvalidInput
from jiliang.traceability.impact import Error, Window
from jiliang.units import to_base


def parse_date(text: str, field: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a date YYYY-MM-DD") from None


def parse_number(text: str, field: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(field, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise InvalidInput(field, "must be finite")
    return value


def parse_range(text: str, field: str = "range") -> tuple[float | None, float | None]:
    """``LOW:HIGH``; either side may be empty (``:5``, ``10:``)."""
    low, sep, high = text.partition(":")
    if not sep:
        raise InvalidInput(field, f"{text!r} is not LOW:HIGH")
    return (parse_number(low, field) if low else None, parse_number(high, field) if high else None)


def parse_impact(values: Mapping[str, str | None]) -> tuple[Window, Error | None]:
    """``since`` (required), ``until``, ``error``, ``error_uncertainty``, ``unit``, ``range``."""
    since = values.get("since")
    if not since:
        raise InvalidInput("since", "give the start of the suspect window (YYYY-MM-DD)")
    until = values.get("until")
    window_until = parse_date(until, "until") if until else None
    text_range = values.get("range")
    low, high = parse_range(text_range) if text_range else (None, None)
    error = None
    if values.get("error"):
        if values.get("unit"):
            to_base(values["unit"] or "", "unit")  # an unknown unit is refused, not left incomparable
        error = Error(
            parse_number(values["error"] or "", "error"),
            parse_number(values.get("error_uncertainty") or "0", "error_uncertainty"),
            values.get("unit") or None,
        )
    elif values.get("range"):
        raise InvalidInput("range", "a range needs an as-found error")
    window = Window(parse_date(since, "since"), window_until, low, high)
    if window.until is not None and window.until < window.since:
        raise InvalidInput("until", f"{window.until} is before since = {window.since}")
    if low is not None and high is not None and low > high:
        raise InvalidInput("range", f"LOW {low} is above HIGH {high}")
    if error is not None and error.expanded_uncertainty < 0:
        raise InvalidInput("error_uncertainty", "must be >= 0")
    return window, error
