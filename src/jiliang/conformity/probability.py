"""Probability of conformity and the specific risks of one decision (JCGM 106:2012 clauses 7 and 9.3).

For a normal PDF of the measurand with expectation y and standard deviation u the probability of
conformity is p_c = Φ((TU − y)/u) − Φ((TL − y)/u) (JCGM 106 7.3 for a single tolerance limit, where
the missing limit contributes 1 or 0; 7.4 for two limits). For a Monte Carlo sample from the uncertainty engine, p_c is the fraction of
draws inside the tolerance interval (JCGM 106 7.2 with the PDF represented by the draws, JCGM 101 7.5).

Specific risks (JCGM 106 9.3), as the decision makes them concrete: the consumer's risk of an accepted
item is 1 − p_c (it may not conform), the producer's risk of a rejected item is p_c (it may conform);
the other one is zero because the decision cannot err that way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.special import ndtr

from jiliang.conformity.rules import (
    DecisionRule,
    FloatArray,
    Tolerance,
    acceptance_interval,
    accepted,
    statement_name,
    statements,
)
from jiliang.errors import InvalidInput


def _positive(value: float, field: str) -> float:
    value = float(value)
    if not math.isfinite(value) or value <= 0:
        raise InvalidInput(field, f"must be a finite number > 0, got {value!r}")
    return value


def probability_of_conformity(
    values: float | FloatArray, std_uncertainties: float | FloatArray, tolerance: Tolerance
) -> FloatArray:
    """p_c for normal PDFs N(y, u²), element-wise (JCGM 106:2012 7.3, 7.4); u must be > 0."""
    y = np.asarray(values, dtype=float)
    u = np.asarray(std_uncertainties, dtype=float)
    if np.any(~(u > 0)):
        raise InvalidInput("uncertainty", "standard uncertainties must be > 0")
    upper = ndtr((tolerance.hi - y) / u)
    lower = ndtr((tolerance.lo - y) / u)
    return np.asarray(upper - lower, dtype=float)


def probability_of_conformity_sample(draws: FloatArray, tolerance: Tolerance) -> float:
    """p_c as the fraction of Monte Carlo draws of the output inside the tolerance interval."""
    sample = np.asarray(draws, dtype=float).ravel()
    if sample.size < 2 or not np.all(np.isfinite(sample)):
        raise InvalidInput("draws", "need at least two finite Monte Carlo draws")
    return float(np.mean((sample >= tolerance.lo) & (sample <= tolerance.hi)))


@dataclass(frozen=True)
class ConformityDecision:
    """One conformity decision and its specific risks (JCGM 106:2012 8, 9.3; ILAC-G8:09/2019 4.2)."""

    measured_value: float
    standard_uncertainty: float
    coverage_factor: float
    rule: str
    tolerance: Tolerance
    acceptance_limits: tuple[float, float]
    probability_of_conformity: float
    decision: str
    accepted: bool
    consumer_risk: float
    producer_risk: float

    @property
    def expanded_uncertainty(self) -> float:
        return self.coverage_factor * self.standard_uncertainty

    def as_dict(self) -> dict[str, object]:
        """The public JSON contract of ``jiliang conformity check`` (issue 4, item 4)."""
        return {
            "probability_of_conformity": self.probability_of_conformity,
            "decision": self.decision,
            "acceptance_limits": list(self.acceptance_limits),
            "consumer_risk": self.consumer_risk,
            "producer_risk": self.producer_risk,
        }


def _decide(
    value: float, u: float, k: float, p_c: float, tolerance: Tolerance, rule: DecisionRule
) -> ConformityDecision:
    expanded = k * u
    limits = acceptance_interval(tolerance, float(rule.guard_band(expanded)))
    code = int(statements(np.array([value]), tolerance, rule, np.array([expanded]))[0])
    ok = bool(accepted(np.array([code]))[0])
    return ConformityDecision(
        measured_value=value,
        standard_uncertainty=u,
        coverage_factor=k,
        rule=rule.name,
        tolerance=tolerance,
        acceptance_limits=limits,
        probability_of_conformity=p_c,
        decision=statement_name(code, rule),
        accepted=ok,
        consumer_risk=1.0 - p_c if ok else 0.0,
        producer_risk=0.0 if ok else p_c,
    )


def check(
    value: float,
    standard_uncertainty: float,
    tolerance: Tolerance,
    rule: DecisionRule,
    *,
    coverage_factor: float = 2.0,
) -> ConformityDecision:
    """Decide conformity of y ± u with a normal PDF (JCGM 106:2012 7.3, 7.4, 8, 9.3)."""
    y = float(value)
    if not math.isfinite(y):
        raise InvalidInput("value", f"must be a finite number, got {value!r}")
    u = _positive(standard_uncertainty, "uncertainty")
    k = _positive(coverage_factor, "coverage_factor")
    p_c = float(probability_of_conformity(y, u, tolerance))
    return _decide(y, u, k, p_c, tolerance, rule)


def check_sample(
    draws: FloatArray, tolerance: Tolerance, rule: DecisionRule, *, coverage_factor: float = 2.0
) -> ConformityDecision:
    """Decide conformity from Monte Carlo draws: y is their mean, u their standard deviation,
    and p_c the fraction of draws inside the tolerance interval (JCGM 106:2012 7.2, 9.3)."""
    sample = np.asarray(draws, dtype=float).ravel()
    p_c = probability_of_conformity_sample(sample, tolerance)
    u = float(np.std(sample, ddof=1))
    if u <= 0:
        raise InvalidInput("draws", "the Monte Carlo draws have no spread (u = 0)")
    k = _positive(coverage_factor, "coverage_factor")
    return _decide(float(np.mean(sample)), u, k, p_c, tolerance, rule)


@dataclass(frozen=True)
class Decisions:
    """Many decisions at once: statement codes, p_c and specific risks as arrays."""

    codes: npt.NDArray[np.int8]
    accepted: npt.NDArray[np.bool_]
    probability_of_conformity: FloatArray
    consumer_risk: FloatArray
    producer_risk: FloatArray


def decide_many(
    values: FloatArray,
    std_uncertainties: FloatArray,
    tolerance: Tolerance,
    rule: DecisionRule,
    *,
    coverage_factor: float = 2.0,
) -> Decisions:
    """Vectorised :func:`check` over arrays of measured values and standard uncertainties."""
    y = np.asarray(values, dtype=float)
    u = np.broadcast_to(np.asarray(std_uncertainties, dtype=float), y.shape)
    k = _positive(coverage_factor, "coverage_factor")
    p_c = probability_of_conformity(y, u, tolerance)
    codes = statements(y, tolerance, rule, k * u)
    ok = accepted(codes)
    return Decisions(
        codes=codes,
        accepted=ok,
        probability_of_conformity=p_c,
        consumer_risk=np.where(ok, 1.0 - p_c, 0.0),
        producer_risk=np.where(ok, 0.0, p_c),
    )
