"""JCGM 100:2008 (GUM) Annex H worked examples, checked to their printed digits."""

from __future__ import annotations

import math

import pytest

from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.typea import correlation_of_means, fit_line, type_a


def normal(estimate, u, unit="", dof=None):
    spec = {"distribution": "normal", "estimate": estimate, "std_uncertainty": u, "unit": unit}
    return spec | ({"dof": dof} if dof is not None else {})


# GUM H.1.3: the standard uncertainties and degrees of freedom of Table H.1.
H1 = {
    "title": "End gauge (GUM H.1)",
    "model": "l = l_s + d - l_s*(delta_alpha*theta + alpha_s*delta_theta)",
    "inputs": {
        "l_s": normal(50000623, 25, "nm", 18),
        "d": normal(215, 9.7, "nm", 25.6),
        "alpha_s": normal(11.5e-6, 1.2e-6, "1/K"),
        "theta": normal(-0.1, 0.41, "K"),
        "delta_alpha": normal(0, 0.58e-6, "1/K", 50),
        "delta_theta": normal(0, 0.029, "K", 2),
    },
}


def test_gum_h1_end_gauge_first_order():
    """GUM H.1.4-H.1.6: l = 50.000 838 mm, u_c = 32 nm, ν_eff = 16 (G.6.4 truncation), t95(16) = 2.12;
    Table H.1 contributions 25, 9.7, 2.9, 16.6 nm; H.1.6 prints U99 = t99(16)·u_c = 2.92 × 32 nm = 93 nm."""
    gum = evaluate(load_problem(H1), method="gum").output("l").gum
    assert gum is not None
    assert round(gum.estimate * 1e-6, 6) == 50.000838  # mm
    assert round(gum.standard_uncertainty) == 32
    assert math.floor(gum.effective_dof) == 16
    assert round(gum.coverage_factor, 2) == 2.12
    contributions = {row.input: abs(row.contribution) for row in gum.budget}
    assert round(contributions["l_s"], 1) == 25.0
    assert round(contributions["d"], 1) == 9.7
    assert round(contributions["delta_alpha"], 1) == 2.9
    assert contributions["delta_theta"] == pytest.approx(16.6, abs=0.1)  # 575 nm/K × 0.029 K
    assert contributions["alpha_s"] == contributions["theta"] == 0.0  # H.1.3.3, H.1.3.4
    at99 = evaluate(load_problem(H1 | {"coverage_probability": 0.99}), method="gum").output("l").gum
    assert at99 is not None
    assert round(at99.coverage_factor, 2) == 2.92
    # 93 nm is 2.92 × the rounded 32 nm; unrounded u_c = 31.7 nm gives 92.6 nm
    assert round(at99.coverage_factor * round(at99.standard_uncertainty)) == 93
    assert at99.expanded_uncertainty == pytest.approx(93, abs=1)


def test_gum_h1_second_order_terms():
    """GUM H.1.7: the second-order terms (l_s u(δα) u(θ))² + (l_s u(α_s) u(δθ))² raise u_c from 32 nm
    to 34 nm."""
    gum = evaluate(load_problem(H1), method="gum", second_order=True).output("l").gum
    assert gum is not None and gum.second_order
    assert round(gum.first_order_uncertainty) == 32
    assert round(gum.standard_uncertainty) == 34
    expected = math.sqrt(31.7106**2 + (50000623 * 0.58e-6 * 0.41) ** 2 + (50000623 * 1.2e-6 * 0.029) ** 2)
    assert gum.standard_uncertainty == pytest.approx(expected, rel=1e-4)


# GUM H.2, Table H.2: five simultaneous observations of V (V), I (mA), φ (rad).
H2_V = [5.007, 4.994, 5.005, 4.990, 4.999]
H2_I = [19.663, 19.639, 19.640, 19.685, 19.678]
H2_PHI = [1.0456, 1.0438, 1.0468, 1.0428, 1.0433]


def test_gum_h2_type_a_and_correlations():
    """GUM Table H.2: means 4.9990 V, 19.6610 mA, 1.04446 rad; s(mean) 0.0032, 0.0095, 0.00075;
    r(V,I) = -0.36, r(V,φ) = 0.86, r(I,φ) = -0.65."""
    v, i, phi = type_a(H2_V), type_a(H2_I), type_a(H2_PHI)
    assert (round(v.mean, 4), round(i.mean, 4), round(phi.mean, 5)) == (4.9990, 19.6610, 1.04446)
    assert (round(v.std_of_mean, 4), round(i.std_of_mean, 4), round(phi.std_of_mean, 5)) == (
        0.0032,
        0.0095,
        0.00075,
    )
    assert round(correlation_of_means(H2_V, H2_I), 2) == -0.36
    assert round(correlation_of_means(H2_V, H2_PHI), 2) == 0.86
    assert round(correlation_of_means(H2_I, H2_PHI), 2) == -0.65


def test_gum_h2_several_outputs_with_correlated_inputs():
    """GUM Table H.3 (approach 1): R = 127.732 Ω, u 0.071 Ω; X = 219.847 Ω, u 0.295 Ω;
    Z = 254.260 Ω, u 0.236 Ω; r(R,X) = -0.588, r(R,Z) = -0.485, r(X,Z) = 0.993."""
    v, i, phi = type_a(H2_V), type_a(H2_I), type_a(H2_PHI)
    data = {
        "models": ["R = V/I*cos(phi)", "X = V/I*sin(phi)", "Z = V/I"],
        "inputs": {
            "V": normal(v.mean, v.std_of_mean, "V", 4),
            "I": normal(i.mean, i.std_of_mean, "mA", 4),
            "phi": normal(phi.mean, phi.std_of_mean, "rad", 4),
        },
        "correlations": [
            ["V", "I", correlation_of_means(H2_V, H2_I)],
            ["V", "phi", correlation_of_means(H2_V, H2_PHI)],
            ["I", "phi", correlation_of_means(H2_I, H2_PHI)],
        ],
    }
    result = evaluate(load_problem(data), method="gum")
    printed = {"R": (127.732, 0.071), "X": (219.847, 0.295), "Z": (254.260, 0.236)}
    for name, (value, u) in printed.items():
        gum = result.output(name).gum
        assert gum is not None and result.output(name).unit in {"Ω", "ohm"}
        assert round(gum.estimate, 3) == value
        # within one unit of the last printed digit: from the raw data u(X) = 0.2956 Ω, which the
        # GUM prints as 0.295 (its intermediate values are rounded)
        assert gum.standard_uncertainty == pytest.approx(u, abs=0.001)
    corr = {(a, b): r for a, b, r in result.output_correlations}
    assert (round(corr["R", "X"], 3), round(corr["R", "Z"], 3), round(corr["X", "Z"], 3)) == (
        -0.588,
        -0.485,
        0.993,
    )


def test_gum_h2_table_h4_approach_2():
    """GUM H.2.4 approach 2, Table H.4: R, X, Z are computed from each of the five sets of
    simultaneous observations (R_k = V_k/I_k·cos φ_k, ...) and evaluated as Type A: arithmetic
    means R = 127.732 Ω, X = 219.847 Ω, Z = 254.260 Ω; s(mean) 0.071 Ω, 0.295 Ω, 0.236 Ω;
    r(R,X) = -0.588, r(R,Z) = -0.485, r(X,Z) = 0.993 (the same figures as Table H.3). Pinned to half
    a unit of the last printed digit."""
    ratio = [v / (i * 1e-3) for v, i in zip(H2_V, H2_I, strict=True)]  # Ω (I in mA)
    r_k = [z * math.cos(p) for z, p in zip(ratio, H2_PHI, strict=True)]
    x_k = [z * math.sin(p) for z, p in zip(ratio, H2_PHI, strict=True)]
    printed = {"R": (r_k, 127.732, 0.071), "X": (x_k, 219.847, 0.295), "Z": (ratio, 254.260, 0.236)}
    for name, (values, mean, s) in printed.items():
        a = type_a(values)
        assert a.mean == pytest.approx(mean, abs=0.0005), name
        assert a.std_of_mean == pytest.approx(s, abs=0.0005), name
    assert correlation_of_means(r_k, x_k) == pytest.approx(-0.588, abs=0.0005)
    assert correlation_of_means(r_k, ratio) == pytest.approx(-0.485, abs=0.0005)
    assert correlation_of_means(x_k, ratio) == pytest.approx(0.993, abs=0.0005)


# GUM H.3, Table H.6: thermometer readings t_k (°C) and observed corrections b_k (°C).
H3_T = [21.521, 22.012, 22.512, 23.003, 23.507, 23.999, 24.513, 25.002, 25.503, 26.010, 26.511]
H3_B = [-0.171, -0.169, -0.166, -0.159, -0.164, -0.165, -0.156, -0.157, -0.159, -0.161, -0.160]


def test_gum_h3_calibration_line():
    """GUM H.3.3-H.3.4: y1 = -0.1712 °C, s(y1) = 0.0029 °C, y2 = 0.00218, s(y2) = 0.00067,
    r(y1, y2) = -0.930, s = 0.0035 °C, ν = 9; at t = 30 °C: b = -0.1494 °C, u = 0.0041 °C."""
    fit = fit_line(H3_T, H3_B, x0=20.0)
    assert round(fit.intercept, 4) == -0.1712
    assert round(fit.u_intercept, 4) == 0.0029
    assert round(fit.slope, 5) == 0.00218
    assert round(fit.u_slope, 5) == 0.00067
    assert round(fit.correlation, 3) == -0.930
    assert round(fit.residual_standard_deviation, 4) == 0.0035
    assert fit.dof == 9
    b30, u30 = fit.predict(30.0)
    assert (round(b30, 4), round(u30, 4)) == (-0.1494, 0.0041)
