"""Deadlines of the extension procedure (§ 35 Nr. 3 and Nr. 7 MessEV; research notes 1.1).

* The verification period ends on 31 December of the final year (Anlage 7 MessEV practice).
* The authority is notified before testing starts (at least ``notice_days`` before).
* The procedure starts early enough that the whole lot could be replaced before the period ends
  if the sample fails: testing must start no later than expiry - replacement time - test time,
  and the decision must come no later than expiry - replacement time.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from jiliang.errors import Conflict, InvalidInput


@dataclass(frozen=True)
class Schedule:
    expiry: date
    replacement_days: int
    latest_test_start: date
    latest_decision: date


def expiry_of(due_year: int) -> date:
    """The last day of validity of a meter (or lot) falling due in ``due_year``."""
    return date(int(due_year), 12, 31)


def replacement_days(lot_size: int, replacements_per_day: int) -> int:
    """Working days to replace a whole lot at the operator's capacity."""
    if replacements_per_day < 1:
        raise InvalidInput("replacements_per_day", f"{replacements_per_day} must be at least 1")
    return math.ceil(lot_size / replacements_per_day)


def schedule(due_year: int, lot_size: int, replacements_per_day: int, test_days: int) -> Schedule:
    if test_days < 0:
        raise InvalidInput("test_days", f"{test_days} must be at least 0")
    expiry = expiry_of(due_year)
    days = replacement_days(lot_size, replacements_per_day)
    latest_decision = expiry - timedelta(days=days)
    return Schedule(expiry, days, latest_decision - timedelta(days=test_days), latest_decision)


def check_test_start(plan: Schedule, notified_on: date | None, start_on: date, notice_days: int = 0) -> None:
    """Refuse to start testing before the authority was notified, or too late to replace the lot."""
    if notified_on is None:
        raise Conflict(
            "the authority has not been notified of this lot; notify it before testing", "notified_on"
        )
    if (start_on - notified_on).days < notice_days:
        raise Conflict(
            f"testing on {start_on} is less than {notice_days} days after the notification of {notified_on}",
            "started_on",
        )
    if start_on > plan.latest_test_start:
        raise Conflict(
            f"testing on {start_on} is too late: a failing lot could not be replaced before {plan.expiry} "
            f"(latest start {plan.latest_test_start})",
            "started_on",
        )


def check_decision_date(plan: Schedule, decided_on: date) -> None:
    if decided_on > plan.expiry:
        raise Conflict(f"the lot expired on {plan.expiry}; it can no longer be extended", "decided_on")
