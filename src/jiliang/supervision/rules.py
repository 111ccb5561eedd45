"""Lot decisions for state-based extension, per jurisdiction, through :mod:`jiliang.sampling`.

Three rules (research notes, sections 1.1 and 1.3):

* ``lq`` - ISO 2859-2 / GB/T 2828.2 plan for isolated lots indexed by limiting quality, as in
  Shanghai's JJF(沪)57-2018: a passing lot gains half a cycle (4 years on 8);
* ``variables`` - ISO 3951-1 s-method on one characteristic (the error at a named test point)
  against the in-service limits -MPE..+MPE;
* ``conformity`` - § 35 Nr. 1 MessEV: at least 95 % of the lot conforms, shown at 95 % confidence
  (hypergeometric plan for the finite lot).

A meter is nonconforming when any test point exceeds its in-service MPE. The plan depends only on
the lot size and the rule, so it is fixed before the sample is drawn (AT: the plan may not change
during testing).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from jiliang.errors import InvalidInput
from jiliang.sampling import (
    conformity_demonstration_plan,
    design_s_method,
    lq_plan,
    lq_report,
    lq_sample_sizes,
    s_method_decision,
)
from jiliang.sampling.iso2859_2 import COMPUTED_SOURCE as LQ_BASIS

LQ_BASIS_FIELDS = ("basis", "consumer_risk", "table_version", "unused_table_cell")

KINDS = ("lq", "variables", "conformity")


@dataclass(frozen=True)
class ExtensionRule:
    """A jurisdiction's rule: how to sample, how to decide, how many years a pass gains."""

    kind: str = "lq"
    extension_years: int = 4
    # lq
    limiting_quality: float = 5.0
    consumer_risk: float = 0.10
    acceptance_number: int = 0
    # conformity
    conforming_fraction: float = 0.95
    confidence: float = 0.95
    # variables (one-sided design, both limits checked): p1 at alpha, p2 at beta
    producer_quality: float = 0.01
    producer_risk: float = 0.05
    consumer_quality: float = 0.05
    test_point: str = ""
    params: dict[str, Any] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise InvalidInput("rule.kind", f"unknown rule {self.kind!r}; use {', '.join(KINDS)}")
        if not 1 <= self.extension_years <= 20:
            raise InvalidInput("rule.extension_years", f"{self.extension_years} must lie between 1 and 20")
        if self.kind == "variables" and not self.test_point:
            raise InvalidInput("rule.test_point", "the variables rule needs the test point it judges")

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> ExtensionRule:
        data = dict(data or {})
        unknown = sorted(set(data) - set(cls.__dataclass_fields__) - {"params"})
        if unknown:
            raise InvalidInput(f"rule.{unknown[0]}", "no such rule setting")
        return cls(**data)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("params")
        return data


@dataclass(frozen=True)
class Plan:
    kind: str
    lot_size: int
    sample_size: int
    acceptance_number: int | None
    acceptability_constant: float | None
    basis: str  # where the plan comes from, in English (the CLI and the API)
    # the same as data, for a page to word it in its language: the LQ plan's fields of
    # jiliang.sampling.lq_report (basis, consumer_risk, table_version, unused_table_cell), the
    # conformity plan's model, conforming_fraction and confidence, or the variables plan's design
    # (producer_quality, producer_risk, consumer_quality, consumer_risk). None in a plan stored
    # before 2026-11-27 (its page shows ``basis`` as stored).
    basis_data: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Decision:
    accepted: bool
    extension_years: int  # 0 when the lot must be rotated
    sample_size: int
    nonconforming: int
    detail: dict[str, Any]

    @property
    def outcome(self) -> str:
        return "extend" if self.accepted else "rotate"


def plan_for(rule: ExtensionRule, lot_size: int) -> Plan:
    """The sampling plan of ``rule`` for a lot of ``lot_size`` meters."""
    if lot_size < 2:
        raise InvalidInput("lot_size", f"{lot_size} is too small for a sample")
    if rule.kind == "lq":
        p = lq_plan(
            lot_size,
            rule.limiting_quality,
            acceptance_number=rule.acceptance_number,
            consumer_risk=rule.consumer_risk,
        )
        report = lq_report(p)
        data = {key: report[key] for key in LQ_BASIS_FIELDS}
        return Plan("lq", lot_size, p.sample_size, p.acceptance_number, None, p.source, data)
    if rule.kind == "conformity":
        c = conformity_demonstration_plan(
            rule.conforming_fraction, rule.confidence, rule.acceptance_number, lot_size
        )
        basis = f"{c.model}: >= {c.conforming_fraction:.0%} conforming at {c.confidence:.0%} confidence"
        data = {"model": c.model, "conforming_fraction": c.conforming_fraction, "confidence": c.confidence}
        return Plan("conformity", lot_size, c.sample_size, c.acceptance_number, None, basis, data)
    v = design_s_method(rule.producer_quality, rule.consumer_quality, rule.producer_risk, rule.consumer_risk)
    if v.sample_size > lot_size:
        raise InvalidInput(
            "lot_size", f"the variables plan needs {v.sample_size} meters; the lot has {lot_size}"
        )
    basis = f"ISO 3951-1 s-method, designed: Pa({v.producer_quality})>=1-{v.producer_risk}, Pa({v.consumer_quality})<={v.consumer_risk}"
    data = {
        "producer_quality": v.producer_quality,
        "producer_risk": v.producer_risk,
        "consumer_quality": v.consumer_quality,
        "consumer_risk": v.consumer_risk,
    }
    return Plan("variables", lot_size, v.sample_size, None, v.acceptability_constant, basis, data)


def plans_for(rule: ExtensionRule, lot_sizes: list[int]) -> dict[int, Plan]:
    """:func:`plan_for` of each distinct lot size (vectorised for the LQ rule)."""
    sizes = sorted(set(lot_sizes))
    if rule.kind != "lq" or not sizes or sizes[0] < 2:
        return {n: plan_for(rule, n) for n in sizes}
    n = lq_sample_sizes(
        np.array(sizes),
        rule.limiting_quality,
        acceptance_number=rule.acceptance_number,
        consumer_risk=rule.consumer_risk,
    )
    data = {"basis": "computed", "consumer_risk": float(rule.consumer_risk), "table_version": None,
            "unused_table_cell": None}  # fmt: skip
    return {
        size: Plan("lq", size, int(k), rule.acceptance_number, None, LQ_BASIS, dict(data))
        for size, k in zip(sizes, n.tolist(), strict=True)
    }


def decide(
    rule: ExtensionRule,
    plan: Plan,
    meter_nonconforming: ArrayLike,
    characteristic: ArrayLike | None = None,
    mpe: float | None = None,
) -> Decision:
    """Decide the lot from the sample: one nonconformity flag per sample meter and, for the
    variables rule, the measured error at ``rule.test_point`` with its in-service ``mpe``."""
    flags = np.asarray(meter_nonconforming, dtype=bool)
    if flags.size != plan.sample_size:
        raise InvalidInput("results", f"needs {plan.sample_size} sample meters, got {flags.size}")
    d = int(flags.sum())
    if plan.kind == "variables":
        if characteristic is None or mpe is None or mpe <= 0:
            raise InvalidInput(
                "results", f"the variables rule needs every error at {rule.test_point!r} and its MPE"
            )
        assert plan.acceptability_constant is not None
        v = s_method_decision(characteristic, plan.acceptability_constant, lower=-mpe, upper=mpe)
        detail = {
            "mean": v.mean,
            "standard_deviation": v.standard_deviation,
            "q_upper": v.upper_quality_statistic,
            "q_lower": v.lower_quality_statistic,
            "k": v.acceptability_constant,
        }
        accepted = v.accepted
    else:
        assert plan.acceptance_number is not None
        accepted = d <= plan.acceptance_number
        detail = {"acceptance_number": plan.acceptance_number}
    return Decision(accepted, rule.extension_years if accepted else 0, plan.sample_size, d, detail)
