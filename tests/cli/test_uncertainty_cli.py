"""``jiliang uncertainty``: the JSON contract, text and HTML reports, ``fit``, bad input, examples."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from jiliang.cli.main import main

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples" / "uncertainty"
MODEL_FILES = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".yaml", ".json"})


def run_json(capsys, *args):
    assert main(["uncertainty", *args, "--format", "json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_json_output_follows_the_public_contract(capsys):
    data = run_json(capsys, str(EXAMPLES / "end_gauge.yaml"), "--trials", "20000", "--seed", "5")
    assert set(data) == {"outputs", "output_correlations", "mc_output_correlations"}
    l_out = data["outputs"]["l"]
    assert set(l_out) == {"unit", "gum", "mc", "validation"} and l_out["unit"] == "nm"
    assert set(l_out["gum"]) == {
        "estimate", "standard_uncertainty", "effective_dof", "coverage_factor",
        "expanded_uncertainty", "coverage_interval", "budget",
    }  # fmt: skip
    assert set(l_out["gum"]["budget"][0]) == {
        "input", "estimate", "standard_uncertainty", "sensitivity_coefficient", "contribution", "percent", "dof",
    }  # fmt: skip
    assert set(l_out["mc"]) == {
        "estimate", "standard_uncertainty", "coverage_interval", "shortest_coverage_interval", "trials", "seed",
    }  # fmt: skip
    assert set(l_out["validation"]) == {"passed", "d_low", "d_high", "tolerance"}
    assert l_out["mc"]["trials"] == 20000 and l_out["mc"]["seed"] == 5
    assert round(l_out["gum"]["coverage_factor"], 2) == 2.12
    assert l_out["gum"]["budget"][2]["dof"] is None  # infinite dof is null


def test_second_order_flag_adds_to_the_gum_block(capsys):
    data = run_json(capsys, str(EXAMPLES / "end_gauge.yaml"), "--method", "gum", "--second-order")
    gum = data["outputs"]["l"]["gum"]
    assert gum["second_order"] is True and round(gum["standard_uncertainty"]) == 34
    assert round(gum["first_order_standard_uncertainty"]) == 32
    assert "mc" not in data["outputs"]["l"]


def test_fixed_coverage_factor_and_several_outputs(capsys):
    data = run_json(capsys, str(EXAMPLES / "impedance.json"), "--coverage-factor", "2", "--trials", "20000")
    assert data["outputs"]["Z"]["gum"]["coverage_factor"] == 2
    assert [pair[:2] for pair in data["output_correlations"]] == [["R", "X"], ["R", "Z"], ["X", "Z"]]
    assert len(data["mc_output_correlations"]) == 3


def test_text_report_rounds_per_gum_7_2_6(capsys):
    assert main(["uncertainty", str(EXAMPLES / "end_gauge.yaml"), "--method", "gum"]) == 0
    out = capsys.readouterr().out
    assert "l = 50000838 nm, u = 32 nm" in out and "k = 2.12" in out


def test_html_report_has_budget_histogram_and_validation(tmp_path):
    target = tmp_path / "report.html"
    args = [str(EXAMPLES / "mass_calibration.yaml"), "--trials", "50000", "--seed", "1", "--digits", "1"]
    assert main(["uncertainty", *args, "--format", "html", "--output", str(target)]) == 0
    html = target.read_text(encoding="utf-8")
    assert "<table>" in html and "<svg" in html and "clause 8" in html and "not validated" in html


def test_adaptive_run_reports_its_trials(capsys):
    data = run_json(
        capsys, str(EXAMPLES / "ten_kilogram_weight.yaml"), "--adaptive", "--digits", "1", "--seed", "3"
    )
    assert data["outputs"]["m_X"]["mc"]["trials"] % 10000 == 0


@pytest.mark.parametrize("path", MODEL_FILES, ids=lambda p: p.name)
def test_every_shipped_example_runs(path, capsys):
    data = run_json(capsys, str(path), "--trials", "20000", "--seed", "1")
    assert data["outputs"]


def write_csv(tmp_path, text):
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_fit_gum_h3(capsys):
    args = [
        str(EXAMPLES / "thermometer.csv"),
        "--x",
        "reading",
        "--y",
        "correction",
        "--x0",
        "20",
        "--at",
        "30",
    ]
    assert main(["uncertainty", "fit", *args]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {
        "intercept", "slope", "u_intercept", "u_slope", "correlation", "residual_standard_deviation", "dof",
        "prediction",
    }  # fmt: skip
    assert round(data["intercept"], 4) == -0.1712 and data["dof"] == 9
    assert set(data["prediction"]) == {"x", "y", "standard_uncertainty"}
    assert round(data["prediction"]["y"], 4) == -0.1494
    assert round(data["prediction"]["standard_uncertainty"], 4) == 0.0041


def test_weighted_fit_uses_the_stated_uncertainties(tmp_path, capsys):
    path = write_csv(tmp_path, "x,y,u\n0,1.0,0.1\n1,3.1,0.1\n2,4.9,0.2\n3,7.2,0.2\n")
    assert main(["uncertainty", "fit", path, "--x", "x", "--y", "y", "--uy", "u"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["slope"] == pytest.approx(2.0, abs=0.15) and data["prediction"] is None
    # known uncertainties: u²(slope) = Σw / (Σw·Σwx² − (Σwx)²) = 250 / 55625 from (XᵀWX)⁻¹ alone
    assert data["u_slope"] == pytest.approx((250 / 55625) ** 0.5, rel=1e-9)


def test_fit_bad_column_names_it(tmp_path, capsys):
    path = write_csv(tmp_path, "x,y\n1,2\n2,x\n3,4\n")
    assert main(["uncertainty", "fit", path, "--x", "x", "--y", "z"]) == 2
    assert "z" in capsys.readouterr().err
    assert main(["uncertainty", "fit", path, "--x", "x", "--y", "y"]) == 2
    assert "line 3: y" in capsys.readouterr().err


BAD_MODELS = {
    "undefined symbol": (
        "model: 'y = a + q'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: 1}}",
        "model",
    ),
    "unknown distribution": (
        "model: 'y = a'\ninputs: {a: {distribution: cauchy, estimate: 1}}",
        "inputs.a.distribution",
    ),
    "unknown parameter": (
        "model: 'y = a'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: 1, sd: 2}}",
        "inputs.a.sd",
    ),
    "negative uncertainty": (
        "model: 'y = a'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: -1}}",
        "inputs.a.std_uncertainty",
    ),
    "dof zero": (
        "model: 'y = a'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: 1, dof: 0}}",
        "inputs.a.dof",
    ),
    "python code": ("model: \"y = __import__('os').system('x')\"\ninputs: {}", "model"),
    "division by zero": (
        "model: 'y = 1/a'\ninputs: {a: {distribution: normal, estimate: 0, std_uncertainty: 1}}",
        "model",
    ),
    "unit mismatch": (
        "model: 'y = a + b'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: 1, unit: nm},"
        " b: {distribution: normal, estimate: 1, std_uncertainty: 1, unit: K}}",
        "model",
    ),
    "correlation": (
        "model: 'y = a + b'\ninputs: {a: {distribution: normal, estimate: 1, std_uncertainty: 1},"
        " b: {distribution: normal, estimate: 1, std_uncertainty: 1}}\ncorrelations: [[a, b, -1.2]]",
        "correlations[0]",
    ),
    "not yaml": ("model: [unclosed", "model_file"),
}


@pytest.mark.parametrize("case", BAD_MODELS, ids=str)
def test_bad_model_files_exit_2_naming_the_field(case, tmp_path, capsys):
    text, field = BAD_MODELS[case]
    path = tmp_path / "model.yaml"
    path.write_text(text, encoding="utf-8")
    assert main(["uncertainty", str(path), "--trials", "1000"]) == 2
    err = capsys.readouterr().err
    assert f"{field}:" in err


def test_a_ten_megabyte_model_file_is_refused_unread(tmp_path, capsys):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"# " + b"x" * (10 * 1024 * 1024))
    assert main(["uncertainty", str(path)]) == 2
    assert "model_file: the model file is" in capsys.readouterr().err


def test_missing_file_and_bad_flags(capsys):
    assert main(["uncertainty", "/no/such/model.yaml"]) == 2
    assert main(["uncertainty", str(EXAMPLES / "end_gauge.yaml"), "--trials", "10", "--adaptive"]) == 2
    assert main(["uncertainty"]) == 2


def test_threads_change_the_speed_never_the_numbers(capsys):
    """300,000 trials span three Monte Carlo blocks, so 1, 2 and 3 threads really split the work."""
    model = str(EXAMPLES / "end_gauge.yaml")
    runs = [
        run_json(capsys, model, "--method", "mc", "--trials", "300000", "--seed", "8", "--threads", n)
        for n in ("1", "2", "3")
    ]
    assert runs[0] == runs[1] == runs[2]
    assert main(["uncertainty", model, "--threads", "0"]) == 2
    assert "threads: must lie between 1 and" in capsys.readouterr().err
