"""How each kind of entity and holding looks, shared by the page and the static picture.

A node's look is its kind (``listed``, ``subsidiary``, ``company``, ``person``,
``unnamed``, ``dissolved``) with the modifiers that apply drawn on top of it, in the
order :func:`node_modifiers` gives; an edge's is its kind with its change and its place
on a consolidation path on top (:func:`edge_style`).
"""

from __future__ import annotations

from typing import Any

from groupkg.viz.model import ViewEdge, ViewNode

__all__ = [
    "EDGE_STYLES",
    "KINDS",
    "NODE_STYLES",
    "POSSIBLE_DASHES",
    "edge_style",
    "node_modifiers",
    "node_style",
]

NODE_STYLES: dict[str, dict[str, Any]] = {
    "listed": {"shape": "box", "background": "#1f4e79", "border": "#0b2740", "font": "#ffffff"},
    "subsidiary": {"shape": "box", "background": "#cfe2f3", "border": "#3d85c6"},
    "company": {"shape": "box", "background": "#f3f3f3", "border": "#7f7f7f"},
    "person": {"shape": "ellipse", "background": "#fff2cc", "border": "#bf9000"},
    "unnamed": {"shape": "ellipse", "background": "#ffffff", "border": "#999999", "dashes": True},
    "dissolved": {
        "shape": "box",
        "background": "#eeeeee",
        "border": "#aaaaaa",
        "font": "#888888",
        "dashes": True,
    },
    # modifiers, drawn on top of the kind
    "noted": {"border": "#6a3d9a", "width": 3},
    "ultimate-parent": {"border": "#000000", "width": 4, "size": 18},
    "began": {"border": "#2ca02c", "width": 4},
    "ended": {"border": "#d62728", "width": 3, "dashes": True},
    "path": {"border": "#e8590c", "width": 4},
    "faded": {"opacity": 0.4},
}

#: The kinds of entity; the other entries of NODE_STYLES are modifiers.
KINDS = ("listed", "subsidiary", "company", "person", "unnamed", "dissolved")

EDGE_STYLES: dict[str, dict[str, Any]] = {
    "holding": {"color": "#7f7f7f", "width": 1.5},
    "consolidation": {"color": "#7f7f7f", "width": 1.5, "dashes": [2, 5]},
    "added": {"color": "#2ca02c", "width": 3.5},
    "removed": {"color": "#d62728", "width": 2.5, "dashes": [10, 6]},
    "changed": {"color": "#ff7f0e", "width": 3.5},
    "path": {"color": "#e8590c", "width": 4.5},
    "faded": {"color": "#d0d0d0", "width": 1},
    "merger": {"color": "#6a3d9a", "width": 2.5, "dashes": [8, 5]},
}

#: The dashes of a path that qualifies its holder only possibly (its bounds straddle
#: the rule). Not an entry of EDGE_STYLES: it dashes whichever colour the edge has.
POSSIBLE_DASHES = [8, 5]


def node_modifiers(node: ViewNode, fade: bool) -> list[str]:
    """The modifiers drawn on a node's kind; ``fade`` when a path is highlighted."""
    parts = []
    if node.notes:  # first, so that the ultimate parent's border wins over it
        parts.append("noted")
    if node.ultimate_parent:
        parts.append("ultimate-parent")
    if node.change:
        parts.append(node.change)
    if node.on_path:
        parts.append("path")
    elif fade:
        parts.append("faded")
    return parts


def node_style(kind: str, modifiers: list[str]) -> dict[str, Any]:
    """The style of a node of ``kind``: its kind's entries overridden by each modifier's.

    >>> node_style("subsidiary", ["began"])["border"]
    '#2ca02c'
    """
    style = dict(NODE_STYLES[kind])
    for modifier in modifiers:
        style |= NODE_STYLES[modifier]
    return style


def edge_style(edge: ViewEdge, fade: bool) -> dict[str, Any]:
    """The colour, width and dashes of an edge; ``fade`` when a path is highlighted.

    A changed or added reported consolidation keeps its dotted line.
    """
    style = dict(EDGE_STYLES[edge.kind])
    if edge.change:
        style |= EDGE_STYLES[edge.change]
        if edge.kind == "consolidation" and edge.change != "removed":
            style["dashes"] = EDGE_STYLES["consolidation"]["dashes"]
    if edge.on_path:
        style |= EDGE_STYLES["path"]
    elif fade:
        style |= EDGE_STYLES["faded"]
    if edge.possible:
        style["dashes"] = POSSIBLE_DASHES
    return style
