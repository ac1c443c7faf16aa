"""Label placement (groupkg.viz.labels): given the sizes of the words, no box overlaps."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from itertools import combinations

from groupkg.viz import view_diff
from groupkg.viz.labels import arrange, edge_label_box, node_box
from groupkg.viz.model import View, ViewEdge, ViewNode


def boxes(view: View):
    where = {n.id: (n.x, n.y) for n in view.nodes}
    nodes = {n.id: node_box(n) for n in view.nodes}
    labels = {e.id: edge_label_box(e, where[e.source], where[e.target]) for e in view.edges}
    return nodes, labels


def overlaps(view: View) -> list[tuple[str, str]]:
    nodes, labels = boxes(view)
    found = [(a, b) for (a, x), (b, y) in combinations(labels.items(), 2) if x.meets(y)]
    found += [(a, n) for a, x in labels.items() for n, y in nodes.items() if x.meets(y)]
    found += [(a, b) for (a, x), (b, y) in combinations(nodes.items(), 2) if x.meets(y)]
    return found


def fan(children: int, gap: float) -> View:
    """A parent over ``children`` subsidiaries ``gap`` apart, each edge with a long label."""
    nodes = [ViewNode("p", "Parent", "", "listed", x=0.0, y=0.0)]
    edges = []
    for i in range(children):
        x = (i - (children - 1) / 2) * gap
        nodes.append(ViewNode(f"c{i}", f"Child {i}", "", "subsidiary", level=1, x=x, y=170.0))
        edges.append(ViewEdge(f"p -> c{i}", "p", f"c{i}", "99.9%\n3,996 shares", ""))
    return View("fan", nodes, edges)


def test_sibling_labels_that_would_overlap_are_moved_apart():
    view = fan(6, 110.0)
    assert overlaps(view), "the test needs a picture that overlaps to begin with"
    (placed,) = arrange([view])
    assert overlaps(placed) == []


def test_a_label_over_a_node_between_levels_bends_its_edge():
    nodes = [
        ViewNode("top", "Holder", "", "person", level=-1, x=0.0, y=0.0),
        ViewNode("mid", "Internet Initiative Japan Inc.", "", "listed", level=0, x=0.0, y=170.0),
        ViewNode("low", "Subsidiary", "", "subsidiary", level=1, x=0.0, y=340.0),
    ]
    edges = [
        ViewEdge("top -> low", "top", "low", "3.86%", ""),
        ViewEdge("top -> mid", "top", "mid", "55%", ""),
        ViewEdge("mid -> low", "mid", "low", "100%", ""),
    ]
    view = View("through", nodes, edges)
    assert ("top -> low", "mid") in overlaps(view)
    (placed,) = arrange([view])
    assert overlaps(placed) == []
    assert placed.edge("top", "low").bend != 0
    assert placed.edge("top", "mid").bend == 0  # a label already clear stays in the middle


def test_placement_is_the_same_every_time():
    view = fan(9, 120.0)
    assert arrange([view]) == arrange([view])


def test_states_of_a_timeline_share_one_widening():
    crowded, sparse = fan(8, 60.0), fan(2, 60.0)
    first, second = arrange([crowded, sparse])
    assert overlaps(first) == [] and overlaps(second) == []
    factor = first.node("c7").x / crowded.node("c7").x
    assert factor > 1
    assert second.node("c1").x == round(sparse.node("c1").x * factor, 2)


def test_before_after_draws_one_edge_per_pair(iij):
    """Regression: IIJ held IIJ Exlayer by shares and by a reported consolidation; both
    ended on 2014-01-01, and the page's edge ids clashed, so it drew no edges at all."""
    view = view_diff(iij, dt.date(2013, 12, 31), dt.date(2014, 1, 1))
    ids = Counter(e.id for e in view.edges)
    assert [i for i, n in ids.items() if n > 1] == []
    exlayer = next(
        e for e in view.edges if e.target.endswith("/iij-exlayer") and e.source.endswith("/iij")
    )
    assert exlayer.change == "removed" and exlayer.label == "99.9%\n3,996 shares"
