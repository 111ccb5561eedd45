"""Plans for isolated lots indexed by limiting quality (LQ): ISO 2859-2 procedure A (GB/T 2828.2),
as used by Shanghai's JJF(沪)57-2018 for meter lots.

ISO 2859-2 procedure A treats the lot in isolation and bounds the consumer's risk at the LQ (usually
below 10 %, always below 13 %) with the hypergeometric distribution; its Table A gives, per lot-size
range and LQ, the sample size n and the acceptance number Ac.

What is shipped (``tables/iso2859_2_table_a.json``, with its provenance): Table A for the LQ columns
2.0, 3.15, 5.0, 8.0, 12.5, 20.0 and 31.5 %, lots of 16 items and more, from the one public
transcription that could be sourced; every cell is checked against the consumer's-risk bound (the
cells above 10 % and the one above 13 % are listed in the file; the one above 13 %, lots 51-90 at
LQ 2 %, is not served). The columns 0.5, 0.8 and 1.25 % are not shipped and entries are never guessed. For those LQs, for lots below 16, and whenever the caller
fixes ``acceptance_number`` or ``consumer_risk``, :func:`lq_plan` *computes* the smallest sample that,
with acceptance number c, accepts a lot at the LQ with probability at most the consumer's risk
(hypergeometric) and says so: ``basis`` is ``"table"`` or ``"computed"``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling.iso2859_1 import check_lot_size
from jiliang.sampling.tables import load_table

# ISO 2859-2 preferred limiting qualities, in percent nonconforming.
PREFERRED_LQ = (0.5, 0.8, 1.25, 2.0, 3.15, 5.0, 8.0, 12.5, 20.0, 31.5)
DEFAULT_CONSUMER_RISK = 0.10
COMPUTED_SOURCE = (
    "computed: smallest n with hypergeometric Pa(LQ) <= consumer risk "
    "(ISO 2859-2 procedure A principle, not its printed Table A)"
)

Basis = Literal["table", "computed"]


@dataclass(frozen=True)
class TableA:
    """The shipped part of ISO 2859-2:1985 Table A (procedure A, single sampling)."""

    version: str
    standard: str
    provenance: tuple[str, ...]
    lq_values: tuple[float, ...]
    lot_size_ranges: tuple[tuple[int, int | None], ...]
    cells: tuple[tuple[tuple[int, int], ...], ...]  # [row][lq column] -> (n, Ac)
    above_10_percent: tuple[tuple[int, float], ...]  # (row's smallest lot size, LQ)
    above_13_percent: tuple[tuple[int, float], ...]


@cache
def table_a() -> TableA:
    """The ISO 2859-2 Table A data (parsed once; the result is immutable)."""
    doc = load_table("iso2859_2_table_a")
    checks = doc["consumer_risk_checks"]
    return TableA(
        version=doc["version"],
        standard=doc["standard"],
        provenance=tuple(doc["provenance"]),
        lq_values=tuple(float(q) for q in doc["lq_values"]),
        lot_size_ranges=tuple((int(r["lot_size"][0]), r["lot_size"][1]) for r in doc["rows"]),
        cells=tuple(tuple((int(n), int(c)) for n, c in r["cells"]) for r in doc["rows"]),
        above_10_percent=tuple((int(lo), float(q)) for lo, q in checks["above_10_percent"]),
        above_13_percent=tuple((int(lo), float(q)) for lo, q in checks["above_13_percent"]),
    )


def _locate(lot_size: int, lq: float) -> tuple[int, int] | None:
    table = table_a()
    column = next((j for j, q in enumerate(table.lq_values) if math.isclose(q, lq)), None)
    if column is None:
        return None
    for row, (low, high) in enumerate(table.lot_size_ranges):
        if lot_size >= low and (high is None or lot_size <= high):
            return row, column
    return None


def table_a_cell(lot_size: int, lq: float) -> tuple[int, int] | None:
    """The transcribed (n, Ac) of Table A for this lot size and LQ, or None where nothing is shipped."""
    where = _locate(lot_size, lq)
    return None if where is None else table_a().cells[where[0]][where[1]]


def _exceeds_the_standard(lot_size: int, lq: float) -> bool:
    """True for a shipped cell whose consumer's risk exceeds the standard's 13 % somewhere in its row."""
    where = _locate(lot_size, lq)
    if where is None:
        return False
    table = table_a()
    low = table.lot_size_ranges[where[0]][0]
    return any(low == row_low and math.isclose(lq, q) for row_low, q in table.above_13_percent)


def nonconforming_at_lq(lot_size: int, lq: float) -> int:
    """Items nonconforming in a lot "at the LQ": ceil(LQ N / 100), at least 1."""
    return max(1, math.ceil(lq * lot_size / 100 - 1e-9))


def probability_of_acceptance_at_lq(
    lot_size: int, lq: float, sample_size: int, acceptance_number: int
) -> float:
    """Hypergeometric probability that the plan (n, Ac) accepts a lot of N items at the LQ."""
    n = min(sample_size, lot_size)
    return float(stats.hypergeom.cdf(acceptance_number, lot_size, nonconforming_at_lq(lot_size, lq), n))


@dataclass(frozen=True)
class LQPlan:
    """A plan and where it comes from, as data (``basis`` and its parameters): the edges word it,
    in English (:attr:`source`, for the CLI and JSON) or in the page's language."""

    lot_size: int
    limiting_quality: float  # percent nonconforming
    sample_size: int
    acceptance_number: int
    probability_of_acceptance_at_lq: float  # hypergeometric, for this lot size
    inspect_all: bool
    basis: Basis  # "table" (ISO 2859-2 Table A) or "computed"
    consumer_risk: float | None = None  # the target of a computed plan (None for a table plan)
    table_version: str | None = None  # the data version of the shipped Table A (a table plan)
    # (n, Ac) of the Table A cell not used because its consumer's risk exceeds 13 % (a computed plan)
    unused_table_cell: tuple[int, int] | None = None

    @property
    def source(self) -> str:
        """Where the plan comes from, in words (English)."""
        if self.basis == "table":
            return f"table: ISO 2859-2:1985 Table A (procedure A), data version {self.table_version}"
        if self.unused_table_cell is None:
            return COMPUTED_SOURCE
        n, c = self.unused_table_cell
        return (
            f"the transcribed Table A cell (n = {n}, Ac = {c}) is not used: its consumer's risk exceeds "
            f"the 13 % the standard allows for some lots of its row; {COMPUTED_SOURCE}"
        )


def lq_report(plan: LQPlan) -> dict[str, object]:
    """The plan as JSON-ready fields (the CLI, the API and the pages print these): ``source`` in
    words (English) and what it is made of, for an edge to word it in another language."""
    cell = plan.unused_table_cell
    return {
        "sample_size": plan.sample_size,
        "acceptance_number": plan.acceptance_number,
        "inspect_all": plan.inspect_all,
        "probability_of_acceptance_at_lq": plan.probability_of_acceptance_at_lq,
        "basis": plan.basis,
        "source": plan.source,
        "consumer_risk": plan.consumer_risk,
        "table_version": plan.table_version,
        "unused_table_cell": None if cell is None else {"sample_size": cell[0], "acceptance_number": cell[1]},
    }


def _check_lq(lq: float) -> float:
    if not any(math.isclose(lq, q) for q in PREFERRED_LQ):
        raise InvalidInput(
            "lq", f"{lq} is not a preferred LQ of ISO 2859-2 ({', '.join(map(str, PREFERRED_LQ))})"
        )
    return float(lq)


def lq_plan(
    lot_size: int, lq: float, *, acceptance_number: int | None = None, consumer_risk: float | None = None
) -> LQPlan:
    """The single sampling plan for an isolated lot of ``lot_size`` items at limiting quality ``lq`` (%).

    With neither ``acceptance_number`` nor ``consumer_risk`` given, the plan is read from ISO 2859-2
    Table A where the shipped table has the cell (``basis == "table"``); otherwise it is the smallest
    plan with acceptance number ``acceptance_number`` (0 by default) whose hypergeometric probability
    of accepting a lot at the LQ is at most ``consumer_risk`` (10 % by default; ``basis ==
    "computed"``). A sample at least as large as the lot means 100 % inspection (``inspect_all``).
    """
    lot = check_lot_size(lot_size)
    quality = _check_lq(lq)
    if consumer_risk is not None and not 0 < consumer_risk < 1:
        raise InvalidInput("consumer_risk", f"{consumer_risk} must lie strictly between 0 and 1")
    if acceptance_number is not None and (
        int(acceptance_number) != acceptance_number or acceptance_number < 0
    ):
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")
    if acceptance_number is None and consumer_risk is None:
        cell = table_a_cell(lot, quality)
        if cell is not None and _exceeds_the_standard(lot, quality):
            plan = _computed(lot, quality, 0, DEFAULT_CONSUMER_RISK)
            return replace(plan, unused_table_cell=cell)
        if cell is not None:
            n, c = cell
            return LQPlan(
                lot_size=lot,
                limiting_quality=quality,
                sample_size=min(n, lot),
                acceptance_number=c,
                probability_of_acceptance_at_lq=probability_of_acceptance_at_lq(lot, quality, n, c),
                inspect_all=n >= lot,
                basis="table",
                table_version=table_a().version,
            )
    return _computed(lot, quality, int(acceptance_number or 0), consumer_risk or DEFAULT_CONSUMER_RISK)


def _computed(lot: int, lq: float, c: int, consumer_risk: float) -> LQPlan:
    defective = nonconforming_at_lq(lot, lq)
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
    return LQPlan(
        lot_size=lot,
        limiting_quality=lq,
        sample_size=low,
        acceptance_number=c,
        probability_of_acceptance_at_lq=pa,
        inspect_all=low >= lot,
        basis="computed",
        consumer_risk=float(consumer_risk),
    )


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
    _check_lq(lq)
    if not 0 < consumer_risk < 1:
        raise InvalidInput("consumer_risk", f"{consumer_risk} must lie strictly between 0 and 1")
    if int(acceptance_number) != acceptance_number or acceptance_number < 0:
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")
    c = int(acceptance_number)
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
