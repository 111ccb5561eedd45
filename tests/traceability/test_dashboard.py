"""The dashboard leads to the out-of-tolerance event's impact report and to the broken chains
(issue 5, item 6), in English and Chinese; anonymous visitors and outsiders do not see them."""

from __future__ import annotations

import html as html_lib
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from jiliang.calibration import services as record_services
from jiliang.registry.choices import Role
from jiliang.registry.policy import SYSTEM
from jiliang.traceability import services
from jiliang.traceability.impact import Error, Window
from tests import factories
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db
DASHBOARD = "/registry/"


@pytest.fixture
def event():
    cache.clear()
    lad = ladder(2, measured="109.8")
    report = services.analyse(SYSTEM, lad.standards[0], Window(date(2024, 12, 1)), Error(0.5, 0.0, "µm"))
    work = services.open_nonconforming_work(SYSTEM, lad.standards[0], report, "drift")
    record_services.revoke_record(SYSTEM, lad.certificates[0], "drift")
    yield lad, work
    cache.clear()


@pytest.mark.parametrize(
    ("language", "heading", "broken"), [("en", "Out-of-tolerance events", "Broken traceability chains"),
                                        ("zh-hans", "超差事件", "溯源链断裂")]
)  # fmt: skip
def test_dashboard_links_the_event_and_the_broken_chains(client, event, language, heading, broken):
    lad, work = event
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    cache.clear()
    page = html_lib.unescape(client.get(DASHBOARD, HTTP_ACCEPT_LANGUAGE=language).content.decode())
    assert heading in page and broken in page and f"NCW-{work.pk}" in page
    link = f"/traceability/impact/?source={lad.standards[0].pk}&since=2024-12-01&error=0.5&error_uncertainty=0.0&unit=µm"
    assert link in page.replace("%C2%B5", "µ")
    followed = client.get(link, HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert 'id="affected-records">2<' in followed and 'id="changed-decisions">1<' in followed
    # the record that used the revoked certificate leads to its drawn, broken chain
    user_of_revoked = lad.certificates[1]
    assert f"/traceability/chain/{user_of_revoked.pk}/" in page
    chain = client.get(f"/traceability/chain/{user_of_revoked.pk}/").content.decode()
    assert 'data-verdict="broken"' in chain


def test_the_panel_is_hidden_from_anonymous_visitors_and_outsiders(client, event):
    assert "traceability-panel" not in client.get(DASHBOARD).content.decode()
    client.force_login(factories.user_with_role(Role.STAFF))
    cache.clear()
    assert "traceability-panel" not in client.get(DASHBOARD).content.decode()
