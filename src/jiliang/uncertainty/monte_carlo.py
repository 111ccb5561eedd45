"""Propagation of distributions by Monte Carlo (JCGM 101:2008, JCGM 102:2011 for several outputs).

Trials are drawn vectorised in blocks of ``BLOCK`` trials, so the memory for input draws is bounded
by the block size times the number of threads; only the output values are kept (they are needed
for the coverage intervals). Block ``b`` always covers the same trials and draws from its own
stream, the ``b``-th child of one ``numpy.random.SeedSequence`` (``SeedSequence.spawn``), so a
seed gives the same values whatever the number of threads; numpy's generators and ufuncs release
the GIL, so blocks run in parallel on a small thread pool. Correlated inputs are drawn through a Gaussian copula (exact for
normal inputs). The adaptive procedure of JCGM 101 7.9 stops when the estimate, the standard
uncertainty and both interval endpoints are stable to the numerical tolerance of ``digits``
significant digits. Clause 8 validates the GUM result against the Monte Carlo interval.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor

import numpy as np
from scipy import special

from jiliang.errors import InvalidInput
from jiliang.uncertainty.distributions import Normal
from jiliang.uncertainty.problem import Compiled
from jiliang.uncertainty.results import GumResult, Histogram, MonteCarloResult, Validation

BLOCK = 1 << 17
MAX_THREADS = 4
MAX_TRIALS = 50_000_000
HISTOGRAM_BINS = 60


def make_rng(rng: np.random.Generator | int | None) -> tuple[np.random.SeedSequence, int | None]:
    """The seed sequence the block streams are spawned from, and the seed that reproduces it.

    An ``int`` is the seed; ``None`` draws one (reported so that the run can be repeated). A passed
    ``Generator`` supplies 128 bits of entropy for the block streams (it is advanced by that draw,
    so two runs with the same Generator object differ, as two draws from it would); no seed can
    then be reported.
    """
    if isinstance(rng, np.random.Generator):
        return np.random.SeedSequence([int(v) for v in rng.integers(0, 2**63, size=2)]), None
    entropy = np.random.SeedSequence().entropy
    seed = int(entropy) % 2**63 if rng is None else int(rng)  # type: ignore[arg-type]
    return np.random.SeedSequence(seed), seed


def default_threads() -> int:
    """Threads for the Monte Carlo blocks: the CPU count, at most ``MAX_THREADS``."""
    return max(1, min(MAX_THREADS, os.cpu_count() or 1))


def numerical_tolerance(u: float, digits: int) -> float:
    """δ = ½·10^l where u = c·10^l and c has ``digits`` significant digits (JCGM 101 7.9.2)."""
    if not u > 0 or not math.isfinite(u):
        return 0.0
    exponent = math.floor(math.log10(u)) - digits + 1
    if round(u / 10**exponent) >= 10**digits:
        exponent += 1
    return 0.5 * 10.0**exponent


def draw(compiled: Compiled, size: int, rng: np.random.Generator) -> list[np.ndarray]:
    """Input draws (one array of ``size`` per input) in base units; a Gaussian copula links
    correlated inputs. Rows stay separate arrays: stacking them would copy every draw once more."""
    inputs = compiled.problem.inputs
    linked = compiled.linked
    z = compiled.copula_factor @ rng.standard_normal((len(inputs), size)) if linked.any() else None
    out: list[np.ndarray] = []
    for i, q in enumerate(inputs):
        dist, scale = q.distribution, float(compiled.scales[i])
        if z is None or not linked[i]:
            x = dist.sample(size, rng)
        elif isinstance(dist, Normal):
            x = z[i] * dist.std_uncertainty
            x += dist.estimate
        else:
            x = dist.ppf(special.ndtr(z[i]))
        if scale != 1.0:
            x *= scale
        out.append(x)
    return out


def simulate(
    compiled: Compiled,
    size: int,
    streams: np.random.SeedSequence,
    threads: int | None = None,
) -> np.ndarray:
    """``size`` model values (outputs × size, base units), drawn and evaluated in blocks.

    Block ``b`` covers trials ``b·BLOCK`` onwards and draws from the ``b``-th stream spawned from
    ``streams`` now, in block order, so the values depend on the seed only, not on ``threads``.
    """
    starts = range(0, size, BLOCK)
    children = streams.spawn(len(starts))
    ys = np.empty((len(compiled.outputs), size))

    def block(b: int) -> None:
        start = starts[b]
        n = min(BLOCK, size - start)
        x = draw(compiled, n, np.random.Generator(np.random.PCG64(children[b])))
        with np.errstate(all="ignore"):
            for k, out in enumerate(compiled.outputs):
                ys[k, start : start + n] = out.value(*x)  # a constant model broadcasts

    workers = min(default_threads() if threads is None else threads, len(starts))
    if workers <= 1:
        for b in range(len(starts)):
            block(b)
    else:
        with ThreadPoolExecutor(workers) as pool:
            for done in pool.map(block, range(len(starts))):
                del done  # re-raises a worker's exception here
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
    threads: int | None = None,
) -> tuple[tuple[MonteCarloResult, ...], np.ndarray]:
    """Monte Carlo results for every output and the output correlation matrix (JCGM 102 7.6).

    ``rng`` seeds the block streams (:func:`make_rng`); ``threads`` (default: the CPU count, at
    most ``MAX_THREADS``) changes the speed only, never the values.
    """
    p = compiled.problem.coverage_probability if coverage_probability is None else coverage_probability
    if threads is not None and not 1 <= threads <= 64:
        raise InvalidInput("threads", "must lie between 1 and 64")
    streams, seed = make_rng(rng)
    if adaptive:
        ys = _adaptive(compiled, p, digits, streams, max_trials, threads)
    else:
        n = 10**6 if trials is None else int(trials)
        if not 1 <= n <= max_trials:
            raise InvalidInput("trials", f"must lie between 1 and {max_trials}")
        if n < 1 / (1 - p):
            raise InvalidInput(
                "trials", f"{n} trials are too few for a {p} coverage interval (JCGM 101 7.2.2)"
            )
        ys = simulate(compiled, n, streams, threads)
    corr = np.corrcoef(ys) if len(compiled.outputs) > 1 else np.ones((1, 1))  # before sorting
    results = []
    for k, out in enumerate(compiled.outputs):
        mean, u, symmetric, shortest, y = summarise(ys[k], p, out.scale)
        results.append(
            MonteCarloResult(mean, u, symmetric, shortest, p, y.size, seed, _histogram(y, p), adaptive)
        )
    return tuple(results), np.atleast_2d(corr)


def _adaptive(
    compiled: Compiled,
    p: float,
    digits: int,
    streams: np.random.SeedSequence,
    max_trials: int,
    threads: int | None,
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
        block = simulate(compiled, m, streams, threads)
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
    """Counts over the central 99.9 % (from the sorted tails when they reach that far).

    With :func:`sort_tails` order only the two sorted tails can hold values outside the range, so
    the unsorted middle (most of the trials) is counted by one scaled ``bincount`` without range
    checks, and the tails by binary search on the bin edges.
    """
    m = y.size
    q = _q(m, p)
    tail = m - q
    k = int(0.0005 * (m - 1))
    lo, hi = (float(y[k]), float(y[m - 1 - k])) if k < tail else (float(y[0]), float(y[-1]))
    if not hi > lo:
        lo, hi = float(y[0]) - 0.5, float(y[-1]) + 0.5
    if k >= tail or tail >= q:  # small or fully sorted samples: the plain way
        counts, edges = np.histogram(y, bins=HISTOGRAM_BINS, range=(lo, hi))
        return Histogram(tuple(int(c) for c in counts), tuple(float(e) for e in edges))
    edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
    middle = y[tail:q]  # every value lies within [y[tail - 1], y[q]], inside [lo, hi]
    index = ((middle - lo) * (HISTOGRAM_BINS / (hi - lo))).astype(np.intp)
    np.clip(index, 0, HISTOGRAM_BINS - 1, out=index)
    counts = np.bincount(index, minlength=HISTOGRAM_BINS)
    for part in (y[:tail], y[q:]):
        at = np.searchsorted(part, edges, side="left")
        at[-1] = np.searchsorted(part, hi, side="right")  # the last bin is closed, as in numpy
        counts += np.diff(at)
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
