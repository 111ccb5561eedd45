"""Interval recommendations from recorded calibration histories (issue 7, item 4): service, API,
CLI and the registry's detail pages. Every recommended number is computed by hand in a comment."""

from __future__ import annotations

import json
import math
from datetime import date, timedelta

import pytest
from django.test import Client

from jiliang.cli.main import main
from jiliang.errors import InvalidInput, NotFound
from jiliang.registry import policy
from jiliang.supervision import interval_advice as ia
from tests import factories
from tests.calibration import builders as b
from tests.supervision.histories import record

pytestmark = pytest.mark.django_db
MONTH = 365.25 / 12


@pytest.fixture
def lab():
    return b.lab(), b.primary()


def _standard_history(lab) -> object:
    at, primary = lab
    std = b.examined_standard(quantity="gauge block length")
    record(at, std, date(2021, 1, 10), "in", primary=primary)
    record(at, std, date(2022, 1, 10), "as_found_in", primary=primary)  # 365 d, in
    record(at, std, date(2023, 1, 15), "as_found_out", primary=primary)  # 370 d, out (adjusted back)
    return std


def test_a_standard_gets_the_staircase_beside_its_certificate_validity(lab):
    std = _standard_history(lab)
    report = ia.for_standard(std)
    # The latest certificate runs 365 days: 365 / 30.44 = 12 months.
    assert (report["current_interval_months"], report["current_interval_source"]) == (
        12,
        "certificate_validity",
    )
    own, like = report["analyses"]
    assert own["data"] | {"first": None, "last": None} == {
        "records": 3, "items": 1, "results": 2, "in_tolerance": 1, "out_of_tolerance": 1,
        "not_judged": 0, "first": None, "last": None,
    }  # fmt: skip
    # ILAC-G24 method 1 at R = 0.9, a = 0.1: after an out-of-tolerance result 370 d x 1.1^-9 = 156.9 d.
    assert own["method"] == "staircase" and own["recommended_interval_days"] == pytest.approx(
        370 * 1.1**-9, abs=0.05
    )
    assert own["recommended_interval_months"] == pytest.approx(round(370 * 1.1**-9 / MONTH, 1))
    # The group (same area and quantity) has the same 2 results: fewer than 5, so no number.
    assert like["scope"] == "like_standards" and not like["sufficient"]
    assert like["recommended_interval_months"] is None and "too little data" in like["explanation"]


def test_an_item_with_one_record_has_too_little_data(lab):
    at, primary = lab
    inst = factories.instrument(interval_months=24)
    record(at, inst, date(2024, 3, 1), "in", primary=primary)
    own = ia.for_instrument(inst)["analyses"][0]
    assert (own["sufficient"], own["reason"], own["data"]["records"], own["data"]["results"]) == (
        False, "no_results", 1, 0,
    )  # fmt: skip


def test_a_model_group_is_fitted_and_a_category_tested(lab):
    at, primary = lab
    start = date(2024, 1, 10)
    insts = [factories.instrument(interval_months=12, model="LXS-20") for _ in range(20)]
    for i, inst in enumerate(insts):
        record(at, inst, start, "in", primary=primary)
        record(at, inst, start + timedelta(days=365), "in" if i < 14 else "out", primary=primary)
    other = factories.instrument(interval_months=12, model="LXS-99")
    record(at, other, start, "in", primary=primary)
    record(at, other, start + timedelta(days=365), "unjudged", primary=primary)  # no result
    report = ia.for_instrument(insts[0])
    own, model, category = report["analyses"]
    assert (report["current_interval_months"], report["current_interval_source"]) == (12, "instrument")
    assert own["method"] == "staircase"  # 365 d in tolerance: x 1.1 = 401.5 d
    assert own["recommended_interval_days"] == pytest.approx(401.5)
    # 14 of 20 at one length 365 d: the exponential MLE gives R(365) = 0.7 and
    # t* = 365 ln 0.9 / ln 0.7 = 107.8 d = 3.5 months (NCSLI RP-1 S2).
    assert model["method"] == "mle" and model["detail"]["model"] == "exponential"
    assert model["recommended_interval_days"] == pytest.approx(365 * math.log(0.9) / math.log(0.7), abs=0.1)
    assert model["recommended_interval_months"] == 3.5
    # The category adds the other model's 2 records, one not judged: 42 records, 20 results.
    assert category["data"]["records"] == 42 and category["data"]["not_judged"] == 1
    assert category["data"]["results"] == 20
    water = ia.for_category(factories.category())
    # Water meters DN15-25 are first-verification-only (limited life): the category has no interval.
    assert (water["current_interval_months"], water["current_interval_source"]) == (None, "none")
    assert water["analyses"][0]["recommended_interval_days"] == model["recommended_interval_days"]


def test_small_group_interval_test_keeps_the_current_interval(lab):
    at, primary = lab
    for _ in range(6):
        inst = factories.instrument(interval_months=12, model="GRP-6")
        record(at, inst, date(2024, 1, 10), "in", primary=primary)
        record(at, inst, date(2025, 1, 9), "in", primary=primary)
    report = ia.for_model("Acme Meters", "GRP-6")
    (only,) = report["analyses"]
    # 6 of 6 in tolerance: P = 0.9^6 = 0.53, not significant: I0 = 12 months stands (RP-1 A3).
    assert only["method"] == "interval-test" and only["recommended_interval_months"] == 12.0
    assert report["current_interval_source"] == "most_common_of_model"


def test_subject_errors_name_the_field():
    with pytest.raises(InvalidInput, match="subject"):
        ia.advise_for(policy.SYSTEM, standard=1, category="x")
    with pytest.raises(NotFound):
        ia.advise_for(policy.SYSTEM, instrument=999999)
    with pytest.raises(InvalidInput, match="manufacturer"):
        ia.advise_for(policy.SYSTEM, model="LXS-15")
    with pytest.raises(InvalidInput, match="target"):
        ia.for_category(factories.category(), target=1.5)


def test_an_instrument_is_advised_only_to_who_may_read_it(lab):
    owner = factories.institution(kind="enterprise")
    inst = factories.instrument(owner=owner)
    stranger = policy.actor_for(factories.user_with_role("staff", factories.institution(kind="enterprise")))
    with pytest.raises(NotFound):
        ia.advise_for(stranger, instrument=inst.pk)
    mine = policy.actor_for(factories.user_with_role("staff", owner))
    assert ia.advise_for(mine, instrument=inst.pk)["subject"]["id"] == inst.pk


def test_api_cli_and_detail_pages(lab, capsys):
    std = _standard_history(lab)
    client = Client()
    client.force_login(
        factories.user_with_role("regulator", factories.institution(kind="regulator", district=None))
    )
    body = client.get(f"/api/supervision/intervals/standards/{std.pk}/").json()
    assert body["analyses"][0]["method"] == "staircase" and body["current_interval_months"] == 12
    bad = client.get(f"/api/supervision/intervals/standards/{std.pk}/", {"target": "2"})
    assert bad.status_code in (400, 422) and "target" in bad.content.decode()
    assert client.get("/api/supervision/intervals/instruments/999999/").status_code == 404
    models = client.get(
        "/api/supervision/intervals/models/", {"manufacturer": "Acme Meters", "model": "NONE"}
    )
    assert models.status_code == 404

    assert main(["intervals", "advise", "--standard", str(std.pk), "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["analyses"][0]["recommended_interval_days"] == body["analyses"][0]["recommended_interval_days"]
    assert main(["intervals", "advise", "--standard", str(std.pk)]) == 0
    text = capsys.readouterr().out
    assert "current interval: 12 months (certificate_validity)" in text and "too little data" in text
    assert main(["intervals", "advise", "--category", "no-such-category"]) == 1
    assert main(["intervals", "advise", "--model", "X"]) == 2  # needs --manufacturer

    page = client.get(f"/registry/standards/{std.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Recalibration interval from the recorded history" in page and "12 months" in page
    assert "Staircase (ILAC-G24 method 1)" in page and "too little data" in page
    zh = client.get(f"/registry/standards/{std.pk}/", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "根据记录历史的复校间隔" in zh
    inst = factories.instrument(interval_months=24)
    page = client.get(f"/registry/instruments/{inst.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "24 months" in page and "No as-found result yet" in page


def test_pooled_history_in_the_database_equals_the_row_by_row_history(lab):
    """The window-function path (groups) and the Python path (one item) agree, including a record
    without a tolerance that restarts the clock, two records on one day and a revoked record."""
    at, primary = lab
    plan = {
        "A": [("2021-01-10", "in"), ("2021-12-20", "unjudged"), ("2022-12-21", "out"), ("2023-12-01", "in")],
        "B": [("2021-03-01", "in"), ("2021-03-01", "out"), ("2022-03-01", "as_found_out")],
        "C": [("2021-05-05", "in"), ("2022-05-05", "in")],
    }
    for name, rows in plan.items():
        inst = factories.instrument(model="POOL", serial_number=f"POOL-{name}")
        for day, state in rows:
            record(at, inst, date.fromisoformat(day), state, primary=primary)
    revoked = record(at, factories.instrument(model="POOL"), date(2022, 1, 1), "out", primary=primary)
    from jiliang.calibration import services

    services.revoke_record(policy.SYSTEM, revoked, "wrong item")
    records = ia.asfound.counted().filter(instrument__model="POOL")
    by_rows, data_rows = ia.history_of(records, "instrument_id")
    pooled, data_pooled = ia.pooled_history(records, "instrument_id")
    assert by_rows is not None and pooled is not None
    assert data_rows == data_pooled
    # A: 366 d out (the unjudged record restarted the clock), 345 d in; B: 365 d out (0 d skipped);
    # C: 365 d in. 4 results, 2 in tolerance; 9 issued records of 3 items, 1 not judged.
    assert sorted(zip(by_rows.interval.tolist(), by_rows.in_tolerance.tolist(), strict=True)) == [
        (345.0, True), (365.0, False), (365.0, True), (366.0, False),
    ]  # fmt: skip
    assert sorted(zip(pooled.interval.tolist(), pooled.in_tolerance.tolist(), strict=True)) == sorted(
        zip(by_rows.interval.tolist(), by_rows.in_tolerance.tolist(), strict=True)
    )
    assert (data_rows.records, data_rows.items, data_rows.results, data_rows.not_judged) == (9, 3, 4, 1)
