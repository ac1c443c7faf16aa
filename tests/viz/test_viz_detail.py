"""The level of detail of large groups (groupkg.viz.detail): the control tree and its
summaries, counted by hand on small groups.

tests/data/viz/merger.ttl is described in tests/viz/test_viz_model.py; the other
groups here are built as view nodes with their tree links.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import networkx as nx

from groupkg.graph import Group, add_files, open_store
from groupkg.viz import to_html, view_at, view_diff
from groupkg.viz.detail import Link, control_tree, detail_data, summarise
from groupkg.viz.model import View, ViewNode

V = "https://example.org/viz/"
FIXTURE = Path(__file__).parents[1] / "data" / "viz" / "merger.ttl"
BEFORE, AFTER = dt.date(2020, 6, 30), dt.date(2020, 7, 1)

# P holds twelve subsidiaries: s01-s09 wholly, s10 60%, s11 75%, s12 40% (control
# through a shareholders' agreement, say); five persons and a company hold P.
PERCENTS = [100.0] * 9 + [60.0, 75.0, 40.0]


def small_group() -> tuple[list[ViewNode], dict[str, Link]]:
    nodes = [ViewNode("P", "Parent", "", "listed", level=0, x=0.0, y=0.0)]
    tree: dict[str, Link] = {}
    for i, percent in enumerate(PERCENTS, 1):
        nodes.append(ViewNode(f"s{i:02}", f"Sub {i:02}", "", "subsidiary", 1, i * 210.0, 170.0))
        tree[f"s{i:02}"] = Link("P", "subsidiary", percent)
    for i in range(1, 7):
        kind = "company" if i == 6 else "person"
        nodes.append(ViewNode(f"h{i}", f"Holder {i}", "", kind, -1, i * 210.0, -170.0))
        tree[f"h{i}"] = Link("P", "holder", 1.0)
    return nodes, tree


def test_beyond_eight_subsidiaries_the_rest_is_one_summary_counted_by_stake():
    nodes, tree = small_group()
    found = {s.role: s for s in summarise(nodes, tree)}
    subsidiaries = found["subsidiary"]
    assert subsidiaries.members == ("s09", "s10", "s11", "s12")  # the first eight are drawn
    assert subsidiaries.label == "+4 subsidiaries, 1 wholly owned"
    assert subsidiaries.title.splitlines() == [
        "4 subsidiaries of Parent not drawn: 2 majority owned, "
        "1 controlled with 50% or less, 1 wholly owned",
        "click to draw them",
    ]


def test_beyond_four_holders_the_rest_is_one_summary_counted_by_kind():
    nodes, tree = small_group()
    holders = next(s for s in summarise(nodes, tree) if s.role == "holder")
    assert holders.members == ("h5", "h6")
    assert holders.label == "+2 holders, 1 company"
    assert holders.title.splitlines()[0] == "2 holders in Parent not drawn: 1 company, 1 person"


def test_a_summary_of_one_would_hide_nothing_so_the_ninth_is_drawn():
    nodes, tree = small_group()
    nine = [n for n in nodes if n.id not in {"s10", "s11", "s12"} and n.kind != "person"]
    assert [s.members for s in summarise(nine, tree)] == []


def test_what_the_budget_leaves_out_waits_behind_summaries_with_what_lies_below():
    nodes, tree = small_group()
    nodes.append(ViewNode("g1", "Grandchild", "", "subsidiary", 2, 210.0, 340.0))
    tree["g1"] = Link("s01", "subsidiary", 100.0)
    # the parent and two subsidiaries, then a summary: the budget of four is spent
    found = {s.id: s for s in summarise(nodes, tree, holders_shown=0, budget=4)}
    assert found["+subsidiary P"].members == tuple(f"s{i:02}" for i in range(3, 13))
    assert found["+subsidiary P"].title.splitlines()[0].startswith("10 subsidiaries of Parent")
    assert found["+holder P"].label == "+6 holders, 5 persons"
    # s01 is drawn, its grandchild is past the budget: a summary of one, shut
    assert found["+subsidiary s01"].members == ("g1",)
    assert found["+subsidiary s01"].label == "+1 subsidiary, 1 wholly owned"


def test_entities_a_view_is_about_are_drawn_whatever_the_limits():
    nodes, tree = small_group()
    found = {s.role: s for s in summarise(nodes, tree, wanted=["s12", "h6"])}
    assert found["subsidiary"].members == ("s08", "s09", "s10", "s11")
    assert found["holder"].members == ("h4", "h5")


def test_control_tree_of_the_merger_group_by_hand():
    store = open_store("memory", default_data=False)
    add_files(store, [FIXTURE])
    group = Group(store)
    for view in (view_at(group, BEFORE), view_diff(group, BEFORE, AFTER)):
        tree = {n[len(V) :]: (link.up[len(V) :], link.role) for n, link in view.tree.items()}
        assert tree["alpha"] == ("hold", "subsidiary")
        assert tree["beta"] == ("hold", "subsidiary")
        assert tree["zeta"] == ("hold", "subsidiary")  # a reported consolidation
        assert tree["loner"] == ("solo", "subsidiary")
        assert tree["eps"] == ("beta", "minority")  # more than 25%, at most 50%
        assert tree["founder"] == ("hold", "holder")
        assert tree["others"] == ("hold", "holder")
        assert "hold" not in tree and "solo" not in tree  # the roots
        # a small group is drawn whole: its page carries no level of detail
        assert detail_data(view) is None
    assert view_at(group, BEFORE).tree[V + "gamma"].up == V + "alpha"
    assert view_diff(group, BEFORE, AFTER).tree[V + "gamma"].up == V + "hold"  # absorbed


def test_control_tree_never_closes_a_loop_of_minority_holdings():
    graph = nx.DiGraph()
    graph.add_edge("a", "b", high=0.4)
    graph.add_edge("b", "a", high=0.3)
    tree = control_tree(graph, {}, {"a": 0, "b": 1})
    assert {n: link.up for n, link in tree.items()} == {"b": "a"}


def test_the_page_carries_the_summaries_and_the_tree_escaped():
    nodes, tree = small_group()
    nodes[0] = ViewNode("P", "<b>Parent</b> & co", "", "listed", level=0, x=0.0, y=0.0)
    page = to_html(View("big", nodes, [], tree=tree))
    block = re.search(r'<script type="application/json" id="gk-data">(.*?)</script>', page, re.S)
    assert block is not None and "<b>" not in block.group(1) and "& co" not in block.group(1)
    data = json.loads(block.group(1))
    detail = data["states"][0]["detail"]
    assert [s["label"] for s in detail["summaries"]] == [
        "+2 holders, 1 company",
        "+4 subsidiaries, 1 wholly owned",
    ]
    assert detail["summaries"][1]["title"].startswith("4 subsidiaries of <b>Parent</b> & co")
    # a summary sits where its first member will be drawn, so expanding moves nothing
    assert (detail["summaries"][1]["x"], detail["summaries"][1]["y"]) == (9 * 210.0, 170.0)
    hidden = {link[0] for link in detail["links"] if link[2] >= 0}
    assert hidden == {"s09", "s10", "s11", "s12", "h5", "h6"}
    assert "summary" in data["options"]["groups"]
