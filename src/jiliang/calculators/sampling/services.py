"""The use cases behind the sampling pages, the REST endpoints (and the CLI's core calls).

Each function takes plain values, calls the pure core and returns a JSON-ready dict; views and API
views both call these, so the web and the API always agree.
"""

from __future__ import annotations

from typing import Any

from jiliang.errors import InvalidInput
from jiliang.sampling import (
    conformity_demonstration_plan,
    design_s_method,
    design_sigma_method,
    lot_decisions,
    lq_plan,
    lq_report,
    oc_curve,
    oc_svg,
    run_series,
    s_method_decision,
    sigma_method_decision,
    single_plan,
)
from jiliang.sampling.variables import METHODS, decision_report


def plan(lot_size: int, aql: float, level: str = "II", inspection: str = "normal") -> dict[str, Any]:
    p = single_plan(lot_size, aql, level, inspection)
    return {
        "code_letter": p.code_letter,
        "plan_code_letter": p.plan_code_letter,
        "sample_size": p.sample_size,
        "acceptance_number": p.acceptance_number,
        "rejection_number": p.rejection_number,
        "inspect_all": p.inspect_all,
        "table": p.table,
        "standard": p.standard,
    }


def lq(
    lot_size: int, lq: float, acceptance_number: int | None = None, consumer_risk: float | None = None
) -> dict[str, Any]:
    return lq_report(lq_plan(lot_size, lq, acceptance_number=acceptance_number, consumer_risk=consumer_risk))


def oc(
    sample_size: int,
    acceptance_number: int,
    lot_size: int | None = None,
    points: int = 51,
    title: str = "",
    nonconformities: bool = False,
) -> dict[str, Any]:
    curve = oc_curve(sample_size, acceptance_number, lot_size, points=points, nonconformities=nonconformities)
    return {
        "model": curve.model,
        "fraction_nonconforming": list(curve.fraction_nonconforming),
        "probability_of_acceptance": list(curve.probability_of_acceptance),
        "svg": oc_svg(curve, title=title),
    }


def zero_acceptance(
    conforming: float, confidence: float, acceptance_number: int = 0, lot_size: int | None = None
) -> dict[str, Any]:
    p = conformity_demonstration_plan(conforming, confidence, acceptance_number, lot_size)
    return {
        "sample_size": p.sample_size,
        "acceptance_number": p.acceptance_number,
        "model": p.model,
        "limiting_nonconforming": p.limiting_nonconforming,
        "probability_of_acceptance_at_limit": p.probability_of_acceptance_at_limit,
        "inspect_all": p.inspect_all,
    }


def variables_plan(
    producer_quality: float,
    consumer_quality: float,
    producer_risk: float = 0.05,
    consumer_risk: float = 0.10,
    method: str = "s",
) -> dict[str, Any]:
    if method not in METHODS:
        raise InvalidInput("method", f"{method!r} is not one of {', '.join(METHODS)}")
    design = design_sigma_method if method == "sigma" else design_s_method
    p = design(producer_quality, consumer_quality, producer_risk, consumer_risk)
    return {
        "method": method,
        "sample_size": p.sample_size,
        "acceptability_constant": p.acceptability_constant,
        "probability_of_acceptance_at_producer_quality": p.probability_of_acceptance_at_producer_quality,
        "probability_of_acceptance_at_consumer_quality": p.probability_of_acceptance_at_consumer_quality,
    }


def variables_check(
    values: list[float],
    k: float | None,
    lower: float | None = None,
    upper: float | None = None,
    control: str = "separate",
    sigma: float | None = None,
    k_upper: float | None = None,
    k_lower: float | None = None,
) -> dict[str, Any]:
    limits = {"lower": lower, "upper": upper, "control": control, "k_upper": k_upper, "k_lower": k_lower}
    if sigma is None:
        d = s_method_decision(values, k, **limits)  # type: ignore[arg-type]
    else:
        d = sigma_method_decision(values, sigma, k, **limits)  # type: ignore[arg-type]
    return decision_report(d)


def switching(
    lots: list[tuple[int, int]],
    aql: float,
    level: str = "II",
    production_steady: bool = True,
    authority_approves_reduced: bool = False,
) -> dict[str, Any]:
    state, records = run_series(
        lots,
        aql,
        level,
        production_steady=production_steady,
        authority_approves_reduced=authority_approves_reduced,
    )
    return {
        "final_inspection": state.inspection,
        "switching_score": state.switching_score,
        "lots": [dict(r.__dict__) for r in records],
    }


def decide_lots(
    lot_sizes: list[int],
    nonconforming: list[int],
    aql: float | list[float],
    level: str = "II",
    inspection: str = "normal",
) -> dict[str, Any]:
    d = lot_decisions(lot_sizes, nonconforming, aql, level, inspection)
    return {
        "sample_size": d.sample_size.tolist(),
        "acceptance_number": d.acceptance_number.tolist(),
        "inspect_all": d.inspect_all.tolist(),
        "accepted": d.accepted.tolist(),
    }
