"""The views of a group: on one day, before and after, and over time.

The functions here only arrange what the core computed (snapshots, control,
consolidation paths, diffs) into the :class:`~groupkg.viz.model.View` of a picture,
with its text, style classes and place in a top-down chart.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import networkx as nx

from groupkg.graph.analytics.parents import ultimate_parents
from groupkg.graph.dates import Day, as_day
from groupkg.graph.errors import InputError
from groupkg.graph.group import Group
from groupkg.graph.timemodel.diff import GroupDiff, diff_snapshots, group_members
from groupkg.graph.timemodel.stakes import Snapshot, Stake
from groupkg.viz.detail import control_tree
from groupkg.viz.events import draw_events, events_between
from groupkg.viz.labels import arrange
from groupkg.viz.layout import hierarchy_levels, positions
from groupkg.viz.model import LegendItem, TimelineViews, View, ViewEdge, ViewNode
from groupkg.viz.text import KIND_NAMES, entity_tooltip, stake_label, stake_tooltip

__all__ = ["view_at", "view_diff", "view_timeline"]


# -- one day -------------------------------------------------------------------------


@dataclass
class _Day:
    """The ownership graph of one day within the entities shown, and who controls whom."""

    snapshot: Snapshot
    graph: nx.DiGraph
    parent: dict[str, str]  # entity -> its ultimate parent (itself when uncontrolled)
    tops: set[str] = field(init=False)  # the ultimate parents of someone

    def __post_init__(self) -> None:
        self.tops = {p for n, p in self.parent.items() if p != n}


def _day(
    group: Group, day: _dt.date, members: set[str] | None, snap: Snapshot | None = None
) -> _Day:
    snap = group.snapshot(day) if snap is None else snap
    full = snap.graph()
    keep = full.nodes if members is None else [n for n in full if n in members]
    graph = full.subgraph(keep).copy()
    # Control as the core reckons it: buckets of unnamed holders control nobody.
    named = snap.graph(unnamed=False)
    named = named.subgraph(n for n in named if n in graph).copy()
    parent = {n: n for n in graph} | ultimate_parents(named, threshold=group.threshold)
    return _Day(snap, graph, parent)


def _root_members(group: Group, days: list[_dt.date], root: str) -> set[str]:
    """The entities connected to ``root`` by holdings on any of ``days``."""
    found = {root}
    for day in days:
        graph = group.snapshot(day).graph()
        if root in graph:
            found |= nx.node_connected_component(graph.to_undirected(as_view=True), root)
    return found


def _kind(group: Group, entity_id: str, day: _Day) -> str:
    entity = group.dataset.entities.get(entity_id)
    if not day.snapshot.active(entity_id):
        return "dissolved"
    if entity is not None and entity.kind in ("person", "unnamed"):
        return entity.kind
    if entity is not None and entity.listed:
        return "listed"
    if day.parent.get(entity_id, entity_id) != entity_id:
        return "subsidiary"
    return "company"


def _node(
    group: Group, entity_id: str, day: _Day, change: str | None = None, on_path: bool = False
) -> ViewNode:
    kind = _kind(group, entity_id, day)
    parent = day.parent.get(entity_id)
    tooltip = entity_tooltip(group, entity_id, day.snapshot.day, kind, parent)
    return ViewNode(
        id=entity_id,
        label=group.dataset.ref(entity_id).name,
        title="\n".join(tooltip),
        kind=kind,
        ultimate_parent=entity_id in day.tops,
        change=change,
        on_path=on_path,
    )


def _edge(
    group: Group, stake: Stake, day: _dt.date, change: str | None = None, on_path: bool = False
) -> ViewEdge:
    return ViewEdge(
        id=f"{stake.owner} -> {stake.owned}",
        source=stake.owner,
        target=stake.owned,
        label=stake_label(stake),
        title="\n".join(stake_tooltip(group, stake, day)),
        kind="holding" if stake.holding else "consolidation",
        change=change,
        on_path=on_path,
    )


def _placed(nodes: list[ViewNode], graph: nx.DiGraph, tops: set[str]) -> list[ViewNode]:
    """Nodes with their level and x/y in a top-down chart, in a stable order."""
    chart = nx.DiGraph()
    chart.add_nodes_from(n.id for n in nodes)
    chart.add_edges_from(
        (u, v, {"high": d.get("high", 1.0)})
        for u, v, d in graph.edges(data=True)
        if u in chart and v in chart
    )
    labels = {n.id: n.label for n in nodes}
    levels = hierarchy_levels(chart, tops)
    xy = positions(chart, levels, sort_key=lambda n: (labels[n].casefold(), n))
    return sorted(
        (replace(n, level=levels[n.id], x=xy[n.id][0], y=xy[n.id][1]) for n in nodes),
        key=lambda n: n.id,
    )


def _kind_legend(nodes: list[ViewNode], edges: list[ViewEdge]) -> list[LegendItem]:
    items = [
        LegendItem("node", kind, KIND_NAMES[kind])
        for kind in KIND_NAMES
        if any(n.kind == kind for n in nodes)
    ]
    if any(n.ultimate_parent for n in nodes):
        items.append(LegendItem("node", "ultimate-parent", "ultimate parent"))
    items.append(LegendItem("edge", "holding", "holding: percent, shares"))
    if any(e.kind == "consolidation" for e in edges):
        items.append(LegendItem("edge", "consolidation", "reported consolidation"))
    return items


def _resolve(group: Group, name: str | None) -> str | None:
    return group.resolve(name) if name else None


# -- the views ------------------------------------------------------------------------


def view_at(group: Group, day: Day, root: str | None = None, path_to: str | None = None) -> View:
    """The group on ``day``: every active entity and holding, ultimate parents on top.

    ``day`` is any day :func:`~groupkg.graph.dates.as_day` reads (an ISO string, a
    date...). ``root`` (a name) keeps only the entities connected to it by holdings.
    ``path_to`` (a name) highlights the consolidation paths from its ultimate parent
    down to it; without ``root`` the picture is then the group around that entity.
    """
    day = as_day(day)
    target = _resolve(group, path_to)
    root_id = _resolve(group, root) or target
    view, state = _at(group, day, root_id, target)
    view.nodes = _placed(view.nodes, state.graph, state.tops)
    view.tree = control_tree(state.graph, state.parent, {n.id: n.level for n in view.nodes})
    return arrange([view])[0]


def _at(group: Group, day: _dt.date, root_id: str | None, target: str | None) -> tuple[View, _Day]:
    members = _root_members(group, [day], root_id) if root_id else None
    state = _day(group, day, members)
    path_nodes: set[str] = set()
    path_edges: set[tuple[str, str]] = set()
    notes: list[str] = []
    if target is not None:
        name = group.dataset.ref(target).name
        if not state.snapshot.active(target):
            raise InputError(f"{name} is not active on {day.isoformat()}: no consolidation paths")
        if target not in state.graph:
            raise InputError(
                f"{name} is not in the {group.dataset.ref(root_id or target).name} group "
                f"on {day.isoformat()}"
            )
        found = group.consolidation_paths(state.snapshot, target)
        path_nodes = {target, *(n for path in found for n in path)}
        path_edges = {(a, b) for path in found for a, b in zip(path, path[1:], strict=False)}
        top = state.parent[target]
        notes.append(
            f"nobody controls {name} on {day.isoformat()}"
            if top == target
            else f"{len(found)} consolidation path(s) from {group.dataset.ref(top).name} to {name}"
        )
    ids = sorted(state.graph.nodes) if members is None else sorted(members)
    group.describe(ids)
    nodes = [_node(group, n, state, on_path=n in path_nodes) for n in ids]
    edges = sorted(
        (
            _edge(group, data["stake"], day, on_path=(u, v) in path_edges)
            for u, v, data in state.graph.edges(data=True)
        ),
        key=lambda e: e.id,
    )
    legend = _kind_legend(nodes, edges)
    if target is not None:
        legend.append(LegendItem("edge", "path", "consolidation path"))
    if target is not None:
        where = f"Consolidation paths to {group.dataset.ref(target).name}"
    elif root_id is not None:
        where = f"{group.dataset.ref(root_id).name} group"
    else:
        where = "Ownership"
    view = View(f"{where} on {day.isoformat()}", nodes, edges, legend, notes, day)
    return view, state


def view_diff(group: Group, before: Day, after: Day, root: str | None = None) -> View:
    """One picture of what changed from ``before`` to ``after`` (days as
    :func:`~groupkg.graph.dates.as_day` reads them).

    Holdings added, removed and changed, and entities that began or ended, are
    styled by ``change``; a changed holding is labelled ``before → after``.
    """
    before, after = as_day(before, "before"), as_day(after, "after")
    if before >= after:
        raise InputError(f"the day before ({before}) must be earlier than the day after ({after})")
    root_id = _resolve(group, root)
    old_snap, new_snap = group.pair(before, after)
    members = group_members(old_snap, new_snap, root_id) if root_id else None
    old = _day(group, before, members, old_snap)
    new = _day(group, after, members, new_snap)
    found = diff_snapshots(old_snap, new_snap, members)
    began, ended = set(found.began), set(found.ended)
    group.describe(sorted(set(old.graph) | set(new.graph) | began | ended))

    nodes = [
        _node(group, n, new, change="began" if n in began else "ended" if n in ended else None)
        for n in sorted(set(old.graph) | set(new.graph) | began | ended)
    ]
    edges = _diff_edges(group, found, old, new)

    controlled = {n for n, p in new.parent.items() if p != n}
    legend = [
        LegendItem("edge", "added", "holding added"),
        LegendItem("edge", "removed", "holding removed"),
        LegendItem("edge", "changed", "holding changed (before → after)"),
        LegendItem("node", "began", "entity began"),
        LegendItem("node", "ended", "entity ended"),
        *_kind_legend(nodes, edges),
    ]
    counts = (
        f"{len(found.added)} added, {len(found.removed)} removed, "
        f"{len(found.changed)} changed holdings; {len(began)} began, {len(ended)} ended"
    )
    where = f"{group.dataset.ref(root_id).name} group: " if root_id else ""
    view = View(
        title=f"{where}changes from {before.isoformat()} to {after.isoformat()}",
        nodes=nodes,
        edges=edges,
        legend=legend,
        notes=[counts],
        day=after,
    )
    spanned = events_between(group, [n.id for n in nodes], before, after)
    view = draw_events(view, spanned, _absent(group, new, members))
    tops = new.tops | (old.tops - controlled)
    both = nx.compose(old.graph, new.graph)
    view.nodes = _placed(view.nodes, both, tops)
    view.tree = control_tree(both, old.parent | new.parent, {n.id: n.level for n in view.nodes})
    return arrange([view])[0]


def _absent(group: Group, day: _Day, members: set[str] | None) -> Callable[[str], ViewNode | None]:
    """The greyed node of an absorbed company a view of ``day`` does not hold, if it
    belongs to the view's ``members`` (None: every entity does)."""

    def node(entity_id: str) -> ViewNode | None:
        if members is not None and entity_id not in members:
            return None
        group.describe([entity_id])
        return _node(group, entity_id, day)

    return node


def _drawn(day: _Day, stake: Stake) -> Stake:
    """The stake a day's picture draws for the pair ``stake`` is one of.

    A pair can hold stakes of several interests (shares and a reported
    consolidation); the picture draws one edge per pair, the snapshot graph's.
    """
    data = day.graph.get_edge_data(stake.owner, stake.owned)
    return stake if data is None else data["stake"]


def _diff_edges(group: Group, found: GroupDiff, old: _Day, new: _Day) -> list[ViewEdge]:
    """One edge per pair: changed, else added, else removed, else as it is after."""
    before, after = old.snapshot.day, new.snapshot.day
    edges: dict[str, ViewEdge] = {}
    for was, now in found.changed:
        edge = _edge(group, now, after, change="changed")
        old_label = stake_label(was).replace("\n", ", ")
        before_text = "\n".join(stake_tooltip(group, was, before))
        edges.setdefault(
            edge.id,
            replace(
                edge,
                label=f"{old_label} →\n{edge.label}",
                title=f"before:\n{before_text}\n\nafter:\n{edge.title}",
            ),
        )
    for stake in found.added:
        edge = _edge(group, _drawn(new, stake), after, change="added")
        edges.setdefault(edge.id, edge)
    for stake in found.removed:
        edge = _edge(group, _drawn(old, stake), before, change="removed")
        edges.setdefault(edge.id, edge)
    for _u, _v, data in new.graph.edges(data=True):
        edge = _edge(group, data["stake"], after)
        edges.setdefault(edge.id, edge)
    return sorted(edges.values(), key=lambda e: e.id)


def _event_day(group: Group, event_id: str) -> _dt.date:
    return group.event_days(event_id)[1]


def view_timeline(group: Group, root: str | None = None) -> TimelineViews:
    """The group's state on every day it changes (see below), one layout for all.

    The days are the first day with a recorded holding, every event's effective day,
    and every other day on which a recorded holding starts or ends or an entity
    begins or ends.

    Every state uses the same positions (from all the days together), so stepping
    through the timeline moves nothing that did not change.
    """
    days = group.change_days()
    if not days:
        raise InputError("the group has no dated holdings or events to make a timeline of")
    root_id = _resolve(group, root)
    captions: dict[_dt.date, list[str]] = {}
    for event in group.dated_events():
        captions.setdefault(_event_day(group, event.id), []).append(event.label or event.type)
    states = [_at(group, day, root_id, None) for day in days]

    union = nx.DiGraph()
    tops: set[str] = set()
    controlled: set[str] = set()
    labels: dict[str, str] = {}
    for view, state in states:
        union = nx.compose(union, state.graph)
        union.add_nodes_from(n.id for n in view.nodes)
        tops |= state.tops
        controlled |= {n for n, p in state.parent.items() if p != n}
        labels |= {n.id: n.label for n in view.nodes}
    levels = hierarchy_levels(union, tops - controlled or tops)
    xy = positions(union, levels, sort_key=lambda n: (labels[n].casefold(), n))

    result = TimelineViews()
    result.title = f"{group.dataset.ref(root_id).name} group" if root_id else "Ownership"
    result.title += f" from {days[0].isoformat()} to {days[-1].isoformat()}"
    for day, (view, state) in zip(days, states, strict=True):
        drawn = [n.id for n in view.nodes]
        spanned = events_between(group, drawn, day - _dt.timedelta(days=1), day)
        view = draw_events(view, spanned, _absent(group, state, set(levels)))
        view.nodes = [
            replace(n, level=levels[n.id], x=xy[n.id][0], y=xy[n.id][1])
            for n in view.nodes
            if n.id in levels
        ]
        view.edges = [e for e in view.edges if e.source in levels and e.target in levels]
        events = sorted(captions.get(day, []))
        if events:
            view.notes.append("events: " + "; ".join(events))
        else:
            view.notes.append("first recorded holdings" if day == days[0] else "recorded change")
        result.append((day, view))
    placed = arrange([view for _, view in result])
    result[:] = [(day, view) for (day, _), view in zip(result, placed, strict=True)]
    return result
