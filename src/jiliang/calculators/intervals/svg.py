"""The reliability picture: observed in-tolerance fraction per interval length, the fitted R(t) of the
maximum-likelihood model, the reliability target and the recommended interval (inline SVG)."""

from __future__ import annotations

import math

import numpy as np
from django.utils.html import escape

from jiliang.intervals import History, IntervalRecommendation

WIDTH, HEIGHT, PAD = 640, 260, 40


def _fitted(result: IntervalRecommendation, t: np.ndarray) -> np.ndarray | None:
    """R(t) = R*^((t/t*)^β) for the fitted model (see jiliang.intervals.mle)."""
    if result.shape is None:
        return None
    beta = result.shape
    return np.power(result.target_reliability, np.power(t / result.recommended_interval, beta))


def reliability_picture(history: History, result: IntervalRecommendation, labels: dict[str, str]) -> str:
    t_values, passed, failed = history.pooled
    counts = passed + failed
    observed = passed / counts
    t_max = max(float(t_values.max()), result.recommended_interval) * 1.1

    def sx(t: float | np.ndarray) -> np.ndarray:
        return PAD + np.asarray(t) / t_max * (WIDTH - 2 * PAD)

    def sy(r: float | np.ndarray) -> np.ndarray:
        return HEIGHT - PAD - np.asarray(r) * (HEIGHT - 2 * PAD)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="reliability-picture" '
        f'style="max-width:44rem;width:100%" role="img" aria-label="{escape(labels["title"])}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#5b6675"/>',
        f'<line x1="{PAD}" y1="{PAD}" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#5b6675"/>',
        f'<text x="{PAD - 6}" y="{float(sy(1.0)) + 4:.1f}" text-anchor="end" font-size="11">1</text>',
        f'<text x="{PAD - 6}" y="{HEIGHT - PAD + 4}" text-anchor="end" font-size="11">0</text>',
    ]
    ticks = t_values if t_values.size <= 8 else np.linspace(0.0, t_max / 1.1, 5)
    for tick in ticks:
        parts.append(
            f'<text x="{float(sx(tick)):.1f}" y="{HEIGHT - PAD + 30}" text-anchor="middle" font-size="10" '
            f'fill="#5b6675">{tick:.4g}</text>'
        )
    target_y = float(sy(result.target_reliability))
    parts.append(
        f'<line x1="{PAD}" y1="{target_y:.1f}" x2="{WIDTH - PAD}" y2="{target_y:.1f}" stroke="#1e7d32" '
        f'stroke-dasharray="6 4"><title>{escape(labels["target"])} {result.target_reliability:g}</title></line>'
    )
    grid = np.linspace(t_max / 400, t_max, 400)
    curve = _fitted(result, grid)
    if curve is not None:
        d = " ".join(
            f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}"
            for i, (x, y) in enumerate(zip(sx(grid), sy(curve), strict=True))
        )
        parts.append(f'<path d="{d}" fill="none" stroke="#0b5cad" stroke-width="2"/>')
    for t, r, n in zip(t_values, observed, counts, strict=True):
        radius = 2.5 + min(5.0, math.log10(float(n)) * 1.5)
        parts.append(
            f'<circle cx="{float(sx(t)):.1f}" cy="{float(sy(r)):.1f}" r="{radius:.1f}" fill="#1b2430" '
            f'fill-opacity="0.6"><title>t = {t:g}: {r:.3f} ({n})</title></circle>'
        )
    x = float(sx(result.recommended_interval))
    parts.append(
        f'<line x1="{x:.1f}" y1="{PAD}" x2="{x:.1f}" y2="{HEIGHT - PAD}" stroke="#b3261e" stroke-width="1.5">'
        f"<title>{escape(labels['recommended'])} {result.recommended_interval:.4g}</title></line>"
        f'<text x="{x:.1f}" y="{HEIGHT - PAD + 16}" text-anchor="middle" font-size="11">'
        f"{result.recommended_interval:.4g} {escape(result.unit)}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)
