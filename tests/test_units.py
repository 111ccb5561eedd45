import pytest

from jiliang.errors import InvalidInput
from jiliang.units import dsi_to_pint, is_dsi_unit, parse_unit, ureg


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
