"""Knowledge time: which records are visible as known on a day, and which events are
scheduled.

Every fact node (a holding, a reported relation, an event, an observation) is a record
of what a source said; it became known on its ``known_from`` day (``gk:knownFrom``,
else the latest date of the sources it cites; None when not recorded, see
:mod:`groupkg.graph.facts.loader`). A record may correct others (``gk:supersedes``)
from its own ``known_from`` on; the corrected records are kept, never deleted.

As known on a day ``K``, a record is *visible* when it was known by then (or its
knowledge time is not recorded) and no record known by then supersedes it. Without a
day (``K`` None: everything known), the visible records are those nothing supersedes.
An entity is visible at every ``K`` unless its own record says when it became known.
:func:`visible` is the one place that decides it; the time model is built from what it
keeps.

An event known only before the day it takes effect is *scheduled*: announced, not
confirmed by a source dated on or after it. Its status says so (``"scheduled"``
instead of ``"stated"``).

Examples
--------
Record ``b`` (known 2020-02-01) corrects ``a`` (known 2020-01-01):

>>> from datetime import date
>>> from groupkg.graph.model import Dataset, Entity, Holding
>>> a = Holding("a", "p", "s", 40.0, known_from=date(2020, 1, 1))
>>> b = Holding("b", "p", "s", 45.0, known_from=date(2020, 2, 1), supersedes=["a"])
>>> facts = Dataset({e: Entity(e, e) for e in "ps"}, [a, b])
>>> [h.id for h in visible(facts, date(2019, 12, 31)).holdings]
[]
>>> [h.id for h in visible(facts, date(2020, 1, 15)).holdings]
['a']
>>> [h.id for h in visible(facts, None).holdings]
['b']
>>> known_days(facts), settled(known_days(facts), date(2030, 1, 1))
([datetime.date(2020, 1, 1), datetime.date(2020, 2, 1)], None)
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from collections.abc import Iterable, Sequence
from typing import Literal, Protocol, TypeVar

from groupkg.graph.model import Dataset, Entity, Event

__all__ = ["known_days", "record_visible", "scheduled", "settled", "superseded_from", "visible"]


class _Record(Protocol):
    id: str
    known_from: _dt.date | None
    supersedes: list[str]


RecordT = TypeVar("RecordT", bound=_Record)


def _records(dataset: Dataset) -> Iterable[_Record]:
    yield from dataset.holdings
    yield from dataset.relations
    yield from dataset.events
    yield from dataset.observations


def superseded_from(dataset: Dataset) -> dict[str, _dt.date | None]:
    """Record id -> the first day a record superseding it is known (None: a superseding
    record whose knowledge time is not recorded, so at every day)."""
    found: dict[str, _dt.date | None] = {}
    for record in _records(dataset):
        for old in record.supersedes:
            day = record.known_from
            if old not in found:
                found[old] = day
            else:
                earlier = found[old]
                found[old] = None if day is None or earlier is None else min(day, earlier)
    return found


def record_visible(
    known_from: _dt.date | None, superseded: _dt.date | None | Literal[False],
    known_at: _dt.date | None,
) -> bool:  # fmt: skip
    """Whether a record known from ``known_from`` and superseded from ``superseded``
    (``False``: by nothing; None: from every day) is visible as known on ``known_at``
    (None: everything known)."""
    if superseded is False:
        return known_at is None or known_from is None or known_from <= known_at
    if known_at is None or superseded is None or superseded <= known_at:
        return False
    return known_from is None or known_from <= known_at


def _kept(records: Sequence[RecordT], ends: dict[str, _dt.date | None],
          known_at: _dt.date | None) -> list[RecordT]:  # fmt: skip
    return [
        r for r in records
        if record_visible(r.known_from, ends[r.id] if r.id in ends else False, known_at)
    ]  # fmt: skip


def scheduled(event: Event) -> bool:
    """Whether ``event`` is known only from before the day it takes effect."""
    return (
        event.known_from is not None
        and event.effective is not None
        and event.known_from < event.effective.start
    )


def _status(event: Event) -> Event:
    if event.status == "stated" and scheduled(event):
        return dataclasses.replace(event, status="scheduled")
    return event


def visible(dataset: Dataset, known_at: _dt.date | None) -> Dataset:
    """The records of ``dataset`` visible as known on ``known_at`` (None: everything
    known), scheduled events marked so; see the module."""
    ends = superseded_from(dataset)
    kept = dataclasses.replace(
        dataset,
        holdings=_kept(dataset.holdings, ends, known_at),
        relations=_kept(dataset.relations, ends, known_at),
        events=[_status(e) for e in _kept(dataset.events, ends, known_at)],
        observations=_kept(dataset.observations, ends, known_at),
    )
    if known_at is not None:
        kept.entities = _known_entities(kept, known_at)
    return kept


def _known_entities(dataset: Dataset, known_at: _dt.date) -> dict[str, Entity]:
    """The entities of ``dataset`` (holding the records visible on ``known_at``) known
    on ``known_at``: their own record is, or one of those records names them, whatever
    time their own record was stamped with (an entity a GLEIF relationship names by its
    LEI alone is known from that relationship's update, not from the import)."""
    named = {party for h in dataset.holdings for party in (h.owner, h.owned)}
    named |= {party for r in dataset.relations for party in (r.parent, r.child)}
    named |= {o.subject for o in dataset.observations}
    for e in dataset.events:
        named |= {*e.participants, *e.absorbed, *(p for p in (e.survivor, e.issuer) if p)}
    return {
        key: entity for key, entity in dataset.entities.items()
        if entity.known_from is None or entity.known_from <= known_at or key in named
    }  # fmt: skip


def known_days(dataset: Dataset) -> list[_dt.date]:
    """The days on which what is known changes: every recorded ``known_from``, in order."""
    days = {r.known_from for r in _records(dataset) if r.known_from is not None}
    days |= {e.known_from for e in dataset.entities.values() if e.known_from is not None}
    return sorted(days)


def settled(days: Sequence[_dt.date], known_at: _dt.date | None) -> _dt.date | None:
    """The day whose visible records are those of ``known_at``, given the ``days`` what
    is known changes on (:func:`known_days`): the last of them on or before it, or
    ``date.min`` before the first; None (everything known) from the last on.

    >>> days = [_dt.date(2020, 1, 1), _dt.date(2020, 2, 1)]
    >>> settled(days, _dt.date(2020, 1, 20)), settled(days, _dt.date(2019, 1, 1))
    (datetime.date(2020, 1, 1), datetime.date(1, 1, 1))
    """
    if known_at is None or not days or known_at >= days[-1]:
        return None
    found = _dt.date.min
    for day in days:
        if day > known_at:
            break
        found = day
    return found
