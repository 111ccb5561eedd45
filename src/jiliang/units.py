"""The one pint UnitRegistry of Jiliang, and D-SI <-> pint unit conversion.

D-SI (the Digital System of Units, PTB) writes units in a LaTeX-like syntax:
``\\metre\\second\\tothe{-1}``, ``\\kilo\\gram``, ``\\degreecelsius``. ``dsi_to_pint`` turns
such a string into a pint unit expression; ``pint_to_dsi`` goes back.

Values and differences convert differently in units with an offset (°C, °F). A measured or nominal
value is a point on the scale: 20 °C is 293.15 K. An uncertainty, an error, a tolerance width or a
maximum permissible error is a difference of two values: 1 °C of it is 1 K, as pint's
``delta_degC`` (and 1 °F is 5/9 K, ``delta_degF``). :func:`to_base` gives both conversions of a
unit, :func:`convert_value` and :func:`convert_difference` convert between two units; every place
that converts one of those quantities goes through them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
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


# How a record writes the unit one (symbol 1) of a quantity of dimension one (a ratio, a relative deviation).
ONE = frozenset({"", "1", "one", "dimensionless"})


def display_unit(text: str) -> str:
    """The unit as printed after a value: the unit one is not written, so a relative deviation of 1
    reads "1", not "1 1"; every other unit (``%``, ``ppm`` included) as given."""
    return "" if text.strip() in ONE else text


@lru_cache(maxsize=1024)
def parse_unit(text: str, field: str = "unit") -> pint.Unit:
    """Parse a pint unit expression (``nm``, ``1/K``, ``m/s^2``); ``""`` is dimensionless."""
    if not text or text.strip() in ONE:
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


@dataclass(frozen=True)
class BaseConversion:
    """How a unit converts to its coherent SI base unit (``base``, e.g. kg, K): ``dimension``
    (pint's dimensionality as text), a difference is multiplied by ``scale``, a value also shifted
    by ``offset``."""

    dimension: str
    scale: float
    offset: float = 0.0
    base: str = ""

    def value(self, x: float) -> float:
        """A measured or nominal value (absolute: 20 °C -> 293.15 K)."""
        return x * self.scale + self.offset

    def difference(self, x: float) -> float:
        """An uncertainty, error, tolerance width or MPE (a difference: 1 °C -> 1 K)."""
        return x * self.scale


@lru_cache(maxsize=1024)
def to_base(unit: str, field: str = "unit") -> BaseConversion:
    """The conversion of ``unit`` to SI base units. The scale is pint's multiplicative factor of
    the unit (``get_base_units`` leaves offsets out, so °C scales like K and °F like 5/9 K); the
    offset is where 0 of the unit lies (273.15 K for °C), and is 0 for any unit that is not a
    temperature scale on its own (°C/min is a rate of a difference)."""
    parsed = parse_unit(unit, field)
    try:
        scale, root = ureg.get_base_units(parsed)
        offset = 0.0 if parsed.dimensionless else float(ureg.Quantity(0.0, parsed).to(root).magnitude)
    except pint.PintError as exc:
        raise InvalidInput(field, f"unit {unit!r} cannot be converted to SI base units ({exc})") from None
    return BaseConversion(str(root.dimensionality), float(scale), offset, f"{root:~}")  # type: ignore[arg-type]


def _pair(unit: str, target: str, field: str) -> tuple[BaseConversion, BaseConversion]:
    a, b = to_base(unit, field), to_base(target, field)
    if a.dimension != b.dimension:
        raise InvalidInput(field, f"{unit!r} cannot be converted to {target!r}")
    return a, b


def convert_value(x: float, unit: str, target: str, field: str = "unit") -> float:
    """A measured or nominal value in ``unit`` expressed in ``target`` (20 °C -> 293.15 K)."""
    a, b = _pair(unit, target, field)
    return (a.value(x) - b.offset) / b.scale


def convert_difference(x: float, unit: str, target: str, field: str = "unit") -> float:
    """An uncertainty, error, tolerance width or MPE in ``unit`` expressed in ``target``
    (1 °C -> 1 K, 9 °F -> 5 K)."""
    a, b = _pair(unit, target, field)
    return x * a.scale / b.scale


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
