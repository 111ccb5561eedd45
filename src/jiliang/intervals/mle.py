"""Maximum-likelihood reliability models for as-found histories (NCSLI RP-1 method S2; OIML D 10 / ILAC-G24
"other statistical approaches"; JJF 1139 reliability target).

A calibration found in tolerance after an interval t is a Bernoulli outcome with probability R(t), so the
log-likelihood of a history is Σ [x_i ln R(t_i) + (1 − x_i) ln(1 − R(t_i))]. The models:

- exponential: R(t) = exp(−λ t)                (RP-1 model 1, constant out-of-tolerance rate);
- Weibull:     R(t) = exp(−(t/η)^β)            (RP-1 model 3; β > 1 means wear-out).

Both are parameterised by the interval t* at which R(t*) = R* (the target) so that the recommendation is
itself a parameter: R(t) = exp(ln R* · (t/t*)^β) with β = 1 for the exponential. Confidence bounds on t*
are likelihood-ratio (profile likelihood) bounds: the t* where 2·[ℓ(t̂*) − ℓ_p(t*)] = χ²₁(γ), ℓ_p maximising
over β for the Weibull. Identical intervals are pooled (counts per distinct t), so 100,000 instruments
cost no more than their distinct interval lengths.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import optimize, stats

from jiliang.errors import InvalidInput
from jiliang.intervals.history import History, check_target
from jiliang.intervals.result import IntervalRecommendation

MODELS = ("exponential", "weibull", "best")
_LOG_BETA = (math.log(0.05), math.log(20.0))  # Weibull shapes outside this range are not physical here
_SPAN = 25.0  # search t* within e^±25 of the data's interval lengths


@dataclass(frozen=True)
class _Counts:
    t: npt.NDArray[np.float64]
    passed: npt.NDArray[np.float64]
    failed: npt.NDArray[np.float64]


def _pool(history: History) -> _Counts:
    return _Counts(*history.pooled)


def _loglik(c: _Counts, target: float, log_t: float, log_beta: float) -> float:
    """ℓ(t*, β) with z = −ln R*·(t/t*)^β: ln R = −z and ln(1 − R) = ln(−expm1(−z))."""
    z = -math.log(target) * np.exp(math.exp(log_beta) * (np.log(c.t) - log_t))
    with np.errstate(divide="ignore"):
        fail_term = np.log(-np.expm1(-z))
    value = -np.dot(c.passed, z) + np.dot(c.failed, np.where(c.failed > 0, fail_term, 0.0))
    return float(value) if np.isfinite(value) else -math.inf


@dataclass(frozen=True)
class ReliabilityFit:
    """A fitted model: t* (R(t*) = target), β, the maximised log-likelihood and AIC."""

    model: str
    interval: float
    shape: float
    log_likelihood: float
    aic: float


def _bounds(c: _Counts) -> tuple[float, float]:
    logs = np.log(c.t)
    return float(logs.min() - _SPAN), float(logs.max() + _SPAN)


def _profile(c: _Counts, target: float, model: str) -> Callable[[float], float]:
    """ℓ_p(log t*): the exponential's ℓ, or the Weibull's maximised over log β."""
    if model == "exponential":
        return lambda log_t: _loglik(c, target, log_t, 0.0)

    def profiled(log_t: float) -> float:
        res = optimize.minimize_scalar(
            lambda lb: -_loglik(c, target, log_t, lb),
            bounds=_LOG_BETA,
            method="bounded",
            options={"xatol": 1e-9},
        )
        return float(-res.fun)

    return profiled


def fit(history: History, target: float, model: str = "exponential") -> ReliabilityFit:
    """Maximum-likelihood fit of one model; raises when the data hold no events to fit."""
    c = _pool(history)
    if c.failed.sum() == 0:
        raise InvalidInput(
            "history.in_tolerance",
            "no out-of-tolerance results: a reliability model cannot be fitted to a history with no events",
        )
    if c.passed.sum() == 0:
        raise InvalidInput(
            "history.in_tolerance", "no in-tolerance results: the reliability model is degenerate"
        )
    lo, hi = _bounds(c)
    start = float(np.log(np.median(history.interval)))
    exp_fit = optimize.minimize_scalar(
        lambda lt: -_loglik(c, target, lt, 0.0), bounds=(lo, hi), method="bounded", options={"xatol": 1e-10}
    )
    if model == "exponential":
        return ReliabilityFit("exponential", math.exp(exp_fit.x), 1.0, -exp_fit.fun, 2.0 + 2.0 * exp_fit.fun)
    if model != "weibull":
        raise InvalidInput("model", f"unknown reliability model {model!r}; use {', '.join(MODELS)}")
    if c.t.size < 2:
        raise InvalidInput("history.interval", "a Weibull fit needs at least two different interval lengths")
    res = optimize.minimize(
        lambda p: -_loglik(c, target, p[0], p[1]),
        x0=np.array([exp_fit.x if np.isfinite(exp_fit.x) else start, 0.0]),
        method="L-BFGS-B",
        bounds=[(lo, hi), _LOG_BETA],
    )
    log_t, log_beta = float(res.x[0]), float(res.x[1])
    return ReliabilityFit("weibull", math.exp(log_t), math.exp(log_beta), -res.fun, 4.0 + 2.0 * res.fun)


def _crossing(deviance: Callable[[float], float], start: float, end: float, crit: float) -> float | None:
    """The log t* between start and end where the deviance reaches crit (None if it never does)."""
    if deviance(end) < crit:
        return None
    return float(optimize.brentq(lambda s: deviance(s) - crit, start, end, xtol=1e-8))


def likelihood_ratio_bounds(
    history: History, target: float, best: ReliabilityFit, confidence: float = 0.95
) -> tuple[float | None, float | None]:
    """Profile-likelihood confidence bounds on t* (two-sided at ``confidence``)."""
    c = _pool(history)
    profile = _profile(c, target, best.model)
    crit = float(stats.chi2.ppf(confidence, df=1))
    top = best.log_likelihood
    lo, hi = _bounds(c)
    s_hat = math.log(best.interval)

    def deviance(s: float) -> float:
        return 2.0 * (top - profile(s))

    lower = _crossing(deviance, s_hat, lo, crit)
    upper = _crossing(deviance, s_hat, hi, crit)
    return (None if lower is None else math.exp(lower), None if upper is None else math.exp(upper))


def shape_at_bound(fitted: ReliabilityFit) -> bool:
    """True when the Weibull β ended on its search bound: the data do not determine it (too few
    events, or outcomes separated by interval length), so the fit is not an interior maximum."""
    return fitted.model == "weibull" and min(abs(math.log(fitted.shape) - b) for b in _LOG_BETA) < 1e-3


def select(history: History, target: float, model: str = "best") -> ReliabilityFit:
    """Fit the named model, or for ``best`` the one with the lower AIC (exponential on ties, and
    whenever the Weibull shape is not determined by the data)."""
    if model != "best":
        return fit(history, target, model)
    exponential = fit(history, target, "exponential")
    if history.pooled[0].size < 2:
        return exponential
    weibull = fit(history, target, "weibull")
    return weibull if weibull.aic < exponential.aic and not shape_at_bound(weibull) else exponential


def recommend_mle(
    history: History, target: float, *, model: str = "best", confidence: float = 0.95
) -> IntervalRecommendation:
    """The interval where the fitted R(t) meets the target, with likelihood-ratio bounds."""
    target = check_target(target)
    confidence = check_target(confidence, "confidence")
    if model not in MODELS:
        raise InvalidInput("model", f"unknown reliability model {model!r}; use {', '.join(MODELS)}")
    best = select(history, target, model)
    bounds = likelihood_ratio_bounds(history, target, best, confidence)
    return IntervalRecommendation(
        recommended_interval=best.interval,
        unit=history.unit,
        method="mle",
        observed_reliability=history.observed_reliability,
        target_reliability=target,
        confidence_bounds=bounds,
        confidence_level=confidence,
        model=best.model,
        shape=best.shape,
        bounds_method="likelihood ratio (profile likelihood), chi-square with 1 degree of freedom",
        note=f"{best.model}: shape {best.shape:.4g}, log-likelihood {best.log_likelihood:.6g}, AIC {best.aic:.6g}"
        + ("; the shape is at its search bound (not determined by the data)" if shape_at_bound(best) else ""),
    )
