"""The interest graph of a group on one day, from its state (a
:class:`~groupkg.graph.timemodel.stakes.Snapshot`): every interest kind of every pair,
kept apart, in the shape of :mod:`groupkg.graph.analytics.interests`.

The stakes are those in force that day (records of a day added up, superseded ones
gone, mergers applied); a reported direct consolidation is an interest of kind
``directConsolidation``. Nodes carry the entity's ``kind`` and whether it is
``listed`` that day (a listing without a date counts on every day), and buckets of
unnamed holders are flagged ``unnamed``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from groupkg.graph.analytics.interests import Interest
from groupkg.graph.model import Entity

if TYPE_CHECKING:
    import networkx as nx

    from groupkg.graph.timemodel.stakes import Snapshot

__all__ = ["interest_graph", "label_nodes", "listed_on"]


def listed_on(entity: Entity, day) -> bool:
    """Whether ``entity`` is listed on ``day``: it has a listing whose date, if any, has come.

    >>> import datetime as dt
    >>> from groupkg.graph.dates import parse_partial_date as date
    >>> iij = Entity("iij", "IIJ", listings=["TSE"], listed_since={"TSE": date("2005-12-02")})
    >>> listed_on(iij, dt.date(2005, 12, 1)), listed_on(iij, dt.date(2013, 12, 31))
    (False, True)
    """
    for listing in entity.listings:
        since = entity.listed_since.get(listing)
        if since is None or since.start <= day:
            return True
    return False


def label_nodes(
    graph: nx.DiGraph, snap: Snapshot, entities: Mapping[str, Entity], nodes: list[str]
) -> None:
    """Set the ``kind``, ``unnamed`` and ``listed`` of ``nodes`` from ``entities``: again
    after more of the entities' facts are read."""
    for node in nodes:
        entity = entities.get(node)
        graph.add_node(
            node,
            kind="unnamed" if node in snap.unnamed else (entity.kind if entity else "legal"),
            unnamed=node in snap.unnamed,
            listed=entity is not None and listed_on(entity, snap.day),
        )


def interest_graph(snap: Snapshot, entities: Mapping[str, Entity]) -> nx.DiGraph:
    """The interest graph of ``snap``; ``entities`` gives each entity's kind and listings."""
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_nodes_from(node for node, status in sorted(snap.status.items()) if status == "active")
    label_nodes(graph, snap, entities, list(graph))
    for stake in snap.stakes:
        if stake.owner not in graph or stake.owned not in graph:
            continue
        if not graph.has_edge(stake.owner, stake.owned):
            graph.add_edge(stake.owner, stake.owned, interests={})
        graph.edges[stake.owner, stake.owned]["interests"][stake.interest] = Interest(
            stake.low,
            stake.high,
            stake.min_exclusive and stake.percent is None,
            stake.max_exclusive and stake.percent is None,
            tuple(stake.sources),
        )
    return graph
