"""Conformity decisions with measurement uncertainty (JCGM 106:2012, ILAC-G8:09/2019).

Pure core: values in, frozen dataclasses out; arrays in, arrays out for many decisions at once.
"""

from jiliang.conformity.probability import (
    ConformityDecision,
    Decisions,
    check,
    check_sample,
    decide_many,
    probability_of_conformity,
    probability_of_conformity_sample,
)
from jiliang.conformity.risk import (
    GlobalRisk,
    Prior,
    assess_risk,
    global_risks,
    guard_band_for_consumer_risk,
    measurement_capability_index,
    process_prior,
    test_uncertainty_ratio,
)
from jiliang.conformity.rules import DecisionRule, Tolerance, acceptance_interval, parse_rule, statements

__all__ = [
    "ConformityDecision",
    "DecisionRule",
    "Decisions",
    "GlobalRisk",
    "Prior",
    "Tolerance",
    "acceptance_interval",
    "assess_risk",
    "check",
    "check_sample",
    "decide_many",
    "global_risks",
    "guard_band_for_consumer_risk",
    "measurement_capability_index",
    "parse_rule",
    "probability_of_conformity",
    "probability_of_conformity_sample",
    "process_prior",
    "statements",
    "test_uncertainty_ratio",
]
