"""Ultimate parents, the control cycles at the top, and the consolidation paths down.

Control is that of :mod:`groupkg.graph.analytics.control`, and only certain control
counts here.

Ultimate parent. The controller of ``Y`` that nobody controls; ``Y`` itself when
nobody controls ``Y``. Where the top is a *control cycle* (``A`` controls ``B`` and
``B`` controls ``A``), or conflicting reports give ``Y`` several uncontrolled
controllers, the one with the smallest id is chosen; :func:`control_cycles` lists
the cycles so that validation can report them.

Consolidation paths. The chains of holdings or consolidations from the ultimate
parent of ``Y`` down to ``Y`` through entities the ultimate parent controls.

A bucket of unnamed holders (a node flagged ``unnamed``) is never an ultimate parent
of another entity nor on a path: its stakes are left out of control.
"""

from __future__ import annotations

import networkx as nx
import numpy as np

from groupkg.graph.analytics.controlindex import ControlIndex, ancestry
from groupkg.graph.analytics.graph import (
    Entity,
    check_graph,
    check_node,
    edge_stake,
    unnamed_among,
)
from groupkg.graph.analytics.threshold import percent

__all__ = ["consolidation_paths", "control_cycles", "ultimate_parent", "ultimate_parents"]


def _whole_graph(G: nx.DiGraph, threshold: float) -> ControlIndex:
    """The index of certain control over all of ``G``."""
    check_graph(G)
    return ControlIndex(G, percent(threshold, "threshold"), possible=False, nodes=G)


def _above(G: nx.DiGraph, y: Entity, threshold: float) -> ControlIndex:
    """The index of certain control over ``y`` and its ancestors, all ``y`` depends on."""
    check_node(G, y)
    return ControlIndex(G, percent(threshold, "threshold"), possible=False, nodes=ancestry(G, y))


def ultimate_parents(G: nx.DiGraph, threshold: float = 50) -> dict[Entity, Entity]:
    """The ultimate parent of every entity (certain control).

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    dict
        ``entity -> ultimate parent`` in id order; an entity nobody controls is its
        own ultimate parent.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.6, high=0.6)
    >>> G.add_edge("A", "B", low=0.51, high=0.51)
    >>> G.add_edge("Q", "B", low=0.49, high=0.49)
    >>> ultimate_parents(G)
    {'A': 'P', 'B': 'P', 'P': 'P', 'Q': 'Q'}
    """
    index = _whole_graph(G, threshold)
    tops = np.arange(len(index.nodes))
    tops[list(index.top)] = list(index.top.values())
    names = index.nodes
    return dict(zip(names, (names[i] for i in tops[index.anchor].tolist()), strict=True))


def ultimate_parent(G: nx.DiGraph, y: Entity, threshold: float = 50) -> Entity:
    """The controller of ``y`` that nobody controls, or ``y`` when nobody controls ``y``.

    Only certain control counts. Ties (a control cycle at the top, or conflicting
    reports) go to the smallest id. Only the ancestors of ``y`` are read.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    y : node
        The entity whose group is asked for.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    node

    Examples
    --------
    A and B hold 60% of each other and B owns all of C.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("A", "B", low=0.6, high=0.6)
    >>> G.add_edge("B", "A", low=0.6, high=0.6)
    >>> G.add_edge("B", "C", low=1.0, high=1.0)
    >>> ultimate_parent(G, "C"), ultimate_parent(G, "B")
    ('A', 'A')
    """
    index = _above(G, y, threshold)
    return index.nodes[index.parent_of(index.position[y])]


def control_cycles(G: nx.DiGraph, threshold: float = 50) -> list[list[Entity]]:
    """Groups of entities that control each other (certain control).

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    list of list
        Each cycle's members in id order, the cycles in order of their members.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("A", "B", low=0.6, high=0.6)
    >>> G.add_edge("B", "A", low=0.6, high=0.6)
    >>> G.add_edge("C", "D", low=0.3, high=0.3)
    >>> G.add_edge("D", "C", low=0.3, high=0.3)
    >>> control_cycles(G)
    [['A', 'B']]
    """
    return _whole_graph(G, threshold).cycles()


def consolidation_paths(G: nx.DiGraph, y: Entity, threshold: float = 50) -> list[list[Entity]]:
    """Every chain of holdings or consolidations from the ultimate parent down to ``y``.

    Each path is simple and runs through entities the ultimate parent controls
    (certain control), along edges with a possible stake or a reported
    consolidation. ``[[y]]`` when ``y`` is its own ultimate parent.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    y : node
        The entity at the bottom of the paths; only its ancestors are read.
    threshold : float
        Percent of a company that must be exceeded (default 50).

    Returns
    -------
    list of list
        Paths from the ultimate parent to ``y``, shortest first, then by their ids.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.6, high=0.6)
    >>> G.add_edge("P", "B", low=0.6, high=0.6)
    >>> G.add_edge("A", "C", low=0.3, high=0.3)
    >>> G.add_edge("B", "C", low=0.3, high=0.3)
    >>> G.add_edge("Q", "C", low=0.4, high=0.4)
    >>> consolidation_paths(G, "C")
    [['P', 'A', 'C'], ['P', 'B', 'C']]
    """
    # Every entity on a path to y is an ancestor of y, and so are all its holders.
    index = _above(G, y, threshold)
    top = index.parent_of(index.position[y])
    if index.nodes[top] == y:
        return [[y]]
    group = {index.nodes[i] for i in range(len(index.nodes)) if top in index.members(i)}
    ways = nx.DiGraph()
    for u in group - unnamed_among(G, group):
        for v, data in G._succ[u].items():
            if v != u and v in group:
                s = edge_stake(u, v, data)
                if s.high > 0.0 or s.consolidated:
                    ways.add_edge(u, v)
    paths = nx.all_simple_paths(ways, index.nodes[top], y)
    return sorted(paths, key=lambda p: (len(p), p))
