"""Public pages (issue 2 item 7): institution directory, standards directory and instrument lookup
by serial number, without login and without N+1 queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_lookup_shows_status_last_verification_and_next_due(client):
    overdue = date.today() - timedelta(days=3)
    f.instrument(serial_number="LOOK-1", last_verification=date(2024, 2, 1), next_due=overdue)
    html = client.get("/portal/?serial_number=LOOK-1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "LOOK-1" in html and "In service" in html
    assert "2024-02-01" in html and overdue.isoformat() in html and "Overdue" in html


def test_lookup_of_an_unknown_serial_says_so_in_chinese(client):
    html = client.get("/portal/?serial_number=NOPE-9", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "未登记出厂编号为“NOPE-9”的计量器具" in html


def test_lookup_shows_each_maker_with_that_serial(client):
    f.instrument(serial_number="DUP-1", manufacturer="Maker A")
    f.instrument(serial_number="DUP-1", manufacturer="Maker B", status="scrapped")
    html = client.get("/portal/?serial_number=DUP-1", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Maker A" in html and "Maker B" in html and "Scrapped" in html


def test_institution_directory_leaves_out_owners_and_filters(client):
    f.institution(name="Legal Institute Alpha", kind="legal")
    f.institution(name="Owner Beta", kind="enterprise")
    f.institution(name="Lab Gamma", kind="calibration_lab")
    html = client.get("/portal/institutions/").content.decode()
    assert "Legal Institute Alpha" in html and "Lab Gamma" in html and "Owner Beta" not in html
    html = client.get("/portal/institutions/?kind=legal").content.decode()
    assert "Legal Institute Alpha" in html and "Lab Gamma" not in html
    html = client.get("/portal/institutions/?q=gamma").content.decode()
    assert "Lab Gamma" in html and "Legal Institute Alpha" not in html


def test_standards_directory_shows_capability(client):
    f.standard(name="Gauge blocks P", expanded_uncertainty=Decimal("0.050"), coverage_factor=Decimal("2"))
    f.standard(
        name="Piston gauge W",
        level="working",
        expanded_uncertainty=None,
        coverage_factor=None,
        accuracy_class="0.05",
    )
    html = client.get("/portal/standards/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Gauge blocks P" in html and "U = 0.05 µm (k = 2)" in html and "Piston gauge W" not in html
    html = client.get("/portal/standards/?level=", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Piston gauge W" in html and "accuracy class 0.05" in html


@pytest.mark.parametrize("path", ["/portal/institutions/", "/portal/standards/?level="])
def test_directories_make_the_same_number_of_queries_for_2_or_12_rows(client, path):
    for _ in range(2):
        f.standard(owner=f.institution(kind="legal"))
    with CaptureQueriesContext(connection) as few:
        client.get(path)
    for _ in range(10):
        f.standard(owner=f.institution(kind="legal"))
    with CaptureQueriesContext(connection) as many:
        client.get(path)
    assert len(many) == len(few)
