"""Risk scores read failure history from calibration and verification records (issue 7, item 3)."""

from __future__ import annotations

from datetime import date

import pytest

from jiliang.calibration import asfound
from jiliang.calibration.models import Record
from jiliang.registry import policy
from jiliang.supervision import risk, screening
from tests import factories
from tests.calibration import builders as b
from tests.supervision.histories import record

TODAY = date(2026, 6, 1)  # records count from 2021-06-01 (5 years of 365.25 days back)


def test_failure_factor_pools_findings_and_records_hand_computed():
    # 1 of 2 findings bad, 2 of 3 records out: (1 + 2 + 1) / (2 + 3 + 2) = 4/7.
    s = risk.score("trade", "current", 0, 1, 2, 0.0, record_failures=2, records=3)
    failures = s.factors[1]
    assert failures.value == pytest.approx(4 / 7)
    assert "1 of 2 inspection findings" in failures.detail and "2 of 3 calibrations" in failures.detail
    # Trade (0.5) x (0.3 x 4/7): status current and age 0 contribute nothing.
    assert s.score == pytest.approx(100 * 0.5 * 0.3 * 4 / 7)
    with pytest.raises(Exception, match="record_failures"):
        risk.score("trade", "current", 0, 0, 0, 0.0, record_failures=2, records=1)


def test_state_of_points():
    assert asfound.state_of([("", True), ("accept", True)]) == "in"
    assert asfound.state_of([("reject", True)]) == "out"  # adjusted: as left accepted, as found not
    assert asfound.state_of([("", False)]) == "out"
    assert asfound.state_of([("conditional pass", True)]) == "in"
    assert asfound.state_of([("", None)]) is None


@pytest.mark.django_db
def test_ranked_scores_use_recent_out_of_tolerance_records():
    lab, primary = b.lab(), b.primary()
    inst = factories.instrument(last_verification=date(2026, 1, 10), next_due=date(2032, 1, 10))
    twin = factories.instrument(last_verification=date(2026, 1, 10), next_due=date(2032, 1, 10))
    record(lab, inst, date(2020, 6, 1), "out", "verification", primary)  # too old: not counted
    record(lab, inst, date(2022, 6, 1), "in", "verification", primary)
    record(lab, inst, date(2023, 6, 1), "as_found_out", "calibration", primary)
    record(lab, inst, date(2024, 6, 1), "out", "verification", primary)
    record(lab, inst, date(2025, 6, 1), "unjudged", "calibration", primary)  # no tolerance: no result
    states = {
        r.calibration_date.year: asfound.state(r)
        for r in asfound.with_state(Record.objects.filter(instrument=inst))
    }
    assert states == {2020: "out", 2022: "in", 2023: "out", 2024: "out", 2025: None}
    regulator = policy.actor_for(
        factories.user_with_role("regulator", factories.institution(kind="regulator", district=None))
    )
    scores = {i.pk: s for i, s in screening.ranked(regulator, TODAY)}
    failures = scores[inst.pk].factors[1]
    # 0 findings; 2 of the 3 judged records since 2021-06-01 out of tolerance: (2 + 1) / (3 + 2).
    assert failures.value == pytest.approx(3 / 5)
    assert "2 of 3 calibrations/verifications in the last 5 years" in failures.detail
    assert scores[twin.pk].factors[1].value == pytest.approx(1 / 2)
    assert scores[inst.pk].score > scores[twin.pk].score


@pytest.mark.django_db
def test_risk_page_explains_each_factor_in_both_languages(client):
    lab, primary = b.lab(), b.primary()
    inst = factories.instrument(last_verification=date(2026, 1, 10), next_due=date(2032, 1, 10))
    record(lab, inst, date(2025, 6, 1), "in", "verification", primary)
    record(lab, inst, date(2026, 6, 1), "out", "verification", primary)
    client.force_login(
        factories.user_with_role("regulator", factories.institution(kind="regulator", district=None))
    )
    en = client.get("/supervision/risk/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "0 of 0 inspection findings nonconforming; 1 of 2 calibrations/verifications in the last 5 years"
        in en
    )
    zh = client.get("/supervision/risk/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "近 5 年 2 次校准/检定中 1 次接收时超差" in zh and "检定状态" in zh
