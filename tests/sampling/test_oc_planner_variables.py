import math

import numpy as np
import pytest
from scipy import stats

from jiliang.errors import InvalidInput
from jiliang.sampling import (
    conformity_demonstration_plan,
    design_s_method,
    lq_plan,
    oc_curve,
    oc_svg,
    probability_of_acceptance,
    s_method_decision,
    s_method_oc,
)
from jiliang.sampling.variables import s_method_oc_curve


def test_oc_zero_acceptance_closed_form():
    p = np.array([0.0, 0.01, 0.05, 0.2])
    assert np.allclose(probability_of_acceptance(p, 50, 0), (1 - p) ** 50)


def test_oc_hypergeometric_by_hand():
    # N = 10, D = 2, n = 3, c = 0: C(8,3)/C(10,3) = 56/120
    assert probability_of_acceptance(0.2, 3, 0, lot_size=10) == pytest.approx(56 / 120)


def test_poisson_curve_for_nonconformities():
    # Table 2-A, code letter A, AQL 1000: n = 2, Ac = 30; counts may exceed the sample size.
    curve = oc_curve(2, 30, nonconformities=True)
    assert curve.model == "poisson" and curve.fraction_nonconforming[-1] > 1
    assert curve.probability_of_acceptance[-1] < 0.02
    assert probability_of_acceptance(10.0, 2, 30, nonconformities=True) == pytest.approx(
        stats.poisson.cdf(30, 20)
    )
    with pytest.raises(InvalidInput, match="lot_size"):
        oc_curve(2, 30, lot_size=100, nonconformities=True)


def test_oc_curve_shape_and_svg():
    curve = oc_curve(125, 3)
    assert curve.probability_of_acceptance[0] == 1.0 and curve.probability_of_acceptance[-1] < 0.02
    finite = oc_curve(20, 1, lot_size=100, points=11)
    assert all(abs(p * 100 - round(p * 100)) < 1e-9 for p in finite.fraction_nonconforming)
    svg = oc_svg(curve, title="K <b>")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and "K &lt;b&gt;" in svg and "<polyline" in svg


@pytest.mark.parametrize(
    ("args", "field"),
    [((0, 0), "sample_size"), ((10, -1), "acceptance_number"), ((10, 10), "acceptance_number")],
)
def test_oc_bad_plans(args, field):
    with pytest.raises(InvalidInput) as err:
        oc_curve(*args)
    assert err.value.field == field
    with pytest.raises(InvalidInput, match="lot_size"):
        oc_curve(10, 1, lot_size=5)


def test_success_run_relation_for_zero_acceptance():
    plan = conformity_demonstration_plan(0.95, 0.95)
    assert plan.sample_size == math.ceil(math.log(0.05) / math.log(0.95)) == 59
    assert plan.probability_of_acceptance_at_limit <= 0.05
    assert stats.binom.cdf(0, 58, 0.05) > 0.05


def test_c_acceptance_and_hypergeometric_plans():
    plan = conformity_demonstration_plan(0.99, 0.90, acceptance_number=2)
    assert stats.binom.cdf(2, plan.sample_size, 0.01) <= 0.10 < stats.binom.cdf(2, plan.sample_size - 1, 0.01)
    finite = conformity_demonstration_plan(0.95, 0.95, lot_size=100)
    assert finite.limiting_nonconforming == 6 and finite.sample_size < 59
    assert stats.hypergeom.cdf(0, 100, 6, finite.sample_size) <= 0.05
    with pytest.raises(InvalidInput, match="confidence"):
        conformity_demonstration_plan(0.95, 1.0)
    with pytest.raises(InvalidInput, match="acceptance_number"):
        conformity_demonstration_plan(0.95, 0.9, acceptance_number=6, lot_size=100)


def test_lq_plan_meets_the_consumer_risk_with_the_smallest_sample():
    plan = lq_plan(560000, 5.0, acceptance_number=0)
    defective = math.ceil(0.05 * 560000)
    assert plan.probability_of_acceptance_at_lq <= 0.10
    assert stats.hypergeom.cdf(0, 560000, defective, plan.sample_size - 1) > 0.10
    assert plan.basis == "computed" and "not its printed Table A" in plan.source
    with pytest.raises(InvalidInput, match="lq"):
        lq_plan(1000, 4.0)


def test_s_method_decision_two_sided():
    values = [10.1, 9.9, 10.0, 10.2, 9.8]
    d = s_method_decision(values, 1.5, lower=9.0, upper=11.0)
    s = float(np.std(values, ddof=1))
    assert d.upper_quality_statistic == pytest.approx(1.0 / s) and d.accepted == (1.0 / s >= 1.5)
    assert not s_method_decision(values, 10.0, upper=11.0).accepted
    with pytest.raises(InvalidInput, match="lower"):
        s_method_decision(values, 1.5, lower=12.0, upper=11.0)


def test_s_method_oc_against_simulation():
    rng = np.random.default_rng(3)
    n, k, p = 10, 1.5, 0.05
    x = rng.standard_normal((40_000, n))  # U chosen so that 5 % of items lie above it
    upper = stats.norm.isf(p)
    q = (upper - x.mean(axis=1)) / x.std(axis=1, ddof=1)
    assert float(s_method_oc(p, n, k)) == pytest.approx(float(np.mean(q >= k)), abs=0.01)


def test_s_method_oc_curve_and_plot():
    curve = s_method_oc_curve(55, 1.948)
    assert curve.acceptance_number is None and curve.model == "s-method"
    assert curve.probability_of_acceptance[0] > 0.99 and 0.005 < curve.probability_of_acceptance[-1] < 0.02
    assert "n = 55 (s-method)" in oc_svg(curve)


def test_designed_s_method_plan_meets_both_points():
    plan = design_s_method(0.01, 0.05)
    assert plan.probability_of_acceptance_at_producer_quality >= 0.95
    assert plan.probability_of_acceptance_at_consumer_quality <= 0.10 + 1e-9
    with pytest.raises(InvalidInput, match="consumer_quality"):
        design_s_method(0.05, 0.01)
