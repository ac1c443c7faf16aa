"""The control view: who controls and who beneficially owns an entity, under each rule
set, as a picture and as text.

:func:`view_control` asks :meth:`~groupkg.graph.group.Group.control` and arranges its
answer into a :class:`ControlView`: one :class:`~groupkg.viz.model.View` per rule set
(the entity and everyone above it on the day, the chains of evidence of the holders
that qualify highlighted, dashed where a holder qualifies only possibly) and, beside
each, the words of its panel (the rule, the qualifying holders with their percent,
interests and chains with stakes, the reasons when nobody qualifies). Every string is
plain text; :mod:`groupkg.viz.controlpage` draws them without ever reading one as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from groupkg.graph.dates import Day, as_day
from groupkg.graph.group import Group
from groupkg.viz.model import LegendItem, View, ViewEdge
from groupkg.viz.text import bounds_text
from groupkg.viz.views import _day, _edge, _kind_legend, _node, _placed

__all__ = ["ControlView", "view_control"]

#: How the JSON's interest kinds read in the panel.
INTEREST_WORDS = {
    "shareholding": "shares",
    "votingRights": "votes",
    "appointmentOfBoard": "appoints the board",
    "otherInfluenceOrControl": "other influence or control",
    "directConsolidation": "consolidates it",
}


@dataclass
class ControlView:
    """The control of one entity on one day: a view and a panel per rule set.

    ``answer`` is :meth:`Group.control`'s answer as the CLI's JSON gives it; ``views``
    pairs each rule set's name with its picture, in the answer's order; ``panels``
    holds the words the page shows beside each picture.
    """

    title: str
    answer: dict[str, Any]
    views: list[tuple[str, View]]
    panels: list[dict[str, Any]] = field(default_factory=list)

    def __repr__(self) -> str:
        return f"<ControlView {self.title!r}: {len(self.views)} rule sets>"


def _words(kind: str) -> str:
    return INTEREST_WORDS.get(kind, kind)


def _figure(item: dict[str, Any]) -> str:
    return bounds_text(item["percent_min"], item["percent_max"])


def _rule_text(rule: dict[str, Any]) -> str:
    """The rule in one line: its threshold, what it counts and how chains aggregate."""
    above = "at least" if rule["inclusive"] else "more than"
    text = f"{above} {rule['threshold']:g}%"
    if rule.get("ceiling") is not None:
        below = "at most" if rule["ceiling_inclusive"] else "less than"
        text += f" and {below} {rule['ceiling']:g}%"
    counts = " or ".join(_words(k) for k in rule["counts"])
    chains = (
        "multiplied along each chain"
        if rule["aggregation"] == "multiplied"
        else "passed whole through entities the holder controls"
    )
    who = "natural persons" if rule["qualifying"] == "naturalPersons" else "any holder"
    others = ", ".join(_words(k) for k in rule["other_means"])
    line = f"{text} of {counts}, {chains}; qualifying: {who}"
    return line + (f"; control by other means: {others}" if others else "")


def _chain(path: dict[str, Any]) -> dict[str, Any]:
    steps = [
        {
            "owner": step["owner"]["name"],
            "owned": step["owned"]["name"],
            "stake": f"{_figure(step)} {_words(step['interest'])}",
            "sources": "; ".join(step["sources"]),
        }
        for step in path["steps"]
    ]
    return {"steps": steps, "carries": _figure(path)}


def _holder(found: dict[str, Any], role: str) -> dict[str, Any]:
    return {
        "id": found["id"],
        "name": found["name"],
        "role": role,
        "status": found["status"],
        "percent": _figure(found),
        "interests": ", ".join(
            _words(i["kind"]) + ("" if i["status"] == "certain" else " (possible)")
            for i in found["interests"]
        ),
        "chains": [_chain(p) for p in found["paths"]],
    }


def _panel(found: dict[str, Any]) -> dict[str, Any]:
    rule = found["rule_set"]
    owners = [_holder(h, "beneficial owner") for h in found["beneficial_owners"]]
    entities = [_holder(h, "qualifying entity") for h in found["controlling_entities"]]
    return {
        "name": rule["name"],
        "label": rule["label"],
        "rule": _rule_text(rule),
        "comment": rule.get("comment") or "",
        "holders": owners + entities,
        "nobody": (
            "no beneficial owner identified"
            if rule["qualifying"] == "naturalPersons"
            else "no qualifying entity"
        ),
        "reasons": [r["message"] for r in found["reasons"]],
    }


def _summary(found: dict[str, Any]) -> str:
    """How many holders qualify, in words: the caption of a rule set's picture."""
    counts = []
    for key, one, many in (
        ("beneficial_owners", "beneficial owner", "beneficial owners"),
        ("controlling_entities", "qualifying entity", "qualifying entities"),
    ):
        count = len(found[key])
        if count:
            counts.append(f"{count} {one if count == 1 else many}")
    return f"{found['rule_set']['label']}: " + (", ".join(counts) or _panel(found)["nobody"])


def _path_pairs(found: dict[str, Any]) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """The links on chains of holders that qualify, and those whose holders are only
    possible (a link shared with a certain holder is certain)."""
    certain: set[tuple[str, str]] = set()
    possible: set[tuple[str, str]] = set()
    for holder in found["beneficial_owners"] + found["controlling_entities"]:
        into = certain if holder["status"] == "certain" else possible
        for path in holder["paths"]:
            into |= {(s["owner"]["id"], s["owned"]["id"]) for s in path["steps"]}
    return certain | possible, possible - certain


def _step_edge(step: dict[str, Any]) -> ViewEdge:
    """A link of a chain the day's holdings do not draw (control by other means)."""
    owner, owned = step["owner"]["id"], step["owned"]["id"]
    text = f"{_figure(step)} {_words(step['interest'])}"
    title = f"{step['owner']['name']} → {step['owned']['name']}: {text}"
    if step["sources"]:
        title += "\nsources: " + "; ".join(step["sources"])
    return ViewEdge(f"{owner} -> {owned}", owner, owned, text, title)


def view_control(group: Group, name: str, day: Day, rules: list[str] | None = None) -> ControlView:
    """The control view of ``name`` on ``day`` under ``rules`` (names or Turtle files;
    every shipped rule set by default), as :meth:`Group.control` answers it.

    Raises
    ------
    InputError
        For an unknown or ambiguous name, a rule set that does not exist or a rule
        file that is not valid.
    """
    day = as_day(day)
    answer = group.control(name, day, rules)
    entity_id = answer["entity"]["id"]
    founds = answer["rule_sets"]
    steps = [
        step
        for found in founds
        for holder in found["beneficial_owners"] + found["controlling_entities"]
        for path in holder["paths"]
        for step in path["steps"]
    ]
    full = group.snapshot(day).graph()
    above = nx.ancestors(full, entity_id) if entity_id in full else set()
    members = {entity_id, *above, *(s["owner"]["id"] for s in steps)}
    state = _day(group, day, members)
    ids = sorted(members)
    group.describe(ids)
    drawn = {
        (u, v): _edge(group, data["stake"], day) for u, v, data in state.graph.edges(data=True)
    }
    for step in steps:
        pair = (step["owner"]["id"], step["owned"]["id"])
        drawn.setdefault(pair, _step_edge(step))
    chart = state.graph.copy()
    chart.add_edges_from(p for p in drawn if p not in chart.edges)
    entity = answer["entity"]["name"]
    views = []
    for found in founds:
        on_path, possible = _path_pairs(found)
        marked = {n for pair in on_path for n in pair}
        nodes = [_node(group, n, state, on_path=n in marked) for n in ids]
        edges = sorted(
            (
                replace(e, on_path=pair in on_path, possible=pair in possible)
                for pair, e in drawn.items()
            ),
            key=lambda e: e.id,
        )
        legend = _kind_legend(nodes, edges)
        legend.append(LegendItem("edge", "path", "chain of a qualifying holder"))
        if possible:
            legend.append(LegendItem("edge", "possible", "chain of a possible holder"))
        title = f"{found['rule_set']['label']}: {entity} on {day.isoformat()}"
        notes = [_summary(found)]
        view = View(title, _placed(nodes, chart, {entity_id}), edges, legend, notes, day)
        views.append((found["rule_set"]["name"], view))
    return ControlView(
        f"Control of {entity} on {day.isoformat()}",
        answer,
        views,
        [_panel(found) for found in founds],
    )
