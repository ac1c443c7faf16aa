"""Where the words go: the size of every label, and edge labels placed clear of the rest.

Sizes are estimated here, in Python, from the number of characters: a fixed width per
character (a little wider than system-ui's average, so an estimate errs on the large
side) and a line height of one font size, wrapped at the width vis-network's
``widthConstraint`` allows. The page could measure the text it draws and correct the
layout afterwards, but then the picture would depend on the fonts of the machine that
opens it and would move once drawn; an estimate gives the same picture for the same
data everywhere, and the browser tests check it against what Chromium draws.

vis-network puts an edge's label at the middle of the edge (its point at ``t = 0.5``).
A label that would cover a node or another label is moved by bending its edge
(``smooth`` ``curvedCW``/``curvedCCW`` with a roundness: the middle of the curve moves
sideways); when no bend clears it, the chart is widened and every label placed again.
:func:`arrange` does this for the states of one page together, so that a timeline
keeps one set of positions.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from groupkg.viz.model import View, ViewEdge, ViewNode
from groupkg.viz.styles import NODE_STYLES

__all__ = ["LARGE", "Box", "arrange", "edge_label_box", "extent", "node_box", "text_size"]

#: From this many nodes or edges a page is drawn for speed rather than polish: labels
#: show only when zoomed in, and are not placed one by one.
LARGE = 600

CHAR_EM = 0.56  # width of an average character, in font sizes (measured: about 0.5)
NODE_FONT = 14
ULTIMATE_PARENT_FONT = 18
EDGE_FONT = 11
LABEL_MOST = 158  # widest a node's text grows before it wraps (widthConstraint 180)
NODE_PADDING = 30  # a box node is its text plus margins and border, both ways
CLEARANCE = 6  # free space kept around every label
BENDS = (0.25, -0.25, 0.4, -0.4, 0.55, -0.55, 0.7, -0.7)
CROSSED_BENDS = (0.3, 0.45, 0.6)  # a cross-holding's two edges bend apart (both CW)
WIDENINGS = (1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.4, 3.0)


@dataclass(frozen=True)
class Box:
    """A rectangle on the canvas, by its edges."""

    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Box) -> bool:
        """Whether the two boxes overlap (touching edges do not).

        >>> Box(0, 0, 10, 10).meets(Box(10, 0, 20, 10)), Box(0, 0, 10, 10).meets(Box(5, 5, 8, 8))
        (False, True)
        """
        return (
            self.left < other.right
            and other.left < self.right
            and self.top < other.bottom
            and other.top < self.bottom
        )

    def grown(self, by: float) -> Box:
        return Box(self.left - by, self.top - by, self.right + by, self.bottom + by)


def _around(x: float, y: float, width: float, height: float) -> Box:
    return Box(x - width / 2, y - height / 2, x + width / 2, y + height / 2)


def text_size(text: str, font: float, most: float | None = None) -> tuple[float, float]:
    """Width and height of ``text`` drawn at ``font`` pixels, wrapped at ``most`` pixels.

    Lines break at newlines, and, when ``most`` is given, between words as
    vis-network breaks them.

    >>> text_size("100%", 11)
    (24.64, 11)
    >>> text_size("Nippon Telegraph and Telephone Corporation", 14, most=158)[1]
    42
    """
    per_char = font * CHAR_EM
    lines: list[str] = []
    for line in text.split("\n"):
        if most is None:
            lines.append(line)
            continue
        current = ""
        for word in line.split(" "):
            trial = f"{current} {word}" if current else word
            if current and len(trial) * per_char > most:
                lines.append(current)
                current = word
            else:
                current = trial
        lines.append(current)
    width = max(len(line) for line in lines) * per_char
    if most is not None:
        # Wrapped text fills the line up to the limit in the browser, whose characters
        # are narrower than the estimate's.
        wrapped = len(lines) > text.count("\n") + 1
        width = most if wrapped else min(width, most)
    return round(width, 2), len(lines) * font


def node_box(node: ViewNode) -> Box:
    """The box a node is drawn in, at its x/y."""
    shape = NODE_STYLES[node.kind]["shape"]
    font = ULTIMATE_PARENT_FONT if node.ultimate_parent else NODE_FONT
    width, height = text_size(node.drawn_label, font, LABEL_MOST)
    if shape == "ellipse":  # vis-network: as wide as the text and one line, twice as high
        width, height = width + height + 2 * CLEARANCE, 2 * height + 2 * CLEARANCE
    else:
        width, height = width + NODE_PADDING, height + NODE_PADDING
    return _around(node.x or 0.0, node.y or 0.0, width, height)


def label_point(
    start: tuple[float, float], end: tuple[float, float], bend: float
) -> tuple[float, float]:
    """Where vis-network draws the label of an edge from ``start`` to ``end``.

    Unbent (a vertical cubic Bézier, or a straight line) the label sits half way; bent,
    at the middle of the quadratic curve through vis-network's ``curvedCW`` (``bend``
    above 0) or ``curvedCCW`` (below 0) control point.

    >>> label_point((0, 0), (100, 200), 0)
    (50.0, 100.0)
    """
    (x1, y1), (x2, y2) = start, end
    if bend == 0:
        return (x1 + x2) / 2, (y1 + y2) / 2
    dx, dy = x2 - x1, y1 - y2
    length = math.hypot(dx, dy)
    factor = abs(bend)
    turn = (0.5 * factor + 0.5) if bend > 0 else (-0.5 * factor + 0.5)
    angle = (math.atan2(dy, dx) + turn * math.pi) % (2 * math.pi)
    via_x = x1 + (0.5 * factor + 0.5) * length * math.sin(angle)
    via_y = y1 + (0.5 * factor + 0.5) * length * math.cos(angle)
    return 0.25 * x1 + 0.5 * via_x + 0.25 * x2, 0.25 * y1 + 0.5 * via_y + 0.25 * y2


def edge_label_box(edge: ViewEdge, start: tuple[float, float], end: tuple[float, float]) -> Box:
    """The box of an edge's label, as drawn with its bend."""
    x, y = label_point(start, end, edge.bend)
    return _around(x, y, *text_size(edge.label, EDGE_FONT))


def _boxes(view: View) -> dict[str, Box]:
    return {n.id: node_box(n) for n in view.nodes}


def extent(views: Iterable[View], margin: float = 24.0) -> Box | None:
    """The smallest box around every node and edge label of ``views``, plus ``margin``."""
    found: list[Box] = []
    for view in views:
        nodes = _boxes(view)
        where = {n.id: (n.x or 0.0, n.y or 0.0) for n in view.nodes}
        found += nodes.values()
        found += [
            edge_label_box(e, where[e.source], where[e.target])
            for e in view.edges
            if e.label and e.source in where and e.target in where
        ]
    if not found:
        return None
    return Box(
        min(b.left for b in found) - margin,
        min(b.top for b in found) - margin,
        max(b.right for b in found) + margin,
        max(b.bottom for b in found) + margin,
    )


def _crowded(boxes: list[Box]) -> int:
    """How many pairs of ``boxes`` overlap (a sweep from left to right)."""
    found = 0
    ordered = sorted(boxes, key=lambda b: b.left)
    for i, box in enumerate(ordered):
        for other in ordered[i + 1 :]:
            if other.left >= box.right:
                break
            found += box.meets(other)
    return found


def _place(view: View) -> tuple[list[ViewEdge], int]:
    """The view's edges with bends that keep their labels clear, and how many are not."""
    nodes = [b.grown(CLEARANCE) for b in _boxes(view).values()]
    clashes = _crowded(nodes)
    where = {n.id: (n.x or 0.0, n.y or 0.0) for n in view.nodes}
    pairs = {(e.source, e.target) for e in view.edges}
    placed: list[Box] = []
    edges: list[ViewEdge] = []
    # Short labels first would leave the long ones no room: the widest choose first.
    order = sorted(view.edges, key=lambda e: (-text_size(e.label, EDGE_FONT)[0], e.id))
    for edge in order:
        if not edge.label or edge.source not in where or edge.target not in where:
            edges.append(edge)
            continue
        crossed = (edge.target, edge.source) in pairs
        choices = CROSSED_BENDS if crossed else (0.0, *BENDS)
        best: tuple[int, ViewEdge, Box] | None = None
        for bend in choices:
            trial = replace(edge, bend=bend)
            box = edge_label_box(trial, where[edge.source], where[edge.target])
            hits = sum(box.meets(other) for other in (*nodes, *placed))
            if best is None or hits < best[0]:
                best = (hits, trial, box)
            if hits == 0:
                break
        assert best is not None
        clashes += best[0]
        edges.append(best[1])
        placed.append(best[2].grown(CLEARANCE))
    return sorted(edges, key=lambda e: e.id), clashes


def _widened(view: View, factor: float) -> View:
    nodes = [replace(n, x=None if n.x is None else round(n.x * factor, 2)) for n in view.nodes]
    return replace(view, nodes=nodes)


def arrange(views: Sequence[View]) -> list[View]:
    """``views`` (the states of one page, sharing positions) with their edge labels placed.

    Each edge label keeps to the middle of its edge where that is free, else bends
    its edge until it is; when some label finds no free place, the chart is widened
    (x only, the same factor for every state) and all are placed again. A page of
    :data:`LARGE` or more nodes is left as it is: its labels show only when zoomed in.
    """
    if not views or max(len(v.nodes) for v in views) >= LARGE:
        return list(views)
    best: tuple[int, list[View]] | None = None
    for factor in WIDENINGS:
        done = []
        clashes = 0
        for view in views:
            wider = _widened(view, factor)
            edges, found = _place(wider)
            clashes += found
            done.append(replace(wider, edges=edges))
        if best is None or clashes < best[0]:
            best = (clashes, done)
        if clashes == 0:
            break
    assert best is not None
    return best[1]
