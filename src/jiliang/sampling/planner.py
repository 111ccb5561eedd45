"""Sample sizes for "at least X of the lot conforms, with confidence gamma" (c = 0 or c > 0).

The plan (n, c) demonstrates the claim when a lot that just fails it is accepted with probability
at most 1 - gamma. Binomial model (process or very large lot): a failing process has a fraction
nonconforming p = 1 - X, and n is the smallest with P(Bin(n, p) <= c) <= 1 - gamma; for c = 0 this
is the success-run relation n = ln(1 - gamma) / ln(X). Hypergeometric model (finite lot of N): the
least bad failing lot has D = floor(N (1 - X)) + 1 nonconforming items and n is the smallest with
P(Hypergeometric(N, D, n) <= c) <= 1 - gamma. Pa falls with D, so every worse lot is covered too.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from scipy import stats

from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class ConformityDemonstrationPlan:
    sample_size: int
    acceptance_number: int
    conforming_fraction: float
    confidence: float
    lot_size: int | None
    model: str
    limiting_nonconforming: float  # p (binomial) or D items (hypergeometric) of the least bad failing lot
    probability_of_acceptance_at_limit: float  # the achieved consumer's risk, <= 1 - confidence
    inspect_all: bool


def _check(conforming_fraction: float, confidence: float, acceptance_number: int) -> None:
    if not 0 < conforming_fraction < 1:
        raise InvalidInput("conforming_fraction", f"{conforming_fraction} must lie strictly between 0 and 1")
    if not 0 < confidence < 1:
        raise InvalidInput("confidence", f"{confidence} must lie strictly between 0 and 1")
    if int(acceptance_number) != acceptance_number or acceptance_number < 0:
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")


def _smallest(
    pa: Callable[[NDArray[np.int64]], NDArray[np.float64]], low: int, high: int, risk: float
) -> int:
    """Smallest n in [low, high] with pa(n) <= risk, given pa(high) <= risk and pa falling with n.

    A 64-way search: each round evaluates pa at up to 65 sample sizes in one vectorised call.
    """
    while low < high:
        grid = np.unique(np.linspace(low, high, 65).astype(np.int64))
        first = int(np.argmax(pa(grid) <= risk))  # grid[-1] == high always qualifies
        high = int(grid[first])
        low = int(grid[first - 1]) + 1 if first > 0 else low
    return low


def _binomial(x: float, gamma: float, c: int) -> ConformityDemonstrationPlan:
    p, risk = 1.0 - x, 1.0 - gamma

    def pa(n: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.asarray(stats.binom.cdf(c, n, p), dtype=float)

    # Success-run start (exact for c = 0), then doubling until the risk is met.
    start = max(c + 1, math.ceil(math.log(risk) / math.log(x)))
    candidates = start * 2 ** np.arange(0, 40, dtype=np.int64)
    candidates = candidates[candidates <= 10**12]
    meets = pa(candidates) <= risk
    if not meets.any():
        raise InvalidInput("conforming_fraction", "needs a sample of more than 10^12 items")
    i = int(np.argmax(meets))
    if i == 0 and (start == c + 1 or pa(np.array([start - 1]))[0] > risk):
        n = start  # the success-run start is already the smallest (always so for c = 0)
    else:
        low = c + 1 if i == 0 else int(candidates[i - 1]) + 1
        n = _smallest(pa, low, int(candidates[i]), risk)
    return ConformityDemonstrationPlan(
        n, c, x, gamma, None, "binomial", p, float(pa(np.array([n]))[0]), False
    )


def _hypergeometric(x: float, gamma: float, c: int, lot: int) -> ConformityDemonstrationPlan:
    if int(lot) != lot or lot < 1:
        raise InvalidInput("lot_size", f"{lot!r} must be a whole number of at least 1")
    # The tolerance keeps N (1 - X) = 5.0000000001 from turning an exact 5 into 6.
    defective = math.floor(lot * (1.0 - x) + 1e-9) + 1
    if defective > lot:
        raise InvalidInput("conforming_fraction", f"every lot of {lot} items meets it; no sample is needed")
    if c >= defective:
        raise InvalidInput(
            "acceptance_number",
            f"{c} accepts a lot with {defective} nonconforming items, which fails the claim",
        )
    risk = 1.0 - gamma

    def pa(n: NDArray[np.int64]) -> NDArray[np.float64]:
        return np.asarray(stats.hypergeom.cdf(c, lot, defective, n), dtype=float)

    n = _smallest(pa, c + 1, lot, risk)  # at n = N the count is exact: D > c rejects, Pa = 0
    achieved = float(pa(np.array([n]))[0])
    return ConformityDemonstrationPlan(n, c, x, gamma, lot, "hypergeometric", defective, achieved, n >= lot)


def conformity_demonstration_plan(
    conforming_fraction: float, confidence: float, acceptance_number: int = 0, lot_size: int | None = None
) -> ConformityDemonstrationPlan:
    """The smallest sample that shows "at least ``conforming_fraction`` conforms" at ``confidence``."""
    _check(conforming_fraction, confidence, acceptance_number)
    c = int(acceptance_number)
    if lot_size is None:
        return _binomial(conforming_fraction, confidence, c)
    return _hypergeometric(conforming_fraction, confidence, c, lot_size)
