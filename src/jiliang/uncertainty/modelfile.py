"""The model-file mapping (YAML or JSON, parsed at the edge) validated into a :class:`Problem`.

The shape is a public contract documented in ``docs/uncertainty.md``. Every error names the
field path (``inputs.l_s.std_uncertainty``) and the reason; all errors found are reported together
and nothing is evaluated.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.uncertainty import distributions as d
from jiliang.uncertainty.model import parse_model, valid_name
from jiliang.uncertainty.problem import Constant, InputQuantity, Problem

MAX_MODEL_BYTES = 1_000_000
MAX_INPUTS = 200
TOP_LEVEL = {"title", "model", "models", "constants", "inputs", "correlations"}
TOP_LEVEL |= {"coverage_probability", "coverage_factor", "description"}
COMMON = {"distribution", "dof", "unit", "description"}

# distribution -> accepted parameter sets (the first matching set wins)
PARAMETERS: dict[str, tuple[frozenset[str], ...]] = {
    "normal": (frozenset({"estimate", "std_uncertainty"}),),
    "t": (frozenset({"estimate", "scale"}), frozenset({"estimate", "std_uncertainty"})),
    "rectangular": (frozenset({"estimate", "half_width"}), frozenset({"lower", "upper"})),
    "triangular": (frozenset({"estimate", "half_width"}), frozenset({"lower", "mode", "upper"})),
    "arcsine": (frozenset({"estimate", "half_width"}),),
    "trapezoidal": (frozenset({"lower", "upper", "beta"}),),
    "curvilinear_trapezoid": (frozenset({"estimate", "half_width", "half_width_uncertainty"}),),
    "exponential": (frozenset({"estimate"}),),
    "gamma": (frozenset({"estimate", "std_uncertainty"}),),
}
NON_NEGATIVE = {"std_uncertainty", "scale", "half_width", "half_width_uncertainty"}


def check_size(text: str | bytes, field: str = "model_file") -> None:
    """Refuse a model larger than MAX_MODEL_BYTES before parsing it."""
    size = len(text.encode("utf-8") if isinstance(text, str) else text)
    if size > MAX_MODEL_BYTES:
        raise InvalidInput(field, f"the model file is {size} bytes; the limit is {MAX_MODEL_BYTES} bytes")


def load_problem(data: object) -> Problem:
    """Validate a parsed model file into a :class:`Problem` (see ``docs/uncertainty.md``)."""
    if not isinstance(data, Mapping):
        raise InvalidInput("", "the model file must be a mapping (an object) at the top level")
    errors: list[InvalidInput] = []
    unknown = sorted(set(map(str, data)) - TOP_LEVEL)
    if unknown:
        errors.append(InvalidInput(unknown[0], f"unknown key; allowed: {', '.join(sorted(TOP_LEVEL))}"))
    constants = _collect(errors, lambda: _constants(data.get("constants") or {}))
    inputs = _inputs(data.get("inputs"), errors)
    correlations = _collect(errors, lambda: _correlations(data.get("correlations") or []))
    p = _collect(errors, lambda: _probability(data.get("coverage_probability", 0.95)))
    k = _collect(errors, lambda: _coverage_factor(data.get("coverage_factor")))
    model = _collect(errors, lambda: _model(data, constants or {}))
    for name in set(model.output_names if model else ()) & {q.name for q in inputs or ()}:
        errors.append(InvalidInput(f"inputs.{name}", "is also the name of an output"))
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    title = data.get("title", "")
    assert model is not None and inputs is not None and p is not None
    return Problem(model, tuple(inputs), constants or {}, tuple(correlations or ()), p, k, str(title or ""))


def _collect(errors: list[InvalidInput], fn: Callable[[], Any]) -> Any:
    try:
        return fn()
    except InvalidInputs as exc:
        errors.extend(exc.errors)
    except InvalidInput as exc:
        errors.append(exc)
    return None


def _model(data: Mapping[str, Any], constants: Mapping[str, Constant]) -> Any:
    if ("model" in data) == ("models" in data):
        raise InvalidInput("model", "give exactly one of 'model' (one equation) or 'models' (a list)")
    field = "model" if "model" in data else "models"
    equations = data[field]
    if field == "models" and (not isinstance(equations, list) or not equations):
        raise InvalidInput("models", "must be a non-empty list of equations 'name = expression'")
    if field == "model" and not isinstance(equations, str):
        raise InvalidInput("model", "must be one equation 'name = expression'")
    model = parse_model(equations, field=field)
    clash = set(model.output_names) & set(constants)
    if clash:
        raise InvalidInput(field, f"{sorted(clash)[0]!r} is both an output and a constant")
    return model


def number(value: object, field: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InvalidInput(field, f"must be a number, not {value!r}")
    result = float(value)
    if not math.isfinite(result):
        raise InvalidInput(field, "must be a finite number")
    return result


def _name(name: object, field: str) -> str:
    if not isinstance(name, str) or not valid_name(name) or name in {"pi", "e"}:
        raise InvalidInput(field, f"{name!r} is not a valid quantity name")
    return name


def _unit(value: object, field: str) -> str:
    from jiliang.units import parse_unit

    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidInput(field, "must be a unit string such as 'nm' or '1/K'")
    parse_unit(value, field)
    return value


def _constants(raw: object) -> dict[str, Constant]:
    if not isinstance(raw, Mapping):
        raise InvalidInput("constants", "must be a mapping name -> number or {value, unit}")
    out = {}
    for name, spec in raw.items():
        field = f"constants.{name}"
        _name(name, field)
        if isinstance(spec, Mapping):
            extra = set(spec) - {"value", "unit"}
            if extra or "value" not in spec:
                raise InvalidInput(field, "a constant is a number or {value, unit}")
            out[name] = Constant(
                number(spec["value"], f"{field}.value"), _unit(spec.get("unit"), f"{field}.unit")
            )
        else:
            out[name] = Constant(number(spec, field))
    return out


def _inputs(raw: object, errors: list[InvalidInput]) -> list[InputQuantity] | None:
    if not isinstance(raw, Mapping) or not raw:
        errors.append(InvalidInput("inputs", "must be a non-empty mapping name -> {distribution, ...}"))
        return None
    if len(raw) > MAX_INPUTS:
        errors.append(InvalidInput("inputs", f"at most {MAX_INPUTS} input quantities are allowed"))
        return None
    found = []
    for name, spec in raw.items():
        try:
            found.append(_input(name, spec))
        except InvalidInput as exc:
            errors.append(exc)
    return found


def _input(name: object, spec: object) -> InputQuantity:
    field = f"inputs.{name}"
    _name(name, field)
    if not isinstance(spec, Mapping):
        raise InvalidInput(field, "must be a mapping {distribution, estimate, ...}")
    kind = spec.get("distribution")
    if kind not in PARAMETERS:
        raise InvalidInput(
            f"{field}.distribution", f"unknown distribution {kind!r}; known: {', '.join(PARAMETERS)}"
        )
    given = set(map(str, spec)) - COMMON
    params = next((s for s in PARAMETERS[kind] if s == given), None)
    if params is None:
        unknown = given - set().union(*PARAMETERS[kind])
        if unknown:
            raise InvalidInput(
                f"{field}.{sorted(unknown)[0]}", f"unknown parameter for a {kind} distribution"
            )
        options = " or ".join("{" + ", ".join(sorted(s)) + "}" for s in PARAMETERS[kind])
        raise InvalidInput(
            field, f"a {kind} distribution takes {options}; got {{{', '.join(sorted(given))}}}"
        )
    values = {p: number(spec[p], f"{field}.{p}") for p in params}
    for p in params & NON_NEGATIVE:
        if values[p] < 0:
            raise InvalidInput(f"{field}.{p}", f"must not be negative (got {values[p]})")
    dof = _dof(spec.get("dof"), f"{field}.dof", kind)
    dist = _build(kind, values, dof, field)
    return InputQuantity(str(name), dist, _unit(spec.get("unit"), f"{field}.unit"))


def _dof(value: object, field: str, kind: str) -> float:
    if value is None or value == "inf":
        if kind == "t":
            raise InvalidInput(field, "a t distribution needs its degrees of freedom")
        return math.inf
    dof = number(value, field)
    if dof <= 0:
        raise InvalidInput(field, f"degrees of freedom must be positive (got {dof})")
    return dof


def _build(kind: str, v: dict[str, float], dof: float, field: str) -> d.Distribution:
    if kind == "normal":
        return d.Normal(dof, v["estimate"], v["std_uncertainty"])
    if kind == "t":
        if "scale" in v:
            return d.StudentT(dof, v["estimate"], v["scale"])
        if dof <= 2:
            raise InvalidInput(f"{field}.dof", "a t distribution given by its std_uncertainty needs dof > 2")
        return d.StudentT(
            dof, v["estimate"], v["std_uncertainty"] * math.sqrt((dof - 2) / dof), rescaled=True
        )
    if kind in {"rectangular", "triangular"} and "half_width" in v:
        lo, hi = v["estimate"] - v["half_width"], v["estimate"] + v["half_width"]
        v = {"lower": lo, "upper": hi, "mode": v["estimate"]}
    if kind in {"rectangular", "triangular", "trapezoidal"} and v["lower"] > v["upper"]:
        raise InvalidInput(f"{field}.lower", "must not exceed upper")
    if kind == "rectangular":
        return d.Rectangular(dof, v["lower"], v["upper"])
    if kind == "triangular":
        if not v["lower"] <= v["mode"] <= v["upper"] or v["lower"] == v["upper"]:
            raise InvalidInput(f"{field}.mode", "must lie between lower and upper, which must differ")
        return d.Triangular(dof, v["lower"], v["mode"], v["upper"])
    if kind == "arcsine":
        return d.Arcsine(dof, v["estimate"], v["half_width"])
    if kind == "trapezoidal":
        if not 0.0 <= v["beta"] <= 1.0:
            raise InvalidInput(f"{field}.beta", "the ratio of top to base width must lie in [0, 1]")
        return d.Trapezoidal(dof, v["lower"], v["upper"], v["beta"])
    if kind == "curvilinear_trapezoid":
        if v["half_width_uncertainty"] > v["half_width"]:
            raise InvalidInput(
                f"{field}.half_width_uncertainty", "must not exceed half_width (JCGM 101 6.4.3)"
            )
        return d.CurvilinearTrapezoid(dof, v["estimate"], v["half_width"], v["half_width_uncertainty"])
    if kind == "exponential":
        if v["estimate"] <= 0:
            raise InvalidInput(
                f"{field}.estimate", "the mean of an exponential distribution must be positive"
            )
        return d.Exponential(dof, v["estimate"])
    if v["estimate"] <= 0 or v["std_uncertainty"] <= 0:
        raise InvalidInput(field, "a gamma distribution needs a positive estimate and std_uncertainty")
    return d.Gamma(dof, v["estimate"], v["std_uncertainty"])


def _correlations(raw: object) -> list[tuple[str, str, float]]:
    if not isinstance(raw, list):
        raise InvalidInput("correlations", "must be a list of [name, name, r]")
    out = []
    for i, item in enumerate(raw):
        field = f"correlations[{i}]"
        if not isinstance(item, list | tuple) or len(item) != 3:
            raise InvalidInput(field, "must be [name, name, r]")
        a, b, r = item
        value = number(r, field)
        if not -1.0 <= value <= 1.0:
            raise InvalidInput(field, f"a correlation coefficient must lie in [-1, 1], not {value}")
        out.append((str(a), str(b), value))
    return out


def _probability(value: object) -> float:
    p = number(value, "coverage_probability")
    if not 0.0 < p < 1.0:
        raise InvalidInput("coverage_probability", f"must lie strictly between 0 and 1, not {p}")
    return p


def _coverage_factor(value: object) -> float | None:
    if value is None:
        return None
    k = number(value, "coverage_factor")
    if k <= 0:
        raise InvalidInput("coverage_factor", "must be positive")
    return k
