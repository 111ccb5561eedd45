"""Bulk import of a meter fleet from CSV: validate every row first, then write all or nothing.

Columns (header required, UTF-8): ``serial_number, meter_type, ratings, manufacturer, model,
batch, verification_year, installed, district``. ``batch``, ``installed`` (ISO date) and
``district`` (GB/T 2260 code of a registry district) may be empty. Errors name the line, the
column and the reason (``line 12: verification_year: 'x' is not a year``). Rows are written with
PostgreSQL ``COPY`` (SQLite: ``executemany``) through the registry's bulk writer.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import IO, Any

from django.db import transaction

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.platform import audit
from jiliang.registry.bulk.write import REBUILD_FROM, _insert_fast, rebuilt_afterwards
from jiliang.registry.models import District
from jiliang.registry.policy import Actor
from jiliang.supervision.choices import MeterStatus
from jiliang.supervision.models import Fleet, Meter
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
        self.existing = set(Meter.objects.filter(fleet=fleet).values_list("serial_number", flat=True))

    def error(self, line: int, field: str, reason: str) -> None:
        self.errors.append(InvalidInput(f"line {line}: {field}", reason))

    def row(self, line: int, raw: dict[str, str | None]) -> tuple[Any, ...] | None:
        values = {k: (raw.get(k) or "").strip() for k in COLUMNS}
        before = len(self.errors)
        for name in REQUIRED:
            if not values[name]:
                self.error(line, name, "is required")
        for name, limit in _LIMITS.items():
            if len(values[name]) > limit:
                self.error(line, name, f"is longer than {limit} characters")
        year = self._year(line, values["verification_year"])
        installed = self._installed(line, values["installed"], year)
        district = None
        if values["district"]:
            district = self.districts.get(values["district"])
            if district is None:
                self.error(line, "district", f"{values['district']!r} is not a district code of the registry")
        serial = values["serial_number"]
        if serial in self.seen:
            self.error(line, "serial_number", f"{serial!r} repeats line {self.seen[serial]}")
        elif serial in self.existing:
            self.error(line, "serial_number", f"{serial!r} is already in fleet {self.fleet.code}")
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
            self.error(line, "verification_year", f"{text!r} is not a year between 1950 and {self.max_year}")
            return None
        return int(text)

    def _installed(self, line: int, text: str, year: int | None) -> date | None:
        if not text:
            return None
        day = _parse_date(text)
        if day is None:
            self.error(line, "installed", f"{text!r} is not an ISO date (YYYY-MM-DD)")
            return None
        if year is not None and day.year < year:
            self.error(line, "installed", f"{text} is before the verification year {year}")
        return day


def _rows(stream: IO[str]) -> Iterator[tuple[int, dict[str, str | None]]]:
    reader = csv.DictReader(stream)
    header = [h.strip() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    if missing or unknown:
        raise InvalidInput(
            "line 1: header", f"missing columns {missing}" if missing else f"unknown columns {unknown}"
        )
    reader.fieldnames = header
    for raw in reader:
        if None in raw:
            raise InvalidInput(f"line {reader.line_num}", f"has more than {len(header)} fields")
        yield reader.line_num, raw


def check_rows(fleet: Fleet, stream: IO[str], today: date | None = None) -> list[tuple[Any, ...]]:
    """Validate every row; return the rows to write or raise all errors (up to 100) at once."""
    checker = _Checker(fleet, today or date.today())
    rows = []
    for line, raw in _rows(stream):
        row = checker.row(line, raw)
        if row is not None:
            rows.append(row)
        if len(checker.errors) >= MAX_ERRORS:
            break
    if checker.errors:
        raise InvalidInputs(checker.errors)
    if not rows:
        raise InvalidInput("file", "holds no meters")
    return rows


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
        if len(rows) >= REBUILD_FROM:
            with rebuilt_afterwards(table):
                _insert_fast(table, TARGETS, rows)
        else:
            _insert_fast(table, TARGETS, rows)
        result = ImportResult(len(rows), hashing.digest.hexdigest())
        audit.record(
            actor=actor.username,
            actor_id=actor.user_id,
            action="import_meters",
            object_type=fleet._meta.label_lower,
            object_id=str(fleet.pk),
            after={"imported": result.imported, "sha256": result.sha256},
        )
    return result
