"""Consistency over time: what only the time model can see in ownership data.

The SHACL shapes look at one node at a time and the ``check-*.rq`` queries compare
recorded facts as text. These checks replay the facts through
:class:`~groupkg.graph.timemodel.timeline.Timeline` (observations carried forward, mergers
applied, percentages derived from share counts) and look at the state of the group
on every day where something changes:

``over-100-percent``
    A company whose owners together hold more than 100% of it on some day, by one
    kind of interest (shares, votes, a reported direct consolidation... are counted
    apart and never added together). The day's total adds up the stakes the time
    model has in force that day: distinct records of one owner, kind and day add up,
    an exact repeat counts once, a later record of the pair and kind supersedes an
    earlier one, a stake ends with its owner or owned entity (dissolution, merger)
    and passes to a merger's survivor. Each stake counts at its lower bound (the
    exact figure where there is one, else the range's minimum, else 0), so a total
    over 100 cannot be explained by any reading of the ranges. A tolerance of
    :data:`TOLERANCE_PERCENT` (0.01 percentage points) absorbs the rounding of
    published figures (three holders of 33.34%). Days checked: every start and end of
    a stake in the company, every split, issue or observation of its share capital,
    and the first day of the records where a stake has no start.
``same-day-records`` (a warning)
    Distinct records of one owner, owned entity, kind of interest and day (differing
    in any figure, date or source), which the time model adds up: one finding a
    record, naming the others, their figures and the sum. The data is valid (a
    subsidiary listed twice, at 92% and 8%, is held 100%), but two sources that
    disagree about one holding read the same way: then the data needs correcting.
``repeated-record`` (a warning)
    A record that repeats another exactly (same owner, owned entity, kind, figures,
    dates, status and sources): the time model counts it once.
``inactive-without-end`` (information)
    A GLEIF relation marked ``INACTIVE`` with no end date: no day can be named on
    which it held, so the time model holds it on none (with any record of its pair
    and kind starting the same day), and no answer shows it.
``outside-lifetime``
    A recorded holding or reported relation whose start (``validFrom``, else
    ``asOf``) lies wholly before the incorporation of its owner or owned entity, or
    on or after its dissolution. A partial date counts as every day it may denote:
    a holding of "2013" is not reported against an incorporation in 2013-06.
``merged-away``
    A recorded holding or relation of a company absorbed in a merger (as owner or
    owned) that starts on or after the merger's effective date, or is recorded to
    last past it (``validTo`` after it): an absorbed company holds and is held by
    nobody once the merger takes effect.
``control-cycle``
    Companies that control each other (``A`` controls ``B`` and ``B`` controls
    ``A``, certain control at the threshold, see :mod:`groupkg.graph.analytics.control`) on
    some day. Only cross-holdings can make one, so only the strongly connected
    parts of the ownership graph are replayed.

Each check yields :class:`Inconsistency` records naming the node at fault, the
other nodes involved and the sources of every fact the finding rests on. A figure
the shapes reject (a percentage outside 0-100 or not a number, a negative share
count, a split by zero) is left out of the computation here: the shapes report it.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator

import networkx as nx

from groupkg.graph.analytics.control import control_cycles, controlled_by
from groupkg.graph.dates import PartialDate
from groupkg.graph.model import Dataset, Event, Holding, Observation, Relation
from groupkg.graph.timemodel.stakes import SHARES, Span, Stake, distinct_records, interest_of
from groupkg.graph.timemodel.timeline import MERGERS, Timeline

__all__ = [
    "TOLERANCE_PERCENT",
    "Inconsistency",
    "check_consistency",
    "over_owned",
    "outside_lifetime",
    "merged_away",
    "control_cycles_over_time",
    "same_day_records",
    "repeated_records",
    "inactive_without_end",
]

#: Percentage points by which a total may pass 100 before it is reported.
TOLERANCE_PERCENT = 0.01


@dataclasses.dataclass(frozen=True, order=True)
class Inconsistency:
    """One inconsistency: the node at fault, the check, why, and what it rests on.

    Attributes
    ----------
    focus : str
        The node at fault: a company (over-owned, in a control cycle) or a fact.
    check : str
        ``over-100-percent``, ``outside-lifetime``, ``merged-away``, ``control-cycle``,
        ``same-day-records``, ``repeated-record`` or ``inactive-without-end``.
    message : str
        What is wrong, naming the day, the figures and the other nodes involved.
    sources : tuple of str
        The sources of every fact the finding rests on.
    related : tuple of str
        The other nodes involved: the holdings summed, the parties, the other members
        of a cycle.
    severity : str
        ``"Violation"`` for data that cannot all be true; ``"Warning"`` for records the
        time model adds up or counts once (``same-day-records``, ``repeated-record``),
        ``"Info"`` for a relation it holds on no day (``inactive-without-end``).
    """

    focus: str
    check: str
    message: str
    sources: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    severity: str = "Violation"


def check_consistency(dataset: Dataset, threshold: float = 50.0) -> list[Inconsistency]:
    """Run every check on ``dataset``; the findings in order of focus.

    Parameters
    ----------
    dataset : Dataset
        The facts, as :func:`groupkg.graph.facts.loader.load_dataset` reads them.
    threshold : float
        The control threshold in percent, for ``control-cycle``.

    Examples
    --------
    >>> from groupkg.graph.model import Dataset, Entity, Holding
    >>> from groupkg.graph.dates import parse_partial_date as d
    >>> ds = Dataset(
    ...     entities={e: Entity(e, e.upper()) for e in ("a", "b", "c")},
    ...     holdings=[Holding("h1", "a", "c", percent=70, as_of=d("2013-03-31")),
    ...               Holding("h2", "b", "c", percent=40, as_of=d("2013-09-30"))])
    >>> [f.message for f in check_consistency(ds)]
    ['C is 110% owned on 2013-09-30 by shares: A 70%, B 40%.']
    """
    timeline = Timeline(_plausible(dataset))
    merged = list(merged_away(timeline))
    # A company dissolved by the merger that absorbed it: one finding, the merger's.
    absorbed = {(f.focus, f.related[0]) for f in merged}
    found = [
        *over_owned(timeline),
        *(f for f in outside_lifetime(timeline) if (f.focus, f.related[0]) not in absorbed),
        *merged,
        *control_cycles_over_time(timeline, threshold),
        *same_day_records(timeline),
        # Repeats are told apart as recorded: the figures the shapes reject included.
        *repeated_records(dataset),
        *inactive_without_end(timeline),
    ]
    return sorted(set(found))


# -- over 100 percent ----------------------------------------------------------------


def over_owned(timeline: Timeline, tolerance: float = TOLERANCE_PERCENT) -> Iterator[Inconsistency]:
    """Companies more than 100% owned on some day, one finding a company and interest.

    The stakes summed are the time model's spans
    (:class:`~groupkg.graph.timemodel.timeline.Timeline`): distinct records of one
    owner, kind and day are spans of their own and add up, an exact repeat has none. The
    finding gives the first such day and its owners (an owner with several records in
    force: their sum, then each record), and how many later days (of those where
    something changes) are over too.
    """
    spans: dict[tuple[str, str], list[Span]] = defaultdict(list)
    for span in timeline.spans:
        fact = span.holding or span.relation
        # A reported direct consolidation counts where it states a percentage.
        relation = span.relation
        if span.holding is not None or (
            relation and relation.kind == "direct" and relation.percent is not None
        ):
            assert fact is not None
            spans[(span.owned, interest_of(fact))].append(span)
    capital = _capital_days(timeline)
    for (owned, interest), into in sorted(spans.items()):
        days = _change_days(into) | capital.get(owned, set())
        over = []
        for day in sorted(days):
            stakes = [(span, timeline.stake(span, day)) for span in into if _covers(span, day)]
            total = sum(_low(stake) for _, stake in stakes)
            if total > 100 + tolerance:
                over.append((day, total, stakes))
        if not over:
            continue
        day, total, stakes = over[0]
        exact = [s for _, s in stakes if s.percent is not None]
        by_owner: dict[str, list[Stake]] = defaultdict(list)
        for _, stake in sorted(stakes, key=_by_owner):
            by_owner[stake.owner].append(stake)
        parts = ", ".join(
            f"{_name(timeline, owner)} {_owner_figure(held)}"
            for owner, held in sorted(
                by_owner.items(), key=lambda item: (-sum(map(_low, item[1])), item[0])
            )
        )
        message = (
            f"{_name(timeline, owned)} is {_pct(total)}% owned {_on(day)} by "
            f"{_kind_word(interest)}: {parts}."
        )
        if len(exact) < len(stakes):
            message += f" The exact figures alone add up to {_pct(sum(s.percent for s in exact))}%."
        if len(over) > 1:
            message += f" Also over 100% on {len(over) - 1} later day(s) where holdings change."
        yield Inconsistency(
            focus=owned,
            check="over-100-percent",
            message=message,
            sources=_sources(span for span, _ in stakes),
            related=tuple(sorted(span.fact_id for span, _ in stakes)),
        )


def _owner_figure(stakes: list[Stake]) -> str:
    """One owner's stakes of one kind on one day: the figure, or the sum and its parts."""
    if len(stakes) == 1:
        return _figure(stakes[0])
    total = _total([(_low(s), s.percent if s.percent is not None else s.percent_max,
                     s.percent is not None) for s in stakes])  # fmt: skip
    return f"{total} ({' + '.join(_figure(s) for s in stakes)})"


def _total(figures: list[tuple[float, float | None, bool]]) -> str:
    """The sum of figures ``(low, high, exact)``, a high of None having no upper
    bound: ``X%`` when all are exact, else ``X-Y%`` or ``at least X%``."""
    low = sum(f[0] for f in figures)
    if all(exact for _, _, exact in figures):
        return f"{_pct(low)}%"
    highs = [high for _, high, _ in figures]
    if any(high is None for high in highs):
        return f"at least {_pct(low)}%"
    return f"{_pct(low)}-{_pct(sum(h for h in highs if h))}%"


def _kind_word(interest: str) -> str:
    return "shares" if interest == SHARES else interest


def _capital_days(timeline: Timeline) -> dict[str, set[_dt.date]]:
    """Days a company's share capital changes: derived percentages change with it."""
    days: dict[str, set[_dt.date]] = defaultdict(set)
    for event in timeline.events:
        day = _finish(event.effective)
        for entity in (event.issuer, event.survivor):
            if entity and day is not None:
                days[entity].add(day)
    for obs in timeline.dataset.observations:
        if obs.measure == "IssuedShares" and obs.as_of is not None:
            days[obs.subject].add(obs.as_of.start)
    return days


def _low(stake: Stake) -> float:
    value = stake.percent if stake.percent is not None else stake.percent_min
    return float(value) if value is not None and math.isfinite(value) else 0.0


def _figure(stake: Stake) -> str:
    if stake.percent is not None:
        return f"{_pct(stake.percent)}%"
    low = _pct(stake.percent_min) if stake.percent_min is not None else "0"
    high = _pct(stake.percent_max) if stake.percent_max is not None else "100"
    return f"{low}-{high}%"


def _by_owner(pair: tuple[Span, Stake]) -> tuple[float, str]:
    return (-_low(pair[1]), pair[1].owner)


# -- records of one pair, kind and day -------------------------------------------------


def _recorded_start(fact: Holding | Relation) -> _dt.date | None:
    """The day a record starts, as the time model reads it: its start, else its date."""
    date = fact.valid_from or fact.as_of
    return date.start if date else None


def _record_figure(fact: Holding | Relation) -> str:
    """What one record states: its percent or range, and its share count."""
    bits = []
    if fact.percent is not None:
        bits.append(f"{_pct(fact.percent)}%")
    elif isinstance(fact, Holding) and (
        fact.percent_min is not None or fact.percent_max is not None
    ):
        low = _pct(fact.percent_min) if fact.percent_min is not None else "0"
        high = _pct(fact.percent_max) if fact.percent_max is not None else "100"
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
        bits.append(_total([(low or 0.0, high, f.percent is not None)
                            for low, high, f in zip(lows, highs, facts, strict=True)]))  # fmt: skip
    shares = [getattr(f, "shares", None) for f in facts]
    if all(n is not None for n in shares):
        bits.append(f"{sum(n for n in shares if n is not None):,} shares")
    return " and ".join(bits) or "no figure (none is stated)"


def _cites(timeline: Timeline, fact: Holding | Relation) -> str:
    names = [f'"{timeline.dataset.source_label(s)}"' for s in sorted(fact.sources)]
    return f"cites {', '.join(names)}" if names else "cites no source"


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
            f"{len(records)} distinct records of {_name(timeline, owner)}'s "
            f"{_kind_word(interest)}{'' if interest == SHARES else ' interest'} in "
            f"{_name(timeline, owned)} {when}: {parts}. "
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


def repeated_records(dataset: Dataset) -> Iterator[Inconsistency]:
    """Records that repeat another exactly (same values, same sources): counted once.

    The time model's own rule (:func:`groupkg.graph.timemodel.stakes.distinct_records`) tells them
    apart; the record it keeps (the first by IRI) is named.
    """
    groups: dict[tuple[str, str, str], list[Holding | Relation]] = defaultdict(list)
    for fact, owner, owned in _facts(dataset):
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
                    f"The {_kind(fact)} repeats {twin.id} exactly (same parties, kind, "
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
                f"The reported {relation.kind} relation of {_name(timeline, relation.child)} "
                f"to {_name(timeline, relation.parent)} is marked INACTIVE with no end date: no "
                f"day can be named on which it held, so it holds on none and no answer "
                f"(owners, paths, parents...) shows it.{also}"
            ),
            sources=tuple(sorted(relation.sources)),
            related=(relation.parent, relation.child, *with_it),
            severity="Info",
        )


# -- lifetimes ----------------------------------------------------------------------


def _facts(dataset: Dataset) -> Iterator[tuple[Holding | Relation, str, str]]:
    for holding in dataset.holdings:
        yield holding, holding.owner, holding.owned
    for relation in dataset.relations:
        yield relation, relation.parent, relation.child


def _start(fact: Holding | Relation) -> PartialDate | None:
    return fact.valid_from or fact.as_of


def outside_lifetime(timeline: Timeline) -> Iterator[Inconsistency]:
    """Facts that start before a party was incorporated, or on or after its dissolution."""
    dataset = timeline.dataset
    for fact, *parties in _facts(dataset):
        start = _start(fact)
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
            elif ended is not None and start.start >= _finish(ended):
                reason = f"on or after the dissolution of its {role} {entity.label} ({ended})"
            else:
                continue
            yield Inconsistency(
                focus=fact.id,
                check="outside-lifetime",
                message=f"The {_kind(fact)} {what} {start}, {reason}.",
                sources=tuple(sorted({*fact.sources, *entity.sources})),
                related=(party,),
            )


def merged_away(timeline: Timeline) -> Iterator[Inconsistency]:
    """Facts of an absorbed company that start, or last, past the merger's effective date."""
    dataset = timeline.dataset
    for event in timeline.events:
        day = _finish(event.effective)
        if event.type not in MERGERS or not event.survivor or day is None:
            continue
        absorbed = set(event.absorbed) - {event.survivor}
        for fact, *parties in _facts(dataset):
            party = next((p for p in parties if p in absorbed), None)
            if party is None:
                continue
            start, end = _start(fact), fact.valid_to
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
                    f"The {_kind(fact)} {how}, but {_name(timeline, party)} was absorbed "
                    f"by {_name(timeline, event.survivor)} on {day} ({_event_name(event)})."
                ),
                sources=tuple(sorted({*fact.sources, *event.sources})),
                related=(party, event.id),
            )


# -- control cycles -----------------------------------------------------------------


def control_cycles_over_time(
    timeline: Timeline, threshold: float = 50.0
) -> Iterator[Inconsistency]:
    """Companies that control each other on some day: one finding a member of a cycle.

    Only the companies on a cycle of holdings or consolidations (at any time) can
    control each other, so only their facts are replayed, day by day.
    """
    unnamed = {e.id for e in timeline.dataset.entities.values() if e.kind == "unnamed"}
    links = [
        span
        for span in timeline.spans
        if span.owner not in unnamed
        and (span.holding is not None or (span.relation and span.relation.kind == "direct"))
    ]
    ever = nx.DiGraph((span.owner, span.owned) for span in links)
    cyclic = set().union(*(c for c in nx.strongly_connected_components(ever) if len(c) > 1))
    if not cyclic:
        return
    inside = [span for span in links if span.owner in cyclic and span.owned in cyclic]
    days = _change_days(inside)
    for event in timeline.events:
        if {*event.participants, event.survivor, event.issuer} & cyclic:
            day = _finish(event.effective)
            if day is not None:
                days.add(day)
    seen: dict[frozenset[str], list[tuple[_dt.date, list[Span]]]] = {}
    for day in sorted(days):
        graph = nx.DiGraph()
        graph.add_nodes_from(e for e in cyclic if timeline.status(e, day) == "active")
        covering = [span for span in inside if _covers(span, day)]
        for span in covering:
            _add_edge(graph, timeline.stake(span, day))
        for cycle in control_cycles(graph, threshold):
            members = frozenset(cycle)
            # The facts the control rests on: those among the members and the
            # companies they control (a member may control another through them).
            group = set(members).union(
                *(
                    (e for e, how in controlled_by(graph, m, threshold).items() if how == "certain")
                    for m in members
                )
            )
            used = [s for s in covering if s.owner in group and s.owned in group]
            seen.setdefault(members, []).append((day, used))
    for members, days_seen in sorted(seen.items(), key=lambda item: sorted(item[0])):
        day, used = days_seen[0]
        names = ", ".join(_name(timeline, m) for m in sorted(members))
        links_text = "; ".join(
            f"{_name(timeline, s.owner)} holds {_span_figure(timeline, s, day)} of "
            f"{_name(timeline, s.owned)}"
            for s in sorted(used, key=lambda s: (s.owner, s.owned, s.fact_id))
        )
        more = f" (and on {len(days_seen) - 1} later day(s) checked)" if len(days_seen) > 1 else ""
        for member in sorted(members):
            yield Inconsistency(
                focus=member,
                check="control-cycle",
                message=(
                    f"{names} control each other {_on(day)}{more}, each holding more than "
                    f"{_pct(threshold)}% of the other with the companies it controls: {links_text}."
                ),
                sources=_sources(used),
                related=tuple(sorted(members - {member}) + sorted(s.fact_id for s in used)),
            )


def _add_edge(graph: nx.DiGraph, stake: Stake) -> None:
    """The stake as an edge of the ownership graph, with its figures held to 0-100%."""
    if stake.owner == stake.owned:
        return
    low = min(max(stake.low, 0.0), 1.0)
    high = min(max(stake.high, low), 1.0)
    if graph.has_edge(stake.owner, stake.owned):  # e.g. a stake inherited in a merger
        data = graph.edges[stake.owner, stake.owned]
        low, high = min(data["low"] + low, 1.0), min(data["high"] + high, 1.0)
        consolidated = data["consolidated"] or stake.consolidated
    else:
        consolidated = stake.consolidated
    graph.add_edge(stake.owner, stake.owned, low=low, high=high,
                   consolidated=bool(consolidated), holding=True)  # fmt: skip


def _span_figure(timeline: Timeline, span: Span, day: _dt.date) -> str:
    stake = timeline.stake(span, day)
    if stake.percent is None and stake.percent_min is None and stake.consolidated:
        return "control (a reported consolidation)"
    return _figure(stake)


# -- shared helpers -----------------------------------------------------------------


def _covers(span: Span, day: _dt.date) -> bool:
    return (span.start is None or span.start <= day) and (span.end is None or day < span.end)


def _change_days(spans: Iterable[Span]) -> set[_dt.date]:
    """Every start and end of ``spans``, and the first day where one has no start."""
    days = set()
    for span in spans:
        days.add(span.start if span.start is not None else _dt.date.min)
        if span.end is not None:
            days.add(span.end)
    return days


def _finish(date: PartialDate | None) -> _dt.date | None:
    """The first day without the fact: a partial end takes effect after its period."""
    if date is None:
        return None
    return date.start if date.precision == "day" else date.end


def _on(day: _dt.date) -> str:
    return "from the start of the records" if day == _dt.date.min else f"on {day.isoformat()}"


def _pct(value: float) -> str:
    return f"{round(value, 4):g}"


def _name(timeline: Timeline, entity_id: str) -> str:
    return timeline.dataset.ref(entity_id).name


def _kind(fact: Holding | Relation) -> str:
    return "holding" if isinstance(fact, Holding) else "reported relation"


def _event_name(event: Event) -> str:
    return event.label or event.id


def _sources(spans: Iterable[Span]) -> tuple[str, ...]:
    return tuple(sorted({source for span in spans for source in span.sources}))


# -- the figures the computation uses ----------------------------------------------------


def _plausible(dataset: Dataset) -> Dataset:
    """``dataset`` without the figures the shapes reject, which the checks cannot use."""
    return dataclasses.replace(
        dataset,
        holdings=[_plausible_holding(h) for h in dataset.holdings],
        events=[_plausible_event(e) for e in dataset.events],
        observations=[o for o in dataset.observations if _plausible_capital(o)],
    )


def _percent_or_none(value: float | None) -> float | None:
    if value is None or not math.isfinite(value) or not 0 <= value <= 100:
        return None
    return value


def _plausible_holding(holding: Holding) -> Holding:
    low, high = _percent_or_none(holding.percent_min), _percent_or_none(holding.percent_max)
    if low is not None and high is not None and low > high:
        low = high = None
    shares = holding.shares if holding.shares is not None and holding.shares >= 0 else None
    return dataclasses.replace(
        holding,
        percent=_percent_or_none(holding.percent),
        percent_min=low,
        percent_max=high,
        min_exclusive=holding.min_exclusive and low is not None,
        max_exclusive=holding.max_exclusive and high is not None,
        shares=shares,
    )


def _plausible_event(event: Event) -> Event:
    ratio = event.split_ratio
    if ratio is not None and (not math.isfinite(ratio) or ratio <= 0):
        ratio = None
    new = event.new_shares if event.new_shares is not None and event.new_shares >= 0 else None
    return dataclasses.replace(event, split_ratio=ratio, new_shares=new)


def _plausible_capital(obs: Observation) -> bool:
    if obs.measure != "IssuedShares":
        return True
    return math.isfinite(obs.value) and obs.value > 0
