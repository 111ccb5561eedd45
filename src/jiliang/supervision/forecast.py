"""Forecast of meters falling due per year, with and without the extension programme.

Without the programme every meter falls due ``base_years`` after its verification year; with it,
after its granted extensions as well (research notes 1.3: the figure "5.68 million meters kept
four more years" is a query result here, not a text).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
from numpy.typing import ArrayLike

from jiliang.errors import InvalidInput


@dataclass(frozen=True)
class Forecast:
    years: tuple[int, ...]
    without_programme: tuple[int, ...]
    with_programme: tuple[int, ...]

    @property
    def deferred(self) -> int:
        """Meters whose due year lies after the forecast window thanks to extensions."""
        return sum(self.without_programme) - sum(self.with_programme)

    def as_dict(self) -> dict[str, object]:
        return {
            "years": list(self.years),
            "without_programme": list(self.without_programme),
            "with_programme": list(self.with_programme),
        }


def forecast(
    verification_year: ArrayLike, extension_years: ArrayLike, base_years: int, first: int, last: int
) -> Forecast:
    """Count meters falling due in each year ``first..last`` (inclusive)."""
    if last < first:
        raise InvalidInput("last", f"{last} is before the first year {first}")
    if last - first > 100:
        raise InvalidInput("last", "a forecast spans at most 100 years")
    vy = np.asarray(verification_year, dtype=np.int64)
    ext = np.asarray(extension_years, dtype=np.int64)
    if vy.shape != ext.shape:
        raise InvalidInput("extension_years", "needs one value per meter")
    span = last - first + 1

    def per_year(due: np.ndarray) -> tuple[int, ...]:
        inside = due[(due >= first) & (due <= last)] - first
        return tuple(int(x) for x in np.bincount(inside, minlength=span))

    base = vy + base_years
    return Forecast(tuple(range(first, last + 1)), per_year(base), per_year(base + ext))


def forecast_svg(
    fc: Forecast,
    labels: tuple[str, str] = ("without programme", "with programme"),
    width: int = 640,
    height: int = 280,
) -> str:
    """Grouped bar chart of the two series as inline SVG."""
    left, bottom, top = 60, 30, 30
    top_value = max([*fc.without_programme, *fc.with_programme, 1])
    plot_h, plot_w = height - bottom - top, width - left - 10
    slot = plot_w / max(len(fc.years), 1)
    bar = slot * 0.38
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'class="chart forecast"><title>{escape(labels[0])} / {escape(labels[1])}</title>',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="#333"/>',
        f'<text x="{left - 6}" y="{top + 4}" text-anchor="end" font-size="10">{top_value:,}</text>',
    ]
    for i, year in enumerate(fc.years):
        x = left + i * slot + slot * 0.1
        for j, (value, colour) in enumerate(
            ((fc.without_programme[i], "#b0b7c3"), (fc.with_programme[i], "#2b6cb0"))
        ):
            h = plot_h * value / top_value
            parts.append(
                f'<rect x="{x + j * bar:.1f}" y="{height - bottom - h:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{year}: {value:,}</title></rect>'
            )
        parts.append(
            f'<text x="{x + bar:.1f}" y="{height - bottom + 14}" text-anchor="middle" font-size="10">{year}</text>'
        )
    for j, (label, colour) in enumerate(zip(labels, ("#b0b7c3", "#2b6cb0"), strict=True)):
        parts.append(f'<rect x="{left + j * 200}" y="8" width="12" height="12" fill="{colour}"/>')
        parts.append(f'<text x="{left + j * 200 + 16}" y="18" font-size="11">{escape(label)}</text>')
    parts.append("</svg>")
    return "".join(parts)
