"""The risk picture: a PDF drawn over the tolerance interval and the acceptance limits (inline SVG).

The part of the PDF outside the tolerance interval (the probability of nonconformity) is shaded, the
tolerance limits are solid and the acceptance limits dashed, so that a guard band is visible as the gap
between them. Pure string building: numbers are formatted, labels are escaped.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from django.utils.html import escape

from jiliang.conformity import Tolerance

WIDTH, HEIGHT, PAD = 640, 260, 36


def _x_range(pdf: Any, tolerance: Tolerance, limits: tuple[float, float]) -> tuple[float, float]:
    points = [float(pdf.ppf(1e-4)), float(pdf.isf(1e-4))]
    points += [x for x in (tolerance.lower, tolerance.upper, *limits) if x is not None and math.isfinite(x)]
    lo, hi = min(points), max(points)
    margin = 0.08 * (hi - lo or 1.0)
    return lo - margin, hi + margin


def _path(xs: np.ndarray, ys: np.ndarray) -> str:
    return " ".join(
        f"{'M' if i == 0 else 'L'}{x:.1f},{y:.1f}" for i, (x, y) in enumerate(zip(xs, ys, strict=True))
    )


def risk_picture(
    pdf: Any,
    tolerance: Tolerance,
    limits: tuple[float, float],
    labels: dict[str, str],
    *,
    marker: float | None = None,
) -> str:
    lo, hi = _x_range(pdf, tolerance, limits)
    grid = np.linspace(lo, hi, 400)
    density = pdf.pdf(grid)
    top = float(density.max()) or 1.0

    def sx(x: float | np.ndarray) -> Any:
        return PAD + (np.asarray(x) - lo) / (hi - lo) * (WIDTH - 2 * PAD)

    def sy(y: np.ndarray) -> Any:
        return HEIGHT - PAD - y / top * (HEIGHT - 2 * PAD)

    outside = (grid < tolerance.lo) | (grid > tolerance.hi)
    shaded = np.where(outside, density, 0.0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" class="risk-picture" '
        'style="max-width:44rem;width:100%" role="img" '
        f'aria-label="{escape(labels.get("title", ""))}">',
        f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - PAD}" y2="{HEIGHT - PAD}" stroke="#5b6675"/>',
        f'<path d="{_path(sx(grid), sy(shaded))} L{sx(hi):.1f},{HEIGHT - PAD} L{sx(lo):.1f},{HEIGHT - PAD} Z" '
        'fill="#fbe4e2" stroke="none"/>',
        f'<path d="{_path(sx(grid), sy(density))}" fill="none" stroke="#0b5cad" stroke-width="2"/>',
    ]
    for x, key, dash, colour in (
        (tolerance.lower, "tolerance", "", "#b3261e"),
        (tolerance.upper, "tolerance", "", "#b3261e"),
        (limits[0], "acceptance", "6 4", "#1e7d32"),
        (limits[1], "acceptance", "6 4", "#1e7d32"),
    ):
        if x is None or not math.isfinite(x):
            continue
        px = float(sx(x))
        parts.append(
            f'<line x1="{px:.1f}" y1="{PAD - 10}" x2="{px:.1f}" y2="{HEIGHT - PAD}" stroke="{colour}" '
            f'stroke-width="1.5" stroke-dasharray="{dash}" data-limit="{key}"><title>{escape(labels.get(key, key))} '
            f"{x:.6g}</title></line>"
        )
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - PAD + 16}" text-anchor="middle" font-size="11">{x:.4g}</text>'
        )
    if marker is not None:
        parts.append(
            f'<circle cx="{float(sx(marker)):.1f}" cy="{HEIGHT - PAD}" r="4" fill="#1b2430">'
            f"<title>{escape(labels.get('value', 'y'))} {marker:.6g}</title></circle>"
        )
    legend = [
        ("#b3261e", "", labels.get("tolerance", "tolerance limits")),
        ("#1e7d32", "6 4", labels.get("acceptance", "acceptance limits")),
    ]
    for i, (colour, dash, text) in enumerate(legend):
        y = 14 + 16 * i
        parts.append(
            f'<line x1="{WIDTH - 200}" y1="{y}" x2="{WIDTH - 176}" y2="{y}" stroke="{colour}" stroke-width="1.5" '
            f'stroke-dasharray="{dash}"/><text x="{WIDTH - 170}" y="{y + 4}" font-size="11">{escape(text)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
