"""Interval methods that need no reliability model (ILAC-G24:2007 / OIML D 10:2007, NCSLI RP-1).

Staircase (ILAC-G24 method 1, "automatic adjustment or 'staircase' (calendar-time)": clause 3 of the
2007 edition, 6.2 of ILAC-G24:2022 / OIML D 10:2022; RP-1 method A1, "simple response"): after each
calibration the interval is lengthened by a fraction ``a`` when the instrument was found in tolerance
and shortened by a fraction ``b`` when it was not. We choose ``b`` so that the staircase is in
equilibrium at the reliability target R: an instrument that is in tolerance with probability R keeps,
on average, the same log interval, R·ln(1 + a) + (1 − R)·ln(1 − b) = 0, i.e.
1 − b = (1 + a)^(−R/(1 − R)). With a = 0.1 and R = 0.9, an out-of-tolerance result cuts the interval
by 58 %: the staircase is deliberately harsh on failures, as the target demands.

Interval test (``interval-test``, in the manner of RP-1 method A3): the observed in-tolerance rate
k/n over the current interval I0 is compared with the target by an exact two-sided binomial test; only
when the difference is significant is the interval changed, to I0·ln(R)/ln(R_obs) (the exponential
reliability model through the observation), limited to [I0/2, 2·I0] so that one review never swings
the interval wildly. Confidence bounds are the Clopper–Pearson limits of R_obs carried through the
same mapping. This is our own variant, not RP-1's arithmetic.

RP-1 method A3 as published (``rp1-a3``): with x of n in tolerance at I0, R0 = x/n and target Rt,
the rejection confidence is Q = 1 − 2·P(X ≤ x) when R0 < Rt and Q = 1 − 2·P(X ≥ x) when R0 > Rt
(X binomial with n and Rt; Q = 1 − P(X = x) when R0 is 0 or 1). The calculated interval is
I0·10^((R0 − Rt)·Q) when shortening and I0·10^((R0 − Rt)/(1 − Q)) when lengthening, kept within
[I0/m, m·I0] (m = 2); the interval changes only when Q exceeds the change confidence. The reliability
range is the Clopper–Pearson interval of R0 at that confidence. Source: NCSLI RP-1 method A3 as
implemented in Sandia's suncal (``suncal/intervals/testa3.py``); the shortening branch is checked
against the three assets of the 2019 NCSL International Symposium tutorial on intervals that
suncal's ``test/test_interval.py`` quotes. The lengthening branch here is the mirror image of the
shortening one; no published case for it could be sourced.
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
    """Change the interval only if k/n differs significantly from the target (an RP-1 A3 variant)."""
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


def _clopper_pearson(k: int, n: int, confidence: float) -> tuple[float, float]:
    tail = (1.0 - confidence) / 2
    low = 0.0 if k == 0 else float(stats.beta.ppf(tail, k, n - k + 1))
    high = 1.0 if k == n else float(stats.beta.ppf(1.0 - tail, k + 1, n - k))
    return low, high


def rp1_a3(
    history: History,
    target: float,
    *,
    current_interval: float | None = None,
    confidence: float = 0.5,
    max_change: float = MAX_CHANGE,
) -> IntervalRecommendation:
    """NCSLI RP-1 method A3 ("test interval"): every calibration in ``history`` is taken at I0."""
    target = check_target(target)
    confidence = check_target(confidence, "confidence")
    current = float(np.median(history.interval)) if current_interval is None else float(current_interval)
    if not (math.isfinite(current) and current > 0):
        raise InvalidInput("current_interval", f"must be a number > 0, got {current_interval!r}")
    if not (math.isfinite(max_change) and max_change > 1):
        raise InvalidInput("max_change", f"must be a number > 1, got {max_change!r}")
    n, k = len(history), int(np.sum(history.in_tolerance))
    r_obs = k / n
    if k in (0, n):
        rejection = 1.0 - float(stats.binom.pmf(k, n, target))
    elif r_obs < target:
        rejection = 1.0 - 2.0 * float(stats.binom.cdf(k, n, target))
    else:
        rejection = 1.0 - 2.0 * float(stats.binom.sf(k - 1, n, target))
    rejection = max(rejection, 0.0)
    if r_obs > target:
        # I0·10^((R0 - Rt)/(1 - Q)), capped at max_change (the exponent can overflow as Q -> 1)
        exponent = math.inf if rejection >= 1.0 else (r_obs - target) / (1.0 - rejection)
        factor = max_change if exponent >= math.log10(max_change) else 10**exponent
    else:
        factor = max(10 ** ((r_obs - target) * rejection), 1.0 / max_change)
    calculated = current * factor
    changed = rejection > confidence
    low, high = _clopper_pearson(k, n, confidence)
    return IntervalRecommendation(
        recommended_interval=calculated if changed else current,
        unit=history.unit,
        method="rp1-a3",
        observed_reliability=r_obs,
        target_reliability=target,
        confidence_bounds=None,
        confidence_level=confidence,
        bounds_method="RP-1 A3 gives no bounds on the interval; reliability_range: Clopper-Pearson limits of R0",
        reliability_range=(low, high),
        note=(
            f"{k} of {n} in tolerance at I0 = {current:g}; rejection confidence {rejection:.4f} "
            f"({'above' if changed else 'not above'} {confidence:g}); calculated interval {calculated:.4g}"
        ),
    )
