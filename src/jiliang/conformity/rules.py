"""Tolerance intervals, decision rules and acceptance intervals (JCGM 106:2012 clauses 3.3, 8; ILAC-G8:09/2019).

A tolerance interval [TL, TU] may be one-sided: a missing limit is ``None`` and stands for an unbounded
side (JCGM 106 clause 3.3.7, "single tolerance limit"). A decision rule fixes the guard band
w = r·U (U = k·u, the expanded uncertainty) and so the acceptance interval (JCGM 106 clause 8.3):

- ``simple``: w = 0, the acceptance interval is the tolerance interval (clause 8.2, ILAC-G8 4.2.1);
- ``guarded:r``: guarded acceptance, [TL + w, TU − w] (clause 8.3.2, ILAC-G8 4.2.2);
- ``guarded-rejection:r``: guarded rejection, [TL − w, TU + w] (clause 8.3.3);
- ``nonbinary`` (or ``nonbinary:r``, r = 1 by default): the four statements of ILAC-G8:09/2019 4.2.3
  (pass, conditional pass, conditional fail, fail) with w = r·U on both sides of each limit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from jiliang.errors import InvalidInput

FloatArray = npt.NDArray[np.float64]

# Statement codes of the vectorised decision (ILAC-G8:09/2019 4.2.3 order, best first).
PASS, CONDITIONAL_PASS, CONDITIONAL_FAIL, FAIL = 0, 1, 2, 3
NONBINARY_STATEMENTS = ("pass", "conditional pass", "conditional fail", "fail")
BINARY_STATEMENTS = ("accept", "accept", "reject", "reject")

_RULE = re.compile(r"^(simple|guarded|guarded-rejection|nonbinary)(?::([^:]+))?$")


def _finite(value: float, field: str) -> float:
    value = float(value)
    if not math.isfinite(value):
        raise InvalidInput(field, f"must be a finite number, got {value!r}")
    return value


@dataclass(frozen=True)
class Tolerance:
    """A tolerance interval (JCGM 106:2012 3.3.5); ``None`` leaves that side unbounded."""

    lower: float | None = None
    upper: float | None = None

    def __post_init__(self) -> None:
        if self.lower is None and self.upper is None:
            raise InvalidInput("tolerance", "give a lower limit, an upper limit or both")
        if self.lower is not None:
            object.__setattr__(self, "lower", _finite(self.lower, "tolerance.lower"))
        if self.upper is not None:
            object.__setattr__(self, "upper", _finite(self.upper, "tolerance.upper"))
        if self.lower is not None and self.upper is not None and self.lower >= self.upper:
            raise InvalidInput("tolerance.lower", f"TL = {self.lower} must be below TU = {self.upper}")

    @property
    def lo(self) -> float:
        return -math.inf if self.lower is None else self.lower

    @property
    def hi(self) -> float:
        return math.inf if self.upper is None else self.upper

    @property
    def two_sided(self) -> bool:
        return self.lower is not None and self.upper is not None

    @property
    def width(self) -> float:
        return self.hi - self.lo


@dataclass(frozen=True)
class DecisionRule:
    """A named decision rule; ``factor`` is r in w = r·U (0 for simple acceptance)."""

    kind: str
    factor: float = 0.0

    @property
    def name(self) -> str:
        return self.kind if self.kind == "simple" else f"{self.kind}:{self.factor:g}"

    @property
    def binary(self) -> bool:
        return self.kind != "nonbinary"

    def guard_band(self, expanded_uncertainty: float | FloatArray) -> float | FloatArray:
        """w = r·U; guarded rejection widens the acceptance interval, so its w counts negative."""
        sign = -1.0 if self.kind == "guarded-rejection" else 1.0
        return sign * self.factor * expanded_uncertainty


def parse_rule(text: str) -> DecisionRule:
    """Parse ``simple``, ``guarded:R``, ``guarded-rejection:R``, ``nonbinary[:R]`` (ILAC-G8 4.2)."""
    match = _RULE.match(text.strip().lower())
    if not match:
        raise InvalidInput(
            "rule", f"unknown decision rule {text!r}; use simple, guarded:R, guarded-rejection:R or nonbinary"
        )
    kind, raw = match.group(1), match.group(2)
    if kind == "simple":
        if raw is not None:
            raise InvalidInput("rule", "simple acceptance takes no factor (w = 0)")
        return DecisionRule("simple")
    if raw is None:
        if kind != "nonbinary":
            raise InvalidInput("rule", f"{kind} needs a factor r in w = r·U, e.g. {kind}:1")
        raw = "1"
    try:
        factor = float(raw)
    except ValueError:
        raise InvalidInput("rule", f"the factor r in w = r·U must be a number, got {raw!r}") from None
    if not math.isfinite(factor) or factor < 0:
        raise InvalidInput("rule", f"the factor r in w = r·U must be finite and >= 0, got {raw}")
    return DecisionRule(kind, factor)


def acceptance_interval(tolerance: Tolerance, guard_band: float) -> tuple[float, float]:
    """[TL + w, TU − w] (JCGM 106:2012 8.3.2; a negative w gives guarded rejection, 8.3.3)."""
    lower, upper = tolerance.lo + guard_band, tolerance.hi - guard_band
    if lower > upper:
        raise InvalidInput(
            "guard_band", f"w = {guard_band:g} leaves no acceptance interval: 2w exceeds TU − TL"
        )
    return lower, upper


def statements(
    values: FloatArray, tolerance: Tolerance, rule: DecisionRule, expanded_uncertainty: FloatArray
) -> npt.NDArray[np.int8]:
    """Statement codes (PASS .. FAIL) for measured values, as array operations.

    Binary rules give PASS (accept) inside the closed acceptance interval and FAIL outside it.
    ``nonbinary`` follows ILAC-G8:09/2019 4.2.3: pass inside [TL + w, TU − w], conditional pass
    in the rest of the tolerance interval, conditional fail within w outside it, fail beyond.
    """
    y = np.asarray(values, dtype=float)
    w = np.asarray(rule.guard_band(np.asarray(expanded_uncertainty, dtype=float)), dtype=float)
    inside = (y >= tolerance.lo + w) & (y <= tolerance.hi - w)
    if rule.binary:
        return np.where(inside, PASS, FAIL).astype(np.int8)
    in_tolerance = (y >= tolerance.lo) & (y <= tolerance.hi)
    near = (y >= tolerance.lo - w) & (y <= tolerance.hi + w)
    out = np.full(y.shape, FAIL, dtype=np.int8)
    out[near] = CONDITIONAL_FAIL
    out[in_tolerance] = CONDITIONAL_PASS
    out[inside] = PASS
    return out


def accepted(codes: npt.NDArray[np.int8]) -> npt.NDArray[np.bool_]:
    """Pass and conditional pass are acceptances; conditional fail and fail are rejections."""
    return np.asarray(codes) <= CONDITIONAL_PASS


def statement_name(code: int, rule: DecisionRule) -> str:
    return (BINARY_STATEMENTS if rule.binary else NONBINARY_STATEMENTS)[int(code)]
