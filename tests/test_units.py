import pytest

from jiliang.errors import InvalidInput
from jiliang.units import (
    convert_difference,
    convert_value,
    dsi_to_pint,
    is_dsi_unit,
    parse_unit,
    to_base,
    ureg,
)


@pytest.mark.parametrize(
    ("dsi", "pint_unit"),
    [
        (r"\metre", "m"),
        (r"\kilo\gram", "kg"),
        (r"\metre\second\tothe{-1}", "m/s"),
        (r"\kilo\metre\per\hour", "km/h"),
        (r"\degreecelsius", "degC"),
        (r"\one", "dimensionless"),
        (r"\volt\ampere\tothe{-1}", "ohm"),
        (r"\percent", "percent"),
        (r"\ppm", "ppm"),
    ],
)
def test_dsi_to_pint(dsi, pint_unit):
    assert parse_unit(dsi_to_pint(dsi)).dimensionality == ureg.Unit(pint_unit).dimensionality
    assert (1 * parse_unit(dsi_to_pint(dsi))).to(pint_unit).magnitude == pytest.approx(1)


@pytest.mark.parametrize("bad", [r"\degreeCelsius", "%", r"\metre\tothe{x}", ""])
def test_non_dsi_units_are_rejected(bad):
    assert not is_dsi_unit(bad)
    with pytest.raises(InvalidInput):
        parse_unit(dsi_to_pint(bad))


def test_parse_unit_errors_name_the_field():
    with pytest.raises(InvalidInput) as info:
        parse_unit("furlongz", field="inputs.x.unit")
    assert info.value.field == "inputs.x.unit"
    assert parse_unit("") == ureg.dimensionless
    assert parse_unit("m/s^2") == ureg.Unit("m/s**2")


# Temperature values and differences. Source: NIST, "SI Units - Temperature"
# (https://www.nist.gov/pml/weights-and-measures/si-units-temperature): "One Celsius degree is an
# interval of 1 K, and zero degrees Celsius is 273.15 K. An interval of one Celsius degree
# corresponds to an interval of 1.8 Fahrenheit degrees"; its table "Temperature Conversion (Exact)":
# K = (°F - 32) / 1.8 + 273.15, °C = (°F - 32) / 1.8.


def test_a_measured_value_in_celsius_converts_as_an_absolute_temperature():
    assert convert_value(20, "degC", "K") == pytest.approx(293.15)
    assert convert_value(293.15, "K", "°C") == pytest.approx(20)
    assert convert_value(68, "degF", "degC") == pytest.approx(20)  # (68 - 32) / 1.8
    assert convert_value(68, "degF", "K") == pytest.approx(293.15)
    assert to_base("degC").value(20) == pytest.approx(293.15)


@pytest.mark.parametrize(
    ("x", "unit", "target", "expected"),
    [
        (1, "degC", "K", 1),  # an uncertainty of 1 °C is 1 K, not 274.15 K
        (1, "°C", "mK", 1000),
        (1, "K", "degC", 1),
        (1.8, "degF", "K", 1),  # an interval of 1 °C (1 K) is 1.8 °F
        (1.8, "degF", "degC", 1),
        (0.5, "delta_degC", "K", 0.5),
        (3, "degC/min", "K/s", 0.05),  # a rate of change is a difference per time
        (2, "percent", "", 0.02),
        (5, "µm", "mm", 0.005),
    ],
)
def test_an_uncertainty_error_or_tolerance_converts_as_a_difference(x, unit, target, expected):
    assert convert_difference(x, unit, target) == pytest.approx(expected)


def test_base_conversion_of_offset_units():
    celsius, fahrenheit, kelvin = to_base("degC"), to_base("degF"), to_base("K")
    assert celsius.dimension == fahrenheit.dimension == kelvin.dimension == "[temperature]"
    assert (celsius.scale, celsius.offset, celsius.base) == (pytest.approx(1), pytest.approx(273.15), "K")
    assert fahrenheit.difference(1.8) == pytest.approx(1) and fahrenheit.value(32) == pytest.approx(273.15)
    assert to_base("kg").base == "kg" and to_base("g").scale == pytest.approx(0.001)  # SI base: kg, not g


def test_conversions_between_dimensions_are_refused_naming_the_field():
    with pytest.raises(InvalidInput) as info:
        convert_difference(1, "degC", "m", "error.unit")
    assert info.value.field == "error.unit" and "'degC' cannot be converted to 'm'" in info.value.reason
    with pytest.raises(InvalidInput):
        convert_value(1, "furlongz", "m")
