"""A measurement problem (model, input quantities, constants, correlations) compiled for evaluation.

Compilation checks everything before any number is propagated: every symbol is defined, units
are dimensionally consistent (adding nm to K fails), the correlation matrix is a valid one and the
model is finite at the estimates. Computation runs in coherent SI base units so that inputs given
in mm and nm combine correctly; results are reported in the output's unit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pint
import sympy

from jiliang.errors import InvalidInput
from jiliang.uncertainty.distributions import Distribution
from jiliang.uncertainty.model import Model, _parse, symbol
from jiliang.units import parse_unit, to_base, ureg


@dataclass(frozen=True)
class InputQuantity:
    """A named input quantity with its distribution and unit (``""`` = dimensionless)."""

    name: str
    distribution: Distribution
    unit: str = ""


@dataclass(frozen=True)
class Constant:
    value: float
    unit: str = ""


@dataclass(frozen=True)
class Problem:
    """Everything the GUM and Monte Carlo methods need, validated field by field by ``modelfile``."""

    model: Model
    inputs: tuple[InputQuantity, ...]
    constants: Mapping[str, Constant] = field(default_factory=dict)
    correlations: tuple[tuple[str, str, float], ...] = ()
    coverage_probability: float = 0.95
    coverage_factor: float | None = None
    title: str = ""


# Named SI units tried (in order) for an output whose dimension matches no input unit.
DERIVED_UNITS: tuple[str, ...] = ("m", "kg", "s", "A", "K", "mol", "cd", "Hz", "N", "Pa", "J", "W", "C", "V")
DERIVED_UNITS += ("F", "ohm", "S", "Wb", "T", "H", "m^2", "m^3", "m/s", "m/s^2", "kg/m^3")


def unit_scale(unit: str, where: str = "unit") -> float:
    """Factor from ``unit`` to its coherent SI base unit. Inputs and constants are scaled as
    differences (:meth:`jiliang.units.BaseConversion.difference`): degC scales like K, never
    shifted by 273.15 (docs/uncertainty.md, "Units")."""
    return to_base(unit, where).scale


@lru_cache(maxsize=512)
def _base_units(unit: str) -> pint.Unit:
    return ureg.Unit(ureg.get_base_units(parse_unit(unit))[1])


@dataclass(frozen=True)
class CompiledOutput:
    name: str
    expr: sympy.Expr
    unit: str
    scale: float  # output unit -> base unit
    value: Callable[..., np.ndarray]
    symbols: tuple[sympy.Symbol, ...]

    def value_in_units(self, scales: tuple[float, ...]) -> Callable[..., np.ndarray]:
        """The model value in the output's unit as a function of the inputs in their own units.

        ``scales`` are the inputs' factors to base units. Monte Carlo draws and evaluates in the
        inputs' own units with this function, so no trial is scaled to base units and back: the
        factors are folded into the expression exactly (as rationals) and sympy cancels them where
        the units are consistent (GUM H.1 in nm and K gives back the model as written).
        """
        return unit_value_function(self.expr, self.symbols, scales, self.scale)

    @property
    def gradient(self) -> Callable[..., list[np.ndarray]]:
        """∂f/∂x_i for every input, built on first use (Monte Carlo alone never needs it)."""
        return gradient_function(self.expr, self.symbols)

    def check_gradient(self, means: np.ndarray) -> np.ndarray:
        with np.errstate(all="ignore"):
            c = np.asarray(self.gradient(*means), dtype=float)
        if not np.all(np.isfinite(c)):
            raise InvalidInput(
                "model",
                f"{self.name!r} has no finite sensitivity coefficients at the input estimates "
                "(division by zero or a domain error)",
            )
        return c


@dataclass(frozen=True)
class Compiled:
    """A checked problem ready for numbers: arrays are in SI base units."""

    problem: Problem
    names: tuple[str, ...]
    symbols: tuple[sympy.Symbol, ...]
    scales: np.ndarray
    means: np.ndarray
    stds: np.ndarray
    dofs: np.ndarray
    correlation: np.ndarray
    outputs: tuple[CompiledOutput, ...]

    @property
    def correlated(self) -> bool:
        return bool(np.any(self.correlation != np.eye(len(self.names))))

    @cached_property
    def linked(self) -> np.ndarray:
        """Which inputs are correlated with another input (drawn through the copula)."""
        return np.asarray(np.any(self.correlation != np.eye(len(self.names)), axis=1))

    @cached_property
    def copula_factor(self) -> np.ndarray:
        """A factor L with L Lᵀ = R restricted to the :attr:`linked` inputs (uncorrelated inputs
        need no copula), valid also for a semi-definite R (e.g. r = 1)."""
        rows = np.flatnonzero(self.linked)
        values, vectors = np.linalg.eigh(self.correlation[np.ix_(rows, rows)])
        return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)))


def compile_problem(problem: Problem) -> Compiled:
    """Check and prepare ``problem`` (GUM 4.1 model, 5.2 correlations) for evaluation."""
    given = {q.name: q for q in problem.inputs}
    for name in problem.model.inputs:
        if name not in given and name not in problem.constants:
            raise InvalidInput("model", f"undefined symbol {name!r}: add it to inputs or constants")
    names = tuple(q.name for q in problem.inputs)
    symbols = tuple(symbol(n) for n in names)
    scales = np.array([unit_scale(q.unit, f"inputs.{q.name}.unit") for q in problem.inputs])
    means = np.array([q.distribution.mean for q in problem.inputs]) * scales
    stds = np.array([q.distribution.std for q in problem.inputs]) * scales
    dofs = np.array([q.distribution.dof for q in problem.inputs], dtype=float)
    substitutions = {
        symbol(n): sympy.Float(c.value * unit_scale(c.unit, f"constants.{n}.unit"))
        for n, c in problem.constants.items()
    }
    outputs = tuple(
        _compile_output(name, expr, substitutions, problem, symbols) for name, expr in problem.model.outputs
    )
    compiled = Compiled(
        problem, names, symbols, scales, means, stds, dofs, correlation_matrix(problem), outputs
    )
    _check_finite(compiled)
    return compiled


def _compile_output(
    name: str,
    expr: sympy.Expr,
    substitutions: dict[sympy.Symbol, sympy.Float],
    problem: Problem,
    symbols: tuple[sympy.Symbol, ...],
) -> CompiledOutput:
    unit = output_unit(name, expr, problem)  # constants still carry their units here
    expr = expr.xreplace(substitutions)
    return CompiledOutput(name, expr, unit, unit_scale(unit), value_function(expr, symbols), symbols)


# Compiled code is a pure function of the (immutable) sympy expression and symbols, so it is
# cached: repeated evaluations of one model (web page, API, batches) skip printing and compiling.
# ``cse`` prints shared subexpressions once; no ``simplify`` (slow, and it can change the domain).


@lru_cache(maxsize=256)
def value_function(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]) -> Callable[..., np.ndarray]:
    """The model value as a numpy function of the inputs (GUM 4.1.1 f)."""
    return sympy.lambdify(symbols, expr, modules="numpy", dummify=False, cse=True)


def _exact(factor: float) -> sympy.Rational:
    """A unit factor as the rational its shortest decimal writes (1e-09 -> 1/1000000000)."""
    return sympy.Rational(repr(factor))


def expression_in_units(
    expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...], scales: tuple[float, ...], out_scale: float
) -> sympy.Expr:
    """f(s·x)/s_out: the model on inputs in their own units, in the output's unit. The factors are
    exact rationals, so sympy cancels them where the units are consistent."""
    own = expr.xreplace({sym: _exact(s) * sym for sym, s in zip(symbols, scales, strict=True) if s != 1.0})
    return own / _exact(out_scale) if out_scale != 1.0 else own


@lru_cache(maxsize=256)
def unit_value_function(
    expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...], scales: tuple[float, ...], out_scale: float
) -> Callable[..., np.ndarray]:
    """:func:`expression_in_units` as a numpy function."""
    return value_function(expression_in_units(expr, symbols, scales, out_scale), symbols)


@lru_cache(maxsize=256)
def gradient_function(expr: sympy.Expr, symbols: tuple[sympy.Symbol, ...]) -> Callable[..., list[np.ndarray]]:
    """The sensitivity coefficients ∂f/∂x_i (GUM 5.1.3) as one numpy function of the inputs."""
    grads = [sympy.diff(expr, s) for s in symbols]
    return sympy.lambdify(symbols, grads, modules="numpy", dummify=False, cse=True)


def clear_caches() -> None:
    """Forget cached parses and compiled code (a benchmark of a cold evaluation needs this)."""
    for cached in (
        _parse,
        to_base,
        _base_units,
        value_function,
        unit_value_function,
        gradient_function,
        _output_unit,
    ):
        cached.cache_clear()


def output_unit(name: str, expr: sympy.Expr, problem: Problem) -> str:
    """Evaluate the model on pint quantities (GUM 4.1.1) to check dimensions and find the unit.

    The output takes the first input (or constant) unit of the same dimension, else SI base units.
    """
    units = {q.name: q.unit for q in problem.inputs} | {n: c.unit for n, c in problem.constants.items()}
    preferred = [units[n] for n in problem.model.inputs if n in units] + list(units.values())
    return _output_unit(name, expr, tuple(units.items()), tuple(preferred))


@lru_cache(maxsize=256)
def _output_unit(
    name: str, expr: sympy.Expr, unit_items: tuple[tuple[str, str], ...], preferred: tuple[str, ...]
) -> str:
    units = dict(unit_items)
    syms = sorted(expr.free_symbols, key=lambda s: s.name)
    args = [ureg.Quantity(1.0, _base_units(units.get(s.name[1:], ""))) for s in syms]
    try:
        with np.errstate(all="ignore"):
            result = sympy.lambdify(syms, expr, modules="numpy", dummify=False)(*args)
    except pint.DimensionalityError as exc:
        raise InvalidInput("model", f"unit mismatch in {name!r}: {exc}") from None
    except (pint.PintError, TypeError, ValueError) as exc:
        raise InvalidInput("model", f"units cannot be combined in {name!r}: {exc}") from None
    dims = result.dimensionality if isinstance(result, pint.Quantity) else ureg.dimensionless.dimensionality
    if not dims:
        return ""
    for q_unit in preferred:
        if q_unit and parse_unit(q_unit).dimensionality == dims:
            return q_unit
    for derived in DERIVED_UNITS:
        if parse_unit(derived).dimensionality == dims:
            return derived
    return f"{ureg.Quantity(1.0, result.units).to_base_units().units:~}"


def correlation_matrix(problem: Problem) -> np.ndarray:
    """The input correlation matrix (GUM 5.2.2); it must be positive semi-definite."""
    index = {q.name: i for i, q in enumerate(problem.inputs)}
    r = np.eye(len(index))
    for k, (a, b, value) in enumerate(problem.correlations):
        where = f"correlations[{k}]"
        for n in (a, b):
            if n not in index:
                raise InvalidInput(where, f"{n!r} is not an input quantity")
        if a == b:
            raise InvalidInput(where, "an input cannot be correlated with itself")
        if not -1.0 <= value <= 1.0 or not math.isfinite(value):
            raise InvalidInput(where, f"a correlation coefficient must lie in [-1, 1], not {value}")
        r[index[a], index[b]] = r[index[b], index[a]] = value
    if len(index) and np.linalg.eigvalsh(r).min() < -1e-10:
        raise InvalidInput("correlations", "the correlation matrix is not positive semi-definite")
    return r


def _check_finite(compiled: Compiled) -> None:
    """Division by zero or a domain error at the estimates is a model error, found before MC."""
    with np.errstate(all="ignore"):
        for out in compiled.outputs:
            y = np.asarray(out.value(*compiled.means), dtype=float)
            if not np.all(np.isfinite(y)):
                raise InvalidInput(
                    "model",
                    f"{out.name!r} is not finite at the input estimates (division by zero or a domain error)",
                )
