"""Internal consistency of the shipped ISO 2859-1 tables (tables/iso2859_1.json)."""

import pytest

from jiliang.sampling.iso2859_1 import resolve_cell, tighter_acceptance_number
from jiliang.sampling.tables import INSPECTIONS, iso2859_1

T = iso2859_1()
TABLE1_LETTERS = "ABCDEFGHJKLMNPQR"


def test_metadata_cites_its_sources():
    assert T.standard.startswith("ISO 2859-1:1999")
    assert any("MIL-STD-105E" in p for p in T.provenance)
    assert T.aql_labels[0] == "0.010" and T.aql_labels[-1] == "1000" and len(T.aql_values) == 26
    assert list(T.aql_values) == sorted(T.aql_values)


def test_code_letters_are_monotonic_in_lot_size_and_level():
    order = {c: i for i, c in enumerate(TABLE1_LETTERS)}
    levels = ("S-1", "S-2", "S-3", "S-4", "I", "II", "III")
    for level in levels:
        column = [order[c] for c in T.code_letters[level]]
        assert column == sorted(column), level
    for row in range(15):
        by_level = [order[T.code_letters[level][row]] for level in levels]
        assert by_level == sorted(by_level), row


@pytest.mark.parametrize("inspection", INSPECTIONS)
def test_sample_sizes_are_monotonic(inspection):
    sizes = T.masters[inspection].sample_sizes
    assert list(sizes) == sorted(sizes)


@pytest.mark.parametrize("inspection", INSPECTIONS)
def test_plans_have_re_equal_ac_plus_one_and_grow_along_rows(inspection):
    master = T.masters[inspection]
    for letter, row in zip(master.letters, master.cells, strict=True):
        plans = [c for c in row if isinstance(c, tuple)]
        assert all(re == ac + 1 for ac, re in plans), letter
        assert [ac for ac, _ in plans] == sorted({ac for ac, _ in plans}), letter


@pytest.mark.parametrize("inspection", INSPECTIONS)
def test_every_arrow_from_a_table_1_letter_ends_in_a_plan(inspection):
    master = T.masters[inspection]
    for letter in TABLE1_LETTERS:
        for column in range(26):
            plan_letter, n, ac, re = resolve_cell(master, letter, column)
            assert re == ac + 1 and n >= 2
            # a down arrow never lands on a smaller sample, an up arrow never on a larger one
            cell = master.cells[master.letters.index(letter)][column]
            own = master.sample_sizes[master.letters.index(letter)]
            if cell == "down":
                assert n >= own and plan_letter > letter or plan_letter == "S"
            if cell == "up":
                assert n <= own


@pytest.mark.parametrize("inspection", INSPECTIONS)
def test_columns_are_ordered_by_acceptance_number(inspection):
    # Down a column (larger samples) the acceptance number never falls.
    master = T.masters[inspection]
    for column in range(26):
        acs = [c[0] for c in (row[column] for row in master.cells) if isinstance(c, tuple)]
        assert acs == sorted(acs), column


def test_tighter_plan_exists_whenever_ac_is_two_or_more():
    master = T.masters["normal"]
    for letter, row in zip(master.letters, master.cells, strict=True):
        for column, cell in enumerate(row):
            if isinstance(cell, tuple) and cell[0] >= 2:
                tighter = tighter_acceptance_number(letter, T.aql_values[column])
                assert tighter is not None and tighter < cell[0]


def test_reduced_samples_are_forty_percent_of_normal_from_d_on():
    normal, reduced = T.masters["normal"].sample_sizes, T.masters["reduced"].sample_sizes
    for n, r in list(zip(normal, reduced, strict=True))[3:]:
        assert abs(r - 0.4 * n) <= 0.1 * n
