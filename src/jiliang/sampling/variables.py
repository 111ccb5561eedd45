"""ISO 3951-1 variables sampling, s-method (process standard deviation unknown), form k.

Acceptability (ISO 3951-1 "form k", single specification limits, and double limits with separate
control): with sample mean x and sample standard deviation s (n - 1 in the denominator) compute
Q_U = (U - x) / s and Q_L = (x - L) / s; accept the lot when every computed Q is at least the
acceptability constant k.

Double limits under combined control (one AQL for both limits together): ISO 3951-1 draws an
acceptance chart; its acceptance region is the one of the s-method's estimated fraction
nonconforming (MIL-STD-414 Section B Part II "Form 2", ANSI/ASQ Z1.9, ISO 3951-2): each limit's
fraction is estimated by the minimum-variance unbiased estimator

    p_hat = B_{(n-2)/2,(n-2)/2}( max(0, 1/2 - Q sqrt(n) / (2 (n - 1))) ),

the symmetric beta distribution function, and the lot is accepted when p_hat_U + p_hat_L <= p*,
where p* = B_{(n-2)/2,(n-2)/2}( max(0, 1/2 - k sqrt(n) / (2 (n - 1))) ) is the value equivalent to k
for this n (MIL-STD-414's M). For a single limit the two forms decide alike: p_hat <= p* exactly
when Q >= k, because B is increasing.

OC (exact for a normal characteristic): with a fraction p beyond one limit, sqrt(n) Q ~ noncentral
t with n - 1 degrees of freedom and noncentrality sqrt(n) z_(1-p), so
Pa(p) = P(T >= k sqrt(n)). The k tables of ISO 3951-1 are not shipped; pass k from the standard,
or design (n, k) from two points of the OC curve with :func:`design_s_method`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling.oc import OCCurve

Control = Literal["separate", "combined"]
CONTROLS: tuple[Control, ...] = ("separate", "combined")


@dataclass(frozen=True)
class VariablesDecision:
    sample_size: int
    mean: float
    standard_deviation: float
    acceptability_constant: float
    upper_quality_statistic: float | None
    lower_quality_statistic: float | None
    accepted: bool
    control: Control = "separate"
    # the s-method's estimates (fractions, not percent) and p* equivalent to k for this n
    estimated_fraction_upper: float | None = None
    estimated_fraction_lower: float | None = None
    estimated_fraction: float | None = None
    maximum_allowable_fraction: float | None = None


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


def _beta_argument(q: float, n: int) -> float:
    return max(0.0, 0.5 - q * math.sqrt(n) / (2 * (n - 1)))


def estimated_fraction_nonconforming(quality_statistic: float, sample_size: int) -> float:
    """The s-method's estimate of the fraction beyond one limit, from Q = (U - x)/s or (x - L)/s.

    The minimum-variance unbiased estimator for a normal characteristic (MIL-STD-414 Table B-5,
    ISO 3951-2): the symmetric beta distribution function with parameters (n - 2)/2 at
    max(0, 1/2 - Q sqrt(n) / (2 (n - 1))). Needs n >= 3.
    """
    n = _check_n_for_estimate(sample_size)
    if not math.isfinite(quality_statistic):
        raise InvalidInput("quality_statistic", f"{quality_statistic} must be a finite number")
    a = (n - 2) / 2
    return float(stats.beta.cdf(_beta_argument(quality_statistic, n), a, a))


def maximum_allowable_fraction(sample_size: int, acceptability_constant: float) -> float:
    """p*, the largest estimated fraction nonconforming accepted: the value equivalent to k for n."""
    k = _check_k(acceptability_constant)
    return estimated_fraction_nonconforming(k, sample_size)


def _check_n_for_estimate(sample_size: int) -> int:
    if int(sample_size) != sample_size or sample_size < 3:
        raise InvalidInput("sample_size", f"{sample_size!r}: the s-method estimate needs at least 3 values")
    return int(sample_size)


def s_method_decision(
    values: ArrayLike,
    acceptability_constant: float,
    lower: float | None = None,
    upper: float | None = None,
    *,
    control: Control = "separate",
) -> VariablesDecision:
    """The s-method decision from the measured values of the sample.

    ``control="separate"`` (and any single limit): form k, accept when every Q >= k.
    ``control="combined"`` (double limits, one AQL for both): accept when the estimated fraction
    nonconforming p_hat_U + p_hat_L is at most p*, the value equivalent to k for this sample size.
    The estimates are reported in both cases when n >= 3.
    """
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < 2 or not np.all(np.isfinite(x)):
        raise InvalidInput("values", "needs at least 2 finite measured values")
    if control not in CONTROLS:
        raise InvalidInput("control", f"{control!r} is not one of {', '.join(CONTROLS)}")
    if lower is None and upper is None:
        raise InvalidInput("upper", "give a lower or an upper specification limit (or both)")
    if lower is not None and upper is not None and lower >= upper:
        raise InvalidInput("lower", f"{lower} must be below the upper limit {upper}")
    if control == "combined" and (lower is None or upper is None):
        raise InvalidInput("control", "combined control needs both a lower and an upper limit")
    k = _check_k(acceptability_constant)
    n = int(x.size)
    mean, s = float(x.mean()), float(x.std(ddof=1))
    if s == 0:
        raise InvalidInput("values", "all values are equal: the sample standard deviation is 0")
    q_u = None if upper is None else (upper - mean) / s
    q_l = None if lower is None else (mean - lower) / s
    if n < 3:
        if control == "combined":
            raise InvalidInput("values", "combined control needs at least 3 measured values")
        accepted = all(q >= k for q in (q_u, q_l) if q is not None)
        return VariablesDecision(n, mean, s, k, q_u, q_l, accepted)
    p_u = None if q_u is None else estimated_fraction_nonconforming(q_u, n)
    p_l = None if q_l is None else estimated_fraction_nonconforming(q_l, n)
    p_hat = (p_u or 0.0) + (p_l or 0.0)
    p_star = maximum_allowable_fraction(n, k)
    if control == "combined":
        if p_star == 0:
            raise InvalidInput(
                "acceptability_constant",
                f"k = {k} is at least (n - 1)/sqrt(n) = {(n - 1) / math.sqrt(n):.4g} for n = {n}: "
                "p* would be 0 and combined control cannot be applied",
            )
        accepted = p_hat <= p_star
    else:
        accepted = all(q >= k for q in (q_u, q_l) if q is not None)
    return VariablesDecision(n, mean, s, k, q_u, q_l, accepted, control, p_u, p_l, p_hat, p_star)


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
