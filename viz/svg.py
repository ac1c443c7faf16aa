"""A view as a static SVG picture: the same layout and styles as the page, no script.

The picture is for where a page cannot run: a notebook that is not trusted, a
notebook exported to HTML or PDF, a file attached to a report. Entities sit where
:mod:`groupkg.viz.layout` put them, in the colours of :mod:`groupkg.viz.styles`;
each entity and holding carries its tooltip as an SVG ``<title>``, which a browser
shows on hover when the SVG is opened by itself.

Escaping: every string from data is written with :func:`_text`, which escapes
``&``, ``<``, ``>`` and both quotes and drops the characters XML does not allow, so
no name can open a tag, end an attribute or make the picture unreadable. The SVG
holds no script, no link and no reference to anything outside itself.
"""

from __future__ import annotations

import html
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from groupkg.viz.model import LegendItem, View, ViewEdge, ViewNode
from groupkg.viz.styles import EDGE_STYLES, KINDS, edge_style, node_modifiers, node_style

__all__ = ["to_svg"]

FONT = 13.0  # px: entity labels; edge labels are smaller
CHAR = 0.6  # width of an average character, in ems, to size boxes without a font
LABEL_CHARS = 24  # a label wraps after this many characters (the page's 180 px)
PAD = 40.0  # around the chart
HEADER = 64.0  # title and caption above the chart
LEGEND_ROW = 22.0

# Characters XML 1.0 allows; anything else (NUL, other control characters, lone
# surrogates) would make the whole picture fail to parse.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: object) -> str:
    """``value`` as SVG text or attribute content: escaped, and only XML characters."""
    return html.escape(_NOT_XML.sub("\ufffd", str(value)), quote=True)


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


# Shared by every label, so each is written once; a reader that ignores the style
# still draws every label, only plainer.
_STYLE = (
    f".gk-node text{{font-size:{_number(FONT)}px;fill:#1a1a1a;dominant-baseline:central}}"
    f".gk-edge text{{font-size:{_number(FONT * 0.8)}px;fill:#333333;stroke:#ffffff;"
    "stroke-width:3px;paint-order:stroke;dominant-baseline:central}"
    ".gk-legend text{font-size:11px;fill:#333333;text-anchor:start;dominant-baseline:central}"
    ".gk-heading{fill:#222222;text-anchor:start}"
)


@dataclass(frozen=True)
class _Box:
    """Where a node is drawn: its centre, half its width and half its height."""

    x: float
    y: float
    half_w: float
    half_h: float
    lines: tuple[str, ...]


def _lines(label: str) -> tuple[str, ...]:
    lines: list[str] = []
    for part in label.split("\n"):
        lines += textwrap.wrap(part, LABEL_CHARS) or [""]
    return tuple(lines)


def _boxes(nodes: Sequence[ViewNode]) -> dict[str, _Box]:
    boxes = {}
    for i, node in enumerate(nodes):
        lines = _lines(node.drawn_label)
        width = max(len(line) for line in lines) * FONT * CHAR + 18
        height = len(lines) * FONT * 1.25 + 14
        # A view made by hand may have no positions: place it on a grid of its levels.
        x = node.x if node.x is not None else (i % 8) * 210.0
        y = node.y if node.y is not None else node.level * 170.0
        boxes[node.id] = _Box(x, y, max(width, 40) / 2, height / 2, lines)
    return boxes


def _border_point(box: _Box, toward_x: float, toward_y: float) -> tuple[float, float]:
    """Where the line from the centre of ``box`` toward a point leaves the box."""
    dx, dy = toward_x - box.x, toward_y - box.y
    if dx == 0 and dy == 0:
        return box.x, box.y
    scale = min(
        box.half_w / abs(dx) if dx else float("inf"),
        box.half_h / abs(dy) if dy else float("inf"),
    )
    return box.x + dx * scale, box.y + dy * scale


def _dashes(value: Any) -> str:
    if not value:
        return ""
    pattern = value if isinstance(value, list) else [5, 4]
    return f' stroke-dasharray="{" ".join(str(v) for v in pattern)}"'


def _label(x: float, y: float, lines: Sequence[str], size: float, attrs: str = "") -> str:
    """Lines of text centred on x, the block centred on y; ``size`` sets the line spacing
    (the font size itself comes from :data:`_STYLE` unless ``attrs`` sets it)."""
    step = size * 1.25
    top = y - step * (len(lines) - 1) / 2
    spans = "".join(
        f'<tspan x="{_number(x)}" y="{_number(top + i * step)}">{_text(line)}</tspan>'
        for i, line in enumerate(lines)
    )
    return f"<text{attrs}>{spans}</text>"


def _node(node: ViewNode, box: _Box, fade: bool) -> str:
    style = node_style(node.kind, node_modifiers(node, fade))
    paint = (
        f'fill="{style["background"]}" stroke="{style["border"]}" '
        f'stroke-width="{_number(style.get("width", 1.5))}"{_dashes(style.get("dashes"))}'
    )
    if style["shape"] == "ellipse":
        shape = (
            f'<ellipse cx="{_number(box.x)}" cy="{_number(box.y)}" '
            f'rx="{_number(box.half_w + 6)}" ry="{_number(box.half_h + 2)}" {paint}/>'
        )
    else:
        shape = (
            f'<rect x="{_number(box.x - box.half_w)}" y="{_number(box.y - box.half_h)}" '
            f'width="{_number(2 * box.half_w)}" height="{_number(2 * box.half_h)}" '
            f'rx="4" {paint}/>'
        )
    size = FONT * (1.15 if node.ultimate_parent else 1.0)
    # inline, so that it wins over the shared style's defaults
    own = [f"font-size:{_number(size)}px"] if node.ultimate_parent else []
    own += [f"fill:{style['font']}"] if "font" in style else []
    text = _label(box.x, box.y, box.lines, size, f' style="{";".join(own)}"' if own else "")
    opacity = f' opacity="{style["opacity"]}"' if "opacity" in style else ""
    return f'<g class="gk-node"{opacity}><title>{_text(node.title)}</title>{shape}{text}</g>'


def _edge(edge: ViewEdge, boxes: dict[str, _Box], fade: bool, crossed: bool) -> str:
    start, end = boxes[edge.source], boxes[edge.target]
    style = edge_style(edge, fade)
    x1, y1 = _border_point(start, end.x, end.y)
    x2, y2 = _border_point(end, start.x, start.y)
    if crossed:  # a cross-holding: move the two opposite lines apart
        length = max(((x2 - x1) ** 2 + (y2 - y1) ** 2) ** 0.5, 1.0)
        nx_, ny_ = (y2 - y1) / length * 7, (x1 - x2) / length * 7
        x1, y1, x2, y2 = x1 + nx_, y1 + ny_, x2 + nx_, y2 + ny_
    color = style["color"]
    line = (
        f'<line x1="{_number(x1)}" y1="{_number(y1)}" x2="{_number(x2)}" y2="{_number(y2)}" '
        f'stroke="{color}" stroke-width="{_number(style["width"])}"'
        f'{_dashes(style.get("dashes"))} marker-end="url(#gk-arrow-{color[1:]})"/>'
    )
    text = _label((x1 + x2) / 2, (y1 + y2) / 2, edge.label.split("\n"), FONT * 0.8)
    return f'<g class="gk-edge"><title>{_text(edge.title)}</title>{line}{text}</g>'


def _markers(colors: set[str]) -> str:
    return "".join(
        f'<marker id="gk-arrow-{c[1:]}" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="7" markerHeight="7" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path d="M0,0 L10,5 L0,10 z" fill="{c}"/></marker>'
        for c in sorted(colors)
    )


def _legend(items: Sequence[LegendItem], width: float, top: float) -> tuple[str, float]:
    """The legend in rows that fit ``width``, starting at ``top``; the drawing and its end."""
    parts, x, y = [], PAD, top
    for item in items:
        room = 30 + len(item.text) * 11 * CHAR + 24
        if x > PAD and x + room > width - PAD:
            x, y = PAD, y + LEGEND_ROW
        if item.target == "node":
            kind = item.style if item.style in KINDS else "company"
            style = node_style(kind, [] if item.style in KINDS else [item.style])
            swatch = (
                f'<rect x="{_number(x)}" y="{_number(y - 6)}" width="20" height="12" rx="2" '
                f'fill="{style["background"]}" stroke="{style["border"]}" stroke-width="2"'
                f"{_dashes(style.get('dashes'))}/>"
            )
        else:
            style = EDGE_STYLES[item.style]
            swatch = (
                f'<line x1="{_number(x)}" y1="{_number(y)}" x2="{_number(x + 24)}" '
                f'y2="{_number(y)}" stroke="{style["color"]}" stroke-width="3"'
                f"{_dashes(style.get('dashes'))}/>"
            )
        parts.append(swatch)
        parts.append(f'<text x="{_number(x + 30)}" y="{_number(y)}">{_text(item.text)}</text>')
        x += room
    return '<g class="gk-legend">' + "".join(parts) + "</g>", y


def _chart(view: View, boxes: dict[str, _Box], top: float, left: float) -> tuple[str, float]:
    """The nodes and edges of ``view`` drawn below ``top``, x shifted by ``left``; the
    drawing and its height."""
    if not boxes:
        return "", 0.0
    fade = any(n.on_path for n in view.nodes)
    pairs = {(e.source, e.target) for e in view.edges}
    drawn = [e for e in view.edges if e.source in boxes and e.target in boxes]
    edges = "".join(_edge(e, boxes, fade, (e.target, e.source) in pairs) for e in drawn)
    nodes = "".join(_node(n, boxes[n.id], fade) for n in view.nodes)
    high = min(b.y - b.half_h for b in boxes.values())
    low = max(b.y + b.half_h for b in boxes.values())
    shift = f"translate({_number(PAD - left)},{_number(top - high)})"
    return f'<g transform="{shift}">{edges}{nodes}</g>', low - high


def _heading(text: str, y: float, size: float, weight: str = "normal") -> str:
    return (
        f'<text class="gk-heading" x="{_number(PAD)}" y="{_number(y)}" font-size="{size}" '
        f'font-weight="{weight}">{_text(text)}</text>'
    )


def to_svg(item: View | Sequence[tuple[Any, View]]) -> str:
    """The static picture of a view, or of a timeline (its states one under another).

    A view gets its title, its caption, the chart and the legend; a timeline gets its
    title once and each state's chart under a heading naming the state and its day.
    """
    if isinstance(item, View):
        title, states = item.title, [(None, item)]
    else:
        states = list(item)
        if not states:
            raise ValueError("a timeline needs at least one state")
        title = getattr(item, "title", None) or "Timeline"
    body: list[str] = [_heading(title, PAD * 0.75, 18, "bold")]
    colors: set[str] = set()
    legend: list[LegendItem] = []
    # The states of a timeline share their positions: one left edge for all keeps each
    # entity in its column from state to state.
    placed = [_boxes(view.nodes) for _, view in states]
    every = [box for boxes in placed for box in boxes.values()]
    left = min((b.x - b.half_w for b in every), default=0.0)
    right = max((b.x + b.half_w for b in every), default=0.0)
    y, width = PAD * 0.75 + 10, max(400.0, right - left + 2 * PAD)
    for index, ((day, view), boxes) in enumerate(zip(states, placed, strict=True)):
        if day is not None:
            name = day.isoformat() if hasattr(day, "isoformat") else str(day)
            y += 30
            body.append(_heading(f"{index + 1} / {len(states)}: {name}", y, 15, "bold"))
        if view.notes:
            y += 22
            body.append(_heading(" · ".join(view.notes), y, 13))
        chart, height = _chart(view, boxes, y + HEADER - 24, left)
        body.append(chart)
        y += HEADER - 24 + height + 16
        fade = any(n.on_path for n in view.nodes)
        colors |= {edge_style(e, fade)["color"] for e in view.edges}
        legend += [i for i in view.legend if i not in legend]
    if legend:
        drawn, y = _legend(legend, width, y + LEGEND_ROW)
        body.append(drawn)
    height = y + PAD / 2
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{_number(width)}" '
        f'height="{_number(height)}" viewBox="0 0 {_number(width)} {_number(height)}" '
        f'font-family="system-ui, sans-serif" text-anchor="middle">'
        f"<title>{_text(title)}</title><style>{_STYLE}</style><defs>{_markers(colors)}</defs>"
        f'<rect width="100%" height="100%" fill="#ffffff"/>' + "".join(body) + "</svg>"
    )
