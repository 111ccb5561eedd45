"""ISO 3951-1 sigma-method (known process standard deviation) and different AQLs for the two limits.

No printed sigma-method example or k table could be sourced (see docs/sampling.md, "Limits"), so
these tests check the mathematics the method rests on, each a statement that could fail:
the estimator is unbiased, the OC formula agrees with the decision function on simulated lots,
the designed plan meets both OC points with the smallest n, form k and form 2 decide alike for one
limit, and the per-limit rules nest as the standard's acceptance regions do.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, stats

from jiliang.errors import InvalidInput
from jiliang.sampling import (
    design_s_method,
    design_sigma_method,
    s_method_decision,
    sigma_method_decision,
    sigma_method_oc,
)
from jiliang.sampling.variables import (
    decision_report,
    estimated_fraction_nonconforming,
    maximum_allowable_fraction,
    sigma_estimated_fraction_nonconforming,
    sigma_maximum_allowable_fraction,
    sigma_method_oc_curve,
)


@pytest.mark.parametrize("n", [2, 5, 20])
@pytest.mark.parametrize("p", [0.001, 0.02, 0.2])
def test_sigma_estimate_is_unbiased(n, p):
    """E[Phi(-Q sqrt(n/(n-1)))] over the normal sample mean equals the true fraction p."""
    z = stats.norm.isf(p)  # (U - mu)/sigma

    def integrand(t: float) -> float:
        q = z - t / math.sqrt(n)  # (U - xbar)/sigma with xbar = mu + sigma t / sqrt(n)
        return sigma_estimated_fraction_nonconforming(q, n) * stats.norm.pdf(t)

    expected, _ = integrate.quad(integrand, -12, 12, epsabs=1e-13)
    assert expected == pytest.approx(p, rel=1e-7)


def test_sigma_oc_agrees_with_the_decision_on_simulated_lots():
    n, k, sigma, upper = 10, 1.8, 0.5, 20.0
    rng = np.random.default_rng(20261127)
    for p in (0.01, 0.05):
        mu = upper - sigma * stats.norm.isf(p)
        lots = rng.normal(mu, sigma, size=(4000, n))
        accepted = np.mean([sigma_method_decision(x, sigma, k, upper=upper).accepted for x in lots])
        pa = float(sigma_method_oc(p, n, k))
        assert abs(accepted - pa) < 4 * math.sqrt(pa * (1 - pa) / len(lots))


@pytest.mark.parametrize(
    ("p1", "p2", "alpha", "beta"),
    [(0.01, 0.05, 0.05, 0.10), (0.001, 0.01, 0.05, 0.10), (0.02, 0.08, 0.1, 0.05)],
)
def test_sigma_design_meets_both_points_with_the_smallest_n(p1, p2, alpha, beta):
    plan = design_sigma_method(p1, p2, alpha, beta)
    assert plan.probability_of_acceptance_at_producer_quality >= 1 - alpha - 1e-12
    assert plan.probability_of_acceptance_at_consumer_quality <= beta + 1e-12
    n = plan.sample_size - 1  # one fewer: no k meets both points
    if n >= 1:
        k_consumer = stats.norm.isf(p2) + stats.norm.isf(beta) / math.sqrt(n)
        assert float(sigma_method_oc(p1, n, k_consumer)) < 1 - alpha
    # knowing sigma needs fewer items than estimating it from the sample
    assert plan.sample_size < design_s_method(p1, p2, alpha, beta).sample_size


def test_sigma_single_limit_form_k_and_form_2_agree():
    rng = np.random.default_rng(7)
    for _ in range(300):
        x = rng.normal(10, 1, size=int(rng.integers(2, 30)))
        k = float(rng.uniform(0.5, 2.5))
        d = sigma_method_decision(x, 1.0, k, lower=8.0)
        assert d.method == "sigma" and d.standard_deviation == 1.0
        assert d.accepted == (d.lower_quality_statistic >= k)
        assert d.accepted == (d.estimated_fraction_lower <= d.maximum_allowable_fraction)


def test_sigma_method_uses_sigma_not_s():
    values = [9.0, 11.0, 10.0]  # mean 10, s = 1
    d = sigma_method_decision(values, 0.5, 2.0, upper=11.0)
    assert d.upper_quality_statistic == pytest.approx(2.0) and d.accepted
    assert not s_method_decision(values, 2.0, upper=11.0).accepted  # Q_U = 1 with s
    assert d.maximum_allowable_fraction == pytest.approx(stats.norm.cdf(-2.0 * math.sqrt(3 / 2)))
    one = sigma_method_decision([10.0], 0.5, 2.0, upper=11.0)  # form k needs one value only
    assert one.accepted and one.estimated_fraction is None


def test_sigma_oc_curve_falls_from_one():
    curve = sigma_method_oc_curve(10, 1.8)
    assert curve.model == "sigma-method"
    pa = np.array(curve.probability_of_acceptance)
    assert pa[0] > 0.99 and pa[-1] < 0.02 and np.all(np.diff(pa) <= 0)


def _judge(method, x, sigma, control, **limits):
    if method == "s":
        return s_method_decision(x, None, control=control, **limits)
    return sigma_method_decision(x, sigma, None, control=control, **limits)


@pytest.mark.parametrize("decide", ["s", "sigma"])
def test_different_k_for_the_two_limits(decide):
    """Separate control uses Q_U >= k_U and Q_L >= k_L; combined control (MIL-STD-414 / Z1.9
    Example B-4 rule) also needs each p_hat within its own M and the sum within max(M_U, M_L), so it
    never accepts what separate control rejects, and with equal k it is the one-AQL rule."""
    rng = np.random.default_rng(11)
    seen = {"only_separate": 0, "both": 0}
    for _ in range(400):
        n = int(rng.integers(8, 25))
        sigma = float(rng.uniform(0.3, 0.7))
        x = rng.normal(rng.uniform(9.6, 10.4), sigma, size=n)
        k_u, k_l = sorted(rng.uniform(0.8, 2.2, size=2))
        args = {"lower": 9.0, "upper": 11.0, "k_upper": k_u, "k_lower": k_l}

        sep, comb = _judge(decide, x, sigma, "separate", **args), _judge(decide, x, sigma, "combined", **args)
        assert sep.accepted == (sep.upper_quality_statistic >= k_u and sep.lower_quality_statistic >= k_l)
        m_u, m_l = comb.maximum_allowable_fraction_upper, comb.maximum_allowable_fraction_lower
        assert comb.maximum_allowable_fraction == max(m_u, m_l) and comb.acceptability_constant is None
        assert comb.accepted == (
            comb.estimated_fraction_upper <= m_u
            and comb.estimated_fraction_lower <= m_l
            and comb.estimated_fraction <= max(m_u, m_l)
        )
        assert not comb.accepted or sep.accepted
        seen["only_separate"] += sep.accepted and not comb.accepted
        seen["both"] += comb.accepted
        one_k = {"lower": 9.0, "upper": 11.0, "k_upper": k_u, "k_lower": k_u}
        same = _judge(decide, x, sigma, "combined", **one_k)
        assert same.accepted == (same.estimated_fraction <= same.maximum_allowable_fraction)
    assert seen["only_separate"] > 0 and seen["both"] > 0  # both regions were exercised


def test_per_limit_k_defaults_and_errors():
    values = [9.2, 10.8, 9.4, 10.6, 10.0, 9.5, 10.5, 9.9, 10.1, 10.0]
    d = s_method_decision(values, 1.41, lower=9.2, upper=10.8, k_upper=1.6)
    assert (d.upper_acceptability_constant, d.lower_acceptability_constant) == (1.6, 1.41)
    assert not d.accepted  # Q_U = 1.512 < 1.6 while Q_L = 1.512 >= 1.41
    assert d.maximum_allowable_fraction_upper == pytest.approx(maximum_allowable_fraction(10, 1.6))
    assert d.estimated_fraction_upper == pytest.approx(estimated_fraction_nonconforming(1.512, 10), abs=1e-3)
    report = decision_report(d)
    assert report["decision"] == "reject" and report["method"] == "s"
    with pytest.raises(InvalidInput) as err:
        s_method_decision(values, None, lower=9.2, upper=10.8, k_upper=1.6)
    assert err.value.field == "k_lower"
    with pytest.raises(InvalidInput) as err:
        s_method_decision(values, 1.4, upper=10.8, k_lower=1.6)
    assert err.value.field == "k_lower"
    with pytest.raises(InvalidInput) as err:
        sigma_method_decision(values, 0.0, 1.4, upper=10.8)
    assert err.value.field == "standard_deviation"
    with pytest.raises(InvalidInput) as err:
        sigma_maximum_allowable_fraction(1, 1.4)
    assert err.value.field == "sample_size"
    with pytest.raises(InvalidInput) as err:
        sigma_method_decision([10.0], 0.5, 1.4, lower=9, upper=11, control="combined")
    assert err.value.field == "values"
