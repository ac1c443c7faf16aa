"""The state of a group at any date, from recorded facts and the events applied to them.

Rules (docs/rules.md):

* intervals are half-open ``[start, end)``: a merger effective 2014-01-01 means the
  absorbed company exists on 2013-12-31 and not on 2014-01-01;
* an observed holding (``asOf``) holds from its as-of date until the next observation
  of the same owner and owned, its stated end, or the end of either party; it is
  never carried back;
* a merger ends each absorbed company on its effective date and passes what it held
  the day before to the survivor;
* a stock split multiplies share counts; a share issuance changes the denominator of
  every percentage derived from share counts.

A partial date starts a fact on the first day of its period and ends one on the day
after its period (see :mod:`groupkg.graph.dates`); an event with a partial effective
date takes effect after its period.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import math
import sys
from collections import defaultdict
from fractions import Fraction
from typing import TYPE_CHECKING

from groupkg.graph.dates import Day, PartialDate, as_day
from groupkg.graph.model import Dataset, Event, Holding, Relation
from groupkg.graph.timemodel.stakes import (
    Snapshot,
    Span,
    distinct_records,
    interest_of,
    status_at,
)

if TYPE_CHECKING:
    from groupkg.graph.timemodel.register import Register

__all__ = [
    "IssuedShares",
    "Timeline",
    "MERGERS",
    "SHARE_ISSUES",
    "effective_day",
    "exact_ratio",
    "whole_shares",
]

# The properties of a merger an absorbed company's end rests on.
_ENDING = {"absorbed", "survivor", "resultingOrganization", "effectiveDate"}
SHARE_ISSUES = {"ShareIssuance", "PublicOffering", "ThirdPartyAllotment"}
MERGERS = {"Merger", "AbsorptionMerger"}


def _begin(date: PartialDate | None) -> _dt.date | None:
    return date.start if date else None


def _finish(date: PartialDate | None) -> _dt.date | None:
    if date is None:
        return None
    return date.start if date.precision == "day" else date.end


def effective_day(event: Event) -> _dt.date | None:
    """The first day of the state an event brings about (None: no effective date)."""
    return _finish(event.effective)


def _min_end(*ends: _dt.date | None) -> _dt.date | None:
    known = [e for e in ends if e is not None]
    return min(known) if known else None


def _max_start(*starts: _dt.date | None) -> _dt.date | None:
    known = [s for s in starts if s is not None]
    return max(known) if known else None


def _covers(start: _dt.date | None, end: _dt.date | None, day: _dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


class IssuedShares:
    """The issued shares of one company on each day the count changes (the result of
    :meth:`Timeline.issued_shares` over time), answering for any day as it does.

    >>> shares = IssuedShares([(_dt.date(2012, 4, 1), 4_000_000)])
    >>> shares.on(_dt.date(2012, 3, 31)), shares.on(_dt.date(2013, 1, 1))
    (None, 4000000)
    """

    def __init__(self, points: list[tuple[_dt.date, int]]):
        self.points = points
        self._days = [d for d, _ in points]

    def on(self, day: _dt.date) -> int | None:
        at = bisect.bisect_right(self._days, day)
        return self.points[at - 1][1] if at else None

    def issued_shares(self, entity_id: str, day: _dt.date) -> int | None:
        """As :meth:`Timeline.issued_shares` (for this company only)."""
        return self.on(day)


class Timeline:
    """All recorded facts of a dataset laid out in time, ready to answer for any day."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.events = [e for e in dataset.events if effective_day(e) is not None]
        self._by_issuer: dict[str, list[tuple[_dt.date, Event]]] | None = None
        self.assumed_ends: dict[str, list[str]] = {}
        self.lifetimes = self._lifetimes()
        self.spans = self._spans()
        self._apply_mergers()
        self._issued = self._issued_history()
        self._register: Register | None = None

    # -- lifetimes -------------------------------------------------------------------

    def _lifetimes(self) -> dict[str, tuple[_dt.date | None, _dt.date | None]]:
        lifetimes = {
            e.id: (_begin(e.incorporated), _finish(e.dissolved))
            for e in self.dataset.entities.values()
        }
        for event in self.events:
            if event.type not in MERGERS or not event.survivor:
                continue
            day = effective_day(event)
            reasons = [
                reason for prop, reason in event.assumptions.items()
                if prop in _ENDING or prop == "fact"
            ]  # fmt: skip
            for absorbed in event.absorbed:
                start, end = lifetimes.get(absorbed, (None, None))
                if end is None:  # a stated dissolution date wins over the implied one
                    lifetimes[absorbed] = (start, day)
                    if reasons:
                        self.assumed_ends[absorbed] = reasons
        return lifetimes

    def lifetime(self, entity_id: str) -> tuple[_dt.date | None, _dt.date | None]:
        return self.lifetimes.get(entity_id, (None, None))

    def status(self, entity_id: str, day: Day) -> str:
        """``"not yet incorporated"``, ``"active"`` or ``"dissolved"`` on ``day``."""
        start, end = self.lifetime(entity_id)
        return status_at(start, end, as_day(day))

    # -- spans -----------------------------------------------------------------------

    def _clip(self, span: Span) -> Span | None:
        owner_start, owner_end = self.lifetime(span.owner)
        owned_start, owned_end = self.lifetime(span.owned)
        span.start = _max_start(span.start, owner_start, owned_start)
        span.natural_end = _min_end(span.natural_end, owned_end)
        span.end = _min_end(span.natural_end, owner_end)
        if span.owner == span.owned:
            return None  # an issuer's own shares are treasury stock, not a stake
        if span.start is not None and span.end is not None and span.start >= span.end:
            return None
        return span

    def _spans(self) -> list[Span]:
        groups: dict[tuple[str, str, str], list[Holding | Relation]] = defaultdict(list)
        for holding in self.dataset.holdings:
            groups[(holding.owner, holding.owned, interest_of(holding))].append(holding)
        for relation in self.dataset.relations:
            groups[(relation.parent, relation.child, "relation:" + relation.kind)].append(relation)
        spans: list[Span] = []
        for (owner, owned, _), facts in sorted(groups.items()):
            starts = {f.id: _begin(f.valid_from) or _begin(f.as_of) for f in facts}
            ends = _status_ends(facts, starts)
            for fact in distinct_records(facts):
                start = starts[fact.id]
                if start in ends and ends[start] is None:
                    continue  # ended by a status, on no day a source names
                # A later record of the same owner, owned and kind supersedes this one.
                later = [
                    s for s in starts.values() if s is not None and (start is None or s > start)
                ]
                natural_end = _min_end(
                    _finish(fact.valid_to), min(later) if later else None, ends.get(start)
                )
                span = Span(owner, owned, start, natural_end, natural_end)
                if isinstance(fact, Holding):
                    span.holding = fact
                else:
                    span.relation = fact
                clipped = self._clip(span)
                if clipped:
                    spans.append(clipped)
        return spans

    def _apply_mergers(self) -> None:
        """Pass what each absorbed company held the day before to the survivor."""
        by_owner: dict[str, list[Span]] = defaultdict(list)
        for span in self.spans:
            by_owner[span.owner].append(span)
        for event in self.events:
            if event.type not in MERGERS or not event.survivor:
                continue
            day = effective_day(event)
            assert day is not None
            if day == _dt.date.min:
                continue  # nothing was held on a day before the first one
            eve = day - _dt.timedelta(days=1)
            for absorbed in event.absorbed:
                for span in list(by_owner.get(absorbed, [])):
                    if not _covers(span.start, span.natural_end, eve):
                        continue
                    passed = Span(
                        event.survivor,
                        span.owned,
                        day,
                        span.natural_end,
                        span.natural_end,
                        holding=span.holding,
                        relation=span.relation,
                        via=[*span.via, _event_name(event)],
                    )
                    clipped = self._clip(passed)
                    if clipped:
                        self.spans.append(clipped)
                        by_owner[clipped.owner].append(clipped)

    # -- share capital ---------------------------------------------------------------

    def _issued_history(self) -> dict[str, list[tuple[_dt.date, float]]]:
        # An integer count stays an int (exact past 2**53; see records.observations_of).
        history: dict[str, list[tuple[_dt.date, float]]] = defaultdict(list)
        for obs in self.dataset.observations:
            if obs.measure == "IssuedShares" and obs.as_of is not None:
                history[obs.subject].append((obs.as_of.start, obs.value))
        for values in history.values():
            values.sort()
        return history

    def _share_events(self, entity_id: str, after: _dt.date, until: _dt.date) -> list[Event]:
        """Splits and issuances of ``entity_id`` effective in ``(after, until]``, in the
        order of :attr:`events`."""
        if self._by_issuer is None:
            # Indexed once: a scan of every event for each company with a share count
            # was most of the time model's build on a register of a million entities.
            index: dict[str, list[tuple[_dt.date, Event]]] = defaultdict(list)
            for event in self.events:
                day = effective_day(event)
                assert day is not None
                if event.type == "StockSplit" or event.type in SHARE_ISSUES:
                    if event.issuer:
                        index[event.issuer].append((day, event))
                elif event.type in MERGERS and event.survivor and event.new_shares:
                    index[event.survivor].append((day, event))
            self._by_issuer = index
        return [event for day, event in self._by_issuer.get(entity_id, ()) if after < day <= until]

    def share_days(self, entity_id: str) -> list[_dt.date]:
        """The days on which a percentage derived from shares of ``entity_id`` may
        change: its issued-share observations and its splits and issuances."""
        days = {d for d, _ in self._issued.get(entity_id, [])}
        for event in self._share_events(entity_id, _dt.date.min, _dt.date.max):
            day = effective_day(event)
            if day is not None:
                days.add(day)
        return sorted(days)

    def split_factor(self, entity_id: str, since: _dt.date, day: _dt.date) -> Fraction:
        """How many shares of ``day`` one share of ``since`` has become, exactly (a count
        times it loses no share, however large)."""
        factor = Fraction(1)
        for event in self._share_events(entity_id, since, day):
            if event.type == "StockSplit" and event.split_ratio:
                factor *= exact_ratio(event.split_ratio)
        return factor

    def issued_history(self, entity_id: str) -> IssuedShares:
        """The issued shares of ``entity_id`` on every day they may change."""
        points = []
        for day in self.share_days(entity_id):
            count = self.issued_shares(entity_id, day)
            if count is not None:
                points.append((day, count))
        return IssuedShares(points)

    def issued_shares(self, entity_id: str, day: Day) -> int | None:
        """Issued shares of an entity on ``day``: the last observation moved forward.

        None when no observation lies at or before ``day`` (the count is not carried
        back), or when only a range is known (:meth:`issued_range`).
        """
        found = self.issued_range(entity_id, day)
        if found is None or found[0] != found[1]:
            return None
        return found[0]

    def issued_range(self, entity_id: str, day: Day) -> tuple[int, int, bool] | None:
        """The least and the most issued shares of an entity on ``day``, and whether the
        count rests on a scheduled event (:mod:`~groupkg.graph.timemodel.knowledge`).

        The last observation moved forward through the splits and issues since; an issue
        of "up to" a number of new shares (``new_shares_max``) adds from none to all of
        them. None as for :meth:`issued_shares`.
        """
        day = as_day(day)
        known = [(d, v) for d, v in self._issued.get(entity_id, []) if d <= day]
        if not known:
            return None
        as_of, observed = known[-1]
        low = high = exact_ratio(observed)
        scheduled = False
        for event in self._share_events(entity_id, as_of, day):
            if event.type == "StockSplit" and event.split_ratio:
                low *= exact_ratio(event.split_ratio)
                high *= exact_ratio(event.split_ratio)
            elif event.new_shares:
                low += event.new_shares
                high += event.new_shares
            elif event.new_shares_max:
                high += event.new_shares_max
            else:
                continue
            scheduled = scheduled or event.status == "scheduled"
        least, most = whole_shares(low), whole_shares(high)
        if least is None or most is None:
            return None
        return least, most, scheduled

    # -- the state on a day ------------------------------------------------------------

    def snapshot(self, day: Day) -> Snapshot:
        """The state of the whole dataset on ``day``, read from its columns
        (:meth:`groupkg.graph.timemodel.register.Register.snapshot`)."""
        return self.register().snapshot(as_day(day))

    def register(self) -> Register:
        """The columns of this time model, with provenance (built once)."""
        if self._register is None:
            from groupkg.graph.timemodel.register import Register

            self._register = Register.from_timeline(self)
        return self._register


def exact_ratio(value: float) -> Fraction:
    """``value`` (a count or a split ratio) as an exact fraction: an int as it is, a float
    as the decimal it was written as (``1.1`` is 11/10, not its binary neighbour).

    >>> exact_ratio(12345678901234567890), exact_ratio(1.5), exact_ratio(0.1)
    (Fraction(12345678901234567890, 1), Fraction(3, 2), Fraction(1, 10))
    """
    if isinstance(value, int):
        return Fraction(value)
    return Fraction(repr(value)) if math.isfinite(value) else Fraction(0)


def whole_shares(count: float | Fraction) -> int | None:
    """A share count as a whole number (an exact count exactly); None when a count has
    been carried past any number a float holds.

    >>> whole_shares(Fraction(12345678901234567890)), whole_shares(2.6), whole_shares(math.inf)
    (12345678901234567890, 3, None)
    """
    if isinstance(count, int | Fraction):
        # exact, but not past any number a float holds: a split of 1E308 is no count
        return int(round(count)) if abs(count) <= sys.float_info.max else None
    return int(round(count)) if math.isfinite(count) else None


def _status_ends(
    facts: list, starts: dict[str, _dt.date | None]
) -> dict[_dt.date | None, _dt.date | None]:
    """Start -> end for the records of one pair and kind that a status ends.

    A GLEIF relation marked ``INACTIVE`` ends, with every record of its pair and kind
    that starts the same day, at the end of its relationship period; with no end
    stated, no day can be named on which it held, so it holds on none (None).
    """
    ends: dict[_dt.date | None, _dt.date | None] = {}
    for fact in facts:
        if getattr(fact, "relationship_status", None) == "INACTIVE":
            start, end = starts[fact.id], _finish(fact.valid_to)
            if start in ends and ends[start] is None:
                continue
            ends[start] = None if end is None else _min_end(ends.get(start), end)
    return ends


def _event_name(event: Event) -> str:
    name = event.label or event.id.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"{name} ({event.effective})"
