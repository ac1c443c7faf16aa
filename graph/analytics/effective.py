"""Effective (look-through) ownership on an ownership graph at one date.

The graph is the ownership graph of :mod:`groupkg.graph.analytics.graph`, whose
edges are checked as they are read.

The effective stake of ``X`` in ``Y`` is the sum, over every walk from ``X`` to ``Y``
that does not come back through ``X``, of the product of the stakes along it.
With ``A[i, j]`` the direct fraction of ``j`` held by ``i`` and the integrated
ownership matrix ``Ã = (I - A)^-1 A`` (Brioschi, Buzzacchi & Colombo 1989,
:mod:`groupkg.graph.analytics.integrated`) it is
``Ã[X, Y] / (1 + Ã[X, X])``: the walks that return to ``X`` are what make the raw
``Ã`` of an owner inside a cross-holding exceed the owner's real claim. It is found
as row ``X`` of ``(I - A')^-1 A'``, where ``A'`` is ``A`` without the holdings *in*
``X``, on the part of the graph reachable from ``X`` only (and, for one target,
only what leads to it), so a query costs what the owner's group costs, not what
the whole graph costs: one dense solve for a small group; for a large one, layer
by layer from the owner down, with a solve per cycle of cross-holdings only
(:mod:`groupkg.graph.analytics.walks`).

Bounds. The measure grows with every stake, so the lower bound uses every ``low``
and the upper bound every ``high``. An unknown stake (``high=1``) would let a
company's holders add up to more than 100%, so the upper bound first caps each
stake at 100% minus the lower bounds of the other holders of the same company.
Where a cycle of stakes can still hold 100% or more of itself, the walk sum has no
finite value and every entity downstream of that cycle gets 1.0; a value above 1
is clamped to 1. Both keep the upper bound valid, only looser. Lower bounds meet
neither unless the lower bounds of one company's holders add up to more than
100%, which is inconsistent data (validation reports it); they are then clamped
the same way.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

from groupkg.graph.analytics.graph import Entity, check_node, edge_stake, held_low, is_unnamed
from groupkg.graph.analytics.walks import walk_sums
from groupkg.graph.errors import InputError

__all__ = ["CappedStakes", "effective_ownership", "effective_ownership_from", "named_stakes_from"]


class CappedStakes:
    """Edges read (and checked) on demand, with the capped upper bound of each stake.

    With ``named``, the stakes of buckets of unnamed holders are left out, as the
    perimeter reads them.
    """

    def __init__(self, G: nx.DiGraph, named: bool = False):
        self.G = G
        self.named = named
        self._held: dict[Entity, float] = {}

    def held_low(self, v: Entity) -> float:
        """The lower bounds of all holders of ``v`` added up (order-free)."""
        total = self._held.get(v)
        if total is None:
            total = self._held[v] = held_low(self.G, v, self.named)
        return total

    def left_out(self, u: Entity) -> bool:
        """Whether the stakes ``u`` holds are left out."""
        return self.named and is_unnamed(self.G, u)

    def bounds(self, u: Entity, v: Entity, data: Mapping[str, Any]) -> tuple[float, float]:
        stake = edge_stake(u, v, data)
        # Other holders' lower bounds are certainly held by them, so not by u.
        room = 1.0 - (self.held_low(v) - stake.low)
        return stake.low, max(stake.low, min(stake.high, room))

    def weight(self, u: Entity, v: Entity, data: Mapping[str, Any], bound: str) -> float:
        return self.bounds(u, v, data)[bound == "high"]


def _effective(
    G: nx.DiGraph, owner: Entity, target: Entity | None = None, named: bool = False
) -> dict[Entity, tuple[float, float]]:
    """Both bounds of ``owner``'s stake in everything it may reach (or in ``target``);
    with ``named``, on ``G`` without the stakes of buckets of unnamed holders."""
    read = CappedStakes(G, named)
    within = None if target is None else _leading_to(G, owner, target, read)
    edges: list[tuple[Entity, Entity, float, float]] = []
    succ = G._succ  # the plain dicts: a view per entity costs more than the reading
    seen = {owner}
    stack = [owner]
    while stack:
        u = stack.pop()
        if read.left_out(u):
            continue
        for v, data in succ[u].items():
            # Walks that come back through the owner are not its claim.
            if v == u or v == owner or (within is not None and v not in within):
                continue
            low, high = read.bounds(u, v, data)
            if high <= 0.0:
                continue
            edges.append((u, v, low, high))
            if v not in seen:
                seen.add(v)
                stack.append(v)
    nodes = sorted(seen - {owner})
    index = {node: i for i, node in enumerate(nodes)}
    n = len(nodes)
    a_low, a_high = np.zeros(n), np.zeros(n)
    inner = sorted((index[u], index[v], low, high) for u, v, low, high in edges if u != owner)
    for u, v, low, high in edges:
        if u == owner:
            a_low[index[v]], a_high[index[v]] = low, high
    table = np.array(inner, dtype=float).reshape(len(inner), 4)
    rows, cols = table[:, 0].astype(np.int64), table[:, 1].astype(np.int64)
    held = table[:, 2] > 0.0  # the lower bounds reach no further than their stakes
    low_x = walk_sums(n, rows[held], cols[held], table[held, 2], a_low)
    high_x = walk_sums(n, rows, cols, table[:, 3], a_high)
    # Both are exact sums of ordered stakes; only rounding could reorder them.
    return {node: (min(float(low_x[i]), float(high_x[i])), float(high_x[i]))
            for i, node in enumerate(nodes)}  # fmt: skip


def _leading_to(G: nx.DiGraph, owner: Entity, target: Entity, read: CappedStakes) -> set:
    """The entities with a chain of stakes to ``target`` that does not pass ``owner``.

    Looking up from the target first keeps a query about one subsidiary of a large
    group from solving for the whole group.
    """
    found = {target}
    stack = [target]
    while stack:
        v = stack.pop()
        for u, data in G._pred[v].items():
            if u != v and u not in found and read.bounds(u, v, data)[1] > 0.0:
                found.add(u)
                if u != owner:
                    stack.append(u)
    return found if owner in found else set()


def effective_ownership(G: nx.DiGraph, owner: Entity, target: Entity) -> tuple[float, float]:
    """The effective (look-through) stake of ``owner`` in ``target``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date (see the module documentation).
    owner, target : node
        Two different entities of ``G``.

    Returns
    -------
    tuple of float
        ``(low, high)``: lower and upper bound of the fraction of ``target``
        that ``owner`` holds through every chain of holdings, in ``[0, 1]``.
        Equal when every stake on the way is exact.

    Raises
    ------
    InputError
        If an entity is not in ``G``, ``owner == target`` or an edge on the way
        has impossible bounds.

    Examples
    --------
    P holds 60% of X; X and Y hold 50% and 40% of each other, so half of what P
    gets through X comes back round the cycle: ``0.6 / (1 - 0.5 * 0.4) = 0.75``.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "X", low=0.6, high=0.6)
    >>> G.add_edge("X", "Y", low=0.5, high=0.5)
    >>> G.add_edge("Y", "X", low=0.4, high=0.4)
    >>> [round(b, 12) for b in effective_ownership(G, "P", "X")]
    [0.75, 0.75]
    >>> G.add_edge("P", "Z", low=0.2, high=0.3)
    >>> effective_ownership(G, "P", "Z")
    (0.2, 0.3)
    """
    check_node(G, owner, "owner")
    check_node(G, target, "target")
    if owner == target:
        raise InputError(f"owner and target are the same entity {owner!r}")
    return _effective(G, owner, target).get(target, (0.0, 0.0))


def effective_ownership_from(G: nx.DiGraph, owner: Entity) -> dict[Entity, tuple[float, float]]:
    """The effective stake of ``owner`` in every entity it may hold something of.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    owner : node
        An entity of ``G``.

    Returns
    -------
    dict
        ``target -> (low, high)`` for every entity other than ``owner`` where the
        upper bound is above zero, in id order; an entity left out is not held
        at all. Both bounds come from one reading of the owner's group.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.6, high=0.6)
    >>> G.add_edge("A", "B", low=0.5, high=0.5)
    >>> G.add_edge("P", "B", low=0.1, high=0.2)
    >>> stakes = effective_ownership_from(G, "P")
    >>> stakes["A"], stakes["B"]
    ((0.6, 0.6), (0.4, 0.5))
    """
    check_node(G, owner, "owner")
    return {t: bounds for t, bounds in _effective(G, owner).items() if bounds[1] > 0.0}


def named_stakes_from(G: nx.DiGraph, owner: Entity) -> dict[Entity, tuple[float, float]]:
    """:func:`effective_ownership_from` on ``G`` without the stakes of buckets of unnamed
    holders (nodes flagged ``unnamed``): what the perimeter reads. A bucket holds nothing.

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("others", unnamed=True)
    >>> G.add_edge("others", "A", low=0.75, high=0.75)
    >>> G.add_edge("P", "A", low=0.0, high=1.0)
    >>> named_stakes_from(G, "P"), effective_ownership_from(G, "P")
    ({'A': (0.0, 1.0)}, {'A': (0.0, 0.25)})
    """
    check_node(G, owner, "owner")
    return {t: b for t, b in _effective(G, owner, named=True).items() if b[1] > 0.0}
