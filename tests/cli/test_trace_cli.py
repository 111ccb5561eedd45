"""``jiliang trace chain`` and ``jiliang trace impact`` (issue 5, item 5): JSON contracts and exit codes."""

from __future__ import annotations

import json

import pytest

from jiliang.cli.main import main
from jiliang.traceability.models import NonconformingWork, Notification
from tests.traceability.ladders import ladder

pytestmark = pytest.mark.django_db


def test_trace_chain_json(capsys):
    lad = ladder(2)
    assert main(["trace", "chain", lad.record.certificate_number, "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["verdict"] == "traceable"
    assert data["root"] == lad.record.certificate_number
    assert len(data["nodes"]) == 3
    assert {"from", "to", "standard", "certificate", "issuer", "valid_from", "valid_until", "used_on"} <= set(
        data["links"][0]
    )


def test_trace_chain_unknown_certificate_exits_1(capsys):
    assert main(["trace", "chain", "NOPE"]) == 1
    assert "no certificate numbered NOPE" in capsys.readouterr().err


def test_trace_impact_json_and_nonconforming_work(capsys):
    lad = ladder(2, measured="109.8")
    argv = ["trace", "impact", str(lad.standards[0].pk), "--since", "2024-12-01", "--until", "2025-06-30",
            "--error", "0.5", "--unit", "µm", "--range", "0:20", "--format", "json", "--open-work"]  # fmt: skip
    assert main(argv) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["affected_results"] == 2 and data["max_depth"] == 2
    assert data["changed_decisions"] == 1
    assert data["range"] == [0.0, 20.0]
    assert NonconformingWork.objects.count() == 1 and Notification.objects.count() >= 1


def test_trace_impact_csv(capsys):
    lad = ladder(1)
    assert (
        main(["trace", "impact", str(lad.standards[0].pk), "--since", "2024-12-01", "--format", "csv"]) == 0
    )
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("certificate_number,") and len(lines) == 2


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["--since", "2024-13-01"], "since"),
        (["--since", "2024-01-01", "--error", "x"], "error"),
        (["--since", "2024-01-01", "--error", "1", "--range", "5"], "range"),
        (["--since", "2024-01-01", "--range", "1:5"], "range"),
        (["--since", "2024-01-01", "--until", "2023-01-01"], "until"),
    ],
)
def test_trace_impact_bad_input_exits_2(capsys, argv, field):
    lad = ladder(1)
    assert main(["trace", "impact", str(lad.standards[0].pk), *argv]) == 2
    assert field in capsys.readouterr().err


def test_trace_impact_unknown_standard_exits_1(capsys):
    assert main(["trace", "impact", "999999", "--since", "2024-01-01"]) == 1
