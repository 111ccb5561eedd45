"""The impact report of an out-of-tolerance standard or reference material (issue 5, item 4):
fetch the downstream closure in two queries, find the affected results (:mod:`.impact`),
re-evaluate their statements, and list the affected items and owners."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models.expressions import RawSQL

from jiliang.calibration.models import Record
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.traceability.impact import Error, Window, depths, reevaluate_arrays
from jiliang.traceability.queries import to_base

_FAR = date(9999, 12, 31)


_CTE = """
    WITH RECURSIVE tainted(id) AS (
        SELECT u.record_id FROM calibration_usage u JOIN calibration_record r ON r.id = u.record_id
        WHERE u.{column} = %s AND r.calibration_date >= %s AND r.calibration_date <= %s
        UNION
        SELECT u.record_id FROM calibration_usage u JOIN tainted t ON u.certificate_id = t.id
    )"""
# Every use of the source or of a downstream certificate by a downstream record; numbers cast to
# floats in the database (the analysis works in floats; Decimal conversion would dominate).
_USES = """
    SELECT u.record_id, u.result_id, CASE WHEN u.{column} = %s THEN 1 ELSE 0 END, u.certificate_id,
           r.calibration_date, r.certificate_number, r.decision_rule, res.unit,
           CAST(res.nominal_value AS DOUBLE PRECISION), CAST(res.measured_value AS DOUBLE PRECISION),
           CAST(res.expanded_uncertainty AS DOUBLE PRECISION), CAST(res.coverage_factor AS DOUBLE PRECISION),
           CAST(res.tolerance_lower AS DOUBLE PRECISION), CAST(res.tolerance_upper AS DOUBLE PRECISION)
    FROM tainted t JOIN calibration_usage u ON u.record_id = t.id
    JOIN calibration_record r ON r.id = u.record_id JOIN calibration_result res ON res.id = u.result_id
    LEFT JOIN tainted c ON c.id = u.certificate_id
    WHERE u.{column} = %s OR c.id IS NOT NULL"""
# A join, not ``certificate_id IN (SELECT id FROM tainted)``: PostgreSQL cannot hash a subplan
# larger than work_mem and then rescans the CTE for every row (222 s at 200,000 records).


def _cte_params(source_id: int, window: Window) -> list[Any]:
    return [source_id, window.since, window.until or _FAR]


def _closure(column: str, source_id: int, window: Window) -> RawSQL:
    """Ids of every record downstream of the source: used it in the window, or used (at any
    date) a certificate of a record already downstream. ``UNION`` ends cycles."""
    return RawSQL(_CTE.format(column=column) + " SELECT id FROM tainted", _cte_params(source_id, window))


def _uses(column: str, source_id: int, window: Window) -> list[tuple[Any, ...]]:
    sql = _CTE.format(column=column) + _USES.format(column=column)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*_cte_params(source_id, window), source_id, source_id])
        return cursor.fetchall()  # SQLite gives dates as ISO text: numpy reads both


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


@dataclass(frozen=True)
class AffectedItem:
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
            "items": [asdict(i) | {"certificates": list(i.certificates)} for i in self.items],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        fields = list(AffectedResult._fields)
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(fields)
        writer.writerows(self.results)
        return out.getvalue()


def _factor(unit: str, target: str | None) -> float | None:
    """Multiply a value in ``unit`` by this to express it in ``target`` (1 when no target)."""
    if target is None:
        return 1.0
    a, b = to_base(unit), to_base(target)
    if a is None or b is None or a[0] != b[0]:
        return None
    return a[1] / b[1]


def impact(
    source: MeasurementStandard | ReferenceMaterial, window: Window, error: Error | None = None
) -> ImpactReport:
    """Everything downstream of ``source`` in ``window`` (2 queries at any depth); the depths
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
    closure = _closure(column, source.pk, window)
    return ImpactReport(str(source), window, error, results, _items({r.record_id for r in results}, closure))


class _Uses:
    """The rows of the uses query as numpy columns (or lists, for text)."""

    def __init__(self, rows: list[tuple[Any, ...]], target: str | None) -> None:
        columns = list(zip(*rows, strict=True)) or [()] * 14
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
        factors = {unit: _factor(unit, target) for unit in set(self.units)}
        self.factor = np.array([factors[u] for u in self.units], dtype=float)  # None -> NaN

    def started(self, window: Window) -> npt.NDArray[np.bool_]:
        since = np.datetime64(window.since)
        until = np.datetime64(window.until or _FAR)
        return self.direct & (self.dates >= since) & (self.dates <= until)

    def in_range(self, window: Window) -> npt.NDArray[np.bool_]:
        """Nominal values (in the error's unit) inside the range; incomparable units always are."""
        value = self.nominal * self.factor
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
            shift=error.value / scale, extra_u=error.expanded_uncertainty / 2 / scale,
        )  # fmt: skip
    changed = (before != "") & (before != after)
    listed = rows.tolist()
    columns = (
        [uses.numbers[i] for i in listed], uses.record[rows].tolist(), uses.result[rows].tolist(), levels.tolist(),
        [uses.units[i] for i in listed], uses.nominal[rows].tolist(), before.tolist(), after.tolist(),
        changed.tolist(), notes.tolist(),
    )  # fmt: skip
    return tuple(map(AffectedResult._make, zip(*columns, strict=True)))


def _items(record_ids: set[int], closure: RawSQL) -> tuple[AffectedItem, ...]:
    """The affected instruments and standards with their owners: one query over the closure,
    tuples (no model instances), grouped by item."""
    records = Record.objects.filter(pk__in=closure).order_by().values_list(
        "id", "certificate_number", "instrument_id", "instrument__manufacturer", "instrument__model",
        "instrument__serial_number", "instrument__owner_id", "instrument__owner__name", "standard_id",
        "standard__name", "standard__owner_id", "standard__owner__name",
    )  # fmt: skip
    items: dict[tuple[str, int], tuple[str, int, str, list[str]]] = {}
    for row in records:
        if row[0] not in record_ids:
            continue
        key = ("instrument", row[2]) if row[2] else ("standard", row[8])
        entry = items.get(key)
        if entry is None:
            label = f"{row[3]} {row[4]} {row[5]}" if row[2] else row[9]
            entry = items[key] = (label, *(row[6:8] if row[2] else row[10:12]), [])
        entry[3].append(row[1])
    return tuple(
        AffectedItem(kind, pk, label, owner, owner_name, tuple(sorted(numbers)))
        for (kind, pk), (label, owner, owner_name, numbers) in sorted(items.items())
    )
