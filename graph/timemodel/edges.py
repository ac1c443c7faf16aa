"""One day's stakes, from the rows of a register.

The rule, over rows: those present on a day, of one pair and kind, add up (capped at
100%); kinds never do; per pair the measure's kind weighs the edge (the order of
:data:`~groupkg.graph.timemodel.stakes.WEIGHING`, as
:func:`~groupkg.graph.timemodel.stakes.pair_stakes` reads it). :func:`day_stakes` and
:func:`stake_of` apply it to the rows of a few entities (``owners_at``, ``holdings_at``,
``snapshot``), :func:`pair_edge` picks a pair's edge from them, and :meth:`Edges.of` is
the same over a whole day at once, in numpy. :func:`subgraph` turns a day's edges into
the networkx graph :mod:`groupkg.graph.analytics` reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from groupkg.graph.timemodel.columns import (
    CONSOLIDATED,
    HIGH_EXCLUSIVE,
    HOLDING,
    LOW_EXCLUSIVE,
    UNNAMED,
)
from groupkg.graph.timemodel.stakes import WEIGHING

if TYPE_CHECKING:
    import networkx as nx

    from groupkg.graph.timemodel.register import Register

__all__ = [
    "Edges",
    "NO_WEIGHT",
    "ancestors",
    "day_stakes",
    "pair_edge",
    "ranges",
    "kind_ranks",
    "slices",
    "stake_of",
    "subgraph",
]


def day_stakes(records: Iterable[tuple], day: int) -> dict[tuple[int, int, int], list]:
    """The rows of ``records`` present on ``day``, those of one pair and kind together.

    ``records`` are rows as tuples (the fields of
    :data:`~groupkg.graph.timemodel.columns.ROW_COLUMNS`). Returns ``(owner, owned, kind)
    -> [low, high, flags, rows]``: the bounds summed (uncapped: see :func:`stake_of`),
    the flags or-ed, and the rows in the order given, for their provenance.
    """
    found: dict[tuple[int, int, int], list] = {}
    for row in records:
        if row[2] <= day < row[3]:
            key = (row[0], row[1], row[7])
            held = found.get(key)
            if held is None:
                found[key] = [row[4], row[5], row[6], [row]]
            else:
                held[0] += row[4]
                held[1] += row[5]
                held[2] |= row[6]
                held[3].append(row)
    return found


def stake_of(held: list) -> tuple[float, float, int]:
    """``(low, high, flags)`` of one pair and kind from :func:`day_stakes`: the rows
    added up, capped at 1; two exclusive bounds added make an inclusive one."""
    low, high, flags, rows = held
    if len(rows) > 1:
        flags &= ~(LOW_EXCLUSIVE | HIGH_EXCLUSIVE)
    return min(low, 1.0), min(high, 1.0), flags


def pair_edge(
    kinds: dict[int, list], ranks: Sequence[int], control: bool
) -> tuple[int, float, float, int, bool] | None:
    """The edge of one pair on one day, from its stakes of each kind (``kind -> held``
    of :func:`day_stakes`): the kind of least rank (:func:`kind_ranks`) weighs it, if
    any kind weighs. Returns ``(kind, low, high, flags, consolidated)``, consolidated
    (for ``control`` only) when a row of the pair is. One pair of :meth:`Edges.of`.
    """
    weighing = [(ranks[k], k) for k in kinds if ranks[k] < NO_WEIGHT]
    if not weighing:
        return None
    kind = min(weighing)[1]
    cons = control and any(held[2] & CONSOLIDATED for held in kinds.values())
    return (kind, *stake_of(kinds[kind]), cons)


class Edges(NamedTuple):
    """The stakes of one day, one per (owner, owned), sorted by owned then owner."""

    src: np.ndarray
    dst: np.ndarray
    low: np.ndarray
    high: np.ndarray
    lex: np.ndarray
    hex: np.ndarray
    cons: np.ndarray
    hold: np.ndarray
    control: np.ndarray  # the owner is not a bucket of unnamed holders

    @classmethod
    def of(cls, register: Register, day: int, ranks: np.ndarray, control: bool) -> Edges:
        """:func:`day_stakes` and :func:`pair_edge` for every pair of the register at
        once: the rows valid on ``day``, those of one pair and kind added up (capped at
        1, flags or-ed), then per pair the kind of least rank (:func:`kind_ranks`) weighs
        the edge; with ``control``, a consolidation or board-appointment row of the
        pair marks it consolidated."""
        valid = np.flatnonzero((register.start <= day) & (day < register.end))
        kind = register.kind[valid].astype(np.int64)
        rank = ranks[kind] if valid.size else np.zeros(0, dtype=np.int64)
        src = register.owner[valid].astype(np.int64)
        dst = register.owned[valid].astype(np.int64)
        order = np.lexsort((kind, rank, src, dst))
        src, dst, kind, rank = src[order], dst[order], kind[order], rank[order]
        low, high = register.low[valid][order], register.high[valid][order]
        flags = register.flags[valid][order]
        new_pair = np.r_[True, (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])][: src.size]
        cons = np.zeros(0, dtype=bool)
        if control and src.size:
            marked = ((flags & CONSOLIDATED) != 0).astype(np.int64)
            cons = np.add.reduceat(marked, np.flatnonzero(new_pair)) > 0
        # Rows of one pair and kind add up (two exclusive bounds make an inclusive one).
        first = np.flatnonzero(new_pair | np.r_[True, kind[1:] != kind[:-1]][: src.size])
        single = np.diff(np.r_[first, src.size]) == 1
        if first.size:
            low = np.minimum(np.add.reduceat(low, first), 1.0)
            high = np.minimum(np.add.reduceat(high, first), 1.0)
            flags = np.bitwise_or.reduceat(flags, first)
        src, dst, rank = src[first], dst[first], rank[first]
        # The first kind of a pair (least rank) weighs its edge, if that kind weighs.
        lead = np.flatnonzero(new_pair[first])
        weighs = rank[lead] < NO_WEIGHT
        chosen = lead[weighs]
        cons = cons[weighs] if control else np.zeros(chosen.size, dtype=bool)
        flags = flags[chosen]
        one = single[chosen]
        src, dst = src[chosen], dst[chosen]
        return cls(
            src,
            dst,
            low[chosen],
            high[chosen],
            one & ((flags & LOW_EXCLUSIVE) != 0),
            one & ((flags & HIGH_EXCLUSIVE) != 0),
            cons,
            (flags & HOLDING) != 0,
            (register.kinds[src] & UNNAMED) == 0,
        )


NO_WEIGHT = 99


def kind_ranks(interests: list[str], measure: str) -> np.ndarray:
    """Per interest kind, its place in :data:`groupkg.graph.timemodel.stakes.WEIGHING` for
    ``measure`` (the order :func:`groupkg.graph.timemodel.stakes.pair_stakes` reads): the least
    rank present weighs a pair's edge; ``NO_WEIGHT`` never does."""
    order = WEIGHING[measure]
    return np.array(
        [order.index(k) if k in order else NO_WEIGHT for k in interests], dtype=np.int64
    )


def slices(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The row numbers ``offsets[p]:offsets[p + 1]`` of every position, concatenated."""
    return ranges(offsets[positions], offsets[positions + 1])


def ranges(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The numbers ``first[k]:last[k]`` for every ``k``, concatenated."""
    lengths = last - first
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(total)


def _edge_data(low: float, high: float, flags: int) -> dict[str, Any]:
    """Edge attributes as ``Snapshot.graph`` writes them."""
    return {
        "low": float(low),
        "high": float(high),
        "low_exclusive": bool(flags & LOW_EXCLUSIVE),
        "high_exclusive": bool(flags & HIGH_EXCLUSIVE),
        "consolidated": bool(flags & CONSOLIDATED),
        "holding": bool(flags & HOLDING),
    }


def subgraph(edges: Edges, members: np.ndarray, usable: np.ndarray) -> nx.DiGraph:
    """The ``members`` and the usable stakes held in them, as an ownership graph."""
    import networkx as nx

    chosen = np.flatnonzero(usable & members[edges.dst])
    graph = nx.DiGraph()
    graph.add_nodes_from(np.flatnonzero(members).tolist())
    flags = (
        np.where(edges.lex[chosen], LOW_EXCLUSIVE, 0)
        | np.where(edges.hex[chosen], HIGH_EXCLUSIVE, 0)
        | np.where(edges.cons[chosen], CONSOLIDATED, 0)
        | np.where(edges.hold[chosen], HOLDING, 0)
    )
    graph.add_edges_from(
        (u, v, _edge_data(lo, hi, f))
        for u, v, lo, hi, f in zip(
            edges.src[chosen].tolist(),
            edges.dst[chosen].tolist(),
            edges.low[chosen].tolist(),
            edges.high[chosen].tolist(),
            flags.tolist(),
            strict=True,
        )
    )
    return graph


def ancestors(n: int, src: np.ndarray, dst: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Mask of ``start`` and every entity with a chain of stakes to one of them.

    ``dst`` is sorted, so the holders of a frontier are found by binary search.
    """
    seen = np.zeros(n, dtype=bool)
    seen[start] = True
    frontier = start
    while frontier.size:
        picks = ranges(np.searchsorted(dst, frontier, side="left"),
                       np.searchsorted(dst, frontier, side="right"))  # fmt: skip
        if picks.size == 0:
            break
        holders = src[picks]
        holders = np.unique(holders[~seen[holders]])
        seen[holders] = True
        frontier = holders
    return seen
