"""Effective (look-through) ownership on an ownership graph at one date.

The ownership graph is a :class:`networkx.DiGraph` whose nodes are entity ids and
whose edge ``u -> v`` says that ``u`` holds an interest in ``v`` (and/or reportedly
consolidates ``v``). Edge attributes, all optional:

``low``, ``high``
    bounds of the fraction of ``v`` that ``u`` holds directly, in ``[0, 1]``;
    ``0.0`` and ``1.0`` (unknown) when absent, equal for an exact stake.
``low_exclusive``, ``high_exclusive``
    the bound itself is not included (a stake "over 50%" is ``low=0.5,
    low_exclusive=True``). The effective bounds are those of the closed range.
``consolidated``, ``holding``
    used by :mod:`groupkg.graph.analytics.control`; the stake bounds are used as given.

Self-loops (a company holding its own shares as treasury stock) are ignored: treasury
shares carry no vote and no dividend, so they neither own nor pass on anything.

The effective stake of ``X`` in ``Y`` is the sum, over every walk from ``X`` to ``Y``
that does not come back through ``X``, of the product of the stakes along it.
With ``A[i, j]`` the direct fraction of ``j`` held by ``i`` and the integrated
ownership matrix ``Ã = (I - A)^-1 A`` (Brioschi, Buzzacchi & Colombo 1989) it is
``Ã[X, Y] / (1 + Ã[X, X])``: the walks that return to ``X`` are what make the raw
``Ã`` of an owner inside a cross-holding exceed the owner's real claim. It is found
as row ``X`` of ``(I - A')^-1 A'``, where ``A'`` is ``A`` without the holdings *in*
``X``, on the part of the graph reachable from ``X`` only (and, for one target,
only what leads to it), so a query costs what the owner's group costs, not what
the whole graph costs: one dense solve for a small group; for a large one, layer
by layer from the owner down, with a solve per cycle of cross-holdings only.

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

Edges are checked as they are read, before any answer is computed: a bound outside
``[0, 1]``, ``low > high`` or an empty range raises
:class:`~groupkg.graph.errors.InputError` naming the edge. Parts of the graph the
answer does not depend on are not inspected.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from numbers import Real
from typing import TYPE_CHECKING, Any, NamedTuple

import networkx as nx
import numpy as np

from groupkg.graph.errors import InputError

if TYPE_CHECKING:
    import scipy.sparse as sp

__all__ = ["effective_ownership", "effective_ownership_from", "integrated_ownership"]

# An entity id: a str in the graphs the time model builds. Any hashable node works
# as long as the ids of one graph can be sorted, which makes every answer
# independent of the order the graph was built in.
Entity = Any

# Percentages carry a few decimals at most, so anything closer than this is equal;
# it keeps 0.1 + 0.2 from counting as more than 0.3.
TOLERANCE = 1e-9

# A cycle whose walk sums exceed this many times the stake flowing into it is treated
# as holding 100% of itself: the value would be clamped to 1 anyway.
_DIVERGENT = 1e12


class Stake(NamedTuple):
    """The checked attributes of one edge."""

    low: float
    high: float
    low_exclusive: bool
    high_exclusive: bool
    consolidated: bool


def edge_stake(u: Entity, v: Entity, data: Mapping[str, Any]) -> Stake:
    """The stake of edge ``u -> v`` with attributes ``data``, checked.

    >>> edge_stake("P", "A", {"low": 0.5, "low_exclusive": True})
    Stake(low=0.5, high=1.0, low_exclusive=True, high_exclusive=False, consolidated=False)
    """
    get = data.get
    low, high = get("low", 0.0), get("high", 1.0)
    low_ex, high_ex = get("low_exclusive", False), get("high_exclusive", False)
    cons = get("consolidated", False)
    # The usual edge, checked cheaply: the analytics read every edge they use.
    if (
        type(low) is float
        and type(high) is float
        and 0.0 <= low <= high <= 1.0
        and (low_ex is False or (low_ex is True and low < high))
        and (high_ex is False or (high_ex is True and low < high))
        and (cons is False or cons is True)
        and get("holding", True) in (True, False)
    ):
        return Stake(low, high, low_ex, high_ex, cons)
    return _checked_stake(u, v, data)


def _checked_stake(u: Entity, v: Entity, data: Mapping[str, Any]) -> Stake:
    low = _fraction(u, v, "low", data.get("low", 0.0))
    high = _fraction(u, v, "high", data.get("high", 1.0))
    low_ex = _flag(u, v, "low_exclusive", data.get("low_exclusive", False))
    high_ex = _flag(u, v, "high_exclusive", data.get("high_exclusive", False))
    cons = _flag(u, v, "consolidated", data.get("consolidated", False))
    _flag(u, v, "holding", data.get("holding", True))
    if low > high:
        raise InputError(f"edge {u!r} -> {v!r}: low {low!r} is above high {high!r}")
    if low == high and (low_ex or high_ex):
        raise InputError(f"edge {u!r} -> {v!r}: the range of the stake is empty")
    return Stake(low, high, low_ex, high_ex, cons)


def _fraction(u: Entity, v: Entity, name: str, value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(value):
        raise InputError(f"edge {u!r} -> {v!r}: {name} must be a real number, got {value!r}")
    if not 0.0 <= float(value) <= 1.0:
        raise InputError(
            f"edge {u!r} -> {v!r}: {name} {value!r} is outside [0, 1] "
            "(stakes are fractions, not percent)"
        )
    return float(value)


def _flag(u: Entity, v: Entity, name: str, value: Any) -> bool:
    if not isinstance(value, bool | np.bool_):
        raise InputError(f"edge {u!r} -> {v!r}: {name} must be True or False, got {value!r}")
    return bool(value)


def check_node(G: nx.DiGraph, node: Entity, role: str = "entity") -> None:
    """Raise :class:`InputError` unless ``node`` is in ``G``."""
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InputError(f"the ownership graph must be a networkx.DiGraph, got {type(G).__name__}")
    try:
        present = node in G
    except TypeError:  # an unhashable id
        present = False
    if not present:
        raise InputError(f"{role} {node!r} is not in the ownership graph")


class _Reader:
    """Edges read (and checked) on demand, with the capped upper bound of each stake."""

    def __init__(self, G: nx.DiGraph):
        self.G = G
        self._held: dict[Entity, float] = {}

    def held_low(self, v: Entity) -> float:
        """The lower bounds of all holders of ``v`` added up (order-free)."""
        total = self._held.get(v)
        if total is None:
            pred = self.G._pred[v]
            total = math.fsum(edge_stake(u, v, d).low for u, d in pred.items() if u != v)
            self._held[v] = total
        return total

    def bounds(self, u: Entity, v: Entity, data: Mapping[str, Any]) -> tuple[float, float]:
        stake = edge_stake(u, v, data)
        # Other holders' lower bounds are certainly held by them, so not by u.
        room = 1.0 - (self.held_low(v) - stake.low)
        return stake.low, max(stake.low, min(stake.high, room))

    def weight(self, u: Entity, v: Entity, data: Mapping[str, Any], bound: str) -> float:
        return self.bounds(u, v, data)[bound == "high"]


def _walk_sums(
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


_DENSE = 256  # up to this many entities one dense solve costs less than anything else


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


def block_layers(count: int, tails: np.ndarray, heads: np.ndarray) -> list[np.ndarray]:
    """Blocks ``0..count-1`` in layers: each edge's tail lies in an earlier layer.

    ``tails[k] -> heads[k]`` are the edges between blocks (inside one: ignored), and
    must form no cycle. Layers hold block numbers in increasing order.
    """
    between = tails != heads
    tails, heads = tails[between], heads[between]
    order = np.argsort(tails, kind="stable")
    tails, heads = tails[order], heads[order]
    starts = np.searchsorted(tails, np.arange(count + 1))
    waiting = np.bincount(heads, minlength=count)
    layer = np.flatnonzero(waiting == 0)
    layers = []
    while layer.size:
        layers.append(layer)
        lengths = starts[layer + 1] - starts[layer]
        picks = np.repeat(starts[layer] - np.cumsum(lengths) + lengths, lengths)
        picks += np.arange(lengths.sum())
        reached = heads[picks]
        waiting -= np.bincount(reached, minlength=count)
        layer = np.unique(reached[waiting[reached] == 0])
    return layers


def _divergent_cycles(M: sp.csr_array) -> np.ndarray:
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


def _effective(
    G: nx.DiGraph, owner: Entity, target: Entity | None = None
) -> dict[Entity, tuple[float, float]]:
    """Both bounds of ``owner``'s stake in everything it may reach (or in ``target``)."""
    read = _Reader(G)
    within = None if target is None else _leading_to(G, owner, target, read)
    edges: list[tuple[Entity, Entity, float, float]] = []
    succ = G._succ  # the plain dicts: a view per entity costs more than the reading
    seen = {owner}
    stack = [owner]
    while stack:
        u = stack.pop()
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
    low_x = _walk_sums(n, rows[held], cols[held], table[held, 2], a_low)
    high_x = _walk_sums(n, rows, cols, table[:, 3], a_high)
    # Both are exact sums of ordered stakes; only rounding could reorder them.
    return {node: (min(float(low_x[i]), float(high_x[i])), float(high_x[i]))
            for i, node in enumerate(nodes)}  # fmt: skip


def _leading_to(G: nx.DiGraph, owner: Entity, target: Entity, read: _Reader) -> set:
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


def integrated_ownership(G: nx.DiGraph, weight: str = "low") -> tuple[list[Entity], sp.csr_array]:
    """The integrated ownership matrix ``Ã = (I - A)^-1 A`` of the whole graph.

    ``Ã[i, j]`` sums the products of the stakes over every walk from ``i`` to ``j``,
    returns to ``i`` included: it is the right measure for an owner that nobody
    owns, but overstates an owner inside a cross-holding, for which
    :func:`effective_ownership` divides by ``1 + Ã[i, i]``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    weight : {"low", "high"}
        Which bound of the stakes to use; upper bounds are capped as for
        :func:`effective_ownership`.

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

    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InputError(f"the ownership graph must be a networkx.DiGraph, got {type(G).__name__}")
    if weight not in ("low", "high"):
        raise InputError(f"weight must be 'low' or 'high', got {weight!r}")
    nodes = sorted(G)
    index = {node: i for i, node in enumerate(nodes)}
    read = _Reader(G)
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
    divergent = _divergent_cycles(A) if n else np.zeros(0, dtype=bool)
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
