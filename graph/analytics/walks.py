"""Walk sums over a matrix of stakes, and the cycles of stakes where they diverge.

``M[i, j]`` is the fraction of ``j`` that ``i`` holds. The walk sums from a vector
``a`` of stakes are ``sum_k (Mᵀ)^k a``, the least solution of ``x = a + Mᵀx``: what
flows down every chain of holdings. They are finite exactly when no cycle of
stakes holds 100% or more of itself (the spectral radius of ``M`` is below 1);
:func:`walk_sums` then gives 1 to what lies downstream of such a cycle, and
:func:`divergent_cycles` names the cycles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from groupkg.graph.analytics.graph import TOLERANCE
from groupkg.graph.analytics.layers import block_layers

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["divergent_cycles", "walk_sums"]

# A cycle whose walk sums exceed this many times the stake flowing into it is treated
# as holding 100% of itself: the value would be clamped to 1 anyway.
_DIVERGENT = 1e12

_DENSE = 256  # up to this many entities one dense solve costs less than anything else


def walk_sums(
    n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, a: np.ndarray
) -> np.ndarray:
    """``min(1, sum_k (Mᵀ)^k a)``: the least ``x = a + Mᵀx``, for ``M[rows, cols] = vals``.

    Entities downstream of a cycle that holds 100% or more of itself (spectral
    radius at least 1, where the series diverges) get 1.
    """
    if n == 0:
        return a
    x = _solve_bounded(n, rows, cols, vals, a) if n <= _DENSE else None
    if x is None:
        x = _solve_by_blocks(n, rows, cols, vals, a)
    return np.clip(x, 0.0, 1.0)


def _solve_bounded(
    n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, a: np.ndarray
) -> np.ndarray | None:
    """Solve ``(I - Mᵀ) x = a``, or None when the walk sums of ``M`` diverge.

    The series converges exactly when ``I - Mᵀ`` is a nonsingular M-matrix, that
    is when ``(I - Mᵀ) z = 1`` has a positive solution; both right-hand sides
    share one factorisation.
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    rhs = np.column_stack([a, np.ones(n)])
    try:
        if n <= _DENSE:
            system = np.eye(n)
            system[cols, rows] -= vals
            solved = np.linalg.solve(system, rhs)
        else:
            transposed = sp.csc_array((-vals, (cols, rows)), shape=(n, n))
            solved = splu((sp.identity(n, format="csc") + transposed).tocsc()).solve(rhs)
    except (np.linalg.LinAlgError, RuntimeError):  # exactly singular
        return None
    z = solved[:, 1]
    if not (np.isfinite(solved).all() and z.min() > 0.0 and z.max() < _DIVERGENT):
        return None
    return solved[:, 0]


def _solve_by_blocks(
    n: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, a: np.ndarray
) -> np.ndarray:
    """The walk sums, one cycle of cross-holdings at a time, holders first.

    Outside cycles each value is a plain sum over the holders, done for a whole
    layer of the group at once, so a large acyclic group costs no factorisation
    (whose fill-in grows much faster than the group). A cycle that holds 100% or
    more of itself gets ``inf``, which flows on to everything it holds.
    """
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    M = sp.csr_array((vals, (rows, cols)), shape=(n, n))
    count, labels = connected_components(M, directed=True, connection="strong")
    holders = M.T.tocsr()  # row j: the holders of j
    sizes = np.bincount(labels, minlength=count)
    grouped = np.argsort(labels, kind="stable")
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    x = np.zeros(n)  # entities not yet reached hold nothing yet
    for layer in block_layers(count, labels[rows], labels[cols]):
        single = grouped[bounds[layer[sizes[layer] == 1]]]
        if single.size:
            x[single] = a[single] + holders[single] @ x
        for block in layer[sizes[layer] > 1].tolist():
            nodes = grouped[bounds[block] : bounds[block + 1]]
            inflow = a[nodes] + holders[nodes] @ x
            if not inflow.any():  # no walk from the owner enters this cycle
                continue
            found = None
            if np.isfinite(inflow).all():
                inner = M[nodes][:, nodes].tocoo()
                found = _solve_bounded(nodes.size, inner.row, inner.col, inner.data, inflow)
            x[nodes] = np.inf if found is None else found
    return x


def divergent_cycles(M: sp.csr_array) -> np.ndarray:
    """Mask of the entities in a cycle of stakes holding 100% or more of itself."""
    from scipy.sparse.csgraph import connected_components

    n = M.shape[0]
    count, labels = connected_components(M, directed=True, connection="strong")
    bad = np.zeros(n, dtype=bool)
    sizes = np.bincount(labels, minlength=count)
    if sizes.max() < 2:  # no cycle at all (self-loops are never in M)
        return bad
    coo = M.tocoo()
    inside = labels[coo.row] == labels[coo.col]
    # What the other members of its cycle hold in each entity.
    held = np.bincount(coo.col[inside], weights=coo.data[inside], minlength=n)
    most = np.zeros(count)
    np.maximum.at(most, labels, held)
    least = np.full(count, np.inf)
    np.minimum.at(least, labels, held)
    # The spectral radius of a nonnegative matrix lies between its least and its
    # largest column sum, so only the mixed cycles need a solve.
    for c in np.flatnonzero((sizes > 1) & (most > 1.0 - TOLERANCE)):
        members = np.flatnonzero(labels == c)
        if least[c] >= 1.0 - TOLERANCE or not _converges(M[members][:, members]):
            bad[members] = True
    return bad


def _converges(C: sp.csr_array) -> bool:
    """Whether the walk sums of a strongly connected ``C`` are finite.

    For an irreducible nonnegative ``C`` the spectral radius is below 1 exactly when
    ``(I - C) z = 1`` has a positive solution (``I - C`` is then an M-matrix).
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import splu

    system = (sp.identity(C.shape[0], format="csc") - C).tocsc()
    try:
        z = splu(system).solve(np.ones(C.shape[0]))
    except RuntimeError:
        return False
    return bool(np.all(np.isfinite(z)) and z.min() > 0 and z.max() < _DIVERGENT)
