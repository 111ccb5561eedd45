"""Acceptance sampling (ISO 2859-1, ISO 2859-2, ISO 3951-1): pure functions over versioned tables.

- :mod:`.iso2859_1` - code letters and single sampling plans (normal, tightened, reduced);
- :mod:`.switching` - the switching rules as a state machine over a series of lots;
- :mod:`.lots` - many lot decisions at once (numpy arrays);
- :mod:`.iso2859_2` - plans for isolated lots indexed by limiting quality;
- :mod:`.variables` - ISO 3951-1 s-method and sigma-method, form k, one AQL or one per limit;
- :mod:`.planner` - "at least X conforms with confidence gamma" (binomial, hypergeometric);
- :mod:`.oc` - operating-characteristic curves, as numbers and as SVG.
"""

from jiliang.sampling.iso2859_1 import SamplingPlan, code_letter, single_plan
from jiliang.sampling.iso2859_2 import LQPlan, lq_plan, lq_report, lq_sample_sizes
from jiliang.sampling.lots import LotDecisions, lot_decisions
from jiliang.sampling.oc import OCCurve, oc_curve, oc_svg, probability_of_acceptance
from jiliang.sampling.planner import ConformityDemonstrationPlan, conformity_demonstration_plan
from jiliang.sampling.switching import LotRecord, SwitchingState, next_lot, resume, run_series
from jiliang.sampling.variables import (
    VariablesDecision,
    VariablesPlan,
    design_s_method,
    design_sigma_method,
    estimated_fraction_nonconforming,
    maximum_allowable_fraction,
    s_method_decision,
    s_method_oc,
    sigma_method_decision,
    sigma_method_oc,
)

__all__ = [
    "ConformityDemonstrationPlan",
    "LQPlan",
    "LotDecisions",
    "LotRecord",
    "OCCurve",
    "SamplingPlan",
    "SwitchingState",
    "VariablesDecision",
    "VariablesPlan",
    "code_letter",
    "conformity_demonstration_plan",
    "design_s_method",
    "design_sigma_method",
    "estimated_fraction_nonconforming",
    "lot_decisions",
    "lq_plan",
    "lq_report",
    "lq_sample_sizes",
    "maximum_allowable_fraction",
    "next_lot",
    "oc_curve",
    "oc_svg",
    "probability_of_acceptance",
    "resume",
    "run_series",
    "s_method_decision",
    "s_method_oc",
    "sigma_method_decision",
    "sigma_method_oc",
    "single_plan",
]
