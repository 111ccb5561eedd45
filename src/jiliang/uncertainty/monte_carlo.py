"""Propagation of distributions by Monte Carlo (JCGM 101:2008, JCGM 102:2011 for several outputs).

Trials are drawn vectorised from an injected ``numpy.random.Generator`` in blocks, so the memory
for input draws is bounded by the block size; only the output values are kept (they are needed
for the coverage intervals). Correlated inputs are drawn through a Gaussian copula (exact for
normal inputs). The adaptive procedure of JCGM 101 7.9 stops when the estimate, the standard
uncertainty and both interval endpoints are stable to the numerical tolerance of ``digits``
significant digits. Clause 8 validates the GUM result against the Monte Carlo interval.
"""

from __future__ import annotations

import math

import numpy as np
from scipy import special

from jiliang.errors import InvalidInput
from jiliang.uncertainty.distributions import Normal
from jiliang.uncertainty.problem import Compiled
from jiliang.uncertainty.results import GumResult, Histogram, MonteCarloResult, Validation

BLOCK = 1 << 17
MAX_TRIALS = 50_000_000
HISTOGRAM_BINS = 60


def make_rng(rng: np.random.Generator | int | None) -> tuple[np.random.Generator, int | None]:
    """A generator and the seed that reproduces it (``None`` when a Generator was injected)."""
    if isinstance(rng, np.random.Generator):
        return rng, None
    entropy = np.random.SeedSequence().entropy
    seed = int(entropy) % 2**63 if rng is None else int(rng)  # type: ignore[arg-type]
    return np.random.default_rng(seed), seed


def numerical_tolerance(u: float, digits: int) -> float:
    """δ = ½·10^l where u = c·10^l and c has ``digits`` significant digits (JCGM 101 7.9.2)."""
    if not u > 0 or not math.isfinite(u):
        return 0.0
    exponent = math.floor(math.log10(u)) - digits + 1
    if round(u / 10**exponent) >= 10**digits:
        exponent += 1
    return 0.5 * 10.0**exponent


def draw(compiled: Compiled, size: int, rng: np.random.Generator) -> np.ndarray:
    """Input draws (inputs × size) in base units; a Gaussian copula links correlated inputs."""
    inputs = compiled.problem.inputs
    out = np.empty((len(inputs), size))
    linked = np.any(compiled.correlation != np.eye(len(inputs)), axis=1)
    z = compiled.copula_factor @ rng.standard_normal((len(inputs), size)) if linked.any() else None
    for i, q in enumerate(inputs):
        dist = q.distribution
        if z is None or not linked[i]:
            out[i] = dist.sample(size, rng)
        elif isinstance(dist, Normal):
            out[i] = dist.estimate + dist.std_uncertainty * z[i]
        else:
            out[i] = dist.ppf(special.ndtr(z[i]))
    if np.any(compiled.scales != 1.0):
        out *= compiled.scales[:, None]
    return out


def simulate(compiled: Compiled, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` model values (outputs × size, base units), drawn and evaluated in blocks."""
    ys = np.empty((len(compiled.outputs), size))
    for start in range(0, size, BLOCK):
        n = min(BLOCK, size - start)
        x = draw(compiled, n, rng)
        with np.errstate(all="ignore"):
            for k, out in enumerate(compiled.outputs):
                ys[k, start : start + n] = np.broadcast_to(out.value(*x), (n,))
    # a sum is finite only if every term is (barring overflow): one cheap pass decides
    if not np.isfinite(ys.sum()):
        bad = ~np.isfinite(ys)
        raise InvalidInput(
            "model",
            f"the model is not finite for {int(bad.sum())} Monte Carlo trials "
            "(a division by zero or a domain error inside the input distributions)",
        )
    return ys


def sort_tails(y: np.ndarray, p: float) -> np.ndarray:
    """Order ``y`` in place so that the values an interval endpoint can take are sorted.

    Both 7.7.1 and 7.7.2 endpoints lie among the M − q smallest or the M − q largest values, so
    an O(M) partition and a sort of the two tails replace a full O(M log M) sort; the middle is
    left unordered. For p < 0.5 the tails overlap and the whole array is sorted.
    """
    m = y.size
    q = _q(m, p)
    if m - q >= q:
        y.sort()
        return y
    y.partition([m - q - 1, q])
    y[: m - q].sort()
    y[q:].sort()
    return y


def _q(m: int, p: float) -> int:
    return min(m - 1, max(1, int(p * m + 0.5)))  # JCGM 101 7.7.1: q = pM rounded


def intervals(y: np.ndarray, p: float) -> tuple[tuple[float, float], tuple[float, float]]:
    """Probabilistically symmetric (JCGM 101 7.7.1) and shortest (7.7.2) coverage intervals of
    values ordered by :func:`sort_tails` (or fully sorted)."""
    m = y.size
    q = _q(m, p)
    r = max(1, int((m - q) / 2 + 0.5))  # 1-based index of y_low in 7.7.1
    symmetric = (float(y[r - 1]), float(y[r + q - 1]))
    widths = y[q:] - y[: m - q]
    s = int(np.argmin(widths))
    return symmetric, (float(y[s]), float(y[s + q]))


def summarise(
    y: np.ndarray, p: float, scale: float
) -> tuple[float, float, tuple[float, float], tuple[float, float], np.ndarray]:
    """Estimate, standard uncertainty (7.6) and both intervals of one output, in its unit.

    ``y`` is reordered in place (the caller no longer needs the trial order).
    """
    if scale != 1.0:
        y /= scale
    sort_tails(y, p)
    symmetric, shortest = intervals(y, p)
    return float(y.mean()), float(y.std(ddof=1)), symmetric, shortest, y


def evaluate_mc(
    compiled: Compiled,
    *,
    trials: int | None = None,
    adaptive: bool = False,
    digits: int = 2,
    rng: np.random.Generator | int | None = None,
    coverage_probability: float | None = None,
    max_trials: int = MAX_TRIALS,
) -> tuple[tuple[MonteCarloResult, ...], np.ndarray]:
    """Monte Carlo results for every output and the output correlation matrix (JCGM 102 7.6)."""
    p = compiled.problem.coverage_probability if coverage_probability is None else coverage_probability
    generator, seed = make_rng(rng)
    if adaptive:
        ys = _adaptive(compiled, p, digits, generator, max_trials)
    else:
        n = 10**6 if trials is None else int(trials)
        if not 1 <= n <= max_trials:
            raise InvalidInput("trials", f"must lie between 1 and {max_trials}")
        if n < 1 / (1 - p):
            raise InvalidInput(
                "trials", f"{n} trials are too few for a {p} coverage interval (JCGM 101 7.2.2)"
            )
        ys = simulate(compiled, n, generator)
    corr = np.corrcoef(ys) if len(compiled.outputs) > 1 else np.ones((1, 1))  # before sorting
    results = []
    for k, out in enumerate(compiled.outputs):
        mean, u, symmetric, shortest, y = summarise(ys[k], p, out.scale)
        results.append(
            MonteCarloResult(mean, u, symmetric, shortest, p, y.size, seed, _histogram(y, p), adaptive)
        )
    return tuple(results), np.atleast_2d(corr)


def _adaptive(
    compiled: Compiled, p: float, digits: int, rng: np.random.Generator, max_trials: int
) -> np.ndarray:
    """JCGM 101 7.9.4: h sequences of M trials until twice the standard deviation of each result
    over the sequences is within the numerical tolerance δ of u(y), for every output."""
    if not 1 <= digits <= 4:
        raise InvalidInput("digits", "the number of significant digits must be 1 to 4")
    m = max(math.ceil(100 / (1 - p)), 10_000)  # 7.9.4 b)
    blocks: list[np.ndarray] = []
    stats: list[np.ndarray] = []  # per block: outputs × (y, u, y_low, y_high)
    # running sums give u(y) of all h·M values (7.9.4 h) without re-reading every block
    total = np.zeros(len(compiled.outputs))
    squares = np.zeros(len(compiled.outputs))
    while True:
        block = simulate(compiled, m, rng)
        blocks.append(block)
        stats.append(np.array([_block_stats(row, p) for row in block]))
        centred = block - stats[0][:, :1]  # shifted by the first block mean for accuracy
        total += centred.sum(axis=1)
        squares += (centred**2).sum(axis=1)
        n = len(blocks) * m
        if len(blocks) >= 2:
            u = np.sqrt(np.clip((squares - total**2 / n) / (n - 1), 0.0, None))
            if _stable(np.array(stats), u, digits):
                break
        if n + m > max_trials:
            raise InvalidInput(
                "trials", f"the adaptive procedure did not stabilise within {max_trials} trials"
            )
    return np.concatenate(blocks, axis=1)


def _block_stats(y: np.ndarray, p: float) -> tuple[float, float, float, float]:
    ordered = sort_tails(y.copy(), p)
    _, (low, high) = intervals(ordered, p)
    return float(y.mean()), float(y.std(ddof=1)), low, high


def _stable(stats: np.ndarray, u: np.ndarray, digits: int) -> bool:
    h = stats.shape[0]
    spread = stats.std(axis=0, ddof=1) / math.sqrt(h)  # 7.9.4 g): s of the average of h values
    for k, u_k in enumerate(u):
        if np.any(2 * spread[k] > numerical_tolerance(float(u_k), digits)):  # 7.9.4 i), j)
            return False
    return True


def _histogram(y: np.ndarray, p: float) -> Histogram:
    """Counts over the central 99.9 % (from the sorted tails when they reach that far)."""
    m = y.size
    tail = m - _q(m, p)
    k = int(0.0005 * (m - 1))
    lo, hi = (float(y[k]), float(y[m - 1 - k])) if k < tail else (float(y[0]), float(y[-1]))
    if not hi > lo:
        lo, hi = float(y[0]) - 0.5, float(y[-1]) + 0.5
    counts, edges = np.histogram(y, bins=HISTOGRAM_BINS, range=(lo, hi))
    return Histogram(tuple(int(c) for c in counts), tuple(float(e) for e in edges))


def validate(gum: GumResult, mc: MonteCarloResult, digits: int = 2) -> Validation:
    """JCGM 101 8.2: d_low = |y − U_p − y_low|, d_high = |y + U_p − y_high|; passed if both ≤ δ.

    δ is the numerical tolerance of u(y) at ``digits`` significant digits (8.1). The GUM interval
    is probabilistically symmetric, so it is compared with the probabilistically symmetric Monte
    Carlo interval (as in JCGM 101 9.2.3).
    """
    delta = numerical_tolerance(gum.standard_uncertainty, digits)
    low, high = mc.coverage_interval
    d_low = abs(gum.coverage_interval[0] - low)
    d_high = abs(gum.coverage_interval[1] - high)
    return Validation(bool(d_low <= delta and d_high <= delta), d_low, d_high, delta)
