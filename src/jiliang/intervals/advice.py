"""Choose the interval method that the amount of data supports (ILAC-G24:2007, NCSLI RP-1).

One item's own history is short (one as-found result per calibration), so it gets the staircase of
ILAC-G24 method 1: its last interval lengthened after an in-tolerance result, shortened after an
out-of-tolerance one. A group of like items (a category, a model, standards of one kind) pools its
results: with at least :data:`MIN_MLE_RESULTS` results, both in and out of tolerance among them, a
maximum-likelihood reliability model (exponential or Weibull, the lower AIC) is fitted (RP-1 method
S2); with at least :data:`MIN_TEST_RESULTS` the interval test (RP-1 method A3) checks the current
interval; with fewer there is too little data and no number is given.

The two thresholds are this platform's choice, stated here, not quoted from the documents: RP-1 and
ILAC-G24 ask for "sufficient" data without a number. Five results can at least show a grossly wrong
interval by the binomial test; twenty with events keep the likelihood fit's bounds finite in
ordinary cases.
"""

from __future__ import annotations

from dataclasses import dataclass

from jiliang.intervals.history import DEFAULT_TARGET, History, check_target
from jiliang.intervals.mle import recommend_mle
from jiliang.intervals.result import IntervalRecommendation
from jiliang.intervals.simple import interval_test, staircase

MIN_TEST_RESULTS = 5
MIN_MLE_RESULTS = 20

# Why a method was chosen, or why there is no recommendation (stable codes for the edges).
STAIRCASE, INTERVAL_TEST, MLE = "staircase", "interval-test", "mle"
NO_RESULTS, TOO_FEW_RESULTS, NO_EVENTS_FOR_MLE = "no_results", "too_few_results", "no_events_for_mle"


@dataclass(frozen=True)
class Advice:
    """A recommendation (``None`` when the data do not support one) and the reason code."""

    recommendation: IntervalRecommendation | None
    reason: str
    results: int
    in_tolerance: int

    @property
    def method(self) -> str | None:
        return None if self.recommendation is None else self.recommendation.method


def advise(
    history: History | None,
    *,
    single_item: bool,
    current_interval: float | None = None,
    target: float = DEFAULT_TARGET,
    confidence: float = 0.95,
) -> Advice:
    """Recommend by the method that the history supports; ``current_interval`` (in the history's
    unit) is the interval under test for the interval test (the median interval when ``None``)."""
    target = check_target(target)
    if history is None or len(history) == 0:
        return Advice(None, NO_RESULTS, 0, 0)
    n, k = len(history), int(history.in_tolerance.sum())
    if single_item:
        return Advice(staircase(history, target), STAIRCASE, n, k)
    if n >= MIN_MLE_RESULTS and 0 < k < n:
        return Advice(recommend_mle(history, target, model="best", confidence=confidence), MLE, n, k)
    if n >= MIN_TEST_RESULTS:
        reason = INTERVAL_TEST if n < MIN_MLE_RESULTS else NO_EVENTS_FOR_MLE
        rec = interval_test(history, target, current_interval=current_interval, confidence=confidence)
        return Advice(rec, reason, n, k)
    return Advice(None, TOO_FEW_RESULTS, n, k)
