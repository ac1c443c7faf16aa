"""Ultimate parents of a whole register on one day, and how reported ones complete them.

:func:`ultimate_parents` answers as
:func:`groupkg.graph.analytics.parents.ultimate_parents` does on the day's control
graph, for millions of entities: most entities have one holder that controls them on
its own while the others together could not; their parent pointers are followed to
the top by pointer jumping, all at once. The few where control is joint, reported
twice, or circular are solved exactly by :mod:`groupkg.graph.analytics.parents` on the
part of the graph above them. :func:`completion` is the rule by which a reported
ultimate parent completes a computed one, for one entity (``Group.paths``) or all
(:func:`completed_parents`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import numpy as np

from groupkg.graph.errors import InputError
from groupkg.graph.timemodel.edges import Edges, ancestors, subgraph

__all__ = ["BASES", "completion", "completed_parents", "fraction", "ultimate_parents"]

_TOLERANCE = 1e-9  # as groupkg.graph.analytics.graph.TOLERANCE: percentages carry few decimals

BASES = ("computed", "agrees", "completed", "differs")
"""How an entity's ultimate parent stands to a reported one (``completed_parents_at``)."""
_BASE_CODES = {name: code for code, name in enumerate(BASES)}

_T = TypeVar("_T", int, str)  # positions, or entity IRIs


def completion(
    reported: Sequence[_T], computed: _T | None, parent_of: Callable[[_T], _T | None]
) -> tuple[str, _T | None]:
    """How reported ultimate parents stand to the computed one, and the answer.

    ``reported`` are the distinct parents reported for an entity on a day (not the
    entity itself), ``computed`` its computed ultimate parent (None when it is absent
    that day) and ``parent_of`` gives the computed ultimate parent of the reported one
    (None when absent); it is asked at most once. Returns the basis of :data:`BASES`
    and the ultimate parent: ``computed`` when none is reported; ``agrees`` when the
    computed one is reported; ``completed`` when exactly one is reported, both are
    present, and the computed chain does not already run through it (its own ultimate
    parent is another): the answer is then that parent's ultimate parent;
    ``differs`` otherwise, the computed answer standing. ``Group.paths`` and
    :meth:`Register.completed_parents_at` both answer by it.

    >>> tops = {"A": "A", "P": "T"}
    >>> completion(["P"], "A", tops.get)
    ('completed', 'T')
    >>> completion(["P", "Q"], "A", tops.get)
    ('differs', 'A')
    """
    if not reported:
        return "computed", computed
    if computed in reported:
        return "agrees", computed
    if len(reported) != 1 or computed is None:
        return "differs", computed
    beyond = parent_of(reported[0])
    if beyond is None or beyond == computed:
        return "differs", computed
    return "completed", beyond


def completed_parents(
    computed: np.ndarray, reports: tuple[np.ndarray, ...], day: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``computed`` ultimate parents (positions, -1 where absent) completed by the
    reported ones (``reports``: the child, parent, start and end columns) valid on
    ``day``, and per entity the basis code of :data:`BASES`, by :func:`completion`."""
    found = computed.copy()
    basis = np.zeros(computed.size, dtype=np.int8)
    child, parent, start, end = reports
    valid = (start <= day) & (day < end) & (child != parent)
    if not valid.any():
        return found, basis
    c, u = np.unique(np.stack([child[valid], parent[valid]]).astype(np.int64), axis=1)
    involved = np.unique(np.concatenate([c, u]))
    tops: dict[int, int | None] = {
        e: None if p < 0 else p
        for e, p in zip(involved.tolist(), computed[involved].tolist(), strict=True)
    }

    def parent_of(position: int) -> int | None:
        return tops[position]

    bounds = np.flatnonzero(np.r_[True, c[1:] != c[:-1], True])
    entities, reported = c[bounds[:-1]], u.tolist()
    bases, answers = [], []
    for first, last, entity in zip(bounds[:-1].tolist(), bounds[1:].tolist(),
                                   entities.tolist(), strict=True):  # fmt: skip
        name, answer = completion(reported[first:last], tops[entity], parent_of)
        bases.append(_BASE_CODES[name])
        answers.append(-1 if answer is None else answer)
    basis[entities] = bases
    found[entities] = answers
    return found, basis


def ultimate_parents(edges: Edges, n: int, threshold: float) -> np.ndarray:
    """The ultimate parent of each of ``n`` entities in the control graph of ``edges``
    (see the module), as positions; an entity no one controls is its own."""
    from groupkg.graph.analytics import parents

    t = fraction(threshold)
    c = edges.control
    src, dst = edges.src[c], edges.dst[c]
    anchors = np.arange(n)
    hard = np.zeros(0, dtype=np.int64)
    if dst.size:
        low, lex, cons = edges.low[c], edges.lex[c], edges.cons[c]
        # Sums over each company's holders: runs of the sorted ``dst``.
        first = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
        run = np.cumsum(np.r_[True, dst[1:] != dst[:-1]]) - 1
        owned = dst[first]
        kept = cons | lex | (low > 0.0)
        g_low = np.add.reduceat(np.where(kept, low, 0.0), first)
        n_lex = np.add.reduceat((kept & lex).astype(np.int64), first)
        n_cons = np.add.reduceat((kept & cons).astype(np.int64), first)
        alone = _passes(low, lex, cons, t)
        n_alone = np.add.reduceat(alone.astype(np.int64), first)
        # A holder that controls alone, beside others who together could not: a link
        # of the control forest, and the company has the ultimate parent of that holder.
        e = np.flatnonzero(alone & (n_alone[run] == 1))
        r = run[e]
        others = _passes(g_low[r] - low[e], n_lex[r] - lex[e] > 0, n_cons[r] - cons[e] > 0, t)
        linked, up = owned[r[~others]], src[e[~others]]
        anchor, stuck = _climb(linked, up, n)
        if stuck.size:  # entities controlling each other one to one: for the solver
            linked, up = _break_cycles(linked, up, anchor[stuck], n)
            anchor, _ = _climb(linked, up, n)
        anchors[linked] = anchor
        forest = np.zeros(n, dtype=bool)
        forest[linked] = True
        anyone = np.zeros(n, dtype=bool)
        anyone[owned] = _passes(g_low, n_lex > 0, n_cons > 0, t)
        hard = np.flatnonzero(anyone & ~forest)
    top = np.arange(n)
    if hard.size:
        sub = subgraph(edges, ancestors(n, src, dst, hard), edges.control)
        solved = parents.ultimate_parents(sub, threshold=threshold)
        top[hard] = [solved[h] for h in hard.tolist()]
    return top[anchors]


def fraction(threshold: float) -> float:
    """A threshold in percent as a fraction; an :class:`InputError` unless 0-100."""
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0.0 <= float(threshold) <= 100.0)
    ):
        raise InputError(f"threshold must be a percent between 0 and 100, got {threshold!r}")
    return float(threshold) / 100.0


def _passes(low: np.ndarray, lex: np.ndarray, cons: np.ndarray, t: float) -> np.ndarray:
    """Certain control by a holder or group holding at least ``low`` (see threshold.passes)."""
    return cons | (low > t + _TOLERANCE) | ((low >= t - _TOLERANCE) & lex)


def _climb(linked: np.ndarray, up: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each ``linked`` entity's chain of ``up`` pointers leaves the linked ones.

    Pointer jumping on the linked entities only: each round halves what is left of
    every chain. Returns the anchors and the positions (in ``linked``) still on a
    chain after enough rounds: those run into a cycle.
    """
    position = np.full(n, -1, dtype=np.int64)
    position[linked] = np.arange(linked.size)
    anchor = up.copy()
    pointer = position[up]
    for _ in range(max(1, int(linked.size).bit_length()) + 1):
        active = np.flatnonzero(pointer >= 0)
        if not active.size:
            break
        step = pointer[active]
        anchor[active] = anchor[step]
        pointer[active] = pointer[step]
    return anchor, np.flatnonzero(pointer >= 0)


def _break_cycles(
    linked: np.ndarray, up: np.ndarray, on_cycles: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drop the links of cycles of one-to-one control, walking once round each cycle
    from ``on_cycles`` (entities on them); the solver decides those entities."""
    parent = np.full(n, -1, dtype=np.int64)
    parent[linked] = up
    in_forest = np.zeros(n, dtype=bool)
    in_forest[linked] = True
    for start in np.unique(on_cycles).tolist():
        z = start
        while in_forest[z]:
            in_forest[z] = False
            z = int(parent[z])
    keep = in_forest[linked]
    return linked[keep], up[keep]
