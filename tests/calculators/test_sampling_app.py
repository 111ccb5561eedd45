"""REST endpoints and web pages of the acceptance-sampling calculators (calc_sampling)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_plan_endpoint_post_and_get(client: Client):
    expected = {
        "code_letter": "K",
        "plan_code_letter": "K",
        "sample_size": 125,
        "acceptance_number": 3,
        "rejection_number": 4,
        "inspect_all": False,
    }
    posted = client.post(
        "/api/sampling/plan", {"lot_size": 2000, "aql": 1.0}, content_type="application/json"
    )
    assert posted.status_code == 200 and expected.items() <= posted.json().items()
    got = client.get("/api/sampling/plan", {"lot_size": 2000, "aql": "1.0", "inspection": "reduced"})
    assert got.json()["sample_size"] == 50 and got.json()["table"] == "2-C"


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/sampling/plan", {"lot_size": 0, "aql": 1.0}, "lot_size"),
        ("/api/sampling/plan", {"lot_size": 100, "aql": 0.3}, "aql"),
        ("/api/sampling/plan", {"lot_size": "many", "aql": 1.0}, "lot_size"),
        ("/api/sampling/oc", {"sample_size": 10, "acceptance_number": 10}, "acceptance_number"),
        ("/api/sampling/lq-plan", {"lot_size": 100, "lq": 4}, "lq"),
        ("/api/sampling/variables-check", {"values": [1, 2], "k": 1}, "upper"),
        (
            "/api/sampling/variables-check",
            {"values": [1, 2, 3], "k": 1, "upper": 5, "control": "combined"},
            "control",
        ),
    ],
)
def test_bad_input_is_problem_json_naming_the_field(client: Client, url, body, field):
    response = client.post(url, body, content_type="application/json")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["errors"][0]["field"] == field


def test_other_endpoints(client: Client):
    oc = client.post(
        "/api/sampling/oc",
        {"sample_size": 20, "acceptance_number": 1, "lot_size": 200},
        content_type="application/json",
    ).json()
    assert oc["model"] == "hypergeometric" and oc["svg"].startswith("<svg")
    zero = client.post(
        "/api/sampling/zero-acceptance",
        {"conforming": 0.95, "confidence": 0.95},
        content_type="application/json",
    ).json()
    assert zero["sample_size"] == 59
    lq = client.get("/api/sampling/lq-plan", {"lot_size": 560000, "lq": 5}).json()
    assert (lq["sample_size"], lq["acceptance_number"], lq["basis"]) == (500, 18, "table")
    lq = client.get("/api/sampling/lq-plan", {"lot_size": 560000, "lq": 0.5}).json()
    assert lq["acceptance_number"] == 0 and lq["basis"] == "computed"
    lots = [{"lot_size": 2000, "nonconforming": n} for n in (4, 0, 5)]
    series = client.post(
        "/api/sampling/switching", {"lots": lots, "aql": 1.0}, content_type="application/json"
    )
    assert series.json()["final_inspection"] == "tightened" and len(series.json()["lots"]) == 3
    var = client.post(
        "/api/sampling/variables-plan",
        {"producer_quality": 0.01, "consumer_quality": 0.05},
        content_type="application/json",
    ).json()
    assert var["probability_of_acceptance_at_producer_quality"] >= 0.95


@pytest.mark.parametrize(("language", "text"), [("en", "Sample size"), ("zh-hans", "样本量")])
def test_plan_page_draws_the_oc_curve_in_both_languages(client: Client, language, text):
    response = client.get(
        "/sampling/",
        {"lot_size": 2000, "aql": "1.0", "level": "II", "inspection": "normal"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    body = response.content.decode()
    assert response.status_code == 200 and text in body and "<svg" in body and "<polyline" in body


def test_page_shows_the_core_error_beside_the_field(client: Client):
    response = client.get(
        "/sampling/",
        {"lot_size": 0, "aql": "1.0", "level": "II", "inspection": "normal"},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200 and "Table 1 starts at a lot of 2 items" in response.content.decode()


@pytest.mark.parametrize(
    ("url", "query"),
    [
        ("/sampling/lq/", {"lot_size": 10000, "lq": "5.0", "acceptance_number": 0, "consumer_risk": 0.1}),
        ("/sampling/oc/", {"sample_size": 125, "acceptance_number": 3}),
        ("/sampling/zero-acceptance/", {"conforming": 0.95, "confidence": 0.95, "acceptance_number": 0}),
        (
            "/sampling/variables/",
            {"producer_quality": 0.01, "consumer_quality": 0.05, "producer_risk": 0.05, "consumer_risk": 0.1},
        ),
    ],
)
def test_other_pages_render_results(client: Client, url, query):
    empty = client.get(url, HTTP_ACCEPT_LANGUAGE="en")
    assert empty.status_code == 200 and "Result" not in empty.content.decode()
    response = client.get(url, query, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Result" in response.content.decode()
    assert "<svg" in response.content.decode()


def test_lq_page_reads_table_a_or_says_computed(client: Client):
    body = client.get(
        "/sampling/lq/", {"lot_size": 2000, "lq": "5.0"}, HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Basis: ISO 2859-2 Table A." in body and "exceeds 10" in body  # n = 125, Ac = 3: 11.5 %
    query = {"lot_size": 2000, "lq": "0.5"}
    body = client.get("/sampling/lq/", query, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "依据：计算所得" in body


def test_navigation_links_the_sampling_pages(client: Client):
    assert 'href="/sampling/"' in client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.parametrize(
    ("language", "text", "severity"), [("en", "reject", "tightened"), ("zh-hans", "拒收", "加严检验")]
)
def test_switching_page_shows_each_lot_and_the_next_severity(client: Client, language, text, severity):
    query = {
        "lots": "2000, 4\n2000, 0\n\n2000 5\n2000;2",
        "aql": "1.0",
        "level": "II",
        "production_steady": "on",
    }
    body = client.get("/sampling/switching/", query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert body.count("<tr>") == 5 and text in body
    assert f'<strong data-severity="tightened">{severity}</strong>' in body


def test_switching_page_reports_the_bad_line(client: Client):
    query = {"lots": "2000, 1\n2000, x", "aql": "1.0", "level": "II"}
    body = client.get("/sampling/switching/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "line 2: not a number" in body


def test_variables_check_page(client: Client):
    query = {"values": "10.1 9.9 10.0 10.2 9.8", "k": "1.65", "upper": "11"}
    body = client.get("/sampling/variables/check/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "badge ok" in body
    body = client.get("/sampling/variables/check/", {"values": "1 2", "k": "1"}, HTTP_ACCEPT_LANGUAGE="en")
    assert "give a lower or an upper specification limit" in body.content.decode()
    values = "9.2 10.8 9.4 10.6 10.0 9.5 10.5 9.9 10.1 10.0"
    query = {"values": values, "k": "1.41", "lower": "9.2", "upper": "10.8", "control": "combined"}
    body = client.get("/sampling/variables/check/", query, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "badge bad" in body and "0.11409" in body and "0.07269" in body


def test_lots_endpoint_decides_many_lots_at_once(client: Client):
    body = {"lot_sizes": [2000, 2000, 8], "nonconforming": [3, 4, 0], "aql": 1.0}
    data = client.post("/api/sampling/lots", body, content_type="application/json").json()
    assert data["accepted"] == [True, False, True] and data["sample_size"] == [125, 125, 8]
    assert data["inspect_all"] == [False, False, True]
    per_lot = {"lot_sizes": [2000, 2000], "nonconforming": [0, 0], "aql": [1.0, 0.3]}
    bad = client.post("/api/sampling/lots", per_lot, content_type="application/json")
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "aql[1]"


def test_variables_sigma_method_and_per_limit_k_over_api_and_pages(client: Client):
    body = {"values": [9.0, 11.0, 10.0], "sigma": 0.5, "k": 2.0, "upper": 11.0}
    data = client.post("/api/sampling/variables-check", body, content_type="application/json").json()
    assert data["method"] == "sigma" and data["decision"] == "accept"
    ten = [9.2, 10.8, 9.4, 10.6, 10.0, 9.5, 10.5, 9.9, 10.1, 10.0]
    body = {
        "values": ten,
        "k_upper": 1.6,
        "k_lower": 1.41,
        "lower": 9.2,
        "upper": 10.8,
        "control": "combined",
    }
    data = client.post("/api/sampling/variables-check", body, content_type="application/json").json()
    assert data["decision"] == "reject" and data["lower_acceptability_constant"] == 1.41
    bad = client.post(
        "/api/sampling/variables-check",
        {"values": ten, "k": 1.4, "sigma": -1, "upper": 10.8},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "standard_deviation"
    plan = client.get(
        "/api/sampling/variables-plan",
        {"producer_quality": 0.01, "consumer_quality": 0.05, "method": "sigma"},
    ).json()
    assert plan["method"] == "sigma" and plan["probability_of_acceptance_at_consumer_quality"] <= 0.1
    bad = client.get(
        "/api/sampling/variables-plan", {"producer_quality": 0.01, "consumer_quality": 0.05, "method": "x"}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "method"
    for language, text in (("en", "σ-method"), ("zh-hans", "σ")):
        query = {"values": "9 11 10", "sigma": "0.5", "k": "2", "upper": "11"}
        page = client.get("/sampling/variables/check/", query, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        assert "badge ok" in page and text in page
    page = client.get(
        "/sampling/variables/",
        {
            "producer_quality": 0.01,
            "consumer_quality": 0.05,
            "producer_risk": 0.05,
            "consumer_risk": 0.1,
            "method": "sigma",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "Result" in page and "<svg" in page
