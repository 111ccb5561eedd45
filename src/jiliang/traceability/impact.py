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

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import numpy.typing as npt
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from jiliang import conformity
from jiliang.calibration.decisions import Point, decide
from jiliang.conformity.rules import BINARY_STATEMENTS, NONBINARY_STATEMENTS

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]
FloatArray = npt.NDArray[np.float64]


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
    """Affected results and their (minimal) depth: :func:`depths` on a list of rows."""
    rows = list(rows)
    found = depths(
        record=np.array([r.record for r in rows], dtype=np.int64),
        result=np.array([r.result for r in rows], dtype=np.int64),
        certificate=np.array([r.certificate or 0 for r in rows], dtype=np.int64),
        has_certificate=np.array([r.certificate is not None for r in rows], dtype=bool),
        started=np.array([r.direct and window.covers_date(r.calibration_date) for r in rows], dtype=bool),
        in_range=np.array([window.covers_value(r.nominal) for r in rows], dtype=bool),
    )
    return dict(zip(found[0].tolist(), found[1].tolist(), strict=True))


def depths(
    *,
    record: IntArray,
    result: IntArray,
    certificate: IntArray,
    has_certificate: BoolArray,
    started: BoolArray,
    in_range: BoolArray,
) -> tuple[IntArray, IntArray]:
    """(result ids, depths) of every affected result, one entry per row array element given.

    ``started``: the row used the source inside the window; ``in_range``: its nominal value lies
    in the range. Records are nodes; a virtual node stands before depth 1, with an edge to the
    record of every started row in range, and every row in range that used a certificate is an
    edge from that certificate to its record. A record's depth is its unweighted shortest-path
    distance from the virtual node (breadth first, so the depth is minimal; cycles end by
    themselves); a result's depth is the least over its rows of 1 (started) or its certificate's
    depth + 1. Linear in the number of rows (no loop over levels in Python)."""
    n = len(record)
    if n == 0:
        return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.int64)
    nodes, inverse = np.unique(np.concatenate([record, certificate[has_certificate]]), return_inverse=True)
    inverse = inverse.reshape(-1)
    record_node, certificate_node = inverse[:n], np.zeros(n, dtype=np.int64)
    certificate_node[has_certificate] = inverse[n:]
    first, edges = started & in_range, has_certificate & in_range
    origin = len(nodes)
    tails = np.concatenate([np.full(int(first.sum()), origin), certificate_node[edges]])
    heads = np.concatenate([record_node[first], record_node[edges]])
    graph = csr_matrix((np.ones(len(tails)), (tails, heads)), shape=(origin + 1, origin + 1))
    distance = shortest_path(graph, directed=True, unweighted=True, indices=origin)
    level = np.where(first, 1.0, np.inf)
    level[edges] = np.minimum(level[edges], distance[certificate_node[edges]] + 1)
    results, row_result = np.unique(result, return_inverse=True)
    best = np.full(len(results), np.inf)
    np.minimum.at(best, row_result.reshape(-1), level)
    hit = np.isfinite(best)
    return results[hit], best[hit].astype(np.int64)


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
    """(statement before, statement after) for many points: :func:`reevaluate` vectorised
    (:func:`reevaluate_arrays` on the points' numbers)."""
    if not points:
        return []

    def column(values: Iterable[float | None]) -> FloatArray:
        return np.array([np.nan if v is None else v for v in values], dtype=float)

    before, after = reevaluate_arrays(
        error=np.array([p.error for p in points], dtype=float),
        expanded_uncertainty=column(p.expanded_uncertainty for p in points),
        coverage_factor=column(p.coverage_factor for p in points),
        lower=column(p.lower for p in points),
        upper=column(p.upper for p in points),
        rules=rules,
        shift=column(errors),
        extra_u=column(error_us),
    )
    return list(zip(before.tolist(), after.tolist(), strict=True))


def reevaluate_arrays(
    *,
    error: FloatArray,
    expanded_uncertainty: FloatArray,
    coverage_factor: FloatArray,
    lower: FloatArray,
    upper: FloatArray,
    rules: Sequence[str],
    shift: FloatArray,
    extra_u: FloatArray,
) -> tuple[npt.NDArray[np.object_], npt.NDArray[np.object_]]:
    """Statements before and after the correction (``shift`` added to the error, ``extra_u``
    combined in quadrature with u = U/k), as arrays of names; a missing limit is NaN. One call of
    :func:`jiliang.conformity.decide_many` per (rule, tolerance, k) group, found with numpy."""
    names = {text: i for i, text in enumerate(dict.fromkeys(rules))}
    keys = np.column_stack([
        np.array([names[text] for text in rules], dtype=float),
        np.where(np.isnan(lower), -np.inf, lower), np.where(np.isnan(upper), np.inf, upper), coverage_factor,
    ])  # fmt: skip
    groups, member_group = _groups(keys)
    order = np.argsort(member_group, kind="stable")
    ends = np.cumsum(np.bincount(member_group, minlength=len(groups)))
    texts = list(names)
    before = np.empty(len(error), dtype=object)
    after = np.empty(len(error), dtype=object)
    for (code, lo, hi, k), end, size in zip(groups, ends, np.diff(ends, prepend=0), strict=True):
        members = order[end - size : end]
        rule = conformity.parse_rule(texts[int(code)])
        tolerance = conformity.Tolerance(None if np.isinf(lo) else lo, None if np.isinf(hi) else hi)
        table = np.array(BINARY_STATEMENTS if rule.binary else NONBINARY_STATEMENTS, dtype=object)
        e, u = error[members], expanded_uncertainty[members] / k
        codes = conformity.decide_many(e, u, tolerance, rule, coverage_factor=k).codes
        before[members] = table[codes]
        moved = e + shift[members], np.hypot(u, extra_u[members])
        after[members] = table[conformity.decide_many(*moved, tolerance, rule, coverage_factor=k).codes]
    return before, after


def _groups(keys: FloatArray) -> tuple[FloatArray, IntArray]:
    """The distinct rows of ``keys`` and each row's group: codes per column, combined into one
    integer (a 1-D sort each; ``np.unique(axis=0)`` sorts rows as bytes, several times slower)."""
    columns = [np.unique(keys[:, j], return_inverse=True) for j in range(keys.shape[1])]
    sizes = tuple(len(values) for values, _ in columns)
    combined = np.ravel_multi_index(tuple(inverse.reshape(-1) for _, inverse in columns), sizes)
    codes, first, member_group = np.unique(combined, return_index=True, return_inverse=True)
    return keys[first], member_group.reshape(-1).astype(np.int64)


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
