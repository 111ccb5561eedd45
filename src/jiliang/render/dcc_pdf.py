"""A DCC as a PDF (reportlab), zh and en side by side, with the verification QR code.

Chinese text uses reportlab's built-in Adobe CID font ``STSong-Light`` (Adobe-GB1), which a
PDF viewer supplies: nothing is embedded, nothing is read from disk.
"""

from __future__ import annotations

import io
from html import escape

from reportlab.graphics.shapes import Drawing, Rect
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from jiliang.dcc import Certificate
from jiliang.render.content import (
    both,
    label,
    overview,
    qr_matrix,
    result_rows,
    statements,
    uncertainty_statement,
)

FONT = "STSong-Light"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    return FONT


def _pdf_text(text: str) -> str:
    # Adobe-GB1 has the Greek small mu but not the micro sign U+00B5.
    return escape(text.replace("\u00b5", "\u03bc"))


def _styles() -> dict[str, ParagraphStyle]:
    font = _font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, spaceAfter=6),
        "h2": ParagraphStyle("h2", fontName=font, fontSize=12, leading=16, spaceBefore=8, spaceAfter=4),
        "body": ParagraphStyle("body", fontName=font, fontSize=9, leading=12),
        "small": ParagraphStyle("small", fontName=font, fontSize=7, leading=9, textColor=colors.grey),
    }


def _qr(url: str, size: float = 30 * mm) -> Drawing:
    matrix = qr_matrix(url)
    cell = size / len(matrix)
    drawing = Drawing(size, size)
    for y, row in enumerate(matrix):
        for x, on in enumerate(row):
            if on:
                drawing.add(
                    Rect(x * cell, size - (y + 1) * cell, cell, cell, fillColor=colors.black, strokeWidth=0)
                )
    return drawing


def _table(data: list[list[object]], widths: list[float], header: bool = True) -> Table:
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), _font()),
        ("FONTSIZE", (0, 0), (-1, -1), 8),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
    ]
    if header:
        style += [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee")),
            ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
        ]
    table.setStyle(TableStyle(style))
    return table


def _overview(cert: Certificate, s: dict[str, ParagraphStyle]) -> Table:
    rows = [
        [Paragraph(_pdf_text(label(k)), s["body"]), Paragraph(_pdf_text(v), s["body"])]
        for k, v in overview(cert)
    ]
    return _table(rows, [55 * mm, 115 * mm], header=False)


def _results(cert: Certificate, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    head = [Paragraph(_pdf_text(label(k)), s["body"]) for k in ("quantity", "value", "unit", "expanded", "k")]
    out: list[Flowable] = [Paragraph(_pdf_text(label("results")), s["h2"])]
    for name, rows in result_rows(cert):
        out.append(Paragraph(_pdf_text(name), s["body"]))
        body = [
            [
                Paragraph(_pdf_text(r.quantity), s["body"]),
                r.value,
                _pdf_text(r.unit),
                r.expanded,
                r.coverage_factor,
            ]
            for r in rows
        ]
        out.append(_table([head, *body], [60 * mm, 30 * mm, 20 * mm, 35 * mm, 25 * mm]))
    return out


def _section(title: str, lines: list[str], s: dict[str, ParagraphStyle]) -> list[Flowable]:
    if not lines:
        return []
    return [Paragraph(_pdf_text(title), s["h2"]), *(Paragraph(_pdf_text(line), s["body"]) for line in lines)]


def render_pdf(cert: Certificate, *, verification_url: str | None = None) -> bytes:
    """The human-readable copy of ``cert`` as PDF bytes."""
    s = _styles()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        title=f"{label('title')} {cert.core.unique_identifier}",
        author=both(cert.laboratory.name),
    )
    title: list[list[object]] = [[Paragraph(_pdf_text(label("title")), s["title"]), ""]]
    if verification_url:
        title[0][1] = _qr(verification_url)
    story: list[Flowable] = [
        Table(title, colWidths=[135 * mm, 35 * mm]),
        Spacer(1, 4 * mm),
        _overview(cert, s),
    ]
    story += _results(cert, s)
    statement = uncertainty_statement(cert)
    story += _section(label("uncertainty"), list(statement) if statement else [], s)
    story += _section(label("decision"), statements(cert, "basic_conformity"), s)
    story += _section(label("traceability"), statements(cert, "basic_metrologicalTraceability"), s)
    footer = f"{label('schema')} {cert.schema_version}"
    if verification_url:
        footer += f" | {label('verify')}: {verification_url}"
    story += [Spacer(1, 6 * mm), Paragraph(_pdf_text(footer), s["small"])]
    doc.build(story)
    return buffer.getvalue()
