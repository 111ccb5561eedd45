"""Global risks, guard bands, C_m and TUR (JCGM 106:2012 7.6, 9.5)."""

import numpy as np
import pytest

from jiliang.conformity import Tolerance, assess_risk, global_risks, process_prior
from jiliang.errors import InvalidInput


def _simulate(prior, u_m, tolerance, limits, n, seed):
    """Direct simulation of JCGM 106 9.5: draw true values from the prior, measure, decide."""
    rng = np.random.default_rng(seed)
    eta = prior.dist.rvs(size=n, random_state=rng)
    measured = eta + rng.normal(0.0, u_m, n)
    good = (eta >= tolerance.lo) & (eta <= tolerance.hi)
    accept = (measured >= limits[0]) & (measured <= limits[1])
    return np.mean(~good & accept), np.mean(good & ~accept)


@pytest.mark.parametrize(
    ("mean", "std", "dist", "u_m", "lower", "upper", "w"),
    [
        (0.0, 1.0, "normal", 0.5, -2.0, 2.0, 0.0),
        (0.3, 1.0, "normal", 0.4, -2.0, 2.0, 0.3),
        (3.0, 1.0, "gamma", 0.3, None, 5.0, 0.2),
        (2.0, 0.8, "gamma", 0.25, 1.0, 3.5, 0.0),
    ],
)
def test_quadrature_agrees_with_direct_simulation(mean, std, dist, u_m, lower, upper, w):
    t = Tolerance(lower, upper)
    prior = process_prior(mean, std, dist)
    limits = (t.lo + w, t.hi - w)
    consumer, producer = global_risks(prior, u_m, t, limits)
    sim_c, sim_p = _simulate(prior, u_m, t, limits, 100_000, seed=42)
    assert consumer == pytest.approx(sim_c, abs=5 * np.sqrt(consumer / 1e5) + 1e-4)
    assert producer == pytest.approx(sim_p, abs=5 * np.sqrt(producer / 1e5) + 1e-4)


def test_gamma_prior_has_the_requested_mean_and_std():
    prior = process_prior(3.0, 0.5, "gamma")
    assert prior.dist.mean() == pytest.approx(3.0) and prior.dist.std() == pytest.approx(0.5)
    assert prior.pdf(2.5) == pytest.approx(prior.dist.pdf(2.5), rel=1e-12)
    with pytest.raises(InvalidInput) as exc:
        process_prior(-1.0, 0.5, "gamma")
    assert exc.value.field == "process_mean"


def test_guard_band_meets_the_target_consumer_risk():
    t = Tolerance(-2.0, 2.0)
    result = assess_risk(
        process_mean=0.0, process_std=1.0, measurement_std=0.5, tolerance=t, target_consumer_risk=0.002
    )
    assert result.global_consumer_risk == pytest.approx(0.002, rel=1e-6)
    assert result.guard_band > 0
    assert result.acceptance_limits == pytest.approx((-2.0 + result.guard_band, 2.0 - result.guard_band))


def test_no_guard_band_needed_when_the_risk_is_already_below_target():
    t = Tolerance(-2.0, 2.0)
    result = assess_risk(
        process_mean=0, process_std=0.5, measurement_std=0.1, tolerance=t, target_consumer_risk=0.01
    )
    assert result.guard_band == 0.0 and result.global_consumer_risk < 0.01


def test_one_sided_guard_band_for_a_gamma_process():
    t = Tolerance(upper=5.0)
    result = assess_risk(
        process_mean=3.0,
        process_std=1.0,
        measurement_std=0.25,
        tolerance=t,
        process_distribution="gamma",
        target_consumer_risk=0.001,
    )
    assert result.global_consumer_risk == pytest.approx(0.001, rel=1e-6)
    assert result.measurement_capability_index is None


def test_capability_index_and_tur():
    """C_m = (TU − TL)/(4u) (JCGM 106:2012 7.6); TUR = (TU − TL)/(2U) (ANSI/NCSL Z540.3)."""
    result = assess_risk(process_mean=0, process_std=1, measurement_std=0.25, tolerance=Tolerance(-2, 2))
    assert result.measurement_capability_index == pytest.approx(4.0)
    assert result.test_uncertainty_ratio == pytest.approx(4.0)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"measurement_std": 0.0}, "measurement_std"),
        ({"process_std": -1.0}, "process_std"),
        ({"process_distribution": "lognormal"}, "process_distribution"),
        ({"target_consumer_risk": 1.5}, "target_consumer_risk"),
        ({"guard_band": 0.1, "target_consumer_risk": 0.01}, "guard_band"),
    ],
)
def test_bad_risk_input_names_the_field(kwargs, field):
    args = {"process_mean": 0.0, "process_std": 1.0, "measurement_std": 0.5, "tolerance": Tolerance(-2, 2)}
    args.update(kwargs)
    with pytest.raises(InvalidInput) as exc:
        assess_risk(**args)
    assert exc.value.field == field
