"""The perimeter of a reporting entity: its consolidated subsidiaries and affiliates.

Subsidiaries are what :func:`~groupkg.graph.analytics.control.controlled_by` finds;
affiliates are read from the effective stakes of
:func:`~groupkg.graph.analytics.effective.effective_ownership_from`. Buckets of
unnamed holders (nodes flagged ``unnamed``) are left out of both graphs, as
``docs/definitions.md`` says: a bucket's perimeter is empty, and its stakes change
no one else's.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from groupkg.graph.analytics.control import controlled_by
from groupkg.graph.analytics.effective import named_stakes_from
from groupkg.graph.analytics.graph import TOLERANCE, Entity, check_node
from groupkg.graph.analytics.threshold import percent

__all__ = ["perimeter"]


def perimeter(
    G: nx.DiGraph,
    x: Entity,
    threshold: float = 50,
    affiliate_min: float = 20,
    ownership: nx.DiGraph | None = None,
) -> dict[str, Any]:
    """The consolidated subsidiaries and equity-method affiliates of ``x``.

    Subsidiaries are the entities ``x`` controls, certainly or possibly. Affiliates
    are the other entities in which ``x``'s effective stake reaches
    ``affiliate_min`` percent: ``"certain"`` when its lower bound does,
    ``"possible"`` when only its upper bound does. An entity not controlled stays
    an affiliate even where its effective stake exceeds ``threshold``.

    Parameters
    ----------
    G : networkx.DiGraph
        The ownership graph at one date.
    x : node
        The reporting entity.
    threshold, affiliate_min : float
        Percents: control needs more than ``threshold``; an affiliate at least
        ``affiliate_min``.
    ownership : networkx.DiGraph, optional
        The graph effective stakes are read from, where it differs from the control
        graph ``G`` (stakes weighed by shares where ``G`` weighs voting rights);
        ``G`` by default.

    Returns
    -------
    dict
        ``{"entity": x, "subsidiaries": [{"entity", "control", "low", "high"}],
        "affiliates": [{"entity", "influence", "low", "high"}]}``, where ``low`` and
        ``high`` bound the effective stake as fractions; lists in id order.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "A", low=0.8, high=0.8)
    >>> G.add_edge("A", "B", low=0.3, high=0.3)
    >>> G.add_edge("P", "C", low=0.1, high=0.1)
    >>> found = perimeter(G, "P")
    >>> [(s["entity"], s["control"], s["low"]) for s in found["subsidiaries"]]
    [('A', 'certain', 0.8)]
    >>> [(a["entity"], a["influence"], round(a["low"], 12)) for a in found["affiliates"]]
    [('B', 'certain', 0.24)]
    """
    check_node(G, x)
    floor = percent(affiliate_min, "affiliate_min")
    controlled = controlled_by(G, x, threshold)
    source = G if ownership is None else ownership
    stakes = named_stakes_from(source, x) if x in source else {}
    subsidiaries = [
        {"entity": y, "control": c, "low": stakes.get(y, (0.0, 0.0))[0],
         "high": stakes.get(y, (0.0, 0.0))[1]}
        for y, c in controlled.items()
    ]  # fmt: skip
    affiliates = []
    for y, (low, high) in sorted(stakes.items()):
        if y in controlled or high < floor - TOLERANCE:
            continue
        influence = "certain" if low >= floor - TOLERANCE else "possible"
        affiliates.append({"entity": y, "influence": influence, "low": low, "high": high})
    return {"entity": x, "subsidiaries": subsidiaries, "affiliates": affiliates}
