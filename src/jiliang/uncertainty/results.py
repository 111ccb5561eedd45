"""Frozen results of the GUM and Monte Carlo methods, and their public JSON shape.

``Evaluation.to_dict()`` builds the JSON contract of ``docs/uncertainty.md`` (key names are
public); numbers are never rounded here (GUM 7.2.6 rounding lives in ``report``). An infinite
effective number of degrees of freedom is written as ``None`` (JSON ``null``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class BudgetRow:
    """One line of the uncertainty budget (GUM 5.1.3, 8; units: the input's and the output's)."""

    input: str
    unit: str
    distribution: str
    estimate: float
    standard_uncertainty: float
    sensitivity_coefficient: float
    contribution: float  # c_i · u(x_i), in the output unit
    percent: float
    dof: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "input": self.input,
            "estimate": self.estimate,
            "standard_uncertainty": self.standard_uncertainty,
            "sensitivity_coefficient": self.sensitivity_coefficient,
            "contribution": self.contribution,
            "percent": self.percent,
            "dof": _finite(self.dof),
        }


@dataclass(frozen=True)
class GumResult:
    """The law of propagation of uncertainty for one output (GUM 5, 6, G)."""

    estimate: float
    standard_uncertainty: float
    effective_dof: float
    coverage_factor: float
    expanded_uncertainty: float
    coverage_interval: tuple[float, float]
    coverage_probability: float
    budget: tuple[BudgetRow, ...]
    first_order_uncertainty: float
    second_order: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {
            "estimate": self.estimate,
            "standard_uncertainty": self.standard_uncertainty,
            "effective_dof": _finite(self.effective_dof),
            "coverage_factor": self.coverage_factor,
            "expanded_uncertainty": self.expanded_uncertainty,
            "coverage_interval": list(self.coverage_interval),
            "budget": [row.to_dict() for row in self.budget],
        }
        if self.second_order:
            out["second_order"] = True
            out["first_order_standard_uncertainty"] = self.first_order_uncertainty
        return out


@dataclass(frozen=True)
class Histogram:
    counts: tuple[int, ...]
    edges: tuple[float, ...]


@dataclass(frozen=True)
class MonteCarloResult:
    """The propagation of distributions for one output (JCGM 101 7)."""

    estimate: float
    standard_uncertainty: float
    coverage_interval: tuple[float, float]
    shortest_coverage_interval: tuple[float, float]
    coverage_probability: float
    trials: int
    seed: int | None
    histogram: Histogram
    adaptive: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "standard_uncertainty": self.standard_uncertainty,
            "coverage_interval": list(self.coverage_interval),
            "shortest_coverage_interval": list(self.shortest_coverage_interval),
            "trials": self.trials,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class Validation:
    """JCGM 101 clause 8: is the GUM interval validated by Monte Carlo at tolerance δ?"""

    passed: bool
    d_low: float
    d_high: float
    tolerance: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "d_low": self.d_low,
            "d_high": self.d_high,
            "tolerance": self.tolerance,
        }


@dataclass(frozen=True)
class OutputResult:
    name: str
    unit: str
    gum: GumResult | None
    mc: MonteCarloResult | None
    validation: Validation | None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"unit": self.unit}
        if self.gum:
            out["gum"] = self.gum.to_dict()
        if self.mc:
            out["mc"] = self.mc.to_dict()
        if self.validation:
            out["validation"] = self.validation.to_dict()
        return out


@dataclass(frozen=True)
class Evaluation:
    """Every output of one model, with the correlations between outputs (GUM H.2; JCGM 102)."""

    title: str
    outputs: tuple[OutputResult, ...]
    output_correlations: tuple[tuple[str, str, float], ...] = ()
    mc_output_correlations: tuple[tuple[str, str, float], ...] = ()

    def output(self, name: str) -> OutputResult:
        return next(o for o in self.outputs if o.name == name)

    def to_dict(self) -> dict[str, Any]:
        return {
            "outputs": {o.name: o.to_dict() for o in self.outputs},
            "output_correlations": [list(c) for c in self.output_correlations],
            "mc_output_correlations": [list(c) for c in self.mc_output_correlations],
        }
