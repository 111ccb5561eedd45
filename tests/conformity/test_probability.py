"""Probability of conformity and specific risks (JCGM 106:2012 7.3, 7.4, 9.3)."""

import math

import numpy as np
import pytest
from scipy import stats

from jiliang.conformity import (
    Tolerance,
    check,
    check_sample,
    decide_many,
    parse_rule,
    probability_of_conformity,
    probability_of_conformity_sample,
)
from jiliang.errors import InvalidInput


def test_normal_probability_of_conformity_is_the_normal_mass_inside_the_limits():
    t = Tolerance(9.0, 11.0)
    expected = stats.norm(10.6, 0.3).cdf(11.0) - stats.norm(10.6, 0.3).cdf(9.0)
    assert probability_of_conformity(10.6, 0.3, t) == pytest.approx(expected, rel=1e-12)


def test_one_sided_limits():
    assert probability_of_conformity(4.0, 1.0, Tolerance(upper=5.0)) == pytest.approx(stats.norm.cdf(1.0))
    assert probability_of_conformity(4.0, 1.0, Tolerance(lower=5.0)) == pytest.approx(stats.norm.sf(1.0))


def test_at_a_single_limit_the_probability_is_one_half():
    """JCGM 106:2012 8.2.2: with simple acceptance an item measured at the limit conforms with p_c = 0.5."""
    assert probability_of_conformity(5.0, 0.2, Tolerance(upper=5.0)) == pytest.approx(0.5)


def test_monte_carlo_sample_agrees_with_the_normal_pdf():
    rng = np.random.default_rng(20260426)
    draws = rng.normal(10.6, 0.3, size=100_000)
    t = Tolerance(9.0, 11.0)
    exact = float(probability_of_conformity(10.6, 0.3, t))
    sd = math.sqrt(exact * (1 - exact) / draws.size)
    assert probability_of_conformity_sample(draws, t) == pytest.approx(exact, abs=5 * sd)
    decision = check_sample(draws, t, parse_rule("simple"))
    assert decision.decision == "accept"
    assert decision.consumer_risk == pytest.approx(1 - exact, abs=5 * sd)


def test_specific_risks_follow_the_decision():
    t = Tolerance(upper=10.0)
    ok = check(9.5, 0.5, t, parse_rule("simple"))
    assert ok.decision == "accept"
    assert ok.consumer_risk == pytest.approx(1 - stats.norm.cdf(1.0)) and ok.producer_risk == 0
    bad = check(9.5, 0.5, t, parse_rule("guarded:1"))
    assert bad.decision == "reject" and bad.acceptance_limits == (-math.inf, 9.0)
    assert bad.producer_risk == pytest.approx(stats.norm.cdf(1.0)) and bad.consumer_risk == 0


def test_guarded_acceptance_with_w_equal_u_bounds_the_specific_risk():
    """JCGM 106:2012 8.3.2 / ILAC-G8:09/2019 4.2.2: with w = U = 2u an accepted item has p_c >= Φ(2)."""
    t = Tolerance(upper=10.0)
    at_limit = check(9.0, 0.5, t, parse_rule("guarded:1"), coverage_factor=2)
    assert at_limit.decision == "accept"
    assert at_limit.consumer_risk == pytest.approx(stats.norm.sf(2.0))
    assert at_limit.consumer_risk < 0.025


def test_nonbinary_check_reports_the_four_statements():
    t = Tolerance(upper=10.0)
    rule = parse_rule("nonbinary")
    assert [check(y, 0.5, t, rule).decision for y in (8.0, 9.5, 10.5, 12.0)] == [
        "pass",
        "conditional pass",
        "conditional fail",
        "fail",
    ]


def test_bad_uncertainty_names_the_field():
    with pytest.raises(InvalidInput) as exc:
        check(1.0, 0.0, Tolerance(0, 2), parse_rule("simple"))
    assert exc.value.field == "uncertainty"
    with pytest.raises(InvalidInput) as exc:
        check(1.0, 0.1, Tolerance(0, 2), parse_rule("simple"), coverage_factor=-2)
    assert exc.value.field == "coverage_factor"


def test_vectorised_decisions_equal_single_decisions():
    rng = np.random.default_rng(7)
    y = rng.normal(0.0, 1.0, 200)
    u = rng.uniform(0.05, 0.5, 200)
    t = Tolerance(-1.0, 1.0)
    for name in ("simple", "guarded:1", "guarded-rejection:0.5", "nonbinary"):
        rule = parse_rule(name)
        many = decide_many(y, u, t, rule)
        for i in range(0, 200, 17):
            one = check(y[i], u[i], t, rule)
            assert bool(many.accepted[i]) == one.accepted
            assert many.consumer_risk[i] == pytest.approx(one.consumer_risk)
            assert many.producer_risk[i] == pytest.approx(one.producer_risk)
