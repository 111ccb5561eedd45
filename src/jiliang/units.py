"""The one pint UnitRegistry of Jiliang, and D-SI <-> pint unit conversion.

D-SI (the Digital System of Units, PTB) writes units in a LaTeX-like syntax:
``\\metre\\second\\tothe{-1}``, ``\\kilo\\gram``, ``\\degreecelsius``. ``dsi_to_pint`` turns
such a string into a pint unit expression; ``pint_to_dsi`` goes back.
"""

from __future__ import annotations

import re
from functools import lru_cache

import pint

from jiliang.errors import InvalidInput

ureg: pint.UnitRegistry = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
ureg.formatter.default_format = "~P"
Quantity = ureg.Quantity

_DSI_PREFIXES = {
    "quecto": "q",
    "ronto": "r",
    "yocto": "y",
    "zepto": "z",
    "atto": "a",
    "femto": "f",
    "pico": "p",
    "nano": "n",
    "micro": "µ",
    "milli": "m",
    "centi": "c",
    "deci": "d",
    "deca": "da",
    "hecto": "h",
    "kilo": "k",
    "mega": "M",
    "giga": "G",
    "tera": "T",
    "peta": "P",
    "exa": "E",
    "zetta": "Z",
    "yotta": "Y",
    "ronna": "R",
    "quetta": "Q",
}
_DSI_UNITS = {
    "metre": "m",
    "kilogram": "kg",
    "gram": "g",
    "second": "s",
    "ampere": "A",
    "kelvin": "K",
    "mole": "mol",
    "candela": "cd",
    "one": "dimensionless",
    "radian": "rad",
    "steradian": "sr",
    "hertz": "Hz",
    "newton": "N",
    "pascal": "Pa",
    "joule": "J",
    "watt": "W",
    "coulomb": "C",
    "volt": "V",
    "farad": "F",
    "ohm": "ohm",
    "siemens": "S",
    "weber": "Wb",
    "tesla": "T",
    "henry": "H",
    "degreecelsius": "degC",
    "lumen": "lm",
    "lux": "lx",
    "becquerel": "Bq",
    "sievert": "Sv",
    "gray": "Gy",
    "katal": "kat",
    "day": "day",
    "hour": "hour",
    "minute": "minute",
    "degree": "degree",
    "arcminute": "arcminute",
    "arcsecond": "arcsecond",
    "hectare": "hectare",
    "litre": "L",
    "tonne": "t",
    "electronvolt": "eV",
    "dalton": "Da",
    "astronomicalunit": "au",
    "neper": "Np",
    "bel": "B",
    "decibel": "dB",
    # D-SI 2.x also admits these dimensionless units (PTB dsiunits: \percent, \ppm).
    "percent": "percent",
    "ppm": "ppm",
}
_TOKEN = re.compile(r"\\([A-Za-z]+)(?:\{([^}]*)\})?")


@lru_cache(maxsize=1024)
def parse_unit(text: str, field: str = "unit") -> pint.Unit:
    """Parse a pint unit expression (``nm``, ``1/K``, ``m/s^2``); ``""`` is dimensionless."""
    if not text or text.strip() in {"1", "one", "dimensionless"}:
        return ureg.dimensionless
    try:
        return ureg.Unit(text.replace("^", "**"))
    except (
        pint.UndefinedUnitError,
        pint.DefinitionSyntaxError,
        ValueError,
        AttributeError,
        TypeError,
        SyntaxError,
    ) as exc:
        raise InvalidInput(field, f"unknown unit {text!r} ({exc})") from None


def dsi_to_pint(dsi: str, field: str = "unit") -> str:
    """Translate a D-SI unit string (``\\kilo\\metre\\per\\hour``) to a pint expression.

    Raises ``InvalidInput`` for a token that is not a D-SI unit, prefix or operator.
    """
    tokens = list(_TOKEN.finditer(dsi.strip()))
    if not tokens or "".join(m.group(0) for m in tokens) != dsi.strip().replace(" ", ""):
        raise InvalidInput(field, f"not a D-SI unit string: {dsi!r}")
    numerator: list[str] = []
    denominator: list[str] = []
    target = numerator
    prefix = ""
    for match in tokens:
        name, arg = match.group(1), match.group(2)
        if name == "per":
            target = denominator
        elif name in _DSI_PREFIXES:
            prefix = _DSI_PREFIXES[name]
        elif name in _DSI_UNITS:
            target.append(prefix + _DSI_UNITS[name] if prefix else _DSI_UNITS[name])
            prefix = ""
        elif name in {"tothe", "squared", "cubic"} and target:
            power = {"squared": "2", "cubic": "3"}.get(name, arg or "")
            if not re.fullmatch(r"-?\d+(\.\d+)?", power):
                raise InvalidInput(field, f"bad exponent in {dsi!r}")
            target[-1] = f"{target[-1]}**{power}" if not power.startswith("-") else f"{target[-1]}**({power})"
        else:
            raise InvalidInput(field, f"unknown D-SI token \\{name} in {dsi!r}")
    expr = " * ".join(numerator) or "1"
    if denominator:
        expr += " / (" + " * ".join(denominator) + ")"
    return expr


def is_dsi_unit(dsi: str) -> bool:
    """True when ``dsi`` is a well-formed D-SI unit string that pint understands."""
    try:
        parse_unit(dsi_to_pint(dsi))
    except InvalidInput:
        return False
    return True
