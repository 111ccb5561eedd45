from __future__ import annotations

import numpy as np
import pytest

from jiliang.errors import InvalidInput
from jiliang.uncertainty import monte_carlo
from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.problem import compile_problem


def problem(model="y = a + b", **inputs):
    specs = {
        "a": {"distribution": "normal", "estimate": 1.0, "std_uncertainty": 0.1},
        "b": {"distribution": "normal", "estimate": 2.0, "std_uncertainty": 0.2},
    } | inputs
    return {"model": model, "inputs": specs}


@pytest.mark.parametrize(
    ("u", "digits", "delta"),
    [
        (2.0, 2, 0.05),
        (0.0754, 2, 0.0005),
        (0.0539, 1, 0.005),
        (10.15, 2, 0.5),
        (0.996, 2, 0.05),
        (32.0, 2, 0.5),
    ],
)
def test_numerical_tolerance_jcgm101_7_9_2(u, digits, delta):
    assert monte_carlo.numerical_tolerance(u, digits) == pytest.approx(delta)


def test_same_seed_same_result_and_seed_is_reported():
    first = evaluate(load_problem(problem()), method="mc", trials=5000, rng=7).output("y").mc
    again = evaluate(load_problem(problem()), method="mc", trials=5000, rng=7).output("y").mc
    assert first == again and first is not None and first.seed == 7


def test_threads_do_not_change_the_sample(monkeypatch):
    """Block b draws from the b-th stream of the seed, whichever thread runs it."""
    monkeypatch.setattr(monte_carlo, "BLOCK", 999)  # 6 blocks, the last one short
    compiled = compile_problem(load_problem(problem(model="y = a*b + sin(a)")))
    one = monte_carlo.simulate(compiled, 5000, np.random.SeedSequence(3), threads=1)
    two = monte_carlo.simulate(compiled, 5000, np.random.SeedSequence(3), threads=2)
    four = monte_carlo.simulate(compiled, 5000, np.random.SeedSequence(3), threads=4)
    np.testing.assert_array_equal(one, two)
    np.testing.assert_array_equal(one, four)
    other = monte_carlo.simulate(compiled, 5000, np.random.SeedSequence(4), threads=2)
    assert not np.array_equal(one, other)


def test_same_seed_one_or_two_threads_identical_results():
    data = problem() | {"correlations": [["a", "b", 0.5]]}
    runs = [evaluate(load_problem(data), trials=300_000, rng=12, threads=t).output("y") for t in (1, 2, 2)]
    assert runs[0] == runs[1] == runs[2]


def test_a_passed_generator_seeds_the_block_streams():
    first = evaluate(load_problem(problem()), method="mc", trials=5000, rng=np.random.default_rng(9))
    again = evaluate(load_problem(problem()), method="mc", trials=5000, rng=np.random.default_rng(9))
    assert first.output("y").mc == again.output("y").mc
    mc = first.output("y").mc
    assert mc is not None and mc.seed is None
    generator = np.random.default_rng(9)
    one = evaluate(load_problem(problem()), method="mc", trials=5000, rng=generator).output("y").mc
    two = evaluate(load_problem(problem()), method="mc", trials=5000, rng=generator).output("y").mc
    assert one != two  # the Generator advances, like any two draws from it


def test_threads_must_be_sensible():
    with pytest.raises(InvalidInput) as err:
        evaluate(load_problem(problem()), method="mc", trials=5000, rng=1, threads=0)
    assert err.value.field == "threads"


def test_adaptive_procedure_stabilises_within_the_tolerance():
    """JCGM 101 7.9: with 2 significant digits the result is stable to δ = 0.005 for u = 0.22."""
    out = evaluate(load_problem(problem()), method="both", adaptive=True, digits=2, rng=11).output("y")
    assert out.mc is not None and out.mc.adaptive
    assert out.mc.trials % 10_000 == 0 and out.mc.trials >= 20_000
    assert out.mc.standard_uncertainty == pytest.approx(np.hypot(0.1, 0.2), abs=0.005)
    assert out.validation is not None and out.validation.passed


def test_more_digits_need_more_trials():
    few = evaluate(load_problem(problem()), method="mc", adaptive=True, digits=1, rng=5).output("y").mc
    many = evaluate(load_problem(problem()), method="mc", adaptive=True, digits=2, rng=5).output("y").mc
    assert few is not None and many is not None and many.trials > few.trials


def test_correlated_normal_inputs_follow_the_correlation():
    data = problem(model="y = a - b") | {"correlations": [["a", "b", 0.8]]}
    out = evaluate(load_problem(data), trials=200_000, rng=1).output("y")
    expected = np.sqrt(0.1**2 + 0.2**2 - 2 * 0.8 * 0.1 * 0.2)
    assert out.gum is not None and out.gum.standard_uncertainty == pytest.approx(expected)
    assert out.mc is not None and out.mc.standard_uncertainty == pytest.approx(expected, rel=0.01)


def test_gaussian_copula_keeps_non_normal_marginals():
    data = problem(
        model="y = a + b",
        a={"distribution": "rectangular", "lower": 0.0, "upper": 1.0},
        b={"distribution": "rectangular", "lower": 0.0, "upper": 1.0},
    ) | {"correlations": [["a", "b", 0.9]]}
    compiled = compile_problem(load_problem(data))
    x = np.array(monte_carlo.draw(compiled, 100_000, np.random.default_rng(2)))
    assert x.min() >= 0.0 and x.max() <= 1.0
    assert np.corrcoef(x)[0, 1] == pytest.approx(0.9, abs=0.02)  # Spearman-like, close to 0.9


def test_too_few_trials_for_the_coverage_probability():
    with pytest.raises(InvalidInput) as info:
        evaluate(load_problem(problem()), method="mc", trials=10, rng=1)
    assert info.value.field == "trials"


def test_several_outputs_have_mc_correlations():
    data = problem() | {"model": None, "models": ["s = a + b", "d = a - b"]}
    del data["model"]
    result = evaluate(load_problem(data), trials=100_000, rng=4)
    ((_, _, gum_r),) = result.output_correlations
    ((_, _, mc_r),) = result.mc_output_correlations
    assert gum_r == pytest.approx((0.01 - 0.04) / 0.05)
    assert mc_r == pytest.approx(gum_r, abs=0.02)


def test_intervals_contain_the_expected_fraction():
    sorted_y = np.sort(np.random.default_rng(0).normal(size=100_000))
    symmetric, shortest = monte_carlo.intervals(sorted_y, 0.95)
    inside = np.mean((sorted_y >= symmetric[0]) & (sorted_y <= symmetric[1]))
    assert inside == pytest.approx(0.95, abs=1e-4)
    assert shortest[1] - shortest[0] <= symmetric[1] - symmetric[0]


@pytest.mark.parametrize("p", [0.3, 0.5, 0.9, 0.95, 0.99])
def test_sorting_only_the_tails_gives_the_full_sort_intervals(p):
    y = np.random.default_rng(5).gamma(2.0, size=20_001)
    full = monte_carlo.intervals(np.sort(y), p)
    partial = monte_carlo.intervals(monte_carlo.sort_tails(y.copy(), p), p)
    assert partial == full
