"""ISO 3951-1 variables sampling, s-method (process standard deviation unknown), form k.

Acceptability (ISO 3951-1 "form k", single specification limits, and double limits with separate
control): with sample mean x and sample standard deviation s (n - 1 in the denominator) compute
Q_U = (U - x) / s and Q_L = (x - L) / s; accept the lot when every computed Q is at least the
acceptability constant k. (Double limits under combined control use the standard's acceptance
charts and are not covered here.)

OC (exact for a normal characteristic): with a fraction p beyond one limit, sqrt(n) Q ~ noncentral
t with n - 1 degrees of freedom and noncentrality sqrt(n) z_(1-p), so
Pa(p) = P(T >= k sqrt(n)). The k tables of ISO 3951-1 are not shipped; pass k from the standard,
or design (n, k) from two points of the OC curve with :func:`design_s_method`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling.oc import OCCurve


@dataclass(frozen=True)
class VariablesDecision:
    sample_size: int
    mean: float
    standard_deviation: float
    acceptability_constant: float
    upper_quality_statistic: float | None
    lower_quality_statistic: float | None
    accepted: bool


@dataclass(frozen=True)
class VariablesPlan:
    sample_size: int
    acceptability_constant: float
    producer_quality: float
    producer_risk: float
    consumer_quality: float
    consumer_risk: float
    probability_of_acceptance_at_producer_quality: float
    probability_of_acceptance_at_consumer_quality: float


def _check_k(k: float) -> float:
    if not math.isfinite(k):
        raise InvalidInput("acceptability_constant", f"{k} must be a finite number")
    return float(k)


def s_method_decision(
    values: ArrayLike, acceptability_constant: float, lower: float | None = None, upper: float | None = None
) -> VariablesDecision:
    """Form k decision of the s-method from the measured values of the sample."""
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise InvalidInput("values", "needs at least 2 finite measured values")
    if lower is None and upper is None:
        raise InvalidInput("upper", "give a lower or an upper specification limit (or both)")
    if lower is not None and upper is not None and lower >= upper:
        raise InvalidInput("lower", f"{lower} must be below the upper limit {upper}")
    k = _check_k(acceptability_constant)
    mean, s = float(x.mean()), float(x.std(ddof=1))
    if s == 0:
        raise InvalidInput("values", "all values are equal: the sample standard deviation is 0")
    q_u = None if upper is None else (upper - mean) / s
    q_l = None if lower is None else (mean - lower) / s
    accepted = all(q >= k for q in (q_u, q_l) if q is not None)
    return VariablesDecision(int(x.size), mean, s, k, q_u, q_l, accepted)


def s_method_oc(
    fraction_nonconforming: ArrayLike, sample_size: int, acceptability_constant: float
) -> NDArray[np.float64]:
    """Pa of the one-sided s-method plan (n, k) at each fraction nonconforming p in (0, 1)."""
    if int(sample_size) != sample_size or sample_size < 2:
        raise InvalidInput("sample_size", f"{sample_size!r} must be a whole number of at least 2")
    k = _check_k(acceptability_constant)
    p = np.asarray(fraction_nonconforming, dtype=float)
    if np.any((p <= 0) | (p >= 1)):
        raise InvalidInput("fraction_nonconforming", "every value must lie strictly between 0 and 1")
    root_n = math.sqrt(sample_size)
    noncentrality = root_n * stats.norm.isf(p)
    return np.asarray(stats.nct.sf(k * root_n, sample_size - 1, noncentrality), dtype=float)


def s_method_oc_curve(sample_size: int, acceptability_constant: float, *, points: int = 51) -> OCCurve:
    """The OC curve of a one-sided s-method plan, from p near 0 to where Pa falls to about 1 %."""
    if not 2 <= points <= 10_000:
        raise InvalidInput("points", f"{points} must be between 2 and 10000")
    grid = np.geomspace(1e-6, 0.5, 400)
    pa = s_method_oc(grid, sample_size, acceptability_constant)
    top = float(grid[np.argmax(pa < 0.01)]) if (pa < 0.01).any() else 0.5
    p = np.linspace(top / (10 * points), top, points)
    return OCCurve(
        sample_size=int(sample_size),
        acceptance_number=None,
        lot_size=None,
        model="s-method",
        fraction_nonconforming=tuple(float(x) for x in p),
        probability_of_acceptance=tuple(
            float(x) for x in s_method_oc(p, sample_size, acceptability_constant)
        ),
    )


def design_s_method(
    producer_quality: float, consumer_quality: float, producer_risk: float = 0.05, consumer_risk: float = 0.10
) -> VariablesPlan:
    """Smallest (n, k) with Pa(p1) >= 1 - alpha and Pa(p2) <= beta (one-sided s-method).

    k is the largest constant that still meets the consumer's point, i.e. the one most favourable
    to the producer at that n.
    """
    p1, p2, alpha, beta = producer_quality, consumer_quality, producer_risk, consumer_risk
    for name, value in (("producer_quality", p1), ("consumer_quality", p2)):
        if not 0 < value < 1:
            raise InvalidInput(name, f"{value} must lie strictly between 0 and 1")
    for name, value in (("producer_risk", alpha), ("consumer_risk", beta)):
        if not 0 < value < 0.5:
            raise InvalidInput(name, f"{value} must lie strictly between 0 and 0.5")
    if p1 >= p2:
        raise InvalidInput("consumer_quality", f"{p2} must be worse (larger) than the producer quality {p1}")
    for n in range(2, 100_001):
        root_n, df = math.sqrt(n), n - 1
        k_producer = float(stats.nct.isf(1 - alpha, df, root_n * stats.norm.isf(p1))) / root_n
        k_consumer = float(stats.nct.isf(beta, df, root_n * stats.norm.isf(p2))) / root_n
        if k_consumer <= k_producer:
            pa = s_method_oc([p1, p2], n, k_consumer)
            return VariablesPlan(n, k_consumer, p1, alpha, p2, beta, float(pa[0]), float(pa[1]))
    raise InvalidInput("consumer_quality", "no plan with n <= 100000 separates these two qualities")
