"""Draw views with pyvis into one self-contained HTML page.

Self-contained: pyvis's own templates fetch vis-network (and Bootstrap) from CDNs,
so the page here is groupkg's own. It inlines the vis-network script and styles that
ship inside the pyvis package, and its Content-Security-Policy (``default-src
'none'``) forbids the page to load anything at all; only the three inline scripts
(vis-network, :mod:`groupkg.viz.explore`'s and the page's own), named by their
SHA-256 hashes, may run.

Escaping: every string from data travels in a ``<script type="application/json">``
block with ``<``, ``>`` and ``&`` written as JSON escapes, so no name can end the
block or start a tag. Labels are drawn on a canvas; tooltips are built with
``textContent``; the page title is autoescaped. Inline event handlers a payload
might smuggle in would not run anyway: the policy allows no unhashed script.

Large groups: positions come from :mod:`groupkg.viz.layout`, physics is off, so the
first frame is the final picture; labels are drawn only when large enough on screen
(``scaling.label.drawThreshold``) and long edges hide while dragging big graphs. A
view whose lists are long opens at a level of detail (:mod:`groupkg.viz.detail`):
its state carries a ``detail`` entry, and the page draws the summaries.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from pyvis.network import Network

from groupkg.viz.detail import detail_data
from groupkg.viz.explore import EXPLORE_CSS, EXPLORE_SCRIPT, EXPLORE_TOOLS, SUMMARY_GROUP
from groupkg.viz.labels import LARGE, extent
from groupkg.viz.model import LegendItem, View, ViewEdge, ViewNode
from groupkg.viz.page import PAGE, PAGE_CSS, PAGE_SCRIPT
from groupkg.viz.styles import EDGE_STYLES, NODE_STYLES, edge_style, node_modifiers, node_style

__all__ = ["to_html", "page_html", "write_html", "NODE_STYLES", "EDGE_STYLES"]

VIS_VERSION = "9.1.2"


def _group_options(group: str) -> dict[str, Any]:
    """vis-network options of a node group (styling by group keeps 5,000 nodes fast)."""
    kind, *modifiers = group.split("+")
    style = node_style(kind, modifiers)
    background, border = style["background"], style["border"]
    options: dict[str, Any] = {
        "shape": style["shape"],
        "borderWidth": style.get("width", 1.5),
        "color": {
            "background": background,
            "border": border,
            "highlight": {"background": background, "border": "#e8590c"},
            "hover": {"background": background, "border": border},
        },
        "font": {"color": style.get("font", "#1a1a1a"), "size": style.get("size", 14)},
        "shapeProperties": {"borderDashes": [5, 4] if style.get("dashes") else False},
    }
    if "opacity" in style:
        options["opacity"] = style["opacity"]
    return options


def _node_options(node: ViewNode, fade: bool) -> dict[str, Any]:
    options: dict[str, Any] = {
        "group": "+".join([node.kind, *node_modifiers(node, fade)]),
        "title": node.title,
        "level": node.level,
    }
    if node.x is not None and node.y is not None:
        options["x"], options["y"] = round(node.x, 2), round(node.y, 2)
    return options


def _edge_options(edge: ViewEdge, fade: bool, crossed: bool) -> dict[str, Any]:
    # A cross-holding's two edges bend apart even where labels were not placed.
    bend = edge.bend or (0.3 if crossed else 0.0)
    style = edge_style(edge, fade)
    color = style["color"]
    options: dict[str, Any] = {
        "id": edge.id,
        "label": edge.label,
        "title": edge.title,
        "width": style["width"],
        "dashes": style.get("dashes", False),
        "color": {"color": color, "highlight": "#e8590c", "hover": color, "inherit": False},
    }
    if bend:
        turn = "curvedCW" if bend > 0 else "curvedCCW"
        options["smooth"] = {"enabled": True, "type": turn, "roundness": abs(bend)}
    return options


def _vis_options(large: bool, groups: list[str]) -> dict[str, Any]:
    return {
        "groups": {"useDefaultGroups": False} | {g: _group_options(g) for g in groups},
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"hierarchical": {"enabled": False}, "improvedLayout": False},
        "interaction": {
            "hover": not large,
            "tooltipDelay": 200,
            "hideEdgesOnDrag": large,
            "hideEdgesOnZoom": large,
            "keyboard": False,
        },
        "nodes": {
            "margin": 8,
            "widthConstraint": {"maximum": 180},
            "font": {"face": "system-ui, sans-serif"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 7}},
        },
        "edges": {
            "arrows": {"to": {"enabled": True, "scaleFactor": 0.6}},
            "smooth": False if large else {"type": "cubicBezier", "forceDirection": "vertical"},
            "font": {"size": 11, "align": "horizontal", "background": "rgba(255,255,255,0.85)"},
            "scaling": {"label": {"enabled": False, "drawThreshold": 8}},
            "selectionWidth": 2,
        },
    }


class _Ids(list):  # type: ignore[type-arg]
    """A list of node ids whose ``in`` is a set look-up (appended to only)."""

    def __init__(self) -> None:
        super().__init__()
        self._seen: set[Any] = set()

    def append(self, item: Any) -> None:
        super().append(item)
        self._seen.add(item)

    def __contains__(self, item: object) -> bool:
        return item in self._seen


def _network(view: View, large: bool) -> Network:
    """The view as a pyvis network: nodes and edges with their vis-network options.

    pyvis builds the node and edge records and the options; its page template is not
    used (it loads scripts and styles from CDNs), :data:`PAGE` is.
    """
    net = Network(directed=True, cdn_resources="in_line")
    # pyvis looks every node up in a list, for each node and edge added: thousands of
    # each took seconds. The same list, answering ``in`` from a set.
    net.node_ids = _Ids()
    fade = any(n.on_path for n in view.nodes)
    for node in view.nodes:
        shape = NODE_STYLES[node.kind]["shape"]
        net.add_node(node.id, label=node.drawn_label, shape=shape, **_node_options(node, fade))
    pairs = {(e.source, e.target) for e in view.edges}
    for edge in view.edges:
        crossed = (edge.target, edge.source) in pairs
        net.add_edge(edge.source, edge.target, **_edge_options(edge, fade, crossed))
    net.options = _vis_options(large, sorted({n["group"] for n in net.nodes}))
    return net


def _state(name: str, view: View, large: bool) -> tuple[dict[str, Any], dict[str, Any]]:
    """One state of the page (its nodes, edges and caption) and its vis-network options."""
    nodes, edges, _heading, _height, _width, options = _network(view, large).get_network_data()
    state = {"name": name, "caption": " · ".join(view.notes), "nodes": nodes, "edges": edges}
    detail = detail_data(view)
    if detail is not None:
        state["detail"] = detail
    return state, json.loads(options)


def _script_json(value: Any) -> str:
    """JSON that can sit inside a ``<script>`` element whatever strings it holds."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    for char, escape in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                         ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escape)
    return text


@lru_cache(maxsize=1)
def _vis_assets() -> tuple[str, str]:
    """The vis-network script and styles bundled with pyvis (no network needed)."""
    folder = resources.files("pyvis") / "templates" / "lib" / f"vis-{VIS_VERSION}"
    try:
        script = (folder / "vis-network.min.js").read_text(encoding="utf-8")
        styles = (folder / "vis-network.css").read_text(encoding="utf-8")
    except FileNotFoundError as missing:  # pragma: no cover - depends on the pyvis install
        raise RuntimeError(
            f"pyvis does not ship vis-network {VIS_VERSION} where expected ({folder})"
        ) from missing
    # Inlined, "</script" or "</style" would end the element early (and "<!--" would
    # change how the browser reads the rest); the bundled files contain neither.
    for text, end in ((script, "</script"), (styles, "</style")):
        if re.search(f"{end}|<!--", text, re.IGNORECASE):  # pragma: no cover
            raise RuntimeError(f"the bundled vis-network files cannot be inlined ({end})")
    return script, styles


def _hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def _legend_css() -> str:
    rules = []
    for key, style in NODE_STYLES.items():
        rule = f"border-color: {style['border']};" if "border" in style else ""
        if "opacity" in style:
            rule += f" opacity: {style['opacity']};"
        if "background" in style:
            rule += f" background: {style['background']};"
        if style.get("dashes"):
            rule += " border-style: dashed;"
        if "width" in style:
            rule += " border-width: 3px;"
        rules.append(f".gk-swatch.gk-node-{key} {{ {rule} }}")
    for key, style in EDGE_STYLES.items():
        line = "dashed" if style.get("dashes") else "solid"
        rules.append(f".gk-swatch.gk-edge-{key} {{ border-top: 3px {line} {style['color']}; }}")
    return "\n".join(rules)


def _pages(item: View | Sequence[tuple[Any, View]]) -> tuple[str, list[tuple[str, View]]]:
    if isinstance(item, View):
        return item.title, [(item.title, item)]
    states = [(day.isoformat() if hasattr(day, "isoformat") else str(day), v) for day, v in item]
    if not states:
        raise ValueError("a timeline needs at least one state")
    title = getattr(item, "title", None) or "Timeline"
    return title, states


def to_html(item: View | Sequence[tuple[Any, View]]) -> str:
    """The page for a view, or for a timeline (a sequence of ``(day, View)``)."""
    return page_html(item)


def page_html(
    item: View | Sequence[tuple[Any, View]],
    page: str = PAGE,
    data: dict[str, Any] | None = None,
    css: str = "",
    scripts: Sequence[str] = (),
) -> str:
    """The page for a view or for states of views, drawn on ``page`` (:data:`PAGE`, or
    a template extending it as ``"page"``): ``data`` joins the JSON block beside the states,
    ``css`` the page's styles, and ``scripts`` run after the page's own script (each
    allowed by its hash)."""
    title, states = _pages(item)
    large = max(max(len(v.nodes), len(v.edges)) for _, v in states) >= LARGE
    legend: list[LegendItem] = []
    for _, view in states:
        legend += [i for i in view.legend if i not in legend]
    drawn = [_state(name, view, large) for name, view in states]
    groups: dict[str, Any] = {}
    for _, options in drawn:  # one set of options for every state of a timeline
        groups |= options["groups"]
    if any("detail" in state for state, _ in drawn):
        groups["summary"] = SUMMARY_GROUP
    block = {
        "options": _vis_options(large, []) | {"groups": groups},
        "states": [state for state, _ in drawn],
    }
    if not large and (box := extent(view for _, view in states)) is not None:
        block["extent"] = [round(edge, 2) for edge in (box.left, box.top, box.right, box.bottom)]
    block |= data or {}
    vis_js, vis_css = _vis_assets()
    hashes = " ".join(_hash(script) for script in (vis_js, EXPLORE_SCRIPT, PAGE_SCRIPT, *scripts))
    policy = (
        "default-src 'none'; "
        f"script-src {hashes}; "
        "style-src 'unsafe-inline'; img-src data:; font-src data:; "
        "connect-src 'none'; base-uri 'none'; form-action 'none'"
    )
    env = jinja2.Environment(
        loader=jinja2.DictLoader({"page": PAGE}),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
    )
    return env.from_string(page).render(
        title=title,
        policy=policy,
        states=len(states),
        legend=legend,
        data=_script_json(block),
        vis_js=vis_js,
        vis_css=vis_css,
        page_css=PAGE_CSS + _legend_css() + EXPLORE_CSS + css,
        tools=EXPLORE_TOOLS,
        explore_js=EXPLORE_SCRIPT,
        page_js=PAGE_SCRIPT,
        scripts=scripts,
    )


def write_html(item: View | Sequence[tuple[Any, View]], path: str | Path) -> Path:
    """Write the page for a view or a timeline to ``path``; return the path."""
    from groupkg.graph.output import write_output

    return write_output(path, to_html(item))
