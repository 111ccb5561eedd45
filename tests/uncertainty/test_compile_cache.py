"""The compiled model (parse, unit check, derivatives, generated code) is cached by model text."""

from __future__ import annotations

import pytest

from jiliang.errors import InvalidInput
from jiliang.uncertainty.evaluate import evaluate_mapping
from jiliang.uncertainty.model import parse_model
from jiliang.uncertainty.problem import clear_caches, gradient_function, value_function

H1 = {
    "model": "l = l_s + d - l_s*(delta_alpha*theta + alpha_s*delta_theta)",
    "inputs": {
        "l_s": {
            "distribution": "normal",
            "estimate": 50000623,
            "std_uncertainty": 25,
            "dof": 18,
            "unit": "nm",
        },
        "d": {"distribution": "normal", "estimate": 215, "std_uncertainty": 9.7, "dof": 25.6, "unit": "nm"},
        "alpha_s": {"distribution": "normal", "estimate": 11.5e-6, "std_uncertainty": 1.2e-6, "unit": "1/K"},
        "theta": {"distribution": "normal", "estimate": -0.1, "std_uncertainty": 0.41, "unit": "K"},
        "delta_alpha": {
            "distribution": "normal",
            "estimate": 0,
            "std_uncertainty": 0.58e-6,
            "dof": 50,
            "unit": "1/K",
        },
        "delta_theta": {
            "distribution": "normal",
            "estimate": 0,
            "std_uncertainty": 0.029,
            "dof": 2,
            "unit": "K",
        },
    },
}


def test_the_same_text_parses_once():
    clear_caches()
    first = parse_model("y = a*b + c")
    assert parse_model("y = a*b + c") is first
    assert parse_model(["y = a*b + c"]) is not first  # a list names its items model[0]...
    clear_caches()
    assert parse_model("y = a*b + c") is not first


def test_cached_and_cold_evaluations_agree():
    clear_caches()
    cold = evaluate_mapping(H1, method="gum")
    hits = value_function.cache_info().hits, gradient_function.cache_info().hits
    warm = evaluate_mapping(H1, method="gum")
    assert value_function.cache_info().hits > hits[0]
    assert gradient_function.cache_info().hits > hits[1]
    assert warm == cold
    gum = warm.output("l").gum
    assert (
        gum is not None
        and round(gum.standard_uncertainty) == 32
        and gum.coverage_factor == pytest.approx(2.12, abs=0.005)
    )


def test_errors_are_not_cached():
    bad = H1 | {"model": "l = l_s + theta"}  # nm + K
    for _ in range(2):
        with pytest.raises(InvalidInput) as info:
            evaluate_mapping(bad, method="gum")
        assert info.value.field == "model" and "unit" in info.value.reason
    with pytest.raises(InvalidInput) as info:
        parse_model(["y = a", 3])  # type: ignore[list-item]
    assert info.value.field == "model[1]"
