"""Reports of an evaluation: GUM 7.2.6 rounding, plain text and HTML (with an inline SVG histogram).

Formatting only: the numbers come from the frozen results; nothing is computed here except the
rounding for display. The JSON output never goes through this module (it is never rounded).
"""

from __future__ import annotations

import math
from html import escape

from jiliang.uncertainty.results import Evaluation, GumResult, MonteCarloResult, OutputResult


def decimals_for(u: float, digits: int = 2) -> int:
    """Decimal places that keep ``digits`` significant digits of u (GUM 7.2.6: at most two)."""
    if not u > 0 or not math.isfinite(u):
        return 6
    exponent = math.floor(math.log10(u)) - digits + 1
    if round(u / 10**exponent) >= 10**digits:
        exponent += 1
    return max(0, -exponent)


def round_result(y: float, u: float, digits: int = 2) -> tuple[str, str]:
    """``y`` and ``u`` as strings, u to ``digits`` significant digits and y to the same decimal
    place (GUM 7.2.6: the estimate is rounded to be consistent with its uncertainty)."""
    if not u > 0 or not math.isfinite(u):
        return f"{y:.6g}", f"{u:g}"
    exponent = math.floor(math.log10(u)) - digits + 1
    if round(u / 10**exponent) >= 10**digits:
        exponent += 1
    if exponent > 0:
        step = 10**exponent
        return f"{round(y / step) * step:.0f}", f"{round(u / step) * step:.0f}"
    places = -exponent
    return f"{y:.{places}f}", f"{u:.{places}f}"


def _dof(value: float) -> str:
    return "∞" if math.isinf(value) else f"{value:.1f}"


def text_report(evaluation: Evaluation) -> str:
    lines = [evaluation.title] if evaluation.title else []
    for out in evaluation.outputs:
        lines.extend(_text_output(out))
    if evaluation.output_correlations:
        lines.append("Output correlations (GUM): " + _pairs(evaluation.output_correlations))
    if evaluation.mc_output_correlations:
        lines.append("Output correlations (Monte Carlo): " + _pairs(evaluation.mc_output_correlations))
    return "\n".join(lines) + "\n"


def _pairs(pairs: tuple[tuple[str, str, float], ...]) -> str:
    return ", ".join(f"r({a}, {b}) = {r:.3f}" for a, b, r in pairs)


def _text_output(out: OutputResult) -> list[str]:
    unit = f" {out.unit}" if out.unit else ""
    lines = [f"\n{out.name} [{out.unit or '1'}]"]
    if out.gum:
        g = out.gum
        y, u = round_result(g.estimate, g.standard_uncertainty)
        _, big = round_result(g.estimate, g.expanded_uncertainty)
        lines.append(
            f"  GUM: {out.name} = {y}{unit}, u = {u}{unit}, ν_eff = {_dof(g.effective_dof)}, "
            f"k = {g.coverage_factor:.2f}, U = {big}{unit} (p = {g.coverage_probability:g})"
            + (" [second order]" if g.second_order else "")
        )
        lines.append(f"  {'input':<14}{'estimate':>16}{'u(x)':>12}{'c':>12}{'c·u':>12}{'%':>7}{'ν':>7}")
        for row in g.budget:
            lines.append(
                f"  {row.input:<14}{row.estimate:>16.8g}{row.standard_uncertainty:>12.3g}"
                f"{row.sensitivity_coefficient:>12.3g}{row.contribution:>12.3g}{row.percent:>7.1f}{_dof(row.dof):>7}"
            )
    if out.mc:
        lines.append(_text_mc(out.name, out.mc, unit))
    if out.validation:
        v = out.validation
        verdict = "validated" if v.passed else "NOT validated"
        lines.append(
            f"  Validation (JCGM 101 8): {verdict}: d_low = {v.d_low:.3g}, d_high = {v.d_high:.3g}, δ = {v.tolerance:g}"
        )
    return lines


def _text_mc(name: str, mc: MonteCarloResult, unit: str) -> str:
    y, u = round_result(mc.estimate, mc.standard_uncertainty)
    places = decimals_for(mc.standard_uncertainty)
    lo, hi = (f"{v:.{places}f}" for v in mc.coverage_interval)
    slo, shi = (f"{v:.{places}f}" for v in mc.shortest_coverage_interval)
    how = "adaptive" if mc.adaptive else "fixed"
    return (
        f"  Monte Carlo ({mc.trials} trials, {how}, seed {mc.seed}): {name} = {y}{unit}, u = {u}{unit}, "
        f"{mc.coverage_probability:g} interval [{lo}, {hi}], shortest [{slo}, {shi}]"
    )


def histogram_svg(
    mc: MonteCarloResult, gum: GumResult | None = None, width: int = 560, height: int = 220
) -> str:
    """An inline SVG histogram of the Monte Carlo values with the probabilistically symmetric
    interval (solid), the shortest one (dashed) and the GUM interval (dotted)."""
    counts, edges = mc.histogram.counts, mc.histogram.edges
    lo, hi = edges[0], edges[-1]
    top = max(counts) or 1
    pad, plot_w, plot_h = 10, width - 20, height - 40

    def x_of(v: float) -> float:
        return pad + (v - lo) / (hi - lo) * plot_w if hi > lo else pad

    bar = plot_w / len(counts)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="histogram" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Monte Carlo histogram">'
    ]
    for i, c in enumerate(counts):
        h = c / top * plot_h
        parts.append(
            f'<rect x="{pad + i * bar:.2f}" y="{pad + plot_h - h:.2f}" width="{bar:.2f}" height="{h:.2f}" fill="#9fc1e6"/>'
        )
    lines = [(mc.coverage_interval, "#0b5cad", ""), (mc.shortest_coverage_interval, "#1e7d32", "6 3")]
    if gum:
        lines.append((gum.coverage_interval, "#b3261e", "2 3"))
    for (a, b), colour, dash in lines:
        for v in (a, b):
            parts.append(
                f'<line x1="{x_of(v):.2f}" x2="{x_of(v):.2f}" y1="{pad}" y2="{pad + plot_h}" '
                f'stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>'
            )
    for v, anchor in ((lo, "start"), (hi, "end")):
        parts.append(
            f'<text x="{x_of(v):.2f}" y="{height - 8}" font-size="11" text-anchor="{anchor}">{v:.6g}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def html_report(evaluation: Evaluation) -> str:
    """A self-contained HTML page: budget, histogram with both intervals, and the validation."""
    body = [f"<h1>{escape(evaluation.title or 'Uncertainty evaluation')}</h1>"]
    for out in evaluation.outputs:
        body.append(f"<h2>{escape(out.name)} <small>[{escape(out.unit or '1')}]</small></h2>")
        body.append("<pre>" + escape("\n".join(_text_output(out)[1:2])) + "</pre>")
        if out.gum:
            body.append(_html_budget(out.gum))
        if out.mc:
            body.append(
                "<pre>" + escape(_text_mc(out.name, out.mc, f" {out.unit}" if out.unit else "")) + "</pre>"
            )
            body.append(histogram_svg(out.mc, out.gum))
            body.append(
                '<p class="legend">solid: probabilistically symmetric interval; dashed: shortest interval;'
                " dotted: GUM interval</p>"
            )
        if out.validation:
            v = out.validation
            badge = "ok" if v.passed else "bad"
            text = "validated" if v.passed else "not validated"
            body.append(
                f'<p>JCGM 101 clause 8: <span class="badge {badge}">{text}</span> d_low = {v.d_low:.3g}, '
                f"d_high = {v.d_high:.3g}, δ = {v.tolerance:g}</p>"
            )
    style = (
        "body{font-family:system-ui,sans-serif;margin:2rem;color:#1b2430}table{border-collapse:collapse}"
        "td,th{border-bottom:1px solid #d9dee5;padding:.3rem .6rem}td.num{text-align:right}"
        ".badge.ok{color:#1e7d32}.badge.bad{color:#b3261e}"
    )
    return (
        '<!doctype html><html><head><meta charset="utf-8"><title>'
        + escape(evaluation.title or "Uncertainty evaluation")
        + f"</title><style>{style}</style></head><body>"
        + "\n".join(body)
        + "</body></html>\n"
    )


def _html_budget(g: GumResult) -> str:
    head = "".join(
        f"<th>{h}</th>" for h in ("input", "estimate", "u(x)", "c", "c·u(x)", "%", "ν", "distribution")
    )
    rows = []
    for r in g.budget:
        cells = [
            escape(r.input),
            f"{r.estimate:.8g} {escape(r.unit)}",
            f"{r.standard_uncertainty:.3g}",
            f"{r.sensitivity_coefficient:.3g}",
            f"{r.contribution:.3g}",
            f"{r.percent:.1f}",
            _dof(r.dof),
            escape(r.distribution),
        ]
        rows.append("<tr>" + "".join(f'<td class="num">{c}</td>' for c in cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
