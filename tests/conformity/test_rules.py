"""Decision rules, tolerance intervals and the ILAC-G8:09/2019 4.2 statements."""

import math

import numpy as np
import pytest

from jiliang.conformity import Tolerance, acceptance_interval, parse_rule, statements
from jiliang.conformity.rules import CONDITIONAL_FAIL, CONDITIONAL_PASS, FAIL, PASS
from jiliang.errors import InvalidInput


def test_rules_parse_by_name():
    assert parse_rule("simple").factor == 0
    assert parse_rule("guarded:1").factor == 1
    assert parse_rule("guarded-rejection:0.5").kind == "guarded-rejection"
    assert parse_rule("nonbinary").factor == 1
    assert parse_rule("nonbinary:0.5").name == "nonbinary:0.5"


@pytest.mark.parametrize("text", ["guarded", "simple:1", "guarded:-1", "guarded:x", "lenient", "guarded:nan"])
def test_bad_rules_name_the_field(text):
    with pytest.raises(InvalidInput) as exc:
        parse_rule(text)
    assert exc.value.field == "rule"


def test_tolerance_needs_tl_below_tu():
    with pytest.raises(InvalidInput) as exc:
        Tolerance(2.0, 1.0)
    assert exc.value.field == "tolerance.lower"
    with pytest.raises(InvalidInput):
        Tolerance(1.0, 1.0)
    with pytest.raises(InvalidInput):
        Tolerance(None, None)


def test_one_sided_tolerance_is_unbounded_on_the_missing_side():
    t = Tolerance(upper=5.0)
    assert t.lo == -math.inf and not t.two_sided
    assert acceptance_interval(t, 0.5) == (-math.inf, 4.5)


def test_guard_band_cannot_swallow_the_acceptance_interval():
    with pytest.raises(InvalidInput) as exc:
        acceptance_interval(Tolerance(0.0, 1.0), 0.6)
    assert exc.value.field == "guard_band"


def test_guarded_acceptance_narrows_and_guarded_rejection_widens():
    t = Tolerance(-1.0, 1.0)
    y = np.array([-1.05, -0.95, 0.0, 0.95, 1.05])
    big_u = np.full(y.shape, 0.1)
    simple = statements(y, t, parse_rule("simple"), big_u)
    guarded = statements(y, t, parse_rule("guarded:1"), big_u)
    rejection = statements(y, t, parse_rule("guarded-rejection:1"), big_u)
    assert simple.tolist() == [FAIL, PASS, PASS, PASS, FAIL]
    assert guarded.tolist() == [FAIL, FAIL, PASS, FAIL, FAIL]
    assert rejection.tolist() == [PASS, PASS, PASS, PASS, PASS]


def test_nonbinary_statements_follow_ilac_g8_4_2_3():
    """ILAC-G8:09/2019 4.2.3 with w = U about an upper limit TU = 10, U = 1: pass below TU − U,
    conditional pass in [TU − U, TU], conditional fail in (TU, TU + U], fail above TU + U."""
    t = Tolerance(upper=10.0)
    y = np.array([8.5, 9.0, 9.5, 10.0, 10.5, 11.0, 11.5])
    codes = statements(y, t, parse_rule("nonbinary"), np.full(y.shape, 1.0))
    assert codes.tolist() == [
        PASS,
        PASS,
        CONDITIONAL_PASS,
        CONDITIONAL_PASS,
        CONDITIONAL_FAIL,
        CONDITIONAL_FAIL,
        FAIL,
    ]


def test_nonbinary_is_symmetric_about_a_lower_limit():
    t = Tolerance(lower=0.0, upper=100.0)
    y = np.array([-1.5, -0.5, 0.5, 1.5])
    codes = statements(y, t, parse_rule("nonbinary"), np.full(y.shape, 1.0))
    assert codes.tolist() == [FAIL, CONDITIONAL_FAIL, CONDITIONAL_PASS, PASS]
