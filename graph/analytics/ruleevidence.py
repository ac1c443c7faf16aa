"""The evidence behind a rule set's answer: chains of interests, and why nobody qualifies.

A chain is a list of links from a holder down to the target, each link with its
interest kind, its stake and its sources (read from the interest graph of
:mod:`groupkg.graph.analytics.interests`). :func:`chains` finds the simple chains
that carry an interest: through any entity (a multiplied interest) or only through
the entities the holder controls (an interest passed whole, or control by other
means held by a controlled entity).

:func:`no_owner_reasons` says why a rule set finds no beneficial owner (or, for a
rule set about any entity, no qualifying entity): ``listed`` (the target is a listed
company, whose holders are dispersed and disclosed elsewhere), ``holders unknown``
(a bucket of unnamed holders holds the target or an entity above it), ``ends at a
legal entity`` (a chain ends at a legal entity with no known owners) and
``dispersed ownership`` (no holder meets the threshold; the largest is given) and,
for a band, ``above the ceiling`` (the largest holder holds more than the band: control,
not influence).
"""

from __future__ import annotations

import math
from collections.abc import Container, Iterator
from typing import Any

import networkx as nx

from groupkg.graph.analytics.graph import Entity, is_unnamed
from groupkg.graph.analytics.interests import CONSOLIDATION, Interest
from groupkg.graph.analytics.ruleset import NATURAL_PERSONS, RuleSet

__all__ = ["chains", "no_owner_reasons"]


def _link(G: nx.DiGraph, u: Entity, v: Entity, kind: str | None) -> dict[str, Any]:
    kinds: dict[str, Interest] = G._succ[u][v]["interests"]
    if kind is None or kind not in kinds:  # a link that only consolidates
        kind = CONSOLIDATION if CONSOLIDATION in kinds else min(kinds)
    stake = kinds[kind]
    return {
        "owner": u,
        "owned": v,
        "interest": kind,
        "low": stake.low,
        "high": stake.high,
        "low_exclusive": stake.low_exclusive,
        "sources": list(stake.sources),
    }


def chains(
    G: nx.DiGraph,
    links: nx.DiGraph,
    last: nx.DiGraph | None,
    last_kind: str,
    holder: Entity,
    target: Entity,
    through: Container[Entity] | None,
    limit: int,
) -> list[dict[str, Any]]:
    """The simple chains from ``holder`` to ``target`` that carry one interest.

    Parameters
    ----------
    G : networkx.DiGraph
        The interest graph: where each link's stake and sources are read.
    links : networkx.DiGraph
        The measure graph whose edges the chain follows down to the last link.
    last : networkx.DiGraph or None
        The measure graph of the last link (into ``target``); None when the last link
        is an interest of kind ``last_kind`` in ``G`` itself.
    last_kind : str
        The interest kind of the last link.
    through : container or None
        The entities a chain may pass through (those the holder controls); None: any.
    limit : int
        The most chains given.

    Returns
    -------
    list of dict
        ``{"steps": [link], "low", "high", "low_exclusive"}``: a link is ``{"owner",
        "owned", "interest", "low", "high", "low_exclusive", "sources"}``; ``low`` and
        ``high`` of a chain through any entity are the products of its stakes, of a
        chain through controlled entities the stake of its last link (passed whole).

    Examples
    --------
    >>> from groupkg.graph.analytics.interests import MEASURES, measure_graph
    >>> G = nx.DiGraph()
    >>> G.add_edge("P", "B", interests={"shareholding": Interest(0.8, 0.8, sources=("s1",))})
    >>> G.add_edge("B", "X", interests={"shareholding": Interest(0.3, 0.3, sources=("s2",))})
    >>> shares = measure_graph(G, MEASURES["shareholding"])
    >>> [c["low"] for c in chains(G, shares, shares, "shareholding", "P", "X", None, 10)]
    [0.24]
    >>> [c["low"] for c in chains(G, shares, shares, "shareholding", "P", "X", {"B"}, 10)]
    [0.3]
    """
    found = []
    for path in _paths(G, links, last, last_kind, holder, target, through):
        steps = [_link(G, u, v, links._succ[u][v].get("kind")) for u, v in path[:-1]]
        u, v = path[-1]
        kind = last._succ[u][v].get("kind") if last is not None else last_kind
        steps.append(_link(G, u, v, kind))
        chain = steps if through is None else steps[-1:]
        found.append({
            "steps": steps,
            "low": math.prod(s["low"] for s in chain),
            "high": math.prod(s["high"] for s in chain),
            "low_exclusive": any(s["low_exclusive"] for s in chain),
        })  # fmt: skip
        if len(found) >= limit:
            break
    return found


def _paths(G, links, last, last_kind, holder, target, through) -> Iterator[list[tuple]]:
    """Depth first, in id order, so that the chains given are the same on every run."""

    def ends(u: Entity) -> bool:
        if last is not None:
            return u in last and target in last._succ[u]
        return target in G._succ[u] and last_kind in G._succ[u][target]["interests"]

    stack: list[tuple[Entity, list[tuple]]] = [(holder, [])]
    while stack:
        u, path = stack.pop()
        if ends(u):
            yield [*path, (u, target)]
        if u not in links:
            continue
        seen = {holder, *(v for _, v in path)}
        allowed = [v for v in links._succ[u] if through is None or v in through]
        for v in sorted((v for v in allowed if v not in seen and v != target), reverse=True):
            stack.append((v, [*path, (u, v)]))


def no_owner_reasons(
    G: nx.DiGraph,
    target: Entity,
    rule: RuleSet,
    largest: tuple[Entity, float] | None,
) -> list[dict[str, Any]]:
    """Why no holder of ``target`` qualifies under ``rule``: a list of ``{"reason",
    "entities"}`` (and ``"percent"`` for dispersed ownership, the largest holder's
    highest figure), each reason that applies.

    Examples
    --------
    >>> from groupkg.graph.analytics.ruleset import RuleSet
    >>> G = nx.DiGraph()
    >>> G.add_node("X", listed=True)
    >>> G.add_node("others", unnamed=True)
    >>> G.add_edge("others", "X", interests={"shareholding": Interest(0.9, 0.9)})
    >>> G.add_edge("Co", "X", interests={"shareholding": Interest(0.1, 0.1)})
    >>> rule = RuleSet("eu-amld", "EU AMLD", 25.0, False)
    >>> [r["reason"] for r in no_owner_reasons(G, "X", rule, ("Co", 10.0))]
    ['listed', 'holders unknown', 'ends at a legal entity', 'dispersed ownership']
    """
    reasons: list[dict[str, Any]] = []
    if G.nodes[target].get("listed"):
        reasons.append({"reason": "listed", "entities": [target]})
    above = nx.ancestors(G, target)
    unnamed = sorted(u for u in above if is_unnamed(G, u))
    if unnamed:
        reasons.append({"reason": "holders unknown", "entities": unnamed})
    if rule.qualifying == NATURAL_PERSONS:
        tops = [
            e for e in sorted(above | {target})
            if not is_unnamed(G, e) and G.nodes[e].get("kind", "legal") != "person"
            and not any(not is_unnamed(G, u) for u in G._pred[e] if u != e)
        ]  # fmt: skip
        if tops:
            reasons.append({"reason": "ends at a legal entity", "entities": tops})
    if largest is not None and not rule.meets(largest[1]):
        # Ownership above a band's ceiling (control, beside significant influence) is not
        # dispersed.
        above = not rule.within_ceiling(largest[1])
        reasons.append({
            "reason": "above the ceiling" if above else "dispersed ownership",
            "entities": [largest[0]], "percent": largest[1],
        })  # fmt: skip
    return reasons
