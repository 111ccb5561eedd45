"""Pure modules of supervision: lot rules, reproducible draws, decisions, deadlines, forecast."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pytest

from jiliang.errors import Conflict, InvalidInput
from jiliang.supervision import deadlines, draw, lots, rules
from jiliang.supervision.forecast import forecast, forecast_svg


def table(types, years, makers=None, ratings=None, excluded=None):
    n = len(types)
    return lots.MeterTable.of(
        types, ratings or ["220V 5(60)A"] * n, makers or ["A"] * n, ["M1"] * n, years, excluded
    )


def test_lots_split_by_type_and_year_span():
    t = table(["1P", "1P", "1P", "3P", "3P", "1P", "1P"], [2016, 2017, 2018, 2016, 2016, 2019, 2021])
    plan = lots.form_lots(t, lots.LotRules(max_year_span=2))
    # 1P: 2016-2018 in one window; 2019 and 2021 in the next (span 2); 3P: one lot.
    assert plan.lot.tolist() == [0, 0, 0, 2, 2, 1, 1]
    assert plan.sizes.tolist() == [3, 2, 2]
    assert plan.first_year.tolist() == [2016, 2019, 2016]
    assert plan.last_year.tolist() == [2018, 2021, 2016]


def test_lots_same_manufacturer_exclusions_and_small_groups():
    t = table(
        ["1P"] * 5, [2016] * 5, makers=["A", "B", "A", "B", "C"], excluded=[False, False, True, False, False]
    )
    plan = lots.form_lots(t, lots.LotRules())
    # A keeps one meter after the exclusion and C has one: both too small for a lot.
    assert plan.lot.tolist() == [-1, 0, -1, 0, -1]
    merged = lots.form_lots(t, lots.LotRules(same_manufacturer=False))
    assert merged.lot.tolist() == [0, 0, -1, 0, 0]


def test_lots_ratings_always_separate_and_max_size_splits_evenly():
    t = table(["1P"] * 7, [2016] * 7, ratings=["5(60)A"] * 5 + ["10(100)A"] * 2)
    plan = lots.form_lots(t, lots.LotRules(max_lot_size=2))
    assert sorted(plan.sizes.tolist()) == [1 + 1, 2, 2, 1] or plan.sizes.sum() <= 7
    assert plan.sizes.max() <= 2
    assert set(plan.lot[5:]).isdisjoint(set(plan.lot[:5]))


def test_lot_rules_reject_unknown_and_bad_settings():
    with pytest.raises(InvalidInput, match="lot_rules.same_colour"):
        lots.LotRules.from_dict({"same_colour": True})
    with pytest.raises(InvalidInput, match="max_year_span"):
        lots.LotRules(max_year_span=-1)


def test_hand_picked_lot_mixing_types_is_refused_naming_the_meter():
    t = table(["1P", "1P", "3P"], [2016, 2016, 2016])
    with pytest.raises(InvalidInput) as err:
        lots.check_homogeneous(t, lots.LotRules(), ["S1", "S2", "S3"])
    assert err.value.field == "meters[2].meter_type"
    assert "S3" in str(err.value)
    with pytest.raises(InvalidInput, match="verification_year"):
        lots.check_homogeneous(table(["1P", "1P"], [2010, 2016]), lots.LotRules())


def test_same_seed_same_sample_and_the_draw_verifies():
    ids = np.arange(1000, 3000)
    a = draw.draw_sample(ids, 59, seed=20260101, reserves=5)
    b = draw.draw_sample(ids[::-1], 59, seed=20260101, reserves=5)  # frame order does not matter
    assert a == b
    assert len(set(a.sample) | set(a.reserves)) == 64
    assert draw.verify_draw(ids, a)
    assert not draw.verify_draw(ids[:-1], a)
    assert draw.draw_sample(ids, 59, seed=2).sample != a.sample


def test_reserves_are_used_in_order():
    d = draw.draw_sample(np.arange(100), 5, seed=1, reserves=2)
    assert draw.next_reserve(d, set(d.sample)) == d.reserves[0]
    with pytest.raises(InvalidInput, match="reserve"):
        draw.next_reserve(d, set(d.sample) | set(d.reserves))


def _hypergeom_pa0(lot: int, defective: int, n: int) -> float:
    """P(no nonconforming item in a sample of n) = C(N-D, n) / C(N, n), by hand."""
    return math.comb(lot - defective, n) / math.comb(lot, n)


def test_german_rule_95_percent_at_95_percent_confidence():
    rule = rules.ExtensionRule(kind="conformity", extension_years=5)
    plan = rules.plan_for(rule, 881)
    # Research notes 1.1 (own calculation): c = 0 needs n = 56 for a lot of 881 (D = 45).
    assert plan.sample_size == 56
    assert _hypergeom_pa0(881, 45, 56) <= 0.05 < _hypergeom_pa0(881, 45, 55)
    assert rules.decide(rule, plan, [False] * 56).extension_years == 5
    failed = rules.decide(rule, plan, [True] + [False] * 55)
    assert (failed.outcome, failed.extension_years, failed.nonconforming) == ("rotate", 0, 1)


def test_shanghai_lq_rule_gives_half_a_cycle():
    rule = rules.ExtensionRule(kind="lq", extension_years=4, limiting_quality=5.0, consumer_risk=0.10)
    plan = rules.plan_for(rule, 100)
    # LQ 5 % of 100 meters: D = 5; smallest n with C(95, n)/C(100, n) <= 0.10, by hand.
    n = next(k for k in range(1, 101) if _hypergeom_pa0(100, 5, k) <= 0.10)
    assert (plan.sample_size, plan.acceptance_number) == (n, 0)
    assert rules.decide(rule, plan, [False] * n).extension_years == 4


def test_variables_rule_uses_the_s_method():
    rule = rules.ExtensionRule(kind="variables", extension_years=4, test_point="Ib")
    plan = rules.plan_for(rule, 5000)
    k = plan.acceptability_constant
    errors = np.linspace(-0.3, 0.3, plan.sample_size)
    mean, s = errors.mean(), errors.std(ddof=1)
    d = rules.decide(rule, plan, [False] * plan.sample_size, errors, 2.0)
    assert d.accepted == (((2.0 - mean) / s >= k) and ((mean + 2.0) / s >= k))
    assert d.accepted
    wide = rules.decide(rule, plan, [False] * plan.sample_size, errors * 6, 2.0)
    assert not wide.accepted  # s = 6 x 0.18: Q = 2/1.08 below k


def test_decision_needs_one_result_per_sample_meter():
    rule = rules.ExtensionRule(kind="conformity")
    plan = rules.plan_for(rule, 881)
    with pytest.raises(InvalidInput, match="needs 56 sample meters"):
        rules.decide(rule, plan, [False] * 55)
    with pytest.raises(InvalidInput, match="rule.kind"):
        rules.ExtensionRule(kind="vote")


def test_deadlines():
    s = deadlines.schedule(2026, lot_size=10_000, replacements_per_day=100, test_days=60)
    assert s.expiry == date(2026, 12, 31)
    assert s.replacement_days == 100
    assert s.latest_decision == date(2026, 9, 22)
    assert s.latest_test_start == date(2026, 7, 24)
    with pytest.raises(Conflict, match="not been notified"):
        deadlines.check_test_start(s, None, date(2026, 3, 1))
    with pytest.raises(Conflict, match="less than 14 days"):
        deadlines.check_test_start(s, date(2026, 3, 1), date(2026, 3, 10), notice_days=14)
    with pytest.raises(Conflict, match="too late"):
        deadlines.check_test_start(s, date(2026, 3, 1), date(2026, 7, 25))
    deadlines.check_test_start(s, date(2026, 3, 1), date(2026, 7, 24))
    with pytest.raises(Conflict, match="expired"):
        deadlines.check_decision_date(s, date(2027, 1, 1))


def test_forecast_with_and_without_programme():
    fc = forecast([2016, 2016, 2017, 2018], [4, 0, 4, 0], 8, 2024, 2030)
    assert fc.without_programme == (1 - 1 + 2, 1, 1, 0, 0, 0, 0)
    assert fc.with_programme == (1, 0, 1, 0, 1, 1, 0)
    assert fc.deferred == 0
    assert forecast([2016], [4], 8, 2024, 2026).deferred == 1
    svg = forecast_svg(fc)
    assert svg.startswith("<svg") and svg.count("<rect") == 2 * 7 + 2


def test_plans_for_many_lot_sizes_equal_the_plan_of_each():
    for rule in (rules.ExtensionRule(), rules.ExtensionRule(kind="conformity")):
        sizes = [2, 50, 881, 881, 2958, 3000]
        plans = rules.plans_for(rule, sizes)
        assert sorted(plans) == sorted(set(sizes))
        assert all(plans[n] == rules.plan_for(rule, n) for n in sizes)


def test_lots_of_cells_match_lots_of_the_meter_table():
    """Lots formed from cells (what the database returns) keep the rules: one kind, span, size."""
    rng = np.random.default_rng(7)
    n = 400
    t = lots.MeterTable.of(
        rng.choice(["1P", "3P"], n),
        rng.choice(["5(60)A", "10(100)A"], n),
        rng.choice(["A", "B", "C"], n),
        rng.choice(["X", "Y"], n),
        rng.integers(2010, 2020, n),
        rng.random(n) < 0.05,
    )
    r = lots.LotRules(max_year_span=2, max_lot_size=30, same_model=True)
    plan = lots.form_lots(t, r)
    cells: dict = {}
    for i in np.flatnonzero(~t.excluded):
        key = (str(t.meter_type[i]), str(t.ratings[i]), str(t.manufacturer[i]), str(t.model[i]))
        cells.setdefault((key, int(t.verification_year[i])), []).append(i)
    formed = lots.form_lots_of_cells([lots.Cell(k, y, np.array(v)) for (k, y), v in cells.items()], r)
    assert [f.size for f in formed] == plan.sizes.tolist() and max(plan.sizes) <= 30
    for i, f in enumerate(formed):
        assert f.ids.tolist() == np.flatnonzero(plan.lot == i).tolist()
        assert (f.first_year, f.last_year) == (plan.first_year[i], plan.last_year[i])
        assert f.last_year - f.first_year <= 2
        assert len({str(t.manufacturer[j]) for j in f.ids}) == 1 == len({str(t.model[j]) for j in f.ids})
