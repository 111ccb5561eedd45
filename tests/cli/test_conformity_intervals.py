"""CLI contracts of ``jiliang conformity`` and ``jiliang intervals`` (issue 4, item 4)."""

import json

import numpy as np
import pytest

from jiliang.cli.main import main


def _json(capsys):
    return json.loads(capsys.readouterr().out)


def test_check_json_keys(capsys):
    assert (
        main(
            [
                "conformity",
                "check",
                "--value",
                "9.5",
                "--uncertainty",
                "0.5",
                "--upper",
                "10",
                "--format",
                "json",
            ]
        )
        == 0
    )
    out = _json(capsys)
    assert set(out) == {
        "probability_of_conformity",
        "decision",
        "acceptance_limits",
        "consumer_risk",
        "producer_risk",
    }
    assert out["decision"] == "accept" and out["acceptance_limits"] == [None, 10.0]


def test_check_nonbinary(capsys):
    args = ["conformity", "check", "--value", "10.5", "--uncertainty", "0.5", "--lower", "0", "--upper", "10"]
    assert main([*args, "--rule", "nonbinary", "--format", "json"]) == 0
    assert _json(capsys)["decision"] == "conditional fail"


def test_check_from_monte_carlo_draws(tmp_path, capsys):
    path = tmp_path / "draws.npy"
    np.save(path, np.random.default_rng(1).normal(5.0, 0.1, 10_000))
    assert main(["conformity", "check", "--draws", str(path), "--upper", "5.5", "--format", "json"]) == 0
    assert _json(capsys)["probability_of_conformity"] == pytest.approx(1.0, abs=1e-3)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--value", "1", "--uncertainty", "0", "--upper", "2"], "uncertainty"),
        (["--value", "1", "--uncertainty", "0.1", "--lower", "3", "--upper", "2"], "tolerance.lower"),
        (["--value", "1", "--uncertainty", "0.1"], "tolerance"),
        (["--value", "1", "--uncertainty", "0.1", "--upper", "2", "--rule", "odd"], "rule"),
    ],
)
def test_check_bad_input_exits_2_naming_the_field(args, field, capsys):
    assert main(["conformity", "check", *args]) == 2
    assert f"{field}:" in capsys.readouterr().err


def test_risk_json_keys(capsys):
    args = ["conformity", "risk", "--process-mean", "0", "--process-std", "1", "--measurement-std", "0.25"]
    assert (
        main([*args, "--lower", "-2", "--upper", "2", "--target-consumer-risk", "0.001", "--format", "json"])
        == 0
    )
    out = _json(capsys)
    assert {"global_consumer_risk", "global_producer_risk", "guard_band", "acceptance_limits"} <= set(out)
    assert out["global_consumer_risk"] == pytest.approx(0.001, rel=1e-6)


def test_risk_gamma_and_bad_input(capsys):
    args = ["conformity", "risk", "--process-mean", "3", "--process-std", "1", "--upper", "5"]
    assert main([*args, "--measurement-std", "0.2", "--process-distribution", "gamma"]) == 0
    capsys.readouterr()
    assert main([*args, "--measurement-std", "-1"]) == 2
    assert "measurement_std" in capsys.readouterr().err


def _csv(tmp_path, lines):
    path = tmp_path / "history.csv"
    path.write_text("instrument,date,interval,in_tolerance\n" + "\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_intervals_recommend_json_keys(tmp_path, capsys):
    rows = [
        f"G{i},2024-01-{1 + i % 28:02d},{180 + 30 * (i % 4)},{'out' if i % 7 == 0 else 'in'}"
        for i in range(60)
    ]
    for method in ("mle", "interval-test"):
        assert (
            main(["intervals", "recommend", _csv(tmp_path, rows), "--method", method, "--format", "json"])
            == 0
        )
        out = _json(capsys)
        keys = {
            "recommended_interval",
            "unit",
            "method",
            "observed_reliability",
            "target_reliability",
            "confidence_bounds",
        }
        assert keys <= set(out) and out["method"] == method and out["target_reliability"] == 0.9


def test_intervals_staircase(tmp_path, capsys):
    path = _csv(tmp_path, ["A,2023-01-01,365,in", "A,2024-01-01,365,out"])
    assert main(["intervals", "recommend", path, "--method", "staircase", "--format", "json"]) == 0
    assert _json(capsys)["recommended_interval"] < 365


@pytest.mark.parametrize(
    ("lines", "extra", "field"),
    [
        (["A,,100,in", "A,,200,in"], [], "history.in_tolerance"),
        (["A,,100,in", "A,,200,out"], ["--target", "1.5"], "target"),
        (["A,,-1,in"], [], "line 2: interval"),
    ],
)
def test_intervals_bad_input_exits_2(tmp_path, capsys, lines, extra, field):
    assert main(["intervals", "recommend", _csv(tmp_path, lines), *extra]) == 2
    assert f"{field}:" in capsys.readouterr().err


def test_missing_history_file(capsys):
    assert main(["intervals", "recommend", "/nonexistent/history.csv"]) == 2
    assert "history:" in capsys.readouterr().err
