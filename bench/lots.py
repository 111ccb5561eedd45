"""Acceptance-sampling benchmark: many ISO 2859-1 lot decisions at once.

``lot_decisions_section(table)`` adds its rows to a table (``bench/decisions.py`` includes it);
``python bench/run.py lots`` prints them on their own. ``--quick`` uses smaller inputs.
"""

from __future__ import annotations

import time

import numpy as np

from bench.common import Table, timed
from jiliang.sampling import conformity_demonstration_plan, lot_decisions, oc_curve, run_series, single_plan
from jiliang.sampling.tables import iso2859_1

GARMENT_AQLS = (0.65, 1.0, 1.5, 2.5, 4.0, 6.5)  # the AQLs garment-aql-calculator covers


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


def table_lookup_peer_section(table: Table, *, lots: int = 2_000) -> None:
    """One-at-a-time plans against garment-aql-calculator (level II, normal, its six AQLs)."""
    try:
        import garment_aql_calculator as peer
    except ImportError:
        table.add(
            "plans one at a time vs garment-aql-calculator",
            0.0,
            "ms",
            note="peer not installed (pip install .[bench])",
        )
        return
    rng = np.random.default_rng(2)
    cases = list(
        zip(rng.integers(2, 1_000_000, lots).tolist(), rng.choice(GARMENT_AQLS, lots).tolist(), strict=True)
    )
    ours_s = timed(lambda: [single_plan(n, a) for n, a in cases], repeat=1)
    peer_s = timed(lambda: [peer.calculate_aql(n, "GII", a) for n, a in cases], repeat=1)
    differ = 0
    for n, a in cases:
        mine, theirs = single_plan(n, a), peer.calculate_aql(n, "GII", a)
        differ += (mine.sample_size, mine.acceptance_number) != (
            min(theirs["sample_size"], n),
            theirs["accept_number"],
        )
    table.add(
        f"{lots:,} ISO 2859-1 plans one at a time",
        ours_s * 1e3,
        "ms",
        peer="garment-aql-calculator",
        peer_figure=peer_s * 1e3,
        note=f"{differ} of {lots} plans differ: the peer keeps the row's n at arrow cells (e.g. A, AQL 0.65)",
    )


def zero_acceptance_peer_section(table: Table, *, cases: int = 200) -> None:
    """Zero-acceptance sample sizes against lotsampling (binomial and hypergeometric, c = 0)."""
    try:
        import lotsampling as peer
    except ImportError:
        table.add(
            "zero-acceptance plans vs lotsampling",
            0.0,
            "ms",
            note="peer not installed (pip install .[bench])",
        )
        return
    rng = np.random.default_rng(3)
    xs = rng.uniform(0.80, 0.995, cases)
    gammas = rng.uniform(0.80, 0.99, cases)
    lots = rng.integers(50, 3_000, cases)
    # lotsampling takes the failing condition directly: p = 1 - X, or D = floor(N (1 - X)) + 1 items.
    defects = np.floor(lots * (1 - xs) + 1e-9).astype(int) + 1
    binomial = list(zip(xs.tolist(), gammas.tolist(), strict=True))
    ours_b = timed(lambda: [conformity_demonstration_plan(x, g).sample_size for x, g in binomial], repeat=1)
    peer_b = timed(lambda: [peer.calculate_binomial_sample_size(1 - x, 1 - g) for x, g in binomial], repeat=1)
    same_b = sum(
        conformity_demonstration_plan(x, g).sample_size == peer.calculate_binomial_sample_size(1 - x, 1 - g)
        for x, g in binomial
    )
    table.add(
        f"{cases} zero-acceptance plans, binomial",
        ours_b * 1e3,
        "ms",
        peer="lotsampling",
        peer_figure=peer_b * 1e3,
        note=f"same n in {same_b} of {cases}",
    )
    finite = list(zip(xs.tolist(), gammas.tolist(), lots.tolist(), defects.tolist(), strict=True))
    ours_h = timed(lambda: [conformity_demonstration_plan(x, g, 0, n) for x, g, n, _ in finite], repeat=1)
    peer_h = timed(
        lambda: [peer.calculate_hypergeometric_sample_size(n, d, 1 - g) for _, g, n, d in finite], repeat=1
    )
    same_h = sum(
        conformity_demonstration_plan(x, g, 0, n).sample_size
        == peer.calculate_hypergeometric_sample_size(n, d, 1 - g)
        for x, g, n, d in finite
    )
    table.add(
        f"{cases} zero-acceptance plans, hypergeometric (N 50..3000)",
        ours_h * 1e3,
        "ms",
        peer="lotsampling",
        peer_figure=peer_h * 1e3,
        note=f"same n in {same_h} of {cases}; 64-way search vs linear scan",
    )


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    table = Table("Acceptance sampling: lot decisions")
    lot_decisions_section(table, lots=10_000 if quick else 100_000, scalar_lots=500 if quick else 2_000)
    table_lookup_peer_section(table, lots=500 if quick else 2_000)
    zero_acceptance_peer_section(table, cases=50 if quick else 200)
    table.print()
    return 0
