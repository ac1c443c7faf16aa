"""Control at one date: the entities one entity controls, and those that control one.

The graph is the ownership graph of :mod:`groupkg.graph.analytics.graph`; the
threshold, and certain and possible control, are those of
:mod:`groupkg.graph.analytics.threshold`.

Definition. ``X`` controls ``Y`` when ``X`` holds more than the threshold of ``Y``,
or ``X`` together with the companies ``X`` controls holds more than the threshold
of ``Y`` (company control, applied recursively), or a reported consolidation
(edge attribute ``consolidated``) makes ``Y`` the subsidiary of ``X`` or of a
company ``X`` controls. It is the least set closed under these rules, so a cycle
of cross-holdings creates no control that its stakes do not support.

Self-loops (treasury shares) and the stakes of buckets of unnamed holders (nodes
flagged ``unnamed``, see :mod:`groupkg.graph.analytics.graph`) are ignored.
:func:`controlled_by` follows the definition forward from the controller;
:func:`controllers_of` reads the
:class:`~groupkg.graph.analytics.controlindex.ControlIndex` of the entity's ancestry.
"""

from __future__ import annotations

import networkx as nx

from groupkg.graph.analytics.controlindex import ControlIndex, ancestry
from groupkg.graph.analytics.graph import Entity, check_node, edge_stake, held_low, is_unnamed
from groupkg.graph.analytics.threshold import passes_one, percent

__all__ = ["controlled_by", "controllers_of"]


def _group(G: nx.DiGraph, x: Entity, t: float, possible: bool) -> set[Entity]:
    """``x`` and everything ``x`` controls: the least set closed under the rules."""
    held: dict[Entity, list] = {}
    totals: dict[Entity, float] = {}
    group = {x}
    stack = [x]
    while stack:
        m = stack.pop()
        if is_unnamed(G, m):  # many holders: their stakes are nobody's group
            continue
        for y, data in G._succ[m].items():
            if y == m:
                continue
            s = edge_stake(m, y, data)
            acc = held.get(y)
            if acc is None:
                acc = held[y] = [0.0, False, 0.0, False]
            acc[0] += s.low
            acc[1] |= s.low_exclusive
            acc[2] += s.high
            acc[3] |= s.consolidated
            if y in group:
                continue
            total = totals.get(y)
            if total is None:
                total = totals[y] = held_low(G, y, named=True)
            if passes_one(acc[0], acc[1], acc[2], acc[3], total, t, possible):
                group.add(y)
                stack.append(y)
    return group


def controlled_by(G: nx.DiGraph, x: Entity, threshold: float = 50) -> dict[Entity, str]:
    """The entities ``x`` controls, directly or through its subsidiaries.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    x : node
        The controller.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    dict
        ``entity -> "certain" | "possible"`` in id order; ``x`` itself is left out.

    Examples
    --------
    P holds 60% of A and of B, which hold 30% of C each: no single holder has
    more than half of C, but P's group has 60%.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.6, high=0.6)
    >>> G.add_edge("P", "B", low=0.6, high=0.6)
    >>> G.add_edge("A", "C", low=0.3, high=0.3)
    >>> G.add_edge("B", "C", low=0.3, high=0.3)
    >>> G.add_edge("P", "D", low=0.4, high=0.55)
    >>> controlled_by(G, "P")
    {'A': 'certain', 'B': 'certain', 'C': 'certain', 'D': 'possible'}
    """
    check_node(G, x, "controller")
    t = percent(threshold, "threshold")
    certain = _group(G, x, t, possible=False)
    possible = _group(G, x, t, possible=True)
    return {y: "certain" if y in certain else "possible" for y in sorted(possible - {x})}


def controllers_of(G: nx.DiGraph, y: Entity, threshold: float = 50) -> dict[Entity, str]:
    """The entities that control ``y``, each ``"certain"`` or ``"possible"``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    y : node
        The controlled entity; only its ancestors are read.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    dict
        ``controller -> "certain" | "possible"`` in id order; ``y`` itself is left
        out even inside a control cycle.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.6, high=0.6)
    >>> G.add_edge("A", "B", low=0.5, high=0.8, low_exclusive=True)
    >>> G.add_edge("Q", "B", low=0.2, high=0.5)
    >>> controllers_of(G, "B")
    {'A': 'certain', 'P': 'certain'}
    >>> controllers_of(G, "B", threshold=70)  # P's 60% of A is not above 70
    {'A': 'possible'}
    """
    check_node(G, y)
    t = percent(threshold, "threshold")
    nodes = ancestry(G, y)
    found = {}
    for possible in (True, False):
        index = ControlIndex(G, t, possible=possible, nodes=nodes)
        me = index.position[y]
        for i in index.members(me) - {me}:
            found[index.nodes[i]] = "possible" if possible else "certain"
    return dict(sorted(found.items()))
