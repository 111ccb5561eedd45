"""REST endpoints and web pages of the conformity calculators."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_check_endpoint_returns_the_cli_contract(client):
    response = client.post(
        "/api/conformity/check",
        {"value": 9.5, "uncertainty": 0.5, "upper": 10, "rule": "guarded:1"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["decision"] == "reject"
    assert body["acceptance_limits"] == [None, 9.0]
    assert body["producer_risk"] == pytest.approx(0.841344746, rel=1e-8)


def test_check_endpoint_problem_names_the_field(client):
    response = client.post(
        "/api/conformity/check",
        {"value": 1, "uncertainty": 0.1, "lower": 3, "upper": 2},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == "tolerance.lower"


def test_risk_endpoint_with_target(client):
    response = client.post(
        "/api/conformity/risk",
        {
            "process_mean": 0,
            "process_std": 1,
            "measurement_std": 0.5,
            "lower": -2,
            "upper": 2,
            "target_consumer_risk": 0.002,
        },
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["global_consumer_risk"] == pytest.approx(0.002, rel=1e-6)
    assert body["guard_band"] > 0


def test_risk_endpoint_rejects_bad_measurement_std(client):
    response = client.post(
        "/api/conformity/risk",
        {"process_mean": 0, "process_std": 1, "measurement_std": 0, "upper": 2},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "measurement_std"


def test_check_page_draws_the_risk_picture_in_both_languages(client):
    url = reverse("calc_conformity:check")
    params = {"value": 9.8, "uncertainty": 0.2, "lower": 0, "upper": 10, "rule": "nonbinary", "factor": 1}
    page = client.get(url, params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'data-decision="conditional pass"' in page and "<svg" in page
    assert page.count('data-limit="tolerance"') == 2 and page.count('data-limit="acceptance"') == 2
    page = client.get(url, params, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "有条件合格" in page and "符合概率" in page


def test_check_page_shows_core_errors_beside_the_field(client):
    page = client.get(
        reverse("calc_conformity:check"), {"value": 1, "uncertainty": 0, "upper": 2, "rule": "simple"}
    ).content.decode()
    assert "must be a finite number &gt; 0" in page and "<svg" not in page


def test_risk_page(client):
    page = client.get(
        reverse("calc_conformity:risk"),
        {
            "process_mean": 3,
            "process_std": 1,
            "process_distribution": "gamma",
            "measurement_std": 0.25,
            "upper": 5,
            "target_consumer_risk": 0.001,
        },
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert 'id="consumer-risk">0.001000<' in page and "<svg" in page and "−∞" in page


def test_navigation_lists_the_calculators(client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("calc_conformity:check") in page and reverse("calc_intervals:recommend") in page
