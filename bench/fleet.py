"""Fleet benchmark: state-based extension of a meter fleet on PostgreSQL (issue 7, item 8).

    python bench/run.py fleet                        # 5,680,000 meters, lots of at most 3,000
    python bench/run.py fleet -- --meters 200000     # a smaller fleet

A child process (Django reads its settings once) creates the schema in a fresh PostgreSQL
database ``jiliang_bench_fleet``, registers the owner and the fleet (Shanghai rule: ISO 2859-2,
LQ 5 %, +4 years), then times

1. ``import_fleet`` of the CSV (read, validate every row, COPY, audit);
2. the full evaluation through the services, every due year of the fleet: lot formation, then for
   the year's lots as one batch the notification, the seeded draws, results at one test point for
   every sample meter (one nonconforming meter in every 50th lot), the decisions; then the forecast.

Peak memory is the child's maximum resident set size (the PostgreSQL server is not counted).
Aims: import < 60 s, evaluation < 30 s, peak memory < 4 GB.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.common import Table

HERE = Path(__file__).resolve().parent
TYPES = [
    ("single-phase", "220V 5(60)A"),
    ("single-phase", "220V 10(100)A"),
    ("three-phase", "3x220/380V 1.5(6)A"),
    ("three-phase", "3x220/380V 10(100)A"),
]
MAKERS = [f"Maker {i}" for i in range(20)]
YEARS = list(range(2012, 2020))
DISTRICTS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115"]


def write_csv(path: Path, meters: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(
            [
                "serial_number",
                "meter_type",
                "ratings",
                "manufacturer",
                "model",
                "batch",
                "verification_year",
                "installed",
                "district",
            ]
        )
        for i in range(meters):
            meter_type, ratings = TYPES[i % 4]
            year = YEARS[rng.randrange(len(YEARS))]
            out.writerow(
                [
                    f"E{i:010d}",
                    meter_type,
                    ratings,
                    MAKERS[rng.randrange(20)],
                    "DDZY" if i % 4 < 2 else "DTZY",
                    f"B{year}-{i % 7}",
                    year,
                    f"{year}-{1 + rng.randrange(12):02d}-15",
                    DISTRICTS[i % 9],
                ]
            )


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def evaluate(fleet, seed: int = 2026) -> dict:  # type: ignore[no-untyped-def]
    """Every due year through the batch services (the ones the CLI, API and web call per lot)."""
    from django.db import connection, transaction

    from jiliang.registry.policy import SYSTEM
    from jiliang.supervision import services
    from jiliang.supervision.models import Meter

    times = {"form": 0.0, "sample": 0.0, "decide": 0.0}
    lots = extended = 0
    for due_year in sorted({y + fleet.base_years for y in YEARS}):
        t = time.perf_counter()
        with transaction.atomic():
            made = services.form_lots(SYSTEM, fleet, due_year)
        times["form"] += time.perf_counter() - t
        if not made:
            continue
        t = time.perf_counter()
        with transaction.atomic():
            services.notify_lots(SYSTEM, made, date(due_year - 1, 11, 1))
        with transaction.atomic():
            drawn = services.draw_samples(SYSTEM, [(x, seed + x.number) for x in made], date(due_year, 1, 5))
        times["sample"] += time.perf_counter() - t
        t = time.perf_counter()
        # The field teams' results (synthetic): one test point per sample meter, named by serial.
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id, serial_number FROM {Meter._meta.db_table} WHERE id = ANY(%s)",
                [[m for d in drawn for m in d.sample]],
            )
            serial = dict(cursor.fetchall())
        rows = [
            {
                "serial_number": serial[m],
                "test_point": "Ib",
                "error_percent": 2.5 if (lots + k) % 50 == 0 and i == 0 else 0.3,
                "mpe_percent": 2.0,
            }
            for k, d in enumerate(drawn)
            for i, m in enumerate(d.sample)
        ]
        with transaction.atomic():
            services.record_lot_results(SYSTEM, made, rows)
        with transaction.atomic():
            extended += sum(d.accepted for d in services.decide_lots(SYSTEM, made, date(due_year, 3, 1)))
        times["decide"] += time.perf_counter() - t
        lots += len(made)
    t = time.perf_counter()
    fc = services.fleet_forecast(fleet, 2020, 2035)
    times["forecast"] = time.perf_counter() - t
    return {"lots": lots, "extended": extended, "times": times, "deferred": fc.deferred}


def child(database_url: str, csv_path: str) -> None:
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "jiliang.platform.settings"
    django.setup()
    from django.core.management import call_command

    from jiliang.registry.models import Institution, InstrumentCategory
    from jiliang.registry.policy import SYSTEM
    from jiliang.supervision.fleet_import import import_fleet
    from jiliang.supervision.models import Fleet, Meter

    call_command("migrate", "--noinput", verbosity=0)
    from bench.registry import owner_code

    owner = Institution.objects.create(name="Grid company", kind="enterprise", credit_code=owner_code(1))
    fleet = Fleet.objects.create(
        code="grid",
        name="Grid",
        owner=owner,
        category=InstrumentCategory.objects.get(code="electricity_meter"),
        test_points=["Ib"],
        rule={"kind": "lq", "extension_years": 4, "limiting_quality": 5.0},
        lot_rules={"max_year_span": 2, "same_manufacturer": True, "max_lot_size": 3000},
        replacements_per_day=100_000,
    )
    start = time.perf_counter()
    with open(csv_path, encoding="utf-8", newline="") as stream:
        imported = import_fleet(SYSTEM, fleet, stream).imported
    import_s, import_peak = time.perf_counter() - start, _peak_mib()
    # A server process has the services loaded; their imports (scipy among them) are not timed.
    import jiliang.supervision.services  # noqa: F401

    start = time.perf_counter()
    result = evaluate(fleet)
    evaluate_s = time.perf_counter() - start
    result.update(
        meters=imported,
        in_db=Meter.objects.count(),
        import_s=import_s,
        import_peak=import_peak,
        evaluate_s=evaluate_s,
        peak=_peak_mib(),
    )
    print(json.dumps(result))


def _fresh_postgres(base: str, name: str) -> str:
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return base.rsplit("/", 1)[0] + "/" + name


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/fleet.py")
    parser.add_argument("--meters", type=int, default=5_680_000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument(
        "--database", default="jiliang_bench_fleet", help="scratch database (dropped and created again)"
    )
    args = parser.parse_args(argv)
    table = Table(
        f"Fleet: {args.meters:,} meters on PostgreSQL (import, lots, sampling, decisions, forecast)"
    )
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "meters.csv"
        write_csv(csv_path, args.meters)
        env = dict(
            os.environ,
            JILIANG_DATABASE_URL=_fresh_postgres(args.postgres, args.database),
            JILIANG_DATA_DIR=tmp,
        )
        code = f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); from bench.fleet import child; child(*sys.argv[1:])"
        done = subprocess.run(
            [sys.executable, "-c", code, env["JILIANG_DATABASE_URL"], str(csv_path)],
            env=env,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(done.stderr[-3000:])
        r = json.loads(done.stdout.strip().splitlines()[-1])
    assert r["in_db"] == args.meters == r["meters"]
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    t = r["times"]
    table.add(
        "import (validate all, COPY)",
        r["import_s"],
        "s",
        aim="< 60",
        note=f"{args.meters / r['import_s']:,.0f} meters/s; {load}",
    )
    table.add(
        "full evaluation",
        r["evaluate_s"],
        "s",
        aim="< 30",
        note=f"{r['lots']} lots ({r['extended']} extended); form {t['form']:.1f} s, notify+draw {t['sample']:.1f} s, "
        f"results+decide {t['decide']:.1f} s, forecast {t['forecast']:.1f} s",
    )
    table.add(
        "peak memory (client process)",
        r["peak"] / 1024,
        "GiB",
        aim="< 4",
        note=f"after import {r['import_peak']:.0f} MiB",
    )
    table.print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
