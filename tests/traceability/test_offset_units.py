"""Temperatures in °C and °F down a traceability chain and in the impact analysis (review of
session 2: converting an uncertainty of 1 °C "as a temperature" gave 274.15 K). Uncertainties,
errors and U(E) are differences (1 °C = 1 K, 1.8 °F = 1 K); nominal values are temperatures
(20 °C = 68 °F = 293.15 K). Source of the conversions: NIST, "SI Units - Temperature", table
"Temperature Conversion (Exact)" (https://www.nist.gov/pml/weights-and-measures/si-units-temperature)."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from jiliang.calibration import services as record_services
from jiliang.cli.main import main
from jiliang.errors import InvalidInput
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import queries, services
from jiliang.traceability.graph import UNCERTAINTY
from jiliang.traceability.params import parse_impact
from jiliang.traceability.reverse import Error, Window, impact
from tests import factories
from tests.calibration import builders as b

pytestmark = pytest.mark.django_db
D = Decimal


def _temperature(unit: str, nominal: str, measured: str, u: str) -> dict:
    return b.point(
        quantity="temperature", unit=unit, nominal_value=D(nominal), measured_value=D(measured),
        expanded_uncertainty=D(u), tolerance_lower=D("-1"), tolerance_upper=D("1"),
    )  # fmt: skip


def _standard(unit: str, points: list[dict], u: str):
    """A working standard calibrated (in ``unit``) against a primary standard, its own U in ``unit``."""
    primary = b.primary(expanded_uncertainty=D("0.001"), uncertainty_unit=unit)
    std = b.examined_standard(expanded_uncertainty=D(u), uncertainty_unit=unit)
    cert = b.issued(b.lab(kind="nmi"), std, [{"standard": primary}], points)
    return std, cert


def test_a_celsius_standard_over_a_kelvin_instrument_is_traceable():
    # U = 0.02 °C at 20 °C and U = 0.2 °C at 300 °C; the instrument is calibrated at 293.15 K with
    # U = 0.1 K: the nearest point is 20 °C (293.15 K), whose 0.02 K is smaller, so U grows downwards
    std, cert = _standard(
        "degC",
        [_temperature("degC", "20", "20.01", "0.02"), _temperature("degC", "300", "300.1", "0.2")],
        "0.02",
    )
    # the issue guard compares u = 0.05 K with the standard's u = 0.01 °C = 0.01 K (ratio 5 >= 3)
    record = b.issued(b.lab(), factories.instrument(), [{"standard": std, "certificate": cert}],
                      [_temperature("K", "293.15", "293.2", "0.1")])  # fmt: skip
    data = services.chain_of_record(SYSTEM, record).as_dict()
    assert data["verdict"] == "traceable", data["reasons"]
    node = next(n for n in data["nodes"] if n["certificate_number"] == cert.certificate_number)
    assert node["expanded_uncertainty_si"] == pytest.approx(0.02)  # 0.02 °C is 0.02 K
    assert data["links"][0]["expanded_uncertainty_si"] == pytest.approx(0.1)


def test_a_fahrenheit_standard_is_compared_by_the_size_of_its_degree():
    # U = 0.09 °F = 0.05 K at 68 °F (293.15 K): an instrument with U = 0.1 K is traceable, one
    # with U = 0.04 K is not (its uncertainty does not grow downwards)
    std, cert = _standard("degF", [_temperature("degF", "68", "68.02", "0.09")], "0.009")
    ok = b.issued(b.lab(), factories.instrument(), [{"standard": std, "certificate": cert}],
                  [_temperature("K", "293.15", "293.2", "0.1")])  # fmt: skip
    assert services.chain_of_record(SYSTEM, ok).as_dict()["verdict"] == "traceable"
    draft = b.draft(b.lab(), factories.instrument())  # a draft: the issue guard would refuse it
    record_services.add_result(
        SYSTEM, draft, _temperature("K", "293.15", "293.2", "0.04"), [{"standard": std, "certificate": cert}]
    )
    reasons = [r for r in queries.chain(draft.pk).reasons if r.code == UNCERTAINTY]
    with translation.override("en"):
        assert len(reasons) == 1 and "U = 0.04 (SI) is not larger than U = 0.05" in reasons[0].message


def test_the_issue_guard_compares_a_celsius_uncertainty_with_kelvin():
    std, cert = _standard("degC", [_temperature("degC", "20", "20.01", "0.02")], "0.1")
    draft = b.draft(b.lab(), factories.instrument())
    record_services.add_result(
        SYSTEM, draft, _temperature("K", "293.15", "293.2", "0.2"), [{"standard": std, "certificate": cert}]
    )
    record_services.check_record(SYSTEM, draft)
    # u = 0.1 K is not 3 times u = 0.05 °C = 0.05 K (the guard words it in the active language)
    with pytest.raises(InvalidInput) as refused, translation.override("en"):
        record_services.issue_record(SYSTEM, draft, min_uncertainty_ratio=b.RATIO, on=draft.calibration_date)
    assert "standard uncertainty 0.05 K is not 3 times smaller than the result's 0.1 K" in str(refused.value)


def _kelvin_result_of_a_celsius_standard():
    """A result at 293.15 K with error +0.8 K (tolerance ±1 K: accepted), using a °C standard."""
    std, cert = _standard("degC", [_temperature("degC", "20", "20.01", "0.02")], "0.02")
    b.issued(b.lab(), factories.instrument(), [{"standard": std, "certificate": cert}],
             [_temperature("K", "293.15", "293.95", "0.1")], decision_rule="simple")  # fmt: skip
    return std


@pytest.mark.parametrize(
    ("error", "unit", "changed"),
    [
        ("0.1", "degC", False),  # e' = 0.8 K + 0.1 K = 0.9 K: still inside ±1 K
        ("0.3", "degC", True),  # e' = 1.1 K: outside
        ("0.18", "degF", False),  # 0.18 °F = 0.1 K
        ("0.54", "degF", True),  # 0.54 °F = 0.3 K
        ("300", "mK", True),
    ],
)
def test_an_as_found_error_in_celsius_corrects_a_result_in_kelvin_as_a_difference(error, unit, changed):
    std = _kelvin_result_of_a_celsius_standard()
    window, as_found = parse_impact({"since": "2025-01-01", "error": error, "unit": unit})
    report = impact(std, window, as_found)
    [result] = [r for r in report.results if r.unit == "K"]
    assert (result.decision, result.new_decision) == ("accept", "reject" if changed else "accept"), result
    assert result.changed is changed


def test_the_range_of_an_impact_analysis_is_in_temperatures():
    std = _kelvin_result_of_a_celsius_standard()
    since = date(2025, 1, 1)
    inside = impact(std, Window(since, None, 15, 25), Error(0.3, 0.0, "degC"))  # 293.15 K is 20 °C
    assert [r.unit for r in inside.results] == ["K"]
    assert impact(std, Window(since, None, 25, 30), Error(0.3, 0.0, "degC")).results == ()
    fahrenheit = impact(std, Window(since, None, 60, 70), Error(0.54, 0.0, "degF"))  # 20 °C is 68 °F
    assert [r.unit for r in fahrenheit.results] == ["K"]


def test_an_unknown_error_unit_is_refused_naming_the_field():
    with pytest.raises(InvalidInput) as refused:
        parse_impact({"since": "2025-01-01", "error": "0.3", "unit": "degreez"})
    assert refused.value.field == "unit"


def test_cli_impact_error_in_celsius(capsys):
    std = _kelvin_result_of_a_celsius_standard()
    argv = ["trace", "impact", str(std.pk), "--since", "2025-01-01", "--error", "0.3", "--unit", "degC",
            "--range", "15:25", "--format", "json"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["changed_decisions"] == 1 and data["results"][0]["new_decision"] == "reject"
