"""The control index: each entity and its controllers, for a whole graph at once.

:class:`ControlIndex` holds ``U(Y)``, ``Y`` and its controllers under the rules of
:mod:`groupkg.graph.analytics.control`, for every entity of a graph or of one
entity's ancestry; ultimate parents, controllers, control cycles and consolidation
paths are read from it.

Algorithm (near-linear on real groups). Control is transitive, so when one holder
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
:func:`~groupkg.graph.analytics.control.controlled_by` follows the definition
forward from the controller instead; the tests check both against a direct
transcription of the definition.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx
import numpy as np

from groupkg.graph.analytics.graph import Entity, edge_stake, unnamed_among
from groupkg.graph.analytics.layers import block_layers
from groupkg.graph.analytics.threshold import passes, passes_one

__all__ = ["ControlIndex", "ancestry"]


# -- the control index: U(Y) for many entities at once ----------------------------------


def _edge_arrays(
    G: nx.DiGraph, nodes: list[Entity], index: dict[Entity, int]
) -> tuple[np.ndarray, ...]:
    """The checked stakes held in ``nodes``, sorted by owned then owner position; those
    of buckets of unnamed holders are left out.

    The whole graph is read at once, so the checks run on arrays; only when one
    fails is each edge looked at to name the culprit.
    """
    src, dst, found = [], [], []
    pred = G._pred  # the plain dicts: a view per entity costs more than the reading
    buckets = unnamed_among(G, nodes)  # their stakes never count towards control
    for j, v in enumerate(nodes):
        for u, data in pred[v].items():
            if u != v and u not in buckets:
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


class ControlIndex:
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
        anyone = passes(g_low, g_lex > 0, g_high, g_cons > 0, held_low, t, possible)
        alone = passes(low_a, lex_a, high_a, cons_a, held_low[dst_a], t, possible)
        n_alone = np.bincount(dst_a[alone], minlength=n)

        # Control forest: one holder controls alone and the others together cannot.
        e = np.flatnonzero(alone & (n_alone[dst_a] == 1))
        y = dst_a[e]
        others = passes(
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
            if x != y and passes_one(a[0], a[1], a[2], a[3], total, t, possible)
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


def ancestry(G: nx.DiGraph, y: Entity) -> set[Entity]:
    """``y`` and every entity with a chain of edges to it: all that control of ``y`` reads."""
    return nx.ancestors(G, y) | {y}
