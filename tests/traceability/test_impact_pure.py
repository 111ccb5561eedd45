"""Impact analysis on plain data: the level-by-level search equals a brute-force fixed point on
random graphs (issue 5, item 7), and re-evaluation uses jiliang.conformity."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from jiliang.calibration.decisions import Point
from jiliang.traceability.impact import (
    Row,
    Window,
    affected,
    brute_force_affected,
    reevaluate,
    reevaluate_many,
)

START = date(2024, 1, 1)


@st.composite
def graphs(draw):
    n_records = draw(st.integers(1, 12))
    rows, result = [], 0
    for record in range(n_records):
        for _ in range(draw(st.integers(1, 3))):
            result += 1
            certificate = draw(st.one_of(st.none(), st.integers(0, n_records - 1)))  # cycles allowed
            rows.append(
                Row(
                    record=record,
                    result=result,
                    direct=draw(st.booleans()),
                    certificate=certificate,
                    calibration_date=START + timedelta(days=draw(st.integers(0, 60))),
                    nominal=draw(st.one_of(st.none(), st.floats(0, 100))),
                )
            )
    since = START + timedelta(days=draw(st.integers(0, 30)))
    until = draw(st.one_of(st.none(), st.just(since + timedelta(days=draw(st.integers(0, 30))))))
    low = draw(st.one_of(st.none(), st.floats(0, 50)))
    high = draw(st.one_of(st.none(), st.floats(50, 100)))
    return rows, Window(since, until, low, high)


@given(graphs())
def test_impact_equals_the_brute_force_reference(case):
    rows, window = case
    assert affected(rows, window) == brute_force_affected(rows, window)


def test_depths_along_a_chain():
    rows = [
        Row(1, 10, True, None, date(2024, 2, 1), 5.0),  # used the standard: depth 1
        Row(2, 20, False, 1, date(2023, 1, 1), 5.0),  # used certificate 1 (any date): depth 2
        Row(3, 30, False, 2, date(2030, 1, 1), 5.0),  # depth 3
        Row(3, 31, False, 2, date(2030, 1, 1), 500.0),  # outside the range
        Row(4, 40, True, None, date(2023, 1, 1), 5.0),  # before the window
    ]
    assert affected(rows, Window(date(2024, 1, 1), None, 0, 10)) == {10: 1, 20: 2, 30: 3}


def test_correction_can_change_a_decision():
    point = Point(nominal=10, measured=10.6, expanded_uncertainty=0.2, coverage_factor=2, lower=-1, upper=1)
    assert not reevaluate(point, "simple", error=0.2, error_u=0.05).changed  # e' = 0.8: still accepted
    again = reevaluate(point, "simple", error=0.5, error_u=0.05)  # e' = 1.1: rejected
    assert (again.decision, again.new_decision, again.changed) == ("accept", "reject", True)
    # a larger uncertainty alone changes a guarded decision: e = 0.6, U = 0.2 -> 2*sqrt(0.01 + 0.04) = 0.447
    assert reevaluate(point, "guarded:1", error=0.0, error_u=0.2).new_decision == "reject"


points = st.builds(
    Point,
    nominal=st.just(10.0),
    measured=st.floats(8, 12),
    expanded_uncertainty=st.floats(0.01, 0.3),
    coverage_factor=st.sampled_from([2.0, 3.0]),
    lower=st.sampled_from([-1.0, None]),
    upper=st.sampled_from([1.0, 0.5]),
)


@given(
    st.lists(
        st.tuples(points, st.sampled_from(["simple", "guarded:1", "nonbinary"]), st.floats(-1, 1)), min_size=1
    )
)
def test_vectorised_reevaluation_equals_one_at_a_time(cases):
    pairs = reevaluate_many(
        [c[0] for c in cases], [c[1] for c in cases], [c[2] for c in cases], [0.1] * len(cases)
    )
    for (point, rule, error), (before, after) in zip(cases, pairs, strict=True):
        one = reevaluate(point, rule, error, 0.1)
        assert (before, after) == (one.decision, one.new_decision)
