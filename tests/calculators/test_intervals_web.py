"""REST endpoint and web page of the interval calculator."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

pytestmark = pytest.mark.django_db

CSV = "instrument,date,interval,in_tolerance\n" + "\n".join(
    f"G{i},2024-01-{1 + i % 28:02d},{180 + 90 * (i % 4)},{'out' if i % 6 == 0 else 'in'}" for i in range(48)
)


def test_recommend_endpoint_with_a_csv_upload(client):
    upload = SimpleUploadedFile("history.csv", CSV.encode(), content_type="text/csv")
    response = client.post("/api/intervals/recommend", {"history": upload, "method": "mle"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["method"] == "mle" and body["target_reliability"] == 0.9 and body["unit"] == "d"
    low, high = body["confidence_bounds"]
    assert low < body["recommended_interval"]


def test_recommend_endpoint_with_json_rows(client):
    rows = [{"interval": 365, "in_tolerance": i % 5 != 0} for i in range(30)]
    response = client.post(
        "/api/intervals/recommend",
        {"rows": rows, "method": "interval-test", "target": 0.9},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["observed_reliability"] == pytest.approx(24 / 30)


def test_rp1_a3_endpoint_and_page(client):
    # asset 1 of the 2019 NCSL tutorial on intervals (see tests/intervals/test_rp1_a3.py)
    record = "11010111101111101110"
    rows = [{"interval": 365, "in_tolerance": c == "1"} for c in record]
    body = {"rows": rows, "method": "rp1-a3", "target": 0.95, "confidence": 0.5}
    data = client.post("/api/intervals/recommend", body, content_type="application/json").json()
    assert round(data["recommended_interval"]) == 231 and data["confidence_bounds"] is None
    assert data["reliability_range"] == pytest.approx([0.6516, 0.8286], abs=5e-5)
    csv = "interval,in_tolerance\n" + "".join(f"365,{'in' if c == '1' else 'out'}\n" for c in record)
    upload = SimpleUploadedFile("history.csv", csv.encode(), content_type="text/csv")
    form = {
        "history": upload,
        "unit": "d",
        "target": 0.95,
        "method": "rp1-a3",
        "model": "best",
        "confidence": 0.5,
    }
    page = client.post(reverse("calc_intervals:recommend"), form, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "230.8" in page and "0.6516" in page and "RP-1" in page


def test_recommend_endpoint_history_without_events(client):
    rows = [{"interval": 365, "in_tolerance": True} for _ in range(10)]
    response = client.post("/api/intervals/recommend", {"rows": rows}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "history.in_tolerance"


def test_recommend_endpoint_needs_a_history(client):
    response = client.post("/api/intervals/recommend", {"target": 0.9}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "history"


def test_recommend_page(client):
    upload = SimpleUploadedFile("history.csv", CSV.encode(), content_type="text/csv")
    data = {
        "history": upload,
        "unit": "d",
        "target": 0.9,
        "method": "mle",
        "model": "best",
        "confidence": 0.95,
    }
    page = client.post(
        reverse("calc_intervals:recommend"), data, HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).content.decode()
    assert 'id="recommended"' in page and "<svg" in page and "推荐间隔" in page


def test_recommend_page_reports_line_errors(client):
    upload = SimpleUploadedFile("history.csv", b"interval,in_tolerance\n-3,in\n", content_type="text/csv")
    data = {
        "history": upload,
        "unit": "d",
        "target": 0.9,
        "method": "mle",
        "model": "best",
        "confidence": 0.95,
    }
    page = client.post(reverse("calc_intervals:recommend"), data, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "must be &gt; 0" in page
