"""ISO 2859-1:1999 (GB/T 2828.1-2012) single sampling plans indexed by AQL.

Table 1 gives the sample size code letter from the lot size and the inspection level; Tables 2-A,
2-B and 2-C give the plan for normal, tightened and reduced inspection. Where a cell holds an arrow
the plan is the first one below (down) or above (up) it in the same AQL column, and its code
letter, sample size, Ac and Re replace the row's (clause 10.2 and the table notes). When the sample
size equals or exceeds the lot size, the whole lot is inspected (note to Tables 2-A..2-C).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from jiliang.errors import InvalidInput
from jiliang.sampling.tables import INSPECTIONS, LEVELS, Inspection, MasterTable, iso2859_1

STANDARD = "ISO 2859-1:1999"


@dataclass(frozen=True)
class SamplingPlan:
    """A single sampling plan for one lot: inspect ``sample_size`` items, accept if the number of
    nonconforming items (or nonconformities) is at most ``acceptance_number``."""

    standard: str
    table: str
    inspection: str
    level: str
    lot_size: int
    aql: float
    code_letter: str
    plan_code_letter: str
    sample_size: int
    acceptance_number: int
    rejection_number: int
    inspect_all: bool

    def accepts(self, nonconforming: int) -> bool:
        """Clause 11.1: accept when the count is at most Ac, reject when it is Re or more."""
        return nonconforming <= self.acceptance_number


def aql_index(aql: float, field: str = "aql") -> int:
    """Column of ``aql`` among the preferred AQLs 0.010 ... 1000 of Tables 2-A..2-C."""
    tables = iso2859_1()
    try:
        value = float(aql)
    except (TypeError, ValueError):
        raise InvalidInput(field, f"{aql!r} is not a number") from None
    for i, candidate in enumerate(tables.aql_values):
        if math.isclose(value, candidate, rel_tol=1e-9):
            return i
    allowed = ", ".join(tables.aql_labels)
    raise InvalidInput(field, f"{aql} is not an AQL of ISO 2859-1 Tables 2-A to 2-C (allowed: {allowed})")


def check_lot_size(lot_size: int, field: str = "lot_size") -> int:
    if isinstance(lot_size, bool) or not isinstance(lot_size, int | float) or lot_size != int(lot_size):
        raise InvalidInput(field, f"{lot_size!r} is not a whole number")
    if lot_size < 2:
        raise InvalidInput(field, f"{lot_size} is too small: ISO 2859-1 Table 1 starts at a lot of 2 items")
    return int(lot_size)


def check_level(level: str, field: str = "level") -> str:
    if level not in LEVELS:
        raise InvalidInput(field, f"{level!r} is not an inspection level (use one of {', '.join(LEVELS)})")
    return level


def check_inspection(inspection: str, field: str = "inspection") -> Inspection:
    if inspection not in INSPECTIONS:
        raise InvalidInput(field, f"{inspection!r} is not one of {', '.join(INSPECTIONS)}")
    return inspection


def code_letter(lot_size: int, level: str = "II") -> str:
    """ISO 2859-1 Table 1: the sample size code letter for a lot size and inspection level."""
    lot = check_lot_size(lot_size)
    tables = iso2859_1()
    letters = tables.code_letters[check_level(level)]
    for row, upper in enumerate(tables.lot_size_upper):
        if upper is None or lot <= upper:
            return letters[row]
    raise AssertionError("Table 1 has an open last row")  # pragma: no cover


def resolve_cell(master: MasterTable, letter: str, column: int) -> tuple[str, int, int, int]:
    """Follow the arrows of ``master`` from (``letter``, ``column``) to a plan.

    Returns (plan code letter, sample size, Ac, Re).
    """
    row = master.letters.index(letter)
    cell = master.cells[row][column]
    while isinstance(cell, str):
        row += 1 if cell == "down" else -1
        cell = master.cells[row][column]
    if cell is None:  # blank cells are never reached from a Table 1 letter; guarded by the tests
        raise InvalidInput("aql", f"Table {master.name} has no plan for code letter {letter} at this AQL")
    return master.letters[row], master.sample_sizes[row], cell[0], cell[1]


def single_plan(lot_size: int, aql: float, level: str = "II", inspection: str = "normal") -> SamplingPlan:
    """The single sampling plan of ISO 2859-1 for one lot (Table 1, then Table 2-A/2-B/2-C)."""
    lot = check_lot_size(lot_size)
    column = aql_index(aql)
    insp = check_inspection(inspection)
    letter = code_letter(lot, level)
    master = iso2859_1().masters[insp]
    plan_letter, n, ac, re = resolve_cell(master, letter, column)
    inspect_all = n >= lot
    return SamplingPlan(
        standard=STANDARD,
        table=master.name,
        inspection=insp,
        level=level,
        lot_size=lot,
        aql=iso2859_1().aql_values[column],
        code_letter=letter,
        plan_code_letter=plan_letter,
        sample_size=lot if inspect_all else n,
        acceptance_number=ac,
        rejection_number=re,
        inspect_all=inspect_all,
    )


def tighter_acceptance_number(plan_code_letter: str, aql: float) -> int | None:
    """Ac of the normal plan one AQL step tighter with the same sample size (clause 9.3.3.2 a).

    That is the cell left of the plan in its own row of Table 2-A; ``None`` when there is no
    tighter column or that cell is an arrow (then no plan with the same sample size exists).
    """
    column = aql_index(aql)
    if column == 0:
        return None
    master = iso2859_1().masters["normal"]
    cell = master.cells[master.letters.index(plan_code_letter)][column - 1]
    return cell[0] if isinstance(cell, tuple) else None
