"""ISO 2859-1:1999 clause 9 switching rules, each with a constructed series of lots."""

import pytest

from jiliang.errors import Conflict, InvalidInput
from jiliang.sampling import SwitchingState, next_lot, resume, run_series

# Lot of 2000 at AQL 1.0, level II: letter K. Normal 125 Ac 3; tightened 125 Ac 2; reduced 50 Ac 2.
LOT, AQL = 2000, 1.0


def test_two_rejections_in_five_lots_switch_to_tightened():
    state, records = run_series([(LOT, 4), (LOT, 0), (LOT, 0), (LOT, 0), (LOT, 5)], AQL)
    assert [r.accepted for r in records] == [False, True, True, True, False]
    assert state.inspection == "tightened"
    assert records[-1].next_inspection == "tightened" and records[-2].next_inspection == "normal"


def test_two_rejections_six_lots_apart_do_not_switch():
    lots = [(LOT, 4)] + [(LOT, 1)] * 4 + [(LOT, 4)]
    state, _ = run_series(lots, AQL)
    assert state.inspection == "normal"


def test_five_accepted_on_tightened_return_to_normal():
    start = SwitchingState(inspection="tightened")
    state, records = run_series([(LOT, 2)] * 4, AQL, start=start)
    assert state.inspection == "tightened" and state.consecutive_accepted == 4
    assert all(r.acceptance_number == 2 and r.inspection == "tightened" for r in records)
    state, _ = run_series([(LOT, 0)], AQL, start=state)
    assert state.inspection == "normal" and state.switching_score == 0


def test_five_rejections_on_tightened_discontinue():
    start = SwitchingState(inspection="tightened")
    lots = [(LOT, 3), (LOT, 0), (LOT, 3), (LOT, 3), (LOT, 0), (LOT, 3), (LOT, 3), (LOT, 0)]
    state, records = run_series(lots, AQL, start=start)
    assert state.inspection == "discontinued" and len(records) == 7
    with pytest.raises(Conflict):
        next_lot(state, lot_size=LOT, nonconforming=0, aql=AQL)
    assert resume(state).inspection == "tightened"


def test_switching_score_rules_for_ac_two_or_more():
    # Ac 3 at AQL 1.0; one step tighter (AQL 0.65, same n = 125) has Ac 2.
    _, records = run_series([(LOT, 2), (LOT, 3), (LOT, 0)], AQL)
    assert [r.switching_score for r in records] == [3, 0, 3]


def test_switching_score_rules_for_ac_below_two():
    # Lot 2000 at AQL 0.40: K row, plan 125 Ac 1.
    _, records = run_series([(LOT, 1), (LOT, 0), (LOT, 2), (LOT, 0)], 0.40)
    assert records[0].acceptance_number == 1
    assert [r.switching_score for r in records] == [2, 4, 0, 2]


def test_reduced_needs_score_30_steady_production_and_approval():
    lots = [(LOT, 0)] * 10  # +3 each: 30 after the tenth lot
    state, _ = run_series(lots, AQL)
    assert state.inspection == "normal" and state.switching_score == 30  # no approval
    state, records = run_series(lots, AQL, authority_approves_reduced=True)
    assert state.inspection == "reduced" and records[-1].switching_score == 30
    assert [r.next_inspection for r in records].count("reduced") == 1
    state, _ = run_series(lots, AQL, authority_approves_reduced=True, production_steady=False)
    assert state.inspection == "normal"


def test_reduced_returns_to_normal_on_a_rejection_or_irregular_production():
    reduced = SwitchingState(inspection="reduced")
    state, records = run_series([(LOT, 2), (LOT, 3)], AQL, start=reduced)
    assert [r.sample_size for r in records] == [50, 50]
    assert state.inspection == "normal" and records[0].next_inspection == "reduced"
    state, _ = next_lot(reduced, lot_size=LOT, nonconforming=0, aql=AQL, production_steady=False)
    assert state.inspection == "normal"


def test_count_above_the_sample_is_rejected():
    with pytest.raises(InvalidInput) as err:
        next_lot(SwitchingState(), lot_size=LOT, nonconforming=126, aql=AQL)
    assert err.value.field == "nonconforming"


def test_nonconformity_counts_may_exceed_the_sample_above_aql_10():
    # Lot 10 at AQL 1000: letter B, plan n = 3, Ac = 44 (nonconformities per 100 items).
    state, record = next_lot(SwitchingState(), lot_size=10, nonconforming=40, aql=1000)
    assert record.sample_size == 3 and record.accepted and state.inspection == "normal"
    with pytest.raises(InvalidInput):
        next_lot(SwitchingState(), lot_size=10, nonconforming=-1, aql=1000)
