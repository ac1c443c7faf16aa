"""The history of one entity on both time axes: every record about it, when what it
says held (valid time) and when it became known (knowledge time), what it corrected and
what corrected it.

A record is *about* an entity when it names it: a holding as owner or owned, a reported
relation as parent or child, an event it takes part in (participant, survivor, absorbed
or issuer), an observation of it, and the entity's own record. Superseded records are
kept and listed: history is what was said, not what is believed now.

Examples
--------
A holding of 40% (known 2020-01-01), corrected to 45% on 2020-02-01:

>>> from datetime import date as d
>>> from groupkg.graph.model import Dataset, Entity, Holding
>>> said = [Holding("a", "p", "s", 40.0, known_from=d(2020, 1, 1)),
...         Holding("b", "p", "s", 45.0, known_from=d(2020, 2, 1), supersedes=["a"])]
>>> facts = Dataset({"p": Entity("p", "P"), "s": Entity("s", "S")}, said)
>>> [(r.id, r.known_from, r.superseded_by, r.superseded_from)
...  for r in entity_history(facts, "s", None) if r.kind == "holding"]
[('a', '2020-01-01', ['b'], '2020-02-01'), ('b', '2020-02-01', [], None)]
>>> [r.id for r in entity_history(facts, "s", d(2020, 1, 15))]
['s', 'a']
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeAlias

from groupkg.graph.dates import PartialDate
from groupkg.graph.model import Dataset, Entity, Event, Holding, Observation, Relation
from groupkg.graph.timemodel.knowledge import scheduled

__all__ = ["HistoryRecord", "describe", "entity_history", "KNOWN_BY", "parties"]

#: How a record's knowledge time was found (``docs/knowledge.md``).
KNOWN_BY = ("stated", "sources", "not recorded")

_Fact: TypeAlias = Holding | Relation | Event | Observation


@dataclass
class HistoryRecord:
    """One record about an entity, on both axes; dates are ISO text (None: not said)."""

    id: str
    kind: str  # "entity", "holding", "relation", "event" or "observation"
    role: str  # what the entity is in it: "entity", "owner", "owned", "participant"...
    record: Entity | _Fact
    valid_from: str | None = None
    valid_to: str | None = None
    as_of: str | None = None
    known_from: str | None = None
    known_by: str = "not recorded"
    status: str = "stated"
    supersedes: list[str] = field(default_factory=list)
    superseded_by: list[str] = field(default_factory=list)
    superseded_from: str | None = None


def _iso(value: PartialDate | _dt.date | None) -> str | None:
    return None if value is None else str(value) if isinstance(value, PartialDate) else (
        value.isoformat())  # fmt: skip


def _known_by(record: Entity | _Fact) -> str:
    if record.known_from is None:
        return "not recorded"
    return "sources" if getattr(record, "known_from_sources", False) else "stated"


def _roles(dataset: Dataset, entity_id: str) -> Iterable[tuple[str, str, _Fact]]:
    for h in dataset.holdings:
        for role, party in (("owner", h.owner), ("owned", h.owned)):
            if party == entity_id:
                yield "holding", role, h
    for r in dataset.relations:
        for role, party in (("parent", r.parent), ("child", r.child)):
            if party == entity_id:
                yield "relation", role, r
    for e in dataset.events:
        part = (
            "absorbed" if entity_id in e.absorbed
            else "survivor" if entity_id == e.survivor
            else "issuer" if entity_id == e.issuer
            else "participant" if entity_id in e.participants
            else None
        )  # fmt: skip
        if part:
            yield "event", part, e
    for o in dataset.observations:
        if o.subject == entity_id:
            yield "observation", "subject", o


def parties(record: _Fact) -> set[str]:
    """The entities a record names."""
    if isinstance(record, Holding):
        return {record.owner, record.owned}
    if isinstance(record, Relation):
        return {record.parent, record.child}
    if isinstance(record, Observation):
        return {record.subject}
    named = {*record.participants, *record.absorbed}
    return named | {p for p in (record.survivor, record.issuer) if p}


def _valid(record: _Fact) -> tuple[PartialDate | None, PartialDate | None, PartialDate | None]:
    """(valid from, valid to, as of) of a record."""
    if isinstance(record, Event):
        return record.effective, None, None
    if isinstance(record, Observation):
        return record.period_start, record.period_end, record.as_of
    return record.valid_from, record.valid_to, record.as_of


def _known(record: Entity | _Fact, known_at: _dt.date | None) -> bool:
    return known_at is None or record.known_from is None or record.known_from <= known_at


def entity_history(
    dataset: Dataset, entity_id: str, known_at: _dt.date | None
) -> list[HistoryRecord]:
    """Every record of ``dataset`` (superseded ones too) about ``entity_id`` known by
    ``known_at`` (None: everything known), its own record first, then ordered by
    knowledge time (not recorded first: known on every day), then valid time."""
    found: list[HistoryRecord] = []
    entity = dataset.entities.get(entity_id)
    if entity is not None and _known(entity, known_at):
        found.append(
            HistoryRecord(
                entity.id, "entity", "entity", entity,
                valid_from=_iso(entity.incorporated), valid_to=_iso(entity.dissolved),
                known_from=_iso(entity.known_from), known_by=_known_by(entity),
            )
        )  # fmt: skip
    known = [
        r for r in (*dataset.holdings, *dataset.relations, *dataset.events,
                    *dataset.observations)
        if _known(r, known_at)
    ]  # fmt: skip
    by: dict[str, list[_Fact]] = {}
    for record in known:
        for old in record.supersedes:
            by.setdefault(old, []).append(record)
    facts: list[HistoryRecord] = []
    seen: set[str] = set()
    for kind, role, record in _roles(dataset, entity_id):
        if record.id in seen or not _known(record, known_at):
            continue
        seen.add(record.id)
        start, end, as_of = _valid(record)
        later = by.get(record.id, [])
        days = [r.known_from for r in later]
        status = record.status
        if isinstance(record, Event) and status == "stated" and scheduled(record):
            status = "scheduled"
        facts.append(
            HistoryRecord(
                record.id, kind, role, record,
                valid_from=_iso(start), valid_to=_iso(end), as_of=_iso(as_of),
                known_from=_iso(record.known_from), known_by=_known_by(record),
                status=status, supersedes=list(record.supersedes),
                superseded_by=sorted(r.id for r in later),
                superseded_from=None if not days or None in days else _iso(
                    min(d for d in days if d is not None)),
            )
        )  # fmt: skip

    def order(r: HistoryRecord) -> tuple[str, str, str]:
        return (r.known_from or "", r.valid_from or r.as_of or "", r.id)

    return found + sorted(facts, key=order)


def _number(value: float | None) -> str:
    if value is None:
        return ""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:,}"


def _figure(low: float | None, high: float | None, exact: float | None, unit: str) -> str:
    if exact is not None:
        return f"{_number(exact)}{unit}"
    if low is None and high is None:
        return f"unknown{unit}"
    return f"{_number(low)} to {_number(high)}{unit}"


def describe(record: Entity | _Fact, name: Callable[[str], str]) -> str:
    """What ``record`` says, in a line, entities named by ``name`` (id -> name).

    >>> describe(Holding("h", "p", "s", percent_min=40.0, percent_max=50.0), str.upper)
    'P holds 40 to 50% of S'
    >>> describe(Event("e", "ShareIssue", issuer="s", new_shares_max=700), str.upper)
    'ShareIssue: S, up to 700 new shares'
    """
    if isinstance(record, Entity):
        return f"entity record of {record.label}"
    if isinstance(record, Holding):
        figure = _figure(record.percent_min, record.percent_max, record.percent, "%")
        return f"{name(record.owner)} holds {figure} of {name(record.owned)}"
    if isinstance(record, Relation):
        return f"{name(record.parent)} is {record.kind} parent of {name(record.child)}"
    if isinstance(record, Observation):
        value = _figure(record.value_min, record.value_max, None, "")
        if record.value_min is None and record.value_max is None:
            value = _number(record.value)
        unit = f" {record.unit}" if record.unit else ""
        return f"{record.measure} of {name(record.subject)}: {value}{unit}"
    parties = [*record.participants]
    parties += [p for p in (record.survivor, record.issuer, *record.absorbed) if p]
    text = f"{record.label or record.type}: {', '.join(name(p) for p in dict.fromkeys(parties))}"
    if record.new_shares is not None:
        text += f", {record.new_shares:,} new shares"
    elif record.new_shares_max is not None:
        text += f", up to {record.new_shares_max:,} new shares"
    return text
