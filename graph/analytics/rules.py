"""The holders of an entity that qualify under a rule set, with their evidence.

The graph is an interest graph (:mod:`groupkg.graph.analytics.interests`); the rule
sets are :class:`~groupkg.graph.analytics.ruleset.RuleSet`\\ s. For each holder above
the target (an entity with a chain of interests to it; buckets of unnamed holders
stand for many holders and never qualify), a rule set measures its aggregated
interest in the target by each kind it counts, apart:

``multiplied``
    the effective (look-through) stake of :mod:`~groupkg.graph.analytics.effective`:
    the products of the stakes along every walk, exact with cross-holdings.
``passedWhole``
    the direct interests in the target of the holder and of every entity the holder
    controls (the company control of :mod:`~groupkg.graph.analytics.control`, more than
    50% or a reported consolidation or right to appoint the board), added up whole.

Control by other means is an interest of a kind the rule set names, held in the
target by the holder or by an entity it controls. A holder qualifies *certainly*
when the lower bounds meet the rule, *possibly* when some figure within the bounds
does. The evidence is every chain that carries the interest (up to a limit), each
link with its kind, stake and sources; :mod:`~groupkg.graph.analytics.ruleevidence`
finds them, and says why no holder qualifies when none does.
"""

from __future__ import annotations

import math
from typing import Any

import networkx as nx

from groupkg.graph.analytics.control import controlled_by
from groupkg.graph.analytics.effective import effective_ownership
from groupkg.graph.analytics.graph import Entity, check_node, edge_stake, is_unnamed
from groupkg.graph.analytics.interests import (
    CONSOLIDATION,
    CONTROL_WEIGHING,
    MEASURES,
    holders_above,
    measure_graph,
)
from groupkg.graph.analytics.ruleevidence import chains, no_owner_reasons
from groupkg.graph.analytics.ruleset import MULTIPLIED, NATURAL_PERSONS, RuleSet

__all__ = ["RuleReading", "qualifying_holders"]

# Control reads a right to appoint the board as a reported consolidation
# (docs/definitions.md): the majority through which interests pass whole.
_CONSOLIDATING = (CONSOLIDATION, "appointmentOfBoard")


class RuleReading:
    """One target in one interest graph, read under any number of rule sets.

    What every rule set reads alike (the measure graphs, each holder's controlled
    group, each holder's effective stakes) is computed once.
    """

    def __init__(self, G: nx.DiGraph, target: Entity, max_paths: int = 50):
        check_node(G, target, "target")
        above = holders_above(G, target)
        # Only the target's holders, direct and indirect, bear on the answer: whether a
        # holder controls an entity above the target, and what it holds of it, rests on
        # the stakes held in that entity, all held from above the target too.
        self.G = G.subgraph([*above, target]).copy()
        self.target = target
        self.max_paths = max_paths
        self.holders = sorted(h for h in above if not is_unnamed(G, h))
        self._measures: dict[str, nx.DiGraph] = {}
        self._control = measure_graph(self.G, CONTROL_WEIGHING, _CONSOLIDATING)
        self._groups: dict[Entity, dict[Entity, str]] = {}
        self._effective: dict[tuple[Entity, str], tuple[float, float]] = {}
        self._chains: dict[tuple[Entity, str, bool], list[dict[str, Any]]] = {}

    def measure(self, kind: str) -> nx.DiGraph:
        """The ownership graph of one counted kind (``shareholding``, ``votingRights``)."""
        graph = self._measures.get(kind)
        if graph is None:
            graph = self._measures[kind] = measure_graph(self.G, MEASURES[kind])
        return graph

    def group(self, holder: Entity) -> dict[Entity, str]:
        """``holder`` (``"certain"``) and the entities it controls, certainly or possibly."""
        found = self._groups.get(holder)
        if found is None:
            found = {holder: "certain", **controlled_by(self._control, holder)}
            found.pop(self.target, None)  # the target's own interests in itself are none
            self._groups[holder] = found
        return found

    def multiplied(self, holder: Entity, kind: str) -> tuple[float, float, bool]:
        """The effective stake of ``holder`` in the target by one kind, and whether the
        lower bound is exceeded (a chain of positive stakes with an open lower bound)."""
        key = (holder, kind)
        if key not in self._effective:
            graph = self.measure(kind)
            bounds = (0.0, 0.0)
            if holder in graph and self.target in graph:
                bounds = effective_ownership(graph, holder, self.target)
            self._effective[key] = bounds
        low, high = self._effective[key]
        found = self.chains(holder, kind, multiplied=True) if low > 0 else []
        return low, high, any(c["low"] > 0 and c["low_exclusive"] for c in found)

    def chains(self, holder: Entity, kind: str, multiplied: bool) -> list[dict[str, Any]]:
        """The chains that carry ``holder``'s interest of ``kind`` (a counted kind or one
        of control by other means): through any entity when ``multiplied``, else
        through the entities ``holder`` controls."""
        key = (holder, kind, multiplied)
        found = self._chains.get(key)
        if found is None:
            counted = kind in MEASURES
            last = self.measure(kind) if counted else None
            if multiplied:
                found = chains(self.G, self.measure(kind), last, kind, holder, self.target,
                               None, self.max_paths)  # fmt: skip
            else:
                found = chains(self.G, self._control, last, kind, holder, self.target,
                               self.group(holder), self.max_paths)  # fmt: skip
            self._chains[key] = found
        return found

    def passed_whole(self, holder: Entity, kind: str) -> tuple[float, float, bool]:
        """The direct stakes of ``holder``'s group in the target by one kind, added up."""
        graph = self.measure(kind)
        if self.target not in graph:
            return 0.0, 0.0, False
        group = self.group(holder)
        low = possible_low = high = 0.0
        exclusive = False
        named_low = 0.0
        for u, data in graph._pred[self.target].items():
            if u == self.target or is_unnamed(graph, u):
                continue
            stake = edge_stake(u, self.target, data)
            named_low += stake.low
            if u not in group:
                continue
            possible_low += stake.low
            high += stake.high
            if group[u] == "certain":
                low += stake.low
                exclusive |= stake.low_exclusive and stake.low > 0
        # What the other named holders certainly hold is not the group's.
        room = 1.0 - (named_low - possible_low)
        return min(low, 1.0), min(high, max(possible_low, room), 1.0), exclusive

    def other_means(self, holder: Entity, rule: RuleSet) -> dict[str, str]:
        """Kind of control by other means -> ``"certain"``/``"possible"``: held in the
        target by ``holder`` or by an entity it controls."""
        found: dict[str, str] = {}
        pred = self.G._pred[self.target]
        for member, status in self.group(holder).items():
            kinds = pred[member]["interests"] if member in pred else {}
            for kind in rule.other_means:
                if kind in kinds and found.get(kind) != "certain":
                    found[kind] = status
        return found

    def holder(self, holder: Entity, rule: RuleSet) -> dict[str, Any]:
        """How ``holder`` fares under ``rule``: its figures, and the interests that
        qualify it (none when it does not qualify)."""
        figures: dict[str, dict[str, Any]] = {}
        interests: list[dict[str, str]] = []
        multiplied = rule.aggregation == MULTIPLIED
        aggregate = self.multiplied if multiplied else self.passed_whole
        for kind in rule.counts:
            low, high, exclusive = aggregate(holder, kind)
            figures[kind] = {"percent_min": low * 100, "percent_max": high * 100}
            status = rule.status(low * 100, high * 100, exclusive)
            if status is not None:
                interests.append({"kind": kind, "status": status})
        for kind, status in self.other_means(holder, rule).items():
            interests.append({"kind": kind, "status": status})
        best = max(figures.values(), key=lambda f: (f["percent_min"], f["percent_max"]))
        exact = math.isclose(best["percent_min"], best["percent_max"], abs_tol=1e-9)
        paths = []
        for item in interests:
            counted = item["kind"] in rule.counts
            paths += self.chains(holder, item["kind"], multiplied and counted)
        return {
            "entity": holder,
            "kind": self.G.nodes[holder].get("kind", "legal"),
            "status": "certain" if any(i["status"] == "certain" for i in interests) else "possible",
            "interests": interests,
            "percent": best["percent_min"] if exact else None,
            **best,
            "measures": figures,
            "paths": _distinct(paths)[: self.max_paths],
        }

    def answer(self, rule: RuleSet) -> dict[str, Any]:
        """Who qualifies under ``rule``: natural persons as beneficial owners, other
        entities (every entity, for a rule set about any entity) as controlling
        entities, and why nobody does when nobody does."""
        owners: list[dict[str, Any]] = []
        entities: list[dict[str, Any]] = []
        others: list[dict[str, Any]] = []
        persons_only = rule.qualifying == NATURAL_PERSONS
        largest: tuple[Entity, float] | None = None
        for h in self.holders:
            found = self.holder(h, rule)
            person = found["kind"] == "person"
            if person or not persons_only:  # the holders a rule set is about
                if largest is None or found["percent_max"] > largest[1] + 1e-9:
                    largest = (h, found["percent_max"])
            if found["interests"]:
                (owners if person and persons_only else entities).append(found)
            else:
                others.append(_figures(found))
        qualified = owners if persons_only else entities
        return {
            "rule_set": rule.to_json(),
            "beneficial_owners": owners,
            "controlling_entities": entities,
            "reasons": [] if qualified else no_owner_reasons(self.G, self.target, rule, largest),
            "not_qualifying": others,
        }


def _figures(found: dict[str, Any]) -> dict[str, Any]:
    """A holder that does not qualify: only its figures, the interest it falls short with."""
    keep = ("entity", "kind", "percent", "percent_min", "percent_max", "measures")
    return {key: found[key] for key in keep}


def _distinct(paths: list[dict[str, Any]]) -> list[dict[str, Any]]:
    seen: dict[tuple, dict[str, Any]] = {}
    for path in paths:
        key = tuple((s["owner"], s["owned"], s["interest"]) for s in path["steps"])
        seen.setdefault(key, path)
    return list(seen.values())


def qualifying_holders(
    G: nx.DiGraph, target: Entity, rules: list[RuleSet], max_paths: int = 50
) -> list[dict[str, Any]]:
    """The holders of ``target`` that qualify under each rule set, side by side.

    Parameters
    ----------
    G : networkx.DiGraph
        The interest graph of one day (:mod:`~groupkg.graph.analytics.interests`).
    target : node
        The entity whose owners and controllers are asked.
    rules : list of RuleSet
        The rule sets, answered in this order.
    max_paths : int
        The most chains of evidence given per holder.

    Returns
    -------
    list of dict
        Per rule set ``{"rule_set", "beneficial_owners", "controlling_entities",
        "reasons", "not_qualifying"}``; a holder is ``{"entity", "kind", "status",
        "interests", "percent", "percent_min", "percent_max", "measures", "paths"}``
        (percents). ``not_qualifying`` holds the holders that qualify under another of
        ``rules`` but not under this one, each with its figures under this one
        (``{"entity", "kind", "percent", "percent_min", "percent_max", "measures"}``),
        so that the rule sets can be compared holder by holder.

    Examples
    --------
    A person holds 80% of B, which holds 30% of X: 24% multiplied, 30% passed whole.

    >>> from groupkg.graph.analytics.interests import Interest
    >>> from groupkg.graph.analytics.ruleset import PASSED_WHOLE
    >>> G = nx.DiGraph()
    >>> G.add_node("person", kind="person")
    >>> G.add_edge("person", "B", interests={"shareholding": Interest(0.8, 0.8)})
    >>> G.add_edge("B", "X", interests={"shareholding": Interest(0.3, 0.3)})
    >>> amld = RuleSet("eu-amld", "EU AMLD", 25.0, False)
    >>> psc = RuleSet("uk-psc", "UK PSC", 25.0, False, aggregation=PASSED_WHOLE)
    >>> eu, uk = qualifying_holders(G, "X", [amld, psc])
    >>> eu["beneficial_owners"], [e["entity"] for e in eu["controlling_entities"]]
    ([], ['B'])
    >>> [(o["entity"], o["percent"]) for o in uk["beneficial_owners"]]
    [('person', 30.0)]
    >>> [(o["entity"], round(o["percent"], 2)) for o in eu["not_qualifying"]]
    [('person', 24.0)]
    """
    reading = RuleReading(G, target, max_paths)
    answers = [reading.answer(rule) for rule in rules]
    anywhere = {h["entity"] for a in answers for h in _qualified(a)}
    for answer in answers:
        answer["not_qualifying"] = [h for h in answer["not_qualifying"] if h["entity"] in anywhere]
    return answers


def _qualified(answer: dict[str, Any]) -> list[dict[str, Any]]:
    return answer["beneficial_owners"] + answer["controlling_entities"]
