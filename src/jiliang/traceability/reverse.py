"""The impact report of an out-of-tolerance standard or reference material (issue 5, item 4):
fetch the downstream closure in one query, find the affected results (:mod:`.impact`),
re-evaluate their statements, and list the affected items and owners."""

from __future__ import annotations

import csv
import gc
import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from django.db import connection

from jiliang.errors import InvalidInput
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.traceability.impact import Error, Window, depths, reevaluate_arrays
from jiliang.units import to_base

_FAR = date(9999, 12, 31)


# Every use reached downstream of the source: used it in the window (direct = 1), or used a
# certificate of a record already reached (at any date). ``UNION`` ends cycles. PostgreSQL
# expands each reached record once (DISTINCT); SQLite forbids the recursive table in a subquery.
_HITS = """
    WITH RECURSIVE hits(record_id, result_id, certificate_id, direct) AS (
        SELECT u.record_id, u.result_id, u.certificate_id, 1 FROM calibration_usage u
        JOIN calibration_record r ON r.id = u.record_id
        WHERE u.{column} = %s AND r.calibration_date >= %s AND r.calibration_date <= %s
        UNION
        SELECT u.record_id, u.result_id, u.certificate_id, 0
        FROM {reached} JOIN calibration_usage u ON u.certificate_id = h.record_id
    )"""
_REACHED = {"postgresql": "(SELECT DISTINCT record_id FROM hits) h"}
# With each use, its record, result and item (label and owner): one query in all. Numbers are
# cast to floats in the database (the analysis works in floats; Decimal conversion would dominate).
_USES = """
    SELECT h.record_id, h.result_id, h.direct, h.certificate_id,
           CAST(r.calibration_date AS VARCHAR(10)), r.certificate_number, r.decision_rule, res.unit,
           CAST(res.nominal_value AS DOUBLE PRECISION), CAST(res.measured_value AS DOUBLE PRECISION),
           CAST(res.expanded_uncertainty AS DOUBLE PRECISION), CAST(res.coverage_factor AS DOUBLE PRECISION),
           CAST(res.tolerance_lower AS DOUBLE PRECISION), CAST(res.tolerance_upper AS DOUBLE PRECISION),
           r.instrument_id, r.standard_id,
           COALESCE(i.manufacturer || ' ' || i.model || ' ' || i.serial_number, s.name), o.id, o.name
    FROM hits h JOIN calibration_record r ON r.id = h.record_id JOIN calibration_result res ON res.id = h.result_id
    LEFT JOIN registry_instrument i ON i.id = r.instrument_id
    LEFT JOIN registry_measurementstandard s ON s.id = r.standard_id
    LEFT JOIN registry_institution o ON o.id = COALESCE(i.owner_id, s.owner_id)"""
# Not ``certificate_id IN (SELECT id FROM tainted)``, as before: PostgreSQL cannot hash a subplan
# larger than work_mem and then rescans the CTE for every row (222 s at 200,000 records).


def _uses(column: str, source_id: int, window: Window) -> list[tuple[Any, ...]]:
    reached = _REACHED.get(connection.vendor, "hits h")
    sql = _HITS.format(column=column, reached=reached) + _USES
    with connection.cursor() as cursor:
        cursor.execute(sql, [source_id, window.since, window.until or _FAR])
        return cursor.fetchall()  # dates as ISO text: numpy reads it faster than date objects


class AffectedResult(NamedTuple):
    """One affected result (a named tuple: hundreds of thousands are built per report)."""

    certificate_number: str
    record_id: int
    result_id: int
    depth: int
    unit: str
    nominal_value: float
    decision: str
    new_decision: str
    changed: bool
    note: str


class AffectedItem(NamedTuple):
    """An affected instrument or standard, its owner and its affected certificates."""

    kind: str
    id: int
    label: str
    owner_id: int
    owner: str
    certificates: tuple[str, ...]


@dataclass(frozen=True)
class ImpactReport:
    source: str
    window: Window
    error: Error | None
    results: tuple[AffectedResult, ...]
    items: tuple[AffectedItem, ...]

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jiliang trace impact`` and ``GET /api/traceability/impact/``."""
        return {
            "source": self.source,
            "since": self.window.since.isoformat(),
            "until": self.window.until.isoformat() if self.window.until else None,
            "range": [self.window.low, self.window.high]
            if self.window.low is not None or self.window.high is not None
            else None,
            "error": asdict(self.error) if self.error else None,
            "affected_records": len({r.record_id for r in self.results}),
            "affected_results": len(self.results),
            "changed_decisions": sum(r.changed for r in self.results),
            "max_depth": max((r.depth for r in self.results), default=0),
            "results": [r._asdict() for r in self.results],
            "items": [i._asdict() | {"certificates": list(i.certificates)} for i in self.items],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(AffectedResult._fields)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(self.results)
        return out.getvalue()


def _conversion(unit: str, target: str | None) -> tuple[float, float]:
    """(factor, shift) that express a result's ``unit`` in ``target``: a difference (the error,
    its uncertainty) times ``factor``; a nominal value times ``factor`` plus ``shift`` (20 °C is
    293.15 K). (1, 0) when no target; NaN when the units cannot be compared."""
    if target is None:
        return 1.0, 0.0
    try:
        a, b = to_base(unit), to_base(target)
    except InvalidInput:
        return math.nan, math.nan
    if a.dimension != b.dimension:
        return math.nan, math.nan
    return a.scale / b.scale, (a.offset - b.offset) / b.scale


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Building hundreds of thousands of tuples triggers the cyclic garbage collector again and
    again (it scans every live container each time); none of them form cycles."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def impact(
    source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    with _gc_paused():
        return _impact(source, window, error)


def _impact(
    source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    """Everything downstream of ``source`` in ``window`` (one query at any depth); the depths
    and the re-evaluated statements are computed on numpy columns, not per row in Python."""
    column = "standard_id" if isinstance(source, MeasurementStandard) else "reference_material_id"
    uses = _Uses(_uses(column, source.pk, window), error.unit if error else None)
    result_ids, levels = depths(
        record=uses.record, result=uses.result, certificate=uses.certificate,
        has_certificate=uses.has_certificate, started=uses.started(window), in_range=uses.in_range(window),
    )  # fmt: skip
    rows = uses.first_row_of(result_ids)
    order = np.lexsort((result_ids, uses.record[rows], levels))
    results = _reevaluated(uses, rows[order], levels[order], error)
    return ImpactReport(str(source), window, error, results, _items(uses, rows))


class _Uses:
    """The rows of the uses query as numpy columns (or lists, for text)."""

    def __init__(self, rows: list[tuple[Any, ...]], target: str | None) -> None:
        columns = list(zip(*rows, strict=True)) or [()] * 19
        self.record = np.array(columns[0], dtype=np.int64)
        self.result = np.array(columns[1], dtype=np.int64)
        self.direct = np.array(columns[2], dtype=bool)
        self.has_certificate = np.array([c is not None for c in columns[3]], dtype=bool)
        self.certificate = np.array([c or 0 for c in columns[3]], dtype=np.int64)
        self.dates = np.array(columns[4], dtype="datetime64[D]")
        self.numbers, self.rules, self.units = columns[5], columns[6], columns[7]
        nominal, measured, expanded, k, lower, upper = (np.array(c, dtype=float) for c in columns[8:14])
        self.nominal, self.error, self.expanded, self.k = nominal, measured - nominal, expanded, k
        self.lower, self.upper = lower, upper
        conversions = {unit: _conversion(unit, target) for unit in set(self.units)}
        self.factor = np.array([conversions[u][0] for u in self.units], dtype=float)
        self.shift = np.array([conversions[u][1] for u in self.units], dtype=float)
        self.instrument, self.standard, self.labels, self.owner, self.owner_name = columns[14:19]

    def started(self, window: Window) -> npt.NDArray[np.bool_]:
        since = np.datetime64(window.since)
        until = np.datetime64(window.until or _FAR)
        return self.direct & (self.dates >= since) & (self.dates <= until)

    def in_range(self, window: Window) -> npt.NDArray[np.bool_]:
        """Nominal values (in the error's unit) inside the range; incomparable units always are."""
        value = self.nominal * self.factor + self.shift  # a value: 20 °C is 293.15 K
        inside = np.ones(len(value), dtype=bool)
        if window.low is not None:
            inside &= ~(value < window.low)  # NaN (incomparable unit) stays inside
        if window.high is not None:
            inside &= ~(value > window.high)
        return inside

    def first_row_of(self, result_ids: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
        """A row index for each result (rows of one result carry the same result columns)."""
        order = np.argsort(self.result, kind="stable")
        return np.asarray(order[np.searchsorted(self.result[order], result_ids)], dtype=np.int64)


def _reevaluated(
    uses: _Uses, rows: npt.NDArray[np.int64], levels: npt.NDArray[np.int64], error: Error | None
) -> tuple[AffectedResult, ...]:
    n = len(rows)
    lower, upper, factor = uses.lower[rows], uses.upper[rows], uses.factor[rows]
    no_tolerance = np.isnan(lower) & np.isnan(upper)
    notes = np.full(n, "", dtype=object)
    if error is None:
        notes[:] = "no as-found error given"
    else:
        incomparable = np.isnan(factor)
        for i in np.flatnonzero(incomparable):
            notes[i] = f"unit {uses.units[rows[i]]} cannot be compared with {error.unit}"
    notes[no_tolerance] = "no tolerance: no conformity statement to re-evaluate"
    before = np.full(n, "", dtype=object)
    after = np.full(n, "", dtype=object)
    todo = np.flatnonzero(notes == "")
    if error is not None and len(todo):
        picked, scale = rows[todo], factor[todo]
        before[todo], after[todo] = reevaluate_arrays(
            error=uses.error[picked], expanded_uncertainty=uses.expanded[picked],
            coverage_factor=uses.k[picked], lower=lower[todo], upper=upper[todo],
            rules=[uses.rules[i] for i in picked.tolist()],
            shift=error.value / scale, extra_u=error.expanded_uncertainty / 2 / scale,  # differences
        )  # fmt: skip
    changed = (before != "") & (before != after)
    listed = rows.tolist()
    columns = (
        [uses.numbers[i] for i in listed], uses.record[rows].tolist(), uses.result[rows].tolist(), levels.tolist(),
        [uses.units[i] for i in listed], uses.nominal[rows].tolist(), before.tolist(), after.tolist(),
        changed.tolist(), notes.tolist(),
    )  # fmt: skip
    return tuple(map(AffectedResult._make, zip(*columns, strict=True)))


def _items(uses: _Uses, rows: npt.NDArray[np.int64]) -> tuple[AffectedItem, ...]:
    """The affected instruments and standards with their owners and the affected certificates,
    from the columns the uses query already carries (no further query); grouped with numpy."""
    if not len(rows):
        return ()
    instrument = np.array([uses.instrument[i] or 0 for i in rows.tolist()], dtype=np.int64)
    standard = np.array([uses.standard[i] or 0 for i in rows.tolist()], dtype=np.int64)
    numbers = np.array([uses.numbers[i] for i in rows.tolist()], dtype=object)
    is_standard = instrument == 0  # "instrument" sorts before "standard"
    item = np.where(is_standard, standard, instrument)
    order = np.lexsort((numbers, item, is_standard))
    key = np.stack([is_standard[order], item[order]], axis=1)
    starts = np.flatnonzero(np.r_[True, np.any(key[1:] != key[:-1], axis=1)])
    first = rows[order[starts]].tolist()
    sorted_numbers = numbers[order].tolist()
    bounds = zip(starts.tolist(), [*starts[1:].tolist(), len(sorted_numbers)], strict=True)
    groups = [tuple(dict.fromkeys(sorted_numbers[a:b])) for a, b in bounds]
    return tuple(
        map(
            AffectedItem._make,
            zip(
                ["standard" if s else "instrument" for s in is_standard[order[starts]].tolist()],
                item[order[starts]].tolist(),
                [uses.labels[i] for i in first],
                [uses.owner[i] for i in first],
                [uses.owner_name[i] for i in first],
                groups,
                strict=True,
            ),
        )
    )
