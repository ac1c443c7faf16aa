"""The integrated ownership matrix of a whole ownership graph.

``Ã = (I - A)^-1 A`` (Brioschi, Buzzacchi & Colombo 1989), where ``A[i, j]`` is the
direct fraction of ``j`` held by ``i`` on the ownership graph of
:mod:`groupkg.graph.analytics.graph`: the walk sums of every entity at once, from
which :mod:`groupkg.graph.analytics.effective` takes its measure.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import networkx as nx
import numpy as np

from groupkg.graph.analytics.effective import CappedStakes
from groupkg.graph.analytics.graph import Entity, check_graph
from groupkg.graph.analytics.walks import divergent_cycles
from groupkg.graph.errors import InputError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["integrated_ownership"]


def integrated_ownership(G: nx.DiGraph, weight: str = "low") -> tuple[list[Entity], sp.csr_array]:
    """The integrated ownership matrix ``Ã = (I - A)^-1 A`` of the whole graph.

    ``Ã[i, j]`` sums the products of the stakes over every walk from ``i`` to ``j``,
    returns to ``i`` included: it is the right measure for an owner that nobody
    owns, but overstates an owner inside a cross-holding, for which
    :func:`~groupkg.graph.analytics.effective.effective_ownership` divides by ``1 + Ã[i, i]``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    weight : {"low", "high"}
        Which bound of the stakes to use; upper bounds are capped as for
        :func:`~groupkg.graph.analytics.effective.effective_ownership`.

    Returns
    -------
    nodes : list
        The entities in id order, indexing both axes.
    matrix : scipy.sparse.csr_array

    Raises
    ------
    InputError
        If a cycle of stakes holds 100% or more of itself: the walk sums are then
        unbounded and ``Ã`` does not exist.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("X", "Y", low=0.5, high=0.5)
    >>> G.add_edge("Y", "X", low=0.4, high=0.4)
    >>> nodes, At = integrated_ownership(G)
    >>> nodes
    ['X', 'Y']
    >>> At.toarray().round(12).tolist()   # 0.2 / 0.8, 0.5 / 0.8; 0.4 / 0.8, 0.2 / 0.8
    [[0.25, 0.625], [0.5, 0.25]]
    """
    import scipy.sparse as sp
    from scipy.sparse.linalg import spsolve

    check_graph(G)
    if weight not in ("low", "high"):
        raise InputError(f"weight must be 'low' or 'high', got {weight!r}")
    nodes = sorted(G)
    index = {node: i for i, node in enumerate(nodes)}
    read = CappedStakes(G)
    entries = sorted(
        (index[u], index[v], w)
        for u, v, data in G.edges(data=True)
        if u != v and (w := read.weight(u, v, data, weight)) > 0.0
    )
    n = len(nodes)
    A = sp.csr_array(
        ([e[2] for e in entries], ([e[0] for e in entries], [e[1] for e in entries])),
        shape=(n, n),
    )
    divergent = divergent_cycles(A) if n else np.zeros(0, dtype=bool)
    if divergent.any():
        members = [nodes[i] for i in np.flatnonzero(divergent)]
        raise InputError(
            f"the stakes among {members!r} hold 100% or more of each other: "
            "integrated ownership is unbounded"
        )
    if n == 0:
        return nodes, sp.csr_array((0, 0))
    system = (sp.identity(n, format="csc") - A).tocsc()
    solved = spsolve(system, A.tocsc())
    if not sp.issparse(solved):  # a one-column right-hand side comes back as a vector
        solved = np.asarray(solved).reshape(n, n)
    return nodes, sp.csr_array(solved)
