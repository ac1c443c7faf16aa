"""A day's group as a networkx graph (``Group.graph_at``), for analysis and export.

Expected values are read off the IIJ releases the bundled data cites (data/iij/README.md):
on 2013-09-30 IIJ's registry lists NTT 21.62%, Koichi Suzuki 3.86% and KS Holdings
(wholly his) 1.73%, the rest (55.44%) held by shareholders the release does not name;
from 2013-11-07 IIJ holds 3,996 shares (99.9%) of IIJ Exlayer, whose other holders have
4 shares, and IIJ Exlayer USA is "a U.S.-based SI subsidiary of IIJ-Exlayer".
"""

from __future__ import annotations

import datetime as dt
import math

import networkx as nx
import pytest

from groupkg.graph import (
    Dataset,
    Entity,
    Group,
    Holding,
    InputError,
    controllers_of,
    effective_ownership,
    open_store,
    ultimate_parent,
)

REGISTRY = dt.date(2013, 9, 30)  # IIJ's shareholder registry
BEFORE_MERGER = dt.date(2013, 12, 31)  # the day before IIJ absorbs IIJ Exlayer


@pytest.fixture(scope="module")
def group() -> Group:
    return Group(open_store("memory"))


@pytest.fixture(scope="module")
def ids(group: Group) -> dict[str, str]:
    names = ["IIJ", "IIJ Exlayer", "IIJ Exlayer USA", "Koichi Suzuki", "KS Holdings", "NTT"]
    found = {name: group.resolve(name) for name in names}
    found["others"] = group.resolve("Other shareholders of Internet Initiative Japan Inc.")
    return found


def plain(value: object) -> bool:
    return type(value) in (str, int, float, bool) and not (
        isinstance(value, float) and not math.isfinite(value)
    )


# -- the graph of a day -------------------------------------------------------------------


def test_nodes_carry_label_kind_status_identifiers_and_the_unnamed_flag(group, ids):
    graph = group.graph_at(BEFORE_MERGER)
    assert graph.nodes[ids["IIJ"]] == {
        "label": "Internet Initiative Japan Inc.",
        "kind": "legal",
        "status": "active",
        "unnamed": False,
        "identifiers": "NASDAQ:IIJI; TSE:3774",
    }
    assert graph.nodes[ids["Koichi Suzuki"]]["kind"] == "person"
    assert graph.nodes[ids["others"]] == {
        "label": "Other shareholders of Internet Initiative Japan Inc.",
        "kind": "unnamed",
        "status": "active",
        "unnamed": True,
    }
    assert graph.graph == {"day": "2013-12-31", "measure": "control", "threshold": 50.0}


def test_edges_carry_the_figures_of_the_owners_answer_as_plain_values(group, ids):
    graph = group.graph_at(BEFORE_MERGER)
    held = graph.edges[ids["IIJ"], ids["IIJ Exlayer"]]
    assert {k: held[k] for k in ("percent", "percent_min", "percent_max", "shares")} == {
        "percent": 99.9,
        "percent_min": 99.9,
        "percent_max": 99.9,
        "shares": 3996,
    }
    assert held["interest"] == "shareholding"
    assert held["interests"] == "directConsolidation; shareholding"
    assert held["consolidated"] is True and held["assumed"] is False
    assert (held["status"], held["basis"]) == ("stated", "observed 2013-11-07")
    # A subsidiary reported without a percentage: the percent is unknown, so absent.
    usa = graph.edges[ids["IIJ Exlayer"], ids["IIJ Exlayer USA"]]
    assert "percent" not in usa and "shares" not in usa
    assert (usa["low"], usa["high"], usa["consolidated"]) == (0.0, 1.0, True)
    others = graph.edges[ids["others"], ids["IIJ"]]
    assert (others["percent"], others["status"]) == (55.44, "derived")
    for _, _, data in graph.edges(data=True):
        assert all(plain(v) for v in data.values()), data
    for _, data in graph.nodes(data=True):
        assert all(plain(v) for v in data.values()), data


def test_every_owner_listed_by_the_group_is_an_edge_with_its_figures(group):
    graph = group.graph_at(REGISTRY)
    for owned in graph:
        answer = group.owners(owned, REGISTRY)["owners"]
        weighed = {(o["id"], o["interest"]): o for o in answer}
        for owner in graph.predecessors(owned):
            data = graph.edges[owner, owned]
            row = weighed[(owner, data["interest"])]
            for key in ("percent", "percent_min", "percent_max", "shares"):
                assert data.get(key) == row[key], (owner, owned, key)


def test_a_range_and_an_unknown_stake_keep_only_what_is_known():
    names = {e: Entity(e, e.title()) for e in ["p", "q", "s"]}
    stakes = [
        Holding("h1", "p", "s", None, 20.0, 40.0),
        Holding("h2", "q", "s", None, 50.0, None, min_exclusive=True),
    ]
    toy = Group(open_store("memory", default_data=False), dataset=Dataset(names, stakes))
    graph = toy.graph_at(dt.date(2024, 1, 1))
    ranged = graph.edges["p", "s"]
    assert "percent" not in ranged
    assert (ranged["percent_min"], ranged["percent_max"]) == (20.0, 40.0)
    over_half = graph.edges["q", "s"]
    assert (over_half["percent_min"], over_half["percent_max"]) == (50.0, 100.0)
    assert over_half["low_exclusive"] is True
    assert controllers_of(graph, "s") == {"q": "certain"}


def test_the_ownership_graph_gives_the_effective_stakes_of_the_group(group, ids):
    # Suzuki's look-through stake in IIJ: 3.86% his own and 1.73% through KS Holdings.
    graph = group.graph_at(REGISTRY, measure="ownership")
    assert graph.graph["measure"] == "ownership"
    low, high = effective_ownership(graph, ids["Koichi Suzuki"], ids["IIJ"])
    assert round(low * 100, 6) == round(high * 100, 6) == 5.59
    assert group.effective("Koichi Suzuki", "IIJ", REGISTRY)["percent"] == 5.59


def test_graphml_writes_the_graph_and_reads_it_back_equal(group, tmp_path):
    for measure in ("control", "ownership"):
        graph = group.graph_at(BEFORE_MERGER, measure=measure)
        path = tmp_path / f"iij-{measure}.graphml"
        nx.write_graphml(graph, path)
        back = nx.read_graphml(path)
        assert isinstance(back, nx.DiGraph)
        # networkx adds the defaults of its keys (none here) to what it reads.
        assert back.graph == {**graph.graph, "node_default": {}, "edge_default": {}}
        assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
        assert {(u, v): d for u, v, d in back.edges(data=True)} == {
            (u, v): d for u, v, d in graph.edges(data=True)
        }
        # The graph read back answers as the one written.
        for entity in graph:
            assert ultimate_parent(back, entity) == ultimate_parent(graph, entity)


def test_each_call_gives_a_fresh_graph_to_change(group, ids):
    graph = group.graph_at(BEFORE_MERGER)
    graph.remove_node(ids["NTT"])
    assert ids["NTT"] in group.graph_at(BEFORE_MERGER)


def test_a_day_before_the_group_exists_is_an_empty_graph(group):
    graph = group.graph_at(dt.date(1990, 1, 1))
    assert graph.number_of_edges() == 0


def test_a_measure_other_than_control_or_ownership_is_an_input_error(group):
    with pytest.raises(InputError, match="measure must be 'control' or 'ownership'"):
        group.graph_at(BEFORE_MERGER, measure="votes")


def test_from_the_cached_time_model_the_graph_is_that_of_the_whole_store(ids, tmp_path):
    # A question about IIJ Exlayer USA reads its group only: the same nodes and edges,
    # with the same attributes, as the group of the whole store gives.
    store = open_store(f"oxigraph:{tmp_path / 'store'}", writable=True)
    whole = Group(store).graph_at(BEFORE_MERGER)
    scoped = Group.model(store, ["IIJ Exlayer USA"]).graph_at(BEFORE_MERGER)
    assert scoped.graph == whole.graph
    assert dict(scoped.nodes(data=True)) == {n: whole.nodes[n] for n in scoped}
    assert {(u, v): d for u, v, d in scoped.edges(data=True)} == {
        (u, v): d for u, v, d in whole.subgraph(scoped).edges(data=True)
    }
    assert scoped.nodes[ids["IIJ"]]["identifiers"] == "NASDAQ:IIJI; TSE:3774"
