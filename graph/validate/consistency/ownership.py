"""Ownership on each day: companies more than 100% owned, companies that control each other.

``over-100-percent`` adds up, day by day, the stakes the time model has in force in
a company by one kind of interest; ``control-cycle`` replays the companies on a cycle
of holdings and looks for control running both ways. Both read the state of the
group on every day where something changes.
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from collections.abc import Iterator

import networkx as nx

from groupkg.graph.analytics.control import controlled_by
from groupkg.graph.analytics.parents import control_cycles
from groupkg.graph.timemodel.spanstake import span_stake
from groupkg.graph.timemodel.stakes import Span, Stake, interest_of
from groupkg.graph.timemodel.timeline import Timeline
from groupkg.graph.validate.consistency.inconsistency import (
    TOLERANCE_PERCENT,
    Inconsistency,
    change_days,
    covers,
    entity_name,
    figures_sum,
    first_day_without,
    interest_word,
    low_percent,
    on_day,
    percent_text,
    sources_of,
    stake_figure,
)

__all__ = ["over_owned", "control_cycles_over_time"]


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
        days = change_days(into) | capital.get(owned, set())
        over = []
        for day in sorted(days):
            stakes = [(span, span_stake(timeline, span, day)) for span in into if covers(span, day)]
            total = sum(low_percent(stake) for _, stake in stakes)
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
            f"{entity_name(timeline, owner)} {_owner_figure(held)}"
            for owner, held in sorted(
                by_owner.items(), key=lambda item: (-sum(map(low_percent, item[1])), item[0])
            )
        )
        message = (
            f"{entity_name(timeline, owned)} is {percent_text(total)}% owned {on_day(day)} by "
            f"{interest_word(interest)}: {parts}."
        )
        if len(exact) < len(stakes):
            exact_total = percent_text(sum(s.percent for s in exact))
            message += f" The exact figures alone add up to {exact_total}%."
        if len(over) > 1:
            message += f" Also over 100% on {len(over) - 1} later day(s) where holdings change."
        yield Inconsistency(
            focus=owned,
            check="over-100-percent",
            message=message,
            sources=sources_of(span for span, _ in stakes),
            related=tuple(sorted(span.fact_id for span, _ in stakes)),
        )


def _owner_figure(stakes: list[Stake]) -> str:
    """One owner's stakes of one kind on one day: the figure, or the sum and its parts."""
    if len(stakes) == 1:
        return stake_figure(stakes[0])
    total = figures_sum([(low_percent(s), s.percent if s.percent is not None else s.percent_max,
                     s.percent is not None) for s in stakes])  # fmt: skip
    return f"{total} ({' + '.join(stake_figure(s) for s in stakes)})"


def _by_owner(pair: tuple[Span, Stake]) -> tuple[float, str]:
    return (-low_percent(pair[1]), pair[1].owner)


def _capital_days(timeline: Timeline) -> dict[str, set[_dt.date]]:
    """Days a company's share capital changes: derived percentages change with it."""
    days: dict[str, set[_dt.date]] = defaultdict(set)
    for event in timeline.events:
        day = first_day_without(event.effective)
        for entity in (event.issuer, event.survivor):
            if entity and day is not None:
                days[entity].add(day)
    for obs in timeline.dataset.observations:
        if obs.measure == "IssuedShares" and obs.as_of is not None:
            days[obs.subject].add(obs.as_of.start)
    return days


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
    days = change_days(inside)
    for event in timeline.events:
        if {*event.participants, event.survivor, event.issuer} & cyclic:
            day = first_day_without(event.effective)
            if day is not None:
                days.add(day)
    seen: dict[frozenset[str], list[tuple[_dt.date, list[Span]]]] = {}
    for day in sorted(days):
        graph = nx.DiGraph()
        graph.add_nodes_from(e for e in cyclic if timeline.status(e, day) == "active")
        covering = [span for span in inside if covers(span, day)]
        for span in covering:
            _add_edge(graph, span_stake(timeline, span, day))
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
        names = ", ".join(entity_name(timeline, m) for m in sorted(members))
        links_text = "; ".join(
            f"{entity_name(timeline, s.owner)} holds {_span_figure(timeline, s, day)} of "
            f"{entity_name(timeline, s.owned)}"
            for s in sorted(used, key=lambda s: (s.owner, s.owned, s.fact_id))
        )
        more = f" (and on {len(days_seen) - 1} later day(s) checked)" if len(days_seen) > 1 else ""
        for member in sorted(members):
            yield Inconsistency(
                focus=member,
                check="control-cycle",
                message=(
                    f"{names} control each other {on_day(day)}{more}, each holding more than "
                    f"{percent_text(threshold)}% of the other with the companies it controls: "
                    f"{links_text}."
                ),
                sources=sources_of(used),
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
    stake = span_stake(timeline, span, day)
    if stake.percent is None and stake.percent_min is None and stake.consolidated:
        return "control (a reported consolidation)"
    return stake_figure(stake)
