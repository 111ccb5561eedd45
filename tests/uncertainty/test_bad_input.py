"""Issue 3 item 9: every bad input gets an InvalidInput naming the field, and nothing is evaluated."""

from __future__ import annotations

import pytest

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.uncertainty.evaluate import evaluate
from jiliang.uncertainty.model import parse_model
from jiliang.uncertainty.modelfile import MAX_MODEL_BYTES, check_size, load_problem


def base(**changes):
    data = {
        "model": "y = a + b",
        "inputs": {
            "a": {"distribution": "normal", "estimate": 1.0, "std_uncertainty": 0.1},
            "b": {"distribution": "rectangular", "estimate": 2.0, "half_width": 0.5},
        },
    }
    data.update(changes)
    return data


def run(data):
    return evaluate(load_problem(data), method="both", trials=1000, rng=1)


def error_of(data) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        run(data)
    return info.value


def test_undefined_symbol_names_the_model():
    err = error_of(base(model="y = a + b + c"))
    assert err.field == "model" and "'c'" in err.reason


def test_unknown_distribution():
    data = base()
    data["inputs"]["a"]["distribution"] = "lognormal"
    err = error_of(data)
    assert err.field == "inputs.a.distribution" and "lognormal" in err.reason


def test_unknown_parameter():
    data = base()
    data["inputs"]["a"]["sigma"] = 1
    assert error_of(data).field == "inputs.a.sigma"


def test_missing_parameter_says_what_is_expected():
    data = base()
    del data["inputs"]["a"]["std_uncertainty"]
    err = error_of(data)
    assert err.field == "inputs.a" and "std_uncertainty" in err.reason


def test_negative_uncertainty():
    data = base()
    data["inputs"]["a"]["std_uncertainty"] = -0.1
    err = error_of(data)
    assert err.field == "inputs.a.std_uncertainty" and "negative" in err.reason


@pytest.mark.parametrize("dof", [0, -3])
def test_non_positive_dof(dof):
    data = base()
    data["inputs"]["a"]["dof"] = dof
    assert error_of(data).field == "inputs.a.dof"


def test_correlation_outside_minus_one_one():
    err = error_of(base(correlations=[["a", "b", 1.5]]))
    assert err.field == "correlations[0]" and "[-1, 1]" in err.reason


def test_correlation_matrix_not_positive_definite():
    data = base(model="y = a + b + c")
    data["inputs"]["c"] = {"distribution": "normal", "estimate": 0.0, "std_uncertainty": 1.0}
    data["correlations"] = [["a", "b", 0.9], ["a", "c", 0.9], ["b", "c", -0.9]]
    err = error_of(data)
    assert err.field == "correlations" and "positive" in err.reason


def test_division_by_zero_at_the_estimate():
    data = base(model="y = a / (b - 2)")
    err = error_of(data)
    assert err.field == "model" and "division by zero" in err.reason


def test_unit_mismatch_adding_nm_to_kelvin():
    data = base()
    data["inputs"]["a"]["unit"] = "nm"
    data["inputs"]["b"]["unit"] = "K"
    err = error_of(data)
    assert err.field == "model" and "unit" in err.reason


@pytest.mark.parametrize(
    "expression",
    [
        "y = __import__('os').system('x')",
        "y = a.__class__",
        "y = [a for a in b]",
        "y = lambda: a",
        "y = open('x')",
        "y = 'text'",
        "y = a if b else 1",
        "y = exp(a, b)",
    ],
)
def test_python_code_in_the_expression_is_refused(expression, monkeypatch):
    import builtins

    def forbidden(*args, **kwargs):  # nothing may be evaluated as Python
        raise AssertionError("eval was called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    with pytest.raises(InvalidInput) as info:
        parse_model(expression)
    assert info.value.field == "model"


def test_a_ten_megabyte_model_is_refused_before_parsing():
    text = "title: big\n" + "#" * (10 * 1024 * 1024)
    with pytest.raises(InvalidInput) as info:
        check_size(text)
    assert info.value.field == "model_file" and str(MAX_MODEL_BYTES) in info.value.reason


def test_expression_complexity_is_limited():
    with pytest.raises(InvalidInput, match="too complex|longer than"):
        parse_model("y = " + "+".join(["a"] * 3000))
    with pytest.raises(InvalidInput, match="too complex|nested"):
        parse_model("y = " + "sqrt(" * 60 + "a" + ")" * 60)


def test_several_errors_are_reported_together():
    data = base()
    data["inputs"]["a"]["std_uncertainty"] = -1
    data["inputs"]["b"]["distribution"] = "nope"
    with pytest.raises(InvalidInputs) as info:
        load_problem(data)
    assert {e.field for e in info.value.errors} == {"inputs.a.std_uncertainty", "inputs.b.distribution"}


def test_unknown_top_level_key():
    assert error_of(base(modle="y = a")).field == "modle"


def test_power_with_caret_and_builtin_constants():
    model = parse_model("y = a^2 + pi*e")
    ((_, expr),) = model.outputs
    assert model.inputs == ("a",)
    assert str(expr).startswith("_a**2")


def test_infinite_sensitivity_at_the_estimate_stops_the_gum_method():
    data = base(model="y = sqrt(a - 1) + b")
    with pytest.raises(InvalidInput) as info:
        evaluate(load_problem(data), method="gum")
    assert info.value.field == "model" and "sensitivity" in info.value.reason


def test_deep_unary_nesting_is_an_input_error_not_a_crash():
    with pytest.raises(InvalidInput):
        parse_model("y = " + "-" * 4990 + "a")


def test_an_input_named_like_an_output():
    data = base()
    data["inputs"]["y"] = {"distribution": "normal", "estimate": 0.0, "std_uncertainty": 1.0}
    assert error_of(data).field == "inputs.y"


def test_quantity_names_that_look_like_modules_are_just_names():
    names = ["numpy", "math", "builtins", "lambdifygenerated", "select", "Float"]
    spec = {"distribution": "normal", "estimate": 1.0, "std_uncertainty": 0.1}
    data = {"model": "y = " + " + ".join(names), "inputs": {n: dict(spec) for n in names}}
    out = evaluate(load_problem(data), trials=2000, rng=1).output("y")
    assert out.gum is not None and out.gum.estimate == 6.0
    assert out.mc is not None and abs(out.mc.estimate - 6.0) < 0.05


def test_second_order_terms_need_uncorrelated_inputs():
    with pytest.raises(InvalidInput) as info:
        evaluate(load_problem(base(correlations=[["a", "b", 0.5]])), method="gum", second_order=True)
    assert info.value.field == "second_order"
