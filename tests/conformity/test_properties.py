"""Hypothesis properties of conformity decisions (DESIGN.md, issue 4 item 6)."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from jiliang.conformity import Tolerance, assess_risk, decide_many, parse_rule

finite = st.floats(-100, 100, allow_nan=False)
positive = st.floats(0.01, 10, allow_nan=False)


@given(
    y=st.lists(finite, min_size=1, max_size=30),
    u=positive,
    centre=finite,
    half=st.floats(0.1, 50),
    r1=st.floats(0, 3),
    r2=st.floats(0, 3),
    rule=st.sampled_from(["guarded", "nonbinary"]),
)
def test_a_wider_guard_band_never_accepts_more(y, u, centre, half, r1, r2, rule):
    small, large = sorted((r1, r2))
    t = Tolerance(centre - half, centre + half)
    values = np.asarray(y)
    a_small = decide_many(values, u, t, parse_rule(f"{rule}:{small}")).accepted
    a_large = decide_many(values, u, t, parse_rule(f"{rule}:{large}")).accepted
    assert not np.any(a_large & ~a_small)


@given(u_small=st.floats(0.01, 1), factor=st.floats(1.0, 5.0), y=st.floats(-0.99, 0.99))
def test_specific_consumer_risk_falls_as_the_uncertainty_falls(u_small, factor, y):
    t = Tolerance(-1.0, 1.0)
    rule = parse_rule("simple")
    low = decide_many(np.array([y]), u_small, t, rule).consumer_risk[0]
    high = decide_many(np.array([y]), u_small * factor, t, rule).consumer_risk[0]
    assert low <= high + 1e-12


@given(
    process_std=st.floats(0.2, 3.0),
    mean=st.floats(-1.0, 1.0),
    u_small=st.floats(0.02, 0.5),
    factor=st.floats(1.0, 4.0),
    w=st.floats(0.0, 0.5),
)
def test_global_consumer_risk_falls_as_the_uncertainty_falls(process_std, mean, u_small, factor, w):
    t = Tolerance(-2.0, 2.0)  # u_m <= 2 keeps C_m >= 0.5
    common = {"process_mean": mean, "process_std": process_std, "tolerance": t, "guard_band": w}
    low = assess_risk(measurement_std=u_small, **common).global_consumer_risk
    high = assess_risk(measurement_std=u_small * factor, **common).global_consumer_risk
    assert low <= high + 1e-9


@given(process_std=st.floats(0.2, 3.0), u_m=st.floats(0.05, 1.0), w1=st.floats(0, 1), w2=st.floats(0, 1))
def test_global_consumer_risk_never_rises_with_the_guard_band(process_std, u_m, w1, w2):
    small, large = sorted((w1, w2))
    t = Tolerance(-2.0, 2.0)
    common = {"process_mean": 0.0, "process_std": process_std, "measurement_std": u_m, "tolerance": t}
    assert (
        assess_risk(guard_band=large, **common).global_consumer_risk
        <= assess_risk(guard_band=small, **common).global_consumer_risk + 1e-12
    )
