"""Staircase, interval test and maximum-likelihood reliability models."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.intervals import make_history, recommend, staircase_factors


def _history(intervals, flags, instruments=None):
    return make_history(np.asarray(intervals, float), np.asarray(flags, bool), instruments)


@given(target=st.floats(0.5, 0.99), extend=st.floats(0.01, 0.5))
def test_staircase_is_in_equilibrium_at_the_target(target, extend):
    up, down = staircase_factors(target, extend)
    assert target * math.log(up) + (1 - target) * math.log(down) == pytest.approx(0.0, abs=1e-9)


def test_staircase_follows_the_last_result():
    up, down = staircase_factors(0.9, 0.1)
    assert recommend(
        _history([300, 330], [True, True]), method="staircase"
    ).recommended_interval == pytest.approx(330 * up)
    result = recommend(_history([300, 330], [True, False]), method="staircase")
    assert result.recommended_interval == pytest.approx(330 * down)
    assert result.confidence_bounds is None


def test_staircase_refuses_a_group_of_instruments():
    with pytest.raises(InvalidInput) as exc:
        recommend(_history([300, 330], [True, True], ["A", "B"]), method="staircase")
    assert exc.value.field == "history.instrument"


def test_interval_test_keeps_the_interval_when_the_difference_is_not_significant():
    h = _history([365] * 20, [True] * 17 + [False] * 3)
    result = recommend(h, method="interval-test", target=0.9)
    assert result.recommended_interval == 365.0


def test_interval_test_shortens_when_reliability_is_significantly_low():
    h = _history([365] * 200, [True] * 164 + [False] * 36)
    result = recommend(h, method="interval-test", target=0.9)
    assert stats.binomtest(164, 200, 0.9).pvalue < 0.05
    assert result.recommended_interval == pytest.approx(365 * math.log(0.9) / math.log(0.82))
    low = stats.beta.ppf(0.025, 164, 37)  # Clopper–Pearson lower limit of 164/200
    assert result.confidence_bounds[0] == pytest.approx(365 * math.log(0.9) / math.log(low), rel=1e-9)
    # A larger shortfall is limited to halving the interval in one review.
    h = _history([365] * 50, [True] * 35 + [False] * 15)
    assert recommend(h, method="interval-test", target=0.9).recommended_interval == 182.5


def test_interval_test_limits_a_single_change_to_a_factor_of_two():
    h = _history([100] * 40, [True] * 40)
    assert recommend(h, method="interval-test", target=0.8).recommended_interval == 200.0


def test_exponential_mle_at_one_interval_reproduces_the_observed_reliability():
    """With one interval length t0 the exponential MLE puts R(t0) = k/n exactly, so the interval
    meeting R* is t0·ln R*/ln(k/n), and the likelihood-ratio bounds are the binomial LR limits."""
    h = _history([180] * 40, [True] * 34 + [False] * 6)
    result = recommend(h, method="mle", model="exponential", target=0.9)
    assert result.recommended_interval == pytest.approx(180 * math.log(0.9) / math.log(34 / 40), rel=1e-6)
    low, high = result.confidence_bounds
    crit = stats.chi2.ppf(0.95, 1)
    for bound in (low, high):
        p = 0.9 ** (180 / bound)  # R(180) under the model whose R(bound) = 0.9
        ll = 34 * math.log(p) + 6 * math.log(1 - p)
        top = 34 * math.log(0.85) + 6 * math.log(0.15)
        assert 2 * (top - ll) == pytest.approx(crit, abs=1e-5)
    assert low < result.recommended_interval < high


def test_weibull_mle_recovers_a_simulated_population():
    rng = np.random.default_rng(11)
    t = rng.choice([90.0, 180.0, 270.0, 365.0, 540.0, 730.0], size=20_000)
    eta, beta = 1200.0, 2.0
    ok = rng.random(t.size) < np.exp(-((t / eta) ** beta))
    result = recommend(make_history(t, ok), method="mle", target=0.9)
    truth = eta * (-math.log(0.9)) ** (1 / beta)
    assert result.model == "weibull"
    low, high = result.confidence_bounds
    assert low < truth < high
    assert result.recommended_interval == pytest.approx(truth, rel=0.05)


def test_no_events_cannot_be_fitted():
    with pytest.raises(InvalidInput) as exc:
        recommend(_history([100, 200, 300], [True, True, True]), method="mle")
    assert exc.value.field == "history.in_tolerance"
    with pytest.raises(InvalidInput):
        recommend(_history([100, 200], [False, False]), method="mle")


@pytest.mark.parametrize("target", [0.0, 1.0, 1.2, -0.1, float("nan")])
def test_reliability_targets_must_lie_in_the_open_unit_interval(target):
    with pytest.raises(InvalidInput) as exc:
        recommend(_history([100, 200], [True, False]), target=target)
    assert exc.value.field == "target"


@given(st.floats(0.5, 0.85), st.floats(0.86, 0.99))
def test_a_higher_target_never_gives_a_longer_interval(low_target, high_target):
    h = _history([100, 200, 300, 400] * 5, [True, True, False, True] * 5)
    short = recommend(h, method="mle", target=high_target, model="exponential").recommended_interval
    long = recommend(h, method="mle", target=low_target, model="exponential").recommended_interval
    assert short <= long


def test_best_model_avoids_a_weibull_shape_the_data_do_not_determine():
    """Outcomes separated by interval length drive β to its bound; AIC alone would pick it."""
    h = _history([100] * 10 + [200] * 10, [True] * 10 + [True] * 7 + [False] * 3)
    weibull = recommend(h, method="mle", model="weibull")
    assert "search bound" in weibull.note
    assert recommend(h, method="mle", model="best").model == "exponential"


def test_rp1_table_d1_fits_agree_with_suncal():
    """NCSLI RP-1 Table D-1 (weeks between calibrations, number of calibrations, observed reliability),
    as transcribed in Sandia's suncal API manual (notebook 5, "Calibration Intervals"). Our maximum-
    likelihood parameters agree with those of suncal 1.7.1's method S2 on the same counts (computed in
    the session that wrote this test: exponential λ = 0.02811589 /week; Weibull 1/η = 0.02432043 /week,
    β = 0.70129357). This is a cross-check against independent software, not a published figure."""
    weeks = [4, 7, 10, 13, 21, 28, 40, 48]
    counts = [4, 6, 14, 13, 22, 49, 18, 6]
    reliability = [1.0, 0.83333, 0.6429, 0.6154, 0.5455, 0.4082, 0.5000, 0.3333]
    passed = [round(n * r) for n, r in zip(counts, reliability, strict=True)]
    t = np.repeat(np.asarray(weeks, float), counts)
    ok = np.concatenate([[True] * g + [False] * (n - g) for g, n in zip(passed, counts, strict=True)])
    h = make_history(t, ok, unit="week")
    exponential = recommend(h, method="mle", model="exponential", target=0.75)
    assert -math.log(0.75) / exponential.recommended_interval == pytest.approx(0.02811589, rel=1e-5)
    weibull = recommend(h, method="mle", model="weibull", target=0.75)
    eta = weibull.recommended_interval / (-math.log(0.75)) ** (1 / weibull.shape)
    assert weibull.shape == pytest.approx(0.70129357, rel=1e-4)
    assert 1 / eta == pytest.approx(0.02432043, rel=1e-4)
