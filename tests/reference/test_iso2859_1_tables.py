"""Published cells of ISO 2859-1:1999 Tables 1, 2-A, 2-B, 2-C (= GB/T 2828.1-2012; the same plans as MIL-STD-105E and
ANSI/ASQ Z1.4 for Tables 1, 2-A and 2-B), including arrow cells."""

import pytest

from jiliang.sampling import code_letter, single_plan

# Table 1: (lot size, level) -> code letter
TABLE_1 = [
    (2, "II", "A"),
    (8, "III", "B"),
    (50, "II", "D"),
    (51, "II", "E"),
    (150, "S-4", "D"),
    (280, "I", "E"),
    (500, "S-2", "C"),
    (1200, "II", "J"),
    (2000, "II", "K"),
    (3200, "S-3", "E"),
    (10000, "III", "M"),
    (35000, "S-4", "H"),
    (150000, "S-1", "D"),
    (500000, "II", "P"),
    (500001, "II", "Q"),
    (10**7, "III", "R"),
    (10**7, "S-1", "D"),
]


@pytest.mark.parametrize(("lot", "level", "letter"), TABLE_1)
def test_table_1_code_letters(lot, level, letter):
    assert code_letter(lot, level) == letter


# (table, inspection, code letter of the row, AQL) -> (plan code letter, n, Ac, Re); the row's
# code letter is reached with a level-II lot size from Table 1.
LOT_FOR_LETTER = {
    "A": 5,
    "B": 12,
    "C": 20,
    "D": 40,
    "E": 80,
    "F": 120,
    "G": 200,
    "H": 400,
    "J": 1000,
    "K": 2000,
    "L": 5000,
    "M": 20000,
    "N": 100000,
    "P": 300000,
    "Q": 1000000,
}
CELLS = [
    # Table 2-A (normal)
    ("normal", "K", 1.0, "K", 125, 3, 4),
    ("normal", "G", 4.0, "G", 32, 3, 4),
    ("normal", "J", 0.65, "J", 80, 1, 2),
    ("normal", "H", 2.5, "H", 50, 3, 4),
    ("normal", "L", 0.40, "L", 200, 2, 3),
    ("normal", "N", 0.10, "N", 500, 1, 2),
    ("normal", "E", 10, "E", 13, 3, 4),
    ("normal", "C", 1000, "B", 3, 44, 45),  # up arrow
    ("normal", "A", 10, "C", 5, 1, 2),  # down arrow over B
    ("normal", "A", 0.010, "Q", 1250, 0, 1),  # long down arrow
    ("normal", "K", 0.15, "J", 80, 0, 1),  # up arrow
    ("normal", "K", 0.25, "L", 200, 1, 2),  # down arrow
    ("normal", "F", 25, "F", 20, 10, 11),
    ("normal", "H", 100, "E", 13, 21, 22),  # up arrow over F, G
    # Table 2-B (tightened)
    ("tightened", "K", 1.0, "K", 125, 2, 3),
    ("tightened", "G", 4.0, "G", 32, 2, 3),
    ("tightened", "N", 0.010, "R", 2000, 0, 1),
    ("tightened", "Q", 0.025, "S", 3150, 1, 2),  # down arrow to the extra row S
    ("tightened", "A", 10, "A", 2, 0, 1),  # AQLSchemes (MIL-STD-105E port) reads an arrow here
    ("tightened", "J", 6.5, "J", 80, 8, 9),
    ("tightened", "D", 10, "D", 8, 1, 2),
    # Table 2-C (reduced; ISO 2859-1:1999 has no gap between Ac and Re)
    ("reduced", "K", 1.0, "K", 50, 2, 3),
    ("reduced", "K", 4.0, "K", 50, 6, 7),
    ("reduced", "P", 0.040, "R", 800, 1, 2),
    ("reduced", "Q", 0.025, "N", 200, 0, 1),  # long up arrow
    ("reduced", "A", 4.0, "B", 2, 0, 1),
]


@pytest.mark.parametrize(("inspection", "letter", "aql", "plan_letter", "n", "ac", "re"), CELLS)
def test_master_table_cells(inspection, letter, aql, plan_letter, n, ac, re):
    plan = single_plan(LOT_FOR_LETTER[letter], aql, "II", inspection)
    assert plan.code_letter == letter
    got = (plan.plan_code_letter, plan.acceptance_number, plan.rejection_number)
    assert got == (plan_letter, ac, re)
    assert plan.sample_size == min(n, plan.lot_size)
