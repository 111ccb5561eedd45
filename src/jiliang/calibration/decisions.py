"""Conformity statements of measurement points, computed by :mod:`jiliang.conformity`.

The quantity judged is the error of indication e = measured − nominal against the tolerance
[lower, upper] on the error (for a verification, ± the MPE of the specification), with the
standard uncertainty u = U/k and the record's decision rule (JCGM 106:2012 8; ILAC-G8:09/2019 4.2).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jiliang import conformity
from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class Point:
    """The numbers of one measurement point, as floats in the point's unit."""

    nominal: float
    measured: float
    expanded_uncertainty: float
    coverage_factor: float
    lower: float | None
    upper: float | None

    @property
    def error(self) -> float:
        return self.measured - self.nominal


def decide(point: Point, rule: str, *, correction: float = 0.0, extra_u: float = 0.0) -> tuple[str, bool]:
    """The statement and acceptance of ``point``; ``correction`` is added to the error and
    ``extra_u`` (a standard uncertainty) is combined in quadrature (GUM 5.1.2, uncorrelated)."""
    if point.lower is None and point.upper is None:
        raise InvalidInput("tolerance", "a conformity statement needs a tolerance limit")
    u = math.hypot(point.expanded_uncertainty / point.coverage_factor, extra_u)
    decision = conformity.check(
        point.error + correction,
        u,
        conformity.Tolerance(point.lower, point.upper),
        conformity.parse_rule(rule),
        coverage_factor=point.coverage_factor,
    )
    return decision.decision, decision.accepted
