"""Out-of-tolerance impact analysis (reverse traceability; ISO/IEC 17025:2017 7.10.1 and 7.10.2,
ILAC-G24 6; JJF 1069 on 不符合工作).

Given a standard found out of tolerance, its as-found error E and the suspect window since its
last good calibration, every result downstream of it is affected:

* depth 1: results whose measurement point used the standard on a date inside the window and,
  when a range is given, with a nominal value inside it;
* depth k > 1: results that used, inside the range, a certificate that holds a depth k − 1 result
  (that certificate's values carry the error, whatever its date).

Model of the correction (stated in docs/traceability.md): each calibration is a direct comparison,
so the error E of the reference transfers one to one into the item's error of indication:
e' = e + E. The uncertainty is enlarged by the standard uncertainty u(E) of the as-found error,
combined in quadrature. Plain data in, frozen dataclasses out: no database here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from jiliang import conformity
from jiliang.calibration.decisions import Point, decide
from jiliang.conformity.rules import statement_name


@dataclass(frozen=True)
class Row:
    """One use of a standard or certificate at one measurement point. ``nominal`` is in the
    unit of the error (None when the units cannot be compared: the range cannot exclude it)."""

    record: int
    result: int
    direct: bool
    certificate: int | None
    calibration_date: date
    nominal: float | None


@dataclass(frozen=True)
class Window:
    since: date
    until: date | None = None
    low: float | None = None
    high: float | None = None

    def covers_date(self, on: date) -> bool:
        return self.since <= on and (self.until is None or on <= self.until)

    def covers_value(self, nominal: float | None) -> bool:
        if nominal is None:
            return True
        return (self.low is None or nominal >= self.low) and (self.high is None or nominal <= self.high)


def affected(rows: Iterable[Row], window: Window) -> dict[int, int]:
    """Affected results and their depth, level by level (breadth first, so depth is minimal)."""
    rows = list(rows)
    by_certificate: dict[int, list[Row]] = {}
    for row in rows:
        if row.certificate is not None:
            by_certificate.setdefault(row.certificate, []).append(row)
    depth: dict[int, int] = {}
    frontier = {
        r.record
        for r in rows
        if r.direct and window.covers_date(r.calibration_date) and _hit(r, window, depth, 1)
    }
    tainted = set(frontier)
    level = 1
    while frontier:
        level += 1
        nxt = set()
        for record in frontier:
            for row in by_certificate.get(record, []):
                if _hit(row, window, depth, level) and row.record not in tainted:
                    nxt.add(row.record)
        tainted |= nxt
        frontier = nxt
    return depth


def _hit(row: Row, window: Window, depth: dict[int, int], level: int) -> bool:
    if not window.covers_value(row.nominal):
        return False
    depth.setdefault(row.result, level)
    return True


@dataclass(frozen=True)
class Error:
    """The as-found error E and the expanded uncertainty U(E) (k = 2) of the source, in ``unit``
    (None: each result's own unit)."""

    value: float
    expanded_uncertainty: float = 0.0
    unit: str | None = None


@dataclass(frozen=True)
class Reevaluation:
    decision: str
    accepted: bool | None
    new_decision: str
    new_accepted: bool | None

    @property
    def changed(self) -> bool:
        return self.decision != self.new_decision


def reevaluate(point: Point, rule: str, error: float, error_u: float) -> Reevaluation:
    """The statement before and after correcting by ``error`` and enlarging u by ``error_u``
    (both in the point's unit), computed by :mod:`jiliang.conformity`."""
    before, ok = decide(point, rule)
    after, new_ok = decide(point, rule, correction=error, extra_u=error_u)
    return Reevaluation(before, ok, after, new_ok)


def reevaluate_many(
    points: Sequence[Point], rules: Sequence[str], errors: Sequence[float], error_us: Sequence[float]
) -> list[tuple[str, str]]:
    """(statement before, statement after) for many points: :func:`reevaluate` vectorised with
    :func:`jiliang.conformity.decide_many`, one call per (rule, tolerance, k) group."""
    groups: dict[tuple[str, float | None, float | None, float], list[int]] = defaultdict(list)
    for i, (point, text) in enumerate(zip(points, rules, strict=True)):
        groups[(text, point.lower, point.upper, point.coverage_factor)].append(i)
    out: list[tuple[str, str]] = [("", "")] * len(points)
    for (name, lower, upper, k), members in groups.items():
        rule, tolerance = conformity.parse_rule(name), conformity.Tolerance(lower, upper)
        e = np.array([points[i].error for i in members])
        u = np.array([points[i].expanded_uncertainty / k for i in members])
        before = conformity.decide_many(e, u, tolerance, rule, coverage_factor=k).codes
        shift = np.array([errors[i] for i in members])
        extra = np.array([error_us[i] for i in members])
        after = conformity.decide_many(
            e + shift, np.hypot(u, extra), tolerance, rule, coverage_factor=k
        ).codes
        for i, b, a in zip(members, before, after, strict=True):
            out[i] = (statement_name(int(b), rule), statement_name(int(a), rule))
    return out


def brute_force_affected(rows: Sequence[Row], window: Window) -> dict[int, int]:
    """Reference definition for tests: iterate "a result is affected at depth d if it used the
    standard in the window (d = 1), or a certificate holding a result of depth d − 1" to a fixed
    point, without any cleverness."""
    depth: dict[int, int] = {}
    changed = True
    while changed:
        changed = False
        for row in rows:
            if not window.covers_value(row.nominal):
                continue
            candidates = []
            if row.direct and window.covers_date(row.calibration_date):
                candidates.append(1)
            if row.certificate is not None:
                candidates += [d + 1 for res, d in depth.items() if _record_of(rows, res) == row.certificate]
            if candidates and min(candidates) < depth.get(row.result, 10**9):
                depth[row.result] = min(candidates)
                changed = True
    return depth


def _record_of(rows: Sequence[Row], result: int) -> int:
    return next(r.record for r in rows if r.result == result)
