"""Units of calibration records (pint expressions: ``µm``, ``kPa``, ``m/s^2``, ``°C``) written as
D-SI unit strings (PTB D-SI 2.2.1: ``\\micro\\metre``, ``\\metre\\second\\tothe{-2}``)."""

from __future__ import annotations

from functools import lru_cache

from jiliang.errors import InvalidInput
from jiliang.units import _DSI_PREFIXES, _DSI_UNITS, parse_unit, ureg


@lru_cache(maxsize=1)
def _dsi_names() -> dict[str, str]:
    """pint's canonical unit name (``micrometer``) -> the D-SI tokens (``\\micro\\metre``).

    Prefixed names are formed from pint's full names (``micro`` + ``meter``), never from symbols,
    which are ambiguous once prefixed (``mcd``: micro-day or milli-candela)."""
    names: dict[str, str] = {}
    for unit, symbol in _DSI_UNITS.items():
        base = parse_unit(symbol)
        if len(base._units) != 1 or unit == "one":
            continue
        (name,) = base._units
        names.setdefault(name, f"\\{unit}")
        if unit in {"kilogram", "percent", "ppm", "degreecelsius"}:
            continue  # D-SI prefixes none of these
        for prefix in _DSI_PREFIXES:
            try:
                prefixed = parse_unit(prefix + name)
            except InvalidInput:  # a prefix pint does not define for this unit
                continue
            if dict(prefixed._units) == {prefix + name: 1}:
                names.setdefault(prefix + name, f"\\{prefix}\\{unit}")
    return names


def to_dsi(unit: str, field: str = "unit") -> str:
    """A record's unit (``µm``, ``kPa``, ``m/s^2``, ``°C``) as a D-SI unit string."""
    text = unit.strip().replace("°C", "degC").replace("℃", "degC")
    parsed = parse_unit(text, field)
    if parsed == ureg.dimensionless:
        return "\\one"
    parts = []
    for name, power in parsed._units.items():
        token = _dsi_names().get(name)
        if token is None:
            raise InvalidInput(field, f"unit {unit!r} has no D-SI form")
        parts.append(token if power == 1 else f"{token}\\tothe{{{power:g}}}")
    return "".join(parts)
