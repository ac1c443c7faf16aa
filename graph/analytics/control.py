"""Control, ultimate parents, consolidation paths and perimeters at one date.

The graph is the ownership graph of :mod:`groupkg.graph.analytics.effective`; ``threshold``
is a percent (default 50) and control means strictly *more* than it.

Definition. ``X`` controls ``Y`` when ``X`` holds more than the threshold of ``Y``,
or ``X`` together with the companies ``X`` controls holds more than the threshold
of ``Y`` (company control, applied recursively), or a reported consolidation
(edge attribute ``consolidated``) makes ``Y`` the subsidiary of ``X`` or of a
company ``X`` controls. It is the least set closed under these rules, so a cycle
of cross-holdings creates no control that its stakes do not support.

Ranges. Control is *certain* when it holds with every stake at its lower bound (a
bound with ``low_exclusive`` counts as just above: a stake in ``(50, 75]`` is more
than 50). It is *possible* when it holds with every stake at its upper bound, where
a group can never have more of a company than what its other holders' lower
bounds leave (an unknown stake beside a certain 60% cannot exceed 40%). A range
ending at the threshold, open or closed, never exceeds it. Possible control
includes certain control; the functions label each controlled entity with the
strongest that applies.

Ultimate parent. The controller of ``Y`` (certain control) that nobody controls;
``Y`` itself when nobody controls ``Y``. Where the top is a *control cycle*
(``A`` controls ``B`` and ``B`` controls ``A``), or conflicting reports give ``Y``
several uncontrolled controllers, the one with the smallest id is chosen;
:func:`control_cycles` lists the cycles so that validation can report them.

Self-loops (treasury shares) are ignored, as in :mod:`groupkg.graph.analytics.effective`.

Algorithm of :func:`ultimate_parents` (near-linear on real groups). Write
``U(Y)`` for ``Y`` and its controllers. Control is transitive, so when one holder
``D`` of ``Y`` controls ``Y`` on its own (stake above the threshold, or a reported
consolidation) and the other holders of ``Y`` together could not, every
controller of ``Y`` controls ``D``: ``U(Y) = {Y} ∪ U(D)`` and ``Y`` has the
ultimate parent of ``D``. These "control forest" links are found for all
entities at once with array operations, and chains of them are followed by
pointer jumping. Entities nobody could control (their holders together stay
under the threshold) are their own ultimate parents. Only the rest -- joint
control through several subsidiaries, conflicting reports, cycles of control
links -- are solved one by one, holders first, from the exact rule
``U(Y) = {Y} ∪ {X : the holders H of Y with X in U(H) pass the threshold}``,
iterated to its least fixed point where they depend on each other in a cycle.
:func:`controlled_by` follows the definition forward from the controller instead;
the tests check both against a direct transcription of the definition.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Real
from typing import Any

import networkx as nx
import numpy as np

from groupkg.graph.analytics.effective import (
    TOLERANCE,
    Entity,
    block_layers,
    check_node,
    edge_stake,
    effective_ownership_from,
)
from groupkg.graph.errors import InputError

__all__ = [
    "controlled_by",
    "controllers_of",
    "ultimate_parent",
    "ultimate_parents",
    "control_cycles",
    "consolidation_paths",
    "perimeter",
]


def _percent(value: Any, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise InputError(f"{name} must be a percent between 0 and 100, got {value!r}")
    if not 0.0 <= float(value) <= 100.0:
        raise InputError(f"{name} must be a percent between 0 and 100, got {value!r}")
    return float(value) / 100.0


def _passes(low, exclusive, high, consolidated, held_low, t, possible):
    """Whether a group holding ``[low, high]`` of a company has more than ``t`` of it.

    ``held_low`` is the sum of the lower bounds of all holders of the company;
    works elementwise on arrays.
    """
    certain = consolidated | (low > t + TOLERANCE) | ((low >= t - TOLERANCE) & exclusive)
    if not possible:
        return certain
    room = np.maximum(low, 1.0 - (held_low - low))
    return certain | (np.minimum(high, room) > t + TOLERANCE)


def _passes_one(
    low: float,
    exclusive: bool,
    high: float,
    consolidated: bool,
    held_low: float,
    t: float,
    possible: bool,
) -> bool:
    """:func:`_passes` for one group, without the cost of array arithmetic."""
    if consolidated or low > t + TOLERANCE or (exclusive and low >= t - TOLERANCE):
        return True
    return possible and min(high, max(low, 1.0 - (held_low - low))) > t + TOLERANCE


# -- forward, from one controller ------------------------------------------------------


def _group(G: nx.DiGraph, x: Entity, t: float, possible: bool) -> set[Entity]:
    """``x`` and everything ``x`` controls: the least set closed under the rules."""
    held: dict[Entity, list] = {}
    totals: dict[Entity, float] = {}
    group = {x}
    stack = [x]
    while stack:
        m = stack.pop()
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
                total = totals[y] = _held_low(G, y)
            if _passes_one(acc[0], acc[1], acc[2], acc[3], total, t, possible):
                group.add(y)
                stack.append(y)
    return group


def _held_low(G: nx.DiGraph, y: Entity) -> float:
    return math.fsum(edge_stake(u, y, d).low for u, d in G._pred[y].items() if u != y)


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
    t = _percent(threshold, "threshold")
    certain = _group(G, x, t, possible=False)
    possible = _group(G, x, t, possible=True)
    return {y: "certain" if y in certain else "possible" for y in sorted(possible - {x})}


# -- the control index: U(Y) for many entities at once ----------------------------------


def _edge_arrays(
    G: nx.DiGraph, nodes: list[Entity], index: dict[Entity, int]
) -> tuple[np.ndarray, ...]:
    """The checked stakes held in ``nodes``, sorted by owned then owner position.

    The whole graph is read at once, so the checks run on arrays; only when one
    fails is each edge looked at to name the culprit.
    """
    src, dst, found = [], [], []
    pred = G._pred  # the plain dicts: a view per entity costs more than the reading
    for j, v in enumerate(nodes):
        for u, data in pred[v].items():
            if u != v:
                src.append(index[u])
                dst.append(j)
                found.append(data)
    src_a, dst_a = np.array(src, dtype=np.int64), np.array(dst, dtype=np.int64)
    lows = [d.get("low", 0.0) for d in found]
    highs = [d.get("high", 1.0) for d in found]
    flags = [
        [d.get(name, default) for d in found]
        for name, default in (("low_exclusive", False), ("high_exclusive", False),
                              ("consolidated", False), ("holding", True))
    ]  # fmt: skip
    plain = set(map(type, lows)) | set(map(type, highs)) <= {float, int} and all(
        set(map(type, f)) <= {bool} for f in flags
    )
    if plain:
        low_a, high_a = np.array(lows, dtype=float), np.array(highs, dtype=float)
        lex_a, cons_a = np.array(flags[0], dtype=bool), np.array(flags[2], dtype=bool)
        empty = (low_a == high_a) & (lex_a | np.array(flags[1], dtype=bool))
        # NaN fails every comparison, so it fails here too.
        plain = bool(np.all((low_a >= 0.0) & (low_a <= high_a) & (high_a <= 1.0) & ~empty))
    if not plain:  # unusual types, or a bad edge to name: one edge at a time
        stakes = [
            edge_stake(nodes[i], nodes[j], d) for i, j, d in zip(src, dst, found, strict=True)
        ]
        low_a = np.array([x.low for x in stakes], dtype=float)
        high_a = np.array([x.high for x in stakes], dtype=float)
        lex_a = np.array([x.low_exclusive for x in stakes], dtype=bool)
        cons_a = np.array([x.consolidated for x in stakes], dtype=bool)
    order = np.lexsort((src_a, dst_a))  # fixed summation order: same graph, same bits
    return src_a[order], dst_a[order], low_a[order], high_a[order], lex_a[order], cons_a[order]


class _Index:
    """``U(Y)`` = ``Y`` and its controllers, for every entity of ``nodes``.

    ``nodes`` must contain every holder of each of its members (the whole graph, or
    the ancestors of one entity). Entities are numbered in id order.
    """

    def __init__(self, G: nx.DiGraph, t: float, possible: bool, nodes: Iterable[Entity]):
        self.nodes = sorted(nodes)
        n = len(self.nodes)
        self.position = index = {node: i for i, node in enumerate(self.nodes)}
        src_a, dst_a, low_a, high_a, lex_a, cons_a = _edge_arrays(G, self.nodes, index)
        held_low = np.bincount(dst_a, weights=low_a, minlength=n)

        # Only stakes that can count towards control.
        keep = cons_a | lex_a | ((high_a if possible else low_a) > 0.0)
        src_a, dst_a, low_a, high_a = src_a[keep], dst_a[keep], low_a[keep], high_a[keep]
        lex_a, cons_a = lex_a[keep], cons_a[keep]

        g_low = np.bincount(dst_a, weights=low_a, minlength=n)
        g_high = np.bincount(dst_a, weights=high_a, minlength=n)
        g_lex = np.bincount(dst_a, weights=lex_a, minlength=n)
        g_cons = np.bincount(dst_a, weights=cons_a, minlength=n)
        anyone = _passes(g_low, g_lex > 0, g_high, g_cons > 0, held_low, t, possible)
        alone = _passes(low_a, lex_a, high_a, cons_a, held_low[dst_a], t, possible)
        n_alone = np.bincount(dst_a[alone], minlength=n)

        # Control forest: one holder controls alone and the others together cannot.
        e = np.flatnonzero(alone & (n_alone[dst_a] == 1))
        y = dst_a[e]
        others = _passes(
            g_low[y] - low_a[e],
            (g_lex[y] - lex_a[e]) > 0,
            g_high[y] - high_a[e],
            (g_cons[y] - cons_a[e]) > 0,
            held_low[y],
            t,
            possible,
        )
        self.forest = np.zeros(n, dtype=bool)
        self.forest[y[~others]] = True
        self.parent = np.arange(n)
        self.parent[y[~others]] = src_a[e][~others]
        self._jump()
        if self.forest[self.anchor].any():
            self._break_forest_cycles()
            self._jump()

        self.held_low = held_low.tolist()
        self.complex = np.flatnonzero(anyone & ~self.forest).tolist()
        starts = np.searchsorted(dst_a, np.arange(n + 1))
        self._in = (starts.tolist(), src_a.tolist(), low_a.tolist(), lex_a.tolist(),
                    high_a.tolist(), cons_a.tolist())  # fmt: skip
        self.t, self.possible = t, possible
        # U of the entities that are neither forest links nor uncontrollable.
        self.sets: dict[int, frozenset[int]] = {c: frozenset((c,)) for c in self.complex}
        self.top: dict[int, int] = {}
        self.cyclic: list[list[int]] = []
        self.in_cycle: set[int] = set()
        self._solve()

    def _jump(self) -> None:
        """Follow forest links to their first non-forest entity (the anchor)."""
        nxt = np.where(self.forest, self.parent, np.arange(self.forest.size))
        dist = self.forest.astype(np.int64)
        for _ in range(max(1, int(self.forest.size).bit_length()) + 1):
            dist = dist + dist[nxt]
            nxt = nxt[nxt]
        self.anchor, self.dist = nxt, dist

    def _break_forest_cycles(self) -> None:
        """Entities controlling each other one-to-one leave the forest for the solver."""
        stuck = np.flatnonzero(self.forest[self.anchor])
        for start in np.unique(self.anchor[stuck]).tolist():
            z = start
            while self.forest[z]:  # ``start`` lies on the cycle: walk round it once
                self.forest[z] = False
                z = int(self.parent[z])

    def members(self, i: int) -> set[int]:
        """``U`` of entity ``i`` (its controllers and itself)."""
        found = set()
        forest, parent = self.forest, self.parent
        while forest[i]:
            found.add(i)
            i = int(parent[i])
        found.update(self.sets.get(i, (i,)))
        return found

    def _controllers(self, y: int) -> frozenset[int]:
        starts, src, low, lex, high, cons = self._in
        acc: dict[int, list] = {}
        for e in range(starts[y], starts[y + 1]):
            for x in self.members(src[e]):
                a = acc.get(x)
                if a is None:
                    acc[x] = [low[e], lex[e], high[e], cons[e]]
                else:
                    a[0] += low[e]
                    a[1] |= lex[e]
                    a[2] += high[e]
                    a[3] |= cons[e]
        total = self.held_low[y]
        t, possible = self.t, self.possible
        return frozenset(
            x
            for x, a in acc.items()
            if x != y and _passes_one(a[0], a[1], a[2], a[3], total, t, possible)
        )

    def _solve(self) -> None:
        """``U`` of the remaining entities, holders first; cycles to their least fixed point."""
        starts, src = self._in[0], self._in[1]
        anchor = self.anchor.tolist()
        position = {c: k for k, c in enumerate(self.complex)}
        tails, heads, looped = [], [], set()
        for k, y in enumerate(self.complex):
            for e in range(starts[y], starts[y + 1]):
                a = position.get(anchor[src[e]])
                if a is not None:
                    tails.append(a)
                    heads.append(k)
                    if a == k:
                        looped.add(k)
        # The strongly connected blocks, numbered in any order: blocks of one layer
        # do not depend on each other, and cycles() sorts what it finds.
        m = len(self.complex)
        deps = nx.DiGraph()
        deps.add_nodes_from(range(m))
        deps.add_edges_from(zip(tails, heads, strict=True))
        labels = np.zeros(m, dtype=np.int64)
        count = 0
        for count, block in enumerate(nx.strongly_connected_components(deps), start=1):
            labels[list(block)] = count - 1
        grouped = np.argsort(labels, kind="stable").tolist()
        bounds = np.concatenate([[0], np.cumsum(np.bincount(labels, minlength=count))]).tolist()
        tails_b = labels[np.array(tails, dtype=np.int64)]
        heads_b = labels[np.array(heads, dtype=np.int64)]
        layers = block_layers(count, tails_b, heads_b)
        for block in (b for layer in layers for b in layer.tolist()):
            ks = grouped[bounds[block] : bounds[block + 1]]
            group = [self.complex[k] for k in ks]
            if len(ks) == 1 and ks[0] not in looped:
                y = group[0]
                self.sets[y] = self._controllers(y) | {y}
                self.top[y] = self._top_linked(y)
                continue
            changed = True
            while changed:  # from below: the least fixed point
                changed = False
                for y in group:
                    found = self._controllers(y) | {y}
                    if found != self.sets[y]:
                        self.sets[y] = found
                        changed = True
            self.cyclic.append(group)
            self.in_cycle.update(group)
            for y in group:
                self.top[y] = self._top_of(self.sets[y])

    def _size(self, i: int) -> int:
        """``|U(i)|``, exact unless the anchor of ``i`` is in a cycle (then at least)."""
        a = int(self.anchor[i])
        return int(self.dist[i]) + len(self.sets.get(a, (a,)))

    def parent_of(self, i: int) -> int:
        """The ultimate parent of entity ``i``, once solved."""
        a = int(self.anchor[i])
        return self.top.get(a, a)

    def _top_linked(self, y: int) -> int:
        controllers = self.sets[y] - {y}
        if not controllers:
            return y
        # A controller that every other controller controls carries the answer.
        for p in controllers:
            if self._size(p) == len(controllers) and (
                int(self.anchor[p]) not in self.in_cycle or len(self.members(p)) == len(controllers)
            ):
                return self.parent_of(p)
        return self._top_of(self.sets[y])

    def _top_of(self, entities: frozenset[int]) -> int:
        """The smallest id among the entities nobody outside their own cycle controls."""
        known: dict[int, set[int]] = {}

        def above(u: int) -> set[int]:
            if u not in known:
                known[u] = self.members(u)
            return known[u]

        return min(u for u in entities if all(u in above(w) for w in above(u)))

    def cycles(self) -> list[list[Entity]]:
        found = set()
        for group in self.cyclic:
            for c in group:
                cls = frozenset(x for x in self.sets[c] if c in self.members(x))
                if len(cls) > 1:
                    found.add(tuple(sorted(self.nodes[i] for i in cls)))
        return [list(c) for c in sorted(found)]


def _ancestry(G: nx.DiGraph, y: Entity) -> set[Entity]:
    return nx.ancestors(G, y) | {y}


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
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InputError(f"the ownership graph must be a networkx.DiGraph, got {type(G).__name__}")
    t = _percent(threshold, "threshold")
    index = _Index(G, t, possible=False, nodes=G)
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
    check_node(G, y)
    t = _percent(threshold, "threshold")
    index = _Index(G, t, possible=False, nodes=_ancestry(G, y))
    return index.nodes[index.parent_of(index.position[y])]


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
    t = _percent(threshold, "threshold")
    nodes = _ancestry(G, y)
    found = {}
    for possible in (True, False):
        index = _Index(G, t, possible=possible, nodes=nodes)
        me = index.position[y]
        for i in index.members(me) - {me}:
            found[index.nodes[i]] = "possible" if possible else "certain"
    return dict(sorted(found.items()))


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
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InputError(f"the ownership graph must be a networkx.DiGraph, got {type(G).__name__}")
    return _Index(G, _percent(threshold, "threshold"), possible=False, nodes=G).cycles()


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
    check_node(G, y)
    t = _percent(threshold, "threshold")
    # Every entity on a path to y is an ancestor of y, and so are all its holders.
    index = _Index(G, t, possible=False, nodes=_ancestry(G, y))
    top = index.parent_of(index.position[y])
    if index.nodes[top] == y:
        return [[y]]
    group = {index.nodes[i] for i in range(len(index.nodes)) if top in index.members(i)}
    ways = nx.DiGraph()
    for u in group:
        for v, data in G._succ[u].items():
            if v != u and v in group:
                s = edge_stake(u, v, data)
                if s.high > 0.0 or s.consolidated:
                    ways.add_edge(u, v)
    paths = nx.all_simple_paths(ways, index.nodes[top], y)
    return sorted(paths, key=lambda p: (len(p), p))


def perimeter(
    G: nx.DiGraph,
    x: Entity,
    threshold: float = 50,
    affiliate_min: float = 20,
    ownership: nx.DiGraph | None = None,
) -> dict[str, Any]:
    """The consolidated subsidiaries and equity-method affiliates of ``x``.

    Subsidiaries are the entities ``x`` controls, certainly or possibly. Affiliates
    are the other entities in which ``x``'s effective stake reaches
    ``affiliate_min`` percent: ``"certain"`` when its lower bound does,
    ``"possible"`` when only its upper bound does. An entity not controlled stays
    an affiliate even where its effective stake exceeds ``threshold``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    x : node
        The reporting entity.
    threshold, affiliate_min : float
        Percents: control needs more than ``threshold``; an affiliate at least
        ``affiliate_min``.
    ownership : networkx.DiGraph, optional
        The graph effective stakes are read from, where it differs from the control
        graph ``G`` (stakes weighed by shares where ``G`` weighs voting rights);
        ``G`` by default.

    Returns
    -------
    dict
        ``{"entity": x, "subsidiaries": [{"entity", "control", "low", "high"}],
        "affiliates": [{"entity", "influence", "low", "high"}]}``, where ``low`` and
        ``high`` bound the effective stake as fractions; lists in id order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.8, high=0.8)
    >>> G.add_edge("A", "B", low=0.3, high=0.3)
    >>> G.add_edge("P", "C", low=0.1, high=0.1)
    >>> found = perimeter(G, "P")
    >>> [(s["entity"], s["control"], s["low"]) for s in found["subsidiaries"]]
    [('A', 'certain', 0.8)]
    >>> [(a["entity"], a["influence"], round(a["low"], 12)) for a in found["affiliates"]]
    [('B', 'certain', 0.24)]
    """
    check_node(G, x)
    floor = _percent(affiliate_min, "affiliate_min")
    controlled = controlled_by(G, x, threshold)
    source = G if ownership is None else ownership
    stakes = effective_ownership_from(source, x) if x in source else {}
    subsidiaries = [
        {"entity": y, "control": c, "low": stakes.get(y, (0.0, 0.0))[0],
         "high": stakes.get(y, (0.0, 0.0))[1]}
        for y, c in controlled.items()
    ]  # fmt: skip
    affiliates = []
    for y, (low, high) in sorted(stakes.items()):
        if y in controlled or high < floor - TOLERANCE:
            continue
        influence = "certain" if low >= floor - TOLERANCE else "possible"
        affiliates.append({"entity": y, "influence": influence, "low": low, "high": high})
    return {"entity": x, "subsidiaries": subsidiaries, "affiliates": affiliates}
