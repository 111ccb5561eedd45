"""Propagation of distributions by Monte Carlo (JCGM 101:2008, JCGM 102:2011 for several outputs).

Trials are drawn vectorised in blocks of ``BLOCK`` trials, so the memory for input draws is bounded
by the block size times the number of threads; only the output values are kept (they are needed
for the coverage intervals). Block ``b`` always covers the same trials and draws from its own
stream (an SFC64 generator seeded by the ``b``-th child of one ``numpy.random.SeedSequence``), so a
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
from dataclasses import dataclass

import numpy as np
from scipy import special

from jiliang.errors import InvalidInput
from jiliang.uncertainty.distributions import Normal
from jiliang.uncertainty.problem import Compiled
from jiliang.uncertainty.results import GumResult, Histogram, MonteCarloResult, Validation

BLOCK = 1 << 17
MAX_THREADS = 4  # the default thread count is the CPU count up to this
THREAD_LIMIT = 64  # the most threads a caller may ask for
MAX_TRIALS = 50_000_000
HISTOGRAM_BINS = 60
# numpy's SFC64 (Small Fast Chaotic, 256-bit state; passes PractRand and TestU01 BigCrush): its
# normal and uniform variates come about 15 % faster than from PCG64, numpy's default.
BIT_GENERATOR = np.random.SFC64
SAMPLE = 1 << 14  # values sorted to place the tail thresholds (see ``tails``)
CHUNK = 1 << 15  # values per pass of ``_moments_and_histogram`` (256 kB, stays in cache)


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
    """Input draws (one array of ``size`` per input) in the inputs' own units; a Gaussian copula
    links correlated inputs (only those: the others are drawn directly). Rows stay separate
    arrays: stacking them would copy every draw once more."""
    inputs = compiled.problem.inputs
    linked = compiled.linked
    row = np.cumsum(linked) - 1  # input i -> its row of the copula draws
    z = (
        _correlate(compiled.copula_factor, rng.standard_normal((int(linked.sum()), size)))
        if linked.any()
        else None
    )
    out: list[np.ndarray] = []
    for i, q in enumerate(inputs):
        dist = q.distribution
        if z is None or not linked[i]:
            x = dist.sample(size, rng)
        elif isinstance(dist, Normal):
            x = z[row[i]] * dist.std_uncertainty
            x += dist.estimate
        else:
            x = dist.ppf(special.ndtr(z[row[i]]))
        out.append(x)
    return out


def _correlate(factor: np.ndarray, z: np.ndarray) -> np.ndarray:
    """factor @ z. For a few inputs as sums of scaled rows: a BLAS matrix product would start
    its own threads for every block, which costs more than the products on a busy machine."""
    k = factor.shape[0]
    if k > 8:
        return np.asarray(factor @ z)
    out = np.empty_like(z)
    for i in range(k):
        np.multiply(z[0], factor[i, 0], out=out[i])
        for j in range(1, k):
            if factor[i, j] != 0.0:
                out[i] += factor[i, j] * z[j]
    return out


def simulate(
    compiled: Compiled,
    size: int,
    streams: np.random.SeedSequence,
    threads: int | None = None,
) -> np.ndarray:
    """``size`` model values (outputs × size, each in its output's unit), drawn and evaluated in
    blocks, with the inputs in their own units (:meth:`CompiledOutput.value_in_units`).

    Block ``b`` covers trials ``b·BLOCK`` onwards and draws from the ``b``-th stream spawned from
    ``streams`` now, in block order, so the values depend on the seed only, not on ``threads``.
    """
    return _simulate(compiled, size, streams, threads, None)[0]


@dataclass
class _Tally:
    """What one block contributes to one output's summary while its values are still in cache:
    sums of (y − shift) and (y − shift)², and the values beyond the two tail thresholds."""

    total: float
    squares: float
    low: np.ndarray
    high: np.ndarray


@dataclass(frozen=True)
class _Plan:
    """Per output: the shift for the sums and the thresholds of :func:`tails`, from block 0."""

    shift: float
    low: float
    high: float


def _simulate(
    compiled: Compiled,
    size: int,
    streams: np.random.SeedSequence,
    threads: int | None,
    p: float | None,
) -> tuple[np.ndarray, list[_Plan] | None, list[list[_Tally]]]:
    """:func:`simulate`, and with ``p`` the per-block tallies that spare :func:`summarise` its
    passes over all the values: block 0 runs first and places the thresholds (as :func:`tails`
    does from a sample), every block then tallies itself. Tallies are combined in block order,
    so they too depend on the seed only."""
    starts = range(0, size, BLOCK)
    children = streams.spawn(len(starts))
    ys = np.empty((len(compiled.outputs), size))
    scales = tuple(float(s) for s in compiled.scales)
    functions = [out.value_in_units(scales) for out in compiled.outputs]
    plans: list[_Plan] | None = None
    tallies: list[list[_Tally]] = [[] for _ in starts]

    def block(b: int) -> None:
        start = starts[b]
        n = min(BLOCK, size - start)
        x = draw(compiled, n, np.random.Generator(BIT_GENERATOR(children[b])))
        with np.errstate(all="ignore"):
            for k, f in enumerate(functions):
                ys[k, start : start + n] = f(*x)  # a constant model broadcasts
        if plans is not None:
            tallies[b] = [_tally(ys[k, start : start + n], plan) for k, plan in enumerate(plans)]

    block(0)
    if p is not None and size >= 8 * SAMPLE and size - _q(size, p) < _q(size, p):
        with np.errstate(all="ignore"):
            plans = [_plan(row[: min(BLOCK, size)], p, size) for row in ys]
        tallies[0] = [_tally(ys[k, : min(BLOCK, size)], plan) for k, plan in enumerate(plans)]
    workers = min(default_threads() if threads is None else threads, len(starts) - 1)
    if workers <= 1:
        for b in range(1, len(starts)):
            block(b)
    else:
        with ThreadPoolExecutor(workers) as pool:
            for done in pool.map(block, range(1, len(starts))):
                del done  # re-raises a worker's exception here
    # a sum is finite only if every term is (barring overflow): one cheap pass decides
    if not np.isfinite(ys.sum()):
        bad = ~np.isfinite(ys)
        raise InvalidInput(
            "model",
            f"the model is not finite for {int(bad.sum())} Monte Carlo trials "
            "(a division by zero or a domain error inside the input distributions)",
        )
    return ys, plans, tallies


def _plan(first: np.ndarray, p: float, size: int) -> _Plan:
    sample = np.sort(first[:: max(1, first.size // SAMPLE)])
    n = sample.size
    f = (size - _q(size, p)) / size
    k = min(n - 1, int(n * f + 6 * math.sqrt(n * f * (1 - f))) + 2)
    return _Plan(float(sample[n // 2]), float(sample[k]), float(sample[n - 1 - k]))


def _tally(values: np.ndarray, plan: _Plan) -> _Tally:
    d = values - plan.shift
    total = float(d.sum())
    squares = float(np.square(d, out=d).sum())
    return _Tally(total, squares, values[values <= plan.low], values[values >= plan.high])


def _q(m: int, p: float) -> int:
    return min(m - 1, max(1, int(p * m + 0.5)))  # JCGM 101 7.7.1: q = pM rounded


def tails(y: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    """The M − q smallest and the M − q largest values of ``y``, each sorted; ``y`` is unchanged.

    Every endpoint of a coverage interval (JCGM 101 7.7.1 and 7.7.2) lies among these values, so
    the M values need no full sort. A sorted sample of about 16,000 (every s-th value; the trials
    are independent) gives thresholds a few binomial standard deviations beyond the two
    (1 − p) quantiles; the values beyond each threshold are copied out and sorted. If a threshold
    holds fewer than M − q values (a wrong guess, never a wrong answer) or M is small, the array
    is partitioned instead.
    """
    m = y.size
    q = _q(m, p)
    t = m - q
    if m >= 8 * SAMPLE and t < q:
        sample = np.sort(y[:: m // SAMPLE])
        n = sample.size
        f = t / m
        k = min(n - 1, int(n * f + 6 * math.sqrt(n * f * (1 - f))) + 2)
        low = y[y <= sample[k]]
        high = y[y >= sample[n - 1 - k]]
        if low.size >= t and high.size >= t:
            low.sort()
            high.sort()
            return low[:t], high[high.size - t :]
    ordered = y.copy()
    if t >= q:  # p < 0.5: the tails overlap, sort it all
        ordered.sort()
    else:
        ordered.partition([t - 1, q])
        ordered[:t].sort()
        ordered[q:].sort()
    return ordered[:t], ordered[q:]


def intervals(low: np.ndarray, high: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
    """Probabilistically symmetric (JCGM 101 7.7.1) and shortest (7.7.2) coverage intervals from
    the sorted :func:`tails` ``low`` = y_(1), …, y_(M−q) and ``high`` = y_(q+1), …, y_(M)."""
    r = max(1, int(low.size / 2 + 0.5))  # 7.7.1: y_low = y_(r), y_high = y_(r+q), r = (M − q)/2 rounded
    symmetric = (float(low[r - 1]), float(high[r - 1]))
    s = int(np.argmin(high - low))  # 7.7.2: the shortest of [y_(j), y_(j+q)], j = 1, …, M − q
    return symmetric, (float(low[s]), float(high[s]))


def summarise(
    y: np.ndarray, p: float, tallies: list[_Tally] | None = None, shift: float = 0.0
) -> tuple[float, float, tuple[float, float], tuple[float, float], Histogram]:
    """Estimate and standard uncertainty (JCGM 101 7.6), both intervals and the histogram of one
    output; ``y`` is read, never reordered. ``tallies`` (of every block, in block order, from
    :func:`_simulate`) replace the passes over ``y`` for the moments and the tail selection."""
    m = y.size
    t = m - _q(m, p)
    low = high = None
    if tallies:
        low = np.concatenate([tally.low for tally in tallies])
        high = np.concatenate([tally.high for tally in tallies])
        if low.size >= t and high.size >= t:  # else a threshold was a wrong guess
            low.sort()
            high.sort()
            low, high = low[:t], high[high.size - t :]
        else:
            low = high = None
    if low is None or high is None:
        low, high = tails(y, p)
        tallies = None
    symmetric, shortest = intervals(low, high)
    moments = None
    if tallies:
        total = math.fsum(tally.total for tally in tallies)
        squares = math.fsum(tally.squares for tally in tallies)
        variance = max(0.0, (squares - total * total / m) / (m - 1)) if m > 1 else 0.0
        moments = (shift + total / m, math.sqrt(variance))
    mean, u, histogram = _moments_and_histogram(y, low, high, moments)
    return mean, u, symmetric, shortest, histogram


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
    if threads is not None and not 1 <= threads <= THREAD_LIMIT:
        raise InvalidInput("threads", f"must lie between 1 and {THREAD_LIMIT}")
    streams, seed = make_rng(rng)
    plans: list[_Plan] | None = None
    tallies: list[list[_Tally]] = []
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
        ys, plans, tallies = _simulate(compiled, n, streams, threads, p)
    corr = np.corrcoef(ys) if len(compiled.outputs) > 1 else np.ones((1, 1))
    results = []
    for k, y in enumerate(ys):
        if adaptive or plans is None:
            mean, u, symmetric, shortest, histogram = summarise(y, p)
        else:
            per_block = [block[k] for block in tallies]
            mean, u, symmetric, shortest, histogram = summarise(y, p, per_block, plans[k].shift)
        results.append(
            MonteCarloResult(mean, u, symmetric, shortest, p, ys.shape[1], seed, histogram, adaptive)
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
    _, (low, high) = intervals(*tails(y, p))
    return float(y.mean()), float(y.std(ddof=1)), low, high


def _stable(stats: np.ndarray, u: np.ndarray, digits: int) -> bool:
    h = stats.shape[0]
    spread = stats.std(axis=0, ddof=1) / math.sqrt(h)  # 7.9.4 g): s of the average of h values
    for k, u_k in enumerate(u):
        if np.any(2 * spread[k] > numerical_tolerance(float(u_k), digits)):  # 7.9.4 i), j)
            return False
    return True


def _moments_and_histogram(
    y: np.ndarray, low: np.ndarray, high: np.ndarray, moments: tuple[float, float] | None = None
) -> tuple[float, float, Histogram]:
    """Mean, standard deviation (JCGM 101 7.6; unless ``moments`` already has them) and the
    histogram over the central 99.9 %, in one pass over cache-sized chunks of ``y``.

    Sums are taken of the values less c, the middle of the two tails' inner ends (close to the
    mean, so the sum of squares keeps its accuracy); the same chunk, shifted to the histogram's
    left edge, gives each value's bin. Values outside [lo, hi] are clipped into the end bins and
    taken off again: they all lie in the sorted tails, where binary search counts them.
    """
    m, t = y.size, low.size
    k = int(0.0005 * (m - 1))  # the histogram leaves out 0.05 % at each end
    lo, hi = (float(low[k]), float(high[t - 1 - k])) if k < t else (float(low[0]), float(high[-1]))
    if not hi > lo:
        lo, hi = lo - 0.5, hi + 0.5
    c = lo if moments else 0.5 * (float(low[-1]) + float(high[0]))
    per_bin = HISTOGRAM_BINS / (hi - lo)
    counts = np.zeros(HISTOGRAM_BINS, dtype=np.intp)
    total = squares = 0.0
    chunk = np.empty(min(m, CHUNK))
    sq = np.empty(chunk.size)
    index = np.empty(chunk.size, dtype=np.intp)
    for start in range(0, m, CHUNK):
        part = y[start : start + CHUNK]
        d, i = chunk[: part.size], index[: part.size]
        np.subtract(part, c, out=d)
        if not moments:
            total += float(d.sum())
            squares += float(np.square(d, out=sq[: part.size]).sum())  # not np.dot: BLAS threads
            d -= lo - c
        d *= per_bin
        np.clip(d, 0.0, HISTOGRAM_BINS - 1, out=d)
        i[...] = d  # truncated toward zero: the bin
        counts += np.bincount(i, minlength=HISTOGRAM_BINS)
    counts[0] -= int(np.searchsorted(low, lo, side="left"))  # below lo
    counts[-1] -= t - int(np.searchsorted(high, hi, side="right"))  # above hi; the last bin is closed
    edges = np.linspace(lo, hi, HISTOGRAM_BINS + 1)
    histogram = Histogram(tuple(int(n) for n in counts), tuple(float(e) for e in edges))
    if moments:
        return moments[0], moments[1], histogram
    mean = c + total / m
    variance = max(0.0, (squares - total * total / m) / (m - 1)) if m > 1 else 0.0
    return mean, math.sqrt(variance), histogram


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
