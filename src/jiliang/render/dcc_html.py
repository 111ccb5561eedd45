"""A DCC as a self-contained HTML page (zh and en side by side, QR code as inline SVG)."""

from __future__ import annotations

from html import escape

from jiliang.dcc import Certificate
from jiliang.render.content import (
    label,
    overview,
    qr_matrix,
    result_rows,
    statements,
    uncertainty_statement,
)

_CSS = """body{font-family:"Noto Sans CJK SC","Source Han Sans SC",sans-serif;max-width:60rem;margin:2rem auto;color:#111}
h1{font-size:1.6rem}table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left}td.num{text-align:right;font-variant-numeric:tabular-nums}
dl{display:grid;grid-template-columns:14rem 1fr;gap:.2rem 1rem}dt{font-weight:bold}.qr{float:right;width:8rem}"""


def _svg(url: str) -> str:
    matrix = qr_matrix(url)
    n = len(matrix)
    cells = "".join(f"M{x},{y}h1v1h-1z" for y, row in enumerate(matrix) for x, on in enumerate(row) if on)
    return (
        f'<svg class="qr" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {n} {n}" role="img" '
        f'aria-label="{escape(url)}"><rect width="{n}" height="{n}" fill="#fff"/>'
        f'<path d="{cells}" fill="#000"/></svg>'
    )


def _dl(cert: Certificate) -> str:
    return (
        "<dl>"
        + "".join(f"<dt>{escape(label(k))}</dt><dd>{escape(v)}</dd>" for k, v in overview(cert))
        + "</dl>"
    )


def _tables(cert: Certificate) -> str:
    head = "".join(f"<th>{escape(label(k))}</th>" for k in ("quantity", "value", "unit", "expanded", "k"))
    out = []
    for name, rows in result_rows(cert):
        body = "".join(
            f"<tr><td>{escape(r.quantity)}</td><td class=num>{r.value}</td><td>{escape(r.unit)}</td>"
            f"<td class=num>{r.expanded}</td><td class=num>{r.coverage_factor}</td></tr>"
            for r in rows
        )
        out.append(
            f"<h3>{escape(name)}</h3><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
        )
    return "".join(out)


def _section(title: str, lines: list[str]) -> str:
    if not lines:
        return ""
    return f"<h2>{escape(title)}</h2>" + "".join(f"<p>{escape(line)}</p>" for line in lines)


def render_html(cert: Certificate, *, verification_url: str | None = None) -> str:
    """The human-readable copy of ``cert`` as one HTML document (UTF-8 text)."""
    statement = uncertainty_statement(cert)
    parts = [
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">',
        f"<title>{escape(label('title'))} {escape(cert.core.unique_identifier)}</title><style>{_CSS}</style></head><body>",
        _svg(verification_url) if verification_url else "",
        f"<h1>{escape(label('title'))}</h1>",
        _dl(cert),
        f"<h2>{escape(label('results'))}</h2>",
        _tables(cert),
        _section(label("uncertainty"), list(statement) if statement else []),
        _section(label("decision"), statements(cert, "basic_conformity")),
        _section(label("traceability"), statements(cert, "basic_metrologicalTraceability")),
        f"<p><small>{escape(label('schema'))} {escape(cert.schema_version)}"
        + (f" · {escape(label('verify'))}: {escape(verification_url)}" if verification_url else "")
        + "</small></p></body></html>",
    ]
    return "".join(parts)
