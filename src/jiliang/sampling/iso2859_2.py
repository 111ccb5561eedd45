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


def lq_plan(lot_size: int, lq: float, *, acceptance_number: int = 0, consumer_risk: float = 0.10) -> LQPlan:
    """The smallest single sampling plan for an isolated lot with Pa(LQ) <= ``consumer_risk``."""
    lot = check_lot_size(lot_size)
    if not any(math.isclose(lq, q) for q in PREFERRED_LQ):
        raise InvalidInput(
            "lq", f"{lq} is not a preferred LQ of ISO 2859-2 ({', '.join(map(str, PREFERRED_LQ))})"
        )
    if not 0 < consumer_risk < 1:
        raise InvalidInput("consumer_risk", f"{consumer_risk} must lie strictly between 0 and 1")
    if int(acceptance_number) != acceptance_number or acceptance_number < 0:
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")
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
