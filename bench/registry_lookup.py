"""Registry benchmark, HTTP half: the public instrument lookup by serial number with N instruments.

    python bench/run.py registry_lookup                          # 1,000,000 instruments, 2,000 lookups
    python bench/run.py registry_lookup -- --rows 100000 --skip-postgres

For SQLite (a file in a temporary folder) and PostgreSQL (database ``jiliang_bench_lookup`` at
``--postgres``, created and dropped here) a child process creates the schema and loads N
instruments with ``jiliang import`` (the CSV of ``bench/registry.py``); then the platform's WSGI
application runs in a separate server process on 127.0.0.1 and one client times a bounded number of
sequential GET requests (a new connection each) to the public lookup page (``/portal/?serial_number=...``) and to the
public API (``/api/registry/lookup/?serial_number=...``), one in ten for a serial that is not
registered. Latency is wall time per request as the client sees it (connect, Django, database,
response). Aim (issue 2): p99 < 50 ms.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.common import Table

HERE = Path(__file__).resolve().parent
DATABASE = "jiliang_bench_lookup"
# (path, what only a found record's answer contains)
PATHS = {
    "web page": ("/portal/?serial_number={}", b'class="serial"'),
    "API": ("/api/registry/lookup/?serial_number={}", b'"serial_number"'),
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load_database(url: str, csv_path: Path, data_dir: str) -> None:
    """Schema, owners and the import, in a child process (Django reads its settings once)."""
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    code = f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); from bench.registry import child; child(*sys.argv[1:])"
    done = subprocess.run(
        [sys.executable, "-c", code, url, str(csv_path)], env=env, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr[-2000:])


SERVER = """
import sys
from wsgiref.simple_server import WSGIRequestHandler, make_server

from jiliang.platform.wsgi import application


class Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


make_server("127.0.0.1", int(sys.argv[1]), application, handler_class=Quiet).serve_forever()
"""


def _serve(url: str, data_dir: str, port: int) -> subprocess.Popen:
    """The platform's WSGI application in its own process, one request at a time, so that the
    database connection persists between requests (``jiliang serve``, Django's threaded
    development server, opens a new one per request: about 10 ms more on PostgreSQL)."""
    env = dict(os.environ, JILIANG_DATABASE_URL=url, JILIANG_DATA_DIR=data_dir)
    env["DJANGO_SETTINGS_MODULE"] = "jiliang.platform.settings"
    server = subprocess.Popen(
        [sys.executable, "-c", SERVER, str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise RuntimeError("the server did not answer /healthz within 120 s")


def _latencies(port: int, path: tuple[str, bytes], serials: list[str], expect: list[bool]) -> np.ndarray:
    """Sequential GETs, one connection each (as a browser's first visit; a kept-alive connection to
    Django's development server meets the client's delayed ACK, a flat 40 ms that measures TCP, not
    Jiliang); checks every answer is what the data says."""
    template, found_marker = path
    times = []
    for serial, exists in zip(serials, expect, strict=True):
        start = time.perf_counter()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", template.format(serial), headers={"Accept-Language": "en", "Connection": "close"})
        response = conn.getresponse()
        body = response.read()
        conn.close()
        times.append(time.perf_counter() - start)
        if response.status != 200 or (found_marker in body) != exists:
            raise RuntimeError(f"lookup of {serial} answered {response.status}: {body[:200]!r}")
    return np.array(times) * 1000


def _measure(table: Table, name: str, url: str, csv_path: Path, tmp: str, rows: int, requests: int) -> None:
    _load_database(url, csv_path, tmp)
    rng = random.Random(7)
    expect = [rng.random() >= 0.1 for _ in range(requests + 50)]
    serials = [
        f"SN{rng.randrange(rows):09d}" if found else f"NO{rng.randrange(rows):09d}" for found in expect
    ]
    port = _free_port()
    server = _serve(url, tmp, port)
    try:
        for label, path in PATHS.items():
            _latencies(port, path, serials[:50], expect[:50])  # warm-up: caches, connections
            ms = _latencies(port, path, serials[50:], expect[50:])
            p50, p99 = np.percentile(ms, [50, 99])
            note = (
                f"{requests:,} sequential requests, 10 % unknown serials; mean {ms.mean():.1f} ms; {_load()}"
            )
            table.add(f"lookup {label}, {name}: p50", float(p50), "ms", note=note)
            table.add(f"lookup {label}, {name}: p99", float(p99), "ms", aim="< 50")
    finally:
        server.terminate()
        server.wait(timeout=30)


def _postgres(base: str, create: bool) -> str:
    import psycopg

    admin = base.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
        if create:
            conn.execute(f"CREATE DATABASE {DATABASE}")
    return base.rsplit("/", 1)[0] + f"/{DATABASE}"


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def lookup_section(
    table: Table,
    *,
    rows: int = 1_000_000,
    requests: int = 2000,
    postgres: str = "postgres://postgres@127.0.0.1:5432/postgres",
    skip_postgres: bool = False,
) -> None:
    """Add the lookup latency rows (p50, p99 for the page and the API, per database) to ``table``."""
    from bench.registry import write_csv

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "instruments.csv"
        write_csv(csv_path, rows)
        _measure(table, "SQLite", f"sqlite:///{tmp}/lookup.sqlite3", csv_path, tmp, rows, requests)
        if not skip_postgres:
            try:
                _measure(table, "PostgreSQL", _postgres(postgres, create=True), csv_path, tmp, rows, requests)
            finally:
                _postgres(postgres, create=False)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/registry_lookup.py")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--postgres", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args(argv)
    table = Table(f"Public instrument lookup by serial over HTTP: {args.rows:,} instruments")
    lookup_section(
        table,
        rows=args.rows,
        requests=args.requests,
        postgres=args.postgres,
        skip_postgres=args.skip_postgres,
    )
    table.print()
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent))
    sys.exit(main(sys.argv[1:]))
