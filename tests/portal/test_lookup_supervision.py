"""The public lookup shows a meter's extension and an instrument's compulsory-verification state
(issue 7, item 2: "each meter's extension visible in the public lookup"; item 1: "the public lookup
shows each instrument's state")."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from jiliang.registry import policy
from jiliang.supervision import compulsory, public, services
from tests import factories as f
from tests.supervision.test_fleet import _results, _through_sampling, fleet

pytestmark = pytest.mark.django_db


def _decided(bad: int = 0) -> str:
    lot = _through_sampling(fleet(name="Huangpu grid 2018"))
    services.record_results(policy.SYSTEM, lot, _results(lot, bad=bad))
    services.decide(policy.SYSTEM, lot, date(2026, 6, 1))
    return str(lot)


def test_lookup_shows_the_meter_fleet_lot_extension_and_new_due_date(client):
    lot = _decided()
    html = client.get("/portal/?serial_number=S000007", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Meter in a supervised fleet" in html and "Huangpu grid 2018" in html and lot in html
    # Verified 2018, due 2026 (8 years); the lot passed, so +4 years: valid until the end of 2030.
    assert "Extend" in html and "+4 years" in html and "2030-12-31" in html and "2026" in html
    assert "is registered" not in html
    zh = client.get("/portal/?serial_number=S000007", HTTP_ACCEPT_LANGUAGE="zh-CN").content.decode()
    assert "受监督表群中的电能表" in zh and "延长" in zh


def test_lookup_shows_a_rotated_lot_without_an_extension(client):
    _decided(bad=30)
    html = client.get("/portal/?serial_number=S000007", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Rotate the whole lot" in html and "+4 years" not in html and "2026-12-31" in html


def test_lookup_shows_the_compulsory_verification_state(client):
    owner = f.institution(kind="enterprise")
    gas = f.instrument(
        category=f.category("combustible_gas_detector"),
        owner=owner,
        serial_number="GAS-77",
        interval_months=12,
        last_verification=date.today() - timedelta(days=400),
        next_due=date.today() - timedelta(days=35),
    )
    compulsory.file_instrument(policy.SYSTEM, gas, "safety", date.today() - timedelta(days=300))
    state = public.compulsory_states([gas.pk], date.today())[gas.pk]
    assert state["state"] == "overdue"
    html = client.get("/portal/?serial_number=GAS-77", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "compulsory-state" in html and "Overdue" in html and "Safety protection" in html
    assert "Meter in a supervised fleet" not in html
