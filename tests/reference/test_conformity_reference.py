"""Conformity risks against published figures.

JCGM 106:2012 9.5.4 (ball bearings, gamma process): see the last test.

Deaver, D., "How to Maintain Your Confidence (in a World of Declining Test Uncertainty Ratios)",
NCSL Workshop & Symposium, 1993: global false-accept (consumer's) and false-reject (producer's) risk for
a normal process and a normal measurement, with the specification limit SL in process standard deviations
and Deaver's TUR = σ_process / σ_test. The figures (p. 7 and p. 10) are those reproduced in the test suite
of Sandia's suncal (test/test_risk.py: 0.008, 0.0025 and 0.005; 0.015; with guard band 0.008 and 0.066).
They are printed to one or two significant figures, hence the tolerances.
"""

import pytest

from jiliang.conformity import Tolerance, assess_risk, process_prior


def _deaver(sl: float, tur: float, guard_factor: float = 1.0):
    """Deaver's set-up: process N(0, 1), limits ±SL, σ_test = 1/TUR, acceptance limit GB·SL."""
    return assess_risk(
        process_mean=0.0,
        process_std=1.0,
        measurement_std=1.0 / tur,
        tolerance=Tolerance(-sl, sl),
        guard_band=sl * (1.0 - guard_factor),
    )


@pytest.mark.parametrize(
    ("sl", "tur", "pfa", "tol"), [(2.0, 4.0, 0.008, 1e-4), (2.5, 4.0, 0.0025, 1e-4), (2.5, 1.0, 0.005, 1e-3)]
)
def test_deaver_1993_false_accept_risk(sl, tur, pfa, tol):
    assert _deaver(sl, tur).global_consumer_risk == pytest.approx(pfa, abs=tol)


def test_deaver_1993_false_reject_risk():
    assert _deaver(2.0, 4.0).global_producer_risk == pytest.approx(0.015, abs=5e-4)


def test_deaver_1993_guard_band_figures():
    """Deaver 1993 p. 10: SL = 2, TUR = 2, acceptance limit 0.91·SL -> PFA 0.008, PFR 0.066."""
    result = _deaver(2.0, 2.0, 0.91)
    assert result.global_consumer_risk == pytest.approx(0.008, abs=5e-4)
    assert result.global_producer_risk == pytest.approx(0.066, abs=1e-3)


def test_jcgm_106_9_5_4_ball_bearings_gamma_process():
    """JCGM 106:2012 9.5.4: radial error motion of precision ball bearings must be below TU = 2 µm; the
    process is a gamma distribution (shape 4, rate 4 µm⁻¹: mean 1 µm, standard deviation 0.5 µm), each
    bearing is measured with u_m = 0.25 µm. The set-up is quoted from JCGM 106 in Sandia's suncal
    notebook "Risk - Ball Bearing" (doc/API Examples), which reports: 4.2 % of the bearings are out of
    tolerance, the global consumer's risk is 0.8 % (0.008019), and a customer limit of 0.1 % needs the
    acceptance limit A_U = 1.6718 µm (guard band 0.32817 µm)."""
    tolerance = Tolerance(upper=2.0)
    prior = process_prior(1.0, 0.5, "gamma")
    assert prior.dist.sf(2.0) == pytest.approx(0.0424, abs=5e-5)
    common = {
        "process_mean": 1.0,
        "process_std": 0.5,
        "process_distribution": "gamma",
        "measurement_std": 0.25,
    }
    assert assess_risk(tolerance=tolerance, **common).global_consumer_risk == pytest.approx(
        0.008019, abs=1e-6
    )
    guarded = assess_risk(tolerance=tolerance, target_consumer_risk=0.001, **common)
    assert guarded.acceptance_limits[1] == pytest.approx(1.6718, abs=1e-4)
    assert guarded.guard_band == pytest.approx(0.32817, abs=1e-5)
