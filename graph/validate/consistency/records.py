"""How the time model reads the records it is given: added up, counted once, held on no day.

``same-day-records`` (distinct records of one pair, kind and day, which add up),
``repeated-record`` (an exact repeat, counted once) and ``inactive-without-end`` (a
GLEIF relation marked ``INACTIVE`` with no end, held on no day): warnings and
information, not violations.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterator

from groupkg.graph.model import Dataset, Holding, Relation
from groupkg.graph.timemodel.stakes import SHARES, Span, distinct_records, interest_of
from groupkg.graph.timemodel.timeline import Timeline
from groupkg.graph.validate.consistency.inconsistency import (
    TOLERANCE_PERCENT,
    Inconsistency,
    entity_name,
    fact_kind,
    figures_sum,
    interest_word,
    percent_text,
    recorded_facts,
    start_of,
)

__all__ = ["same_day_records", "repeated_records", "inactive_without_end"]


def same_day_records(timeline: Timeline) -> Iterator[Inconsistency]:
    """Distinct records of one owner, owned entity, kind and day: the time model adds them up.

    One warning a record, naming the others, every figure and the sum. The records
    looked at are those the time model holds on some day (a record ended by a status,
    or outside its parties' lifetimes, is added to nothing), as recorded (a stake
    passed on in a merger is not a record of the survivor's).
    """
    groups: dict[tuple[str, str, str, _dt.date | None], list[Span]] = defaultdict(list)
    for span in timeline.spans:
        fact = span.holding or span.relation
        if span.via or fact is None:
            continue
        if span.relation is not None and span.relation.kind != "direct":
            continue  # reported ultimate parents are listed, not added up
        groups[(span.owner, span.owned, interest_of(fact), _recorded_start(fact))].append(span)
    for (owner, owned, interest, day), spans in sorted(
        groups.items(), key=lambda item: (item[0][:3], item[0][3] or _dt.date.min)
    ):
        if len(spans) < 2:
            continue
        facts = [span.holding or span.relation for span in spans]
        records = [f for f in facts if f is not None]
        parts = "; ".join(f"{f.id} {_record_figure(f)} ({_cites(timeline, f)})" for f in records)
        when = f"from {day.isoformat()}" if day is not None else "with no date"
        total = _records_sum(records)
        lows = [
            f.percent if f.percent is not None else getattr(f, "percent_min", None) for f in records
        ]
        if sum(v for v in lows if v is not None) > 100 + TOLERANCE_PERCENT:
            total += ", over 100%: 100% is counted, and the company is over-100-percent"
        message = (
            f"{len(records)} distinct records of {entity_name(timeline, owner)}'s "
            f"{interest_word(interest)}{'' if interest == SHARES else ' interest'} in "
            f"{entity_name(timeline, owned)} {when}: {parts}. "
            f"Distinct records of one owner, owned entity, kind and day add up: {total}. "
            f"If they report one holding (sources that disagree), correct the data: keep "
            f"one record, or end or supersede the other."
        )
        for fact in records:
            yield Inconsistency(
                focus=fact.id,
                check="same-day-records",
                message=message,
                sources=tuple(sorted(fact.sources)),
                related=tuple(sorted(f.id for f in records if f.id != fact.id)),
                severity="Warning",
            )


def _recorded_start(fact: Holding | Relation) -> _dt.date | None:
    """The day a record starts, as the time model reads it: its start, else its date."""
    date = start_of(fact)
    return date.start if date else None


def _record_figure(fact: Holding | Relation) -> str:
    """What one record states: its percent or range, and its share count."""
    bits = []
    if fact.percent is not None:
        bits.append(f"{percent_text(fact.percent)}%")
    elif isinstance(fact, Holding) and (
        fact.percent_min is not None or fact.percent_max is not None
    ):
        low = percent_text(fact.percent_min) if fact.percent_min is not None else "0"
        high = percent_text(fact.percent_max) if fact.percent_max is not None else "100"
        bits.append(f"{low}-{high}%")
    if isinstance(fact, Holding) and fact.shares is not None:
        bits.append(f"{fact.shares:,} shares")
    return ", ".join(bits) or "no figure"


def _records_sum(facts: list[Holding | Relation]) -> str:
    """What distinct records of one day add up to (before the time model caps it at 100%)."""
    lows = [f.percent if f.percent is not None else getattr(f, "percent_min", None) for f in facts]
    highs = [f.percent if f.percent is not None else getattr(f, "percent_max", None) for f in facts]
    bits = []
    if any(v is not None for v in lows + highs):
        bits.append(figures_sum([(low or 0.0, high, f.percent is not None)
                            for low, high, f in zip(lows, highs, facts, strict=True)]))  # fmt: skip
    shares = [getattr(f, "shares", None) for f in facts]
    if all(n is not None for n in shares):
        bits.append(f"{sum(n for n in shares if n is not None):,} shares")
    return " and ".join(bits) or "no figure (none is stated)"


def _cites(timeline: Timeline, fact: Holding | Relation) -> str:
    names = [f'"{timeline.dataset.source_label(s)}"' for s in sorted(fact.sources)]
    return f"cites {', '.join(names)}" if names else "cites no source"


def repeated_records(dataset: Dataset) -> Iterator[Inconsistency]:
    """Records that repeat another exactly (same values, same sources): counted once.

    The time model's own rule (:func:`groupkg.graph.timemodel.stakes.distinct_records`) tells them
    apart; the record it keeps (the first by IRI) is named.
    """
    groups: dict[tuple[str, str, str], list[Holding | Relation]] = defaultdict(list)
    for fact, owner, owned in recorded_facts(dataset):
        groups[(owner, owned, interest_of(fact))].append(fact)
    for facts in groups.values():
        if len(facts) < 2:
            continue
        kept = distinct_records(facts)
        for fact in facts:
            if fact in kept:
                continue
            twin = next(k for k in kept if len(distinct_records([k, fact])) == 1)
            yield Inconsistency(
                focus=fact.id,
                check="repeated-record",
                message=(
                    f"The {fact_kind(fact)} repeats {twin.id} exactly (same parties, kind, "
                    f"figures, dates and sources): it counts once."
                ),
                sources=tuple(sorted(fact.sources)),
                related=(twin.id,),
                severity="Warning",
            )


def inactive_without_end(timeline: Timeline) -> Iterator[Inconsistency]:
    """GLEIF relations marked ``INACTIVE`` with no end: the time model holds them on no day."""
    held = {span.fact_id for span in timeline.spans}
    relations = timeline.dataset.relations
    for relation in relations:
        if relation.relationship_status != "INACTIVE" or relation.valid_to is not None:
            continue
        start = _recorded_start(relation)
        # The records of its pair and kind that start the same day go with it.
        with_it = sorted(
            r.id
            for r in relations
            if r.id != relation.id
            and (r.parent, r.child, r.kind) == (relation.parent, relation.child, relation.kind)
            and _recorded_start(r) == start
            and r.relationship_status != "INACTIVE"
            and r.id not in held
        )
        also = (
            f" It takes with it {', '.join(with_it)}, of the same pair, kind and start."
            if with_it
            else ""
        )
        yield Inconsistency(
            focus=relation.id,
            check="inactive-without-end",
            message=(
                f"The reported {relation.kind} relation of {entity_name(timeline, relation.child)} "
                f"to {entity_name(timeline, relation.parent)} is marked INACTIVE with no end "
                f"date: no day can be named on which it held, so it holds on none and no answer "
                f"(owners, paths, parents...) shows it.{also}"
            ),
            sources=tuple(sorted(relation.sources)),
            related=(relation.parent, relation.child, *with_it),
            severity="Info",
        )
