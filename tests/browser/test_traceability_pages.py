"""Browser test (issue 5, item 3 and 4): the chain drawn as a graph, and the impact form.

Transactional tests empty the tables with DELETE on SQLite, which the triggers refuse for issued
records; this test therefore builds its history from drafts (the chain is then broken: a draft
certificate is no valid link)."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from jiliang.calibration import services
from jiliang.registry import catalogue_seed
from jiliang.registry.policy import SYSTEM
from tests import factories as f
from tests.calibration import builders as b

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalogues():
    catalogue_seed.seed(apps)


def test_chain_graph_and_impact_form(page, live_server):
    at = b.lab()
    std = b.examined_standard()
    cert = b.draft(at, std)
    services.add_result(SYSTEM, cert, b.point(), [{"standard": b.primary()}])
    record = b.draft(at, f.instrument())
    services.add_result(SYSTEM, record, b.point(), [{"standard": std, "certificate": cert}])
    get_user_model().objects.create_superuser("root", password="browser-pass-1")

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", "browser-pass-1")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"{live_server.url}/traceability/chain/{record.pk}/")
    assert page.locator("svg.chain g.node").count() == 2
    assert page.locator("svg.chain g.primary").count() == 1
    assert page.locator("[data-verdict]").get_attribute("data-verdict") == "broken"
    assert "expired_link" in page.locator("ul.reasons").inner_text()

    page.goto(live_server.url + "/traceability/impact/")
    page.fill("#source", str(std.pk))
    page.fill("#since", "2025-01-01")
    page.fill("#error", "0.9")
    page.click("#impact-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#affected-records").inner_text() == "1"
    assert page.locator("#changed-decisions").inner_text() == "1"  # e = 0.2 + 0.9 > 1
