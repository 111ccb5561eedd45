"""Use cases of the conformity calculators; the web pages and the REST API both call these.

They translate plain values into core calls and draw the risk picture; every rule lives in
:mod:`jiliang.conformity`.
"""

from __future__ import annotations

from typing import Any

from jiliang.calculators.conformity.svg import risk_picture
from jiliang.conformity import (
    ConformityDecision,
    GlobalRisk,
    Tolerance,
    assess_risk,
    check,
    parse_rule,
    process_prior,
)


def check_conformity(
    *,
    value: float,
    uncertainty: float,
    lower: float | None = None,
    upper: float | None = None,
    rule: str = "simple",
    coverage_factor: float = 2.0,
) -> ConformityDecision:
    """``jiliang conformity check``: one decision with its specific risks (JCGM 106 9.3)."""
    return check(
        value, uncertainty, Tolerance(lower, upper), parse_rule(rule), coverage_factor=coverage_factor
    )


def global_risk(
    *,
    process_mean: float,
    process_std: float,
    measurement_std: float,
    lower: float | None = None,
    upper: float | None = None,
    process_distribution: str = "normal",
    guard_band: float | None = None,
    target_consumer_risk: float | None = None,
    coverage_factor: float = 2.0,
) -> GlobalRisk:
    """``jiliang conformity risk``: global risks over a process (JCGM 106 9.5)."""
    return assess_risk(
        process_mean=process_mean,
        process_std=process_std,
        measurement_std=measurement_std,
        tolerance=Tolerance(lower, upper),
        process_distribution=process_distribution,
        guard_band=guard_band,
        target_consumer_risk=target_consumer_risk,
        coverage_factor=coverage_factor,
    )


def check_picture(decision: ConformityDecision, labels: dict[str, str]) -> str:
    """The measurement PDF N(y, u²) over the tolerance and acceptance limits, as inline SVG."""
    from scipy import stats

    pdf = stats.norm(decision.measured_value, decision.standard_uncertainty)
    return risk_picture(
        pdf, decision.tolerance, decision.acceptance_limits, labels, marker=decision.measured_value
    )


def risk_picture_for(result: GlobalRisk, data: dict[str, Any], labels: dict[str, str]) -> str:
    """The process PDF g0 over the tolerance and acceptance limits, as inline SVG."""
    prior = process_prior(
        data["process_mean"], data["process_std"], data.get("process_distribution", "normal")
    )
    tolerance = Tolerance(data.get("lower"), data.get("upper"))
    return risk_picture(prior.dist, tolerance, result.acceptance_limits, labels)
