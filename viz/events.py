"""Events drawn on the views that span them: mergers as edges, splits and issues as notes.

A view spans an event when the event takes effect after the view's first day and on or
before its last: a before/after view spans the events effective in ``(before, after]``,
a state of a timeline those effective on its own day (the first day of the new state).

A merger is drawn as what it is: an edge of kind ``merger`` from each absorbed company
into the survivor, labelled with the day, and the absorbed company kept on the picture,
greyed, where the day it no longer exists would drop it. A stock split or an issue of
new shares is a note under the issuer's name ("1:200 split 2012-10-01"), with the
``noted`` style.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Collection
from dataclasses import replace

from groupkg.graph.facts.loader import load_dataset
from groupkg.graph.group import Group
from groupkg.graph.model import Event
from groupkg.graph.timemodel.timeline import effective_day
from groupkg.viz.model import LegendItem, View, ViewEdge, ViewNode

__all__ = ["MERGER_LEGEND", "NOTED_LEGEND", "draw_events", "events_between"]

MERGER_LEGEND = LegendItem("edge", "merger", "merged into (absorbed → survivor)")
NOTED_LEGEND = LegendItem("node", "noted", "stock split or share issue")


def _takes_part(event: Event, entities: Collection[str]) -> bool:
    named = [*event.participants, *event.absorbed, event.survivor, event.issuer]
    return any(entity in entities for entity in named if entity is not None)


def events_between(
    group: Group, entities: Collection[str], first: _dt.date, last: _dt.date
) -> list[tuple[_dt.date, Event]]:
    """The events of ``entities`` effective after ``first`` and on or before ``last``,
    by day then id.

    A group read from the cached model holds only the events of the entities it was
    asked about; the others' are read from the store, so that both draw the same.
    """
    known = {e.id: e for e in group.dataset.events}
    if not group.complete:
        for event in load_dataset(group.store, sorted(entities), own=True).events:
            known.setdefault(event.id, event)
    found = []
    for event in known.values():
        day = effective_day(event)
        if day is not None and first < day <= last and _takes_part(event, entities):
            found.append((day, event))
    return sorted(found, key=lambda pair: (pair[0], pair[1].id))


def _name(event: Event) -> str:
    return event.label or event.type


def _note(event: Event, day: _dt.date) -> str | None:
    """The note a split or an issue of new shares puts on its issuer, else None.

    >>> _note(Event("e", "StockSplit", issuer="i", split_ratio=200.0), _dt.date(2012, 10, 1))
    '1:200 split 2012-10-01'
    >>> _note(Event("e", "PublicOffering", issuer="i", new_shares=4_700_000), _dt.date(2013, 7, 18))
    '4,700,000 new shares 2013-07-18'
    """
    if event.issuer is None:
        return None
    if event.split_ratio:
        return f"1:{event.split_ratio:g} split {day.isoformat()}"
    if event.new_shares:
        return f"{event.new_shares:,} new shares {day.isoformat()}"
    return None


def _merger_edge(event: Event, day: _dt.date, absorbed: str, survivor: str) -> ViewEdge:
    return ViewEdge(
        id=f"{absorbed} merged into {survivor}",
        source=absorbed,
        target=survivor,
        label=f"merged into\n{day.isoformat()}",
        title=f"{_name(event)}\neffective {day.isoformat()}",
        kind="merger",
    )


def draw_events(
    view: View,
    events: list[tuple[_dt.date, Event]],
    absent: Callable[[str], ViewNode | None],
) -> View:
    """``view`` with ``events`` drawn on it (see the module's docstring).

    ``absent(entity)`` gives the greyed node of an absorbed company the view does not
    hold (None: leave the merger out); the new node keeps the place ``view`` has none
    for, so callers give it its x/y.
    """
    nodes = {n.id: n for n in view.nodes}
    edges = {e.id: e for e in view.edges}
    legend = list(view.legend)
    for day, event in events:
        note = _note(event, day)
        if note is not None and event.issuer in nodes:
            issuer = nodes[event.issuer]
            nodes[issuer.id] = replace(issuer, notes=(*issuer.notes, note))
            if NOTED_LEGEND not in legend:
                legend.append(NOTED_LEGEND)
        if event.survivor is None or event.survivor not in nodes:
            continue
        for absorbed in event.absorbed:
            if absorbed not in nodes and (shown := absent(absorbed)) is not None:
                nodes[absorbed] = shown
            if absorbed in nodes:
                edge = _merger_edge(event, day, absorbed, event.survivor)
                edges[edge.id] = edge
                if MERGER_LEGEND not in legend:
                    legend.append(MERGER_LEGEND)
    return replace(
        view,
        nodes=sorted(nodes.values(), key=lambda n: n.id),
        edges=sorted(edges.values(), key=lambda e: e.id),
        legend=legend,
    )
