"""Calibration history for the demo region (issue 5, item 6): several years of certificates on top
of the registry's demo (``jiliang demo``), chains 3 to 5 certificates deep from the national
primary standards through public, highest and working standards to instruments, a few broken
chains and one out-of-tolerance event with its nonconforming work.

Each year: the national metrology institute calibrates every public standard against a national
primary standard; the owner of a public standard calibrates the highest standards of its area;
highest (or public) standards calibrate the working standards; working standards calibrate and
verify the instruments. Values are relative (unit ``1``) with U four times larger per level.
Broken on purpose: the first public standard's certificate of the middle year is revoked, and a
few instrument records rely on an expired certificate (the year before).
Rows go in with ``bulk_create`` as drafts, then are issued in one UPDATE (the triggers allow it).
"""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection, transaction

from jiliang.calibration.models import Record, Result, Usage
from jiliang.errors import Conflict, NotFound
from jiliang.registry import models as m
from jiliang.registry.choices import AuthorisationActivity, StandardLevel
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import services
from jiliang.traceability.impact import Error, Window

BATCH = 5000
LEVEL_DEPTH = {StandardLevel.PUBLIC: 1, StandardLevel.HIGHEST: 2, StandardLevel.WORKING: 3}


@dataclass(frozen=True)
class History:
    records: int
    broken_chains: int
    nonconforming_work: int


class _Writer:
    """Buffers record specs and writes them in batches; remembers certificates by (standard, year)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng, self.count = rng, 0
        self.pending: list[dict[str, Any]] = []
        self.people: dict[int, tuple[int, int]] = {}
        self.certificates: dict[tuple[int, int], int] = {}

    def staff(self, institution_id: int) -> tuple[int, int]:
        if institution_id not in self.people:
            # Data of a Chinese region, like the rest of the demo (names are not translated).
            pair = [
                m.Person.objects.create(institution_id=institution_id, name=name).pk
                for name in ("演示检定员", "演示核验员")
            ]
            self.people[institution_id] = (pair[0], pair[1])
        return self.people[institution_id]

    def add(self, spec: dict[str, Any]) -> None:
        self.pending.append(spec)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        specs, self.pending = self.pending, []
        records = Record.objects.bulk_create(Record(**_record_fields(s, self)) for s in specs)
        results = Result.objects.bulk_create(
            _result(r, s, self.rng) for r, s in zip(records, specs, strict=True)
        )
        Usage.objects.bulk_create(
            Usage(record=r, result=res, standard_id=s["used"], certificate_id=s["certificate"])
            for r, res, s in zip(records, results, specs, strict=True)
        )
        for record, spec in zip(records, specs, strict=True):
            if spec.get("standard_id"):
                self.certificates[(spec["standard_id"], spec["on"].year)] = record.pk
        self.count += len(records)


def _record_fields(spec: dict[str, Any], writer: _Writer) -> dict[str, Any]:
    performer, checker = writer.staff(spec["institution"])
    return {
        "kind": spec.get("kind", "calibration"), "certificate_number": f"DEMO{spec['on'].year}-{spec['serial']:07d}",
        "institution_id": spec["institution"], "standard_id": spec.get("standard_id"),
        "instrument_id": spec.get("instrument_id"), "area_id": spec["area"], "performer_id": performer,
        "checker_id": checker, "calibration_date": spec["on"], "issue_date": spec["on"],
        "valid_until": spec["on"] + timedelta(days=spec.get("valid_days", 365)), "temperature": "(20 ± 2) °C",
        "outcome": "calibration_certificate" if spec.get("kind", "calibration") == "calibration" else "verification_certificate",
    }  # fmt: skip


def _result(record: Record, spec: dict[str, Any], rng: random.Random) -> Result:
    u = Decimal("0.000001") * 4 ** spec["depth"]
    error = Decimal(rng.randrange(-300, 301)) / 1000 * 3 * u
    return Result(
        record=record, position=1, quantity="相对偏差", unit="1", nominal_value=Decimal(1),
        measured_value=Decimal(1) + error, expanded_uncertainty=u, coverage_factor=Decimal(2),
        tolerance_lower=-3 * u, tolerance_upper=3 * u,
    )  # fmt: skip


def build_history(records: int = 500_000, *, seed: int = 5, today: date | None = None) -> History:
    """Add about ``records`` issued records to the demo registry, in one transaction."""
    today = today or date.today()
    years = [today.year - 2, today.year - 1, today.year]
    rng = random.Random(seed)
    standards = defaultdict(list)
    for std in m.MeasurementStandard.objects.order_by("pk"):
        standards[std.level].append(std)
    if not standards[StandardLevel.NATIONAL_PRIMARY] or not standards[StandardLevel.PUBLIC]:
        raise NotFound("demo region", "national primary and public standards (run jiliang demo first)")
    if Record.objects.filter(certificate_number__startswith="DEMO").exists():
        raise Conflict("the demo calibration history is already in the database")
    writer = _Writer(rng)
    with transaction.atomic():
        _standards(writer, standards, years, rng)
        _instruments(writer, standards, years, records, rng, today)
        writer.flush()
        _analyse()
        broken = _break(standards, years, writer)
        Record.objects.filter(certificate_number__startswith="DEMO", status="draft").update(status="issued")
        Record.objects.filter(pk__in=broken).update(status="revoked", revocation_reason="演示：参考标准漂移")
        work = _out_of_tolerance(standards, years)
    return History(writer.count, len(broken), work)


def _standards(writer: _Writer, standards: dict[str, list], years: list[int], rng: random.Random) -> None:
    primaries = standards[StandardLevel.NATIONAL_PRIMARY]
    for level in (StandardLevel.PUBLIC, StandardLevel.HIGHEST, StandardLevel.WORKING):
        above_level = {
            StandardLevel.PUBLIC: primaries,
            StandardLevel.HIGHEST: standards[StandardLevel.PUBLIC],
        }.get(level, standards[StandardLevel.HIGHEST] or standards[StandardLevel.PUBLIC])
        by_area = defaultdict(list)
        for std in above_level:
            by_area[std.area_id].append(std)
        issuers = set()
        for std in standards[level]:
            above = rng.choice(by_area.get(std.area_id) or above_level)
            issuers.add((above.owner_id, std.area_id))
            for year in years:
                writer.add({"serial": writer.count + len(writer.pending) + 1, "institution": above.owner_id,
                            "standard_id": std.pk, "area": std.area_id, "on": date(year, 1, 5 + LEVEL_DEPTH[level]),
                            "used": above.pk, "certificate": writer.certificates.get((above.pk, year)),
                            "depth": LEVEL_DEPTH[level]})  # fmt: skip
        writer.flush()
        _authorise(issuers, years)


def _authorise(issuers: set[tuple[int, int]], years: list[int], *, verification: bool = False) -> None:
    """Authorisations for the issuers over the history (calibration; and verification too for the
    issuers of instrument records)."""
    activities = [AuthorisationActivity.CALIBRATION] + (
        [AuthorisationActivity.VERIFICATION] if verification else []
    )
    m.Authorisation.objects.bulk_create(
        m.Authorisation(institution_id=inst, activity=activity, area_id=area,
                        valid_from=date(years[0], 1, 1), valid_until=date(years[-1] + 1, 12, 31))
        for inst, area in sorted(issuers) for activity in activities
    )  # fmt: skip


def _instruments(
    writer: _Writer, standards: dict[str, list], years: list[int], total: int, rng: random.Random, today: date
) -> None:
    working = standards[StandardLevel.WORKING] or standards[StandardLevel.HIGHEST]
    by_area = defaultdict(list)
    for std in working:
        by_area[std.area_id].append(std)
    instruments = list(
        m.Instrument.objects.values_list("pk", "category__area_id", "category__compulsory_verification")
    )
    issuers = set()
    for i in range(max(0, total - writer.count)):
        pk, area, compulsory = instruments[i % len(instruments)]
        std = rng.choice(by_area.get(area) or working)
        issuers.add((std.owner_id, area))
        year = years[i % len(years)]
        on = min(date(year, 2, 1) + timedelta(days=rng.randrange(330)), today)
        writer.add({"serial": writer.count + len(writer.pending) + 1, "institution": std.owner_id,
                    "instrument_id": pk, "area": area, "on": on, "used": std.pk, "depth": 4,
                    "certificate": writer.certificates[(std.pk, year)],
                    "kind": "verification" if compulsory else "calibration"})  # fmt: skip
    _authorise(issuers, years, verification=True)


def _analyse() -> None:
    """Refresh the planner's statistics after the bulk insert: PostgreSQL otherwise plans the next
    queries for empty tables (nested loops over hundreds of thousands of rows)."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _break(standards: dict[str, list], years: list[int], writer: _Writer) -> list[int]:
    """Revoke one public certificate of the middle year; make a few instrument records rely on an
    expired certificate (last year's). Returns the revoked ids."""
    public = standards[StandardLevel.PUBLIC][0]
    working = (standards[StandardLevel.WORKING] or standards[StandardLevel.HIGHEST])[:3]
    for std in working:
        old = writer.certificates.get((std.pk, years[0]))
        current = writer.certificates.get((std.pk, years[1]))
        if old and current:
            ids = list(
                Usage.objects.filter(certificate_id=current).order_by("pk").values_list("pk", flat=True)[:3]
            )
            Usage.objects.filter(pk__in=ids).update(certificate_id=old)
    return [writer.certificates[(public.pk, years[1])]]


def _out_of_tolerance(standards: dict[str, list], years: list[int]) -> int:
    """The last public standard was found out of tolerance: open nonconforming work."""
    source = standards[StandardLevel.PUBLIC][-1]
    report = services.analyse(SYSTEM, source, Window(date(years[-1], 1, 1)), Error(2e-6, 1e-6, None))
    services.open_nonconforming_work(SYSTEM, source, report, "演示：年度校准时发现超差")
    return 1
