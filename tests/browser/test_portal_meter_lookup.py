"""Browser test (issue 7, item 2): the public lookup by serial shows a meter's extension."""

from datetime import date

import pytest
from django.apps import apps

from jiliang.registry import catalogue_seed, policy
from jiliang.supervision import services
from tests.supervision.test_fleet import _results, _through_sampling, fleet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalogues():
    """Transactional tests empty every table, the seeded catalogues too: put them back."""
    catalogue_seed.seed(apps)


def test_public_lookup_shows_the_lot_extension_and_new_due_date(page, live_server):
    lot = _through_sampling(fleet(name="Huangpu grid 2018"))
    services.record_results(policy.SYSTEM, lot, _results(lot))
    services.decide(policy.SYSTEM, lot, date(2026, 6, 1))

    page.goto(live_server.url + "/portal/")
    page.fill("#serial_number", "S000007")
    page.click("form.lookup button[type=submit]")
    page.wait_for_load_state()
    meter = page.locator("article.meter")
    assert meter.locator(".serial").inner_text() == "S000007"
    assert meter.locator(".fleet").inner_text() == "Huangpu grid 2018"
    assert meter.locator(".lot").inner_text() == str(lot)
    assert meter.locator(".original-due").inner_text() == "2026"
    assert "延长 4 年" in meter.locator(".extension").inner_text()
    assert meter.locator(".valid-until").inner_text() == "2030-12-31"
