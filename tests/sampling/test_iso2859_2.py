"""ISO 2859-2:1985 Table A (procedure A) as shipped in ``tables/iso2859_2_table_a.json``.

The table comes from one public transcription (see its ``provenance``), so every cell is checked
against what the standard says of its plans: "a consumer's risk usually below 10 %, always below
13 %" (the scope of ISO 2859-2:1985 as published for TTS/ISO 2859-2:2008 by ttstandards.ttbs.org.tt;
the GB/T 2828.2-2008 abstract says the same). The check is recomputed here
from the cells, and the cells that exceed 10 % (and the one that exceeds 13 %) must be exactly those
the data file declares: a changed cell makes this test fail.
"""

from __future__ import annotations

import json
import math
from importlib import resources

import numpy as np
import pytest
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling import lq_plan
from jiliang.sampling.iso2859_2 import PREFERRED_LQ, table_a, table_a_cell
from jiliang.sampling.tables import iso2859_1


def _worst_consumer_risk(low: int, high: int | None, lq: float, n: int, c: int) -> float:
    """Largest Pa at the LQ over the lot sizes of a row (hypergeometric, D = ceil(LQ N / 100)).

    With D fixed, Pa grows with N, so the worst lot of each D is the largest N that still has it.
    The open last row is judged by its limit, the binomial at p = LQ.
    """
    if high is None:
        return float(stats.binom.cdf(c, n, lq / 100))
    first, last = max(1, math.ceil(lq * low / 100 - 1e-9)), math.ceil(lq * high / 100 - 1e-9)
    sizes = {min(high, math.floor(d * 100 / lq + 1e-9)) for d in range(first, last + 1)} | {high}
    lots = np.array(sorted(size for size in sizes if low <= size <= high and size > n))
    if lots.size == 0:
        return 0.0  # every lot of the row is inspected in full
    defective = np.maximum(1, np.ceil(lq * lots / 100 - 1e-9))
    return float(stats.hypergeom.cdf(c, lots, defective, n).max())


def test_table_a_structure():
    table = table_a()
    assert table.lq_values == (2.0, 3.15, 5.0, 8.0, 12.5, 20.0, 31.5)
    assert all(q in PREFERRED_LQ for q in table.lq_values)
    ranges = table.lot_size_ranges
    assert ranges[0] == (16, 25) and ranges[-1] == (500001, None)
    assert all(ranges[i][1] + 1 == ranges[i + 1][0] for i in range(len(ranges) - 1))
    for row in table.cells:
        assert len(row) == len(table.lq_values)
        # a larger LQ never needs a larger sample
        assert all(row[j][0] >= row[j + 1][0] for j in range(len(row) - 1))
    for j in range(len(table.lq_values)):
        # a larger lot never gets a smaller acceptance number; from 51 items on, nor a smaller sample
        # (below, some cells ask for more items than the lot holds: 100 % inspection)
        column = [row[j] for row in table.cells]
        assert all(a[1] <= b[1] for a, b in zip(column, column[1:], strict=False))
        assert all(a[0] <= b[0] for a, b in zip(column[2:], column[3:], strict=False))
    # Procedure A's acceptance numbers (ISO 2859-2:1985 Table A uses 0, 1, 3, 5, 10, 18)
    assert {c for row in table.cells for _, c in row} == {0, 1, 3, 5, 10, 18}
    doc = json.loads(
        resources.files("jiliang.sampling").joinpath("tables/iso2859_2_table_a.json").read_text()
    )
    assert "plugin_GeoPEC" in " ".join(doc["provenance"]) and doc["version"].endswith("partial")


def test_every_cell_against_the_consumer_risk_of_iso_2859_2():
    table = table_a()
    above_10, above_13 = set(), set()
    for (low, high), row in zip(table.lot_size_ranges, table.cells, strict=True):
        for lq, (n, c) in zip(table.lq_values, row, strict=True):
            risk = _worst_consumer_risk(low, high, lq, n, c)
            if risk > 0.10:
                above_10.add((low, lq))
            if risk > 0.13:
                above_13.add((low, lq))
    assert above_10 == set(table.above_10_percent)
    assert above_13 == set(table.above_13_percent) == {(51, 2.0)}
    # "usually below 10 %": 9 of the 91 shipped cells exceed it somewhere in their row
    assert len(above_10) == 9


def test_table_a_plans_are_iso_2859_1_plans():
    """Design principle stated in the GB/T 2828.2-2008 preface: the
    LQ-indexed plans can be found among the AQL-indexed plans of ISO 2859-1. Checked against the
    independently sourced ISO 2859-1 tables shipped in tables/iso2859_1.json: every cell with Ac >= 1
    and every cell with a sample size of the ISO 2859-1 series is a plan of Table 2-A, 2-B or 2-C;
    the only exceptions are the Ac = 0 cells of lots up to 500 whose sample size is chosen with the
    hypergeometric distribution (28, 17, 9, ...)."""
    iso1 = iso2859_1()
    plans = {
        (master.sample_sizes[i], cell[0])
        for master in iso1.masters.values()
        for i, row in enumerate(master.cells)
        for cell in row
        if isinstance(cell, tuple)
    }
    sizes = set(iso1.masters["normal"].sample_sizes)
    table = table_a()
    outside = [
        (low, lq, n, c)
        for (low, _), row in zip(table.lot_size_ranges, table.cells, strict=True)
        for lq, (n, c) in zip(table.lq_values, row, strict=True)
        if (n, c) not in plans
    ]
    assert all(c == 0 and n not in sizes and low <= 281 for low, _, n, c in outside)
    assert len(outside) == 23  # of 91 cells


@pytest.mark.parametrize(
    ("lot_size", "lq", "expected"),
    [
        (20, 12.5, (13, 0)),
        (100, 31.5, (13, 1)),
        (1000, 5.0, (80, 1)),
        (1200, 3.15, (125, 1)),
        (2000, 2.0, (200, 1)),
        (5000, 20.0, (80, 10)),
        (20000, 8.0, (200, 10)),
        (100000, 5.0, (500, 18)),
        (560000, 5.0, (500, 18)),
        (1000000, 2.0, (1250, 18)),
    ],
)
def test_table_plans(lot_size, lq, expected):
    plan = lq_plan(lot_size, lq)
    assert (plan.sample_size, plan.acceptance_number) == expected
    assert plan.basis == "table" and "ISO 2859-2:1985 Table A" in plan.source
    assert plan.consumer_risk is None
    d = max(1, math.ceil(lq * lot_size / 100 - 1e-9))
    assert plan.probability_of_acceptance_at_lq == pytest.approx(
        stats.hypergeom.cdf(expected[1], lot_size, d, expected[0])
    )


def test_small_lot_is_inspected_in_full():
    plan = lq_plan(20, 5.0)  # Table A: n = 28 for lots of 16 to 25
    assert plan.inspect_all and plan.sample_size == 20 and plan.basis == "table"
    assert plan.probability_of_acceptance_at_lq == 0.0


def test_the_cell_above_13_percent_is_not_served():
    for lot in (51, 70, 90):
        plan = lq_plan(lot, 2.0)
        assert plan.basis == "computed" and "n = 50, Ac = 0) is not used" in plan.source
        assert plan.probability_of_acceptance_at_lq <= 0.10
    assert lq_plan(91, 2.0).basis == "table" and lq_plan(90, 3.15).basis == "table"


def test_columns_and_lots_not_shipped_are_computed_and_say_so():
    assert table_a_cell(10000, 0.5) is None and table_a_cell(10, 5.0) is None
    for plan in (lq_plan(10000, 0.5), lq_plan(10, 31.5)):
        assert plan.basis == "computed" and plan.consumer_risk == 0.10
        assert plan.probability_of_acceptance_at_lq <= 0.10
    fixed = lq_plan(1000, 5.0, acceptance_number=1)  # fixing Ac asks for a computed plan
    assert fixed.basis == "computed" and fixed.acceptance_number == 1
    with pytest.raises(InvalidInput, match="consumer_risk"):
        lq_plan(1000, 5.0, consumer_risk=1.5)
    with pytest.raises(InvalidInput, match="acceptance_number"):
        lq_plan(1000, 5.0, acceptance_number=-1)
