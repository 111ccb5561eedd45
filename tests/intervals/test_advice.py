"""The method follows the amount of data (jiliang.intervals.advice); every number is hand-computed."""

from __future__ import annotations

import math

import pytest

from jiliang.intervals import advice, make_history


def _group(n_in: int, n_out: int, length: float = 365.0):
    flags = [True] * n_in + [False] * n_out
    return make_history([length] * len(flags), flags, [f"I{i}" for i in range(len(flags))])


def test_one_item_gets_the_staircase():
    # ILAC-G24:2007 method 1 with a = 0.1 in equilibrium at R = 0.9: 1 - b = 1.1^(-0.9/0.1) = 1.1^-9.
    history = make_history([365, 370], [True, False], ["STD-1", "STD-1"])
    got = advice.advise(history, single_item=True)
    assert got.reason == advice.STAIRCASE and got.method == "staircase"
    assert got.recommendation is not None
    assert got.recommendation.recommended_interval == pytest.approx(370 * 1.1**-9)  # 156.9 d


def test_no_results_and_too_few_results_give_no_number():
    assert advice.advise(None, single_item=True).recommendation is None
    few = advice.advise(_group(3, 1), single_item=False, current_interval=365)
    assert (few.recommendation, few.reason, few.results, few.in_tolerance) == (None, "too_few_results", 4, 3)


def test_small_group_keeps_the_interval_when_the_binomial_test_is_not_significant():
    # 6 of 6 in tolerance: P(X = 6 | R = 0.9) = 0.9^6 = 0.531 > 0.05, so I0 = 365 d stands (RP-1 A3).
    got = advice.advise(_group(6, 0), single_item=False, current_interval=365)
    assert got.reason == advice.INTERVAL_TEST and got.recommendation is not None
    assert got.recommendation.recommended_interval == 365


def test_small_group_with_many_failures_is_cut_by_at_most_half():
    # 3 of 10: I0 ln 0.9 / ln 0.3 = 31.9 d, limited to I0 / 2 = 182.5 d per review.
    got = advice.advise(_group(3, 7), single_item=False, current_interval=365)
    assert got.recommendation is not None
    assert got.recommendation.recommended_interval == pytest.approx(182.5)


def test_large_group_with_events_gets_the_likelihood_fit():
    # One interval length: the exponential MLE reproduces k/n = 14/20 = 0.7 at 365 d, so
    # t* = 365 ln 0.9 / ln 0.7 = 107.8 d (RP-1 method S2; Weibull is not determined by one length).
    got = advice.advise(_group(14, 6), single_item=False, current_interval=365)
    assert got.reason == advice.MLE and got.recommendation is not None
    assert got.recommendation.model == "exponential"
    assert got.recommendation.recommended_interval == pytest.approx(
        365 * math.log(0.9) / math.log(0.7), rel=1e-4
    )


def test_large_group_without_events_falls_back_to_the_interval_test():
    # 20 of 20 in tolerance cannot be fitted; the binomial test (p = 0.255) keeps I0.
    got = advice.advise(_group(20, 0), single_item=False, current_interval=365)
    assert got.reason == advice.NO_EVENTS_FOR_MLE and got.recommendation is not None
    assert got.recommendation.method == "interval-test" and got.recommendation.recommended_interval == 365
