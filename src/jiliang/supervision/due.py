"""Due dates of compulsory verification by form (SAMR announcement 2020 No. 42): pure functions.

* periodic verification (周期检定): due one interval after the last verification;
* first verification only, limited life (限期使用，到期轮换): rotate one service life after the
  first verification;
* first verification only, scrapped when inaccurate (失准报废): no due date.
"""

from __future__ import annotations

import calendar
from datetime import date

from jiliang.errors import InvalidInput

PERIODIC, LIMITED_LIFE, SCRAP = "periodic", "first_limited_life", "first_scrap"
STATES = ("never_verified", "overdue", "due_soon", "current", "no_due_date")


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months; the 31st becomes the month's last day when needed."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_date(
    form: str,
    last_verification: date | None,
    first_verification: date | None,
    interval_months: int | None,
    service_life_months: int | None,
) -> date | None:
    if form == PERIODIC:
        if not interval_months:
            raise InvalidInput("interval_months", "periodic verification needs an interval")
        return None if last_verification is None else add_months(last_verification, interval_months)
    if form == LIMITED_LIFE:
        if not service_life_months:
            raise InvalidInput("service_life_months", "a limited-life form needs the service life")
        start = first_verification or last_verification
        return None if start is None else add_months(start, service_life_months)
    if form == SCRAP:
        return None
    raise InvalidInput("form", f"unknown verification form {form!r}")


def due_state(form: str, verified: bool, due: date | None, today: date, warn_days: int = 30) -> str:
    """One of :data:`STATES` for an instrument on ``today``."""
    if not verified:
        return "never_verified"
    if due is None:
        return "no_due_date" if form == SCRAP else "never_verified"
    if due < today:
        return "overdue"
    if (due - today).days <= warn_days:
        return "due_soon"
    return "current"
