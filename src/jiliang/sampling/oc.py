"""Operating-characteristic (OC) curves of single sampling plans: the probability of accepting a
lot against its fraction nonconforming p.

Binomial (an infinite lot or a process): Pa = P(X <= c), X ~ Bin(n, p). With a lot size N the
sample is drawn without replacement from a lot with D = round(p N) nonconforming items, so
X ~ Hypergeometric(N, D, n) (ISO 2859-1 clause 12.2 and ISO 2859-2 use these models). For
nonconformities (ISO 2859-1 AQLs above 10 are per 100 items) p is the mean number of
nonconformities per item and X ~ Poisson(n p).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
from numpy.typing import ArrayLike, NDArray
from scipy import stats

from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class OCCurve:
    sample_size: int
    acceptance_number: int | None  # None for a variables plan (it has k instead)
    lot_size: int | None
    model: str  # "binomial", "hypergeometric", "poisson", "s-method" or "sigma-method"
    fraction_nonconforming: tuple[float, ...]
    probability_of_acceptance: tuple[float, ...]


def check_plan(
    sample_size: int, acceptance_number: int, lot_size: int | None = None, *, nonconformities: bool = False
) -> None:
    """Raise :class:`InvalidInput` naming the field unless (n, c[, N]) is a usable plan."""
    if isinstance(sample_size, bool) or int(sample_size) != sample_size or sample_size < 1:
        raise InvalidInput("sample_size", f"{sample_size!r} must be a whole number of at least 1")
    if int(acceptance_number) != acceptance_number or acceptance_number < 0:
        raise InvalidInput("acceptance_number", f"{acceptance_number!r} must be a whole number of at least 0")
    if acceptance_number >= sample_size and not nonconformities:
        raise InvalidInput(
            "acceptance_number", f"{acceptance_number} must be below the sample size {sample_size}"
        )
    if lot_size is not None and nonconformities:
        raise InvalidInput("lot_size", "counts of nonconformities follow the Poisson model: give no lot size")
    if lot_size is not None and (int(lot_size) != lot_size or lot_size < sample_size):
        raise InvalidInput("lot_size", f"{lot_size!r} must be a whole number no smaller than the sample size")


def probability_of_acceptance(
    fraction_nonconforming: ArrayLike,
    sample_size: int,
    acceptance_number: int,
    lot_size: int | None = None,
    *,
    nonconformities: bool = False,
) -> NDArray[np.float64]:
    """Pa at each fraction nonconforming (or, with ``nonconformities``, nonconformities per item)."""
    check_plan(sample_size, acceptance_number, lot_size, nonconformities=nonconformities)
    p = np.asarray(fraction_nonconforming, dtype=float)
    top = np.inf if nonconformities else 1.0
    if np.any((p < 0) | (p > top)) or np.any(np.isnan(p)):
        raise InvalidInput("fraction_nonconforming", f"every value must lie in [0, {top}]")
    if nonconformities:
        return np.asarray(stats.poisson.cdf(acceptance_number, sample_size * p), dtype=float)
    if lot_size is None:
        return np.asarray(stats.binom.cdf(acceptance_number, sample_size, p), dtype=float)
    defective = np.rint(p * lot_size).astype(np.int64)
    return np.asarray(stats.hypergeom.cdf(acceptance_number, lot_size, defective, sample_size), dtype=float)


def _default_max_fraction(sample_size: int, acceptance_number: int, nonconformities: bool) -> float:
    if nonconformities:
        # Poisson: P(X <= c) = 0.01 where the mean n p is half the 99 % quantile of chi-square(2c + 2).
        return 1.05 * float(stats.chi2.ppf(0.99, 2 * acceptance_number + 2)) / 2 / sample_size
    # The p at which the binomial Pa falls to 1 %: P(X <= c) = I_{1-p}(n-c, c+1), a beta quantile.
    p99 = float(stats.beta.ppf(0.99, acceptance_number + 1, sample_size - acceptance_number))
    return min(1.0, p99 * 1.05)


def oc_curve(
    sample_size: int,
    acceptance_number: int,
    lot_size: int | None = None,
    *,
    points: int = 51,
    max_fraction: float | None = None,
    nonconformities: bool = False,
) -> OCCurve:
    """The OC curve on ``points`` fractions from 0 to ``max_fraction`` (default: where Pa ~ 1 %).

    With a lot size the fractions are whole numbers of nonconforming items D/N. With
    ``nonconformities`` the abscissa is nonconformities per item and the model is Poisson.
    """
    check_plan(sample_size, acceptance_number, lot_size, nonconformities=nonconformities)
    if not 2 <= points <= 10_000:
        raise InvalidInput("points", f"{points} must be between 2 and 10000")
    default = _default_max_fraction(sample_size, acceptance_number, nonconformities)
    top = default if max_fraction is None else max_fraction
    if not 0 < top <= (np.inf if nonconformities else 1):
        raise InvalidInput(
            "max_fraction", f"{top} must be positive (and at most 1 for a fraction nonconforming)"
        )
    p = np.linspace(0.0, top, points)
    if lot_size is not None:
        p = np.unique(np.rint(p * lot_size)) / lot_size
    pa = probability_of_acceptance(
        p, sample_size, acceptance_number, lot_size, nonconformities=nonconformities
    )
    model = "poisson" if nonconformities else "binomial" if lot_size is None else "hypergeometric"
    return OCCurve(
        sample_size=int(sample_size),
        acceptance_number=int(acceptance_number),
        lot_size=None if lot_size is None else int(lot_size),
        model=model,
        fraction_nonconforming=tuple(float(x) for x in p),
        probability_of_acceptance=tuple(float(x) for x in pa),
    )


def _nice_step(span: float, ticks: int = 5) -> float:
    """A round tick step (1, 2, 2.5 or 5 times a power of ten) giving about ``ticks`` intervals."""
    raw = span / ticks
    power = 10 ** np.floor(np.log10(raw))
    return float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))


def oc_svg(curve: OCCurve, *, width: int = 480, height: int = 300, title: str = "") -> str:
    """The OC curve as a standalone inline SVG string (abscissa in percent; no file is written)."""
    left, right, top, bottom = 52, 16, 24, 40
    w, h = width - left - right, height - top - bottom
    x_top = 100 * (max(curve.fraction_nonconforming) or 1.0)  # percent
    step = _nice_step(x_top)
    x_max = step * np.ceil(x_top / step - 1e-9)

    def xy(p: float, pa: float) -> str:
        return f"{left + w * 100 * p / x_max:.1f},{top + h * (1 - pa):.1f}"

    pairs = zip(curve.fraction_nonconforming, curve.probability_of_acceptance, strict=True)
    points = " ".join(xy(p, pa) for p, pa in pairs)
    ticks = []
    for i in range(6):
        ty = top + h * (1 - i / 5)
        ticks.append(f'<text x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end">{i / 5:.1f}</text>')
        ticks.append(f'<line x1="{left}" y1="{ty:.1f}" x2="{left + w}" y2="{ty:.1f}" stroke="#ddd"/>')
    for value in np.arange(0, x_max + step / 2, step):
        tx = left + w * value / x_max
        ticks.append(f'<text x="{tx:.1f}" y="{top + h + 16}" text-anchor="middle">{value:g}</text>')
    plan = f"n = {curve.sample_size}" + (
        "" if curve.acceptance_number is None else f", Ac = {curve.acceptance_number}"
    )
    label = escape(title or f"{plan} ({curve.model})")
    x_label = "nonconformities per 100 items" if curve.model == "poisson" else "p (%)"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" font-family="sans-serif" font-size="11" role="img" aria-label="{label}">'
        f"<title>{label}</title>{''.join(ticks)}"
        f'<line x1="{left}" y1="{top + h}" x2="{left + w}" y2="{top + h}" stroke="#333"/>'
        f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + h}" stroke="#333"/>'
        f'<polyline fill="none" stroke="#1f5fa8" stroke-width="2" points="{points}"/>'
        f'<text x="{left + w / 2}" y="{height - 6}" text-anchor="middle">{x_label}</text>'
        f'<text x="12" y="{top + h / 2}" text-anchor="middle" transform="rotate(-90 12 {top + h / 2})">Pa</text>'
        f'<text x="{left + w / 2}" y="14" text-anchor="middle">{label}</text></svg>'
    )
