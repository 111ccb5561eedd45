"""Use cases of the uncertainty calculator, shared by the API and the web page.

The engine is the pure core; this module only turns request data (query options, a table of
inputs) into its arguments and enforces the limits of a shared server (trials, body size).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

from jiliang.errors import InvalidInput, InvalidInputs
from jiliang.uncertainty.evaluate import evaluate_mapping
from jiliang.uncertainty.modelfile import check_size
from jiliang.uncertainty.monte_carlo import MAX_THREADS
from jiliang.uncertainty.results import Evaluation

API_MAX_TRIALS = 1_000_000
API_DEFAULT_TRIALS = 200_000
API_MAX_THREADS = MAX_THREADS  # a shared server: no request takes more than the default
TRUE = {"1", "true", "yes", "on"}

# The web table has one "width" column whose meaning depends on the distribution, and one "extra".
WIDTH_PARAMETER = {
    "normal": "std_uncertainty",
    "gamma": "std_uncertainty",
    "t": "scale",
    "rectangular": "half_width",
    "triangular": "half_width",
    "arcsine": "half_width",
    "curvilinear_trapezoid": "half_width",
    "trapezoidal": "half_width",
}
EXTRA_PARAMETER = {"curvilinear_trapezoid": "half_width_uncertainty", "trapezoidal": "beta"}
DISTRIBUTIONS = (
    "normal",
    "t",
    "rectangular",
    "triangular",
    "arcsine",
    "trapezoidal",
    "curvilinear_trapezoid",
)
DISTRIBUTIONS += ("exponential", "gamma")


def parse_json_body(body: bytes) -> object:
    """The model file sent as a JSON body, refused unparsed when larger than the model limit."""
    check_size(body)
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InvalidInput("body", f"not a JSON document: {exc}") from None


def options_from_query(query: Mapping[str, str]) -> dict[str, Any]:
    """Evaluation options from query parameters, within the limits of the API."""
    errors: list[InvalidInput] = []
    out: dict[str, Any] = {"max_trials": API_MAX_TRIALS}

    def number(name: str, kind: type, key: str | None = None) -> None:
        if query.get(name) in (None, ""):
            return
        try:
            out[key or name] = kind(query[name])
        except ValueError:
            errors.append(InvalidInput(name, f"not a valid {kind.__name__}: {query[name]!r}"))

    out["method"] = query.get("method", "both")
    out["adaptive"] = query.get("adaptive", "").lower() in TRUE
    out["second_order"] = query.get("second_order", "").lower() in TRUE
    number("trials", int)
    number("digits", int)
    number("seed", int, "rng")
    number("threads", int)
    number("coverage", float, "coverage_probability")
    number("coverage_factor", float)
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    if not out["adaptive"]:
        out.setdefault("trials", API_DEFAULT_TRIALS)
        if not 1 <= out["trials"] <= API_MAX_TRIALS:
            raise InvalidInput("trials", f"must lie between 1 and {API_MAX_TRIALS} on this server")
    if out.get("threads") is not None and not 1 <= out["threads"] <= API_MAX_THREADS:
        raise InvalidInput("threads", f"must lie between 1 and {API_MAX_THREADS} on this server")
    if out.get("rng") is not None and out["rng"] < 0:
        raise InvalidInput("seed", "must not be negative")
    return out


def evaluate_model(data: object, options: Mapping[str, Any]) -> Evaluation:
    """Evaluate a model file with options checked by :func:`options_from_query`."""
    return evaluate_mapping(data, **options)


def model_from_table(
    title: str, equations: str, rows: Sequence[Mapping[str, str]], correlations: str, coverage: str, k: str
) -> dict[str, Any]:
    """Build a model-file mapping from the web page's equation box and table of inputs.

    Empty rows are skipped; numbers that do not parse are reported with the model-file field path.
    """
    errors: list[InvalidInput] = []
    data: dict[str, Any] = {"title": title.strip()}
    lines = [line.strip() for line in equations.splitlines() if line.strip()]
    data["models"] = lines
    data["inputs"] = {}
    for i, row in enumerate(rows):
        name = row.get("name", "").strip()
        if not name:
            if any(row.get(c, "").strip() for c in ("estimate", "width", "extra", "dof", "unit")):
                errors.append(InvalidInput(f"inputs[{i + 1}].name", "a row with values needs a name"))
            continue
        try:
            data["inputs"][name] = _row_spec(name, row)
        except InvalidInput as exc:
            errors.append(exc)
    data["correlations"] = _correlations(correlations, errors)
    if coverage.strip():
        data["coverage_probability"] = _float(coverage, "coverage_probability")
    if k.strip():
        data["coverage_factor"] = _float(k, "coverage_factor")
    if errors:
        raise errors[0] if len(errors) == 1 else InvalidInputs(errors)
    return data


def _float(text: str, field: str) -> float:
    try:
        return float(text.strip())
    except ValueError:
        raise InvalidInput(field, f"not a number: {text!r}") from None


def _row_spec(name: str, row: Mapping[str, str]) -> dict[str, Any]:
    kind = row.get("distribution", "normal")
    spec: dict[str, Any] = {"distribution": kind}
    field = f"inputs.{name}"
    if row.get("estimate", "").strip():
        spec["estimate"] = _float(row["estimate"], f"{field}.estimate")
    if kind in WIDTH_PARAMETER and row.get("width", "").strip():
        spec[WIDTH_PARAMETER[kind]] = _float(row["width"], f"{field}.{WIDTH_PARAMETER[kind]}")
    if kind in EXTRA_PARAMETER and row.get("extra", "").strip():
        spec[EXTRA_PARAMETER[kind]] = _float(row["extra"], f"{field}.{EXTRA_PARAMETER[kind]}")
    if kind == "trapezoidal" and "estimate" in spec and "half_width" in spec:
        centre, half = spec.pop("estimate"), spec.pop("half_width")
        spec["lower"], spec["upper"] = centre - half, centre + half
    if row.get("dof", "").strip():
        spec["dof"] = _float(row["dof"], f"{field}.dof")
    if row.get("unit", "").strip():
        spec["unit"] = row["unit"].strip()
    return spec


def _correlations(text: str, errors: list[InvalidInput]) -> list[list[Any]]:
    out: list[list[Any]] = []
    for i, line in enumerate(line for line in text.splitlines() if line.strip()):
        parts = [p.strip() for p in line.replace(";", ",").split(",")]
        if len(parts) != 3:
            errors.append(InvalidInput(f"correlations[{i}]", "write one 'name, name, r' per line"))
            continue
        try:
            out.append([parts[0], parts[1], float(parts[2])])
        except ValueError:
            errors.append(InvalidInput(f"correlations[{i}]", f"not a number: {parts[2]!r}"))
    return out
