"""Global consumer's and producer's risk and risk-based guard bands (JCGM 106:2012 clause 9.5).

With a prior (process) PDF g0(η) of the measurand and a normal measurement h(η_m | η) = N(η, u_m²),
the probability that an item of true value η is accepted is P_A(η) = Φ((A_U − η)/u_m) − Φ((A_L − η)/u_m).
Then (JCGM 106 9.5.2)

    R_C = ∫ over η outside [TL, TU] of g0(η) P_A(η) dη      (global consumer's risk)
    R_P = ∫ over η inside  [TL, TU] of g0(η) (1 − P_A(η)) dη (global producer's risk)

The process is normal or gamma (JCGM 106 Annex A names the gamma for quantities that cannot be
negative), both given by their mean and standard deviation. The integrals are evaluated by adaptive
quadrature (``scipy.integrate.quad``) over the body of the prior, broken at the limits.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from scipy import integrate, optimize, stats

from jiliang.conformity.rules import Tolerance, acceptance_interval
from jiliang.errors import InvalidInput

PROCESS_DISTRIBUTIONS = ("normal", "gamma")
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_TAIL = 1e-13  # prior mass left out of the quadrature on each side: far below any reported risk


def _positive(value: float, field: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(field, f"must be a finite number > 0, got {value!r}")
    return value


@dataclass(frozen=True)
class Prior:
    """A process (prior) distribution g0 given by its mean and standard deviation (JCGM 106 Annex A).

    ``dist`` is the frozen scipy distribution (quantiles, sampling, arrays); ``pdf`` is a plain-float
    density for the quadrature, which calls it hundreds of times where scipy's overhead would dominate.
    """

    distribution: str
    mean: float
    std: float
    dist: Any

    def pdf(self, x: float) -> float:
        if self.distribution == "normal":
            z = (x - self.mean) / self.std
            return math.exp(-0.5 * z * z) / (self.std * _SQRT_2PI)
        if x <= 0.0:
            return 0.0
        shape, scale = (self.mean / self.std) ** 2, self.std**2 / self.mean
        return math.exp((shape - 1.0) * math.log(x / scale) - x / scale - math.lgamma(shape)) / scale


def process_prior(mean: float, std: float, distribution: str = "normal") -> Prior:
    """The process distribution with the given mean and standard deviation: normal or gamma."""
    if not math.isfinite(float(mean)):
        raise InvalidInput("process_mean", f"must be a finite number, got {mean!r}")
    std = _positive(std, "process_std")
    if distribution == "normal":
        return Prior("normal", float(mean), std, stats.norm(loc=float(mean), scale=std))
    if distribution == "gamma":
        mean = _positive(mean, "process_mean")  # a gamma prior lives on (0, ∞)
        return Prior("gamma", mean, std, stats.gamma(a=(mean / std) ** 2, scale=std**2 / mean))
    raise InvalidInput(
        "process_distribution",
        f"unknown distribution {distribution!r}; use {' or '.join(PROCESS_DISTRIBUTIONS)}",
    )


def _phi(x: float) -> float:
    """Standard normal CDF of one float (math.erfc keeps the tails exact, and is cheap)."""
    return 0.5 * math.erfc(-x / math.sqrt(2.0))


def _probability_accept(eta: float, limits: tuple[float, float], u_m: float) -> float:
    return _phi((limits[1] - eta) / u_m) - _phi((limits[0] - eta) / u_m)


def _integrate(fn: Any, lo: float, hi: float, breaks: tuple[float, ...]) -> float:
    if hi <= lo:
        return 0.0
    points = [b for b in breaks if lo < b < hi]
    value, _err = integrate.quad(fn, lo, hi, points=points or None, limit=200, epsabs=1e-15, epsrel=1e-10)
    return float(value)


def global_risks(
    prior: Prior, u_m: float, tolerance: Tolerance, limits: tuple[float, float]
) -> tuple[float, float]:
    """(R_C, R_P) for a prior, a normal measurement of standard uncertainty u_m and acceptance limits."""
    lo, hi = float(prior.dist.ppf(_TAIL)), float(prior.dist.isf(_TAIL))
    breaks = tuple(x for x in (tolerance.lo, tolerance.hi, *limits) if math.isfinite(x))

    def accepted_bad(eta: float) -> float:
        return prior.pdf(eta) * _probability_accept(eta, limits, u_m)

    def rejected_good(eta: float) -> float:
        return prior.pdf(eta) * (1.0 - _probability_accept(eta, limits, u_m))

    consumer = _integrate(accepted_bad, lo, min(hi, tolerance.lo), breaks)
    consumer += _integrate(accepted_bad, max(lo, tolerance.hi), hi, breaks)
    producer = _integrate(rejected_good, max(lo, tolerance.lo), min(hi, tolerance.hi), breaks)
    return max(consumer, 0.0), max(producer, 0.0)


def measurement_capability_index(tolerance: Tolerance, u_m: float) -> float | None:
    """C_m = (TU − TL) / (4 u_m) (JCGM 106:2012 7.6); undefined for a one-sided tolerance."""
    return tolerance.width / (4.0 * u_m) if tolerance.two_sided else None


def test_uncertainty_ratio(tolerance: Tolerance, expanded_uncertainty: float) -> float | None:
    """TUR = (TU − TL) / (2 U) (ANSI/NCSL Z540.3-2006 3.11, U at about 95 % coverage)."""
    return tolerance.width / (2.0 * expanded_uncertainty) if tolerance.two_sided else None


test_uncertainty_ratio.__test__ = False  # type: ignore[attr-defined]  # not a pytest test


@dataclass(frozen=True)
class GlobalRisk:
    """Global risks of a decision rule over a process (JCGM 106:2012 9.5)."""

    global_consumer_risk: float
    global_producer_risk: float
    guard_band: float
    acceptance_limits: tuple[float, float]
    measurement_capability_index: float | None
    test_uncertainty_ratio: float | None
    process_distribution: str

    def as_dict(self) -> dict[str, object]:
        """The public JSON contract of ``jiliang conformity risk`` (issue 4, item 4), plus C_m and TUR."""
        return {
            "global_consumer_risk": self.global_consumer_risk,
            "global_producer_risk": self.global_producer_risk,
            "guard_band": self.guard_band,
            "acceptance_limits": list(self.acceptance_limits),
            "measurement_capability_index": self.measurement_capability_index,
            "test_uncertainty_ratio": self.test_uncertainty_ratio,
            "process_distribution": self.process_distribution,
        }


def _max_guard_band(prior: Prior, u_m: float, tolerance: Tolerance) -> float:
    if tolerance.two_sided:
        return tolerance.width / 2.0
    # One-sided: move the acceptance limit past the far body of the prior and the measurement.
    return float(prior.dist.isf(_TAIL) - prior.dist.ppf(_TAIL)) + 10.0 * u_m


def guard_band_for_consumer_risk(prior: Prior, u_m: float, tolerance: Tolerance, target: float) -> float:
    """The smallest w >= 0 with R_C(w) <= target (JCGM 106:2012 9.5.3 / 8.3.2), by Brent's method.

    R_C falls as w grows (the acceptance interval shrinks), so the root of R_C(w) − target is unique.
    """
    target = float(target)
    if not 0.0 < target < 1.0:
        raise InvalidInput("target_consumer_risk", f"must lie in (0, 1), got {target!r}")

    def excess(w: float) -> float:
        limits = (tolerance.lo + w, tolerance.hi - w)
        return global_risks(prior, u_m, tolerance, limits)[0] - target

    if excess(0.0) <= 0.0:
        return 0.0
    w_max = _max_guard_band(prior, u_m, tolerance)
    if tolerance.two_sided:
        w_max *= 1.0 - 1e-12  # keep a (tiny) acceptance interval at the bracket's end
    return float(optimize.brentq(excess, 0.0, w_max, xtol=1e-12 * max(1.0, w_max), rtol=1e-10))


def assess_risk(
    *,
    process_mean: float,
    process_std: float,
    measurement_std: float,
    tolerance: Tolerance,
    process_distribution: str = "normal",
    guard_band: float | None = None,
    target_consumer_risk: float | None = None,
    coverage_factor: float = 2.0,
) -> GlobalRisk:
    """Global risks for a given guard band, or for the guard band that meets a target R_C."""
    prior = process_prior(process_mean, process_std, process_distribution)
    u_m = _positive(measurement_std, "measurement_std")
    k = _positive(coverage_factor, "coverage_factor")
    if guard_band is not None and target_consumer_risk is not None:
        raise InvalidInput("guard_band", "give a guard band or a target consumer's risk, not both")
    if target_consumer_risk is not None:
        w = guard_band_for_consumer_risk(prior, u_m, tolerance, target_consumer_risk)
    else:
        w = 0.0 if guard_band is None else float(guard_band)
        if not math.isfinite(w):
            raise InvalidInput("guard_band", f"must be a finite number, got {guard_band!r}")
    limits = acceptance_interval(tolerance, w)
    consumer, producer = global_risks(prior, u_m, tolerance, limits)
    return GlobalRisk(
        global_consumer_risk=consumer,
        global_producer_risk=producer,
        guard_band=w,
        acceptance_limits=limits,
        measurement_capability_index=measurement_capability_index(tolerance, u_m),
        test_uncertainty_ratio=test_uncertainty_ratio(tolerance, k * u_m),
        process_distribution=process_distribution,
    )
