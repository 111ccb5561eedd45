"""ISO 2859-1:1999 clause 9: switching between normal, tightened and reduced inspection.

A pure state machine over a series of lots: :func:`next_lot` takes the state and one lot's
result and returns the new state and a record of the decision. Rules (clause numbers of
ISO 2859-1:1999, = GB/T 2828.1-2012):

- 9.3.1 normal -> tightened when 2 lots out of 5 or fewer consecutive lots on original normal
  inspection are not accepted;
- 9.3.2 tightened -> normal when 5 consecutive lots on original tightened inspection are accepted;
- 9.3.3 normal -> reduced when the switching score is at least 30, production is at a steady rate
  and the responsible authority approves; the score starts at 0 on normal inspection and, for single
  sampling, adds 3 when Ac >= 2 and the lot would have been accepted with the AQL one step tighter
  (else resets to 0), adds 2 when Ac is 0 or 1 and the lot is accepted (else resets to 0);
- 9.3.4 reduced -> normal when a lot is not accepted, or production is irregular or delayed;
- 9.4 discontinue when the cumulative number of lots not accepted in a sequence of consecutive lots
  on original tightened inspection reaches 5; resume (on tightened) only after corrective action.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Literal

from jiliang.errors import Conflict, InvalidInput
from jiliang.sampling.iso2859_1 import single_plan, tighter_acceptance_number

State = Literal["normal", "tightened", "reduced", "discontinued"]
SCORE_FOR_REDUCED = 30


@dataclass(frozen=True)
class SwitchingState:
    """Where a series of lots stands in the switching scheme."""

    inspection: State = "normal"
    recent_normal: tuple[bool, ...] = ()  # acceptance of up to the last 5 lots on normal inspection
    consecutive_accepted: int = 0  # on tightened inspection
    not_accepted_on_tightened: int = 0
    switching_score: int = 0


@dataclass(frozen=True)
class LotRecord:
    """One lot judged inside the switching scheme."""

    index: int
    inspection: str
    code_letter: str
    plan_code_letter: str
    sample_size: int
    acceptance_number: int
    rejection_number: int
    inspect_all: bool
    nonconforming: int
    accepted: bool
    switching_score: int
    next_inspection: str


def _score(score: int, accepted: bool, nonconforming: int, ac: int, tighter_ac: int | None) -> int:
    """Clause 9.3.3.2 a): the switching score after one lot on normal inspection (single sampling)."""
    if ac >= 2:
        return score + 3 if tighter_ac is not None and nonconforming <= tighter_ac else 0
    return score + 2 if accepted else 0


def _after_normal(
    state: SwitchingState, accepted: bool, score: int, steady: bool, approved: bool
) -> SwitchingState:
    recent = (*state.recent_normal, accepted)[-5:]
    if recent.count(False) >= 2:
        return SwitchingState(inspection="tightened")
    if score >= SCORE_FOR_REDUCED and steady and approved:
        return SwitchingState(inspection="reduced")
    return replace(state, recent_normal=recent, switching_score=score)


def _after_tightened(state: SwitchingState, accepted: bool) -> SwitchingState:
    if accepted:
        if state.consecutive_accepted + 1 >= 5:
            return SwitchingState(inspection="normal")
        return replace(state, consecutive_accepted=state.consecutive_accepted + 1)
    failures = state.not_accepted_on_tightened + 1
    if failures >= 5:
        return SwitchingState(inspection="discontinued", not_accepted_on_tightened=failures)
    return replace(state, consecutive_accepted=0, not_accepted_on_tightened=failures)


def next_lot(
    state: SwitchingState,
    *,
    lot_size: int,
    nonconforming: int,
    aql: float,
    level: str = "II",
    production_steady: bool = True,
    authority_approves_reduced: bool = False,
    index: int = 0,
) -> tuple[SwitchingState, LotRecord]:
    """Judge one lot with the plan of the current inspection and apply the switching rules."""
    if state.inspection == "discontinued":
        raise Conflict("inspection is discontinued (ISO 2859-1 9.4): resume after corrective action", "state")
    plan = single_plan(lot_size, aql, level, state.inspection)
    # Above AQL 10 the count is of nonconformities (per 100 items), which may exceed the sample size.
    most = plan.sample_size if plan.aql <= 10 else None
    if nonconforming < 0 or (most is not None and nonconforming > most):
        raise InvalidInput("nonconforming", f"{nonconforming} is outside 0..{most} (the sample size)")
    accepted = plan.accepts(nonconforming)
    score = state.switching_score
    if state.inspection == "normal":
        tighter = tighter_acceptance_number(plan.plan_code_letter, aql)
        score = _score(score, accepted, nonconforming, plan.acceptance_number, tighter)
        new = _after_normal(state, accepted, score, production_steady, authority_approves_reduced)
    elif state.inspection == "tightened":
        new = _after_tightened(state, accepted)
    else:
        new = state if accepted and production_steady else SwitchingState(inspection="normal")
    record = LotRecord(
        index=index,
        inspection=plan.inspection,
        code_letter=plan.code_letter,
        plan_code_letter=plan.plan_code_letter,
        sample_size=plan.sample_size,
        acceptance_number=plan.acceptance_number,
        rejection_number=plan.rejection_number,
        inspect_all=plan.inspect_all,
        nonconforming=nonconforming,
        accepted=accepted,
        switching_score=score,
        next_inspection=new.inspection,
    )
    return new, record


def resume(state: SwitchingState) -> SwitchingState:
    """Clause 9.4: after the supplier's corrective action, inspection restarts on tightened."""
    if state.inspection != "discontinued":
        raise Conflict(f"inspection is {state.inspection}, not discontinued", "state")
    return SwitchingState(inspection="tightened")


def run_series(
    lots: list[tuple[int, int]],
    aql: float,
    level: str = "II",
    *,
    production_steady: bool = True,
    authority_approves_reduced: bool = False,
    start: SwitchingState | None = None,
) -> tuple[SwitchingState, tuple[LotRecord, ...]]:
    """Fold :func:`next_lot` over ``lots`` given as (lot size, nonconforming count) pairs."""
    state = start or SwitchingState()
    records = []
    for i, (lot_size, count) in enumerate(lots):
        state, record = next_lot(
            state,
            lot_size=lot_size,
            nonconforming=count,
            aql=aql,
            level=level,
            production_steady=production_steady,
            authority_approves_reduced=authority_approves_reduced,
            index=i,
        )
        records.append(record)
        if state.inspection == "discontinued":
            break
    return state, tuple(records)
