"""The demo region's calibration history (issue 5, item 6), at a small scale: chains from the
national primary standards, a few broken ones, one out-of-tolerance event."""

from __future__ import annotations

import html
import random
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db.models import F

from jiliang.calibration.models import Record, Usage
from jiliang.errors import Conflict
from jiliang.registry.demo import build_region
from jiliang.traceability import queries
from jiliang.traceability.demo import build_history
from jiliang.traceability.models import NonconformingWork, Notification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 26)


def test_demo_history_has_deep_chains_some_broken_and_one_event():
    build_region(seed=7, scale=0.01, today=TODAY, instruments=300)
    history = build_history(6_000, seed=1, today=TODAY)
    assert history.records == Record.objects.count() >= 6_000
    assert NonconformingWork.objects.count() == 1 and Notification.objects.exists()
    instruments = list(Record.objects.filter(instrument__isnull=False).values_list("pk", flat=True))
    chains = [queries.chain(pk) for pk in random.Random(2).sample(instruments, 60)]
    depths = {max(c.levels.values()) + 1 for c in chains}
    assert depths <= {3, 4, 5} and 4 in depths  # instrument, working, (highest,) public certificates
    verdicts = [c.verdict for c in chains]
    assert verdicts.count("traceable") > len(chains) // 2
    late = Usage.objects.filter(
        record__instrument__isnull=False, certificate__valid_until__lt=F("record__calibration_date")
    )
    assert late.exists()
    assert "expired_link" in {r.code for r in queries.chain(late.first().record_id).reasons}
    revoked = Record.objects.get(status="revoked")
    user = Usage.objects.filter(certificate=revoked).first()
    assert "expired_link" in {r.code for r in queries.chain(user.record_id).reasons}
    with pytest.raises(Conflict):
        build_history(100, today=TODAY)


def test_the_demo_event_and_broken_chains_are_reachable_from_the_dashboard(client):
    build_region(seed=7, scale=0.01, today=TODAY, instruments=300)
    build_history(3_000, seed=1, today=TODAY)
    cache.clear()
    client.force_login(get_user_model().objects.create_superuser("root", password="pw-for-tests"))
    page = html.unescape(client.get("/registry/").content.decode())
    work = NonconformingWork.objects.get()
    link = re.search(r'<li class="event"><a href="([^"]+)"', page)
    assert link and f"NCW-{work.pk}" in page
    report = client.get(link.group(1)).content.decode()
    assert f'id="affected-records">{work.report["affected_records"]}<' in report
    chains = re.findall(r'<li class="broken-chain"><a href="(/traceability/chain/\d+/)"', page)
    assert chains and all('data-verdict="broken"' in client.get(url).content.decode() for url in chains)
    cache.clear()
