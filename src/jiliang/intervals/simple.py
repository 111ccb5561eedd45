"""Interval methods that need no reliability model (ILAC-G24:2007 / OIML D 10:2007, NCSLI RP-1).

Staircase (ILAC-G24 method 1, "automatic adjustment"; RP-1 method A1, "simple response"): after each
calibration the interval is lengthened by a fraction ``a`` when the instrument was found in tolerance
and shortened by a fraction ``b`` when it was not. We choose ``b`` so that the staircase is in
equilibrium at the reliability target R: an instrument that is in tolerance with probability R keeps,
on average, the same log interval, R·ln(1 + a) + (1 − R)·ln(1 − b) = 0, i.e.
1 − b = (1 + a)^(−R/(1 − R)). With a = 0.1 and R = 0.9, an out-of-tolerance result cuts the interval
by 58 %: the staircase is deliberately harsh on failures, as the target demands.

Interval test (RP-1 method A3): the observed in-tolerance rate k/n over the current interval I0 is
compared with the target by an exact two-sided binomial test; only when the difference is significant
is the interval changed, to I0·ln(R)/ln(R_obs) (the exponential reliability model through the
observation), limited to [I0/2, 2·I0] so that one review never swings the interval wildly.
Confidence bounds are the Clopper–Pearson limits of R_obs carried through the same mapping.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.intervals.history import History, check_target
from jiliang.intervals.result import IntervalRecommendation

MAX_CHANGE = 2.0  # the interval test changes an interval by at most this factor per review


def staircase_factors(target: float, extend: float = 0.1) -> tuple[float, float]:
    """(1 + a, 1 − b) of the staircase in equilibrium at the target reliability."""
    target = check_target(target)
    if not (math.isfinite(extend) and extend > 0):
        raise InvalidInput("extend", f"must be a number > 0, got {extend!r}")
    up = 1.0 + extend
    return up, up ** (-target / (1.0 - target))


def staircase(history: History, target: float, *, extend: float = 0.1) -> IntervalRecommendation:
    """Next interval of one instrument from its last as-found result (ILAC-G24 method 1)."""
    if len(history.instruments) > 1:
        raise InvalidInput(
            "history.instrument",
            f"the staircase adjusts one instrument; found {len(history.instruments)} "
            "(use the interval test or mle for a group of like instruments)",
        )
    up, down = staircase_factors(target, extend)
    last = float(history.interval[-1])
    factor = up if bool(history.in_tolerance[-1]) else down
    return IntervalRecommendation(
        recommended_interval=last * factor,
        unit=history.unit,
        method="staircase",
        observed_reliability=history.observed_reliability,
        target_reliability=target,
        confidence_bounds=None,
        note=f"last interval {last:g} × {factor:.4g} (extend {up:.4g}, reduce {down:.4g})",
    )


def _scaled(current: float, target: float, reliability: float, *, limit: bool = True) -> float | None:
    """I0·ln(R)/ln(R_obs) (within [I0/MAX_CHANGE, I0·MAX_CHANGE] if ``limit``); None when unbounded."""
    if reliability >= 1.0:
        return current * MAX_CHANGE if limit else None
    if reliability <= 0.0:
        return current / MAX_CHANGE if limit else 0.0
    value = current * math.log(target) / math.log(reliability)
    return min(max(value, current / MAX_CHANGE), current * MAX_CHANGE) if limit else value


def interval_test(
    history: History,
    target: float,
    *,
    current_interval: float | None = None,
    confidence: float = 0.95,
) -> IntervalRecommendation:
    """Change the interval only if k/n differs significantly from the target (NCSLI RP-1 A3)."""
    target = check_target(target)
    confidence = check_target(confidence, "confidence")
    current = float(np.median(history.interval)) if current_interval is None else float(current_interval)
    if not (math.isfinite(current) and current > 0):
        raise InvalidInput("current_interval", f"must be a number > 0, got {current_interval!r}")
    n, k = len(history), int(np.sum(history.in_tolerance))
    test = stats.binomtest(k, n, target, alternative="two-sided")
    interval = stats.binomtest(k, n).proportion_ci(confidence_level=confidence, method="exact")
    significant = test.pvalue < 1.0 - confidence
    r_obs = k / n
    recommended = _scaled(current, target, r_obs) if significant else current
    low = _scaled(current, target, interval.low, limit=False)
    high = _scaled(current, target, interval.high, limit=False)
    verdict = "significant" if significant else "not significant"
    return IntervalRecommendation(
        recommended_interval=float(recommended or current),
        unit=history.unit,
        method="interval-test",
        observed_reliability=r_obs,
        target_reliability=target,
        confidence_bounds=(low, high),
        confidence_level=confidence,
        bounds_method="Clopper-Pearson limits of the observed reliability, mapped by I0·ln(R)/ln(R_obs)",
        note=f"{k} of {n} in tolerance at I0 = {current:g}; binomial test p = {test.pvalue:.4g} ({verdict})",
    )
