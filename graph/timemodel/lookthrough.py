"""Effective (look-through) stakes of the top parents of a whole register on one day.

A top parent is an entity that is its own ultimate parent and holds something that
day. Its stake in ``Y`` is ``Ã[X, Y] / (1 + Ã[X, X])`` with ``Ã = (I - A)^-1 A``, the
measure of :func:`groupkg.graph.analytics.effective.effective_ownership_from`, with the
same bounds: upper bounds capped by what the other holders certainly hold, values
clamped to ``[0, 1]``, the low bound never above the high one, and only entities with
a high bound above zero listed.

One sparse solve per bound, every top parent a column of the right-hand side:
``(I - Aᵀ) Z = Aᵀ E``. Writing ``A = C + D`` with ``C`` the stakes inside cycles of
cross-holdings and ``D`` the rest, ``(I - Aᵀ)^-1 = (I - P Dᵀ)^-1 P`` where
``P = (I - Cᵀ)^-1`` is exact and block-diagonal (one small block per cycle) and
``P Dᵀ`` is nilpotent (the groups' holdings between cycles have no cycle), so ``Z`` is
a finite sum of sparse products, as long as the deepest chain of holdings. A group
with a cycle of stakes holding 100% or more of itself has no finite walk sum: its top
parents are answered by the reference implementation on that group alone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from groupkg.graph.timemodel.edges import Edges, subgraph

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["TopStakes", "top_stakes"]


class TopStakes(NamedTuple):
    """Effective stakes of the top parents: row ``k`` of ``low``/``high`` is what entity
    ``tops[k]`` holds, through every chain of holdings, of each entity (a column)."""

    tops: np.ndarray
    low: sp.csr_array
    high: sp.csr_array


def top_stakes(
    edges: Edges,
    parents: np.ndarray,
    progress: Callable[[int], None] | None = None,
) -> TopStakes:
    """The effective stakes of the top parents (see the module) in the ownership graph
    of one day (``edges``), given every entity's ultimate parent (``parents``).
    ``progress`` is called with the number of top parents done for both bounds."""
    n = parents.size
    tops = np.flatnonzero((parents == np.arange(n)) & (np.bincount(edges.src, minlength=n) > 0))
    held_low = np.bincount(edges.dst, weights=edges.low, minlength=n)
    room = 1.0 - (held_low[edges.dst] - edges.low)
    high = np.maximum(edges.low, np.minimum(edges.high, room))
    live = high > 0.0
    nodes = np.unique(np.concatenate([edges.src[live], edges.dst[live]]))
    compact = np.full(n, -1, dtype=np.int64)
    compact[nodes] = np.arange(nodes.size)
    rows, cols = compact[edges.src[live]], compact[edges.dst[live]]
    weights = {"low": edges.low[live], "high": high[live]}
    m = nodes.size
    odd = np.zeros(m, dtype=bool)  # entities of groups answered by the reference
    blocks = {name: _Cycles(m, rows, cols, w) for name, w in weights.items()}
    divergent = blocks["low"].divergent | blocks["high"].divergent
    if divergent.any():
        labels = _components(m, rows, cols)
        odd = np.isin(labels, labels[divergent])
        keep = ~odd[rows]
        rows, cols = rows[keep], cols[keep]
        weights = {name: w[keep] for name, w in weights.items()}
        blocks = {name: _Cycles(m, rows, cols, w) for name, w in weights.items()}
    solved = tops[compact[tops] >= 0]
    solved = solved[~odd[compact[solved]]]
    row_of = np.full(n, -1, dtype=np.int64)
    row_of[tops] = np.arange(tops.size)
    found = {}
    for done, (name, w) in enumerate(weights.items(), start=1):
        walks = _walk_sums(blocks[name], rows, cols, w, compact[solved])
        found[name] = _claims(walks, compact[solved], row_of[solved], nodes, (tops.size, n))
        if progress is not None:
            progress(tops.size * done // 2)
    low, high = _bounded(found["low"], found["high"])
    odd_tops = tops[compact[tops] >= 0]
    odd_tops = odd_tops[odd[compact[odd_tops]]]
    if odd_tops.size:
        low, high = _reference_rows(edges, odd_tops, odd, nodes, row_of, low, high)
    return TopStakes(tops, low, high)


def _reference_rows(
    edges: Edges,
    odd_tops: np.ndarray,
    odd: np.ndarray,
    nodes: np.ndarray,
    row_of: np.ndarray,
    low: sp.csr_array,
    high: sp.csr_array,
) -> tuple[sp.csr_array, sp.csr_array]:
    """Rows of top parents in groups whose walk sums diverge, from the reference."""
    import scipy.sparse as sp

    from groupkg.graph.analytics.effective import effective_ownership_from

    members = np.zeros(row_of.size, dtype=bool)
    members[nodes[odd]] = True
    graph = subgraph(edges, members, np.ones(edges.src.size, dtype=bool))
    rows, cols, lows, highs = [], [], [], []
    for top in odd_tops.tolist():
        for target, (lo, hi) in effective_ownership_from(graph, top).items():
            rows.append(int(row_of[top]))
            cols.append(int(target))
            lows.append(lo)
            highs.append(hi)
    shape = low.shape
    extra_low = sp.csr_array((lows, (rows, cols)), shape=shape)
    extra_high = sp.csr_array((highs, (rows, cols)), shape=shape)
    return sp.csr_array(low + extra_low), sp.csr_array(high + extra_high)


def _components(m: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Weakly connected components of ``m`` entities linked by ``rows -> cols``."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    if m == 0:
        return np.zeros(0, dtype=np.int64)
    graph = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(m, m))
    return connected_components(graph, directed=True, connection="weak")[1].astype(np.int64)


class _Cycles:
    """The cycles of cross-holdings of a graph of stakes, each solved exactly.

    ``q`` is ``P - I`` with ``P = (I - Cᵀ)^-1`` for the stakes ``C`` inside strongly
    connected blocks (zero outside them), ``dt`` the transpose of the stakes between
    blocks, ``divergent`` the entities of blocks whose walk sums have no finite
    value (spectral radius at least 1, the test of
    :func:`groupkg.graph.analytics.walks._converges`) or that are too large to invert.
    """

    LARGEST = 2048

    def __init__(self, m: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray):
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        held = vals > 0.0
        rows, cols, vals = rows[held], cols[held], vals[held]
        self.divergent = np.zeros(m, dtype=bool)
        if m == 0:
            self.q = self.dt = sp.csr_array((0, 0))
            return
        count, scc = connected_components(
            sp.csr_array((vals, (rows, cols)), shape=(m, m)), directed=True, connection="strong"
        )
        sizes = np.bincount(scc, minlength=count)
        inside = scc[rows] == scc[cols]
        between = ~inside
        self.dt = sp.csr_array((vals[between], (cols[between], rows[between])), shape=(m, m))
        q_rows: list[np.ndarray] = []
        q_cols: list[np.ndarray] = []
        q_vals: list[np.ndarray] = []
        cyclic = np.flatnonzero(sizes > 1)
        if cyclic.size:
            members = np.flatnonzero(sizes[scc] > 1)
            members = members[np.argsort(scc[members], kind="stable")]
            first = np.searchsorted(scc[members], scc[members])
            local = np.zeros(m, dtype=np.int64)
            local[members] = np.arange(members.size) - first
            for size in np.unique(sizes[cyclic]).tolist():
                chosen = cyclic[sizes[cyclic] == size]
                self._invert(
                    size,
                    chosen,
                    members,
                    scc,
                    local,
                    rows[inside],
                    cols[inside],
                    vals[inside],
                    (q_rows, q_cols, q_vals),
                )
        if q_rows:
            self.q = sp.csr_array(
                (np.concatenate(q_vals), (np.concatenate(q_rows), np.concatenate(q_cols))),
                shape=(m, m),
            )
        else:
            self.q = sp.csr_array((m, m))

    def _invert(
        self,
        size: int,
        chosen: np.ndarray,
        members: np.ndarray,
        scc: np.ndarray,
        local: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        out: tuple[list, list, list],
    ) -> None:
        """``(I - Cᵀ)^-1 - I`` for every block of ``size`` entities at once."""
        block_of = np.full(int(scc.max()) + 1, -1, dtype=np.int64)
        block_of[chosen] = np.arange(chosen.size)
        nodes = members[block_of[scc[members]] >= 0].reshape(chosen.size, size)
        if size > self.LARGEST:
            self.divergent[nodes.ravel()] = True
            return
        mine = block_of[scc[rows]] >= 0
        b = block_of[scc[rows[mine]]]
        system = np.zeros((chosen.size, size, size))
        system[:, np.arange(size), np.arange(size)] = 1.0
        np.add.at(system, (b, local[cols[mine]], local[rows[mine]]), -vals[mine])
        ok = np.ones(chosen.size, dtype=bool)
        try:
            inverse = np.linalg.inv(system)
        except np.linalg.LinAlgError:  # some block is exactly singular: one at a time
            inverse = np.zeros_like(system)
            for k in range(chosen.size):
                try:
                    inverse[k] = np.linalg.inv(system[k])
                except np.linalg.LinAlgError:
                    ok[k] = False
        z = inverse.sum(axis=2)
        ok &= np.isfinite(z).all(axis=1) & (z.min(axis=1) > 0.0) & (z.max(axis=1) < 1e12)
        self.divergent[nodes[~ok].ravel()] = True
        inverse[:, np.arange(size), np.arange(size)] -= 1.0
        block, i, j = np.nonzero(inverse * ok[:, None, None])
        out[0].append(nodes[block, i])
        out[1].append(nodes[block, j])
        out[2].append(inverse[block, i, j])


def _walk_sums(
    cycles: _Cycles, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, tops: np.ndarray
) -> sp.csr_array:
    """``Z = (I - Aᵀ)^-1 Aᵀ E``: column ``j`` holds row ``tops[j]`` of ``Ã``."""
    import scipy.sparse as sp

    m = cycles.q.shape[0]
    column = np.full(m, -1, dtype=np.int64)
    column[tops] = np.arange(tops.size)
    chosen = (column[rows] >= 0) & (vals > 0.0)
    step = sp.csr_array((vals[chosen], (cols[chosen], column[rows[chosen]])), shape=(m, tops.size))
    parts = []
    for _ in range(m + 1):  # the chains of holdings between cycles are at most m long
        step = step + cycles.q @ step
        if step.nnz == 0:
            break
        parts.append(step.tocoo())
        step = cycles.dt @ step
    if not parts:
        return sp.csr_array((m, tops.size))
    return sp.coo_array(
        (
            np.concatenate([p.data for p in parts]),
            (np.concatenate([p.row for p in parts]), np.concatenate([p.col for p in parts])),
        ),
        shape=(m, tops.size),
    ).tocsr()


def _claims(
    walks: sp.csr_array,
    tops: np.ndarray,
    top_rows: np.ndarray,
    nodes: np.ndarray,
    shape: tuple[int, int],
) -> sp.csr_array:
    """Effective stakes from walk sums: walks that return to the top parent are not its
    claim, so ``Ã[X, Y]`` is divided by ``1 + Ã[X, X]``; rows are top parents."""
    import scipy.sparse as sp

    coo = walks.tocoo()
    held, column, value = coo.row, coo.col, coo.data
    returns = np.zeros(tops.size)
    own = held == tops[column]
    returns[column[own]] = value[own]
    keep = ~own
    claims = np.clip(value[keep] / (1.0 + returns[column[keep]]), 0.0, 1.0)
    return sp.csr_array((claims, (top_rows[column[keep]], nodes[held[keep]])), shape=shape)


def _bounded(low: sp.csr_array, high: sp.csr_array) -> tuple[sp.csr_array, sp.csr_array]:
    """The low bound where the high one is above zero, and never above it."""
    import scipy.sparse as sp

    high.eliminate_zeros()
    pattern = high.copy()
    pattern.data[:] = 1.0
    low = sp.csr_array(sp.csr_array(low.multiply(pattern)).minimum(high))
    return low, high
