"""Web pages: record list and detail, the chain drawn as SVG with its verdict, the impact report
with CSV download and opening nonconforming work; pages are scoped to the user."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model

from jiliang.calibration import services as record_services
from jiliang.registry.choices import Role
from jiliang.registry.policy import SYSTEM
from jiliang.traceability.models import NonconformingWork
from tests import factories
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    return client


@pytest.mark.parametrize(
    ("language", "statement", "rule"),
    [("en", ">accept</span>", "<dd>Simple acceptance (w = 0)</dd>"),
     ("zh-hans", ">接受</span>", "<dd>简单接受（w = 0）</dd>")],
)  # fmt: skip
def test_record_list_and_detail(admin, language, statement, rule):
    lad = ladder(2)
    page = admin.get("/calibration/records/", {"q": lad.record.certificate_number}).content.decode()
    assert lad.record.certificate_number in page and lad.certificates[0].certificate_number not in page
    detail = admin.get(
        f"/calibration/records/{lad.record.pk}/", HTTP_ACCEPT_LANGUAGE=language
    ).content.decode()
    assert lad.certificates[1].certificate_number in detail  # the certificate of the standard used
    # The statement and the rule read in the page's language (QA crawl, 2026-11-27: zh showed "accept", "simple").
    assert statement in detail and rule in detail and "<dd>simple</dd>" not in detail


def test_chain_page_draws_the_graph(admin):
    lad = ladder(3)
    html = admin.get(f"/traceability/chain/{lad.record.pk}/").content.decode()
    assert 'data-verdict="traceable"' in html and "<svg" in html
    assert html.count('class="node"') == 4 and 'class="primary"' in html
    record_services.revoke_record(SYSTEM, lad.certificates[0], "drift")
    html = admin.get(f"/traceability/chain/{lad.record.pk}/").content.decode()
    assert 'data-verdict="broken"' in html and "expired_link" in html and 'class="node broken"' in html


def test_impact_page_report_csv_and_work(admin):
    lad = ladder(2, measured="109.8")
    params = {"source": lad.standards[0].pk, "since": "2024-12-01", "error": "0.5", "unit": "µm"}
    html = admin.get("/traceability/impact/", params).content.decode()
    assert 'id="affected-records">2<' in html and 'id="changed-decisions">1<' in html
    # Statements read in the page's language (QA crawl, 2026-11-27: zh showed "accept").
    assert "<td>接受</td>" in html and ">拒绝</span>" in html
    csv_response = admin.get("/traceability/impact/", {**params, "export": "csv"})
    assert csv_response["Content-Type"].startswith("text/csv")
    assert admin.post("/traceability/impact/", {**params, "description": "drift"}).status_code == 200
    assert NonconformingWork.objects.count() == 1
    bad = admin.get("/traceability/impact/", {**params, "since": "2024-02-30"}).content.decode()
    assert "since" in bad and 'role="alert"' in bad


def test_impact_page_draws_the_first_rows_and_the_json_download_has_them_all(admin, monkeypatch):
    """The page draws at most SHOWN results and items (at 1,000,000 records a public standard has
    over 100,000 of each); the figures count all of them and the JSON download carries every row."""
    from jiliang.traceability import views

    monkeypatch.setattr(views, "SHOWN", 1)
    lad = ladder(2, measured="109.8")
    params = {"source": lad.standards[0].pk, "since": "2024-12-01", "error": "0.5", "unit": "µm"}
    html = admin.get("/traceability/impact/", params, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'id="affected-records">2<' in html
    assert "The first 1 are shown; the CSV has them all." in html
    assert "The first 1 of 2 items are shown; the JSON download has them all." in html
    assert len(re.findall(r'href="/calibration/records/\d+/"', html)) == 1  # one result row drawn
    zh = admin.get("/traceability/impact/", params, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "显示前 1 项，共 2 项；JSON 下载包含全部。" in zh
    response = admin.get("/traceability/impact/", {**params, "export": "json"})
    assert response["Content-Type"] == "application/json"
    assert 'filename="impact.json"' in response["Content-Disposition"]
    data = response.json()
    assert data["affected_results"] == len(data["results"]) == 2
    assert data["affected_items"] == len(data["items"]) == 2


def test_pages_are_scoped(client):
    lad = ladder(1)
    assert client.get("/calibration/records/").status_code == 302  # login first
    client.force_login(factories.user_with_role(Role.STAFF))
    assert client.get(f"/calibration/records/{lad.record.pk}/").status_code == 404
    assert client.get(f"/traceability/chain/{lad.record.pk}/").status_code == 404
