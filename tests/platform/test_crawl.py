"""A first user's walk through the small demo (QA, 2026-11-27): every role, in both languages,
follows every link and GET form the pages show, as :mod:`tests.platform.crawl` does.

A link the UI shows must open (no 5xx, no 4xx, no "log in first" for a signed-in role), and a page
must read in its language: no English phrase left in zh-hans, no catalogue Chinese in en.
"""

from __future__ import annotations

from pathlib import Path

import polib
import pytest
from django.core.cache import cache
from django.test import Client

import jiliang
from jiliang.calibration.models import Record
from jiliang.registry.demo import DEMO_USERS, build_region
from jiliang.registry.models import Instrument
from jiliang.traceability.demo import build_history
from tests.platform.crawl import crawl

pytestmark = pytest.mark.django_db
ROLES = ["public", *(username for _role, username in DEMO_USERS)]
LANGUAGES = ["zh-hans", "en"]


def _translations() -> frozenset[str]:
    return frozenset(
        entry.msgstr
        for po in Path(jiliang.__path__[0]).glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
        for entry in polib.pofile(str(po))
        if entry.msgstr
    )


@pytest.fixture(autouse=True)
def _fresh_dashboard():
    """The dashboard keeps its figures for a minute: none from other tests, none left to them."""
    cache.clear()
    yield
    cache.clear()


def test_every_role_can_open_every_page_it_is_shown_in_both_languages():
    build_region(seed=7, scale=0.01, instruments=300)
    build_history(2_000, seed=1)
    translations = _translations()
    # What a user types rather than clicks: a serial number and a certificate number.
    serial = Instrument.objects.order_by("pk").values_list("serial_number", flat=True).first()
    number = Record.objects.order_by("pk").values_list("certificate_number", flat=True).first()
    start = ("/", "/registry/", f"/portal/?serial_number={serial}", f"/certificates/verify/{number}/")
    problems: dict[str, dict[str, list[str]]] = {}
    for username in ROLES:
        for language in LANGUAGES:
            client = Client(raise_request_exception=False)
            if username != "public":
                client.login(username=username, password="jiliang-demo")
            client.post("/i18n/setlang/", {"language": language, "next": "/"})
            result = crawl(
                client,
                language=language,
                start=start,
                budget=250,
                translations=translations,
            )
            found = result.failures(slow=float("inf"))  # speed is measured in bench/, not here
            if username == "public":  # the dashboard's cards say "log in to see the records behind them"
                found["sent to log in"] = [
                    e for e in found["sent to log in"] if not e.endswith("(from /registry/)")
                ]
            found = {k: v for k, v in found.items() if v}
            assert len(result.pages) > 60, f"{username}/{language}: only {len(result.pages)} pages"
            if found:
                problems[f"{username}/{language}"] = found
    assert not problems, problems
