"""Small inline SVG charts for server-rendered pages (no JavaScript, no CDN).

Each function returns markup safe to place in a template; labels are escaped.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

BLUE, RED, AMBER, GREEN, GREY = "#0b5cad", "#c0392b", "#f0a202", "#2e8b57", "#c5ced8"
PALETTE = (BLUE, AMBER, GREEN, RED, GREY)


def bar_chart(items: Sequence[tuple[str, int]], *, label_width: int = 150, width: int = 520) -> SafeString:
    """Horizontal bars, one per ``(label, value)``, scaled to the largest value."""
    row, top = 24, 6
    height = top * 2 + row * max(1, len(items))
    largest = max((v for _, v in items), default=0) or 1
    span = width - label_width - 70
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (label, value) in enumerate(items):
        y = top + i * row
        bar = max(1.0, span * value / largest) if value else 0.0
        parts.append(
            f'<text x="{label_width - 8}" y="{y + 16}" text-anchor="end" class="label">{escape(label)}</text>'
            f'<rect x="{label_width}" y="{y + 4}" width="{bar:.1f}" height="{row - 8}" rx="3" '
            f'fill="{PALETTE[0]}"><title>{escape(label)}: {value:,}</title></rect>'
            f'<text x="{label_width + bar + 6:.1f}" y="{y + 16}" class="value">{value:,}</text>'
        )
    parts.append("</svg>")
    # Safe: every interpolated label went through escape() above.
    return mark_safe("".join(parts))


def donut(
    parts: Sequence[tuple[str, int]], *, size: int = 180, colours: Sequence[str] = PALETTE
) -> SafeString:
    """A ring divided among ``(label, value)`` parts, with a legend beside it; the centre shows
    the first part's share."""
    total = sum(v for _, v in parts) or 1
    radius, stroke = size / 2 - 18, 26
    circumference = 2 * math.pi * radius
    centre = size / 2
    offset = 0.0
    rings = []
    for i, (label, value) in enumerate(parts):
        length = circumference * value / total
        rings.append(
            f'<circle cx="{centre}" cy="{centre}" r="{radius:.2f}" fill="none" '
            f'stroke="{colours[i % len(colours)]}" stroke-width="{stroke}" '
            f'stroke-dasharray="{length:.2f} {circumference - length:.2f}" '
            f'stroke-dashoffset="{-offset:.2f}" transform="rotate(-90 {centre} {centre})">'
            f"<title>{escape(label)}: {value:,}</title></circle>"
        )
        offset += length
    share = 100 * parts[0][1] / total if parts else 0
    legend_x = size + 12
    legend = "".join(
        f'<rect x="{legend_x}" y="{30 + i * 26}" width="14" height="14" rx="2" '
        f'fill="{colours[i % len(colours)]}"/>'
        f'<text x="{legend_x + 22}" y="{42 + i * 26}" class="label">{escape(label)} ({value:,})</text>'
        for i, (label, value) in enumerate(parts)
    )
    svg = (
        f'<svg class="chart" viewBox="0 0 {size + 260} {size}" width="100%" role="img" '
        f'xmlns="http://www.w3.org/2000/svg">{"".join(rings)}'
        f'<text x="{centre}" y="{centre + 8}" text-anchor="middle" class="big">{share:.1f}%</text>'
        f"{legend}</svg>"
    )
    # Safe: every interpolated label went through escape() above.
    return mark_safe(svg)
