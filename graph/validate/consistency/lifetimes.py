"""Facts outside their parties' lives: before incorporation, after dissolution or a merger.

``outside-lifetime`` reports a fact that starts before a party was incorporated or
on or after its dissolution; ``merged-away`` one of a company absorbed in a merger
that starts, or lasts, past the merger's effective date.
"""

from __future__ import annotations

from collections.abc import Iterator

from groupkg.graph.model import Event, Holding
from groupkg.graph.timemodel.timeline import MERGERS, Timeline
from groupkg.graph.validate.consistency.inconsistency import (
    Inconsistency,
    entity_name,
    fact_kind,
    first_day_without,
    recorded_facts,
    start_of,
)

__all__ = ["outside_lifetime", "merged_away"]


def outside_lifetime(timeline: Timeline) -> Iterator[Inconsistency]:
    """Facts that start before a party was incorporated, or on or after its dissolution."""
    dataset = timeline.dataset
    for fact, *parties in recorded_facts(dataset):
        start = start_of(fact)
        if start is None:
            continue
        roles = ("owner", "owned entity") if isinstance(fact, Holding) else ("parent", "child")
        for role, party in zip(roles, parties, strict=True):
            entity = dataset.entities.get(party)
            if entity is None:
                continue
            born, ended = entity.incorporated, entity.dissolved
            what = "is dated" if fact.valid_from is None else "starts"
            if born is not None and start.end <= born.start:
                reason = f"before its {role} {entity.label} was incorporated ({born})"
            elif ended is not None and start.start >= first_day_without(ended):
                reason = f"on or after the dissolution of its {role} {entity.label} ({ended})"
            else:
                continue
            yield Inconsistency(
                focus=fact.id,
                check="outside-lifetime",
                message=f"The {fact_kind(fact)} {what} {start}, {reason}.",
                sources=tuple(sorted({*fact.sources, *entity.sources})),
                related=(party,),
            )


def merged_away(timeline: Timeline) -> Iterator[Inconsistency]:
    """Facts of an absorbed company that start, or last, past the merger's effective date."""
    dataset = timeline.dataset
    for event in timeline.events:
        day = first_day_without(event.effective)
        if event.type not in MERGERS or not event.survivor or day is None:
            continue
        absorbed = set(event.absorbed) - {event.survivor}
        for fact, *parties in recorded_facts(dataset):
            party = next((p for p in parties if p in absorbed), None)
            if party is None:
                continue
            start, end = start_of(fact), fact.valid_to
            if start is not None and start.start >= day:
                how = f"is recorded from {start}"
            elif end is not None and end.start > day:
                how = f"is recorded to last until {end}"
            else:
                continue
            yield Inconsistency(
                focus=fact.id,
                check="merged-away",
                message=(
                    f"The {fact_kind(fact)} {how}, but {entity_name(timeline, party)} was absorbed "
                    f"by {entity_name(timeline, event.survivor)} on {day} ({_event_name(event)})."
                ),
                sources=tuple(sorted({*fact.sources, *event.sources})),
                related=(party, event.id),
            )


def _event_name(event: Event) -> str:
    return event.label or event.id
