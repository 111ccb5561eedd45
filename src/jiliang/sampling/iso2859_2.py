"""Plans for isolated lots indexed by limiting quality (LQ), in the manner of ISO 2859-2 procedure A
(GB/T 2828.2), as used by Shanghai's JJF(沪)57-2018 for meter lots.

ISO 2859-2 procedure A treats the lot in isolation and bounds the consumer's risk at the LQ
(usually below 10 %) with the hypergeometric distribution. Its printed Table A is NOT shipped:
no public transcription could be sourced, and entries are never guessed. This module computes the
plan from that design principle instead: the smallest sample that, with acceptance number ``c``,
accepts a lot whose fraction nonconforming equals the LQ with probability at most ``consumer_risk``.
Expect it to differ from the printed table where the table rounds to its preferred sample sizes.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling.iso2859_1 import check_lot_size

# ISO 2859-2 preferred limiting qualities, in percent nonconforming.
PREFERRED_LQ = (0.5, 0.8, 1.25, 2.0, 3.15, 5.0, 8.0, 12.5, 20.0, 31.5)
BASIS = "computed: hypergeometric, Pa(LQ) <= consumer risk (ISO 2859-2 procedure A principle; Table A not shipped)"


@dataclass(frozen=True)
class LQPlan:
    lot_size: int
    limiting_quality: float  # percent nonconforming
    sample_size: int
    acceptance_number: int
    consumer_risk: float
    probability_of_acceptance_at_lq: float
    inspect_all: bool
    basis: str = BASIS


def _check(lq: float, acceptance_number: int, consumer_risk: float) -> int:
    if not any(math.isclose(lq, q) for q in PREFERRED_LQ):
        raise InvalidInput(
            "lq", f"{lq} is not a preferred LQ of ISO 2859-2 ({', '.join(map(str, PREFERRED_LQ))})"
        )
    if not 0 < consumer_risk < 1:
        raise InvalidInput("consumer_risk", f"{consumer_risk} must lie strictly between 0 and 1")
    if int(acceptance_number) != acceptance_number or acceptance_number < 0:
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")
    return int(acceptance_number)


def lq_plan(lot_size: int, lq: float, *, acceptance_number: int = 0, consumer_risk: float = 0.10) -> LQPlan:
    """The smallest single sampling plan for an isolated lot with Pa(LQ) <= ``consumer_risk``."""
    lot = check_lot_size(lot_size)
    _check(lq, acceptance_number, consumer_risk)
    # A lot "at the LQ" holds ceil(LQ N / 100) nonconforming items (at least 1).
    defective = max(1, math.ceil(lq * lot / 100 - 1e-9))
    c = int(acceptance_number)
    if c >= defective:
        raise InvalidInput(
            "acceptance_number", f"{c} would accept a lot at the LQ ({defective} nonconforming)"
        )
    low, high = c + 1, lot
    while low < high:  # Pa falls as n grows
        mid = (low + high) // 2
        if stats.hypergeom.cdf(c, lot, defective, mid) <= consumer_risk:
            high = mid
        else:
            low = mid + 1
    pa = float(stats.hypergeom.cdf(c, lot, defective, low))
    return LQPlan(lot, float(lq), low, c, float(consumer_risk), pa, low >= lot)


def lq_sample_sizes(
    lot_sizes: ArrayLike, lq: float, *, acceptance_number: int = 0, consumer_risk: float = 0.10
) -> NDArray[np.int64]:
    """The sample size of :func:`lq_plan` for many lot sizes at once (one vectorised bisection:
    the same plans, for a fleet's thousands of lots)."""
    lots = np.asarray(lot_sizes)
    if lots.ndim != 1 or lots.size == 0 or not np.issubdtype(lots.dtype, np.integer):
        raise InvalidInput("lot_sizes", "needs whole lot sizes (a 1-D array)")
    if int(lots.min()) < 2:
        check_lot_size(int(lots.min()))
    c = _check(lq, acceptance_number, consumer_risk)
    lots = lots.astype(np.int64)
    defective = np.maximum(1, np.ceil(lq * lots / 100 - 1e-9)).astype(np.int64)
    if (defective <= c).any():
        i = int(np.flatnonzero(defective <= c)[0])
        raise InvalidInput(
            "acceptance_number",
            f"{c} would accept a lot of {lots[i]} at the LQ ({defective[i]} nonconforming)",
        )
    low, high = np.full(lots.size, c + 1, dtype=np.int64), lots.copy()
    while (open_ := low < high).any():  # Pa falls as n grows
        mid = (low + high) // 2
        accept_too_often = stats.hypergeom.cdf(c, lots, defective, mid) > consumer_risk
        low = np.where(open_ & accept_too_often, mid + 1, low)
        high = np.where(open_ & ~accept_too_often, mid, high)
    return low
