"""Benchmark of the uncertainty engine against its peers, measured in the same run (issue 3 item 11).

    python bench/run.py uncertainty [-- --quick] [-- --rounds N]

Peers (optional dependency group ``bench``): suncal, GTC, ``uncertainties``, metas-unclib. The last
runs on .NET through pythonnet: on Debian ``apt-get install mono-complete`` (libmonosgen-2.0-1 is
the runtime pythonnet loads, mono-devel supplies the netstandard facade it needs). A peer that is not
importable is reported as such, never estimated. Every peer's GUM H.1 u_c is checked against ours.

"bare numpy" is a loop-free reference written directly with numpy, single-threaded, for the same
Monte Carlo statistics jiliang reports, each call doing exactly this:

1. draw all M trials of every input at once (``rng.uniform``/``rng.normal``/``standard_normal``,
   the same numpy samplers and the same bit generator, SFC64, that jiliang uses; 9.4 with
   r = 0.9 correlates by z2' = r·z1 + √(1−r²)·z2);
2. evaluate the model on whole arrays (H.1 in nm and K, the units of its model file);
3. the estimate ``y.mean()`` and the standard uncertainty ``y.std(ddof=1)`` (JCGM 101 7.6);
4. the 95 % probabilistically symmetric interval (7.7.1) and the shortest interval (7.7.2): one
   ``np.partition`` at the two indices M − q − 1 and q, then a sort of the two tails of M − q
   values, which holds every endpoint either interval can take (no full sort).

It does not build the histogram jiliang also returns. A second row, "bare numpy, symmetric only",
drops the shortest interval (step 4 becomes one ``np.partition`` at the two order statistics of
7.7.1): the least work that still gives the estimate, u and a 95 % interval.

Jiliang is timed with 1 thread and with 2 threads (identical values either way). All variants of a
case run interleaved, round after round, and each figure is the median over the rounds, so a
change in the machine's load hits them alike; the load average is printed with the table.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from functools import partial
from typing import Any

import numpy as np

from bench.common import Table, timed
from jiliang.uncertainty.evaluate import evaluate, evaluate_mapping
from jiliang.uncertainty.gum import evaluate_gum, gum_batch
from jiliang.uncertainty.modelfile import load_problem
from jiliang.uncertainty.problem import clear_caches, compile_problem

ROOT3 = math.sqrt(3)
H1_MODEL = "l = l_s + d - l_s*(delta_alpha*theta + alpha_s*delta_theta)"
H1_INPUTS = {  # GUM H.1 (Table H.1), normal inputs, lengths in nm
    "l_s": (50000623.0, 25.0, 18.0),
    "d": (215.0, 9.7, 25.6),
    "alpha_s": (11.5e-6, 1.2e-6, math.inf),
    "theta": (-0.1, 0.41, math.inf),
    "delta_alpha": (0.0, 0.58e-6, 50.0),
    "delta_theta": (0.0, 0.029, 2.0),
}


H1_UNITS = {"l_s": "nm", "d": "nm", "alpha_s": "1/K", "theta": "K", "delta_alpha": "1/K", "delta_theta": "K"}


def h1_file() -> dict[str, Any]:
    """GUM H.1 as in docs/examples/uncertainty/end_gauge.yaml (normal inputs, nm and K)."""
    inputs = {}
    for name, (x, u, dof) in H1_INPUTS.items():
        spec: dict[str, Any] = {"distribution": "normal", "estimate": x, "std_uncertainty": u}
        spec["unit"] = H1_UNITS[name]
        if math.isfinite(dof):
            spec["dof"] = dof
        inputs[name] = spec
    return {"model": H1_MODEL, "inputs": inputs}


def additive_file() -> dict[str, Any]:
    """JCGM 101 9.2.3: four rectangular inputs, expectation 0, standard deviation 1."""
    rect = {"distribution": "rectangular", "estimate": 0.0, "half_width": ROOT3}
    return {"model": "Y = X1 + X2 + X3 + X4", "inputs": {f"X{i}": dict(rect) for i in range(1, 5)}}


def loss_file(r: float) -> dict[str, Any]:
    """JCGM 101 9.4: Y = X1² + X2², x1 = 0.010, x2 = 0, u = 0.005, correlation r."""
    data: dict[str, Any] = {
        "model": "Y = X1^2 + X2^2",
        "inputs": {
            "X1": {"distribution": "normal", "estimate": 0.010, "std_uncertainty": 0.005},
            "X2": {"distribution": "normal", "estimate": 0.0, "std_uncertainty": 0.005},
        },
    }
    if r:
        data["correlations"] = [["X1", "X2", r]]
    return data


# ---------------------------------------------------------------- bare numpy reference (loop-free)


def _summary(y: np.ndarray, p: float = 0.95) -> tuple[float, float, float, float, float, float]:
    """Step 3 and 4 of the module docstring: mean, sd, symmetric and shortest interval."""
    m = y.size
    q = int(p * m + 0.5)
    y.partition([m - q - 1, q])
    low, high = np.sort(y[: m - q]), np.sort(y[q:])
    r = int((m - q) / 2 + 0.5)
    s = int(np.argmin(high - low))
    return float(y.mean()), float(y.std(ddof=1)), low[r - 1], high[r - 1], low[s], high[s]


def _symmetric_only(y: np.ndarray, p: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, sd and the 7.7.1 interval alone: one partition at its two order statistics."""
    m = y.size
    q = int(p * m + 0.5)
    r = int((m - q) / 2 + 0.5)
    y.partition([r - 1, r + q - 1])
    return float(y.mean()), float(y.std(ddof=1)), y[r - 1], y[r + q - 1]


def bare_rng() -> np.random.Generator:
    return np.random.Generator(np.random.SFC64(1))


def _bare(draw: Callable[[int, np.random.Generator], np.ndarray], m: int, summary: Callable[..., Any]) -> Any:
    return summary(draw(m, bare_rng()))


def draw_additive(m: int, rng: np.random.Generator) -> np.ndarray:
    return rng.uniform(-ROOT3, ROOT3, (4, m)).sum(axis=0)


def draw_loss(m: int, rng: np.random.Generator, r: float) -> np.ndarray:
    z = rng.standard_normal((2, m))
    x1 = 0.010 + 0.005 * z[0]
    x2 = 0.005 * (r * z[0] + math.sqrt(1 - r * r) * z[1]) if r else 0.005 * z[1]
    return x1 * x1 + x2 * x2


def draw_h1(m: int, rng: np.random.Generator) -> np.ndarray:
    x = {n: rng.normal(v, u, m) for n, (v, u, _) in H1_INPUTS.items()}
    return x["l_s"] + x["d"] - x["l_s"] * (x["delta_alpha"] * x["theta"] + x["alpha_s"] * x["delta_theta"])


# ---------------------------------------------------------------- peers


def _import(name: str) -> Any:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return __import__(name)
    except Exception as exc:  # a peer that cannot load is reported, not estimated
        return exc


def suncal_mc(data: dict[str, Any], m: int) -> Callable[[], Any]:
    from suncal import Model

    def run() -> Any:
        model = Model(data["model"].replace("^", "**"))
        for name, spec in data["inputs"].items():
            var = model.var(name)
            var.measure(spec["estimate"])
            if spec["distribution"] == "normal":
                var.typeb(dist="normal", std=spec["std_uncertainty"])
            else:
                var.typeb(dist="uniform", a=spec["half_width"])
        for a, b, r in data.get("correlations", []):
            model.variables.correlate(a, b, r)
        result = model.monte_carlo(samples=m)
        return result.expand(conf=0.95)

    return run


def suncal_gum_h1() -> Any:
    from suncal import Model

    model = Model(H1_MODEL)
    for name, (x, u, _) in H1_INPUTS.items():
        model.var(name).measure(x)
        model.var(name).typeb(dist="normal", std=u)
    return model.calculate_gum().uncertainty


def gtc_h1(values: dict[str, float] | None = None) -> float:
    from GTC import uncertainty, ureal

    x = {n: ureal(values[n] if values else v, u, df) for n, (v, u, df) in H1_INPUTS.items()}
    y = x["l_s"] + x["d"] - x["l_s"] * (x["delta_alpha"] * x["theta"] + x["alpha_s"] * x["delta_theta"])
    return float(uncertainty(y))


def uncertainties_h1(values: dict[str, float] | None = None) -> float:
    from uncertainties import ufloat

    x = {n: ufloat(values[n] if values else v, u) for n, (v, u, _) in H1_INPUTS.items()}
    y = x["l_s"] + x["d"] - x["l_s"] * (x["delta_alpha"] * x["theta"] + x["alpha_s"] * x["delta_theta"])
    return float(y.std_dev)


def metas_h1(metas: Any, mc: int | None) -> Callable[[], Any]:
    def run() -> Any:
        if mc:
            metas.use_mcprop(n=mc)
        else:
            metas.use_linprop()
        x = {n: metas.ufloat(v, u) for n, (v, u, _) in H1_INPUTS.items()}
        y = x["l_s"] + x["d"] - x["l_s"] * (x["delta_alpha"] * x["theta"] + x["alpha_s"] * x["delta_theta"])
        return metas.get_stdunc(y)

    return run


# ---------------------------------------------------------------- the run


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="bench/uncertainty.py")
    parser.add_argument("--quick", action="store_true", help="10^5 trials and 10^4 batch (smoke run)")
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds per Monte Carlo case")
    parser.add_argument("--mc-only", action="store_true", help="only the Monte Carlo rows")
    args = parser.parse_args(argv)
    m = 10**5 if args.quick else 10**6
    batch = 10**4 if args.quick else 10**5
    peer_batch = 2_000 if args.quick else 10_000
    table = Table(f"Measurement uncertainty: Monte Carlo {m} trials, GUM batch {batch} (issue 3)")
    suncal = _import("suncal")
    metas = _import("metas_unclib")
    load_before = os.getloadavg()
    _monte_carlo(table, m, suncal, metas, max(1, args.rounds))
    load_after = os.getloadavg()
    if not args.mc_only:
        _gum(table, suncal, metas)
        _batch(table, batch, peer_batch)
    table.print()
    cores = os.cpu_count()
    print(
        f"load average (1, 5, 15 min) before the Monte Carlo rows: {_load(load_before)}, after: "
        f"{_load(load_after)}, at the end: {_load(os.getloadavg())} on {cores} cores"
    )
    for name, mod in (("suncal", suncal), ("metas_unclib", metas)):
        if isinstance(mod, BaseException):
            print(f"{name}: not available ({type(mod).__name__}: {str(mod).splitlines()[0][:160]})")
    return 0


def _load(values: tuple[float, float, float]) -> str:
    return " ".join(f"{v:.2f}" for v in values)


def interleaved(runs: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    """Median wall time of each function, all of them run once per round (after one warm-up
    round), in an order that rotates from round to round."""
    names = list(runs)
    for name in names:
        runs[name]()
    times: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        for name in names[r % len(names) :] + names[: r % len(names)]:
            start = time.perf_counter()
            runs[name]()
            times[name].append(time.perf_counter() - start)
    return {name: statistics.median(t) for name, t in times.items()}


def _monte_carlo(table: Table, m: int, suncal: Any, metas: Any, rounds: int) -> None:
    cases: list[tuple[str, dict[str, Any], Callable[[int, np.random.Generator], np.ndarray]]] = [
        ("MC JCGM 101 9.2.3 (4 rectangular)", additive_file(), draw_additive),
        ("MC JCGM 101 9.4 r=0", loss_file(0.0), lambda n, g: draw_loss(n, g, 0.0)),
        ("MC JCGM 101 9.4 r=0.9", loss_file(0.9), lambda n, g: draw_loss(n, g, 0.9)),
        ("MC GUM H.1 (normal inputs, nm and K)", h1_file(), draw_h1),
    ]
    aim = ">= 0.83x (within 1.2x)"
    for name, data, reference in cases:
        problem = load_problem(data)
        runs: dict[str, Callable[[], Any]] = {
            "1 thread": partial(evaluate, problem, method="mc", trials=m, rng=1, threads=1),
            "2 threads": partial(evaluate, problem, method="mc", trials=m, rng=1, threads=2),
            "bare": partial(_bare, reference, m, _summary),
            "bare symmetric": partial(_bare, reference, m, _symmetric_only),
        }
        if not isinstance(suncal, BaseException):
            runs["suncal"] = suncal_mc(data, m)
        t = interleaved(runs, rounds)
        note = f"median of {rounds} interleaved rounds"
        for ours, threads in (("1 thread", "jiliang 1 thread"), ("2 threads", "jiliang 2 threads")):
            table.add(
                name,
                t[ours],
                "s",
                peer="bare numpy",
                peer_figure=t["bare"],
                aim=aim,
                note=f"{threads}; {note}",
            )
            table.add(
                name,
                t[ours],
                "s",
                peer="bare numpy, symmetric only",
                peer_figure=t["bare symmetric"],
                note=f"{threads}; jiliang also gives the shortest interval and histogram",
            )
            if "suncal" in t:
                table.add(
                    name, t[ours], "s", peer="suncal", peer_figure=t["suncal"], aim=">= 1.5x",
                    note=f"{threads}; suncal MC + 95 % interval",
                )  # fmt: skip
        if name.startswith("MC GUM H.1") and not isinstance(metas, BaseException):
            metas_t = timed(metas_h1(metas, m), repeat=1)
            table.add(name, t["2 threads"], "s", peer="metas-unclib", peer_figure=metas_t, note="use_mcprop")


def _gum(table: Table, suncal: Any, metas: Any) -> None:
    data = h1_file()

    def cold() -> Any:
        clear_caches()  # parse, pint unit check, sympy derivatives and lambdify all happen again
        return evaluate_mapping(data, method="gum")

    end_to_end = timed(cold, repeat=7)
    warm = timed(lambda: evaluate_mapping(data, method="gum"), repeat=50)
    problem = load_problem(data)
    compiled = compile_problem(problem)
    again = timed(lambda: evaluate_gum(compiled), repeat=20)
    note = "cold: parse + units + symbolic derivatives + lambdify + evaluation"
    (ours,), _ = evaluate_gum(compiled)
    checks = [gtc_h1(), uncertainties_h1()]
    if not isinstance(suncal, BaseException):
        checks.append(float(suncal_gum_h1()["l"]))
    if not isinstance(metas, BaseException):
        checks.append(float(metas_h1(metas, None)()))
    assert np.allclose(checks, ours.standard_uncertainty, rtol=1e-9), f"peers disagree: {checks}"
    for peer, fn in (("GTC", gtc_h1), ("uncertainties", uncertainties_h1)):
        table.add(
            "GUM H.1, one evaluation, cold",
            end_to_end,
            "s",
            peer=peer,
            peer_figure=timed(fn, repeat=20),
            note=note,
        )
        table.add(
            "GUM H.1, one evaluation, warm",
            warm,
            "s",
            peer=peer,
            peer_figure=timed(fn, repeat=20),
            note="model file -> result, compiled model cached",
        )
        table.add(
            "GUM H.1, compiled model",
            again,
            "s",
            peer=peer,
            peer_figure=timed(fn, repeat=20),
            note="model compiled once",
        )
    if not isinstance(suncal, BaseException):
        table.add(
            "GUM H.1, one evaluation, cold",
            end_to_end,
            "s",
            peer="suncal",
            peer_figure=timed(suncal_gum_h1),
            note=note,
        )
    if not isinstance(metas, BaseException):
        t = timed(metas_h1(metas, None), repeat=20)
        table.add(
            "GUM H.1, one evaluation, cold", end_to_end, "s", peer="metas-unclib", peer_figure=t, note=note
        )


def _each(fn: Callable[[dict[str, float]], float], columns: list[dict[str, float]]) -> list[float]:
    return [fn(c) for c in columns]


def _batch(table: Table, n: int, peer_n: int) -> None:
    rng = np.random.default_rng(2)
    compiled = compile_problem(load_problem(h1_file()))
    estimates = np.array([v + 0.1 * u * rng.standard_normal(n) for v, u, _ in H1_INPUTS.values()])
    ours = timed(lambda: gum_batch(compiled, estimates))
    names = list(H1_INPUTS)
    columns = [dict(zip(names, estimates[:, i], strict=True)) for i in range(peer_n)]
    _, u_ours = gum_batch(compiled, estimates[:, :peer_n])
    for peer, fn in (("GTC", gtc_h1), ("uncertainties", uncertainties_h1)):
        u_peer = np.array([fn(c) for c in columns[:50]])
        assert np.allclose(u_peer, u_ours[:50], rtol=1e-9), f"{peer} disagrees with jiliang"
        per_item = timed(partial(_each, fn, columns), repeat=1) / peer_n
        table.add(
            f"GUM batch of {n} (H.1)",
            ours,
            "s",
            peer=peer,
            peer_figure=per_item * n,
            aim=">= 100x",
            note=f"peer loops; timed on {peer_n}, scaled to {n}",
        )


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
