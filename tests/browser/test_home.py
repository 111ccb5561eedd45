import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_switches_language(page, live_server):
    page.goto(live_server.url + "/")
    assert page.locator("h1").inner_text() == "计量综合管理平台"
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "Jiliang metrology platform"
    page.click("button[data-lang=zh-hans]")
    page.wait_for_load_state()
    assert page.locator("h1").inner_text() == "计量综合管理平台"
