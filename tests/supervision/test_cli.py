"""``jiliang fleet ...`` end to end: create, import, form lots, notify, sample, results, decide."""

from __future__ import annotations

import json

import pytest

from jiliang.cli.main import main
from jiliang.supervision.models import Meter
from tests import factories

pytestmark = pytest.mark.django_db


def run(capsys, *argv: str) -> tuple[int, object, str]:
    code = main(list(argv))
    out = capsys.readouterr()
    return code, (json.loads(out.out) if out.out.strip().startswith(("{", "[")) else out.out), out.err


def test_fleet_workflow_through_the_cli(tmp_path, capsys):
    owner = factories.institution(kind="enterprise")
    rule = '{"kind": "lq", "extension_years": 4, "limiting_quality": 5.0}'
    code, out, _ = run(
        capsys, "fleet", "create", "grid", "--owner", owner.credit_code, "--rule", rule, "--test-points", "Ib"
    )
    assert code == 0 and out["rule"]["kind"] == "lq"
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "serial_number,meter_type,ratings,manufacturer,model,verification_year\n"
        + "".join(f"E{i:05d},1P,5(60)A,Maker,DDZY,2017\n" for i in range(300)),
        encoding="utf-8",
    )
    assert run(capsys, "fleet", "import", "grid", str(meters))[1]["imported"] == 300
    code, out, _ = run(capsys, "fleet", "lots", "grid", "--form", "--due-year", "2025")
    assert [lot["size"] for lot in out] == [300]
    assert run(capsys, "fleet", "notify", "grid", "1", "--on", "2025-01-02")[0] == 0
    code, drawn, _ = run(capsys, "fleet", "sample", "grid", "1", "--seed", "7", "--start", "2025-02-01")
    assert code == 0 and len(drawn["sample"]) == drawn["plan"]["sample_size"]
    code, undecided, err = run(capsys, "fleet", "decide", "grid", "1", "--on", "2025-05-01")
    assert code == 2 and "no result yet" in err
    results = tmp_path / "results.csv"
    results.write_text(
        "serial_number,test_point,error_percent,mpe_percent\n"
        + "".join(f"{s},Ib,0.3,2.0\n" for s in drawn["sample"]),
        encoding="utf-8",
    )
    assert run(capsys, "fleet", "results", "grid", "1", str(results))[1] == {"recorded": len(drawn["sample"])}
    code, decision, _ = run(capsys, "fleet", "decide", "grid", "1", "--on", "2025-05-01")
    assert (code, decision["outcome"], decision["extension_years"]) == (0, "extend", 4)
    code, found, _ = run(capsys, "fleet", "lookup", "E00010")
    assert found[0]["due_year"] == 2029
    svg = tmp_path / "f.svg"
    code, fc, _ = run(
        capsys, "fleet", "forecast", "grid", "--from", "2024", "--to", "2030", "--svg", str(svg)
    )
    assert fc["without_programme"][1] == 300 and fc["with_programme"][5] == 300
    assert svg.read_text().startswith("<svg")


def test_cli_import_with_a_broken_row_exits_2_and_writes_nothing(tmp_path, capsys):
    owner = factories.institution(kind="enterprise")
    assert run(capsys, "fleet", "create", "g2", "--owner", owner.credit_code)[0] == 0
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "serial_number,meter_type,ratings,manufacturer,model,verification_year\n"
        "A1,1P,5(60)A,M,D,2017\nA2,1P,5(60)A,M,D,\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "--language", "en", "fleet", "import", "g2", str(bad))
    assert code == 2 and "line 3: verification_year: is required" in err
    assert Meter.objects.count() == 0
    assert (
        run(capsys, "fleet", "create", "g3", "--owner", owner.credit_code, "--rule", '{"kind": "vote"}')[0]
        == 2
    )


def test_compulsory_and_risk_through_the_cli(capsys):
    from datetime import date

    owner = factories.institution(kind="enterprise")
    gas = factories.instrument(
        category=factories.category("combustible_gas_detector"),
        owner=owner,
        interval_months=12,
        last_verification=date(2025, 1, 1),
        next_due=date(2026, 1, 1),
    )
    assert run(capsys, "compulsory", "file", str(gas.pk), "--purpose", "safety", "--on", "2025-01-02")[0] == 0
    code, rows, _ = run(capsys, "compulsory", "due", "--today", "2026-06-01")
    assert rows[0]["state"] == "overdue" and rows[0]["days_overdue"] == 151
    assert run(capsys, "compulsory", "remind", "--today", "2026-06-01")[1] == {"queued": 1}
    assert (
        run(capsys, "compulsory", "status", gas.serial_number, "--today", "2026-06-01")[1][0]["state"]
        == "overdue"
    )
    code, ranked, _ = run(capsys, "risk", "rank", "--today", "2026-06-01")
    assert ranked[0]["instrument"] == gas.pk and ranked[0]["factors"][0]["detail"] == "overdue by 151 days"
    code, c, _ = run(
        capsys,
        "risk",
        "campaign",
        "Gas",
        "--size",
        "1",
        "--seed",
        "3",
        "--high-risk",
        "1",
        "--today",
        "2026-06-01",
    )
    assert c["selected"] == [gas.pk]
    code, f, _ = run(
        capsys,
        "risk",
        "finding",
        str(c["campaign"]),
        str(gas.pk),
        "--outcome",
        "overdue",
        "--on",
        "2026-06-02",
    )
    assert code == 2
    assert (
        run(
            capsys,
            "risk",
            "finding",
            str(c["campaign"]),
            str(gas.pk),
            "--outcome",
            "nonconforming",
            "--on",
            "2026-06-02",
            "--rectify-by",
            "2026-06-30",
            "--months",
            "17",
        )[0]
        == 0
    )
    assert run(capsys, "risk", "interval", "combustible_gas_detector")[1]["current_interval_months"] == 12


def test_the_batch_commands_take_a_due_years_lots_at_once(tmp_path, capsys):
    """notify-lots, draw-samples, record-lot-results and decide-lots: one batch service call and
    one audit entry each; lot 2 has one meter out of its MPE, so it is rotated and lot 1 extended."""
    from jiliang.platform.models import AuditEntry

    owner = factories.institution(kind="enterprise")
    rule = '{"kind": "conformity", "extension_years": 4}'
    assert run(capsys, "fleet", "create", "grid", "--owner", owner.credit_code, "--rule", rule,
               "--test-points", "Ib")[0] == 0  # fmt: skip
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "serial_number,meter_type,ratings,manufacturer,model,verification_year\n"
        + "".join(f"E{i:05d},1P,5(60)A,Maker,DDZY,2017\n" for i in range(200))
        + "".join(f"T{i:05d},3P,5(60)A,Maker,DTZY,2017\n" for i in range(30)),
        encoding="utf-8",
    )
    assert run(capsys, "fleet", "import", "grid", str(meters))[0] == 0
    assert [x["size"] for x in run(capsys, "fleet", "lots", "grid", "--form", "--due-year", "2025")[1]] == [
        200,
        30,
    ]
    before = AuditEntry.objects.count()
    code, notified, _ = run(
        capsys, "fleet", "notify-lots", "grid", "1", "2", "--on", "2025-01-02", "--format", "json"
    )
    assert code == 0 and [(x["number"], x["status"]) for x in notified] == [(1, "notified"), (2, "notified")]
    code, drawn, _ = run(capsys, "fleet", "draw-samples", "grid", "1:7", "2:8", "--start", "2025-02-01",
                         "--format", "json")  # fmt: skip
    assert code == 0 and [(x["lot"], x["seed"]) for x in drawn] == [(1, 7), (2, 8)]
    assert all(len(x["sample"]) == x["plan"]["sample_size"] for x in drawn)
    stray = tmp_path / "stray.csv"
    outside = next(f"E{i:05d}" for i in range(200) if f"E{i:05d}" not in drawn[0]["sample"])
    stray.write_text(
        f"serial_number,test_point,error_percent,mpe_percent\n{drawn[0]['sample'][0]},Ib,0.1,2.0\n{outside},Ib,0.1,2.0\n",
        encoding="utf-8",
    )
    code, _, err = run(capsys, "fleet", "record-lot-results", "grid", "1", "2", "--file", str(stray))
    assert code == 2 and f"results[1].serial_number: meter '{outside}' is not in the sample" in err
    assert "no result was recorded" in err
    results = tmp_path / "results.csv"
    samples = drawn[0]["sample"] + drawn[1]["sample"]
    bad = drawn[1]["sample"][0]
    results.write_text(
        "serial_number,test_point,error_percent,mpe_percent\n"
        + "".join(f"{s},Ib,{3.0 if s == bad else 0.3},2.0\n" for s in samples),
        encoding="utf-8",
    )
    code, recorded, _ = run(capsys, "fleet", "record-lot-results", "grid", "1", "2", "--file", str(results),
                            "--format", "json")  # fmt: skip
    assert (code, recorded) == (0, {"lots": [1, 2], "recorded": len(samples)})
    code, text, _ = run(capsys, "fleet", "decide-lots", "grid", "1", "2", "--on", "2025-05-01")
    assert code == 0
    assert text.splitlines() == [
        f"lot 1: extend by 4 years (0 nonconforming of {len(drawn[0]['sample'])})",
        f"lot 2: rotate (1 nonconforming of {len(drawn[1]['sample'])})",
    ]
    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True)[before:])
    assert actions == ["notify", "draw", "record_results", "decide"]


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["draw-samples", "grid", "1:x", "--start", "2025-02-01"], "lots[0]"),
        (["draw-samples", "grid", "1", "--start", "2025-02-01"], "lots[0]"),
        (["notify-lots", "grid", "1", "1", "--on", "2025-01-02"], "lots[1]"),
        (["notify-lots", "grid", "1", "--on", "2025-13-01"], "on"),
    ],
)
def test_batch_commands_refuse_bad_input_naming_the_field_and_write_nothing(tmp_path, capsys, argv, field):
    from jiliang.supervision.models import Lot

    owner = factories.institution(kind="enterprise")
    assert run(capsys, "fleet", "create", "grid", "--owner", owner.credit_code)[0] == 0
    meters = tmp_path / "meters.csv"
    meters.write_text(
        "serial_number,meter_type,ratings,manufacturer,model,verification_year\n"
        + "".join(f"E{i:05d},1P,5(60)A,Maker,DDZY,2017\n" for i in range(20)),
        encoding="utf-8",
    )
    assert run(capsys, "fleet", "import", "grid", str(meters))[0] == 0
    assert run(capsys, "fleet", "lots", "grid", "--form", "--due-year", "2025")[0] == 0
    code, _, err = run(capsys, "fleet", *argv)
    assert code == 2 and f"{field}:" in err, err
    assert list(Lot.objects.values_list("status", flat=True)) == ["formed"]
