"""ISO 3951-1 variables sampling: s-method (process standard deviation unknown) and sigma-method
(known), form k, single and double limits, one AQL or one per limit.

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

Sigma-method (process standard deviation sigma known, ISO 3951-1; MIL-STD-414 Section D): Q uses
sigma instead of s, the estimate for one limit is Phi(-Q sqrt(n/(n - 1))) and the OC is
Pa(p) = Phi(sqrt(n) (z_(1-p) - k)) (:func:`sigma_method_decision`, :func:`sigma_method_oc`,
:func:`design_sigma_method`).

Different AQLs for the two limits: each limit has its own k (``k_upper``, ``k_lower``). Separate
control accepts when Q_U >= k_U and Q_L >= k_L; combined control (MIL-STD-414 / ANSI/ASQ Z1.9
Section B, Example B-4, form 2) when p_hat_U <= M_U, p_hat_L <= M_L and
p_hat_U + p_hat_L <= max(M_U, M_L).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling.oc import OCCurve

Control = Literal["separate", "combined"]
CONTROLS: tuple[Control, ...] = ("separate", "combined")
Method = Literal["s", "sigma"]
METHODS: tuple[Method, ...] = ("s", "sigma")


@dataclass(frozen=True)
class VariablesDecision:
    sample_size: int
    mean: float
    standard_deviation: float  # s of the sample, or the known sigma (method "sigma")
    acceptability_constant: float | None  # None when the two limits have different k
    upper_quality_statistic: float | None
    lower_quality_statistic: float | None
    accepted: bool
    control: Control = "separate"
    # the s-method's estimates (fractions, not percent) and p* equivalent to k for this n
    estimated_fraction_upper: float | None = None
    estimated_fraction_lower: float | None = None
    estimated_fraction: float | None = None
    maximum_allowable_fraction: float | None = None
    # "s": standard deviation estimated from the sample; "sigma": known process standard deviation
    method: Method = "s"
    # k and p* for each limit (they differ when the two limits have different AQLs)
    upper_acceptability_constant: float | None = None
    lower_acceptability_constant: float | None = None
    maximum_allowable_fraction_upper: float | None = None
    maximum_allowable_fraction_lower: float | None = None


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


def decision_report(d: VariablesDecision) -> dict[str, object]:
    """The decision as JSON-ready fields (the CLI, the API and the pages print these)."""
    return {
        "method": d.method,
        "sample_size": d.sample_size,
        "mean": d.mean,
        "standard_deviation": d.standard_deviation,
        "upper_quality_statistic": d.upper_quality_statistic,
        "lower_quality_statistic": d.lower_quality_statistic,
        "upper_acceptability_constant": d.upper_acceptability_constant,
        "lower_acceptability_constant": d.lower_acceptability_constant,
        "control": d.control,
        "estimated_fraction_upper": d.estimated_fraction_upper,
        "estimated_fraction_lower": d.estimated_fraction_lower,
        "estimated_fraction": d.estimated_fraction,
        "maximum_allowable_fraction_upper": d.maximum_allowable_fraction_upper,
        "maximum_allowable_fraction_lower": d.maximum_allowable_fraction_lower,
        "maximum_allowable_fraction": d.maximum_allowable_fraction,
        "decision": "accept" if d.accepted else "reject",
    }


def _limits_and_constants(
    acceptability_constant: float | None,
    lower: float | None,
    upper: float | None,
    control: Control,
    k_upper: float | None,
    k_lower: float | None,
) -> tuple[float | None, float | None]:
    """Check the limits and the control; return (k_U, k_L), None where that limit is not given."""
    if control not in CONTROLS:
        raise InvalidInput("control", f"{control!r} is not one of {', '.join(CONTROLS)}")
    if lower is None and upper is None:
        raise InvalidInput("upper", "give a lower or an upper specification limit (or both)")
    if lower is not None and upper is not None and lower >= upper:
        raise InvalidInput("lower", f"{lower} must be below the upper limit {upper}")
    if control == "combined" and (lower is None or upper is None):
        raise InvalidInput("control", "combined control needs both a lower and an upper limit")
    ks: list[float | None] = []
    for limit, own, field in ((upper, k_upper, "k_upper"), (lower, k_lower, "k_lower")):
        if limit is None:
            if own is not None:
                raise InvalidInput(field, f"{field} is given but the {field[2:]} limit is not")
            ks.append(None)
        elif own is not None:
            ks.append(_check_k(own))
        elif acceptability_constant is not None:
            ks.append(_check_k(acceptability_constant))
        else:
            raise InvalidInput(field, f"give k, or {field} for the {field[2:]} limit")
    return ks[0], ks[1]


def _judge(
    method: Method,
    n: int,
    mean: float,
    scale: float,
    lower: float | None,
    upper: float | None,
    control: Control,
    k_u: float | None,
    k_l: float | None,
) -> VariablesDecision:
    q_u = None if upper is None else (upper - mean) / scale
    q_l = None if lower is None else (mean - lower) / scale
    separate = all(q >= k for q, k in ((q_u, k_u), (q_l, k_l)) if q is not None and k is not None)
    k_common = k_u if k_l is None or k_u == k_l else (k_l if k_u is None else None)
    decision = partial(
        VariablesDecision,
        sample_size=n,
        mean=mean,
        standard_deviation=scale,
        acceptability_constant=k_common,
        upper_quality_statistic=q_u,
        lower_quality_statistic=q_l,
        control=control,
        method=method,
        upper_acceptability_constant=k_u,
        lower_acceptability_constant=k_l,
    )
    minimum = 3 if method == "s" else 2
    if n < minimum:
        if control == "combined":
            raise InvalidInput("values", f"combined control needs at least {minimum} values")
        return decision(accepted=separate)
    estimate = estimated_fraction_nonconforming if method == "s" else sigma_estimated_fraction_nonconforming
    bound = maximum_allowable_fraction if method == "s" else sigma_maximum_allowable_fraction
    p_u = None if q_u is None else estimate(q_u, n)
    p_l = None if q_l is None else estimate(q_l, n)
    m_u = None if k_u is None else bound(n, k_u)
    m_l = None if k_l is None else bound(n, k_l)
    p_hat = (p_u or 0.0) + (p_l or 0.0)
    p_star = max(m for m in (m_u, m_l) if m is not None)
    if control == "combined":
        for m, k, field in ((m_u, k_u, "k_upper"), (m_l, k_l, "k_lower")):
            if m == 0:
                raise InvalidInput(
                    "acceptability_constant" if k_u == k_l else field,
                    f"k = {k} is at least (n - 1)/sqrt(n) = {(n - 1) / math.sqrt(n):.4g} for n = {n}: "
                    "p* would be 0 and combined control cannot be applied",
                )
        # one AQL for both limits: p_U + p_L <= p*; different AQLs (MIL-STD-414 / ANSI/ASQ Z1.9
        # Example B-4): also each estimate within its own limit's M
        accepted = p_hat <= p_star and all(
            p <= m for p, m in ((p_u, m_u), (p_l, m_l)) if p is not None and m is not None
        )
    else:
        accepted = separate
    return decision(
        accepted=accepted,
        estimated_fraction_upper=p_u,
        estimated_fraction_lower=p_l,
        estimated_fraction=p_hat,
        maximum_allowable_fraction=p_star,
        maximum_allowable_fraction_upper=m_u,
        maximum_allowable_fraction_lower=m_l,
    )


def s_method_decision(
    values: ArrayLike,
    acceptability_constant: float | None,
    lower: float | None = None,
    upper: float | None = None,
    *,
    control: Control = "separate",
    k_upper: float | None = None,
    k_lower: float | None = None,
) -> VariablesDecision:
    """The s-method decision from the measured values of the sample.

    ``control="separate"`` (and any single limit): form k, accept when every Q >= its k.
    ``control="combined"`` (double limits): accept when the estimated fraction nonconforming
    p_hat_U + p_hat_L is at most p*, the value equivalent to k for this sample size. With
    different AQLs for the two limits (``k_upper`` and ``k_lower`` differ), p* is the larger of the
    two limits' values M_U, M_L, and each estimate must also be within its own M (MIL-STD-414 and
    ANSI/ASQ Z1.9 Section B, Example B-4). ``k_upper`` / ``k_lower`` override ``k`` for that limit.
    The estimates are reported in both cases when n >= 3.
    """
    x = _values(values, 2)
    k_u, k_l = _limits_and_constants(acceptability_constant, lower, upper, control, k_upper, k_lower)
    n = int(x.size)
    mean, s = float(x.mean()), float(x.std(ddof=1))
    if s == 0:
        raise InvalidInput("values", "all values are equal: the sample standard deviation is 0")
    return _judge("s", n, mean, s, lower, upper, control, k_u, k_l)


def sigma_method_decision(
    values: ArrayLike,
    standard_deviation: float,
    acceptability_constant: float | None,
    lower: float | None = None,
    upper: float | None = None,
    *,
    control: Control = "separate",
    k_upper: float | None = None,
    k_lower: float | None = None,
) -> VariablesDecision:
    """The sigma-method decision (process standard deviation known, ISO 3951-1 "sigma" method).

    Q_U = (U - x)/sigma and Q_L = (x - L)/sigma with the known sigma; the controls are those of
    :func:`s_method_decision`. The estimate for one limit is Phi(-Q sqrt(n/(n - 1))), the
    minimum-variance unbiased estimator for known sigma (MIL-STD-414 Section D, form 2), and p* is
    the same function at Q = k. Needs n >= 1 (form k) and n >= 2 for the estimates.
    """
    x = _values(values, 1)
    sigma = float(standard_deviation)
    if not math.isfinite(sigma) or sigma <= 0:
        raise InvalidInput("standard_deviation", f"{standard_deviation} must be a positive number")
    k_u, k_l = _limits_and_constants(acceptability_constant, lower, upper, control, k_upper, k_lower)
    return _judge("sigma", int(x.size), float(x.mean()), sigma, lower, upper, control, k_u, k_l)


def _values(values: ArrayLike, minimum: int) -> NDArray[np.float64]:
    x = np.asarray(values, dtype=float)
    if x.ndim != 1 or x.size < minimum or not np.all(np.isfinite(x)):
        raise InvalidInput("values", f"needs at least {minimum} finite measured values")
    return x


def sigma_estimated_fraction_nonconforming(quality_statistic: float, sample_size: int) -> float:
    """The sigma-method estimate of the fraction beyond one limit, from Q = (U - x)/sigma or (x - L)/sigma.

    Phi(-Q sqrt(n/(n - 1))): unbiased for a normal characteristic with known sigma, because the
    sample mean has variance sigma^2/n (E Phi(a + bZ) = Phi(a / sqrt(1 + b^2))). Needs n >= 2.
    """
    if int(sample_size) != sample_size or sample_size < 2:
        raise InvalidInput(
            "sample_size", f"{sample_size!r}: the sigma-method estimate needs at least 2 values"
        )
    if not math.isfinite(quality_statistic):
        raise InvalidInput("quality_statistic", f"{quality_statistic} must be a finite number")
    n = int(sample_size)
    return float(stats.norm.cdf(-quality_statistic * math.sqrt(n / (n - 1))))


def sigma_maximum_allowable_fraction(sample_size: int, acceptability_constant: float) -> float:
    """p* of the sigma method: the estimate at Q = k, the largest estimate accepted."""
    return sigma_estimated_fraction_nonconforming(_check_k(acceptability_constant), sample_size)


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
    return _oc_curve("s-method", s_method_oc, sample_size, acceptability_constant, points)


def _oc_curve(
    model: str,
    oc: Callable[[ArrayLike, int, float], NDArray[np.float64]],
    sample_size: int,
    acceptability_constant: float,
    points: int,
) -> OCCurve:
    if not 2 <= points <= 10_000:
        raise InvalidInput("points", f"{points} must be between 2 and 10000")
    grid = np.geomspace(1e-6, 0.5, 400)
    pa = oc(grid, sample_size, acceptability_constant)
    top = float(grid[np.argmax(pa < 0.01)]) if (pa < 0.01).any() else 0.5
    p = np.linspace(top / (10 * points), top, points)
    return OCCurve(
        sample_size=int(sample_size),
        acceptance_number=None,
        lot_size=None,
        model=model,
        fraction_nonconforming=tuple(float(x) for x in p),
        probability_of_acceptance=tuple(float(x) for x in oc(p, sample_size, acceptability_constant)),
    )


def _check_design(p1: float, p2: float, alpha: float, beta: float) -> tuple[float, float, float, float]:
    for name, value in (("producer_quality", p1), ("consumer_quality", p2)):
        if not 0 < value < 1:
            raise InvalidInput(name, f"{value} must lie strictly between 0 and 1")
    for name, value in (("producer_risk", alpha), ("consumer_risk", beta)):
        if not 0 < value < 0.5:
            raise InvalidInput(name, f"{value} must lie strictly between 0 and 0.5")
    if p1 >= p2:
        raise InvalidInput("consumer_quality", f"{p2} must be worse (larger) than the producer quality {p1}")
    return p1, p2, alpha, beta


def design_s_method(
    producer_quality: float, consumer_quality: float, producer_risk: float = 0.05, consumer_risk: float = 0.10
) -> VariablesPlan:
    """Smallest (n, k) with Pa(p1) >= 1 - alpha and Pa(p2) <= beta (one-sided s-method).

    k is the largest constant that still meets the consumer's point, i.e. the one most favourable
    to the producer at that n.
    """
    p1, p2, alpha, beta = _check_design(producer_quality, consumer_quality, producer_risk, consumer_risk)
    for n in range(2, 100_001):
        root_n, df = math.sqrt(n), n - 1
        k_producer = float(stats.nct.isf(1 - alpha, df, root_n * stats.norm.isf(p1))) / root_n
        k_consumer = float(stats.nct.isf(beta, df, root_n * stats.norm.isf(p2))) / root_n
        if k_consumer <= k_producer:
            pa = s_method_oc([p1, p2], n, k_consumer)
            return VariablesPlan(n, k_consumer, p1, alpha, p2, beta, float(pa[0]), float(pa[1]))
    raise InvalidInput("consumer_quality", "no plan with n <= 100000 separates these two qualities")


def sigma_method_oc(
    fraction_nonconforming: ArrayLike, sample_size: int, acceptability_constant: float
) -> NDArray[np.float64]:
    """Pa of the one-sided sigma-method plan (n, k): Phi(sqrt(n) (z_(1-p) - k)), exact for a normal
    characteristic with known sigma (the sample mean is normal with variance sigma^2/n)."""
    if int(sample_size) != sample_size or sample_size < 1:
        raise InvalidInput("sample_size", f"{sample_size!r} must be a whole number of at least 1")
    k = _check_k(acceptability_constant)
    p = np.asarray(fraction_nonconforming, dtype=float)
    if np.any((p <= 0) | (p >= 1)):
        raise InvalidInput("fraction_nonconforming", "every value must lie strictly between 0 and 1")
    return np.asarray(stats.norm.cdf(math.sqrt(sample_size) * (stats.norm.isf(p) - k)), dtype=float)


def sigma_method_oc_curve(sample_size: int, acceptability_constant: float, *, points: int = 51) -> OCCurve:
    """The OC curve of a one-sided sigma-method plan, from p near 0 to where Pa falls to about 1 %."""
    return _oc_curve("sigma-method", sigma_method_oc, sample_size, acceptability_constant, points)


def design_sigma_method(
    producer_quality: float, consumer_quality: float, producer_risk: float = 0.05, consumer_risk: float = 0.10
) -> VariablesPlan:
    """Smallest (n, k) of the sigma method with Pa(p1) >= 1 - alpha and Pa(p2) <= beta (one-sided).

    Pa(p) = Phi(sqrt(n) (z_(1-p) - k)), so the two points need
    z_(1-p2) + z_(1-beta)/sqrt(n) <= k <= z_(1-p1) - z_(1-alpha)/sqrt(n): the smallest n is
    ceil(((z_(1-alpha) + z_(1-beta)) / (z_(1-p1) - z_(1-p2)))^2), and k is the lower end (the
    consumer's point met exactly), as :func:`design_s_method` does.
    """
    p1, p2, alpha, beta = _check_design(producer_quality, consumer_quality, producer_risk, consumer_risk)
    z1, z2 = float(stats.norm.isf(p1)), float(stats.norm.isf(p2))
    za, zb = float(stats.norm.isf(alpha)), float(stats.norm.isf(beta))
    n = max(1, math.ceil(((za + zb) / (z1 - z2)) ** 2 - 1e-9))
    while z2 + zb / math.sqrt(n) > z1 - za / math.sqrt(n):  # guard the rounding of the ceiling
        n += 1
    if n > 100_000:
        raise InvalidInput("consumer_quality", "no plan with n <= 100000 separates these two qualities")
    k = z2 + zb / math.sqrt(n)
    pa = sigma_method_oc([p1, p2], n, k)
    return VariablesPlan(n, k, p1, alpha, p2, beta, float(pa[0]), float(pa[1]))
