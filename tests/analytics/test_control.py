"""Control, ultimate parents, consolidation paths and perimeters.

The groups at the top are worked out by hand. The property tests hold the fast
functions to ``reference_groups``: the definition of docs/definitions.md transcribed as
directly as possible (grow each controller's group until nothing changes).
"""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupkg.graph import (
    InputError,
    consolidation_paths,
    controlled_by,
    controllers_of,
    perimeter,
    ultimate_parent,
)
from groupkg.graph.analytics.parents import control_cycles, ultimate_parents
from tests.registers import random_group
from tests.strategies import ownership_cases, ownership_graphs, reordered

# -- the reference: the definition, slowly -----------------------------------------------

EPS = 1e-9  # stakes closer than this to the threshold count as equal to it


def group_exceeds(G, y, group, t, possible):
    """Whether ``group`` has more than ``t`` of ``y`` (``y`` itself aside) or consolidates it."""
    mine = [d for u, d in G.pred[y].items() if u in group and u != y]
    if any(d.get("consolidated", False) for d in mine):
        return True
    low = sum(d.get("low", 0.0) for d in mine)
    high = sum(d.get("high", 1.0) for d in mine)
    # Stakes at their lower bounds; an exclusive lower bound is just above it.
    if low > t + EPS or (low >= t - EPS and any(d.get("low_exclusive", False) for d in mine)):
        return True
    if not possible:
        return False
    # Stakes at their upper bounds, but never more than the others leave.
    others = sum(d.get("low", 0.0) for u, d in G.pred[y].items() if u not in group and u != y)
    return min(high, max(low, 1.0 - others)) > t + EPS


def reference_group(G, x, t, possible):
    group = {x}
    grown = True
    while grown:
        grown = False
        for y in G:
            if y not in group and group_exceeds(G, y, group, t, possible):
                group.add(y)
                grown = True
    return group - {x}


def reference_controls(G, threshold=50):
    """``x -> {y: "certain" | "possible"}`` for every entity."""
    t = threshold / 100
    found = {}
    for x in G:
        certain = reference_group(G, x, t, possible=False)
        possible = reference_group(G, x, t, possible=True)
        found[x] = {y: "certain" if y in certain else "possible" for y in possible | certain}
    return found


def reference_parents(G, threshold=50):
    controls = reference_controls(G, threshold)
    above = {y: {y} | {x for x in G if controls[x].get(y) == "certain"} for y in G}
    parents = {}
    for y in G:
        # The controllers nobody controls, unless they control that one back.
        top = [u for u in above[y] if all(u in above[w] for w in above[u])]
        parents[y] = min(top)
    return parents


def reference_cycles(G, threshold=50):
    controls = reference_controls(G, threshold)
    cycles = set()
    for x in G:
        mutual = {x} | {
            y for y, c in controls[x].items() if c == "certain" and controls[y].get(x) == "certain"
        }
        if len(mutual) > 1:
            cycles.add(tuple(sorted(mutual)))
    return [list(c) for c in sorted(cycles)]


# -- groups worked out by hand -----------------------------------------------------------


def stakes(*edges, **flags) -> nx.DiGraph:
    G = nx.DiGraph()
    for u, v, f in edges:
        G.add_edge(u, v, low=f, high=f, **flags)
    return G


def test_more_than_half_controls_and_half_does_not():
    G = stakes(("P", "A", 0.51), ("P", "B", 0.5), ("Q", "B", 0.5))
    assert controlled_by(G, "P") == {"A": "certain"}
    assert controllers_of(G, "B") == {}
    assert ultimate_parent(G, "B") == "B"


def test_chain_of_majorities():
    G = stakes(("P", "A", 0.6), ("A", "B", 0.7), ("B", "C", 0.8), ("Q", "A", 0.4))
    assert controlled_by(G, "P") == {"A": "certain", "B": "certain", "C": "certain"}
    assert controllers_of(G, "C") == {"A": "certain", "B": "certain", "P": "certain"}
    assert ultimate_parents(G) == {"A": "P", "B": "P", "C": "P", "P": "P", "Q": "Q"}
    assert consolidation_paths(G, "C") == [["P", "A", "B", "C"]]


def test_joint_control_through_two_subsidiaries():
    # P holds 60% of A and of B; A and B hold 30% of C each: no holder of C has
    # more than half, but P and the companies it controls have 30 + 30 = 60%.
    G = stakes(("P", "A", 0.6), ("P", "B", 0.6), ("A", "C", 0.3), ("B", "C", 0.3), ("Q", "C", 0.4))
    assert controlled_by(G, "P") == {"A": "certain", "B": "certain", "C": "certain"}
    assert controlled_by(G, "A") == {}
    assert controllers_of(G, "C") == {"P": "certain"}
    assert ultimate_parent(G, "C") == "P"
    assert consolidation_paths(G, "C") == [["P", "A", "C"], ["P", "B", "C"]]


def test_direct_and_indirect_stakes_add_up():
    # P has 25% of Y itself and controls X, which has 30%: 55% together.
    G = stakes(("P", "X", 0.6), ("X", "Y", 0.3), ("P", "Y", 0.25), ("Q", "Y", 0.45))
    assert controlled_by(G, "P") == {"X": "certain", "Y": "certain"}
    assert ultimate_parent(G, "Y") == "P"
    assert consolidation_paths(G, "Y") == [["P", "Y"], ["P", "X", "Y"]]


def test_paths_follow_holdings_of_unknown_size():
    # A's stake in C is not known, but it is a holding inside P's group.
    G = stakes(("P", "A", 0.6), ("P", "C", 0.6))
    G.add_edge("A", "C", low=0.0, high=0.4)
    assert consolidation_paths(G, "C") == [["P", "C"], ["P", "A", "C"]]


def test_cross_holdings_create_no_control_they_do_not_support():
    # If A controlled C it would have 30 + 30% of B, and the other way round; but
    # A alone has 30% of each, so A controls neither (the least consistent answer).
    G = stakes(("A", "B", 0.3), ("A", "C", 0.3), ("B", "C", 0.3), ("C", "B", 0.3))
    assert controlled_by(G, "A") == {}
    assert control_cycles(G) == []
    assert ultimate_parents(G) == {"A": "A", "B": "B", "C": "C"}


def test_control_cycle_picks_the_smallest_id_and_is_reported():
    # B and A hold 60% of each other; B owns all of C.
    G = stakes(("B", "A", 0.6), ("A", "B", 0.6), ("B", "C", 1.0))
    assert control_cycles(G) == [["A", "B"]]
    assert ultimate_parents(G) == {"A": "A", "B": "A", "C": "A"}
    assert controllers_of(G, "A") == {"B": "certain"}
    assert consolidation_paths(G, "C") == [["A", "B", "C"]]
    assert consolidation_paths(G, "B") == [["A", "B"]]
    assert consolidation_paths(G, "A") == [["A"]]


def test_a_controlled_control_cycle_has_its_controller_as_parent():
    G = stakes(("A", "B", 0.6), ("B", "A", 0.4), ("P", "A", 0.6))
    # A and B hold each other, but P's 60% of A decides: only P controls A.
    assert control_cycles(G) == []
    assert ultimate_parents(G) == {"A": "P", "B": "P", "P": "P"}
    H = stakes(("A", "B", 0.6), ("B", "A", 0.55), ("C", "A", 0.45), ("P", "C", 1.0))
    # Here B's 55% of A makes A and B control each other, above P's reach.
    assert control_cycles(H) == [["A", "B"]]
    assert ultimate_parent(H, "A") == "A" and ultimate_parent(H, "C") == "P"


def test_a_controller_below_a_control_cycle_is_not_taken_for_the_only_one():
    # N and Q (60% N's) have 30 + 30% of M, and M has 60% of N: M and N control
    # each other. P hangs below N and has 60% of Y; A0 reports consolidating Y.
    # Y's controllers: P, N, M and A0 (Q controls nothing) -- two tops, {M, N} and A0.
    G = stakes(("N", "M", 0.3), ("Q", "M", 0.3), ("M", "N", 0.6), ("N", "Q", 0.6),
               ("N", "P", 0.6), ("P", "Y", 0.6))  # fmt: skip
    G.add_edge("A0", "Y", low=0.0, high=1.0, consolidated=True, holding=False)
    assert control_cycles(G) == [["M", "N"]]
    assert controllers_of(G, "Y") == dict.fromkeys(["A0", "M", "N", "P"], "certain")
    assert ultimate_parents(G) == {"A0": "A0", "M": "M", "N": "M", "P": "M", "Q": "M", "Y": "A0"}


def test_ranges_give_certain_and_possible_control():
    G = nx.DiGraph()
    G.add_edge("P", "A", low=0.5, high=0.75, low_exclusive=True)  # (50, 75]: always > 50
    G.add_edge("P", "B", low=0.5, high=0.75)  # [50, 75]: maybe exactly 50
    G.add_edge("P", "C", low=0.25, high=0.5, low_exclusive=True, high_exclusive=True)  # (25, 50)
    G.add_edge("P", "D", low=0.25, high=0.5)  # [25, 50]: at most 50, never more
    G.add_edge("P", "E", low=0.4, high=0.6, high_exclusive=True)  # [40, 60)
    assert controlled_by(G, "P") == {"A": "certain", "B": "possible", "E": "possible"}
    assert controllers_of(G, "B") == {"P": "possible"}
    assert ultimate_parent(G, "B") == "B"  # only certain control makes a parent


def test_possible_control_respects_the_other_holders_certain_stakes():
    G = stakes(("Q", "Y", 0.6))
    G.add_edge("X", "Y")  # unknown, but at most the 40% Q leaves
    assert controllers_of(G, "Y") == {"Q": "certain"}
    G.remove_edge("Q", "Y")
    G.add_edge("Q", "Y", low=0.4, high=0.6)  # now X may hold up to 60%
    assert controllers_of(G, "Y") == {"Q": "possible", "X": "possible"}


def test_consolidation_gives_certain_control_without_a_percent():
    G = nx.DiGraph()
    G.add_edge("P", "A", low=0.0, high=1.0, consolidated=True, holding=False)
    G.add_edge("A", "B", low=1.0, high=1.0)
    G.add_edge("Q", "A", low=0.3, high=0.3)
    assert controlled_by(G, "P") == {"A": "certain", "B": "certain"}
    assert ultimate_parent(G, "B") == "P"
    assert consolidation_paths(G, "B") == [["P", "A", "B"]]


def test_conflicting_consolidation_reports_pick_the_smallest_id():
    G = nx.DiGraph()
    G.add_edge("B", "C", low=0.0, high=1.0, consolidated=True, holding=False)
    G.add_edge("A", "C", low=0.0, high=1.0, consolidated=True, holding=False)
    assert controllers_of(G, "C") == {"A": "certain", "B": "certain"}
    assert ultimate_parent(G, "C") == "A"
    assert control_cycles(G) == []


def test_threshold_is_a_parameter():
    G = stakes(("P", "A", 0.35), ("A", "B", 0.31), ("P", "C", 0.3))
    assert controlled_by(G, "P") == {}
    assert controlled_by(G, "P", threshold=30) == {"A": "certain", "B": "certain"}
    assert ultimate_parent(G, "B", threshold=30) == "P"
    assert ultimate_parents(G, threshold=30)["C"] == "C"  # 30% is not more than 30%
    assert controlled_by(G, "P", threshold=0) == {"A": "certain", "B": "certain", "C": "certain"}


def test_only_a_consolidation_exceeds_a_threshold_of_100():
    G = stakes(("P", "A", 1.0))
    G.add_edge("P", "B", low=0.0, high=1.0, consolidated=True)
    assert controlled_by(G, "P", threshold=100) == {"B": "certain"}


def test_treasury_shares_are_ignored():
    G = stakes(("P", "A", 0.45), ("A", "A", 0.2), ("Q", "A", 0.35))
    # 45% of all shares is 56% of the shares outside the treasury, but the
    # analytics do not rescale: P does not control A.
    assert controlled_by(G, "P") == {}
    assert ultimate_parents(G)["A"] == "A"


def test_empty_graph_and_lone_entity():
    assert ultimate_parents(nx.DiGraph()) == {}
    assert control_cycles(nx.DiGraph()) == []
    G = nx.DiGraph()
    G.add_node("A")
    assert ultimate_parent(G, "A") == "A"
    assert consolidation_paths(G, "A") == [["A"]]
    assert perimeter(G, "A") == {"entity": "A", "subsidiaries": [], "affiliates": []}


def test_perimeter_lists_subsidiaries_and_affiliates():
    G = stakes(
        ("P", "A", 0.8),
        ("A", "B", 0.3),  # effective 0.8 * 0.3 = 24%: affiliate
        ("P", "C", 0.1),  # 10%: neither
        ("P", "D", 0.25),  # 25%: affiliate
        ("P", "E", 0.4),
        ("A", "E", 0.2),  # P's group has 40 + 20 = 60% of E: subsidiary
        ("P", "H", 0.4),
        ("D", "H", 0.6),  # 0.4 + 0.25 * 0.6 = 55% of H, yet P's group has only 40%
    )
    G.add_edge("P", "F", low=0.1, high=0.3)  # 10-30%: possibly an affiliate
    G.add_edge("P", "I", low=0.4, high=0.6, low_exclusive=True)  # possibly a subsidiary
    found = perimeter(G, "P")
    assert found["entity"] == "P"
    subs = [(s["entity"], s["control"]) for s in found["subsidiaries"]]
    assert subs == [("A", "certain"), ("E", "certain"), ("I", "possible")]
    bounds = [b for s in found["subsidiaries"] for b in (s["low"], s["high"])]
    assert bounds == pytest.approx([0.8, 0.8, 0.56, 0.56, 0.4, 0.6])  # E: 0.4 + 0.8 * 0.2
    affiliates = [(a["entity"], a["influence"]) for a in found["affiliates"]]
    assert affiliates == [("B", "certain"), ("D", "certain"), ("F", "possible"), ("H", "certain")]
    bounds = [b for a in found["affiliates"] for b in (a["low"], a["high"])]
    assert bounds == pytest.approx([0.24, 0.24, 0.25, 0.25, 0.1, 0.3, 0.55, 0.55])
    narrower = perimeter(G, "P", threshold=50, affiliate_min=25)
    assert [a["entity"] for a in narrower["affiliates"]] == ["D", "F", "H"]


# -- invariants against the reference ----------------------------------------------------


@settings(max_examples=250, deadline=None)
@given(ownership_graphs(max_held=150), st.sampled_from([50, 50, 30, 70]))
def test_ultimate_parents_follow_the_definition(G, threshold):
    expected = reference_parents(G, threshold)
    assert ultimate_parents(G, threshold) == expected
    assert control_cycles(G, threshold) == reference_cycles(G, threshold)
    for y in G:
        assert ultimate_parent(G, y, threshold) == expected[y]


@settings(max_examples=200, deadline=None)
@given(ownership_graphs(max_held=150), st.sampled_from([50, 30]))
def test_controlled_by_and_controllers_of_follow_the_definition(G, threshold):
    expected = reference_controls(G, threshold)
    for x in G:
        assert controlled_by(G, x, threshold) == dict(sorted(expected[x].items()))
    for y in G:
        assert controllers_of(G, y, threshold) == {
            x: expected[x][y] for x in sorted(G) if y in expected[x]
        }


@settings(max_examples=200, deadline=None)
@given(ownership_graphs())
def test_the_ultimate_parent_controls_the_entity(G):
    parents = ultimate_parents(G)
    for y, parent in parents.items():
        assert parent == y or controlled_by(G, parent).get(y) == "certain"
        # and nobody outside its own control cycle controls the parent
        for x, control in controllers_of(G, parent).items():
            assert control == "possible" or controlled_by(G, parent).get(x) == "certain"


@settings(max_examples=200, deadline=None)
@given(ownership_graphs())
def test_consolidation_paths_run_from_the_parent_through_its_subsidiaries(G):
    for y in G:
        parent = ultimate_parent(G, y)
        paths = consolidation_paths(G, y)
        assert paths, y
        assert paths == sorted(paths, key=lambda p: (len(p), p))
        if parent == y:
            assert paths == [[y]]
            continue
        controlled = {e for e, c in controlled_by(G, parent).items() if c == "certain"}
        for path in paths:
            assert path[0] == parent and path[-1] == y
            assert len(set(path)) == len(path)
            assert set(path[1:]) <= controlled
            assert all(G.has_edge(u, v) for u, v in zip(path, path[1:], strict=False))


@settings(max_examples=200, deadline=None)
@given(ownership_cases())
def test_what_is_certain_in_ranges_holds_for_the_realised_stakes(case):
    for x in case.exact:
        realised = set(controlled_by(case.exact, x))
        reported = controlled_by(case.reported, x)
        assert {y for y, c in reported.items() if c == "certain"} <= realised
        assert realised <= set(reported)  # what happened was possible
        # Exact stakes leave nothing merely possible.
        assert set(controlled_by(case.exact, x).values()) <= {"certain"}


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_results_do_not_depend_on_insertion_order(data):
    G = data.draw(ownership_graphs())
    H = data.draw(reordered(G))
    assert ultimate_parents(G) == ultimate_parents(H)
    assert list(ultimate_parents(G)) == list(ultimate_parents(H))
    assert control_cycles(G) == control_cycles(H)
    for x in G:
        assert controlled_by(G, x) == controlled_by(H, x)
        assert controllers_of(G, x) == controllers_of(H, x)
        assert consolidation_paths(G, x) == consolidation_paths(H, x)
        assert perimeter(G, x) == perimeter(H, x)


@settings(max_examples=100, deadline=None)
@given(ownership_graphs())
def test_perimeter_splits_what_the_entity_reaches(G):
    for x in G:
        found = perimeter(G, x)
        subs = {s["entity"]: s for s in found["subsidiaries"]}
        assert {e: s["control"] for e, s in subs.items()} == controlled_by(G, x)
        for item in found["affiliates"]:
            assert item["entity"] not in subs and item["entity"] != x
            assert item["high"] >= 0.2 - 1e-9
            assert item["influence"] == ("certain" if item["low"] >= 0.2 - 1e-9 else "possible")
        for item in found["subsidiaries"] + found["affiliates"]:
            assert 0.0 <= item["low"] <= item["high"] <= 1.0


@pytest.mark.parametrize("seed", range(3))
def test_a_larger_random_group_follows_the_definition(seed):
    G = random_group(seed, 150)
    expected = reference_parents(G)
    assert ultimate_parents(G) == expected
    assert control_cycles(G) == reference_cycles(G)
    assert sum(parent != y for y, parent in expected.items()) > 30  # not a trivial group


def test_deep_chains_are_followed_without_recursion():
    n = 50_000
    G = nx.DiGraph()
    for i in range(n - 1):
        G.add_edge(f"C{i:05d}", f"C{i + 1:05d}", low=0.6, high=0.6)
    G.add_edge("Z", "C00000", low=0.3, high=0.3)
    G.add_edge("Y", "C00000", low=0.3, high=0.3)  # a joint venture at the top of the chain
    parents = ultimate_parents(G)
    assert set(parents.values()) == {"C00000", "Y", "Z"}
    assert parents[f"C{n - 1:05d}"] == "C00000"
    assert ultimate_parent(G, f"C{n - 1:05d}") == "C00000"


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize("threshold", [-1, 100.5, float("nan"), True, "50", None])
def test_bad_thresholds_are_rejected(threshold):
    G = stakes(("P", "A", 0.6))
    for call in (
        lambda: controlled_by(G, "P", threshold),
        lambda: controllers_of(G, "A", threshold),
        lambda: ultimate_parent(G, "A", threshold),
        lambda: ultimate_parents(G, threshold),
        lambda: control_cycles(G, threshold),
        lambda: consolidation_paths(G, "A", threshold),
        lambda: perimeter(G, "P", threshold),
    ):
        with pytest.raises(InputError, match="threshold must be a percent"):
            call()


def test_bad_affiliate_minimum_is_rejected():
    G = stakes(("P", "A", 0.6))
    with pytest.raises(InputError, match="affiliate_min"):
        perimeter(G, "P", affiliate_min=120)


def test_unknown_entities_are_rejected():
    G = stakes(("P", "A", 0.6))
    for call in (controlled_by, controllers_of, ultimate_parent, consolidation_paths, perimeter):
        with pytest.raises(InputError, match="'Nobody' is not in the ownership graph"):
            call(G, "Nobody")


@pytest.mark.parametrize(
    "attrs",
    [
        {"low": 0.7, "high": 0.6},
        {"low": -0.2, "high": 0.6},
        {"low": 0.2, "high": 1.5},
        {"low": float("nan"), "high": 0.6},
        {"low": "0.2", "high": 0.6},
        {"low": 0.5, "high": 0.5, "high_exclusive": True},
        {"low": 0.5, "high": 0.6, "low_exclusive": 1},
        {"low": 0.5, "high": 0.6, "holding": None},
    ],
)
def test_bad_edges_are_rejected(attrs):
    G = stakes(("P", "A", 0.6))
    G.add_edge("A", "B", **attrs)
    for call in (
        lambda: ultimate_parents(G),
        lambda: control_cycles(G),
        lambda: ultimate_parent(G, "B"),
        lambda: controllers_of(G, "B"),
        lambda: controlled_by(G, "P"),
    ):
        with pytest.raises(InputError, match="edge 'A' -> 'B'"):
            call()


def test_numpy_numbers_and_integers_are_stakes_too():
    plain = stakes(("P", "A", 0.6), ("A", "B", 1.0), ("Q", "B", 0.0))
    plain.add_edge("B", "C", low=0.0, high=1.0, consolidated=True)
    other = nx.DiGraph()
    other.add_edge("P", "A", low=np.float64(0.6), high=np.float32(0.6))
    other.add_edge("A", "B", low=1, high=1)
    other.add_edge("Q", "B", low=0, high=np.int64(0))
    other.add_edge("B", "C", low=0, high=1, consolidated=np.bool_(True))
    assert (
        ultimate_parents(other)
        == ultimate_parents(plain)
        == dict.fromkeys("ABCP", "P") | {"Q": "Q"}
    )
    assert controllers_of(other, "C") == controllers_of(plain, "C")
    assert control_cycles(other) == []


def test_only_a_directed_graph_is_accepted():
    G = stakes(("P", "A", 0.6))
    with pytest.raises(InputError, match="DiGraph"):
        ultimate_parents(nx.Graph(G))
    with pytest.raises(InputError, match="DiGraph"):
        controlled_by(nx.MultiDiGraph(G), "P")


def test_reference_agrees_with_the_hand_worked_joint_control():
    # The reference itself, on the one group whose answer is written out above.
    G = stakes(("P", "A", 0.6), ("P", "B", 0.6), ("A", "C", 0.3), ("B", "C", 0.3))
    assert reference_controls(G)["P"] == {"A": "certain", "B": "certain", "C": "certain"}
    assert reference_parents(G) == {"A": "P", "B": "P", "C": "P", "P": "P"}
    assert math.isclose(sum(G[u]["C"]["low"] for u in "AB"), 0.6)
