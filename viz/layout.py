"""Where each entity sits in the picture: levels of a top-down ownership chart, then x/y.

Positions are computed here, in Python, so the browser draws a finished picture with
physics off: a group of thousands of entities is stable the moment it is drawn, and
the same data always gives the same picture.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Iterable
from typing import Any

import networkx as nx

__all__ = ["acyclic_chart", "hierarchy_levels", "positions"]

LEVEL_GAP = 170.0
ROW_GAP = 90.0
NODE_GAP = 210.0
COMPONENT_GAP = 160.0


def acyclic_chart(graph: nx.DiGraph, weight: str = "high") -> nx.DiGraph:
    """``graph`` without the holdings that close ownership cycles, weakest first.

    In a cross-holding the smaller stake (edge attribute ``weight``, ties broken by
    ids) is the one drawn against the flow, so a parent stays above the subsidiary
    that holds a few of its shares.

    >>> g = nx.DiGraph()
    >>> g.add_edge("parent", "sub", high=0.6)
    >>> g.add_edge("sub", "parent", high=0.05)
    >>> sorted(acyclic_chart(g).edges)
    [('parent', 'sub')]
    """
    chart = nx.DiGraph()
    chart.add_nodes_from(graph.nodes)
    chart.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u != v)
    while True:
        cycles = [c for c in nx.strongly_connected_components(chart) if len(c) > 1]
        if not cycles:
            return chart
        for members in cycles:
            inside = chart.subgraph(members).edges(data=weight, default=1.0)
            u, v, _ = min(inside, key=lambda e: (e[2], str(e[0]), str(e[1])))
            chart.remove_edge(u, v)


def hierarchy_levels(graph: nx.DiGraph, tops: Iterable[Hashable]) -> dict[Hashable, int]:
    """Level of each entity in a top-down chart of who owns whom.

    ``tops`` (the ultimate parents) sit at level 0 and each entity below them at the
    length of the longest chain of holdings from a top. Holders of a top (its
    shareholders, who do not control it) sit above it at negative levels, and groups
    with no controller start at 0 from the holders nobody holds. Ownership cycles are
    first broken at their weakest holding (see :func:`acyclic_chart`).

    Examples
    --------
    >>> g = nx.DiGraph([("fund", "parent"), ("parent", "sub"), ("sub", "subsub")])
    >>> g.add_edge("parent", "subsub")
    >>> hierarchy_levels(g, ["parent"])
    {'fund': -1, 'parent': 0, 'sub': 1, 'subsub': 2}
    """
    dag = acyclic_chart(graph)
    top_set = set(tops)
    order = list(nx.lexicographical_topological_sort(dag, key=str))
    level: dict[Hashable, int] = {}
    for n in order:  # down from the ultimate parents
        above = [level[p] for p in dag.predecessors(n) if p in level]
        if n in top_set:
            level[n] = 0
        elif above:
            level[n] = max(above) + 1
    for n in reversed(order):  # up to the holders of the ultimate parents
        if n not in level:
            below = [level[s] for s in dag.successors(n) if s in level]
            if below:
                level[n] = min(below) - 1
    for n in order:  # what remains hangs from the holders nobody holds
        if n not in level:
            above = [level[p] for p in dag.predecessors(n) if p in level]
            level[n] = max(above) + 1 if above else 0
    return {n: level[n] for n in sorted(graph.nodes, key=str)}


def positions(
    graph: nx.DiGraph,
    levels: dict[Hashable, int],
    sort_key: Callable[[Hashable], Any] = str,
) -> dict[Hashable, tuple[float, float]]:
    """x/y of every entity in ``levels``: one band per level, top level first.

    Each group of connected entities is drawn on its own, side by side, largest
    first; entities with no holdings at all share a grid at the end. Within a band
    entities are ordered so that each sits near its owners (and, in the bands above
    the ultimate parents, near what it holds), which keeps subsidiaries beside their
    siblings and cuts down crossing lines. A band wider than the group is tall wraps
    onto several rows. The canvas y axis points down: the top level has the
    smallest y.
    """
    chart = nx.DiGraph()
    chart.add_nodes_from(levels)
    chart.add_edges_from((u, v) for u, v in graph.edges if u in levels and v in levels)
    components = [sorted(c, key=sort_key) for c in nx.weakly_connected_components(chart)]
    alone = sorted((c[0] for c in components if len(c) == 1), key=sort_key)
    groups = sorted((c for c in components if len(c) > 1), key=lambda c: (-len(c), sort_key(c[0])))
    placed: dict[Hashable, tuple[float, float]] = {}
    left = 0.0
    top = min(levels.values(), default=0)
    for members in groups:
        part = _component(chart, {n: levels[n] for n in members}, top)
        left = _shift(part, left, placed)
    if alone:
        width = max(4, int(math.sqrt(len(alone))))
        grid = {n: ((i % width) * NODE_GAP, (i // width) * ROW_GAP) for i, n in enumerate(alone)}
        _shift(grid, left, placed)
    return {n: placed[n] for n in sorted(placed, key=sort_key)}


def _shift(
    part: dict[Hashable, tuple[float, float]],
    left: float,
    placed: dict[Hashable, tuple[float, float]],
) -> float:
    """Put ``part`` to the right of ``left``; return the left edge for the next one."""
    low = min(x for x, _ in part.values())
    high = max(x for x, _ in part.values())
    for n, (x, y) in part.items():
        placed[n] = (x - low + left, y)
    return left + (high - low) + NODE_GAP + COMPONENT_GAP


def _component(
    chart: nx.DiGraph, levels: dict[Hashable, int], top: int
) -> dict[Hashable, tuple[float, float]]:
    bands: dict[int, list[Hashable]] = {}
    for node in levels:  # already in sort_key order
        bands.setdefault(levels[node], []).append(node)
    ordered = sorted(bands)
    rank = {node: i / len(band) for band in bands.values() for i, node in enumerate(band)}

    def sweep(sequence: list[int], neighbours: Callable[[Hashable], Iterable[Hashable]]) -> None:
        def centre(node: Hashable) -> tuple[float, float]:
            known = [rank[n] for n in neighbours(node) if levels[n] != levels[node]]
            return (sum(known) / len(known) if known else rank[node]), rank[node]

        for lvl in sequence:
            band = bands[lvl]
            band.sort(key=centre)
            for i, node in enumerate(band):
                rank[node] = i / len(band)

    for _ in range(2):
        sweep(ordered[1:], chart.predecessors)
        sweep(list(reversed(ordered[:-1])), chart.successors)
    sweep(ordered[1:], chart.predecessors)

    width = max(12, int(math.sqrt(len(levels)) * 0.9))
    part: dict[Hashable, tuple[float, float]] = {}
    y = 0.0
    for lvl in range(top, ordered[-1] + 1):
        band = bands.get(lvl, [])
        rows = [band[i : i + width] for i in range(0, len(band), width)] or [[]]
        for row in rows:
            for i, node in enumerate(row):
                part[node] = ((i - (len(row) - 1) / 2) * NODE_GAP, y)
            y += ROW_GAP
        y += LEVEL_GAP - ROW_GAP
    return part
