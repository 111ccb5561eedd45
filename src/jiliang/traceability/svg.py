"""Draw a traceability chain as an inline SVG graph: the record at the bottom, each level of
certificates above it, national primary standards (and CIPM MRA links) on top. Nodes with a
reason the chain is broken are drawn red; a hover title gives the details."""

from __future__ import annotations

from collections import defaultdict
from html import escape

from jiliang.traceability.graph import NATIONAL_PRIMARY, Chain, Node

BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 230, 56, 30, 70, 20


def _text(x: float, y: float, text: str, *, bold: bool = False, size: int = 12) -> str:
    weight = ' font-weight="600"' if bold else ""
    return f'<text x="{x:.0f}" y="{y:.0f}" font-size="{size}"{weight} text-anchor="middle">{escape(text[:34])}</text>'


def draw(chain: Chain, primary_label: str = "national primary standard") -> str:
    """The SVG markup (no external resources; safe to inline); ``primary_label`` is translated by the caller."""
    levels: dict[int, list[Node]] = defaultdict(list)
    for node in chain.nodes:
        levels[chain.levels[node.id]].append(node)
    primaries = sorted(
        {(link.user, link.standard) for link in chain.links if link.standard_level == NATIONAL_PRIMARY}
    )
    top = max(levels, default=0) + (1 if primaries else 0)
    width = max([len(v) for v in levels.values()] + [len(primaries), 1]) * (BOX_W + GAP_X) + 2 * PAD
    height = (top + 1) * (BOX_H + GAP_Y) + 2 * PAD
    where: dict[object, tuple[float, float]] = {}
    for level, nodes in levels.items():
        for i, node in enumerate(nodes):
            where[node.id] = _position(i, len(nodes), top - level, width)
    for i, key in enumerate(primaries):
        where[key] = _position(i, len(primaries), 0, width)
    broken = {reason.record for reason in chain.reasons}
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chain" role="img" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" aria-label="traceability chain">'
    ]
    parts += _edges(chain, where)
    parts += [_node(node, where[node.id], node.id in broken) for node in chain.nodes]
    parts += [_primary(key[1], where[key], primary_label) for key in primaries]
    parts.append("</svg>")
    return "".join(parts)


def _position(index: int, count: int, row: int, width: float) -> tuple[float, float]:
    span = count * (BOX_W + GAP_X) - GAP_X
    x = (width - span) / 2 + index * (BOX_W + GAP_X)
    return x, PAD + row * (BOX_H + GAP_Y)


def _edges(chain: Chain, where: dict[object, tuple[float, float]]) -> list[str]:
    lines = []
    for link in chain.links:
        target = link.certificate if link.certificate in where else (link.user, link.standard)
        if target not in where or link.user not in where:
            continue
        (x1, y1), (x2, y2) = where[link.user], where[target]
        lines.append(
            f'<line x1="{x1 + BOX_W / 2:.0f}" y1="{y1:.0f}" x2="{x2 + BOX_W / 2:.0f}" y2="{y2 + BOX_H:.0f}" '
            f'stroke="#6b7785" stroke-width="1.5"><title>{escape(link.standard)} · {link.used_on}</title></line>'
        )
    return lines


def _node(node: Node, at: tuple[float, float], broken: bool) -> str:
    x, y = at
    stroke, fill = ("#c0392b", "#fbe4e2") if broken else ("#2e7d32", "#e3f4e5")
    until = node.valid_until.isoformat() if node.valid_until else "—"
    title = f"{node.certificate_number} · {node.issuer} · {node.calibration_date} → {until} · {node.status}"
    if node.mra_reference:
        title += f" · CIPM MRA {node.mra_reference}"
    return (
        f'<g class="node{" broken" if broken else ""}" data-id="{node.id}"><title>{escape(title)}</title>'
        f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" fill="{fill}" stroke="{stroke}"/>'
        + _text(x + BOX_W / 2, y + 18, node.certificate_number, bold=True)
        + _text(x + BOX_W / 2, y + 34, node.item)
        + _text(x + BOX_W / 2, y + 49, node.issuer, size=11)
        + "</g>"
    )


def _primary(name: str, at: tuple[float, float], label: str) -> str:
    x, y = at
    return (
        f'<g class="primary"><rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="6" '
        f'fill="#e8eef7" stroke="#1f5fa8" stroke-width="2"/>'
        + _text(x + BOX_W / 2, y + 24, name, bold=True)
        + _text(x + BOX_W / 2, y + 42, label, size=11)
        + "</g>"
    )
