"""Hypothesis properties of OC curves and the conformity-demonstration planner."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jiliang.sampling import conformity_demonstration_plan, probability_of_acceptance, s_method_oc

plans = st.integers(1, 400).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, n - 1)))
grid = np.linspace(0, 1, 101)


@settings(max_examples=60, deadline=None)
@given(plan=plans, lot_extra=st.none() | st.integers(0, 2000))
def test_oc_is_non_increasing_in_p(plan, lot_extra):
    n, c = plan
    lot = None if lot_extra is None else n + lot_extra
    pa = probability_of_acceptance(grid, n, c, lot)
    assert np.all(np.diff(pa) <= 1e-12) and pa[0] == 1.0


@settings(max_examples=60, deadline=None)
@given(plan=plans.filter(lambda nc: nc[1] + 1 < nc[0]), lot_extra=st.none() | st.integers(0, 500))
def test_larger_ac_never_accepts_less(plan, lot_extra):
    n, c = plan
    lot = None if lot_extra is None else n + lot_extra
    assert np.all(
        probability_of_acceptance(grid, n, c + 1, lot) >= probability_of_acceptance(grid, n, c, lot) - 1e-12
    )


@settings(max_examples=60, deadline=None)
@given(
    x=st.floats(0.5, 0.999),
    gamma=st.floats(0.5, 0.999),
    c=st.integers(0, 3),
    lot=st.none() | st.integers(50, 5000),
)
def test_planned_sample_meets_its_confidence_and_is_smallest(x, gamma, c, lot):
    try:
        plan = conformity_demonstration_plan(x, gamma, c, lot)
    except ValueError:  # c accepts a failing lot: nothing to plan
        return
    n = plan.sample_size
    if lot is None:
        pa = lambda m: stats.binom.cdf(c, m, 1 - x)  # noqa: E731
    else:
        pa = lambda m: stats.hypergeom.cdf(c, lot, plan.limiting_nonconforming, m)  # noqa: E731
        # every lot that fails the claim is accepted no more often than the least bad one
        assert stats.hypergeom.cdf(c, lot, min(lot, plan.limiting_nonconforming + 3), n) <= 1 - gamma + 1e-12
    assert pa(n) <= 1 - gamma + 1e-12
    assert n == c + 1 or pa(n - 1) > 1 - gamma


@settings(max_examples=30, deadline=None)
@given(n=st.integers(2, 60), k=st.floats(0.0, 3.0))
def test_variables_oc_is_non_increasing(n, k):
    pa = s_method_oc(np.linspace(0.001, 0.5, 40), n, k)
    assert np.all(np.diff(pa) <= 1e-9)
