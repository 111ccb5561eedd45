import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sampling_plan_page_draws_the_oc_curve(page, live_server):
    page.goto(live_server.url + "/sampling/")
    page.fill("input[name=lot_size]", "2000")
    page.select_option("select[name=aql]", "1.0")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    figures = page.locator(".card .figure").all_inner_texts()
    assert figures[:5] == ["K", "K", "125", "3", "4"]
    curve = page.locator("figure.oc svg polyline")
    assert curve.count() == 1 and len(curve.get_attribute("points").split()) == 51
    box = page.locator("figure.oc svg").bounding_box()
    assert box is not None and box["width"] > 300 and box["height"] > 200


def test_bad_lot_size_is_shown_beside_the_field(page, live_server):
    page.goto(live_server.url + "/sampling/?lot_size=1&aql=1.0&level=II&inspection=normal")
    assert "2" in page.locator(".form .error").inner_text()
