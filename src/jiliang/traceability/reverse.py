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
from functools import cached_property
from operator import itemgetter
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
from django.db import connection, transaction
from django.utils.translation import gettext

from jiliang.calibration import usage_facts
from jiliang.errors import InvalidInput
from jiliang.registry.models import MeasurementStandard, ReferenceMaterial
from jiliang.traceability.impact import Error, Window, depths, reevaluate_arrays
from jiliang.units import to_base

_FAR = date(9999, 12, 31)


# Every use reached downstream of the source: used it in the window (direct = 1), or used a
# certificate of a record already reached (at any date). ``UNION`` ends cycles. Each reached use
# comes with the columns of its record and result that the analysis reads (``_CARRIED``, named as
# in the usage facts table).
_CARRIED = (
    "result_id", "certificate_id", "certificate_number", "decision_rule", "unit", "nominal_value",
    "measured_value", "expanded_uncertainty", "coverage_factor", "tolerance_lower", "tolerance_upper",
    "instrument_of_record", "standard_of_record",
)  # fmt: skip
# PostgreSQL reads the usage facts table (kept by triggers; see jiliang.calibration.usage_facts):
# the recursion reads every column from its certificate index alone (index-only), and expands
# each reached record once (DISTINCT) and only if some usage cites it (calibration_citedrecord).
# Nothing is joined back to the record and result tables. At 1,000,000 records: 0.8-1.0 s in
# the database, against 1.5-2.2 s joining the live tables.
_PG_HITS = f"""
    WITH RECURSIVE hits(record_id, direct, {", ".join(_CARRIED)}) AS (
        SELECT f.record_id, 1, {", ".join(f"f.{c}" for c in _CARRIED)}
        FROM calibration_usagefacts f
        WHERE f.{{column}} = %s AND f.calibration_date >= %s AND f.calibration_date <= %s
        UNION
        SELECT f.record_id, 0, {", ".join(f"f.{c}" for c in _CARRIED)}
        FROM (SELECT DISTINCT h.record_id FROM hits h JOIN calibration_citedrecord c ON c.record_id = h.record_id) h
        JOIN calibration_usagefacts f ON f.certificate_id = h.record_id
    )"""
# SQLite reads the live tables (it has no facts table: its rowid lookups of records and results
# cost what reading the facts did, 1.35 s either way at 1,000,000 records). The recursion walks
# the usages' covering indexes; SQLite forbids the recursive table in a subquery. Each use is
# then looked up by primary key, in record order, so that the lookups walk the tables' pages in
# order (15 % less CPU). ``LIMIT -1`` keeps SQLite from dropping the ORDER BY of a subquery.
_LIVE = {name: expr for name, _, expr in usage_facts.COLUMNS}
_SQLITE_HITS = f"""
    WITH RECURSIVE keys(record_id, result_id, certificate_id, direct) AS (
        SELECT u.record_id, u.result_id, u.certificate_id, 1 FROM calibration_usage u
        JOIN calibration_record r ON r.id = u.record_id
        WHERE u.{{column}} = %s AND r.calibration_date >= %s AND r.calibration_date <= %s
        UNION
        SELECT u.record_id, u.result_id, u.certificate_id, 0
        FROM keys k JOIN calibration_usage u ON u.certificate_id = k.record_id
    ), hits AS (
        SELECT u.record_id, u.direct, {", ".join(f"{_LIVE[c]} AS {c}" for c in _CARRIED)}
        FROM (SELECT * FROM keys ORDER BY record_id LIMIT -1) u
        JOIN calibration_record r ON r.id = u.record_id JOIN calibration_result res ON res.id = u.result_id
    )"""
_HITS = {"postgresql": _PG_HITS, "sqlite": _SQLITE_HITS}
# With each use, its item (label and owner): one query in all. Each column is (name, SQL
# expression, type). Missing ids come as 0 (ids are positive) and missing numbers as NaN, so that
# every column goes to numpy without a Python loop.
# No calibration date: a direct use was found by the window already, and only direct uses start.
_SELECT: tuple[tuple[str, str, type], ...] = (
    ("record", "h.record_id", int),
    ("result", "h.result_id", int),
    ("direct", "h.direct", int),
    ("certificate", "COALESCE(h.certificate_id, 0)", int),
    ("number", "h.certificate_number", str),
    ("rule", "h.decision_rule", str),
    ("unit", "h.unit", str),
    ("nominal", "h.nominal_value", float),
    ("measured", "h.measured_value", float),
    ("expanded", "h.expanded_uncertainty", float),
    ("k", "h.coverage_factor", float),
    ("lower", "h.tolerance_lower", float),
    ("upper", "h.tolerance_upper", float),
    ("instrument", "COALESCE(h.instrument_of_record, 0)", int),
    ("standard", "COALESCE(h.standard_of_record, 0)", int),
    ("label", "COALESCE(i.manufacturer || ' ' || i.model || ' ' || i.serial_number, s.name, '')", str),
    ("owner", "COALESCE(o.id, 0)", int),
    ("owner_name", "COALESCE(o.name, '')", str),
)
_FROM = """
    FROM hits h
    LEFT JOIN registry_instrument i ON i.id = h.instrument_of_record
    LEFT JOIN registry_measurementstandard s ON s.id = h.standard_of_record
    LEFT JOIN registry_institution o ON o.id = COALESCE(i.owner_id, s.owner_id)"""
# Not ``certificate_id IN (SELECT id FROM tainted)``, as before: PostgreSQL cannot hash a subplan
# larger than work_mem and then rescans the CTE for every row (222 s at 200,000 records).


def _row_select() -> str:
    """The columns as rows (SQLite: its rows come out of a C library as tuples, cheaply)."""
    return ", ".join(f"CAST({sql} AS DOUBLE PRECISION)" if kind is float else sql for _, sql, kind in _SELECT)


# The rows as one structured array, read in a single pass (``np.fromiter``): NULL numbers become
# NaN, text stays as Python strings.
_ROW = np.dtype([(name, {int: np.int64, float: np.float64, str: object}[kind]) for name, _, kind in _SELECT])


def _columns_of_rows(rows: list[tuple[Any, ...]]) -> dict[str, npt.NDArray[Any]]:
    table = np.fromiter(rows, dtype=_ROW, count=len(rows))
    return {name: table[name] for name, _, _ in _SELECT}


# PostgreSQL packs each row's numbers into one bytea in network byte order (``int8send``,
# ``float8send``; NULL numbers as NaN): a row is that bytea and the texts, and numpy reads the
# joined bytea of all rows as one structured array. psycopg then builds 6 Python objects a row
# instead of 18: at 136,000 rows fetching and decoding took 0.2 s instead of 0.45 s. (Sending
# whole columns with array_agg / string_agg cost the server more than it saved.)
_NUMBERS = [(name, sql, kind) for name, sql, kind in _SELECT if kind is not str]
_TEXTS = [(name, sql) for name, sql, kind in _SELECT if kind is str]
_PACKED = np.dtype([(name, ">i8" if kind is int else ">f8") for name, _, kind in _NUMBERS])


def _packed_select() -> str:
    numbers = " || ".join(
        f"int8send(CAST({sql} AS BIGINT))"
        if kind is int
        else f"float8send(COALESCE(CAST({sql} AS DOUBLE PRECISION), 'NaN'))"
        for _, sql, kind in _NUMBERS
    )
    return ", ".join([numbers, *(sql for _, sql in _TEXTS)])


def _columns_of_packed(rows: list[tuple[Any, ...]]) -> dict[str, npt.NDArray[Any]]:
    # One column at a time with itemgetter (zip(*rows) over 136,000 rows took 0.2 s, this 0.02 s).
    data = b"".join(map(itemgetter(0), rows))
    if len(data) != len(rows) * _PACKED.itemsize:
        raise RuntimeError("the impact query packed a row's numbers wrongly")  # a bug, not bad input
    table = np.frombuffer(data, dtype=_PACKED)
    columns = {name: table[name].astype(np.int64 if kind is int else float) for name, _, kind in _NUMBERS}
    for position, (name, _) in enumerate(_TEXTS, 1):
        columns[name] = np.empty(len(rows), dtype=object)
        columns[name][:] = list(map(itemgetter(position), rows))
    return columns


# PostgreSQL's default random_page_cost (4) prices a page read out of order as if from a spinning
# disk; 1.1 is the usual value for SSDs or tables held in memory (on the live tables it turned
# hashes of the whole record and result tables into merges: 0.95 s instead of 1.3 s at 1,000,000
# records). The query's cost also passes jit_above_cost: compiling its expressions took 85 ms,
# which the query does not gain back. With the default work_mem (4 MB) the reached uses spill to
# disk from about 50,000; at 32 MB the 136,000 rows of the benchmark with their columns still
# spilled (34 MB), at 64 MB they stay in memory. All three are set for this query only, in one
# statement (``set_config(..., true)`` is SET LOCAL), in a transaction or savepoint that is
# rolled back after the read: nothing is written, nothing outlives the analysis.
_SETTINGS = {
    "postgresql": "SELECT set_config('random_page_cost', '1.1', true), set_config('jit', 'off', true), "
    "set_config('work_mem', '64MB', true)"
}
# The statements each analysis runs, by database (a query-count test holds them to it).
STATEMENTS = {"sqlite": 1, "postgresql": 2}


def _uses(column: str, source_id: int, window: Window) -> dict[str, npt.NDArray[Any]]:
    """The columns of every use reached (see ``_SELECT``)."""
    hits = _HITS[connection.vendor].format(column=column)
    params: list[int | date] = [source_id, window.since, window.until or _FAR]
    settings = _SETTINGS.get(connection.vendor)
    if settings is None:
        with connection.cursor() as cursor:
            cursor.execute(f"{hits} SELECT {_row_select()} {_FROM}", params)
            return _columns_of_rows(cursor.fetchall())
    with transaction.atomic(), _binary_cursor() as cursor:
        cursor.execute(settings)
        cursor.execute(f"{hits} SELECT {_packed_select()} {_FROM}", params)
        rows = cursor.fetchall()
        transaction.set_rollback(True)  # undoes the settings (a savepoint inside a transaction)
    return _columns_of_packed(rows)


def _binary_cursor() -> Any:
    """A cursor that receives PostgreSQL's binary format: the packed numbers come as raw bytes,
    not as hex text twice their size (0.1-0.15 s less per analysis at 136,000 rows). Django's
    own cursors bind parameters on the client, which psycopg allows only with text results; this
    one binds them on the server, and Django's wrapper still logs and counts its queries."""
    import psycopg

    connection.ensure_connection()
    raw: Any = psycopg.Cursor(connection.connection)  # the stubs type the argument as the wrapper
    raw.format = psycopg.pq.Format.BINARY
    return connection.make_debug_cursor(raw) if connection.queries_logged else connection.make_cursor(raw)


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
    """The report. Its rows are kept as columns (lists, one entry per row, in report order) and
    built into named tuples only when read: the page shows the first 500, and the JSON and CSV
    exports write from the columns directly."""

    source: str
    window: Window
    error: Error | None
    result_columns: tuple[list[Any], ...]  # AffectedResult's fields
    item_columns: tuple[list[Any], ...]  # AffectedItem's fields

    @cached_property
    def results(self) -> tuple[AffectedResult, ...]:
        return tuple(map(AffectedResult._make, zip(*self.result_columns, strict=True)))

    @cached_property
    def items(self) -> tuple[AffectedItem, ...]:
        return tuple(map(AffectedItem._make, zip(*self.item_columns, strict=True)))

    def _column(self, name: str) -> list[Any]:
        return self.result_columns[AffectedResult._fields.index(name)]

    def first_results(self, n: int) -> list[AffectedResult]:
        """The first ``n`` results (what a page shows), built without building the rest."""
        return [AffectedResult._make(row) for row in zip(*(c[:n] for c in self.result_columns), strict=True)]

    def first_items(self, n: int) -> list[AffectedItem]:
        """The first ``n`` affected items, built without building the rest."""
        return [AffectedItem._make(row) for row in zip(*(c[:n] for c in self.item_columns), strict=True)]

    def summary(self) -> dict[str, Any]:
        """The report's figures and parameters: :meth:`as_dict` without the rows."""
        return {
            "source": self.source,
            "since": self.window.since.isoformat(),
            "until": self.window.until.isoformat() if self.window.until else None,
            "range": [self.window.low, self.window.high]
            if self.window.low is not None or self.window.high is not None
            else None,
            "error": asdict(self.error) if self.error else None,
            "affected_records": len(set(self._column("record_id"))),
            "affected_results": len(self._column("record_id")),
            "affected_items": len(self.item_columns[0]) if self.item_columns else 0,
            "changed_decisions": sum(self._column("changed")),
            "max_depth": max(self._column("depth"), default=0),
        }

    def as_dict(self) -> dict[str, Any]:
        """The JSON contract of ``jiliang trace impact`` and ``GET /api/traceability/impact/``."""
        result_fields, item_fields = AffectedResult._fields, AffectedItem._fields
        certificates = item_fields.index("certificates")
        return self.summary() | {
            "results": [
                dict(zip(result_fields, row, strict=True)) for row in zip(*self.result_columns, strict=True)
            ],
            "items": [
                dict(zip(item_fields, row, strict=True)) | {"certificates": list(row[certificates])}
                for row in zip(*self.item_columns, strict=True)
            ],
        }

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(AffectedResult._fields)
        writer.writerows(zip(*self.result_columns, strict=True))
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
        has_certificate=uses.certificate != 0, started=uses.direct, in_range=uses.in_range(window),
    )  # fmt: skip
    rows = uses.first_row_of(result_ids)
    order = np.lexsort((result_ids, uses.record[rows], levels))
    results = _reevaluated(uses, rows[order], levels[order], error)
    return ImpactReport(str(source), window, error, results, _items(uses, rows))


class _Uses:
    """The rows of the uses query as numpy columns (text as object arrays)."""

    def __init__(self, columns: dict[str, npt.NDArray[Any]], target: str | None) -> None:
        self.record, self.result = columns["record"], columns["result"]
        self.certificate = columns["certificate"]
        self.direct = columns["direct"] != 0
        self.numbers, self.rules, self.units = columns["number"], columns["rule"], columns["unit"]
        self.nominal, self.error = columns["nominal"], columns["measured"] - columns["nominal"]
        self.expanded, self.k = columns["expanded"], columns["k"]
        self.lower, self.upper = columns["lower"], columns["upper"]
        units, unit_code = np.unique(self.units.astype(str), return_inverse=True)
        conversions = np.array([_conversion(unit, target) for unit in units.tolist()], dtype=float)
        per_row = conversions.reshape(-1, 2)[unit_code.reshape(-1)]
        self.factor, self.shift = per_row[:, 0], per_row[:, 1]
        self.instrument, self.standard = columns["instrument"], columns["standard"]  # 0: none
        self.labels, self.owner, self.owner_name = columns["label"], columns["owner"], columns["owner_name"]

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
) -> tuple[list[Any], ...]:
    """The columns of the affected results: depths, and the statements before and after."""
    n = len(rows)
    lower, upper, factor = uses.lower[rows], uses.upper[rows], uses.factor[rows]
    no_tolerance = np.isnan(lower) & np.isnan(upper)
    notes = np.full(n, "", dtype=object)
    if error is None:
        notes[:] = gettext("no as-found error given")
    else:
        incomparable = np.isnan(factor)
        for i in np.flatnonzero(incomparable):
            values = {"unit": uses.units[rows[i]], "error_unit": error.unit}
            notes[i] = gettext("unit %(unit)s cannot be compared with %(error_unit)s") % values
    notes[no_tolerance] = gettext("no tolerance: no conformity statement to re-evaluate")
    before = np.full(n, "", dtype=object)
    after = np.full(n, "", dtype=object)
    todo = np.flatnonzero(notes == "")
    if error is not None and len(todo):
        picked, scale = rows[todo], factor[todo]
        before[todo], after[todo] = reevaluate_arrays(
            error=uses.error[picked], expanded_uncertainty=uses.expanded[picked],
            coverage_factor=uses.k[picked], lower=lower[todo], upper=upper[todo],
            rules=uses.rules[picked].tolist(),
            shift=error.value / scale, extra_u=error.expanded_uncertainty / 2 / scale,  # differences
        )  # fmt: skip
    changed = (before != "") & (before != after)
    return (
        uses.numbers[rows].tolist(), uses.record[rows].tolist(), uses.result[rows].tolist(), levels.tolist(),
        uses.units[rows].tolist(), uses.nominal[rows].tolist(), before.tolist(), after.tolist(),
        changed.tolist(), notes.tolist(),
    )  # fmt: skip


def _items(uses: _Uses, rows: npt.NDArray[np.int64]) -> tuple[list[Any], ...]:
    """The affected instruments and standards with their owners and the affected certificates,
    from the columns the uses query already carries (no further query); grouped with numpy."""
    if not len(rows):
        return ([],) * len(AffectedItem._fields)
    instrument, standard = uses.instrument[rows], uses.standard[rows]
    is_standard = instrument == 0  # "instrument" sorts before "standard"
    item, record = np.where(is_standard, standard, instrument), uses.record[rows]
    order = np.lexsort((record, item, is_standard))
    key = np.stack([is_standard[order], item[order], record[order]], axis=1)
    once = np.r_[True, np.any(key[1:] != key[:-1], axis=1)]  # each record once per item
    order, key = order[once], key[once]
    starts = np.flatnonzero(np.r_[True, np.any(key[1:, :2] != key[:-1, :2], axis=1)])
    first = rows[order[starts]]
    # Most items have one affected certificate: 1-tuples for all at C speed, then the others
    # (their numbers sorted, each once: two issuers may give the same number).
    groups = list(zip(uses.numbers[first].tolist()))
    sizes = np.diff(np.r_[starts, len(order)])
    numbers, several = uses.numbers[rows[order]].tolist(), np.flatnonzero(sizes > 1)
    for i, start, size in zip(
        several.tolist(), starts[several].tolist(), sizes[several].tolist(), strict=True
    ):
        groups[i] = tuple(sorted(set(numbers[start : start + size])))
    return (
        ["standard" if s else "instrument" for s in key[starts, 0].tolist()],
        key[starts, 1].tolist(),
        uses.labels[first].tolist(),
        uses.owner[first].tolist(),
        uses.owner_name[first].tolist(),
        groups,
    )
