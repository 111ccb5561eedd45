import json

import pytest

from jiliang.cli.main import main


def run(capsys, *argv):
    code = main(["sampling", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_plan_contract(capsys):
    code, out, _ = run(capsys, "plan", "--lot-size", "2000", "--aql", "1.0", "--format", "json")
    assert code == 0
    assert json.loads(out) == {
        "code_letter": "K",
        "plan_code_letter": "K",
        "sample_size": 125,
        "acceptance_number": 3,
        "rejection_number": 4,
        "inspect_all": False,
    }


def test_plan_follows_arrows_and_inspects_all(capsys):
    code, out, _ = run(
        capsys, "plan", "--lot-size", "5", "--aql", "0.010", "--inspection", "tightened", "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["plan_code_letter"] == "R" and data["inspect_all"] and data["sample_size"] == 5


def test_text_output_is_readable(capsys):
    code, out, _ = run(capsys, "plan", "--lot-size", "2000", "--aql", "1.0", "--level", "III")
    assert code == 0 and "code letter: L" in out and "sample size: 200" in out


@pytest.mark.parametrize(
    ("argv", "field"),
    [
        (["plan", "--lot-size", "0", "--aql", "1.0"], "lot_size"),
        (["plan", "--lot-size", "100", "--aql", "0.3"], "aql"),
        (["oc", "--sample-size", "10", "--acceptance-number", "10"], "acceptance_number"),
        (["lq-plan", "--lot-size", "100", "--lq", "4"], "lq"),
        (["zero-acceptance", "--conforming", "1.2", "--confidence", "0.9"], "conforming_fraction"),
    ],
)
def test_bad_input_exits_2_naming_the_field(capsys, argv, field):
    code, _, err = run(capsys, *argv)
    assert code == 2 and f"invalid input: {field}:" in err


def test_oc_contract_and_svg(capsys, tmp_path):
    svg = tmp_path / "oc.svg"
    code, out, _ = run(
        capsys,
        "oc",
        "--sample-size",
        "20",
        "--acceptance-number",
        "1",
        "--lot-size",
        "200",
        "--svg",
        str(svg),
        "--format",
        "json",
    )
    data = json.loads(out)
    assert code == 0 and set(data) == {"fraction_nonconforming", "probability_of_acceptance"}
    assert data["probability_of_acceptance"][0] == 1.0 and svg.read_text().startswith("<svg")


def test_lq_zero_acceptance_and_variables(capsys):
    _, out, _ = run(capsys, "lq-plan", "--lot-size", "560000", "--lq", "5", "--format", "json")
    data = json.loads(out)
    assert (data["sample_size"], data["acceptance_number"], data["basis"]) == (500, 18, "table")
    _, out, _ = run(
        capsys, "lq-plan", "--lot-size", "560000", "--lq", "5", "--acceptance-number", "0", "--format", "json"
    )
    assert json.loads(out)["acceptance_number"] == 0 and json.loads(out)["basis"] == "computed"
    _, out, _ = run(
        capsys, "zero-acceptance", "--conforming", "0.95", "--confidence", "0.95", "--format", "json"
    )
    assert json.loads(out)["sample_size"] == 59
    _, out, _ = run(
        capsys,
        "variables-plan",
        "--producer-quality",
        "0.01",
        "--consumer-quality",
        "0.05",
        "--format",
        "json",
    )
    assert json.loads(out)["probability_of_acceptance_at_consumer_quality"] <= 0.1 + 1e-9
    _, out, _ = run(
        capsys, "variables-check", "--k", "1.5", "--upper", "11", "10.1", "9.9", "10", "--format", "json"
    )
    assert json.loads(out)["decision"] == "accept"
    values = ["9.2", "10.8", "9.4", "10.6", "10.0", "9.5", "10.5", "9.9", "10.1", "10.0"]
    limits = ["--k", "1.41", "--lower", "9.2", "--upper", "10.8", "--format", "json"]
    _, out, _ = run(capsys, "variables-check", *limits, *values)
    assert json.loads(out)["decision"] == "accept" and json.loads(out)["control"] == "separate"
    _, out, _ = run(capsys, "variables-check", *limits, "--control", "combined", *values)
    data = json.loads(out)
    assert data["decision"] == "reject" and data["estimated_fraction"] > data["maximum_allowable_fraction"]
    code, _, err = run(
        capsys, "variables-check", "--k", "1", "--upper", "11", "--control", "combined", *values
    )
    assert code == 2 and "control" in err


def test_switching_series_from_csv(capsys, tmp_path):
    lots = tmp_path / "lots.csv"
    lots.write_text("lot_size,nonconforming\n2000,4\n2000,0\n2000,5\n2000,2\n")
    code, out, _ = run(capsys, "switching", str(lots), "--aql", "1.0", "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["final_inspection"] == "tightened"
    assert [lot["acceptance_number"] for lot in data["lots"]] == [3, 3, 3, 2]
    lots.write_text("lot_size,nonconforming\n2000,x\n")
    code, _, err = run(capsys, "switching", str(lots), "--aql", "1.0")
    assert code == 2 and "line 2" in err


def test_variables_sigma_method_and_per_limit_k(capsys):
    values = ["9.0", "11.0", "10.0"]  # mean 10, s = 1
    code, out, _ = run(
        capsys, "variables-check", "--sigma", "0.5", "--k", "2", "--upper", "11", *values, "--format", "json"
    )
    data = json.loads(out)
    assert code == 0 and data["method"] == "sigma" and data["decision"] == "accept"
    assert data["standard_deviation"] == 0.5 and data["upper_quality_statistic"] == pytest.approx(2.0)
    _, out, _ = run(capsys, "variables-check", "--k", "2", "--upper", "11", *values, "--format", "json")
    assert json.loads(out)["method"] == "s" and json.loads(out)["decision"] == "reject"
    ten = ["9.2", "10.8", "9.4", "10.6", "10.0", "9.5", "10.5", "9.9", "10.1", "10.0"]
    limits = ["--lower", "9.2", "--upper", "10.8", "--format", "json"]
    _, out, _ = run(capsys, "variables-check", "--k-upper", "1.6", "--k-lower", "1.41", *limits, *ten)
    data = json.loads(out)
    assert data["decision"] == "reject" and data["upper_acceptability_constant"] == 1.6
    assert data["maximum_allowable_fraction_upper"] < data["maximum_allowable_fraction_lower"]
    code, _, err = run(capsys, "variables-check", "--k-upper", "1.6", *limits, *ten)
    assert code == 2 and "k_lower" in err
    code, out, _ = run(
        capsys,
        "variables-plan",
        "--producer-quality",
        "0.01",
        "--consumer-quality",
        "0.05",
        "--sigma-known",
        "--format",
        "json",
    )
    sigma_plan = json.loads(out)
    _, out, _ = run(
        capsys,
        "variables-plan",
        "--producer-quality",
        "0.01",
        "--consumer-quality",
        "0.05",
        "--format",
        "json",
    )
    assert sigma_plan["method"] == "sigma" and sigma_plan["sample_size"] < json.loads(out)["sample_size"]
