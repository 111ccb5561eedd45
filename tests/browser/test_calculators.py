"""The conformity and interval calculators in a real browser: fill the form, read the verdict, see the picture."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_conformity_check_draws_the_risk_picture(page, live_server):
    page.goto(live_server.url + "/conformity/")
    page.fill("#id_value", "9.8")
    page.fill("#id_uncertainty", "0.2")
    page.fill("#id_lower", "0")
    page.fill("#id_upper", "10")
    page.select_option("#id_rule", "nonbinary")
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#decision").get_attribute("data-decision") == "conditional pass"
    assert page.locator("#decision").inner_text() == "有条件合格"
    assert page.locator("svg.risk-picture line[data-limit=acceptance]").count() == 2
    page.screenshot(path="/tmp/jiliang-conformity.png", full_page=True)


def test_intervals_page_recommends_from_an_upload(page, live_server, tmp_path):
    history = tmp_path / "history.csv"
    rows = [f"G{i},,{180 + 90 * (i % 4)},{'out' if i % 6 == 0 else 'in'}" for i in range(48)]
    history.write_text("instrument,date,interval,in_tolerance\n" + "\n".join(rows) + "\n", encoding="utf-8")
    page.goto(live_server.url + "/intervals/")
    page.set_input_files("#id_history", str(history))
    page.click("form.form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#recommended").inner_text().endswith(" d")
    assert page.locator("svg.reliability-picture circle").count() == 4
    page.screenshot(path="/tmp/jiliang-intervals.png", full_page=True)
