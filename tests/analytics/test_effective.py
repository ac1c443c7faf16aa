"""Effective (look-through) ownership: hand-worked groups, invariants and bad input."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from groupkg.graph import GroupkgError, InputError, effective_ownership, effective_ownership_from
from groupkg.graph.analytics.integrated import integrated_ownership
from tests.registers import random_group
from tests.strategies import ownership_cases, ownership_graphs, reordered


def exact(*edges: tuple[str, str, float]) -> nx.DiGraph:
    G = nx.DiGraph()
    for u, v, f in edges:
        G.add_edge(u, v, low=f, high=f)
    return G


def close(pair: tuple[float, float], low: float, high: float | None = None) -> bool:
    high = low if high is None else high
    return math.isclose(pair[0], low, abs_tol=1e-12) and math.isclose(pair[1], high, abs_tol=1e-12)


# -- groups worked out by hand -----------------------------------------------------------


def test_chain_multiplies_the_stakes():
    G = exact(("P", "A", 0.6), ("A", "B", 0.5), ("B", "C", 0.4))
    assert close(effective_ownership(G, "P", "C"), 0.12)  # 0.6 * 0.5 * 0.4
    assert close(effective_ownership(G, "A", "C"), 0.2)  # 0.5 * 0.4
    assert effective_ownership(G, "C", "P") == (0.0, 0.0)  # nothing flows upwards


def test_diamond_adds_the_paths():
    G = exact(("P", "A", 0.6), ("P", "B", 0.3), ("A", "C", 0.5), ("B", "C", 0.4))
    assert close(effective_ownership(G, "P", "C"), 0.42)  # 0.6 * 0.5 + 0.3 * 0.4


def test_joint_holding_through_two_subsidiaries():
    G = exact(("P", "A", 0.6), ("P", "B", 0.6), ("A", "C", 0.3), ("B", "C", 0.3))
    assert close(effective_ownership(G, "P", "C"), 0.36)  # 2 * 0.6 * 0.3


@pytest.fixture
def cross() -> nx.DiGraph:
    """P holds 60% of X, Q 50% of Y, X 50% of Y and Y 40% of X."""
    return exact(("P", "X", 0.6), ("Q", "Y", 0.5), ("X", "Y", 0.5), ("Y", "X", 0.4))


def test_cross_holding_counts_every_walk_round_the_cycle(cross):
    # A turn X -> Y -> X keeps 0.5 * 0.4 = 0.2 of what enters X, so every stake
    # entering the cycle is multiplied by 1 / (1 - 0.2) = 1.25.
    assert close(effective_ownership(cross, "P", "X"), 0.75)  # 0.6 * 1.25
    assert close(effective_ownership(cross, "P", "Y"), 0.375)  # 0.6 * 0.5 * 1.25
    assert close(effective_ownership(cross, "Q", "Y"), 0.625)  # 0.5 * 1.25
    assert close(effective_ownership(cross, "Q", "X"), 0.25)  # 0.5 * 0.4 * 1.25
    # The ultimate owners P and Q share each company completely.
    for company in "XY":
        total = sum(effective_ownership(cross, o, company)[0] for o in "PQ")
        assert math.isclose(total, 1.0)


def test_owner_inside_a_cycle_does_not_count_its_own_return(cross):
    # X's walks to Y that do not pass X again: only the direct 50%. The raw
    # integrated matrix also counts X -> Y -> X -> Y ... and says 0.5 / 0.8.
    assert close(effective_ownership(cross, "X", "Y"), 0.5)
    assert close(effective_ownership(cross, "Y", "X"), 0.4)
    nodes, At = integrated_ownership(cross)
    i, j = nodes.index("X"), nodes.index("Y")
    assert math.isclose(At[i, j], 0.625)
    assert math.isclose(At[i, i], 0.25)  # 0.2 / 0.8
    assert math.isclose(At[i, j] / (1 + At[i, i]), 0.5)


def test_a_simple_path_sum_would_undercount_the_cross_holding(cross):
    simple = sum(
        math.prod(cross[u][v]["low"] for u, v in zip(p, p[1:], strict=False))
        for p in nx.all_simple_paths(cross, "P", "Y")
    )
    assert math.isclose(simple, 0.3)  # only P -> X -> Y
    assert effective_ownership(cross, "P", "Y")[0] > simple + 0.07


def test_closed_cycle_gives_the_whole_company():
    G = exact(("A", "B", 1.0), ("B", "A", 1.0), ("B", "C", 0.6))
    assert effective_ownership(G, "A", "B") == (1.0, 1.0)
    assert effective_ownership(G, "B", "A") == (1.0, 1.0)
    assert close(effective_ownership(G, "A", "C"), 0.6)  # A -> B -> C; back through A stops
    with pytest.raises(InputError, match="unbounded"):
        integrated_ownership(G)


def test_ranges_give_bounds():
    G = nx.DiGraph()
    G.add_edge("P", "A", low=0.3, high=0.4)
    G.add_edge("A", "B", low=0.5, high=0.75, low_exclusive=True)
    assert close(effective_ownership(G, "P", "B"), 0.15, 0.3)  # 0.3 * 0.5, 0.4 * 0.75
    assert close(effective_ownership(G, "A", "B"), 0.5, 0.75)  # the closure of (50, 75]


def test_upper_bound_leaves_other_holders_their_certain_stake():
    G = exact(("Q", "Y", 0.6))
    G.add_edge("X", "Y", low=0.1, high=1.0)
    # X cannot hold more than 100% - 60%.
    assert close(effective_ownership(G, "X", "Y"), 0.1, 0.4)
    G.add_edge("X", "Z")  # no bounds at all: unknown
    assert close(effective_ownership(G, "X", "Z"), 0.0, 1.0)


def test_unbounded_upper_bound_is_clamped_to_the_whole_company():
    G = nx.DiGraph()
    G.add_edge("P", "A")
    G.add_edge("P", "B")
    G.add_edge("A", "C")
    G.add_edge("B", "C")
    # Each unknown stake may be 100%: the walk sum of the upper bounds is 2.
    assert effective_ownership(G, "P", "C") == (0.0, 1.0)


def test_a_cycle_of_unknown_stakes_leaves_an_upper_bound_of_one():
    G = nx.DiGraph()
    G.add_edge("P", "B", low=0.0, high=0.5)
    G.add_edge("B", "C")
    G.add_edge("C", "B")
    G.add_edge("C", "D", low=0.2, high=0.2)
    # B and C may hold all of each other, so the upper bounds' walk sum diverges;
    # below it no stake is certain, so the lower bound is 0.
    assert effective_ownership_from(G, "P") == {
        "B": (0.0, 1.0),
        "C": (0.0, 1.0),
        "D": (0.0, 1.0),
    }


def test_a_self_contradicting_cycle_only_loosens_what_may_enter_it():
    # C and D claim 60% + 60% of B, and B holds 90% of each: round the cycle the
    # stakes multiply without end (0.6 * 0.9 + 0.6 * 0.9 = 1.08 per turn). P's
    # unknown stake in C may be the 10% B leaves, so only upper bounds enter.
    G = exact(("C", "B", 0.6), ("D", "B", 0.6), ("B", "C", 0.9), ("B", "D", 0.9))
    G.add_edge("P", "C")
    assert effective_ownership_from(G, "P") == {
        "B": (0.0, 1.0),
        "C": (0.0, 1.0),
        "D": (0.0, 1.0),
    }


def test_consolidation_without_a_known_stake():
    G = nx.DiGraph()
    G.add_edge("P", "A", low=0.0, high=1.0, consolidated=True, holding=False)
    G.add_edge("A", "B", low=1.0, high=1.0)
    assert effective_ownership(G, "P", "B") == (0.0, 1.0)


def test_treasury_self_loop_is_ignored():
    G = exact(("P", "A", 0.6), ("A", "A", 0.1))
    assert close(effective_ownership(G, "P", "A"), 0.6)
    G.add_edge("A", "A", low=7, high=-1)  # never read, so never rejected
    assert close(effective_ownership(G, "P", "A"), 0.6)
    nodes, At = integrated_ownership(G)
    assert At[nodes.index("A"), nodes.index("A")] == 0


def test_effective_ownership_from_lists_what_is_held():
    G = exact(("P", "A", 0.6), ("A", "B", 0.5), ("Q", "C", 0.5))
    G.add_edge("P", "D", low=0.0, high=0.0)
    found = effective_ownership_from(G, "P")
    assert list(found) == ["A", "B"]  # id order; C unrelated, D held 0%
    assert close(found["B"], 0.3)
    assert effective_ownership_from(G, "B") == {}


def test_single_target_agrees_with_all_targets(cross):
    for owner in cross:
        found = effective_ownership_from(cross, owner)
        for target in cross:
            if target != owner:
                assert effective_ownership(cross, owner, target) == found.get(target, (0.0, 0.0))


def test_integrated_ownership_of_the_upper_bounds():
    G = exact(("P", "A", 0.6))
    G.add_edge("A", "B", low=0.2, high=0.9)
    G.add_edge("Q", "B", low=0.3, high=0.3)
    nodes, At = integrated_ownership(G, weight="high")
    p, b = nodes.index("P"), nodes.index("B")
    assert math.isclose(At[p, b], 0.6 * 0.7)  # A's 90% capped at 100% - 30%


def test_integrated_ownership_of_an_empty_graph():
    nodes, At = integrated_ownership(nx.DiGraph())
    assert nodes == [] and At.shape == (0, 0)


def test_only_the_owners_part_of_a_large_graph_is_read():
    G = nx.DiGraph()
    for i in range(200_000):
        G.add_edge(f"F{i}", f"F{i + 1}", low=0.9, high=0.9)
    G.add_edge("F5", "F4", low=2.0, high=3.0)  # bad, but nothing of P's depends on it
    G.add_edge("P", "A", low=0.6, high=0.6)
    G.add_edge("A", "B", low=0.5, high=0.5)
    assert close(effective_ownership(G, "P", "B"), 0.3)
    with pytest.raises(InputError, match="'F5' -> 'F4'"):
        effective_ownership(G, "F0", "F9")


# -- invariants ------------------------------------------------------------------------


def path_sum(G: nx.DiGraph, owner: str, target: str) -> float:
    return sum(
        math.prod(G[u][v]["low"] for u, v in zip(p, p[1:], strict=False))
        for p in nx.all_simple_paths(G, owner, target)
    )


def matrix(G: nx.DiGraph, nodes: list[str]) -> np.ndarray:
    A = np.zeros((len(nodes), len(nodes)))
    for u, v, d in G.edges(data=True):
        if u != v:
            A[nodes.index(u), nodes.index(v)] = d["low"]
    return A


@settings(max_examples=150, deadline=None)
@given(ownership_cases(acyclic=True))
def test_on_acyclic_graphs_it_is_the_sum_over_paths(case):
    G = case.exact
    for owner in G:
        found = effective_ownership_from(G, owner)
        for target in G:
            if target == owner:
                continue
            expected = path_sum(G, owner, target)
            assert found.get(target, (0.0, 0.0)) == pytest.approx((expected, expected), abs=1e-9)


@settings(max_examples=150, deadline=None)
@given(ownership_cases(max_held=95))
def test_with_cross_holdings_it_is_the_brioschi_measure(case):
    # Every company keeps at least 5% outside its holders, so (I - A) is invertible.
    G = case.exact
    nodes = sorted(G)
    A = matrix(G, nodes)
    At = np.linalg.inv(np.eye(len(nodes)) - A) @ A
    _, computed = integrated_ownership(G)
    assert computed.toarray() == pytest.approx(At, abs=1e-9)
    for x, owner in enumerate(nodes):
        found = effective_ownership_from(G, owner)
        for y, target in enumerate(nodes):
            if x == y:
                continue
            expected = At[x, y] / (1 + At[x, x])
            assert expected <= 1 + 1e-12  # the measure itself never exceeds 100%
            assert found.get(target, (0.0, 0.0)) == pytest.approx((expected, expected), abs=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_a_large_group_with_cross_holdings_is_the_brioschi_measure(seed):
    # Large enough to be solved layer by layer rather than in one dense solve.
    n = 600
    G = random_group(seed, n, held=90, ranges=False, closing=0.05)
    nodes = list(G)
    assert not nx.is_directed_acyclic_graph(G)
    A = matrix(G, nodes)
    At = np.linalg.inv(np.eye(n) - A) @ A
    for x in (0, 1, 7):
        found = effective_ownership_from(G, nodes[x])
        assert len(found) > 256
        for y in range(n):
            if y != x:
                expected = At[x, y] / (1 + At[x, x])
                assert found.get(nodes[y], (0.0, 0.0)) == pytest.approx((expected, expected))


@settings(max_examples=100, deadline=None)
@given(ownership_cases(max_held=95))
def test_it_sums_the_walks_that_do_not_return_to_the_owner(case):
    G = case.exact
    nodes = sorted(G)
    A = matrix(G, nodes)
    for x, owner in enumerate(nodes):
        blocked = A.copy()
        blocked[:, x] = 0.0  # a walk that reaches the owner again is cut there
        walks, step = np.zeros(len(nodes)), np.eye(len(nodes))[x]
        for _ in range(2000):
            step = step @ blocked
            walks += step
            if step.max() < 1e-15:
                break
        found = effective_ownership_from(G, owner)
        for y, target in enumerate(nodes):
            if y != x:
                assert found.get(target, (0.0, 0.0))[0] == pytest.approx(walks[y], abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(ownership_cases(max_held=150))
def test_bounds_are_ordered_and_within_the_whole_company(case):
    for G in (case.exact, case.reported):
        for owner in G:
            for low, high in effective_ownership_from(G, owner).values():
                assert 0.0 <= low <= high <= 1.0


@settings(max_examples=200, deadline=None)
@given(ownership_cases())
def test_the_realised_stake_lies_between_the_bounds(case):
    for owner in case.exact:
        realised = effective_ownership_from(case.exact, owner)
        bounds = effective_ownership_from(case.reported, owner)
        for target, (value, _) in realised.items():
            low, high = bounds.get(target, (0.0, 0.0))
            assert low - 1e-9 <= value <= high + 1e-9


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_results_do_not_depend_on_insertion_order(data):
    G = data.draw(ownership_graphs())
    H = data.draw(reordered(G))
    for owner in G:
        assert effective_ownership_from(G, owner) == effective_ownership_from(H, owner)
    assert integrated_ownership(G)[0] == integrated_ownership(H)[0]


# -- bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("attrs", "message"),
    [
        ({"low": 0.6, "high": 0.4}, "low 0.6 is above high 0.4"),
        ({"low": -0.1, "high": 0.4}, r"low -0.1 is outside \[0, 1\]"),
        ({"low": 0.1, "high": 60}, "fractions, not percent"),
        ({"low": float("nan"), "high": 0.5}, "low must be a real number"),
        ({"low": "0.5", "high": 0.5}, "low must be a real number"),
        ({"low": True, "high": 1.0}, "low must be a real number"),
        ({"low": 0.5, "high": 0.5, "low_exclusive": True}, "empty"),
        ({"low": 0.5, "high": 0.6, "consolidated": "yes"}, "consolidated must be True or False"),
    ],
)
def test_bad_edges_are_rejected_with_the_edge_named(attrs, message):
    G = exact(("P", "A", 0.6))
    G.add_edge("A", "B", **attrs)
    with pytest.raises(InputError, match=message) as caught:
        effective_ownership(G, "P", "B")
    assert "'A' -> 'B'" in str(caught.value)
    with pytest.raises(InputError):
        effective_ownership_from(G, "P")
    with pytest.raises(InputError):
        integrated_ownership(G)


def test_unknown_entities_and_wrong_arguments_are_rejected():
    G = exact(("P", "A", 0.6))
    with pytest.raises(InputError, match="owner 'Nobody' is not in the ownership graph"):
        effective_ownership(G, "Nobody", "A")
    with pytest.raises(InputError, match="target 'Nobody'"):
        effective_ownership(G, "P", "Nobody")
    with pytest.raises(InputError, match="owner 'Nobody'"):
        effective_ownership_from(G, "Nobody")
    with pytest.raises(InputError, match="same entity"):
        effective_ownership(G, "P", "P")
    with pytest.raises(InputError, match="weight must be"):
        integrated_ownership(G, weight="percent")
    with pytest.raises(InputError, match="DiGraph"):
        effective_ownership(nx.Graph(G), "P", "A")
    with pytest.raises(InputError, match="DiGraph"):
        integrated_ownership(nx.MultiDiGraph(G))
    with pytest.raises(InputError, match="not in the ownership graph"):
        effective_ownership_from(G, ["unhashable"])


def test_input_errors_are_groupkg_errors():
    assert issubclass(InputError, GroupkgError)
