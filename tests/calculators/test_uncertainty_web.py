"""The uncertainty API (``POST /api/uncertainty/evaluate``) and the calculator page."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jiliang.calculators.uncertainty import services
from jiliang.errors import InvalidInput

pytestmark = pytest.mark.django_db

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "uncertainty"
URL = "/api/uncertainty/evaluate"


def post(client, body, query=""):
    data = body if isinstance(body, bytes | str) else json.dumps(body)
    return client.post(URL + query, data=data, content_type="application/json")


def test_evaluate_answers_the_json_contract(client):
    body = json.loads((EXAMPLES / "impedance.json").read_text(encoding="utf-8"))
    response = post(client, body, "?trials=20000&seed=3")
    assert response.status_code == 200
    data = response.json()
    assert set(data) == {"outputs", "output_correlations", "mc_output_correlations"}
    assert set(data["outputs"]) == {"R", "X", "Z"}
    assert data["outputs"]["R"]["mc"]["seed"] == 3 and data["outputs"]["R"]["mc"]["trials"] == 20000
    assert round(data["outputs"]["Z"]["gum"]["estimate"], 2) == 254.26


def test_same_answer_as_the_cli_service(client):
    from jiliang.uncertainty.evaluate import evaluate_mapping

    body = {
        "model": "y = a*b",
        "inputs": {
            "a": {"distribution": "normal", "estimate": 2.0, "std_uncertainty": 0.1},
            "b": {"distribution": "rectangular", "lower": 1.0, "upper": 2.0},
        },
    }
    api = post(client, body, "?trials=10000&seed=9").json()
    direct = evaluate_mapping(body, trials=10000, rng=9).to_dict()
    assert api == json.loads(json.dumps(direct))


@pytest.mark.parametrize(
    ("body", "query", "field"),
    [
        (
            {
                "model": "y = a + q",
                "inputs": {"a": {"distribution": "normal", "estimate": 1, "std_uncertainty": 1}},
            },
            "",
            "model",
        ),
        (
            {
                "model": "y = a",
                "inputs": {"a": {"distribution": "normal", "estimate": 1, "std_uncertainty": -1}},
            },
            "",
            "inputs.a.std_uncertainty",
        ),
        (
            {
                "model": "y = a",
                "inputs": {"a": {"distribution": "normal", "estimate": 1, "std_uncertainty": 1}},
            },
            "?trials=5000000",
            "trials",
        ),
        (
            {
                "model": "y = a",
                "inputs": {"a": {"distribution": "normal", "estimate": 1, "std_uncertainty": 1}},
            },
            "?seed=abc",
            "seed",
        ),
        (
            {
                "model": "y = a",
                "inputs": {"a": {"distribution": "normal", "estimate": 1, "std_uncertainty": 1}},
            },
            "?threads=64",
            "threads",
        ),
        ("{not json", "", "body"),
    ],
)
def test_bad_requests_are_problem_json_naming_the_field(client, body, query, field):
    response = post(client, body, query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/problem+json")
    assert field in [e["field"] for e in response.json()["errors"]]


def test_a_large_body_is_refused_before_parsing(client):
    body = b'{"title": "' + b"x" * (2 * 1024 * 1024) + b'"}'
    response = post(client, body)
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "model_file"


def test_threads_do_not_change_the_answer(client):
    body = json.loads((EXAMPLES / "impedance.json").read_text(encoding="utf-8"))
    one = post(client, body, "?trials=300000&seed=4&method=mc&threads=1")
    two = post(client, body, f"?trials=300000&seed=4&method=mc&threads={services.API_MAX_THREADS}")
    assert one.status_code == two.status_code == 200
    assert one.json() == two.json()


def test_api_caps_trials_and_defaults():
    assert services.options_from_query({})["trials"] == services.API_DEFAULT_TRIALS
    assert services.options_from_query({"adaptive": "true"})["max_trials"] == services.API_MAX_TRIALS


def test_page_shows_the_example_in_both_languages(client):
    response = client.get("/uncertainty/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and b"Measurement uncertainty calculator" in response.content
    assert b"l_s" in response.content
    zh = client.get("/uncertainty/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert "测量不确定度".encode() in zh.content


def test_distributions_are_named_in_the_page_language(client):
    """Regression (QA crawl, 2026-11-27): the Chinese page listed the distributions by their API
    names (normal, rectangular, ...)."""
    zh = client.get("/uncertainty/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert '<option value="rectangular">矩形分布</option>' in zh
    assert '<option value="normal" selected>正态分布</option>' in zh
    en = client.get("/uncertainty/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<option value="curvilinear_trapezoid">curvilinear trapezoid</option>' in en


def page_post(client, **changes):
    data = {
        "title": "t",
        "equations": "y = a + b",
        "name": ["a", "b", ""],
        "distribution": ["normal", "rectangular", "normal"],
        "estimate": ["1", "2", ""],
        "width": ["0.1", "0.3", ""],
        "extra": ["", "", ""],
        "dof": ["", "", ""],
        "unit": ["mm", "mm", ""],
        "correlations": "",
        "coverage": "0.95",
        "coverage_factor": "",
        "method": "both",
        "trials": "20000",
        "seed": "1",
    }
    data.update(changes)
    return client.post("/uncertainty/", data, HTTP_ACCEPT_LANGUAGE="en")


def test_page_evaluates_the_table_and_shows_budget_histogram_validation(client):
    response = page_post(client)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="results"' in html and "<svg" in html and "Uncertainty budget" in html
    assert 'id="validation-y"' in html


def test_page_shows_errors_beside_the_row(client):
    response = page_post(client, width=["-0.1", "0.3", ""])
    html = response.content.decode()
    assert "inputs.a.std_uncertainty" in html and "must not be negative" in html
    assert 'id="results"' not in html


def test_table_rows_map_to_the_model_file():
    rows = [
        {"name": "a", "distribution": "t", "estimate": "1", "width": "0.2", "dof": "4"},
        {"name": "b", "distribution": "trapezoidal", "estimate": "0", "width": "1", "extra": "0.5"},
        {"name": "c", "distribution": "curvilinear_trapezoid", "estimate": "0", "width": "1", "extra": "0.1"},
    ]
    data = services.model_from_table("x", "y = a + b + c", rows, "a, b, 0.5", "0.99", "2")
    assert data["inputs"]["a"] == {"distribution": "t", "estimate": 1.0, "scale": 0.2, "dof": 4.0}
    assert data["inputs"]["b"] == {"distribution": "trapezoidal", "beta": 0.5, "lower": -1.0, "upper": 1.0}
    assert data["inputs"]["c"]["half_width_uncertainty"] == 0.1
    assert data["correlations"] == [["a", "b", 0.5]] and data["coverage_factor"] == 2.0


def test_a_row_with_values_but_no_name_is_an_error():
    with pytest.raises(InvalidInput) as info:
        services.model_from_table("", "y = a", [{"name": "", "estimate": "1"}], "", "", "")
    assert info.value.field == "inputs[1].name"
