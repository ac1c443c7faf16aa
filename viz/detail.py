"""Level of detail for large groups: the control tree first, long lists summarised.

A group of thousands of entities cannot be read as thousands of boxes. The picture
opens on the control tree (each ultimate parent down to its subsidiaries); of one
parent's subsidiaries only the first :data:`CHILDREN_SHOWN` are drawn and the rest
stand behind one summary node ("+312 subsidiaries, 297 wholly owned"); of one
entity's minority holders only the first :data:`HOLDERS_SHOWN`. Opening the page
draws at most about :data:`FIRST_BUDGET` entities; what the budget leaves out waits
behind summaries too. Expanding a summary draws its members (each with its own
lists summarised), and happens in the page: everything it needs travels in
the page's JSON block (:func:`detail_data`).

Where an entity hangs in the tree is a :class:`Link`, from :func:`control_tree`: a
controlled entity under its direct controller, a company held without control
under its largest owner, a shareholder of an ultimate parent under what it holds
most of. Ultimate parents nobody in the group holds, and entities with no holdings,
are the roots. The minority holdings of one entity are summarised like its holders.

Positions: every entity keeps its place in the layout of the whole view
(:mod:`groupkg.viz.layout`), and a summary takes the place of the first of its
members, which is empty while the summary is shut. Expanding therefore moves
nothing already drawn: the members appear where they belong, in the space the
layout kept for them.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import networkx as nx

from groupkg.viz.model import View, ViewNode

__all__ = [
    "CHILDREN_SHOWN",
    "FIRST_BUDGET",
    "HOLDERS_SHOWN",
    "Link",
    "Summary",
    "control_tree",
    "detail_data",
    "summarise",
]

CHILDREN_SHOWN = 8  # subsidiaries of one parent drawn before a summary
HOLDERS_SHOWN = 4  # minority holders of one entity drawn before a summary
FIRST_BUDGET = 200  # entities and summaries drawn at most (about) when the page opens


@dataclass(frozen=True)
class Link:
    """Where an entity hangs in the control tree: under ``up``, as a ``subsidiary``
    (``up`` is its direct controller) or a ``holder`` (``up`` is what it holds most
    of); ``percent`` is the stake between them, when known."""

    up: str
    role: str
    percent: float | None = None


@dataclass(frozen=True)
class Summary:
    """Members of one entity's list (its subsidiaries, holders or minority holdings)
    drawn as one node."""

    id: str
    up: str
    role: str
    members: tuple[str, ...]
    label: str
    title: str


def _percent(data: Mapping[str, Any]) -> float | None:
    stake = data.get("stake")
    if stake is not None and stake.percent is not None:
        return float(stake.percent)
    return None


def _strongest(edges: Iterable[tuple[str, Mapping[str, Any]]]) -> tuple[str, float | None] | None:
    """The other end of the largest stake (upper bound, then id), and its percent."""
    best = max(edges, key=lambda e: (e[1].get("high", 0.0), e[0]), default=None)
    return None if best is None else (best[0], _percent(best[1]))


def control_tree(
    graph: nx.DiGraph, ultimate: Mapping[str, str], levels: Mapping[str, int]
) -> dict[str, Link]:
    """The :class:`Link` of every entity in ``levels`` that is not a root.

    ``graph`` is a day's ownership graph (edges carry ``high`` and the ``stake``),
    ``ultimate`` each entity's ultimate parent (itself when nobody controls it), and
    ``levels`` the chart levels of the picture (an ultimate parent on level 0, its
    shareholders above it on negative levels). Each entity hangs under:

    - its direct controller, as a ``subsidiary``, when controlled: the owner of the
      largest stake among those of the same group on a level above it;
    - what it holds most of, as a ``holder``, when it sits above the ultimate
      parents (a shareholder of the top of a group);
    - its largest owner on a level from 0 down, as a ``minority`` holding, when
      held without control (an ultimate parent too, held by someone it does not
      control), unless that would close a loop.

    The links form a forest: subsidiaries hang from entities on levels above them,
    holders from entities below them, and a minority holding is linked only when its
    owner does not hang from it already.

    >>> g = nx.DiGraph()
    >>> g.add_edge("top", "sub", high=1.0)
    >>> g.add_edge("sub", "subsub", high=0.6)
    >>> g.add_edge("top", "subsub", high=0.4)
    >>> g.add_edge("sub", "associate", high=0.3)
    >>> g.add_edge("fund", "top", high=0.05)
    >>> tree = control_tree(g, {"sub": "top", "subsub": "top"},
    ...                     {"fund": -1, "top": 0, "sub": 1, "subsub": 2, "associate": 2})
    >>> for node, link in sorted(tree.items()):
    ...     print(node, link.up, link.role)
    associate sub minority
    fund top holder
    sub top subsidiary
    subsub sub subsidiary
    """
    tree: dict[str, Link] = {}
    held: list[str] = []
    for node in sorted(levels):
        if node not in graph:
            continue
        level, top = levels[node], ultimate.get(node, node)
        if top != node:
            role, found = (
                "subsidiary",
                _strongest(
                    (p, d)
                    for p, d in graph.pred[node].items()
                    if p in levels and levels[p] < level and (p == top or ultimate.get(p, p) == top)
                ),
            )
        elif level < 0:
            role, found = (
                "holder",
                _strongest(
                    (s, d) for s, d in graph.succ[node].items() if s in levels and levels[s] > level
                ),
            )
        else:
            held.append(node)
            continue
        if found is not None:
            tree[node] = Link(found[0], role, found[1])
    # Minority holdings last, under an owner on a level above where there is one,
    # then under any owner that does not hang from them already.
    for above in (True, False):
        for node in held:
            found = _strongest(
                (p, d)
                for p, d in graph.pred[node].items()
                if p in levels and 0 <= levels[p] and (levels[p] < levels[node] or not above)
            )
            if node not in tree and found is not None and node not in _chain(tree, found[0]):
                tree[node] = Link(found[0], "minority", found[1])
    return tree


def _chain(tree: Mapping[str, Link], node: str) -> list[str]:
    """``node`` and the entities above it in the tree, up to its root."""
    found = [node]
    while found[-1] in tree:
        found.append(tree[found[-1]].up)
    return found


_KIND_WORDS = {  # kind: (many, one)
    "listed": ("listed companies", "listed company"),
    "subsidiary": ("subsidiaries", "subsidiary"),
    "company": ("companies", "company"),
    "person": ("persons", "person"),
    "unnamed": ("unnamed holders", "unnamed holder"),
    "dissolved": ("dissolved", "dissolved"),
}
_WHAT = {
    "subsidiary": ("subsidiaries", "subsidiary"),
    "holder": ("holders", "holder"),
    "minority": ("minority holdings", "minority holding"),
}
_OF = {"subsidiary": "of", "holder": "in", "minority": "of"}


def _band(role: str, percent: float | None) -> str:
    """The stake band a subsidiary or a minority holding is counted in."""
    if percent is None:
        return "stake unknown"
    if role == "subsidiary":
        if percent >= 100:
            return "wholly owned"
        return "majority owned" if percent > 50 else "controlled with 50% or less"
    return "20% or more" if percent >= 20 else "under 20%"


def _counted(counts: dict[str, int]) -> list[str]:
    """``counts`` as text, largest first: "297 wholly owned", "1 person"."""
    ranked = sorted(counts.items(), key=lambda c: (-c[1], c[0]))
    return [f"{n:,} {_KIND_WORDS.get(key, (key, key))[n == 1]}" for key, n in ranked]


def _summary(
    up: str,
    role: str,
    members: list[str],
    tree: Mapping[str, Link],
    kinds: Mapping[str, str],
    names: Mapping[str, str],
    below: Mapping[str, int],
) -> Summary:
    counts: dict[str, int] = {}
    for member in members:
        if role == "holder":
            key = kinds[member]
        else:
            key = _band(role, tree[member].percent)
        counts[key] = counts.get(key, 0) + 1
    what = _WHAT[role][len(members) == 1]
    label = f"+{len(members):,} {what}"
    if role == "subsidiary" and counts.get("wholly owned"):
        label += f", {counts['wholly owned']:,} wholly owned"
    elif role == "holder":
        label += ", " + _counted(counts)[0]
    lines = [
        f"{len(members):,} {what} {_OF[role]} {names[up]} not drawn: " + ", ".join(_counted(counts))
    ]
    deeper = sum(below[m] for m in members)
    if deeper:
        lines.append(f"{deeper:,} more entities below them")
    lines.append("click to draw them")
    return Summary(f"+{role} {up}", up, role, tuple(members), label, "\n".join(lines))


def summarise(
    nodes: list[ViewNode],
    tree: Mapping[str, Link],
    children_shown: int = CHILDREN_SHOWN,
    holders_shown: int = HOLDERS_SHOWN,
    budget: int = FIRST_BUDGET,
    wanted: Iterable[str] = (),
) -> list[Summary]:
    """The summaries of a view: which lists of subsidiaries and holders stand behind one node.

    Breadth first from the roots, so the top of the tree is drawn first: each drawn
    entity shows its first ``holders_shown`` holders and ``children_shown``
    subsidiaries (in layout order, left to right, so what is drawn sits together)
    while fewer than ``budget`` entities are drawn; the rest of each list is one
    summary. A summary of a single entity would hide nothing worth hiding: that
    entity is drawn instead. Entities behind a summary have their own lists
    summarised whole, so expanding one summary draws its members and no more.
    The ``wanted`` entities (what the view is about: a path, a change) are drawn
    whatever the budget, with the entities above them in the tree.
    """
    order = sorted(nodes, key=lambda n: (n.y or 0.0, n.x or 0.0, n.id))
    keep: set[str] = set()
    for node in wanted:
        while node not in keep:
            keep.add(node)
            if node not in tree:
                break
            node = tree[node].up
    lists: dict[tuple[str, str], list[str]] = {}
    for node in order:
        if node.id in tree:
            link = tree[node.id]
            lists.setdefault((link.up, link.role), []).append(node.id)
    for members in lists.values():
        members.sort(key=lambda m: m not in keep)  # stable: layout order otherwise
    below = _descendants(order, tree)
    kinds = {n.id: n.kind for n in nodes}
    names = {n.id: n.label for n in nodes}
    queue = deque((n.id, True) for n in order if n.id not in tree)
    drawn = len(queue)
    summaries: list[Summary] = []
    while queue:
        node, shown = queue.popleft()
        for role, most in (
            ("holder", holders_shown),
            ("subsidiary", children_shown),
            ("minority", holders_shown),
        ):
            members = lists.get((node, role), [])
            take = min(most, max(0, budget - drawn)) if shown else 0
            take = max(take, sum(1 for m in members if m in keep))
            if len(members) - take == 1 and shown and drawn < budget:
                take += 1
            drawn += take + (shown and len(members) > take)  # a summary is drawn too
            queue.extend((m, i < take) for i, m in enumerate(members))
            if len(members) > take:
                summaries.append(_summary(node, role, members[take:], tree, kinds, names, below))
    return summaries


def _descendants(order: list[ViewNode], tree: Mapping[str, Link]) -> dict[str, int]:
    """How many entities hang below each one in the tree (at any depth)."""
    count = {n.id: 0 for n in order}
    depth: dict[str, int] = {}
    for node in count:
        chain = []
        while node not in depth and node in tree:
            chain.append(node)
            node = tree[node].up
        below = depth.get(node, 0)
        for n in reversed(chain):
            below += 1
            depth[n] = below
    for node in sorted(count, key=lambda n: -depth.get(n, 0)):
        if node in tree:
            count[tree[node].up] += count[node] + 1
    return count


def detail_data(view: View) -> dict[str, Any] | None:
    """What the page needs to draw ``view`` at its level of detail; None when every
    entity is drawn from the start.

    ``links``: ``[entity, up, summary, role]`` for every linked entity, parents
    before children, where ``summary`` is the index of the summary hiding it (or -1);
    ``summaries``: each summary's id, parent, role, label, tooltip, size and place.
    """
    nodes, tree = view.nodes, view.tree
    wanted = {n.id for n in nodes if n.on_path or n.change}
    wanted |= {end for e in view.edges if e.on_path or e.change for end in (e.source, e.target)}
    summaries = summarise(nodes, tree, wanted=sorted(wanted))
    if not summaries:
        return None
    behind = {m: i for i, s in enumerate(summaries) for m in s.members}
    placed = {n.id: n for n in nodes}
    links = [
        [node, tree[node].up, behind.get(node, -1), tree[node].role]
        for node in sorted(tree, key=lambda n: (placed[n].level, n))
    ]
    ordered = _parents_first(links)
    return {
        "links": ordered,
        "summaries": [
            {
                "id": s.id,
                "up": s.up,
                "role": s.role,
                "label": s.label,
                "title": s.title,
                "size": len(s.members),
                "x": placed[s.members[0]].x,
                "y": placed[s.members[0]].y,
            }
            for s in summaries
        ],
    }


def _parents_first(links: list[list[Any]]) -> list[list[Any]]:
    """``links`` ordered so that each entity's parent comes before it (levels are not
    enough: a holder hangs below an entity on a level under it)."""
    by_node = {link[0]: link for link in links}
    done: set[str] = set()
    ordered: list[list[Any]] = []
    for link in links:
        chain = []
        node = link[0]
        while node in by_node and node not in done:
            chain.append(by_node[node])
            done.add(node)
            node = by_node[node][1]
        ordered.extend(reversed(chain))
    return ordered
