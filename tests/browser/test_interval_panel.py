"""Browser test (issue 7, item 4): a standard's page shows the interval recommended from its
recorded history beside its current interval, in Chinese by default and in English.

The history needs issued records, and transactional tests empty the tables with DELETE on SQLite,
which the frozen-record triggers refuse: the ``issued_records`` fixture lifts the triggers only to
remove this test's records, then puts them back (PostgreSQL empties with TRUNCATE, which fires no
row trigger)."""

from datetime import date

import pytest
from django.apps import apps
from django.db import connection

from jiliang.calibration import frozen
from jiliang.calibration.models import Record, Result, Usage
from jiliang.registry import catalogue_seed
from tests.calibration import builders as b
from tests.supervision.histories import record

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def catalogues():
    """Transactional tests empty every table, the seeded catalogues too: put them back."""
    catalogue_seed.seed(apps)


@pytest.fixture
def issued_records(transactional_db):
    yield
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name LIKE '%frozen%'")
        names = [row[0] for row in cursor.fetchall()]
        for name in names:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for model in (Usage, Result, Record):
            model.objects.all().delete()
        for statement in frozen.sqlite_statements():
            cursor.execute(statement)


def test_standard_page_shows_the_recommendation_beside_the_current_interval(
    page, live_server, issued_records
):
    lab, primary = b.lab(), b.primary()
    std = b.examined_standard(name="Gauge blocks K-1")
    record(lab, std, date(2021, 1, 10), "in", primary=primary)
    record(lab, std, date(2022, 1, 10), "in", primary=primary)
    record(lab, std, date(2023, 1, 15), "out", primary=primary)

    page.goto(f"{live_server.url}/registry/standards/{std.pk}/")
    panel = page.locator("section.interval-advice")
    assert "根据记录历史的复校间隔" in panel.locator("h2").inner_text()
    assert "12 个月" in panel.locator(".current-interval").inner_text()
    # Out of tolerance after 370 d: 370 x 1.1^-9 = 156.9 d = 5.2 months (ILAC-G24 method 1, R = 0.9).
    assert panel.locator("tr.advice-standard .recommended").inner_text().startswith("5.2 个月")
    assert "数据不足" in panel.locator("tr.advice-like_standards .recommended").inner_text()
    page.click("button[data-lang=en]")
    page.wait_for_load_state()
    panel = page.locator("section.interval-advice")
    assert "Staircase (ILAC-G24 method 1)" in panel.locator("tr.advice-standard .why").inner_text()
