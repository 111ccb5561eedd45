import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_uncertainty_page_adds_a_row_and_evaluates(page, live_server, tmp_path):
    page.goto(live_server.url + "/uncertainty/")
    assert page.locator("h1").inner_text() == "测量不确定度计算器"
    rows_before = page.locator("#inputs tbody tr").count()
    page.click("#add-row")
    assert page.locator("#inputs tbody tr").count() == rows_before + 1
    page.fill("#equations", "y = a * b")
    cells = page.locator("#inputs tbody input")
    for i in range(cells.count()):
        cells.nth(i).fill("")
    last = page.locator("#inputs tbody tr").last
    last.locator("input[name=name]").fill("a")
    last.locator("input[name=estimate]").fill("2")
    last.locator("input[name=width]").fill("0.1")
    first = page.locator("#inputs tbody tr").first
    first.locator("input[name=name]").fill("b")
    first.locator("select[name=distribution]").select_option("rectangular")
    first.locator("input[name=estimate]").fill("3")
    first.locator("input[name=width]").fill("0.2")
    page.fill("#trials", "20000")
    page.fill("#seed", "1")
    page.click("#uncertainty-form button[type=submit]")
    page.wait_for_selector("#results")
    assert page.locator("#results svg.histogram").count() == 1
    assert page.locator("#validation-y .badge").count() == 1
    assert "不确定度分量一览表" in page.locator("#results").inner_text()
    page.screenshot(path=str(tmp_path / "uncertainty.png"), full_page=True)
