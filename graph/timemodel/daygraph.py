"""Questions over a whole register on one day (a base of
:class:`~groupkg.graph.timemodel.register.Register`).

Its graph (as sparse matrices or as networkx), the group linked to some entities,
every entity's ultimate parent (:mod:`~groupkg.graph.timemodel.parents`), completed
by reported ones, and the effective stakes of the top parents
(:mod:`~groupkg.graph.timemodel.lookthrough`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from groupkg.graph.dates import Day
from groupkg.graph.timemodel.columns import KNOWN, UNNAMED, day_number
from groupkg.graph.timemodel.edges import slices, subgraph
from groupkg.graph.timemodel.indexed import IndexedRows
from groupkg.graph.timemodel.lookthrough import TopStakes, top_stakes
from groupkg.graph.timemodel.parents import completed_parents, ultimate_parents

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

__all__ = ["DayGraphs", "StakeMatrices"]


class StakeMatrices(NamedTuple):
    """The ownership graph of one day: ``low[i, j]``/``high[i, j]`` bound the fraction of
    entity ``j`` that entity ``i`` holds (positions in :attr:`Register.ids`). Every stake
    is stored, a consolidation without a percent as 0 and 1."""

    low: sp.csr_array
    high: sp.csr_array


class DayGraphs(IndexedRows):
    """The whole register on one day: see the module."""

    def graph_at(self, day: Day | int) -> StakeMatrices:
        """The ownership graph of ``day`` as two sparse matrices, see :class:`StakeMatrices`."""
        import scipy.sparse as sp

        e = self.edges_at(day, "ownership")
        n = len(self)
        low = sp.csr_array((e.low, (e.src, e.dst)), shape=(n, n))
        high = sp.csr_array((e.high, (e.src, e.dst)), shape=(n, n))
        return StakeMatrices(low, high)

    def networkx_at(
        self,
        day: Day | int,
        unnamed: bool = True,
        members: np.ndarray | None = None,
        measure: str = "control",
    ) -> nx.DiGraph:
        """The graph of ``day`` as ``Timeline.snapshot(day).graph(unnamed, measure)``
        builds it (nodes are positions): the entities present that day and their stakes,
        with or without those held by buckets of unnamed holders. ``members`` (a mask)
        keeps only those entities and the stakes held in them."""
        d = day_number(day)
        edges = self.edges_at(d, measure)
        usable = np.ones(edges.src.size, dtype=bool) if unnamed else edges.control
        if members is None:
            members = (self.kinds & KNOWN != 0) & (self.born <= d) & (d < self.ended)
            if not unnamed:
                members &= self.kinds & UNNAMED == 0
            members[edges.src[usable]] = True
            members[edges.dst[usable]] = True
        graph = subgraph(edges, members, usable)
        # Flagged as Snapshot.graph flags them: the analytics leave their stakes out of control.
        nodes = np.fromiter(graph, dtype=np.int64, count=len(graph))
        graph.add_nodes_from(nodes[(self.kinds[nodes] & UNNAMED) != 0].tolist(), unnamed=True)
        return graph

    def ultimate_parents_at(self, day: Day | int, threshold: float = 50) -> np.ndarray:
        """The ultimate parent of every entity on ``day``, as positions; -1 where absent.

        The definition is that of :func:`groupkg.graph.analytics.parents.ultimate_parents` on
        the graph of ``Timeline.snapshot(day).graph(unnamed=False)``, and so are the
        answers (found as :func:`~groupkg.graph.timemodel.parents.ultimate_parents` tells).
        """
        d = day_number(day)
        edges = self.edges_at(d)
        found = ultimate_parents(edges, len(self), threshold)
        found[~self._present(d, edges)] = -1
        return found

    def parties(self, entity_ids: Iterable[str], up: bool) -> set[str]:
        """Every entity on the other side of a stake of ``entity_ids`` on any day (a
        consolidation too): their owners and parents when ``up``, else what they hold."""
        start = np.array([p for p in map(self.position, entity_ids) if p >= 0], dtype=np.int64)
        if up:
            found = self.owner[slices(self._owned_offsets, start)]
        else:
            found = self.owned[self._owner_order[slices(self._owner_offsets, start)]]
        return {self.entity(i) for i in np.unique(found).tolist()}

    def group_on(self, entity_ids: Iterable[str], day: Day | int | None) -> list[str]:
        """Every entity linked to ``entity_ids`` on ``day`` by stakes, consolidations or
        reported ultimate parents, in either direction: the group a question needs.
        With ``day`` None, linked on any day (the group across all time)."""
        d = None if day is None else day_number(day)
        start = np.array([p for p in map(self.position, entity_ids) if p >= 0], dtype=np.int64)
        seen = np.zeros(len(self), dtype=bool)
        seen[start] = True
        up_child, up_parent, up_start, up_end = self._reported
        live = np.ones(up_child.size, dtype=bool) if d is None else (up_start <= d) & (d < up_end)
        up_child, up_parent = up_child[live].astype(np.int64), up_parent[live].astype(np.int64)
        frontier = start
        while frontier.size:
            rows = np.concatenate([
                slices(self._owned_offsets, frontier),
                self._owner_order[slices(self._owner_offsets, frontier)],
            ])  # fmt: skip
            if d is not None:
                rows = rows[(self.start[rows] <= d) & (d < self.end[rows])]
            linked = np.concatenate([
                self.owner[rows], self.owned[rows],
                up_parent[np.isin(up_child, frontier)], up_child[np.isin(up_parent, frontier)],
            ]).astype(np.int64)  # fmt: skip
            linked = np.unique(linked[~seen[linked]])
            seen[linked] = True
            frontier = linked
        return [self.entity(i) for i in np.flatnonzero(seen).tolist()]

    def completed_parents_at(
        self, day: Day | int, threshold: float = 50
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ultimate parents as :meth:`groupkg.graph.group.Group.paths` answers them: the
        computed ones (:meth:`ultimate_parents_at`), completed by a reported ultimate
        parent where the direct records leave the chain open.

        Returns the parents (positions, -1 where absent) and, per entity, the basis code
        of :data:`~groupkg.graph.timemodel.parents.BASES` (``computed``, ``agrees``,
        ``completed``, ``differs``), the rule of
        :func:`~groupkg.graph.timemodel.parents.completion`, asked of each entity with
        reported parents.
        """
        d = day_number(day)
        return completed_parents(self.ultimate_parents_at(d, threshold), self._reported, d)

    def effective_from_top_parents(
        self,
        day: Day | int,
        threshold: float = 50,
        progress: Callable[[int], None] | None = None,
    ) -> TopStakes:
        """Effective (look-through) stakes of every top parent on ``day``, exact with cycles.

        A top parent is an entity that is its own ultimate parent (see
        :meth:`ultimate_parents_at`) and holds something that day; its stakes are those
        of :func:`groupkg.graph.analytics.effective.effective_ownership_from`, found by
        sparse solves (see :mod:`~groupkg.graph.timemodel.lookthrough`). ``progress``
        is called with the number of top parents done for both bounds.
        """
        d = day_number(day)
        edges = self.edges_at(d, "ownership")
        return top_stakes(edges, self.ultimate_parents_at(d, threshold), progress)
