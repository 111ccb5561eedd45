"""Bulk import of a meter fleet from CSV: every row is validated, and all rows or none are written.

Columns (header required, UTF-8): ``serial_number, meter_type, ratings, manufacturer, model,
batch, verification_year, installed, district``. ``batch``, ``installed`` (ISO date) and
``district`` (GB/T 2260 code of a registry district) may be empty. Errors name the line, the
column and the reason (``line 12: verification_year: 'x' is not a year``), worded in the active
language (the command's ``--language``); column names and the file's values stay as written.

The file is streamed: each valid row goes straight into PostgreSQL ``COPY`` (SQLite:
``executemany``) inside one transaction, so memory stays bounded by the serial numbers seen (for
the duplicate check). The first error stops the writing; the rest of the file is still checked
(up to 100 errors) and the transaction is rolled back, so a refused file writes nothing. From
50,000 rows on, the meter table's indexes and constraints are rebuilt once after the load.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import chain, islice
from operator import itemgetter
from typing import IO, Any

import numpy as np
from django.db import connection, transaction
from django.db.models import Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.platform import audit
from jiliang.registry.bulk.check import at_line
from jiliang.registry.bulk.write import REBUILD_FROM, _insert_fast, rebuilt_afterwards
from jiliang.registry.models import District
from jiliang.registry.policy import Actor
from jiliang.supervision.choices import MeterStatus
from jiliang.supervision.models import Fleet, Meter, MeterCell
from jiliang.supervision.policy import OPERATE, require

COLUMNS = (
    "serial_number",
    "meter_type",
    "ratings",
    "manufacturer",
    "model",
    "batch",
    "verification_year",
    "installed",
    "district",
)
REQUIRED = ("serial_number", "meter_type", "ratings", "manufacturer", "model", "verification_year")
_LIMITS = {
    "serial_number": 40,
    "meter_type": 60,
    "ratings": 60,
    "manufacturer": 200,
    "model": 100,
    "batch": 60,
}
TARGETS = (
    "fleet_id",
    *COLUMNS[:7],
    "installed",
    "district_id",
    "status",
    "excluded",
)
MAX_ERRORS = 100
NOTHING_IMPORTED = gettext_lazy("nothing was imported")  # the last line of a refused import


@dataclass(frozen=True)
class ImportResult:
    imported: int
    sha256: str


@lru_cache(maxsize=100_000)
def _parse_date(text: str) -> date | None:
    """ISO date or None; memoised because a fleet has few distinct installation dates."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class _Checker:
    def __init__(self, fleet: Fleet, today: date) -> None:
        self.fleet = fleet
        self.districts = dict(District.objects.values_list("code", "id"))
        self.max_year = today.year
        self.errors: list[InvalidInput] = []
        self.seen: dict[str, int] = {}
        meters = Meter.objects.filter(fleet=fleet)
        # A fleet's first import need not look (no index leads with the fleet).
        self.existing = set(meters.values_list("serial_number", flat=True) if fleet.cells.exists() else [])
        self.years: dict[str, int | None] = {}
        self.pk = fleet.pk

    def fast(self, line: int, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
        """The row to write when it is valid, checked with cached parses; else :meth:`row`
        finds and records every error of the row."""
        serial, meter_type, ratings, maker, model, batch, year_text, installed_text, code = [
            f.strip() for f in fields
        ]
        years = self.years
        year = years[year_text] if year_text in years else self._year_cached(year_text)
        installed = _parse_date(installed_text) if installed_text else None
        district = self.districts.get(code) if code else None
        if (
            year
            and serial
            and meter_type
            and ratings
            and maker
            and model
            and len(serial) <= 40
            and len(meter_type) <= 60
            and len(ratings) <= 60
            and len(maker) <= 200
            and len(model) <= 100
            and len(batch) <= 60
            and (installed.year >= year if installed is not None else not installed_text)
            and (district is not None or not code)
            and serial not in self.seen
            and serial not in self.existing
        ):
            self.seen[serial] = line
            return (self.pk, serial, meter_type, ratings, maker, model, batch, year, installed, district)
        row = self.row(line, dict(zip(COLUMNS, fields, strict=True)))
        return None if row is None else row[:10]

    def _year_cached(self, text: str) -> int | None:
        year = int(text) if text.isdigit() and 1950 <= int(text) <= self.max_year else None
        self.years[text] = year
        return year

    def error(self, line: int, field: str, reason: str) -> None:
        self.errors.append(InvalidInput(f"{at_line(line)}: {field}", reason))

    def row(self, line: int, raw: dict[str, str | None]) -> tuple[Any, ...] | None:
        values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        before = len(self.errors)
        for name in REQUIRED:
            if not values[name]:
                self.error(line, name, _("is required"))
        for name, limit in _LIMITS.items():
            if len(values[name]) > limit:
                self.error(line, name, _("is longer than %(limit)s characters") % {"limit": limit})
        year = self._year(line, values["verification_year"])
        installed = self._installed(line, values["installed"], year)
        district = None
        if values["district"]:
            district = self.districts.get(values["district"])
            if district is None:
                reason = _("%(value)r is not a district code of the registry") % {"value": values["district"]}
                self.error(line, "district", reason)
        serial = values["serial_number"]
        if serial in self.seen:
            reason = _("%(serial)r repeats line %(line)s") % {"serial": serial, "line": self.seen[serial]}
            self.error(line, "serial_number", reason)
        elif serial in self.existing:
            reason = _("%(serial)r is already in fleet %(fleet)s") % {
                "serial": serial,
                "fleet": self.fleet.code,
            }
            self.error(line, "serial_number", reason)
        elif serial:
            self.seen[serial] = line
        if len(self.errors) > before:
            return None
        return (
            self.fleet.pk,
            *(values[k] for k in COLUMNS[:6]),
            year,
            installed,
            district,
            MeterStatus.IN_SERVICE.value,
            False,
        )

    def _year(self, line: int, text: str) -> int | None:
        if not text:
            return None
        if not text.isdigit() or not 1950 <= int(text) <= self.max_year:
            reason = _("%(value)r is not a year between 1950 and %(last)s") % {
                "value": text,
                "last": self.max_year,
            }
            self.error(line, "verification_year", reason)
            return None
        return int(text)

    def _installed(self, line: int, text: str, year: int | None) -> date | None:
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            self.error(line, "installed", _("%(value)r is not an ISO date (YYYY-MM-DD)") % {"value": text})
            return None
        if year is not None and day.year < year:
            reason = _("%(value)s is before the verification year %(year)s") % {"value": text, "year": year}
            self.error(line, "installed", reason)
        return day


def _records(stream: IO[str]) -> Iterator[tuple[int, tuple[str, ...]]]:
    """(line number, fields in :data:`COLUMNS` order) per row; absent optional columns are empty."""
    reader = csv.reader(stream)
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        if missing:
            reason = _("missing columns %(columns)s") % {"columns": ", ".join(missing)}
        else:
            reason = _("unknown columns %(columns)s") % {"columns": ", ".join(unknown)}
        raise InvalidInput(f"{at_line(1)}: header", reason)
    width = len(header)
    pick = itemgetter(*(header.index(c) if c in header else width for c in COLUMNS))
    for rec in reader:
        if len(rec) != width:
            if len(rec) > width:
                reason = _("has more than %(columns)s fields") % {"columns": width}
                raise InvalidInput(at_line(reader.line_num), reason)
            if not rec:
                continue
            rec += [""] * (width - len(rec))
        rec.append("")
        yield reader.line_num, pick(rec)


def check_rows(fleet: Fleet, stream: IO[str], today: date | None = None) -> Iterator[tuple[Any, ...]]:
    """Validate every row, yielding the rows to write while no row failed; raise all errors (up
    to 100) at the end. The caller writes inside a transaction and so writes nothing on error."""
    checker = _Checker(fleet, today or date.today())
    count = 0
    for line, fields in _records(stream):
        row = checker.fast(line, fields)
        if row is not None and not checker.errors:
            count += 1
            yield row
        if len(checker.errors) >= MAX_ERRORS:
            break
    if checker.errors:
        raise InvalidInputs(checker.errors)
    if not count:
        raise InvalidInput("file", _("holds no meters"))


class _Hashing(io.TextIOBase):
    """Wraps a text stream and hashes what the CSV reader reads (the import's fingerprint)."""

    def __init__(self, stream: IO[str]) -> None:
        self.stream, self.digest = stream, hashlib.sha256()

    def __iter__(self) -> Iterator[str]:  # type: ignore[override]
        for line in self.stream:
            self.digest.update(line.encode())
            yield line


def import_fleet(actor: Actor, fleet: Fleet, stream: IO[str] | Iterable[str]) -> ImportResult:
    """Import the meters of ``stream`` into ``fleet``, all or nothing, audited."""
    require(actor, OPERATE, fleet)
    hashing = _Hashing(stream)  # type: ignore[arg-type]
    rows = check_rows(fleet, hashing)  # type: ignore[arg-type]
    table = Meter._meta.db_table
    with transaction.atomic():
        last_id = Meter.objects.aggregate(last=Max("id"))["last"] or 0
        # Rows are counted as they pass; a large file rebuilds the indexes once at the end.
        head = list(islice(rows, REBUILD_FROM))
        counted = _Counted(chain(head, rows))
        if len(head) >= REBUILD_FROM:
            _more_memory_for_indexes()
            with rebuilt_afterwards(table):
                _write(table, counted)
        else:
            _write(table, counted)
        write_cells(fleet, last_id)
        result = ImportResult(counted.count, hashing.digest.hexdigest())
        audit.record(
            actor=actor.username,
            actor_id=actor.user_id,
            action="import_meters",
            object_type=fleet._meta.label_lower,
            object_id=str(fleet.pk),
            after={"imported": result.imported, "sha256": result.sha256},
        )
    return result


_NULL = "\\N"


def _write(table: str, rows: Iterable[tuple[Any, ...]]) -> None:
    """PostgreSQL: ``COPY`` text composed here (an f-string per row, escaped only when a value
    holds a backslash, tab or line break); SQLite: the registry's ``executemany`` writer."""
    if connection.vendor != "postgresql":
        _insert_fast(table, TARGETS, (r + (MeterStatus.IN_SERVICE.value, False) for r in rows))
        return
    quote = connection.ops.quote_name
    sql = f"COPY {quote(table)} ({', '.join(quote(c) for c in TARGETS)}) FROM STDIN"
    with connection.cursor() as cursor, connection.wrap_database_errors:
        with cursor.cursor.copy(sql) as copy:
            for chunk in _copy_text(rows):
                copy.write(chunk)


def _copy_text(rows: Iterable[tuple[Any, ...]], per_chunk: int = 20_000) -> Iterator[str]:
    status, buf = MeterStatus.IN_SERVICE.value, []
    for pk, serial, meter_type, ratings, maker, model, batch, year, installed, district in rows:
        text = serial + meter_type + ratings + maker + model + batch
        if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
            serial, meter_type, ratings, maker, model, batch = map(
                _escape, (serial, meter_type, ratings, maker, model, batch)
            )
        day = installed.isoformat() if installed is not None else _NULL
        place = _NULL if district is None else district
        buf.append(
            f"{pk}\t{serial}\t{meter_type}\t{ratings}\t{maker}\t{model}\t{batch}\t{year}\t{day}\t{place}\t{status}\tf\n"
        )
        if len(buf) == per_chunk:
            yield "".join(buf)
            buf = []
    if buf:
        yield "".join(buf)


def _escape(value: str) -> str:
    """PostgreSQL COPY text format: backslash, tab and line breaks escaped."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


_CELLS = (
    "SELECT meter_type, ratings, manufacturer, model, verification_year, string_agg(int8send(id), ''::bytea) "
    "FROM {table} WHERE fleet_id = %s AND id > %s GROUP BY 1, 2, 3, 4, 5"
)


def write_cells(fleet: Fleet, after_id: int) -> None:
    """Group the meters just imported (ids above ``after_id``) into cells: one grouped scan,
    hashed in memory (ids packed by PostgreSQL, big-endian, sorted here)."""
    cells: dict[tuple[Any, ...], list[np.ndarray]] = {}
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = '256MB'")
            cursor.execute(
                _CELLS.format(table=connection.ops.quote_name(Meter._meta.db_table)), [fleet.pk, after_id]
            )
            for *key, packed in cursor.fetchall():
                cells[tuple(key)] = [np.frombuffer(bytes(packed), dtype=">i8").astype(np.int64)]
    else:
        columns = ("meter_type", "ratings", "manufacturer", "model", "verification_year", "id")
        for *key, pk in Meter.objects.filter(fleet=fleet, id__gt=after_id).values_list(*columns):
            cells.setdefault(tuple(key), []).append(np.array([pk], dtype=np.int64))
    MeterCell.objects.bulk_create(
        [
            MeterCell(
                fleet=fleet,
                meter_type=k[0],
                ratings=k[1],
                manufacturer=k[2],
                model=k[3],
                verification_year=k[4],
                size=sum(p.size for p in parts),
                ids=np.ascontiguousarray(np.sort(np.concatenate(parts)), dtype="<i8").tobytes(),
            )
            for k, parts in sorted(cells.items())
        ],
        batch_size=200,
    )


class _Counted:
    def __init__(self, rows: Iterator[tuple[Any, ...]]) -> None:
        self.rows, self.count = rows, 0

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        for row in self.rows:
            self.count += 1
            yield row


def _more_memory_for_indexes() -> None:
    """Sort the rebuilt indexes in memory (this transaction only; PostgreSQL's default is 64 MB)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
