"""``jiliang demo`` (issue 2 item 6): builds the region with its figures and one login per role,
then reuses it on the next run."""

import pytest

from jiliang.cli.main import main
from jiliang.registry import models as m

pytestmark = pytest.mark.django_db


def test_demo_builds_prints_logins_then_reuses(capsys):
    assert main(["demo", "--scale", "0.01", "--seed", "5", "--no-serve"]) == 0
    out = capsys.readouterr().out
    for username in ("demo-staff", "demo-approver", "demo-regulator", "demo-admin"):
        assert username in out
    assert "password jiliang-demo" in out and "instruments in service" in out and "1,000" in out
    count = m.Instrument.objects.count()
    assert main(["demo", "--no-serve"]) == 0
    assert "Reusing the demo region" in capsys.readouterr().out
    assert m.Instrument.objects.count() == count
