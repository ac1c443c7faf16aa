"""The ownership graph the analytics read: its contract, and the checks on it.

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

A node attribute ``unnamed=True`` marks a bucket of unnamed holders ("Other
shareholders of X"). It stands for many holders, so control reads the graph without
its stakes (the control graph of ``docs/definitions.md``): it controls nobody, is
nobody's ultimate parent, and its stake does not limit what the other holders may
control. Its stakes still count in effective ownership.

Self-loops (a company holding its own shares as treasury stock) are ignored: treasury
shares carry no vote and no dividend, so they neither own nor pass on anything.

Edges are checked as they are read, before any answer is computed: a bound outside
``[0, 1]``, ``low > high`` or an empty range raises
:class:`~groupkg.graph.errors.InputError` naming the edge. Parts of the graph the
answer does not depend on are not inspected.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from numbers import Real
from typing import Any, NamedTuple

import networkx as nx
import numpy as np

from groupkg.graph.errors import InputError

__all__ = [
    "TOLERANCE",
    "Entity",
    "Stake",
    "check_graph",
    "check_node",
    "edge_stake",
    "held_low",
    "is_unnamed",
    "unnamed_among",
]

# An entity id: a str in the graphs the time model builds. Any hashable node works
# as long as the ids of one graph can be sorted, which makes every answer
# independent of the order the graph was built in.
Entity = Any

# Percentages carry a few decimals at most, so anything closer than this is equal;
# it keeps 0.1 + 0.2 from counting as more than 0.3.
TOLERANCE = 1e-9


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


def check_graph(G: Any) -> None:
    """Raise :class:`InputError` unless ``G`` is a :class:`networkx.DiGraph`."""
    if not isinstance(G, nx.DiGraph) or G.is_multigraph():
        raise InputError(f"the ownership graph must be a networkx.DiGraph, got {type(G).__name__}")


def check_node(G: nx.DiGraph, node: Entity, role: str = "entity") -> None:
    """Raise :class:`InputError` unless ``node`` is in ``G``."""
    check_graph(G)
    try:
        present = node in G
    except TypeError:  # an unhashable id
        present = False
    if not present:
        raise InputError(f"{role} {node!r} is not in the ownership graph")


def is_unnamed(G: nx.DiGraph, node: Entity) -> bool:
    """Whether ``node`` is flagged a bucket of unnamed holders (node attribute ``unnamed``).

    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_node("others", unnamed=True)
    >>> G.add_edge("others", "A", low=0.6, high=0.6)
    >>> is_unnamed(G, "others"), is_unnamed(G, "A")
    (True, False)
    """
    flag = G._node[node].get("unnamed", False)
    if flag is False:  # the usual node, decided without a type check
        return False
    if not isinstance(flag, bool | np.bool_):
        raise InputError(f"node {node!r}: unnamed must be True or False, got {flag!r}")
    return bool(flag)


def unnamed_among(G: nx.DiGraph, nodes: Iterable[Entity]) -> set[Entity]:
    """The buckets of unnamed holders among ``nodes``, see :func:`is_unnamed`."""
    attributes = G._node  # most nodes have none: asked first, it is the cheap test
    return {v for v in nodes if attributes[v] and is_unnamed(G, v)}


def held_low(G: nx.DiGraph, v: Entity, named: bool = False) -> float:
    """The lower bounds of all holders of ``v`` added up (order-free).

    With ``named``, the stakes of buckets of unnamed holders are left out, as control
    reads them.
    """
    return math.fsum(
        edge_stake(u, v, d).low
        for u, d in G._pred[v].items()
        if u != v and not (named and is_unnamed(G, u))
    )
