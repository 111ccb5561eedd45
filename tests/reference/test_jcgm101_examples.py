"""JCGM 101:2008 clause 9 examples and EA-4/02 S2, by Monte Carlo with a seeded generator.

Tolerances are statistical: a printed Monte Carlo value (10^6 trials in JCGM 101) is matched within
its last printed digit plus about three standard errors of our own run.
"""

from __future__ import annotations

import math

import pytest

from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.modelfile import load_problem

ROOT3 = math.sqrt(3)


def additive(spec, u4=1.0):
    inputs = {f"X{i}": spec(1.0) for i in range(1, 4)} | {"X4": spec(u4)}
    return {"model": "Y = X1 + X2 + X3 + X4", "inputs": inputs}


def normal(u):
    return {"distribution": "normal", "estimate": 0.0, "std_uncertainty": u}


def rectangular(u):
    return {"distribution": "rectangular", "estimate": 0.0, "half_width": ROOT3 * u}


def test_jcgm101_9_2_2_additive_model_normal_inputs():
    """JCGM 101 9.2.2, Table 2: GUF and MCM both give y = 0.00, u(y) = 2.00, 95 % interval
    [-3.92, 3.92]; the GUF is validated."""
    out = evaluate(load_problem(additive(normal)), trials=10**6, rng=20080922).output("Y")
    assert out.gum and out.mc and out.validation
    assert (round(out.gum.standard_uncertainty, 2), round(out.gum.coverage_interval[1], 2)) == (2.00, 3.92)
    assert out.mc.estimate == pytest.approx(0.0, abs=0.01)
    assert out.mc.standard_uncertainty == pytest.approx(2.00, abs=0.005)
    assert out.mc.coverage_interval == pytest.approx((-3.92, 3.92), abs=0.02)
    assert out.validation.passed and out.validation.tolerance == 0.05


def test_jcgm101_9_2_3_additive_model_rectangular_inputs():
    """JCGM 101 9.2.3, Table 3: MCM u(y) = 2.00, 95 % interval [-3.88, 3.88] against the GUF's
    [-3.92, 3.92]; with δ = 0.05 the GUF is validated."""
    out = evaluate(load_problem(additive(rectangular)), trials=10**6, rng=20080923).output("Y")
    assert out.gum and out.mc and out.validation
    assert out.mc.standard_uncertainty == pytest.approx(2.00, abs=0.005)
    assert out.mc.coverage_interval == pytest.approx((-3.88, 3.88), abs=0.02)
    assert out.validation.passed
    assert out.validation.d_low < 0.05 and out.validation.d_high < 0.05


def test_jcgm101_9_2_4_rectangular_inputs_one_dominant():
    """JCGM 101 9.2.4, Table 4: X4 with ten times the standard deviation: u(y) = 10.15 for both,
    GUF interval [-19.9, 19.9], MCM [-17.0, 17.0]; the GUF is not validated."""
    out = evaluate(load_problem(additive(rectangular, 10.0)), trials=10**6, rng=20080924).output("Y")
    assert out.gum and out.mc and out.validation
    assert round(out.gum.standard_uncertainty, 2) == 10.15
    assert round(out.gum.coverage_interval[1], 1) == 19.9
    assert out.mc.standard_uncertainty == pytest.approx(10.15, abs=0.03)
    assert out.mc.coverage_interval == pytest.approx((-17.0, 17.0), abs=0.1)
    assert not out.validation.passed


MASS = {
    "title": "Mass calibration (JCGM 101 9.3)",
    "model": "dm = (m_Rc + dm_Rc)*(1 + (rho_a - rho_a0)*(1/rho_W - 1/rho_R)) - m_nom",
    "constants": {"rho_a0": {"value": 1.2, "unit": "kg/m^3"}, "m_nom": {"value": 100000, "unit": "mg"}},
    "inputs": {
        "m_Rc": {"distribution": "normal", "estimate": 100000.000, "std_uncertainty": 0.050, "unit": "mg"},
        "dm_Rc": {"distribution": "normal", "estimate": 1.234, "std_uncertainty": 0.020, "unit": "mg"},
        "rho_a": {"distribution": "rectangular", "lower": 1.10, "upper": 1.30, "unit": "kg/m^3"},
        "rho_W": {"distribution": "rectangular", "lower": 7000, "upper": 9000, "unit": "kg/m^3"},
        "rho_R": {"distribution": "rectangular", "lower": 7950, "upper": 8050, "unit": "kg/m^3"},
    },
}


def test_jcgm101_9_3_mass_calibration():
    """JCGM 101 9.3, Table 9: GUF δm = 1.2340 mg, u = 0.0539 mg, [1.1285, 1.3395] mg; MCM 1.2341 mg,
    0.0754 mg, [1.0834, 1.3825] mg; second-order GUF u = 0.0750 mg, [1.0870, 1.3810] mg.
    With δ = 0.005 mg (one significant digit) the first-order GUF is not validated
    (d_low = 0.0451 mg, d_high = 0.0430 mg) and the second-order one is."""
    first = evaluate(load_problem(MASS), trials=10**6, rng=20080930, digits=1).output("dm")
    assert first.gum and first.mc and first.validation and first.unit == "mg"
    assert round(first.gum.estimate, 4) == 1.2340
    assert round(first.gum.standard_uncertainty, 4) == 0.0539
    assert tuple(round(v, 4) for v in first.gum.coverage_interval) == (1.1285, 1.3395)
    assert first.mc.estimate == pytest.approx(1.2341, abs=0.0003)
    assert first.mc.standard_uncertainty == pytest.approx(0.0754, abs=0.0003)
    # δm is symmetric about 1.234 mg, so the printed asymmetry is Monte Carlo noise: 0.002 mg
    assert first.mc.coverage_interval == pytest.approx((1.0834, 1.3825), abs=0.002)
    assert first.validation.tolerance == 0.005 and not first.validation.passed
    assert first.validation.d_low == pytest.approx(0.0451, abs=0.002)
    assert first.validation.d_high == pytest.approx(0.0430, abs=0.002)
    second = evaluate(load_problem(MASS), trials=10**6, rng=20080930, digits=1, second_order=True).output(
        "dm"
    )
    assert second.gum and second.validation
    assert round(second.gum.standard_uncertainty, 4) == 0.0750
    # The table's interval [1.0870, 1.3810] mg is 1.2340 ± 1.96 × 0.0750, from the rounded u: that
    # recipe gives the printed endpoints to half a unit; from the unrounded u = 0.07496 mg the
    # endpoints are 1.0871 and 1.3809 mg, one unit of the last digit away (kept within 0.00015).
    k = second.gum.coverage_factor
    assert round(k, 2) == 1.96
    recipe = (round(second.gum.estimate, 4) - k * 0.0750, round(second.gum.estimate, 4) + k * 0.0750)
    assert recipe == pytest.approx((1.0870, 1.3810), abs=0.00005)
    assert second.gum.coverage_interval == pytest.approx((1.0870, 1.3810), abs=0.00015)
    assert second.validation.passed


def t_nm(estimate, scale, dof):
    return {"distribution": "t", "estimate": estimate, "scale": scale, "dof": dof, "unit": "nm"}


GAUGE_BLOCK = {
    "title": "Gauge block calibration (JCGM 101 9.5)",
    "model": "dl = (l_s*(1 + alpha_s*(theta0 + Delta - dtheta)) + D + d1 + d2)"
    " / (1 + (alpha_s + dalpha)*(theta0 + Delta)) - l_nom",
    "constants": {"l_nom": {"value": 50000000, "unit": "nm"}},
    "coverage_probability": 0.99,
    "inputs": {
        "l_s": t_nm(50000623, 25, 18),
        "D": t_nm(215, 5.8, 24),
        "d1": t_nm(0, 3.9, 5),
        "d2": t_nm(0, 6.7, 8),
        "alpha_s": {"distribution": "rectangular", "lower": 9.5e-6, "upper": 13.5e-6, "unit": "1/K"},
        "theta0": {"distribution": "normal", "estimate": -0.1, "std_uncertainty": 0.2, "unit": "K"},
        "Delta": {"distribution": "arcsine", "estimate": 0, "half_width": 0.5, "unit": "K"},
        "dalpha": {
            "distribution": "curvilinear_trapezoid",
            "estimate": 0,
            "half_width": 1e-6,
            "half_width_uncertainty": 0.1e-6,
            "unit": "1/K",
        },
        "dtheta": {
            "distribution": "curvilinear_trapezoid",
            "estimate": 0,
            "half_width": 0.05,
            "half_width_uncertainty": 0.025,
            "unit": "K",
        },
    },
}


def test_jcgm101_9_5_gauge_block():
    """JCGM 101 9.5, Table 11: δl = 838 nm with u = 32 nm by the GUF and 36 nm by MCM; the MCM shortest
    99 % coverage interval is [745, 931] nm."""
    out = evaluate(load_problem(GAUGE_BLOCK), trials=4 * 10**5, rng=20080950).output("dl")
    assert out.gum and out.mc and out.unit == "nm"
    assert round(out.gum.estimate) == 838 and round(out.gum.standard_uncertainty) == 32
    assert out.mc.estimate == pytest.approx(838, abs=0.5)
    assert round(out.mc.standard_uncertainty) == 36
    assert out.mc.shortest_coverage_interval == pytest.approx((745, 931), abs=2.0)


def test_ea_4_02_s2_ten_kilogram_weight():
    """EA-4/02 S2 (calibration of a weight of nominal value 10 kg): m_X = m_S + δm_D + δm + δm_C + δB
    with m_S = 10 000.005 g (U = 45 mg, k = 2), drift zero within ±15 mg, δm = 0.020 g (mean of three
    comparisons, pooled standard deviation 25 mg from a previous evaluation), comparator and buoyancy
    corrections zero within ±10 mg (rectangular); m_X = 10 000.025 g, reported with k = 2.

    Printed budget, as transcribed from EA-4/02 S2 in the test suite of github.com/lmbacelar/uncertain
    (spec/lib/measurement_manager_spec.rb; the transcription does not name the edition):
    u(m_S) = 22.5 mg, u(δm_D) = 8.95 mg, u(δm) = 14.4 mg, u(δm_C) = u(δB) = 5.77 mg and
    u(m_X) = 29.3 mg. Each is checked to half a unit of its last printed digit, except u(δm_D):
    ±15 mg rectangular is 15 mg/√3 = 8.66 mg (as in the GUM Workbench reproduction of S2 at
    metrodata.de/examples/s02_en.html), not the transcribed 8.95 mg; the combined u(m_X) is 29.3 mg
    with either (29.26 mg here, 29.33 mg with 8.95 mg). The printed expanded uncertainty was not
    read in any source, so U is checked as 2·u(m_X) (the transcription notes that EA-4/02 uses
    k = 2) and bracketed in [58, 59] mg. The transcription appears to be of an edition before
    M:2022 (its RSpec 2 `stub` syntax is older than 2014); an example file seen in the public code
    index (its repository could not be identified) says M:2022 prints u(m_X) = 29.2 mg and
    U = 58 mg, which rows rounded to 14.4 mg and 8.66 mg give (29.245 mg). That is not used as an
    oracle here."""
    data = {
        "model": "m_X = m_S + dm_D + dm + dm_C + dB",
        "coverage_factor": 2,
        "inputs": {
            "m_S": {"distribution": "normal", "estimate": 10000.005, "std_uncertainty": 0.0225, "unit": "g"},
            "dm_D": {"distribution": "rectangular", "estimate": 0, "half_width": 15, "unit": "mg"},
            "dm": {
                "distribution": "normal",
                "estimate": 20,
                "std_uncertainty": 25 / math.sqrt(3),
                "unit": "mg",
            },
            "dm_C": {"distribution": "rectangular", "estimate": 0, "half_width": 10, "unit": "mg"},
            "dB": {"distribution": "rectangular", "estimate": 0, "half_width": 10, "unit": "mg"},
        },
    }
    out = evaluate(load_problem(data), trials=10**6, rng=402).output("m_X")
    assert out.gum and out.mc and out.unit == "g"
    assert out.gum.estimate == pytest.approx(10000.025, abs=0.0005)
    budget_mg = {row.input: row.contribution * 1000 for row in out.gum.budget}
    printed = {"m_S": 22.5, "dm": 14.4, "dm_C": 5.77, "dB": 5.77}
    for name, value in printed.items():
        half_unit = 0.05 if name in ("m_S", "dm") else 0.005
        assert abs(budget_mg[name] - value) <= half_unit, name
    assert budget_mg["dm_D"] == pytest.approx(15 / ROOT3, rel=1e-12)  # see the docstring: 8.95 printed
    assert abs(out.gum.standard_uncertainty * 1000 - 29.3) <= 0.05
    assert out.gum.coverage_factor == 2
    assert out.gum.expanded_uncertainty == pytest.approx(2 * out.gum.standard_uncertainty, rel=1e-12)
    assert 58.0 <= out.gum.expanded_uncertainty * 1000 <= 59.0
    assert out.mc.standard_uncertainty * 1000 == pytest.approx(29.26, abs=0.1)


def test_ea_4_02_s2_printed_budget_rows_combine_to_the_printed_u():
    """EA-4/02 S2 with its printed budget rows as inputs (standard uncertainties as transcribed in
    github.com/lmbacelar/uncertain, spec/lib/measurement_manager_spec.rb: 22.5, 8.95, 14.4, 5.77 and
    5.77 mg, all sensitivity coefficients 1): the law of propagation gives the printed
    u(m_X) = 29.3 mg (29.33 mg before rounding)."""
    rows = {"m_S": 22.5, "dm_D": 8.95, "dm": 14.4, "dm_C": 5.77, "dB": 5.77}
    data = {
        "model": "m_X = m_S + dm_D + dm + dm_C + dB",
        "coverage_factor": 2,
        "inputs": {
            name: {"distribution": "normal", "estimate": 0, "std_uncertainty": u, "unit": "mg"}
            for name, u in rows.items()
        },
    }
    out = evaluate(load_problem(data), method="gum").output("m_X")
    assert out.gum and out.unit == "mg"
    assert out.gum.standard_uncertainty == pytest.approx(29.33, abs=0.005)
    assert abs(out.gum.standard_uncertainty - 29.3) <= 0.05
