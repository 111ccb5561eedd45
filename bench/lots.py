"""Acceptance-sampling benchmark: many ISO 2859-1 lot decisions at once.

``lot_decisions_section(table)`` adds its rows to a table (``bench/decisions.py`` includes it);
``python bench/run.py lots`` prints them on their own. ``--quick`` uses smaller inputs.
"""

from __future__ import annotations

import time

import numpy as np

from bench.common import Table, timed
from jiliang.sampling import lot_decisions, oc_curve, run_series, single_plan
from jiliang.sampling.tables import iso2859_1


def _lots(count: int, seed: int = 1) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 1_000_000, count)
    aqls = rng.choice(np.asarray(iso2859_1().aql_values[:16]), count)  # percent-nonconforming AQLs
    counts = rng.poisson(1.0, count)
    return sizes, counts, aqls


def lot_decisions_section(table: Table, *, lots: int = 100_000, scalar_lots: int = 2_000) -> None:
    """Time ``lots`` vectorised ISO 2859-1 lot decisions and, for scale, the one-lot-at-a-time API."""
    sizes, counts, aqls = _lots(lots)
    vector_s = timed(lambda: lot_decisions(sizes, counts, aqls, "II", "normal"))
    table.add(
        f"{lots:,} lot decisions, ISO 2859-1 (vectorised)",
        vector_s * 1e3,
        "ms",
        aim="< 100 ms",
        note=f"{lots / vector_s:,.0f} lots/s; Table 1 + Table 2-A lookups and Ac test",
    )
    few = list(zip(sizes[:scalar_lots].tolist(), aqls[:scalar_lots].tolist(), strict=True))
    start = time.perf_counter()
    for size, aql in few:
        single_plan(size, aql)
    scalar_s = time.perf_counter() - start
    table.add(
        f"{scalar_lots:,} plans one at a time (single_plan)",
        scalar_s * 1e3,
        "ms",
        note=f"{scalar_lots / scalar_s:,.0f} lots/s; the vectorised path is {scalar_s / scalar_lots * lots / vector_s:,.0f}x faster per lot",
    )
    series = [(2000, int(c)) for c in counts[:10_000]]
    series_s = timed(lambda: run_series(series, 1.0, authority_approves_reduced=True), repeat=1)
    table.add(
        "switching rules over 10,000 lots", series_s * 1e3, "ms", note="clause 9 state machine, pure Python"
    )
    oc_s = timed(lambda: oc_curve(1250, 21, lot_size=100_000, points=1001))
    table.add("OC curve, 1,001 points, hypergeometric (N = 100,000)", oc_s * 1e3, "ms")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    table = Table("Acceptance sampling: lot decisions")
    lot_decisions_section(table, lots=10_000 if quick else 100_000, scalar_lots=500 if quick else 2_000)
    table.print()
    return 0
