"""The interest graph of one day: every interest kind of every pair, kept apart.

The rule sets (:mod:`groupkg.graph.analytics.ruleset`) read more than one figure per
pair of owner and owned entity: shares, voting rights, a right to appoint the board,
other influence or control, a reported consolidation. An interest graph is a
:class:`networkx.DiGraph` whose edge ``u -> v`` carries ``interests``, a dict from the
interest kind (a BODS interest type, or ``directConsolidation``) to an
:class:`Interest`. Node attributes: ``kind`` (``person``, ``legal``, ``trust``,
``fund``, ``unnamed``), ``unnamed`` (a bucket of unnamed holders) and ``listed``.

From it, :func:`measure_graph` builds the ownership graph of
:mod:`groupkg.graph.analytics.graph` that one measure reads: the first kind present of
a list weighs each edge, and the kinds of control by other means mark it
``consolidated``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import networkx as nx

from groupkg.graph.analytics.graph import Entity

__all__ = [
    "BOARD",
    "CONSOLIDATION",
    "CONTROL_WEIGHING",
    "Interest",
    "MEASURES",
    "SHARES",
    "UNKNOWN",
    "VOTES",
    "holders_above",
    "measure_graph",
]

SHARES, VOTES, BOARD = "shareholding", "votingRights", "appointmentOfBoard"
CONSOLIDATION, UNKNOWN = "directConsolidation", "unknownInterest"

# The kinds that weigh an edge for each measure a rule set counts, first present
# first: shares (a reported consolidation without shares, or an interest of unknown
# kind, is an unknown stake that may be shares), as ownership reads them; voting
# rights where stated, else the same, as control reads them.
MEASURES: dict[str, tuple[str, ...]] = {
    SHARES: (SHARES, CONSOLIDATION, UNKNOWN),
    VOTES: (VOTES, SHARES, CONSOLIDATION, UNKNOWN),
}
# The control graph of docs/definitions.md: what makes a holder control an entity
# through which interests pass whole.
CONTROL_WEIGHING = (VOTES, SHARES, CONSOLIDATION, UNKNOWN, BOARD)


class Interest(NamedTuple):
    """One owner's interest of one kind in one entity: bounds as fractions, and sources."""

    low: float
    high: float
    low_exclusive: bool = False
    high_exclusive: bool = False
    sources: tuple[str, ...] = ()


def measure_graph(
    G: nx.DiGraph, weighing: Sequence[str], consolidating: Sequence[str] = ()
) -> nx.DiGraph:
    """The ownership graph one measure reads, from an interest graph ``G``.

    Each edge is weighed by the first kind of ``weighing`` the pair has (a pair with
    none of them is left out unless it has a kind of ``consolidating``, when it is an
    unknown stake) and is ``consolidated`` when the pair has a kind of
    ``consolidating``. The edge's ``kind`` says which kind weighs it.

    Examples
    --------
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", interests={"shareholding": Interest(0.4, 0.4),
    ...                                 "votingRights": Interest(0.6, 0.6)})
    >>> G.add_edge("Q", "A", interests={"appointmentOfBoard": Interest(0.0, 1.0)})
    >>> votes = measure_graph(G, MEASURES["votingRights"], ["appointmentOfBoard"])
    >>> votes.edges["P", "A"]["low"], votes.edges["Q", "A"]["consolidated"]
    (0.6, True)
    >>> list(measure_graph(G, MEASURES["shareholding"]).edges)
    [('P', 'A')]
    """
    graph = nx.DiGraph()
    graph.add_nodes_from(G.nodes(data=True))
    for u, v, data in G.edges(data=True):
        kinds: dict[str, Interest] = data["interests"]
        consolidated = any(k in kinds for k in consolidating)
        kind = next((k for k in weighing if k in kinds), None)
        if kind is None and not consolidated:
            continue
        stake = kinds[kind] if kind is not None else Interest(0.0, 1.0)
        graph.add_edge(
            u,
            v,
            low=stake.low,
            high=stake.high,
            low_exclusive=stake.low_exclusive,
            high_exclusive=stake.high_exclusive,
            consolidated=consolidated,
            kind=kind,
        )
    return graph


def holders_above(G: nx.DiGraph, target: Entity) -> set[Entity]:
    """Every entity with a chain of interests of any kind to ``target`` (not itself)."""
    return nx.ancestors(G, target) - {target}
