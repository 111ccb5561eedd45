"""Shared helpers for Jiliang's benchmarks: the machine, timing, and the printed table.

Every benchmark module in ``bench/`` has ``main(argv) -> int`` that builds a :class:`Table` and
prints it. ``python bench/run.py`` runs them all; ``python bench/run.py uncertainty`` runs one.
"""

from __future__ import annotations

import os
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    memory = ""
    try:
        pages, size = os.sysconf("SC_PHYS_PAGES"), os.sysconf("SC_PAGE_SIZE")
        memory = f"{pages * size / 2**30:.1f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    import numpy

    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "speed": f"{reference_ms():.1f} ms for sum(range(10**6)) (best of 5, when the table was printed)",
    }


def reference_ms() -> float:
    """A fixed piece of work timed now: on a shared virtual machine the same code has run 1.5
    times slower from one hour to the next, and this says how fast the machine was."""
    best = float("inf")
    for _ in range(5):
        start = time.perf_counter()
        sum(range(10**6))
        best = min(best, time.perf_counter() - start)
    return best * 1000


def timed(fn: Callable[[], Any], *, repeat: int = 3, warmup: int = 1) -> float:
    """Median wall time of ``fn()`` in seconds over ``repeat`` runs after ``warmup`` runs."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@dataclass
class Row:
    case: str
    figure: float
    unit: str
    peer: str = ""
    peer_figure: float | None = None
    aim: str = ""
    note: str = ""

    def ratio(self) -> str:
        """How many times better Jiliang is than the peer (>1 is better), for times and rates alike."""
        if self.peer_figure is None or not self.figure or not self.peer_figure:
            return ""
        lower_is_better = self.unit in {"s", "ms", "µs", "MB", "GiB"}
        value = self.peer_figure / self.figure if lower_is_better else self.figure / self.peer_figure
        return f"{value:.1f}x"


@dataclass
class Table:
    title: str
    rows: list[Row] = field(default_factory=list)

    def add(self, case: str, figure: float, unit: str, **kw: Any) -> Row:
        row = Row(case, figure, unit, **kw)
        self.rows.append(row)
        return row

    def render(self) -> str:
        head = ["case", "jiliang", "unit", "peer", "peer figure", "jiliang vs peer", "aim", "note"]
        body = [
            [r.case, _fmt(r.figure), r.unit, r.peer, _fmt(r.peer_figure), r.ratio(), r.aim, r.note]
            for r in self.rows
        ]
        widths = [max(len(str(x)) for x in col) for col in zip(head, *body, strict=False)]
        lines = [
            f"## {self.title}",
            "",
            "machine: " + ", ".join(f"{k} {v}" for k, v in machine().items()),
            "",
        ]
        for i, row in enumerate([head, *body]):
            lines.append("| " + " | ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True)) + " |")
            if i == 0:
                lines.append("|" + "|".join("-" * (w + 2) for w in widths) + "|")
        return "\n".join(lines)

    def print(self) -> None:
        print(self.render(), flush=True)


def _fmt(value: float | None) -> str:
    if value is None:
        return ""
    if value == 0 or 1e-3 <= abs(value) < 1e6:
        return f"{value:.4g}"
    return f"{value:.3e}"
