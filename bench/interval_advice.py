"""Interval recommendations from records (issue 7, item 4): the cost of the analyses shown on an
instrument's and a standard's detail page when the groups they pool are large.

    python bench/run.py interval_advice                          # 200,000 records, SQLite
    python bench/run.py interval_advice -- --records 1000000 --postgres postgres://...

History: 1,000 working standards of one area and quantity and N/5 instruments of one category and
one model, each calibrated once a year 2020-2024 on a random day (intervals of about 1 year, many
distinct lengths), with one point whose as-found error is drawn so that about 85 % of the results
are in tolerance. An instrument page therefore pools every instrument record twice (model and
category). Rows are written with ``bulk_create`` as drafts, then issued in one UPDATE. Each database
runs in a child process (Django reads its settings once).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import Table

HERE = Path(__file__).resolve().parent


YEARS = range(2020, 2025)
STANDARDS = 1000
BATCH = 5000


def _items(base: dict, n_instruments: int) -> list[dict]:
    from jiliang.registry import models as m

    standards = m.MeasurementStandard.objects.bulk_create(
        m.MeasurementStandard(name=f"W{i}", level="working", owner=base["lab"], area=base["area"],
                              quantity="length", accuracy_class="2")
        for i in range(STANDARDS)
    )  # fmt: skip
    category = m.InstrumentCategory.objects.values_list("pk", flat=True).first()
    instruments = m.Instrument.objects.bulk_create(
        (m.Instrument(category_id=category, manufacturer="Maker", model="M", serial_number=f"SN{i:08d}",
                      owner=base["owner"], interval_months=12) for i in range(n_instruments)),
        batch_size=BATCH,
    )  # fmt: skip
    return [{"standard": s} for s in standards] + [{"instrument": i} for i in instruments]


def build(total: int, seed: int = 7) -> None:
    import random
    from datetime import date
    from decimal import Decimal

    from bench import traceability
    from jiliang.calibration.models import Record, Result

    rng = random.Random(seed)
    base = traceability._base()
    items = _items(base, max(1, (total - STANDARDS * len(YEARS)) // len(YEARS)))
    specs = [(item, date(y, 1 + rng.randrange(12), 1 + rng.randrange(28))) for item in items for y in YEARS]
    for start in range(0, len(specs), BATCH):
        chunk = specs[start : start + BATCH]
        records = Record.objects.bulk_create(
            Record(kind="calibration", certificate_number=f"R{start + i:09d}", institution=base["lab"],
                   area=base["area"], performer=base["people"][0], checker=base["people"][1],
                   calibration_date=on, **item)
            for i, (item, on) in enumerate(chunk)
        )  # fmt: skip
        Result.objects.bulk_create(
            Result(record=r, position=1, quantity="length", unit="mm", nominal_value=Decimal(10),
                   measured_value=Decimal(10), as_found_value=Decimal(10) + error, expanded_uncertainty=Decimal("0.01"),
                   coverage_factor=2, tolerance_lower=Decimal("-0.05"), tolerance_upper=Decimal("0.05"),
                   decision="accept", accepted=True, as_found_decision="accept" if abs(error) <= Decimal("0.05") else "reject")
            for r in records
            for error in [Decimal(round(rng.gauss(0, 0.035), 4))]
        )  # fmt: skip
    Record.objects.update(status="issued", outcome="calibration_certificate")
    from django.db import connection

    if connection.vendor == "postgresql":  # planner statistics after a bulk load (autovacuum lags)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def child(database_url: str, total: str) -> None:
    """Runs with JILIANG_DATABASE_URL set: build the history, then time the three analyses."""
    from bench import traceability

    traceability._setup()
    from jiliang.calibration.models import Record
    from jiliang.registry.models import Instrument, MeasurementStandard
    from jiliang.supervision import interval_advice

    start = time.perf_counter()
    build(int(total))
    build_s = time.perf_counter() - start
    inst = Instrument.objects.select_related("category").order_by("pk").first()
    std = MeasurementStandard.objects.order_by("pk").first()
    assert inst is not None and std is not None
    timings = {}
    for name, fn in (
        ("instrument", lambda: interval_advice.for_instrument(inst)),
        ("standard", lambda: interval_advice.for_standard(std)),
        ("category", lambda: interval_advice.for_category(inst.category)),
    ):
        fn()  # warm the caches once
        start = time.perf_counter()
        report = fn()
        timings[name] = time.perf_counter() - start
        timings[f"{name}_results"] = max(a["data"]["results"] for a in report["analyses"])
        timings[f"{name}_methods"] = [a["method"] for a in report["analyses"]]
    print(json.dumps({"records": Record.objects.count(), "build_s": build_s, **timings}))


def _run_child(url: str, total: int, data_dir: str) -> dict:
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    code = (
        f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); "
        "from bench.interval_advice import child; child(*sys.argv[1:])"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(total)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _add(table: Table, name: str, r: dict) -> None:
    load = f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    for case, what in (
        ("instrument", "own + model + category"),
        ("standard", "own + like standards"),
        ("category", "category"),
    ):
        table.add(
            f"{case} page analyses ({what}), {name}",
            r[case],
            "s",
            note=f"largest group {r[f'{case}_results']:,} results; methods {r[f'{case}_methods']}; "
            f"{r['records']:,} records built in {r['build_s']:.0f} s; {load}",
        )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/interval_advice.py")
    parser.add_argument("--records", type=int, default=200_000)
    parser.add_argument("--postgres", help="a PostgreSQL URL of a database to fill (it must be empty)")
    args = parser.parse_args(argv)
    table = Table(f"Interval recommendations from {args.records:,} calibration records")
    with tempfile.TemporaryDirectory() as tmp:
        _add(table, "SQLite", _run_child(f"sqlite:///{tmp}/bench.sqlite3", args.records, tmp))
        if args.postgres:
            _add(table, "PostgreSQL", _run_child(args.postgres, args.records, tmp))
    table.print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
