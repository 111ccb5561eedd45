"""Registry benchmark: ``jiliang import`` of N instruments from CSV into SQLite and PostgreSQL.

    python bench/run.py registry                 # 1,000,000 instruments
    python bench/run.py registry -- --rows 100000 --skip-postgres

Each database runs in a child process (Django reads its settings once): it creates the schema in
a fresh database (SQLite file in a temporary folder; PostgreSQL database ``jiliang_bench`` at
``--postgres``), registers 200 owner institutions, then times ``import_file`` on the CSV: reading,
validating every row, writing in one transaction and the audit entry. Aim: >= 50,000 rows/s on
PostgreSQL (issue 2).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from bench.common import Table

HERE = Path(__file__).resolve().parent
CATEGORIES = ["water_meter_dn15_25", "gas_meter_g16", "electricity_meter", "taximeter", "non_automatic_scale"]
DISTRICTS = ["310101", "310104", "310105", "310106", "310107", "310109", "310110", "310112", "310115"]
OWNERS = 200


def owner_code(i: int) -> str:
    from jiliang.registry.validators import credit_code_check_character

    body = f"91310000{i:09d}"
    return body + credit_code_check_character(body)


def write_csv(path: Path, rows: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    owners = [owner_code(i) for i in range(OWNERS)]
    header = [
        "category",
        "manufacturer",
        "model",
        "serial_number",
        "owner",
        "location",
        "district",
        "accuracy_class",
        "status",
        "interval_months",
        "last_verification",
        "next_due",
    ]
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(header)
        for i in range(rows):
            year, month = 2019 + rng.randrange(6), 1 + rng.randrange(12)
            out.writerow(
                [
                    CATEGORIES[i % len(CATEGORIES)],
                    f"Maker {i % 37}",
                    f"M-{i % 11}",
                    f"SN{i:09d}",
                    owners[rng.randrange(OWNERS)],
                    f"Building {rng.randrange(5000)}",
                    rng.choice(DISTRICTS),
                    "2",
                    "in_service",
                    "72",
                    f"{year}-{month:02d}-15",
                    f"{year + 6}-{month:02d}-15",
                ]
            )


def child(database_url: str, csv_path: str) -> None:
    """Runs in a fresh process with JILIANG_DATABASE_URL set: schema, owners, timed import."""
    import django

    os.environ["DJANGO_SETTINGS_MODULE"] = "jiliang.platform.settings"
    django.setup()
    from django.core.management import call_command

    from jiliang.registry import models as m
    from jiliang.registry.bulk import import_file

    call_command("migrate", "--noinput", verbosity=0)
    m.Institution.objects.bulk_create(
        m.Institution(name=f"Owner {i}", kind="enterprise", credit_code=owner_code(i)) for i in range(OWNERS)
    )
    start, cpu = time.perf_counter(), time.process_time()
    result = import_file(Path(csv_path))
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    out = {"rows": result.total, "seconds": seconds, "cpu": cpu, "in_db": m.Instrument.objects.count()}
    print(json.dumps(out))


def _run_child(url: str, csv_path: Path, data_dir: str) -> dict:
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    code = f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); from bench.registry import child; child(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(csv_path)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def serve(port: int) -> None:
    """Serve the platform's WSGI application with the standard library's server: one thread, so
    the database connection persists between requests (CONN_MAX_AGE) as behind a WSGI server in
    production; Django's development server opens a new connection on every request's thread."""
    from wsgiref.simple_server import WSGIRequestHandler, make_server

    os.environ["DJANGO_SETTINGS_MODULE"] = "jiliang.platform.settings"
    from django.core.wsgi import get_wsgi_application

    class Quiet(WSGIRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    make_server("127.0.0.1", port, get_wsgi_application(), handler_class=Quiet).serve_forever()


def lookup_latency(url: str, data_dir: str, rows: int, requests: int) -> tuple[float, float]:
    """Serve the platform (see :func:`serve`) on the imported database and time the public lookup ``GET /api/registry/lookup/?serial_number=...`` for random serials
    (one request at a time, a new connection each). Returns (p50, p99) in milliseconds."""
    port = _free_port()
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    jiliang = [sys.executable, "-c", "import sys; from jiliang.cli.main import main; sys.exit(main())"]
    server = subprocess.Popen(
        [*jiliang, "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).read()
                break
            except OSError:
                time.sleep(0.1)
        rng = random.Random(7)
        times = []
        for i in range(requests + 20):
            serial = f"SN{rng.randrange(rows):09d}"
            start = time.perf_counter()
            body = urllib.request.urlopen(
                f"{base}/api/registry/lookup/?serial_number={serial}", timeout=10
            ).read()
            elapsed = time.perf_counter() - start
            assert serial.encode() in body
            if i >= 20:  # the first requests warm the server
                times.append(elapsed * 1000)
    finally:
        server.terminate()
        server.wait(timeout=30)
    cuts = statistics.quantiles(times, n=100)
    return statistics.median(times), cuts[98]


def _fresh_postgres(base: str) -> str:
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute("DROP DATABASE IF EXISTS jiliang_bench")
        conn.execute("CREATE DATABASE jiliang_bench")
    return base.rsplit("/", 1)[0] + "/jiliang_bench"


def _load() -> str:
    """Other work on the machine slows the figures: say how busy it was."""
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _add_lookup(table: Table, name: str, url: str, tmp: str, rows: int, requests: int) -> None:
    p50, p99 = lookup_latency(url, tmp, rows, requests)
    note = f"{requests} lookups over HTTP, {rows:,} instruments; {_load()}"
    table.add(f"public lookup by serial, {name}: p50", p50, "ms", note=note)
    table.add(f"public lookup by serial, {name}: p99", p99, "ms", aim="< 50", note=note)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/registry.py")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--lookups", type=int, default=1000, help="lookup requests per database (0: none)")
    args = parser.parse_args(argv)
    rows = 100_000 if args.quick else args.rows
    table = Table(f"Registry: import {rows:,} instruments from CSV (validate all, then write); public lookup")
    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "instruments.csv"
        write_csv(csv_path, rows)
        size = csv_path.stat().st_size / 2**20
        sqlite = _run_child(f"sqlite:///{tmp}/bench.sqlite3", csv_path, tmp)
        assert sqlite["in_db"] == rows
        table.add(
            "import into SQLite",
            sqlite["rows"] / sqlite["seconds"],
            "rows/s",
            note=f"{sqlite['seconds']:.1f} s wall, {sqlite['cpu']:.1f} s CPU; CSV {size:.0f} MiB; {_load()}",
        )
        if args.lookups:
            _add_lookup(table, "SQLite", f"sqlite:///{tmp}/bench.sqlite3", tmp, rows, args.lookups)
        if not args.skip_postgres:
            pg_url = _fresh_postgres(args.postgres)
            pg = _run_child(pg_url, csv_path, tmp)
            assert pg["in_db"] == rows
            table.add(
                "import into PostgreSQL (COPY)",
                pg["rows"] / pg["seconds"],
                "rows/s",
                aim=">= 50000",
                note=f"{pg['seconds']:.1f} s wall, {pg['cpu']:.1f} s CPU (client); {_load()}",
            )
            if args.lookups:
                _add_lookup(table, "PostgreSQL", pg_url, tmp, rows, args.lookups)
    table.print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
