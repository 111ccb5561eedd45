from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.typea import fit_line, pooled_std, type_a

SPECS = {
    "normal": {"distribution": "normal", "estimate": 1.0, "std_uncertainty": 0.5},
    "t scale": {"distribution": "t", "estimate": 1.0, "scale": 0.5, "dof": 10},
    "t std": {"distribution": "t", "estimate": 1.0, "std_uncertainty": 0.5, "dof": 5},
    "rectangular": {"distribution": "rectangular", "lower": -1.0, "upper": 3.0},
    "triangular": {"distribution": "triangular", "lower": 0.0, "mode": 1.0, "upper": 4.0},
    "arcsine": {"distribution": "arcsine", "estimate": 2.0, "half_width": 1.0},
    "trapezoidal": {"distribution": "trapezoidal", "lower": 0.0, "upper": 2.0, "beta": 0.5},
    "curvilinear": {
        "distribution": "curvilinear_trapezoid",
        "estimate": 0,
        "half_width": 1.0,
        "half_width_uncertainty": 0.5,
    },
    "exponential": {"distribution": "exponential", "estimate": 2.0},
    "gamma": {"distribution": "gamma", "estimate": 3.0, "std_uncertainty": 1.0},
}


@pytest.mark.parametrize("kind", SPECS)
def test_samples_have_the_stated_mean_and_standard_deviation(kind):
    (quantity,) = load_problem({"model": "y = x", "inputs": {"x": SPECS[kind]}}).inputs
    dist = quantity.distribution
    x = dist.sample(400_000, np.random.default_rng(1))
    expected_std = dist.std
    if kind == "t scale":  # JCGM 101 6.4.9: the t variable's own sd is scale·√(ν/(ν−2)); GUM uses u = scale
        expected_std = 0.5 * math.sqrt(10 / 8)
    assert x.mean() == pytest.approx(dist.mean, abs=0.01 * max(1.0, expected_std))
    assert x.std() == pytest.approx(expected_std, rel=0.01)


@pytest.mark.parametrize("kind", [k for k in SPECS if k != "curvilinear"])
def test_ppf_inverts_the_samples(kind):
    """The Gaussian copula needs the inverse CDF: ppf(uniform) has the distribution of sample()."""
    (quantity,) = load_problem({"model": "y = x", "inputs": {"x": SPECS[kind]}}).inputs
    dist = quantity.distribution
    rng = np.random.default_rng(2)
    a = dist.ppf(rng.random(20_000))
    b = dist.sample(20_000, rng)
    assert stats.ks_2samp(a, b).pvalue > 0.001


def test_t_std_convention_gives_the_gum_the_stated_u():
    (q,) = load_problem({"model": "y = x", "inputs": {"x": SPECS["t std"]}}).inputs
    assert q.distribution.std == pytest.approx(0.5)


def test_type_a_gum_4_4_3_example():
    """GUM 4.4.3 (Table 1 summary): 20 readings, mean 100.145 °C, s = 1.489 °C, s(mean) = 0.333 °C.
    The individual readings are not printed in the text, so this checks the formulas on readings
    constructed to have that mean and that standard deviation."""
    z = np.linspace(-1, 1, 20)
    readings = 100.145 + 1.489 * (z - z.mean()) / z.std(ddof=1)
    result = type_a(readings)
    assert (round(result.mean, 3), round(result.std, 3), round(result.std_of_mean, 3)) == (
        100.145,
        1.489,
        0.333,
    )
    assert result.dof == 19


def test_pooled_standard_deviation():
    groups = [[1.0, 2.0, 3.0], [10.0, 12.0], [5.0, 5.0, 5.0, 9.0]]
    s, dof = pooled_std(groups)
    ss = sum(((np.array(g) - np.mean(g)) ** 2).sum() for g in groups)
    assert dof == 2 + 1 + 3 and s == pytest.approx(math.sqrt(ss / 6))
    with pytest.raises(InvalidInput):
        pooled_std([[1.0]])


def test_fit_line_errors_name_the_field():
    with pytest.raises(InvalidInput) as info:
        fit_line([1, 1, 1], [1, 2, 3])
    assert info.value.field == "x"
    with pytest.raises(InvalidInput) as info:
        fit_line([1, 2, 3], [1, 2])
    assert info.value.field == "y"
    with pytest.raises(InvalidInput) as info:
        fit_line([1, 2, 3], [1, 2, 3], [0.1, 0, 0.1])
    assert info.value.field == "uy"
