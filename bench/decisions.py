"""Decisions at scale: conformity decisions (JCGM 106, vectorised), global risks and guard bands, a
calibration-interval fit over a fleet's as-found histories, and ISO 2859-1 lot decisions; suncal
(Sandia) measured in the same run.

``python bench/run.py decisions`` (add ``-- --quick`` for a smaller, faster run).

Sections are functions in ``SECTIONS``; each takes the table and the ``quick`` flag and adds rows.
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Callable

import numpy as np
from scipy import stats

from bench.common import Table, timed
from bench.lots import lot_decisions_section
from jiliang.conformity import Tolerance, assess_risk, decide_many, parse_rule, process_prior
from jiliang.conformity.risk import global_risks, guard_band_for_consumer_risk
from jiliang.intervals import make_history, recommend

try:  # peer, from the optional ``bench`` dependency group
    import suncal.intervals as sc_intervals
    import suncal.risk as sc_risk
    from suncal.risk import guardband as sc_guardband
except ImportError:  # pragma: no cover - reported in the table
    sc_risk = sc_intervals = sc_guardband = None

NO_SUNCAL = "suncal not installed (pip install -e '.[bench]')"


def conformity_decisions(table: Table, quick: bool) -> None:
    """1,000,000 decisions (guarded acceptance w = U) with p_c and specific risks, as array operations."""
    n = 100_000 if quick else 1_000_000
    rng = np.random.default_rng(1)
    y = rng.normal(10.0, 0.6, n)
    u = rng.uniform(0.05, 0.3, n)
    tolerance, rule = Tolerance(9.0, 11.0), parse_rule("guarded:1")
    seconds = timed(lambda: decide_many(y, u, tolerance, rule), repeat=5)
    peer, peer_rate, note = "", None, NO_SUNCAL
    if sc_risk is not None:
        m = 2_000
        dists = [stats.norm(y[i], u[i]) for i in range(m)]
        peer_seconds = timed(lambda: [sc_risk.specific_risk(d, 9.0, 11.0) for d in dists], repeat=1)
        peer, peer_rate = "suncal.risk.specific_risk (one call per item)", m / peer_seconds
        ours = decide_many(y[:m], u[:m], tolerance, parse_rule("simple")).probability_of_conformity
        theirs = np.array([1.0 - sc_risk.specific_risk(d, 9.0, 11.0).total for d in dists[:200]])
        note = (
            f"peer timed on {m:,} items (its API takes one distribution per call); "
            f"max |Δp_c| over 200 items {np.max(np.abs(ours[:200] - theirs)):.1e}"
        )
    table.add(
        f"{n:,} conformity decisions",
        n / seconds,
        "decisions/s",
        peer=peer,
        peer_figure=peer_rate,
        aim=">= 1e6 decisions/s",
        note=note,
    )


def global_risk(table: Table, quick: bool) -> None:
    """Global R_C and R_P for a normal process and measurement (JCGM 106 9.5), one evaluation."""
    tolerance = Tolerance(-2.0, 2.0)
    prior = process_prior(0.0, 1.0)
    seconds = timed(lambda: global_risks(prior, 0.25, tolerance, (-1.9, 1.9)), repeat=5)
    rc, rp = global_risks(prior, 0.25, tolerance, (-1.9, 1.9))
    peer, peer_s, note = "", None, NO_SUNCAL
    if sc_risk is not None:
        test = stats.norm(0.0, 0.25)

        def both() -> tuple[float, float]:
            return sc_risk.PFA(prior.dist, test, -2, 2, 0.1, 0.1), sc_risk.PFR(
                prior.dist, test, -2, 2, 0.1, 0.1
            )

        peer_s = timed(both, repeat=5) * 1e3
        pfa, pfr = both()
        peer = "suncal.risk.PFA + PFR"
        note = f"R_C {rc:.6g} vs {pfa:.6g}; R_P {rp:.6g} vs {pfr:.6g}"
    table.add(
        "global risks R_C and R_P (normal/normal)",
        seconds * 1e3,
        "ms",
        peer=peer,
        peer_figure=peer_s,
        note=note,
    )


def guard_band(table: Table, quick: bool) -> None:
    """The guard band that meets a target global consumer's risk of 0.1 % (Brent's method)."""
    tolerance, prior = Tolerance(-2.0, 2.0), process_prior(0.0, 1.0)
    seconds = timed(lambda: guard_band_for_consumer_risk(prior, 0.5, tolerance, 0.001), repeat=3)
    w = guard_band_for_consumer_risk(prior, 0.5, tolerance, 0.001)
    peer, peer_s, note = "", None, NO_SUNCAL
    if sc_guardband is not None:
        test = stats.norm(0.0, 0.5)
        peer_s = timed(lambda: sc_guardband.target(prior.dist, test, -2, 2, 0.001), repeat=3) * 1e3
        theirs = sc_guardband.target(prior.dist, test, -2, 2, 0.001)
        peer = "suncal.risk.guardband.target"
        check = assess_risk(
            process_mean=0, process_std=1, measurement_std=0.5, tolerance=tolerance, guard_band=w
        )
        note = f"w {w:.6g} vs {theirs:.6g} (R_C at ours {check.global_consumer_risk:.3g})"
    table.add("guard band for R_C = 0.001", seconds * 1e3, "ms", peer=peer, peer_figure=peer_s, note=note)


def _fleet(instruments: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Five calibrations per instrument, intervals in whole days around a 1-year assignment,
    in tolerance with a Weibull reliability (η = 1200 d, β = 1.8)."""
    t = np.rint(rng.uniform(0.6, 1.6, instruments * 5) * 365.0)
    ok = rng.random(t.size) < np.exp(-((t / 1200.0) ** 1.8))
    return t, ok


def interval_fit(table: Table, quick: bool) -> None:
    """Maximum-likelihood interval (exponential and Weibull, AIC, likelihood-ratio bounds) for a fleet."""
    instruments = 10_000 if quick else 100_000
    t, ok = _fleet(instruments, np.random.default_rng(2))
    fleet = [f"M{i:06d}" for i in range(instruments) for _ in range(5)]

    def ours() -> object:
        return recommend(make_history(t, ok, fleet), method="mle", target=0.9)

    seconds = timed(ours, repeat=3)
    result = recommend(make_history(t, ok, fleet), method="mle", target=0.9)
    truth = 1200.0 * (-math.log(0.9)) ** (1 / 1.8)
    peer, peer_s, note = "", None, NO_SUNCAL
    if sc_intervals is not None:
        ti, inverse = np.unique(t, return_inverse=True)
        ni = np.bincount(inverse)
        ri = np.bincount(inverse, weights=ok.astype(float)) / ni
        params = sc_intervals.S2Params(target=0.9, ti=ti, ri=ri, ni=ni)
        peer_s = timed(lambda: sc_intervals.s2_binom_interval(params), repeat=1)
        theirs = sc_intervals.s2_binom_interval(params).model("Weibull").interval
        peer = "suncal.intervals.s2_binom_interval (RP-1 S2)"
        note = (
            "ours includes validating and pooling the rows, the peer is given the pooled per-day counts "
            f"and fits its 10 models; peer Weibull t* {theirs:.1f} d; "
        )
    low, high = result.confidence_bounds or (None, None)
    note += f"ours {result.model} t* {result.recommended_interval:.1f} d [{low:.1f}, {high:.1f}], truth {truth:.1f} d"
    table.add(
        f"interval fit, {instruments:,} instruments ({t.size:,} calibrations)",
        seconds,
        "s",
        peer=peer,
        peer_figure=peer_s,
        aim="< 2 s",
        note=note,
    )


def interval_test(table: Table, quick: bool) -> None:
    """The binomial interval test (RP-1 A3 style) on one group's counts."""
    t, ok = _fleet(1_000, np.random.default_rng(3))
    history = make_history(np.full(t.size, 365.0), ok)
    seconds = timed(lambda: recommend(history, method="interval-test", target=0.9), repeat=5)
    peer, peer_s, note = "", None, NO_SUNCAL
    if sc_intervals is not None:
        params = sc_intervals.A3Params(intol=int(ok.sum()), n=ok.size, I0=365, target=0.9, conf=0.95)
        peer_s = timed(lambda: sc_intervals.a3_testinterval(params), repeat=5) * 1e3
        peer = "suncal.intervals.a3_testinterval"
        note = "different change rules (ours: exact binomial test, exponential rescaling); time only"
    table.add(
        f"interval test, {ok.size:,} calibrations",
        seconds * 1e3,
        "ms",
        peer=peer,
        peer_figure=peer_s,
        note=note,
    )


def sampling_lot_decisions(table: Table, quick: bool) -> None:
    """100,000 ISO 2859-1 lot decisions at once (jiliang.sampling); see ``bench/lots.py``."""
    lot_decisions_section(table, lots=10_000 if quick else 100_000, scalar_lots=500 if quick else 2_000)


# The sections of this benchmark, in the order they print.
SECTIONS: list[Callable[[Table, bool], None]] = [
    conformity_decisions,
    global_risk,
    guard_band,
    interval_fit,
    interval_test,
    sampling_lot_decisions,
]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/decisions.py")
    parser.add_argument("--quick", action="store_true", help="smaller sizes for a fast run")
    args = parser.parse_args(argv)
    table = Table("Decisions: conformity (JCGM 106), calibration intervals (ILAC-G24)")
    for section in SECTIONS:
        section(table, args.quick)
    table.print()
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
