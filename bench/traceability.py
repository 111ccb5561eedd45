"""Traceability benchmark (issue 5, item 8): a synthetic calibration history of N records on
SQLite and on PostgreSQL; the chain of one certificate (p50/p99 over random instrument records)
and the full impact of one public standard with its whole downstream history.

    python bench/run.py traceability                       # 1,000,000 records
    python bench/run.py traceability -- --records 100000 --skip-postgres
    python bench/run.py traceability -- --reuse --sqlite-path /tmp/t.sqlite3 --pg-name h_trace  # keep the data

The as-found error (0.03 mm against instrument errors drawn from ±0.030 mm and a ±0.05 mm
tolerance) is chosen so that about one decision in six changes: the benchmark exercises the
changed-decision path, and the report says how many changed.

History: one national primary standard; 8 public standards, 200 highest and 2,000 working
standards, each calibrated once a year 2020-2025 against a standard one level up (with that
year's certificate); the rest of the records are instrument calibrations in the same years
against a working standard. One public standard therefore has about 1/8 of all records below it.
Rows are written with ``bulk_create`` as drafts, then issued in one UPDATE (the triggers allow
draft -> issued). Each database runs in a child process (Django reads its settings once).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from bench.common import Table

HERE = Path(__file__).resolve().parent
YEARS = range(2020, 2026)
LEVELS = (8, 200, 2000)  # public, highest, working standards
BATCH = 5000
# The as-found error of the public standard: value and U (k = 2) in mm (see the module docstring).
ERROR_MM = (0.03, 0.002)
IMPACT_RUNS = 3  # the impact is timed this many times; the table gives the median and the first
# Chains timed: the same random instrument records twice, first from disk, then cached (the
# table's figure; the note gives both); p99 is the 10th slowest.
CHAIN_SAMPLES = 1000


def _setup() -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "jiliang.platform.settings"
    django.setup()
    from django.core.management import call_command

    call_command("migrate", "--noinput", verbosity=0)


def _code(i: int) -> str:
    from jiliang.registry.validators import credit_code_check_character

    body = f"91310000{i:09d}"
    return body + credit_code_check_character(body)


def _base() -> dict:
    from jiliang.registry import models as m

    area = m.MeasurementArea.objects.get(code="length")
    nmi = m.Institution.objects.create(name="NMI", kind="nmi", credit_code=_code(1))
    lab = m.Institution.objects.create(name="Lab", kind="calibration_lab", credit_code=_code(2))
    owner = m.Institution.objects.create(name="Owner", kind="enterprise", credit_code=_code(3))
    for inst in (nmi, lab):
        m.Authorisation.objects.create(
            institution=inst,
            activity="calibration",
            area=area,
            valid_from=date(2019, 1, 1),
            valid_until=date(2030, 1, 1),
        )
    people = [m.Person.objects.create(institution=lab, name=f"P{i}") for i in range(2)]
    return {"area": area, "nmi": nmi, "lab": lab, "owner": owner, "people": people}


def _standards(base: dict) -> list[list]:
    from jiliang.registry import models as m

    levels = [[m.MeasurementStandard.objects.create(
        name="Primary", level="national_primary", owner=base["nmi"], area=base["area"], quantity="length",
        expanded_uncertainty=Decimal("0.0001"), coverage_factor=2, uncertainty_unit="mm")]]  # fmt: skip
    for depth, (count, level) in enumerate(zip(LEVELS, ("public", "highest", "working"), strict=True), 1):
        u = Decimal("0.0001") * 4**depth
        levels.append(
            m.MeasurementStandard.objects.bulk_create(
                m.MeasurementStandard(
                    name=f"S{depth}-{i}",
                    level=level,
                    owner=base["lab"],
                    area=base["area"],
                    quantity="length",
                    expanded_uncertainty=u,
                    coverage_factor=2,
                    uncertainty_unit="mm",
                )
                for i in range(count)
            )  # fmt: skip
        )
    return levels


def _write(base: dict, specs: list[tuple], rng: random.Random) -> list[int]:
    """specs: (number, item kwargs, calibration date, used standard, used certificate id, depth)."""
    from jiliang.calibration.models import Record, Result, Usage

    ids: list[int] = []
    for start in range(0, len(specs), BATCH):
        chunk = specs[start : start + BATCH]
        records = Record.objects.bulk_create(
            Record(kind="calibration", certificate_number=n, institution=base["lab"], area=base["area"],
                   performer=base["people"][0], checker=base["people"][1], calibration_date=on,
                   valid_until=date(on.year + 1, 1, 9), **item)
            for n, item, on, _s, _c, _d in chunk
        )  # fmt: skip
        results = Result.objects.bulk_create(
            Result(record=r, position=1, quantity="length", unit="mm", nominal_value=Decimal(10),
                   measured_value=Decimal(10) + Decimal(rng.randrange(-30, 31)) / 1000,
                   expanded_uncertainty=Decimal("0.0001") * 4 ** (spec[5] + 1), coverage_factor=2,
                   tolerance_lower=Decimal("-0.05"), tolerance_upper=Decimal("0.05"))
            for r, spec in zip(records, chunk, strict=True)
        )  # fmt: skip
        Usage.objects.bulk_create(
            Usage(record=r, result=res, standard=spec[3], certificate_id=spec[4])
            for r, res, spec in zip(records, results, chunk, strict=True)
        )
        ids += [r.pk for r in records]
    return ids


def build(total: int, seed: int = 7) -> dict:
    from django.db import connection

    from jiliang.calibration.models import Record
    from jiliang.registry import models as m

    rng = random.Random(seed)
    base = _base()
    levels = _standards(base)
    certs: dict[tuple[int, int], int] = {}  # (standard id, year) -> certificate id
    serial = 0
    for depth in (1, 2, 3):
        specs = []
        for std in levels[depth]:
            for year in YEARS:
                above = levels[depth - 1][rng.randrange(len(levels[depth - 1]))]
                serial += 1
                specs.append((f"C{serial:08d}", {"standard": std}, date(year, 1, 10 + depth), above,
                              certs.get((above.pk, year)), depth))  # fmt: skip
        for spec, pk in zip(specs, _write(base, specs, rng), strict=True):
            certs[(spec[1]["standard"].pk, spec[2].year)] = pk
    remaining = total - serial
    instruments = m.Instrument.objects.bulk_create(
        (m.Instrument(category_id=m.InstrumentCategory.objects.values_list("pk", flat=True).first(),
                      manufacturer="Maker", model="M", serial_number=f"SN{i:08d}", owner=base["owner"])
         for i in range(max(1, remaining // 5))),
        batch_size=BATCH,
    )  # fmt: skip
    working = levels[3]
    for start in range(0, remaining, 50_000):
        specs = []
        for i in range(start, min(remaining, start + 50_000)):
            year, std = YEARS[i % len(YEARS)], working[rng.randrange(len(working))]
            on = date(year, 2 + rng.randrange(11), 1 + rng.randrange(28))
            specs.append(
                (
                    f"I{i:09d}",
                    {"instrument": instruments[i % len(instruments)]},
                    on,
                    std,
                    certs[(std.pk, year)],
                    4,
                )
            )
        _write(base, specs, rng)
    Record.objects.update(status="issued", outcome="calibration_certificate")
    if connection.vendor == "postgresql":
        # Planner statistics and the visibility map after a bulk load, as autovacuum would leave
        # them (it lags): the impact reads the usage index without visiting the table.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"public": levels[1][0].pk}


def _chains(picked: list[int]) -> list[float]:
    """Milliseconds per chain of each record in ``picked``, sorted."""
    from jiliang.traceability import queries

    samples = []
    for pk in picked:
        start = time.perf_counter()
        chain = queries.chain(pk)
        samples.append((time.perf_counter() - start) * 1000)
        assert chain.verdict == "traceable", chain.reasons[:3]
    return sorted(samples)


def child(database_url: str, total: str, build_only: str = "") -> None:
    """Runs in a fresh process with JILIANG_DATABASE_URL set: build (unless the database already
    holds a history: ``--reuse``), then time chain and impact."""
    _setup()
    from jiliang.calibration.models import Record
    from jiliang.registry.models import MeasurementStandard
    from jiliang.traceability.reverse import Error, Window, impact

    error = Error(*ERROR_MM, "mm")
    start = time.perf_counter()
    existing = MeasurementStandard.objects.filter(name="S1-0").values_list("pk", flat=True).first()
    built = {"public": existing} if existing else build(int(total))
    build_s = time.perf_counter() - start
    if build_only:
        print(json.dumps({"records": Record.objects.count(), "build_s": build_s}))
        return
    rng = random.Random(1)
    top = Record.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    picked = [top - rng.randrange(int(total) // 2) for _ in range(CHAIN_SAMPLES)]
    cold, samples = _chains(picked), _chains(picked)  # first from disk, then from the caches
    source = MeasurementStandard.objects.get(pk=built["public"])
    runs, cpu = [], []
    for _ in range(IMPACT_RUNS):
        start, start_cpu = time.perf_counter(), time.process_time()
        report = impact(source, Window(date(2019, 1, 1)), error)
        runs.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    start = time.perf_counter()
    exported = len(json.dumps(report.as_dict())) + len(report.to_csv())
    export_s = time.perf_counter() - start
    out = {
        "records": Record.objects.count(), "build_s": build_s, "chain_p50_ms": statistics.median(samples),
        "chain_p99_ms": samples[int(len(samples) * 0.99) - 1], "impact_s": statistics.median(runs),
        "chain_cold_p50_ms": statistics.median(cold), "chain_cold_p99_ms": cold[int(len(cold) * 0.99) - 1],
        "impact_first_s": runs[0], "impact_cpu_s": statistics.median(cpu),
        "impact_results": len(report.results), "impact_changed": sum(r.changed for r in report.results),
        "impact_depth": max(r.depth for r in report.results), "impact_items": len(report.items),
        "export_s": export_s, "export_mb": exported / 1e6, "reused": bool(existing),
    }  # fmt: skip
    print(json.dumps(out))


def _run_child(url: str, total: int, data_dir: str, build_only: bool = False) -> dict:
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    code = f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); from bench.traceability import child; child(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(total), "1" if build_only else ""],
        env=env,
        capture_output=True,
        text=True,
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _fresh_postgres(base: str, name: str, *, reuse: bool = False) -> str:
    """The URL of database ``name``: dropped and created again, or (``reuse``) created only if
    missing so that a history built by an earlier run is measured again."""
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not reuse or not exists:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def _add(table: Table, name: str, r: dict) -> None:
    if "chain_p99_ms" not in r:
        table.add(f"build, {name}", r["build_s"], "s", note=f"{r['records']:,} records")
        return
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    table.add(f"chain of one certificate, {name}", r["chain_p99_ms"], "ms", aim="p99 < 20",
              note=f"p99 of {CHAIN_SAMPLES} random records, second pass (cached); p50 {r['chain_p50_ms']:.1f} ms; "
                   f"first pass (from disk) p50 {r['chain_cold_p50_ms']:.1f} ms, p99 {r['chain_cold_p99_ms']:.1f} ms; "
                   f"4 certificates deep; {load}")  # fmt: skip
    table.add(f"impact of a public standard, {name}", r["impact_s"], "s", aim="< 2",
              note=f"median of {IMPACT_RUNS} (first {r['impact_first_s']:.1f} s); CPU of this process "
                   f"{r['impact_cpu_s']:.2f} s (median; the database server's is not counted); "
                   f"{r['impact_results']:,} results to depth {r['impact_depth']}, {r['impact_changed']:,} "
                   f"decisions changed, {r['impact_items']:,} items; JSON + CSV export {r['export_s']:.1f} s "
                   f"({r['export_mb']:.0f} MB); {r['records']:,} records "
                   + ("reused" if r["reused"] else f"built in {r['build_s']:.0f} s"))  # fmt: skip


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/traceability.py")
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--pg-name", default="jiliang_bench_trace", help="database created (dropped first)")
    parser.add_argument("--sqlite-path", help="SQLite file (default: a temporary one)")
    parser.add_argument(
        "--reuse", action="store_true", help="keep a history already built in --pg-name / --sqlite-path"
    )
    parser.add_argument("--build-only", action="store_true", help="build the history, measure nothing")
    args = parser.parse_args(argv)
    table = Table(f"Traceability: {args.records:,} calibration records")
    with tempfile.TemporaryDirectory() as tmp:
        if not args.skip_sqlite:
            path = args.sqlite_path or f"{tmp}/bench.sqlite3"
            if not args.reuse and os.path.exists(path):
                os.remove(path)
            _add(table, "SQLite", _run_child(f"sqlite:///{path}", args.records, tmp, args.build_only))
        if not args.skip_postgres:
            url = _fresh_postgres(args.postgres, args.pg_name, reuse=args.reuse)
            _add(table, "PostgreSQL", _run_child(url, args.records, tmp, args.build_only))
    table.print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
