"""The control view: who controls and who beneficially owns an entity, under each rule
set side by side, as pictures and as text.

:func:`view_control` asks :meth:`~groupkg.graph.group.Group.control` and arranges its
answer into a :class:`ControlView`: one :class:`~groupkg.viz.model.View` per rule set
(the entity and everyone above it on the day, the chains of evidence of the holders
that qualify highlighted, dashed where a holder qualifies only possibly), all with the
same node positions (one layout, so that the eye compares them); beside each, the words
of its panel (the rule, the holders that qualify named in its heading, each with its
percent, interests and chains with stakes, the reasons when nobody qualifies); and a
comparison table of every holder that qualifies under any of the rule sets. Every
string is plain text; :mod:`groupkg.viz.controlpage` draws them without ever reading
one as HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import networkx as nx

from groupkg.graph.dates import Day, as_day
from groupkg.graph.group import Group
from groupkg.viz.labels import arrange
from groupkg.viz.model import LegendItem, View, ViewEdge
from groupkg.viz.text import bounds_text
from groupkg.viz.views import _day, _edge, _kind_legend, _node, _placed

__all__ = ["ControlView", "comparison", "view_control"]

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
    """The control of one entity on one day: a view and a panel per rule set, and the
    table that compares them.

    ``answer`` is :meth:`Group.control`'s answer as the CLI's JSON gives it; ``views``
    pairs each rule set's name with its picture, in the answer's order, every picture
    with the same node positions; ``panels`` holds the words the page shows with each
    picture; ``table`` is :func:`comparison` of the answer.
    """

    title: str
    answer: dict[str, Any]
    views: list[tuple[str, View]]
    panels: list[dict[str, Any]] = field(default_factory=list)
    table: dict[str, Any] = field(default_factory=dict)

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


def _interests(found: dict[str, Any]) -> str:
    """The interest kinds that qualify a holder, in words ("shares, votes (possible)")."""
    return ", ".join(
        _words(i["kind"]) + ("" if i["status"] == "certain" else " (possible)")
        for i in found["interests"]
    )


def _holder(found: dict[str, Any], role: str) -> dict[str, Any]:
    return {
        "id": found["id"],
        "name": found["name"],
        "role": role,
        "status": found["status"],
        "percent": _figure(found),
        "interests": _interests(found),
        "chains": [_chain(p) for p in found["paths"]],
    }


#: The two lists of a rule set's answer, with what a holder in each is called.
ROLES = (
    ("beneficial_owners", "beneficial owner", "beneficial owners"),
    ("controlling_entities", "qualifying entity", "qualifying entities"),
)


def _nobody(rule: dict[str, Any]) -> str:
    if rule["qualifying"] == "naturalPersons":
        return "no beneficial owner identified"
    return "no qualifying entity"


def _named(found: dict[str, Any]) -> str:
    """Who qualifies, by name, in a line: the heading of a rule set's panel.

    "beneficial owners: Ann, Bob (possible); qualifying entity: Beta", or why nobody is
    named ("no beneficial owner identified").
    """
    parts = []
    for key, one, many in ROLES:
        holders = found[key]
        if holders:
            names = ", ".join(
                h["name"] + ("" if h["status"] == "certain" else " (possible)") for h in holders
            )
            parts.append(f"{one if len(holders) == 1 else many}: {names}")
    return "; ".join(parts) or _nobody(found["rule_set"])


def _panel(found: dict[str, Any]) -> dict[str, Any]:
    rule = found["rule_set"]
    return {
        "name": rule["name"],
        "label": rule["label"],
        "named": _named(found),
        "rule": _rule_text(rule),
        "comment": rule.get("comment") or "",
        "holders": [_holder(h, role) for key, role, _ in ROLES for h in found[key]],
        "nobody": _nobody(rule),
        "reasons": [r["message"] for r in found["reasons"]],
    }


def _summary(found: dict[str, Any]) -> str:
    """How many holders qualify, in words: the caption of a rule set's picture."""
    counts = []
    for key, one, many in ROLES:
        count = len(found[key])
        if count:
            counts.append(f"{count} {one if count == 1 else many}")
    return f"{found['rule_set']['label']}: " + (", ".join(counts) or _nobody(found["rule_set"]))


def comparison(answer: dict[str, Any]) -> dict[str, Any]:
    """The rule sets of a control answer compared: one column per rule set, one row per
    holder that qualifies under any of them.

    A cell is ``{"status": "certain" | "possible" | "no", "percent"}``: the holder's
    look-through percent under that rule set (multiplied along chains, or passed whole
    through the entities it controls, as the rule set says), and where it qualifies its
    ``role`` (beneficial owner or qualifying entity) and the ``interests`` that qualify
    it. Natural persons come first, then the other holders, each by name.
    """
    founds = answer["rule_sets"]
    columns = [
        {"name": f["rule_set"]["name"], "label": f["rule_set"]["label"],
         "rule": _rule_text(f["rule_set"])}
        for f in founds
    ]  # fmt: skip
    rows: dict[str, dict[str, Any]] = {}
    for found in founds:
        for key, _, _ in ROLES:
            for holder in found[key]:
                rows.setdefault(holder["id"], {
                    "id": holder["id"], "name": holder["name"], "kind": holder["kind"],
                    "cells": [{} for _ in founds],
                })  # fmt: skip
    for index, found in enumerate(founds):
        for holder in found["not_qualifying"]:
            rows[holder["id"]]["cells"][index] = {"status": "no", "percent": _figure(holder)}
        for key, role, _ in ROLES:
            for holder in found[key]:
                rows[holder["id"]]["cells"][index] = {
                    "status": holder["status"],
                    "role": role,
                    "interests": _interests(holder),
                    "percent": _figure(holder),
                }
    order = sorted(
        rows.values(), key=lambda r: (r["kind"] != "person", r["name"].casefold(), r["id"])
    )
    return {"columns": columns, "rows": order}


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
    # One layout for every rule set: the pictures differ only in what they highlight.
    placed = _placed([_node(group, n, state) for n in ids], chart, {entity_id})
    entity = answer["entity"]["name"]
    views = []
    for found in founds:
        on_path, possible = _path_pairs(found)
        marked = {n for pair in on_path for n in pair}
        nodes = [replace(n, on_path=n.id in marked) for n in placed]
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
        views.append(View(title, nodes, edges, legend, notes, day))
    # Edge labels placed for every picture together, so that they keep one layout too.
    arranged = arrange(views)
    return ControlView(
        f"Control of {entity} on {day.isoformat()}",
        answer,
        [(found["rule_set"]["name"], view) for found, view in zip(founds, arranged, strict=True)],
        [_panel(found) for found in founds],
        comparison(answer),
    )
