"""Hypothesis strategies shared by the test suite.

Ownership graphs follow the contract of :mod:`groupkg.graph.analytics.effective`: nodes are
entity ids, edge ``u -> v`` carries ``low``/``high`` fractions and the optional
``low_exclusive``, ``high_exclusive``, ``consolidated`` and ``holding`` flags.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
from hypothesis import strategies as st

__all__ = [
    "OwnershipCase",
    "ownership_cases",
    "ownership_graphs",
    "reordered",
]


@dataclass(frozen=True)
class OwnershipCase:
    """One group drawn twice: the realised stakes, and what a user may know of them.

    ``exact`` holds every stake as a single number; ``reported`` holds a range
    around each (exact, a range, an open bound, or unknown) that contains the
    realised stake, so whatever is certain in ``reported`` is true of ``exact``
    and whatever is true of ``exact`` is possible in ``reported``. Both carry the
    same consolidation reports and treasury self-loops.
    """

    exact: nx.DiGraph
    reported: nx.DiGraph


def _entities(n: int) -> list[str]:
    return [f"E{i}" for i in range(n)]


@st.composite
def ownership_cases(
    draw: st.DrawFn,
    max_entities: int = 7,
    acyclic: bool = False,
    max_held: int = 100,
    consolidations: bool = True,
    treasury: bool = True,
) -> OwnershipCase:
    """Random ownership cases.

    Parameters
    ----------
    max_entities : int
        At most this many entities ``E0``, ``E1``, ...
    acyclic : bool
        Only ``Ei -> Ej`` with ``i < j``.
    max_held : int
        Percent of each company its holders hold at most, added up; above 100
        draws inconsistent data (as two disagreeing sources can give).
    consolidations : bool
        Mark some stakes as consolidated and add consolidation-only edges.
    treasury : bool
        Add some self-loops (a company holding its own shares).
    """
    n = draw(st.integers(min_value=1, max_value=max_entities))
    names = _entities(n)
    exact = nx.DiGraph()
    reported = nx.DiGraph()
    exact.add_nodes_from(names)
    reported.add_nodes_from(names)
    for j, owned in enumerate(names):
        candidates = [u for i, u in enumerate(names) if i != j and (i < j or not acyclic)]
        holders = draw(st.lists(st.sampled_from(candidates), unique=True, max_size=4)
                       if candidates else st.just([]))  # fmt: skip
        budget = max_held
        for owner in holders:
            if budget <= 0:
                break
            # Whole percents make stakes of exactly 50% (not control) common.
            percent = draw(st.integers(min_value=1, max_value=min(budget, 100)))
            budget -= percent
            cons = consolidations and draw(st.integers(0, 9)) == 0
            exact.add_edge(owner, owned, low=percent / 100, high=percent / 100, consolidated=cons)
            reported.add_edge(owner, owned, consolidated=cons, **draw(_reports(percent)))
        if consolidations and candidates and draw(st.integers(0, 5)) == 0:
            parent = draw(st.sampled_from(candidates))
            if not exact.has_edge(parent, owned):
                # Control is reported, the stake is not: nothing is realised.
                exact.add_edge(parent, owned, low=0.0, high=0.0, consolidated=True, holding=False)
                reported.add_edge(
                    parent, owned, low=0.0, high=1.0, consolidated=True, holding=False
                )
        if treasury and draw(st.integers(0, 7)) == 0:
            own = draw(st.integers(min_value=1, max_value=30)) / 100
            exact.add_edge(owned, owned, low=own, high=own)
            reported.add_edge(owned, owned, low=own, high=own)
    return OwnershipCase(exact, reported)


@st.composite
def _reports(draw: st.DrawFn, percent: int) -> dict[str, object]:
    """What a source may say of a realised stake of ``percent``."""
    kind = draw(st.sampled_from(["exact", "exact", "range", "from", "unknown"]))
    if kind == "exact":
        return {"low": percent / 100, "high": percent / 100}
    if kind == "unknown":
        return {"low": 0.0, "high": 1.0}
    low = draw(st.integers(min_value=0, max_value=percent))
    high = 100 if kind == "from" else draw(st.integers(min_value=percent, max_value=100))
    return {
        "low": low / 100,
        "high": high / 100,
        "low_exclusive": low < percent and draw(st.booleans()),
        "high_exclusive": high > percent and draw(st.booleans()),
    }


def ownership_graphs(**kwargs: object) -> st.SearchStrategy[nx.DiGraph]:
    """Random ownership graphs with stakes given as ranges (see :func:`ownership_cases`)."""
    return ownership_cases(**kwargs).map(lambda case: case.reported)  # type: ignore[arg-type]


@st.composite
def reordered(draw: st.DrawFn, G: nx.DiGraph) -> nx.DiGraph:
    """The same graph with its nodes and edges added in another order."""
    H = nx.DiGraph()
    H.add_nodes_from(draw(st.permutations(list(G.nodes))))
    for u, v, data in draw(st.permutations(list(G.edges(data=True)))):
        H.add_edge(u, v, **dict(draw(st.permutations(list(data.items())))))
    return H
