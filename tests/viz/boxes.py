"""The boxes a page draws, read from vis-network in a browser, and what may not overlap.

vis-network keeps, for every node, the box it draws (``shape.boundingBox``, which
:meth:`Network.getBoundingBox` returns) and the box of its label
(``labelModule.size``); for every edge the box of its label as last drawn
(``labelModule.size``: ``left``, ``top``, ``width``, ``height`` around the point
where the label sits). All of them are in canvas coordinates; the container's
corners are turned into canvas coordinates with ``network.DOMtoCanvas`` so that
"inside the visible canvas" can be checked in the same units.

:func:`measure` redraws the state shown (``network.redraw()`` draws at once, so
the boxes are those of a finished frame) and reads them; :func:`problems` lists
every pair of labels that intersect, every label over a node it does not belong
to, and every box outside the visible canvas.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["Box", "Picture", "measure", "problems"]

# Anti-aliasing and rounding: boxes that share less than this (in canvas pixels) do
# not overlap to the eye.
TOLERANCE = 0.5

READ = """() => {
    const api = window.groupkgNetwork;
    const network = api.network;
    network.redraw();
    const body = network.body;
    const box = (b) => [b.left, b.top, b.right, b.bottom];
    const size = (s) => [s.left, s.top, s.left + s.width, s.top + s.height];
    const nodes = api.nodes.getIds().map((id) => {
        const node = body.nodes[id];
        const label = node.options.label ? size(node.labelModule.size) : null;
        return {id: String(id), box: box(network.getBoundingBox(id)), label: label,
                text: node.options.label || ""};
    });
    const edges = api.edges.getIds().map((id) => {
        const edge = body.edges[id];
        const label = edge.options.label ? size(edge.labelModule.size) : null;
        return {id: String(id), from: String(edge.fromId), to: String(edge.toId),
                label: label, text: edge.options.label || ""};
    });
    const container = document.getElementById("gk-network");
    const low = network.DOMtoCanvas({x: 0, y: 0});
    const high = network.DOMtoCanvas({x: container.clientWidth, y: container.clientHeight});
    return {nodes: nodes, edges: edges, canvas: [low.x, low.y, high.x, high.y]};
}"""


@dataclass(frozen=True)
class Box:
    """A rectangle on the canvas: what it is (``what``) and its edges."""

    what: str
    left: float
    top: float
    right: float
    bottom: float

    def meets(self, other: Box) -> bool:
        """Whether the two boxes share more than :data:`TOLERANCE` both ways."""
        wide = min(self.right, other.right) - max(self.left, other.left)
        high = min(self.bottom, other.bottom) - max(self.top, other.top)
        return wide > TOLERANCE and high > TOLERANCE

    def inside(self, other: Box) -> bool:
        return (
            self.left >= other.left - TOLERANCE
            and self.top >= other.top - TOLERANCE
            and self.right <= other.right + TOLERANCE
            and self.bottom <= other.bottom + TOLERANCE
        )


@dataclass
class Picture:
    """The boxes of one drawn state: nodes, labels (each with its owners) and canvas."""

    nodes: dict[str, Box]
    labels: list[tuple[Box, frozenset[str]]]  # a label and the node it belongs to, if any
    canvas: Box


def _box(what: str, corners: list[float]) -> Box:
    return Box(what, *corners)


def measure(page: Any) -> Picture:
    """The boxes of the state ``page`` (a :class:`tests.browser.GuardedPage`) shows."""
    found = page.js(READ)
    nodes = {n["id"]: _box(f"node {n['text']!r}", n["box"]) for n in found["nodes"]}
    labels: list[tuple[Box, frozenset[str]]] = []
    for n in found["nodes"]:
        if n["label"] is not None:
            labels.append((_box(f"label of node {n['text']!r}", n["label"]), frozenset([n["id"]])))
    for e in found["edges"]:
        if e["label"] is not None:
            what = f"label {e['text']!r} of edge {e['id']}"
            labels.append((_box(what, e["label"]), frozenset()))
    return Picture(nodes, labels, _box("canvas", found["canvas"]))


def problems(picture: Picture) -> list[str]:
    """Every overlap and every box out of sight, as sentences (empty when none)."""
    found: list[str] = []
    labels = picture.labels
    for i, (box, _owners) in enumerate(labels):
        for other, _ in labels[i + 1 :]:
            if box.meets(other):
                found.append(f"{box.what} overlaps {other.what}")
    for box, owners in labels:
        for node_id, node in picture.nodes.items():
            if node_id not in owners and box.meets(node):
                found.append(f"{box.what} overlaps {node.what}")
    for box in [*picture.nodes.values(), *(b for b, _ in labels)]:
        if not box.inside(picture.canvas):
            found.append(f"{box.what} is outside the visible canvas")
    return found
