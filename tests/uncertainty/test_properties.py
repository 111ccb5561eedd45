"""Hypothesis properties of the engine (issue 3 item 10)."""

from __future__ import annotations

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.modelfile import load_problem

coefficient = st.floats(min_value=-5, max_value=5).filter(lambda c: abs(c) > 0.1)
uncertainty = st.floats(min_value=0.01, max_value=10)
estimate = st.floats(min_value=-100, max_value=100)


def linear(cs, us, xs, dist="normal"):
    model = "y = " + " + ".join(f"({c!r})*x{i}" for i, c in enumerate(cs))
    inputs = {}
    for i, (u, x) in enumerate(zip(us, xs, strict=True)):
        if dist == "normal":
            inputs[f"x{i}"] = {"distribution": "normal", "estimate": x, "std_uncertainty": u}
        else:
            inputs[f"x{i}"] = {"distribution": "rectangular", "estimate": x, "half_width": u * math.sqrt(3)}
    return {"model": model, "inputs": inputs}


@settings(max_examples=15)
@given(st.lists(st.tuples(coefficient, uncertainty, estimate), min_size=1, max_size=4), st.integers(0, 2**32))
def test_monte_carlo_agrees_with_gum_for_linear_models_with_normal_inputs(terms, seed):
    cs, us, xs = zip(*terms, strict=True)
    out = evaluate(load_problem(linear(cs, us, xs)), trials=40_000, rng=seed).output("y")
    assert out.gum and out.mc
    u = out.gum.standard_uncertainty
    # 5 standard errors of the mean and of the standard deviation for 40 000 normal trials
    assert abs(out.mc.estimate - out.gum.estimate) < 5 * u / math.sqrt(40_000)
    assert abs(out.mc.standard_uncertainty - u) < 5 * u / math.sqrt(2 * 40_000)
    half = out.gum.expanded_uncertainty
    lo, hi = out.mc.coverage_interval
    assert (
        abs(lo - (out.gum.estimate - half)) < 0.05 * half
        and abs(hi - (out.gum.estimate + half)) < 0.05 * half
    )


@settings(max_examples=15)
@given(
    st.lists(st.tuples(coefficient, uncertainty, estimate), min_size=1, max_size=3),
    st.sampled_from(["normal", "rectangular"]),
    st.integers(0, 2**32),
)
def test_intervals_contain_the_estimate(terms, dist, seed):
    cs, us, xs = zip(*terms, strict=True)
    out = evaluate(load_problem(linear(cs, us, xs, dist)), trials=5_000, rng=seed).output("y")
    assert out.gum and out.mc
    assert out.gum.coverage_interval[0] < out.gum.estimate < out.gum.coverage_interval[1]
    for lo, hi in (out.mc.coverage_interval, out.mc.shortest_coverage_interval):
        assert lo < out.mc.estimate < hi


@given(
    st.lists(st.tuples(coefficient, uncertainty, estimate), min_size=1, max_size=4),
    st.floats(min_value=0.01, max_value=100),
)
def test_scaling_the_input_uncertainties_scales_the_output_uncertainty(terms, factor):
    cs, us, xs = zip(*terms, strict=True)
    base = evaluate(load_problem(linear(cs, us, xs)), method="gum").output("y").gum
    scaled = evaluate(load_problem(linear(cs, [u * factor for u in us], xs)), method="gum").output("y").gum
    assert base and scaled
    assert math.isclose(scaled.standard_uncertainty, factor * base.standard_uncertainty, rel_tol=1e-9)
    assert math.isclose(scaled.estimate, base.estimate, rel_tol=1e-12, abs_tol=1e-9)


@given(st.floats(min_value=0.001, max_value=1000), uncertainty, estimate)
def test_scaling_an_input_in_a_product_scales_the_uncertainty(scale, u, x):
    """y = k·x: u(y) = |k|·u(x) (GUM 5.1.2 for a single input)."""
    data = {
        "model": f"y = {scale!r}*x",
        "inputs": {"x": {"distribution": "normal", "estimate": x, "std_uncertainty": u}},
    }
    gum = evaluate(load_problem(data), method="gum").output("y").gum
    assert gum and math.isclose(gum.standard_uncertainty, scale * u, rel_tol=1e-9)
