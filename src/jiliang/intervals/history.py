"""As-found calibration histories: the data every interval method reads (ILAC-G24:2007, NCSLI RP-1).

Each row is one calibration: how long the instrument had been in service since its previous
calibration (``interval``) and whether it was found in tolerance (``in_tolerance``). ``instrument``
names the item (optional; a group of like instruments shares one reliability model) and ``date`` the
calibration (optional ISO date, used to order an instrument's rows). The edges read the CSV; this
module only validates the values it is given, naming the line and column of anything wrong.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import numpy.typing as npt

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.units import parse_unit, ureg

COLUMNS = ("instrument", "date", "interval", "in_tolerance")
_TRUE = {"1", "true", "yes", "y", "in", "pass", "t"}
_FALSE = {"0", "false", "no", "n", "out", "fail", "f"}
DEFAULT_TARGET = 0.90  # JJF 1139: end-of-period reliability of at least 0.90 unless the user says more


@dataclass(frozen=True)
class History:
    """Validated as-found results, in time order within each instrument."""

    interval: npt.NDArray[np.float64]
    in_tolerance: npt.NDArray[np.bool_]
    instrument: tuple[str, ...]
    unit: str = "d"

    def __len__(self) -> int:
        return int(self.interval.size)

    @property
    def instruments(self) -> list[str]:
        return list(dict.fromkeys(self.instrument))

    @cached_property
    def pooled(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """(distinct interval lengths, in-tolerance counts, out-of-tolerance counts), computed once:
        the likelihood only needs counts per distinct length, and sorting a fleet's rows is the costly part."""
        t, inverse = np.unique(self.interval, return_inverse=True)
        passed = np.bincount(inverse, weights=self.in_tolerance.astype(float), minlength=t.size).astype(float)
        total = np.bincount(inverse, minlength=t.size).astype(float)
        return t, passed, total - passed

    @property
    def observed_reliability(self) -> float:
        """Fraction of calibrations found in tolerance (the observed end-of-period reliability)."""
        return float(np.mean(self.in_tolerance))


def check_target(target: float, field: str = "target") -> float:
    """A reliability target must lie strictly between 0 and 1."""
    value = float(target)
    if not (math.isfinite(value) and 0.0 < value < 1.0):
        raise InvalidInput(field, f"a reliability must lie in (0, 1), got {target!r}")
    return value


def check_time_unit(unit: str) -> str:
    if not parse_unit(unit, "unit").is_compatible_with(ureg.second):
        raise InvalidInput("unit", f"{unit!r} is not a unit of time")
    return unit


def make_history(
    interval: Iterable[float],
    in_tolerance: Iterable[bool],
    instrument: Iterable[str] | None = None,
    unit: str = "d",
) -> History:
    """Build a history from arrays (the fast path for many instruments); values are checked."""
    t = np.asarray(list(interval) if not isinstance(interval, np.ndarray) else interval, dtype=float)
    ok = np.asarray(list(in_tolerance) if not isinstance(in_tolerance, np.ndarray) else in_tolerance)
    if t.size == 0:
        raise InvalidInput("history", "no calibration results")
    if t.shape != ok.shape:
        raise InvalidInput("history.in_tolerance", "needs one value per interval")
    if not np.all(np.isfinite(t) & (t > 0)):
        raise InvalidInput("history.interval", "every interval must be a finite number > 0")
    names = tuple(instrument) if instrument is not None else ("",) * t.size
    if len(names) != t.size:
        raise InvalidInput("history.instrument", "needs one value per interval")
    return History(t, ok.astype(bool), names, check_time_unit(unit))


def _flag(text: str, field: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise InvalidInput(field, f"in_tolerance must be true/false (or 1/0, yes/no, in/out), got {text!r}")


def _row(where: str, row: Mapping[str, str | None]) -> tuple[str, dt.date | None, float, bool]:
    raw = (row.get("interval") or "").strip()
    try:
        interval = float(raw)
    except ValueError:
        raise InvalidInput(f"{where}interval", f"must be a number, got {raw!r}") from None
    if not (math.isfinite(interval) and interval > 0):
        raise InvalidInput(f"{where}interval", f"must be > 0, got {raw}")
    flag = _flag(row.get("in_tolerance") or "", f"{where}in_tolerance")
    date_text = (row.get("date") or "").strip()
    try:
        date = dt.date.fromisoformat(date_text) if date_text else None
    except ValueError:
        raise InvalidInput(f"{where}date", f"must be an ISO date (YYYY-MM-DD), got {date_text!r}") from None
    return (row.get("instrument") or "").strip(), date, interval, flag


def history_from_rows(
    rows: Iterable[Mapping[str, str | None]], unit: str = "d", first_line: int = 2, where: str = "line {n}: "
) -> History:
    """Validate CSV rows (dicts keyed by column name); every bad value is reported at once.

    An error's field is ``where`` filled with the row number, then the column: ``line 7: interval``
    for a CSV (the header is line 1), ``rows[5].interval`` for JSON rows (``where="rows[{n}]."``).

    Rows are ordered by instrument (first appearance) and then by date where dates are given.
    """
    parsed, errors = [], []
    for number, row in enumerate(rows, start=first_line):
        if number == first_line:
            missing = [c for c in ("interval", "in_tolerance") if c not in row]
            if missing:
                raise InvalidInput("history", f"missing column(s) {', '.join(missing)}; expected {COLUMNS}")
        try:
            parsed.append((number, *_row(where.format(n=number), row)))
        except InvalidInput as exc:
            errors.append(exc)
    if errors:
        raise InvalidInputs(errors)
    if not parsed:
        raise InvalidInput("history", "no calibration results")
    first_seen = {name: i for i, (_n, name, *_rest) in reversed(list(enumerate(parsed)))}
    parsed.sort(key=lambda r: (first_seen[r[1]], r[2] or dt.date.min, r[0]))
    return make_history([r[3] for r in parsed], [r[4] for r in parsed], [r[1] for r in parsed], unit)


def history_from_csv(text: str, unit: str = "d") -> History:
    """Parse the text of a history CSV (header row, then one calibration per row); see docs/intervals.md."""
    try:
        rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    except csv.Error as exc:
        raise InvalidInput("history", f"not a CSV file: {exc}") from None
    if not rows:
        raise InvalidInput("history", "no calibration results (expected a header row and data rows)")
    return history_from_rows(rows, unit=unit)
