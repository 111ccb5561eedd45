"""ISO 3951-1 s-method with double specification limits: separate and combined control.

The estimator is the one MIL-STD-414 (Section B, Part II, "Form 2"; Table B-5) and ANSI/ASQ Z1.9
tabulate and ISO 3951-2 writes out: p_hat = B_{(n-2)/2,(n-2)/2}(max(0, 1/2 - Q sqrt(n)/(2(n-1)))),
the minimum-variance unbiased estimator of the fraction beyond a limit for a normal
characteristic (Lieberman and Resnikoff, JASA 50 (1955) 457-516, the basis of MIL-STD-414). No
published worked example with its printed digits could be sourced here, so these tests check
what the method promises: unbiasedness, the equivalence of form k and form p* for one limit, and
that combined control never accepts a lot separate control rejects.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling import (
    estimated_fraction_nonconforming,
    maximum_allowable_fraction,
    s_method_decision,
)


def test_estimator_closed_form_points():
    # Q = 0: the argument is 1/2, the median of a symmetric beta
    assert estimated_fraction_nonconforming(0.0, 10) == pytest.approx(0.5)
    # beyond Q = (n - 1)/sqrt(n) the argument is clipped at 0: estimate 0
    assert estimated_fraction_nonconforming(9 / math.sqrt(10) + 1e-9, 10) == 0.0
    # n = 4: beta(1, 1) is uniform, so p_hat = 1/2 - Q sqrt(4) / (2 * 3) = 1/2 - Q/3
    assert estimated_fraction_nonconforming(0.9, 4) == pytest.approx(0.5 - 0.3)
    # p* is the estimate at Q = k
    assert maximum_allowable_fraction(10, 1.41) == estimated_fraction_nonconforming(1.41, 10)


def test_estimator_is_unbiased():
    """E[p_hat] equals the true fraction beyond the limit (the MVU property), n = 10, p = 3 %."""
    rng = np.random.default_rng(20261127)
    n, p = 10, 0.03
    upper = stats.norm.isf(p)
    x = rng.standard_normal((40_000, n))
    q = (upper - x.mean(axis=1)) / x.std(axis=1, ddof=1)
    a = (n - 2) / 2
    p_hat = stats.beta.cdf(np.clip(0.5 - q * math.sqrt(n) / (2 * (n - 1)), 0, 1), a, a)
    assert estimated_fraction_nonconforming(float(q[0]), n) == pytest.approx(p_hat[0])
    standard_error = p_hat.std(ddof=1) / math.sqrt(p_hat.size)
    assert abs(p_hat.mean() - p) < 4 * standard_error
    # the plug-in normal estimate Phi(-Q) is biased at this n, which is why the standard uses B
    assert abs(stats.norm.sf(q).mean() - p) > 4 * standard_error


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(3, 200),
    q=st.floats(-3, 6, allow_nan=False),
    k=st.floats(0.1, 3.5, allow_nan=False),
)
def test_one_limit_form_k_and_form_p_star_agree(n, q, k):
    """MIL-STD-414: for a single limit, Form 1 (Q >= k) and Form 2 (p_hat <= M) are equivalent."""
    p_hat, p_star = estimated_fraction_nonconforming(q, n), maximum_allowable_fraction(n, k)
    if p_star > 0 and abs(q - k) > 1e-9:
        assert (p_hat <= p_star) == (q >= k)


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.floats(-5, 5, allow_nan=False), min_size=3, max_size=40).filter(
        lambda v: np.std(v) > 1e-3
    ),
    k=st.floats(0.2, 2.5, allow_nan=False),
)
def test_combined_control_never_accepts_what_separate_control_rejects(values, k):
    n = len(values)
    if k >= (n - 1) / math.sqrt(n):  # p* = 0: refused (tested below)
        return
    combined = s_method_decision(values, k, lower=-6.0, upper=6.0, control="combined")
    separate = s_method_decision(values, k, lower=-6.0, upper=6.0, control="separate")
    assert combined.estimated_fraction == pytest.approx(
        combined.estimated_fraction_upper + combined.estimated_fraction_lower
    )
    if combined.accepted:
        assert separate.accepted


def test_combined_control_rejects_a_lot_both_limits_pass_separately():
    values = [9.2, 10.8, 9.4, 10.6, 10.0, 9.5, 10.5, 9.9, 10.1, 10.0]
    separate = s_method_decision(values, 1.41, lower=9.2, upper=10.8)
    combined = s_method_decision(values, 1.41, lower=9.2, upper=10.8, control="combined")
    assert min(separate.upper_quality_statistic, separate.lower_quality_statistic) >= 1.41
    assert separate.accepted and not combined.accepted
    assert combined.estimated_fraction > combined.maximum_allowable_fraction
    # each tail alone is within p*, only their sum is not
    assert combined.estimated_fraction_upper <= combined.maximum_allowable_fraction
    assert combined.estimated_fraction_lower <= combined.maximum_allowable_fraction


def test_combined_control_input_errors():
    with pytest.raises(InvalidInput, match="control"):
        s_method_decision([1.0, 2.0, 3.0], 1.0, upper=5.0, control="combined")
    with pytest.raises(InvalidInput, match="control"):
        s_method_decision([1.0, 2.0, 3.0], 1.0, lower=0.0, upper=5.0, control="joint")  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="values"):
        s_method_decision([1.0, 2.0], 1.0, lower=0.0, upper=5.0, control="combined")
    with pytest.raises(InvalidInput, match="sample_size"):
        estimated_fraction_nonconforming(1.0, 2)
    with pytest.raises(InvalidInput, match="acceptability_constant"):  # k >= 2/sqrt(3): p* = 0
        s_method_decision([0.0, 0.0, 4.0], 2.5, lower=-6.0, upper=6.0, control="combined")
