"""Buckets of unnamed holders never control, in any public control function.

A bucket ("Other shareholders of X") stands for many holders. On the graphs the
package gives (``Snapshot.graph()``, ``Group.graph_at``) it is a node flagged
``unnamed``, and ``ultimate_parent``, ``controllers_of``, ``controlled_by``,
``consolidation_paths`` and ``perimeter`` answer on them as the group's own answers
do. Expected values are read off the IIJ releases the bundled data cites
(data/iij/README.md): on IIJ's registry of 2013-09-30 the holders it does not name
have 55.44% of IIJ; from 2013-11-07 IIJ holds 99.9% of IIJ Exlayer, and IIJ Exlayer
USA is "a U.S.-based SI subsidiary of IIJ-Exlayer".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import networkx as nx
import pytest

from groupkg.graph import (
    Dataset,
    Entity,
    Group,
    Holding,
    InputError,
    consolidation_paths,
    controlled_by,
    controllers_of,
    effective_ownership,
    open_store,
    perimeter,
    ultimate_parent,
)

BEFORE_MERGER = dt.date(2013, 12, 31)  # the day before IIJ absorbs IIJ Exlayer
DAYS = [dt.date(2013, 7, 2), dt.date(2013, 9, 30), dt.date(2013, 11, 7), BEFORE_MERGER,
        dt.date(2014, 1, 1)]  # fmt: skip

# The graph of a day, in each shape the package gives it: (group, day, measure) -> graph.
GRAPHS: dict[str, Callable[[Group, dt.date, str], nx.DiGraph]] = {
    "snapshot": lambda group, day, measure: group.snapshot(day).graph(measure=measure),
    "graph_at": lambda group, day, measure: group.graph_at(day, measure),
}


@pytest.fixture(scope="module")
def group() -> Group:
    return Group(open_store("memory"))


@pytest.mark.parametrize("shape", sorted(GRAPHS))
def test_the_other_shareholders_of_iij_are_nobodys_ultimate_parent(group, shape):
    # The bucket holds 55.44% of IIJ: IIJ Exlayer USA's ultimate parent is still IIJ,
    # as Group.paths says.
    graph = GRAPHS[shape](group, BEFORE_MERGER, "control")
    usa, iij, exlayer = (group.resolve(n) for n in ("IIJ Exlayer USA", "IIJ", "IIJ Exlayer"))
    others = group.resolve("Other shareholders of Internet Initiative Japan Inc.")
    assert group.paths("IIJ Exlayer USA", BEFORE_MERGER)["ultimate_parent"]["id"] == iij
    assert ultimate_parent(graph, usa) == iij
    assert ultimate_parent(graph, iij) == iij
    assert controllers_of(graph, usa) == {iij: "certain", exlayer: "certain"}
    assert controllers_of(graph, iij) == {}
    assert consolidation_paths(graph, usa) == [[iij, exlayer, usa]]
    assert controlled_by(graph, others) == {}
    assert perimeter(graph, others) == {"entity": others, "subsidiaries": [], "affiliates": []}


@pytest.mark.parametrize("shape", sorted(GRAPHS))
def test_on_the_graph_of_every_day_the_functions_answer_as_the_group_does(group, shape):
    for day in DAYS:
        graph = GRAPHS[shape](group, day, "control")
        owned = GRAPHS[shape](group, day, "ownership")
        for entity in graph:
            if graph.nodes[entity].get("unnamed", False):
                assert controlled_by(graph, entity) == {}
                continue
            answer = group.paths(entity, day)
            assert ultimate_parent(graph, entity) == answer["computed_ultimate_parent"]["id"]
            if answer["ultimate_parent_basis"] != "completed":
                expected = [[step["id"] for step in path] for path in answer["paths"]]
                assert consolidation_paths(graph, entity) == expected, (day, entity)
            found = perimeter(graph, entity, threshold=group.threshold, ownership=owned)
            told = group.perimeter(entity, day)
            for part in ("subsidiaries", "affiliates"):
                assert [s["entity"] for s in found[part]] == [s["id"] for s in told[part]]


@pytest.mark.parametrize("shape", sorted(GRAPHS))
def test_a_bucket_neither_controls_nor_limits_the_control_of_others(shape):
    # Parent's stake in Opco is unknown and the others hold 60%: Parent may control
    # Opco, as the control graph (which leaves buckets out) says.
    names = {
        "parent": Entity("parent", "Parent"),
        "opco": Entity("opco", "Opco"),
        "others": Entity("others", "Other shareholders of Opco", kind="unnamed"),
    }
    stakes = [Holding("h1", "parent", "opco"), Holding("h2", "others", "opco", 60.0)]
    toy = Group(open_store("memory", default_data=False), dataset=Dataset(names, stakes))
    day = dt.date(2024, 1, 1)
    graph, owned = GRAPHS[shape](toy, day, "control"), GRAPHS[shape](toy, day, "ownership")
    assert graph.nodes["others"]["unnamed"] is True
    assert controllers_of(graph, "opco") == {"parent": "possible"}
    assert ultimate_parent(graph, "opco") == "opco"
    told = toy.perimeter("Parent", day)["subsidiaries"]
    assert [(s["id"], s["control"], s["effective_percent_max"]) for s in told] == [
        ("opco", "possible", 100)
    ]
    assert perimeter(graph, "parent", ownership=owned)["subsidiaries"] == [
        {"entity": "opco", "control": "possible", "low": 0.0, "high": 1.0}
    ]
    # Effective ownership still counts the bucket: Parent holds at most the other 40%.
    assert effective_ownership(owned, "parent", "opco") == (0.0, 0.4)


def test_a_flag_that_is_not_a_bool_is_an_input_error_naming_the_node():
    graph = nx.DiGraph()
    graph.add_node("others", unnamed="yes")
    graph.add_edge("others", "opco", low=0.6, high=0.6)
    with pytest.raises(InputError, match="'others'.*unnamed"):
        ultimate_parent(graph, "opco")


def test_the_registers_graph_of_a_day_flags_its_buckets_too(group):
    register = group.register
    graph = register.networkx_at(BEFORE_MERGER)  # nodes are positions in the register
    flagged = {register.entity(p) for p, unnamed in graph.nodes(data="unnamed") if unnamed}
    assert flagged == {
        group.resolve("Other shareholders of Internet Initiative Japan Inc."),
        group.resolve("Other shareholders of IIJ Exlayer Inc."),
    }
    usa = register.position(group.resolve("IIJ Exlayer USA"))
    assert register.entity(ultimate_parent(graph, usa)) == group.resolve("IIJ")
