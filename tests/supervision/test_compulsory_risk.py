"""Compulsory verification (filing, due and overdue, reminders, regulator summary, public state)
and risk screening (scores, ranking, campaigns, findings, follow-up, interval recommendation)."""

from __future__ import annotations

from datetime import date

import pytest

from jiliang.errors import Conflict, InvalidInput, PermissionDenied
from jiliang.registry import policy
from jiliang.supervision import catalogue_seed, compulsory, due, risk, screening
from jiliang.supervision.models import CatalogueEntry, CatalogueVersion, Finding, Notification
from tests import factories

ADMIN = policy.SYSTEM
TODAY = date(2026, 6, 1)


def test_due_dates_by_form():
    assert due.add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert due.due_date("periodic", date(2025, 5, 1), None, 12, None) == date(2026, 5, 1)
    assert due.due_date("first_limited_life", date(2018, 3, 1), None, None, 96) == date(2026, 3, 1)
    assert due.due_date("first_scrap", date(2018, 3, 1), None, None, None) is None
    assert due.due_state("periodic", True, date(2026, 5, 1), TODAY) == "overdue"
    assert due.due_state("periodic", True, date(2026, 6, 20), TODAY) == "due_soon"
    assert due.due_state("periodic", True, date(2026, 9, 1), TODAY) == "current"
    assert due.due_state("periodic", False, None, TODAY) == "never_verified"
    assert due.due_state("first_scrap", True, None, TODAY) == "no_due_date"


def test_risk_score_hand_computed_and_explained():
    # Safety, never verified, no history, new: likelihood 0.5*1 + 0.3*(1/2) + 0.2*0 = 0.65; x impact 1.0.
    s = risk.score("safety", "never_verified", 0, 0, 0, 0.0)
    assert s.score == pytest.approx(65.0) and s.band == "high"
    assert [f.name for f in s.factors] == ["status", "failures", "age"]
    # Trade, current, 0 of 0, 5 of 10 years: 0 + 0.15 + 0.1 = 0.25; x 0.5 = 12.5.
    assert risk.score("trade", "current", 0, 0, 0, 5.0).score == pytest.approx(12.5)
    # Overdue by 365 days caps the status factor at 1; 2 of 2 failures -> 3/4.
    s = risk.score("enforcement", "overdue", 365, 2, 2, 20.0)
    assert s.likelihood == pytest.approx(0.5 + 0.3 * 0.75 + 0.2)
    with pytest.raises(InvalidInput, match="failures"):
        risk.score("trade", "current", 0, 3, 2, 1.0)


@pytest.mark.django_db
def test_catalogue_is_versioned_data_consistent_with_the_registry():
    version = CatalogueVersion.objects.get(current=True)
    assert version.code == "SAMR-2020-42"
    assert {e.form for e in version.entries.all()} == {"periodic", "first_limited_life", "first_scrap"}
    for row in catalogue_seed.load()["versions"][0]["entries"]:
        category = factories.category(row["category"])
        assert category.compulsory_verification and category.verification_form == row["form"]
    assert not CatalogueEntry.objects.filter(category__compulsory_verification=False).exists()


@pytest.mark.django_db
def test_filing_due_tracking_reminders_and_public_state():
    owner = factories.institution(kind="enterprise")
    gas = factories.instrument(
        category=factories.category("combustible_gas_detector"),
        owner=owner,
        interval_months=12,
        last_verification=date(2025, 5, 1),
        next_due=date(2026, 5, 1),
    )
    radar = factories.instrument(
        category=factories.category("radar_speed_meter"),
        owner=owner,
        interval_months=12,
        last_verification=date(2025, 6, 20),
        next_due=date(2026, 6, 20),
    )
    caliper = factories.instrument(category=factories.category("caliper"), owner=owner)
    staff = policy.actor_for(factories.user_with_role("staff", owner))
    compulsory.file_instrument(staff, gas, "safety", date(2025, 5, 2))
    compulsory.file_instrument(staff, radar, "safety", date(2025, 6, 21))
    with pytest.raises(InvalidInput, match="not in the current catalogue"):
        compulsory.file_instrument(staff, caliper, "trade", TODAY)
    with pytest.raises(Conflict, match="already filed"):
        compulsory.file_instrument(staff, gas, "safety", TODAY)
    with pytest.raises(PermissionDenied):
        compulsory.file_instrument(
            policy.actor_for(factories.user_with_role("staff")), caliper, "trade", TODAY
        )
    states = {r["instrument"].pk: r["state"] for r in compulsory.due_list(staff, TODAY)}
    assert states == {gas.pk: "overdue", radar.pk: "due_soon"}
    assert compulsory.queue_reminders(TODAY) == 2
    assert compulsory.queue_reminders(TODAY) == 0  # idempotent
    assert set(Notification.objects.values_list("kind", flat=True)) == {"overdue", "due_soon"}
    assert compulsory.outbox(staff).count() == 2
    regulator = policy.actor_for(
        factories.user_with_role("regulator", factories.institution(kind="regulator"))
    )
    summary = compulsory.regulator_summary(regulator, TODAY)
    assert sum(r["overdue"] for r in summary) == 1 and sum(r["total"] for r in summary) == 2
    with pytest.raises(PermissionDenied):
        compulsory.regulator_summary(staff, TODAY)
    public = compulsory.public_state(gas.serial_number, TODAY)
    assert public[0]["state"] == "overdue" and public[0]["due"] == date(2026, 5, 1)


@pytest.mark.django_db
def test_ranking_campaign_findings_follow_up_and_interval():
    owner = factories.institution(kind="enterprise")
    gas = [
        factories.instrument(
            category=factories.category("combustible_gas_detector"),
            owner=owner,
            interval_months=12,
            last_verification=date(2025, 1, 1),
            next_due=date(2026, 1, 1),
        )
        for _ in range(3)
    ]
    water = [factories.instrument(owner=owner) for _ in range(4)]
    regulator = policy.actor_for(
        factories.user_with_role("regulator", factories.institution(kind="regulator", district=None))
    )
    order = [inst.pk for inst, _ in screening.ranked(regulator, TODAY)]
    assert set(order[:3]) == {g.pk for g in gas}  # overdue safety instruments first
    campaign = screening.create_campaign(regulator, "Gas alarms 2026", TODAY, size=5, seed=11, high_risk=2)
    again = screening.create_campaign(regulator, "Same draw", TODAY, size=5, seed=11, high_risk=2)
    assert campaign.selected == again.selected and campaign.selected[:2] == order[:2]
    assert set(campaign.scores) == {str(pk) for pk in campaign.selected}
    outside = (
        next(w for w in water if w.pk not in campaign.selected) if len(set(campaign.selected)) < 7 else None
    )
    if outside is not None:
        with pytest.raises(InvalidInput, match="not selected"):
            screening.record_finding(regulator, campaign, outside, TODAY, "conforming")
    target = gas[0] if gas[0].pk in campaign.selected else next(g for g in gas if g.pk in campaign.selected)
    with pytest.raises(InvalidInput, match="rectification_due"):
        screening.record_finding(regulator, campaign, target, TODAY, "nonconforming")
    finding = screening.record_finding(
        regulator,
        campaign,
        target,
        TODAY,
        "nonconforming",
        rectification_due=date(2026, 6, 15),
        months_since_verification=17,
    )
    assert list(screening.pending_follow_ups(date(2026, 7, 1))) == [finding]
    screening.follow_up(regulator, finding, date(2026, 7, 2), "rectified")
    assert not screening.pending_follow_ups(date(2026, 7, 3)).exists()
    with pytest.raises(PermissionDenied):
        screening.ranked(policy.actor_for(factories.user_with_role("staff", owner)), TODAY)
    # The failure now raises that instrument's score: its failure factor went from 1/2 to 2/3.
    after = dict((inst.pk, s) for inst, s in screening.ranked(regulator, TODAY))
    assert after[target.pk].factors[1].value == pytest.approx(2 / 3)
    for i, inst in enumerate(gas[1:] + water[:1]):
        Finding.objects.create(
            campaign=again,
            instrument=inst,
            found_on=TODAY,
            outcome="conforming",
            months_since_verification=12 + i,
        )
    rec = screening.interval_recommendation(factories.category("combustible_gas_detector"))
    assert (
        rec["current_interval_months"] == 12 and rec["unit"] == "month" and rec["method"] == "interval-test"
    )


@pytest.mark.django_db
def test_a_verification_dated_after_today_scores_as_age_zero():
    """Regression (QA crawl, 2026-11-27): one instrument whose last verification was dated after
    today made /supervision/risk/ answer 500 for the whole region."""
    owner = factories.institution(kind="enterprise")
    ahead = factories.instrument(
        owner=owner, interval_months=12, last_verification=date(2026, 6, 2), next_due=date(2027, 6, 2)
    )
    regulator = policy.actor_for(
        factories.user_with_role("regulator", factories.institution(kind="regulator", district=None))
    )
    scores = dict((inst.pk, s) for inst, s in screening.ranked(regulator, TODAY))
    age = next(f for f in scores[ahead.pk].factors if f.name == "age")
    assert age.value == 0
