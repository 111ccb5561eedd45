"""Browser test (issue 2 item 9): log in, switch the language, look an instrument up by serial."""

from datetime import date

import pytest
from django.apps import apps

from jiliang.registry import catalogue_seed
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalogues():
    """Transactional tests empty every table, the seeded catalogues too: put them back."""
    catalogue_seed.seed(apps)


def test_log_in_switch_language_and_look_up_an_instrument(page, live_server):
    owner = f.institution(kind="enterprise")
    f.instrument(
        owner=owner, serial_number="BRW-2024-7", last_verification=date(2025, 3, 4), next_due=date(2031, 3, 4)
    )
    user = f.user_with_role("regulator", f.institution(kind="regulator", district=None))
    user.set_password("browser-pass-1")
    user.save()

    page.goto(live_server.url + "/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", "browser-pass-1")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator(".user").inner_text() == user.username

    page.goto(live_server.url + "/registry/")
    assert page.locator("h1").inner_text() == "本地区计量体系"
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "The region's metrology system"

    page.hover("nav.mainnav [data-menu=public] > button")
    page.click("nav.mainnav >> text=Instrument lookup")
    page.fill("#serial_number", "BRW-2024-7")
    page.click("form.lookup button[type=submit]")
    page.wait_for_load_state()
    result = page.locator("article.result")
    assert result.locator(".serial").inner_text() == "BRW-2024-7"
    assert result.locator(".last-verification").inner_text() == "2025-03-04"
    assert "2031-03-04" in result.locator(".next-due").inner_text()
    assert "In service" in result.inner_text()

    page.click("button[data-lang=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("article.result .badge.ok").first.inner_text() == "在用"
    # The browser context is shared by the session: leave no login or language behind.
    page.context.clear_cookies()
