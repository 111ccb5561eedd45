from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from jiliang.errors import InvalidInput
from jiliang.uncertainty import monte_carlo
from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.problem import compile_problem

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "uncertainty"


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


def full_sort_intervals(y, p):
    """JCGM 101 7.7 read literally: sort all M values, then pick the order statistics."""
    ordered = np.sort(y)
    m = y.size
    q = int(p * m + 0.5)
    r = int((m - q) / 2 + 0.5)
    symmetric = (ordered[r - 1], ordered[r + q - 1])
    widths = ordered[q:] - ordered[: m - q]
    s = int(np.argmin(widths))
    return symmetric, (ordered[s], ordered[s + q])


def test_intervals_contain_the_expected_fraction():
    y = np.random.default_rng(0).normal(size=100_000)
    symmetric, shortest = monte_carlo.intervals(*monte_carlo.tails(y, 0.95))
    inside = np.mean((y >= symmetric[0]) & (y <= symmetric[1]))
    assert inside == pytest.approx(0.95, abs=1e-4)
    assert shortest[1] - shortest[0] <= symmetric[1] - symmetric[0]


SAMPLES = {
    "gamma": lambda g, m: g.gamma(2.0, size=m),
    "normal far from zero": lambda g, m: 5e7 + 32 * g.standard_normal(m),
    "ties": lambda g, m: g.integers(0, 7, size=m).astype(float),
    "constant": lambda g, m: np.full(m, 3.0),
}


@pytest.mark.parametrize("p", [0.3, 0.5, 0.9, 0.95, 0.99])
@pytest.mark.parametrize("m", [20_001, 300_000])  # the partition and the threshold path
@pytest.mark.parametrize("kind", SAMPLES)
def test_tails_give_the_full_sort_intervals(p, m, kind):
    y = SAMPLES[kind](np.random.default_rng(5), m)
    before = y.copy()
    assert monte_carlo.intervals(*monte_carlo.tails(y, p)) == full_sort_intervals(y, p)
    assert np.array_equal(y, before)  # the trial order is kept (output correlations need it)


def test_a_wrong_threshold_guess_falls_back_to_the_partition():
    """The sample that places the thresholds is every s-th value; make those the smallest values,
    so the low threshold holds too few values and the partition must take over."""
    m = 200_000
    y = np.random.default_rng(1).uniform(0.0, 1.0, m)
    y[:: m // monte_carlo.SAMPLE] -= 10.0
    assert monte_carlo.intervals(*monte_carlo.tails(y, 0.95)) == full_sort_intervals(y, 0.95)


@pytest.mark.parametrize("kind", SAMPLES)
def test_moments_and_histogram_match_numpy(kind):
    y = SAMPLES[kind](np.random.default_rng(7), 250_000)
    mean, u, _, _, histogram = monte_carlo.summarise(y, 0.95)
    assert mean == pytest.approx(y.mean(), rel=1e-12, abs=1e-12)
    assert u == pytest.approx(y.std(ddof=1), rel=1e-9, abs=1e-12)
    lo, hi = histogram.edges[0], histogram.edges[-1]
    if kind != "constant":
        ordered = np.sort(y)
        k = int(0.0005 * (y.size - 1))
        assert (lo, hi) == (ordered[k], ordered[-1 - k])  # the central 99.9 %
    counts, edges = np.histogram(y, bins=monte_carlo.HISTOGRAM_BINS, range=(lo, hi))
    assert np.allclose(histogram.edges, edges)
    # numpy corrects a value that rounding puts across a bin edge; one such value may differ
    assert sum(histogram.counts) == counts.sum()
    assert np.abs(np.array(histogram.counts) - counts).max() <= 1


def test_monte_carlo_computes_in_the_inputs_own_units():
    """GUM H.1 in nm and K: the unit factors cancel, so no trial is converted to metres and back."""
    import yaml

    from jiliang.uncertainty.problem import expression_in_units

    compiled = compile_problem(load_problem(yaml.safe_load((EXAMPLES / "end_gauge.yaml").read_text())))
    out = compiled.outputs[0]
    scales = tuple(float(s) for s in compiled.scales)
    assert scales[0] == pytest.approx(1e-9) and out.unit == "nm"
    assert (
        expression_in_units(out.expr, out.symbols, scales, out.scale) == compiled.problem.model.outputs[0][1]
    )


def test_mixed_units_give_the_same_monte_carlo_as_coherent_ones():
    """a in mm plus b in m, answered in mm, equals the same problem stated in mm throughout."""
    mixed = problem(
        a={"distribution": "normal", "estimate": 10.0, "std_uncertainty": 0.1, "unit": "mm"},
        b={"distribution": "rectangular", "estimate": 0.001, "half_width": 0.0002, "unit": "m"},
    )
    coherent = problem(
        a={"distribution": "normal", "estimate": 10.0, "std_uncertainty": 0.1, "unit": "mm"},
        b={"distribution": "rectangular", "estimate": 1.0, "half_width": 0.2, "unit": "mm"},
    )
    one, two = (
        evaluate(load_problem(d), method="mc", trials=50_000, rng=3).output("y") for d in (mixed, coherent)
    )
    assert one.unit == two.unit == "mm"
    assert one.mc is not None and two.mc is not None
    assert one.mc.estimate == pytest.approx(11.0, abs=0.002)
    assert one.mc.estimate == pytest.approx(two.mc.estimate, rel=1e-12)
    assert one.mc.standard_uncertainty == pytest.approx(two.mc.standard_uncertainty, rel=1e-9)
    assert one.mc.coverage_interval == pytest.approx(two.mc.coverage_interval, rel=1e-12)


def test_copula_only_for_the_correlated_inputs():
    """a, b correlated (a 3×3 block with an eigenvalue of exactly 1) and d independent."""
    data = problem(
        model="y = a + b + c + d",
        c={"distribution": "rectangular", "estimate": 0.0, "half_width": 1.0},
        d={"distribution": "rectangular", "estimate": 0.0, "half_width": 1.0},
    ) | {"correlations": [["a", "b", 0.5], ["b", "c", 0.5]]}
    compiled = compile_problem(load_problem(data))
    assert compiled.linked.tolist() == [True, True, True, False]
    x = np.array(monte_carlo.draw(compiled, 200_000, np.random.default_rng(6)))
    r = np.corrcoef(x)
    assert r[0, 1] == pytest.approx(0.5, abs=0.01) and r[0, 2] == pytest.approx(0.0, abs=0.01)
    assert np.abs(r[3, :3]).max() < 0.01
    assert np.abs(x[3]).max() <= 1.0 and np.abs(x[2]).max() <= 1.0


@pytest.mark.parametrize(
    "model",
    ["y = a + b", "y = a*exp(b)", "y = a^2"],
)
def test_block_tallies_give_the_same_summary_as_the_full_passes(model):
    """Moments and tails tallied block by block (while each block is in cache) against the same
    statistics computed from all values at once."""
    compiled = compile_problem(load_problem(problem(model=model)))
    ys, plans, tallies = monte_carlo._simulate(compiled, 400_000, np.random.SeedSequence(5), 2, 0.95)
    assert plans is not None and all(len(block) == 1 for block in tallies)
    y = ys[0]
    tallied = monte_carlo.summarise(y, 0.95, [block[0] for block in tallies], plans[0].shift)
    full = monte_carlo.summarise(y, 0.95)
    assert tallied[0] == pytest.approx(full[0], rel=1e-12, abs=1e-12)
    assert tallied[1] == pytest.approx(full[1], rel=1e-10)
    assert tallied[2:] == full[2:]  # intervals and histogram
    assert tallied[2:4] == full_sort_intervals(y, 0.95)


def test_a_wrong_tally_threshold_falls_back_to_the_full_selection():
    compiled = compile_problem(load_problem(problem()))
    ys, plans, tallies = monte_carlo._simulate(compiled, 300_000, np.random.SeedSequence(5), 1, 0.95)
    assert plans is not None
    starved = [monte_carlo._Tally(t[0].total, t[0].squares, t[0].low[:10], t[0].high) for t in tallies]
    result = monte_carlo.summarise(ys[0], 0.95, starved, plans[0].shift)
    assert result[2:4] == full_sort_intervals(ys[0], 0.95)
    assert result[1] == pytest.approx(ys[0].std(ddof=1), rel=1e-10)
