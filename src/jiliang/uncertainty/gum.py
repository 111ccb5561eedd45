"""The GUM method (JCGM 100:2008): law of propagation of uncertainty with symbolic sensitivities.

Implements the budget (5.1.3), correlated inputs (5.2.2), several outputs with their covariances
(7.2.5, H.2), optional second-order terms for nonlinear models (5.1.2 note), the
Welch–Satterthwaite effective degrees of freedom (G.4.1) and the coverage factor from the
t-distribution with ν_eff truncated to the next lower integer (G.6.4).
"""

from __future__ import annotations

import math

import numpy as np
import sympy
from scipy import special

from jiliang.errors import InvalidInput
from jiliang.uncertainty.problem import Compiled, CompiledOutput
from jiliang.uncertainty.results import BudgetRow, GumResult


def coverage_factor(p: float, dof: float) -> float:
    """k_p = t_p(ν_eff) with ν_eff truncated to the next lower integer (GUM G.6.4); normal if ν = ∞."""
    if not 0.0 < p < 1.0:
        raise InvalidInput("coverage_probability", f"must lie strictly between 0 and 1, not {p}")
    # scipy.special's quantiles: the same values as scipy.stats' t.ppf without its per-call overhead
    if math.isinf(dof):
        return float(special.ndtri((1 + p) / 2))
    return float(special.stdtrit(max(1, math.floor(dof)), (1 + p) / 2))


def welch_satterthwaite(contributions: np.ndarray, dofs: np.ndarray, uc: float) -> float:
    """ν_eff = u_c⁴ / Σ u_i(y)⁴ / ν_i (GUM G.2b), unrounded; ∞ when every ν_i is ∞."""
    finite = np.isfinite(dofs) & (contributions != 0)
    denominator = float(np.sum(contributions[finite] ** 4 / dofs[finite]))
    return math.inf if denominator == 0.0 else uc**4 / denominator


def effective_dof(compiled: Compiled, contributions: np.ndarray, uc: float) -> float:
    """Welch–Satterthwaite for independent inputs. G.4 assumes independence; with correlated
    inputs the formula can fall below the smallest ν_i, so the smallest ν_i of the contributing
    inputs is reported instead (conservative)."""
    if not compiled.correlated:
        return welch_satterthwaite(contributions, compiled.dofs, uc)
    contributing = compiled.dofs[contributions != 0]
    return float(contributing.min()) if contributing.size else math.inf


def sensitivities(compiled: Compiled) -> np.ndarray:
    """Matrix C (outputs × inputs) of ∂f/∂x_i at the estimates, in base units (GUM 5.1.3)."""
    rows = [o.check_gradient(compiled.means) for o in compiled.outputs]
    return np.array(rows, dtype=float).reshape(len(compiled.outputs), len(compiled.names))


def output_covariance(compiled: Compiled) -> np.ndarray:
    """U_y = C U_x Cᵀ (GUM 7.2.5 / JCGM 102 6.2.1.3), in base units."""
    c = sensitivities(compiled)
    ux = compiled.correlation * np.outer(compiled.stds, compiled.stds)
    return np.asarray(c @ ux @ c.T)


def second_order_variance(compiled: Compiled, out: CompiledOutput) -> float:
    """Σ_i Σ_j [½(∂²f/∂x_i∂x_j)² + ∂f/∂x_i · ∂³f/∂x_i∂x_j²] u²(x_i) u²(x_j) (GUM 5.1.2 note).

    The note assumes uncorrelated inputs with symmetric distributions.
    """
    if compiled.correlated:
        raise InvalidInput("second_order", "second-order terms need uncorrelated inputs (GUM 5.1.2 note)")
    syms, values = compiled.symbols, dict(zip(compiled.symbols, compiled.means, strict=True))
    var = compiled.stds**2
    total = 0.0
    for i, si in enumerate(syms):
        if var[i] == 0 or si not in out.expr.free_symbols:
            continue
        d1 = sympy.diff(out.expr, si)
        for j, sj in enumerate(syms):
            if var[j] == 0 or sj not in out.expr.free_symbols:
                continue
            d2 = sympy.diff(d1, sj)
            d3 = sympy.diff(d1, sj, 2)
            term = 0.5 * _at(d2, values) ** 2 + _at(d1, values) * _at(d3, values)
            total += term * var[i] * var[j]
    return total


def _at(expr: sympy.Expr, values: dict[sympy.Symbol, float]) -> float:
    return float(expr.xreplace({s: sympy.Float(v) for s, v in values.items()}).evalf())


def evaluate_gum(
    compiled: Compiled,
    *,
    coverage_probability: float | None = None,
    k: float | None = None,
    second_order: bool = False,
) -> tuple[tuple[GumResult, ...], np.ndarray]:
    """GUM results for every output and the output correlation matrix (GUM H.2.4)."""
    problem = compiled.problem
    p = problem.coverage_probability if coverage_probability is None else coverage_probability
    k = problem.coverage_factor if k is None else k
    c = sensitivities(compiled)
    cov = output_covariance(compiled)
    results = []
    for n, out in enumerate(compiled.outputs):
        variance = float(cov[n, n])
        first = math.sqrt(max(variance, 0.0))
        if second_order:
            variance += second_order_variance(compiled, out)
        results.append(
            _one_output(compiled, out, c[n], first, math.sqrt(max(variance, 0.0)), p, k, second_order)
        )
    sd = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    with np.errstate(all="ignore"):
        corr = np.where(np.outer(sd, sd) > 0, cov / np.outer(sd, sd), 0.0)
    return tuple(results), corr


def _one_output(
    compiled: Compiled,
    out: CompiledOutput,
    c: np.ndarray,
    first: float,
    uc: float,
    p: float,
    k: float | None,
    second_order: bool,
) -> GumResult:
    contributions = c * compiled.stds  # base units of the output
    dof = effective_dof(compiled, contributions, uc)
    factor = coverage_factor(p, dof) if k is None else k
    with np.errstate(all="ignore"):
        y = float(np.asarray(out.value(*compiled.means), dtype=float))
    s = out.scale
    budget = _budget(compiled, c, contributions, s)
    u, big_u = uc / s, factor * uc / s
    return GumResult(
        estimate=y / s,
        standard_uncertainty=u,
        effective_dof=dof,
        coverage_factor=factor,
        expanded_uncertainty=big_u,
        coverage_interval=(y / s - big_u, y / s + big_u),
        coverage_probability=p,
        budget=budget,
        first_order_uncertainty=first / s,
        second_order=second_order,
    )


def _budget(
    compiled: Compiled, c: np.ndarray, contributions: np.ndarray, out_scale: float
) -> tuple[BudgetRow, ...]:
    squares = contributions**2
    total = float(squares.sum())
    rows = []
    for i, q in enumerate(compiled.problem.inputs):
        scale = compiled.scales[i]
        rows.append(
            BudgetRow(
                input=q.name,
                unit=q.unit,
                distribution=type(q.distribution).__name__,
                estimate=float(compiled.means[i] / scale),
                standard_uncertainty=float(compiled.stds[i] / scale),
                sensitivity_coefficient=float(c[i] * scale / out_scale) + 0.0,  # no "-0"
                contribution=float(contributions[i] / out_scale) + 0.0,
                percent=100.0 * float(squares[i]) / total if total > 0 else 0.0,
                dof=float(compiled.dofs[i]),
            )
        )
    return tuple(rows)


def gum_batch(compiled: Compiled, estimates: np.ndarray, output: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised first-order GUM for many sets of input estimates at once.

    ``estimates`` has shape (inputs, N) in the inputs' own units; the standard uncertainties and
    correlations are those of the problem. Returns (y, u_c) arrays in the output unit.
    """
    out = compiled.outputs[output]
    x = np.asarray(estimates, dtype=float) * compiled.scales[:, None]
    with np.errstate(all="ignore"):
        y = np.broadcast_to(out.value(*x), x.shape[1:])
        grads = np.array([np.broadcast_to(g, x.shape[1:]) for g in out.gradient(*x)])
    weighted = grads * compiled.stds[:, None]
    if compiled.correlated:
        variance = np.einsum("in,ij,jn->n", weighted, compiled.correlation, weighted)
    else:
        variance = np.einsum("in,in->n", weighted, weighted)
    return y / out.scale, np.sqrt(variance) / out.scale
