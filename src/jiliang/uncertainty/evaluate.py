"""One call from a validated problem to every result: GUM, Monte Carlo and their comparison."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from jiliang.errors import InvalidInput
from jiliang.uncertainty.gum import evaluate_gum
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.monte_carlo import MAX_TRIALS, evaluate_mc, validate
from jiliang.uncertainty.problem import Problem, compile_problem
from jiliang.uncertainty.results import Evaluation, GumResult, MonteCarloResult, OutputResult

Method = Literal["gum", "mc", "both"]


def evaluate(
    problem: Problem,
    *,
    method: Method = "both",
    trials: int | None = None,
    adaptive: bool = False,
    digits: int = 2,
    rng: np.random.Generator | int | None = None,
    coverage_probability: float | None = None,
    coverage_factor: float | None = None,
    second_order: bool = False,
    max_trials: int = MAX_TRIALS,
    threads: int | None = None,
) -> Evaluation:
    """Evaluate ``problem`` by the GUM method, Monte Carlo, or both with the clause-8 validation.

    ``rng`` seeds Monte Carlo; ``threads`` sets how many blocks run at once (results do not depend
    on it, see :func:`jiliang.uncertainty.monte_carlo.simulate`).
    """
    if method not in ("gum", "mc", "both"):
        raise InvalidInput("method", f"must be gum, mc or both, not {method!r}")
    if coverage_probability is not None and not 0.0 < coverage_probability < 1.0:
        raise InvalidInput("coverage_probability", "must lie strictly between 0 and 1")
    if coverage_factor is not None and not coverage_factor > 0:
        raise InvalidInput("coverage_factor", "must be positive")
    compiled = compile_problem(problem)
    gum: tuple[GumResult | None, ...] = (None,) * len(compiled.outputs)
    mc: tuple[MonteCarloResult | None, ...] = (None,) * len(compiled.outputs)
    gum_corr = mc_corr = None
    if method in ("gum", "both"):
        gum, gum_corr = evaluate_gum(
            compiled, coverage_probability=coverage_probability, k=coverage_factor, second_order=second_order
        )
    if method in ("mc", "both"):
        mc, mc_corr = evaluate_mc(
            compiled,
            trials=trials,
            adaptive=adaptive,
            digits=digits,
            rng=rng,
            coverage_probability=coverage_probability,
            max_trials=max_trials,
            threads=threads,
        )
    outputs = tuple(
        OutputResult(
            out.name,
            out.unit,
            g,
            m,
            validate(g, m, digits) if g is not None and m is not None else None,
        )
        for out, g, m in zip(compiled.outputs, gum, mc, strict=True)
    )
    names = [o.name for o in compiled.outputs]
    return Evaluation(problem.title, outputs, _pairs(names, gum_corr), _pairs(names, mc_corr))


def _pairs(names: list[str], corr: np.ndarray | None) -> tuple[tuple[str, str, float], ...]:
    if corr is None:
        return ()
    return tuple(
        (names[i], names[j], float(corr[i, j])) for i in range(len(names)) for j in range(i + 1, len(names))
    )


def evaluate_mapping(data: object, **options: Any) -> Evaluation:
    """Validate a parsed model file (``modelfile.load_problem``) and evaluate it: the one service
    behind the CLI, the API and the web page."""
    return evaluate(load_problem(data), **options)
