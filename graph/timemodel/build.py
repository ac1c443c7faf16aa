"""The columns of a register (:mod:`~groupkg.graph.timemodel.columns`), from a time model.

Always built by the one time model: the facts of a store are read by
:func:`~groupkg.graph.facts.loader.load_dataset`, those of N-Triples files by
:func:`~groupkg.graph.facts.ntfacts.ntriples_facts` (the same facts), and laid out by a
:class:`~groupkg.graph.timemodel.timeline.Timeline`, whose spans
:func:`timeline_columns` turns into rows, as they are. A holding given as a share
count is cut at every day its percentage may change (issued shares observed, splits,
issuances), each part with the percentage the time model derives for it. Reported
ultimate parents are kept apart (``up_*`` columns) for
``Register.completed_parents_at``.
"""

from __future__ import annotations

import datetime as _dt
import os
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING, Any

import numpy as np

from groupkg.graph.model import local_id
from groupkg.graph.timemodel.columns import (
    CONSOLIDATED,
    HIGH_EXCLUSIVE,
    HOLDING,
    KNOWN,
    LOW_EXCLUSIVE,
    OPEN_END,
    OPEN_START,
    ROW_COLUMNS,
    UNNAMED,
    index_rows,
)
from groupkg.graph.timemodel.provenance import Provenance
from groupkg.graph.timemodel.spanstake import span_stake

if TYPE_CHECKING:
    from groupkg.graph.model import Dataset
    from groupkg.graph.timemodel.stakes import Span, Stake
    from groupkg.graph.timemodel.timeline import Timeline

__all__ = ["timeline_columns", "ntriples_dataset"]


class _Rows:
    """Spans being collected: parallel lists, then arrays."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in ROW_COLUMNS}

    def add(self, *values: Any) -> None:
        for name, value in zip(ROW_COLUMNS, values, strict=True):
            self.columns[name].append(value)


class _Entities:
    """Entities in the order they are met, each with its place in that order."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.index: dict[str, int] = {}

    def place(self, entity: str) -> int:
        found = self.index.get(entity)
        if found is None:
            found = self.index[entity] = len(self.ids)
            self.ids.append(entity)
        return found


def timeline_columns(
    timeline: Timeline, provenance: bool = True
) -> tuple[dict[str, np.ndarray], Provenance | None]:
    """The arrays of the register of a :class:`~groupkg.graph.timemodel.timeline.Timeline`:
    its spans, as they are.

    With ``provenance``, each row keeps the time model's stake (sources, basis,
    status, assumptions, share count), and the reported relations other than direct
    consolidations are kept, so ``Register.snapshot`` can answer for a day; the
    entities' names are indexed too.
    """
    dataset = timeline.dataset
    met = _Entities()
    born, ended = {}, {}
    for entity, (start, end) in timeline.lifetimes.items():
        met.place(entity)
        if start is not None:
            born[entity] = start.toordinal()
        if end is not None:
            ended[entity] = end.toordinal()
    rows = _Rows()
    reported: list[tuple[int, int, int, int]] = []
    reported_spans: list[Span] = []
    stakes: list[Stake] = []
    for span in timeline.spans:
        relation = span.relation
        if relation is not None and relation.kind != "direct":
            # Reported, not a stake: kept for the day's snapshots (and ultimate
            # parents for the whole register).
            reported_spans.append(span)
            if relation.kind == "ultimate":
                reported.append((
                    met.place(relation.child), met.place(relation.parent),
                    span.start.toordinal() if span.start else OPEN_START,
                    span.end.toordinal() if span.end else OPEN_END,
                ))  # fmt: skip
            continue
        owner, owned = met.place(span.owner), met.place(span.owned)
        for start, end, stake in _segments(timeline, span):
            flags = HOLDING if stake.holding else 0
            if stake.percent is None:
                flags |= LOW_EXCLUSIVE if stake.min_exclusive else 0
                flags |= HIGH_EXCLUSIVE if stake.max_exclusive else 0
            flags |= CONSOLIDATED if stake.consolidated else 0
            rows.add(owner, owned, start, end, stake.low, stake.high, flags, stake.interest,
                     len(stakes))  # fmt: skip
            stakes.append(stake)
    unnamed = [e.id for e in dataset.entities.values() if e.kind == "unnamed"]
    arrays, ids, position = _columns(met, born, ended, timeline.lifetimes, unnamed, rows, reported)
    if not provenance:
        return arrays, None

    def position_of(entity: str) -> int:
        found = met.index.get(entity)
        return -1 if found is None else int(position[found])

    arrays.update({
        "rep_child": np.array([position_of(s.owned) for s in reported_spans], dtype=np.int32),
        "rep_start": np.array([s.start.toordinal() if s.start else OPEN_START
                               for s in reported_spans], dtype=np.int32),
        "rep_end": np.array([s.end.toordinal() if s.end else OPEN_END
                             for s in reported_spans], dtype=np.int32),
    })  # fmt: skip
    from groupkg.graph.facts.namekeys import Candidate
    from groupkg.graph.timemodel.nameindex import build

    entities = [dataset.entities.get(i) for i in ids]
    arrays.update(build(Candidate.of(e) if e else None for e in entities))
    return arrays, Provenance(
        stakes=stakes,
        reported=reported_spans,
        entities=[
            (e.label, e.kind) if e else (local_id(i), "")
            for e, i in zip(entities, ids, strict=True)
        ],
        records=[(e, timeline.issued_history(i)) for e, i in zip(entities, ids, strict=True)],
        sources=dict(dataset.sources),
        assumed_ends=timeline.assumed_ends,
    )


def _columns(
    met: _Entities,
    born: dict[str, int],
    ended: dict[str, int],
    known: Iterable[str],
    unnamed: Iterable[str],
    rows: _Rows,
    reported: Iterable[tuple[int, int, int, int]],
) -> tuple[dict[str, np.ndarray], list[str], np.ndarray]:
    """Arrays from entities and rows whose ``owner``/``owned`` are places in ``met``,
    renumbered so ids come in sorted order; the sorted ids, and the new position of
    each place."""
    ids, index = met.ids, met.index
    order = sorted(range(len(ids)), key=ids.__getitem__)
    position = np.empty(len(ids), dtype=np.int64)
    position[np.array(order, dtype=np.int64)] = np.arange(len(ids))
    sorted_ids = [ids[i] for i in order]
    n = len(sorted_ids)
    kinds = np.zeros(n, dtype=np.uint8)
    for flag, members in ((KNOWN, known), (UNNAMED, unnamed)):
        found = np.fromiter((index[e] for e in members if e in index), dtype=np.int64)
        kinds[position[found]] |= flag
    columns = rows.columns
    owner = position[np.array(columns["owner"], dtype=np.int64)].astype(np.int32)
    owned = position[np.array(columns["owned"], dtype=np.int64)].astype(np.int32)
    start = np.array(columns["start"], dtype=np.int32)
    end = np.array(columns["end"], dtype=np.int32)
    low = np.array(columns["low"], dtype=np.float64)
    high = np.array(columns["high"], dtype=np.float64)
    flags = np.array(columns["flags"], dtype=np.uint8)
    names = sorted(set(columns["kind"]))
    kind = np.array([names.index(k) for k in columns["kind"]], dtype=np.uint8)
    # One canonical order, so two ways of building the same register give equal arrays.
    origin = np.array(columns["origin"], dtype=np.int32)
    order_rows = np.lexsort((origin, kind, flags, high, low, end, start, owner, owned))
    arrays = {
        "ids": np.array([e.encode() for e in sorted_ids], dtype=bytes)
        if n
        else np.zeros(0, dtype="S1"),
        "born": np.array([born.get(e, OPEN_START) for e in sorted_ids], dtype=np.int32),
        "ended": np.array([ended.get(e, OPEN_END) for e in sorted_ids], dtype=np.int32),
        "kinds": kinds,
        "owner": owner[order_rows],
        "owned": owned[order_rows],
        "start": start[order_rows],
        "end": end[order_rows],
        "low": low[order_rows],
        "high": high[order_rows],
        "flags": flags[order_rows],
        "kind": kind[order_rows],
        # The time model's stake of each row: its position in ``Register.stakes``.
        "origin": origin[order_rows],
        # Reported ultimate parents (child, parent, start, end), child positions sorted.
        **_reported_columns(reported, position),
        "interests": np.array([k.encode() for k in names], dtype=bytes)
        if names
        else np.zeros(0, dtype="S1"),
    }
    index_rows(arrays, n)
    return arrays, sorted_ids, position


def _segments(timeline: Timeline, span: Span) -> Iterator[tuple[int, int, Stake]]:
    """``(start, end, stake)`` for the parts of a span over which its stake stays the
    same: a holding given as a share count is cut at every day the owned entity's
    issued shares may change (its percentage is derived from them)."""
    start = span.start.toordinal() if span.start else OPEN_START
    end = span.end.toordinal() if span.end else OPEN_END
    if span.holding is None or span.holding.shares is None:
        cuts = []
    else:
        cuts = [d.toordinal() for d in timeline.share_days(span.owned)]
    bounds = [start, *(c for c in cuts if start < c < end), end]
    for first, last in zip(bounds, bounds[1:], strict=False):
        # The day the stake is read on: the part's first day; for an open start, the
        # day before its end (or any day, for a span open at both ends).
        if first != OPEN_START:
            day = first
        elif last != OPEN_END:
            day = last - 1
        else:
            day = _dt.date.today().toordinal()
        yield first, last, span_stake(timeline, span, _dt.date.fromordinal(day))


def _reported_columns(
    reported: Iterable[tuple[int, int, int, int]], position: np.ndarray
) -> dict[str, np.ndarray]:
    found = np.array(list(reported), dtype=np.int64).reshape(-1, 4)
    child, parent = position[found[:, 0]], position[found[:, 1]]
    order = np.lexsort((found[:, 2], parent, child))
    return {
        "up_child": child[order].astype(np.int32),
        "up_parent": parent[order].astype(np.int32),
        "up_start": found[order, 2].astype(np.int32),
        "up_end": found[order, 3].astype(np.int32),
    }


def ntriples_dataset(
    paths: Iterable[str | os.PathLike[str]],
    progress: Callable[[int], None] | None = None,
) -> Dataset:
    """The facts of N-Triples files, read in one streaming pass
    (:func:`~groupkg.graph.facts.ntfacts.ntriples_facts`); ``progress`` is called with
    the triples read after each file."""
    from groupkg.graph.facts.ntfacts import ntriples_facts

    return ntriples_facts(paths, progress=progress)
