"""The state of a group at any date, from recorded facts and the events applied to them.

Rules (DESIGN.md, "Modelling rules"):

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

import datetime as _dt
import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from groupkg.graph.dates import PartialDate
from groupkg.graph.model import Dataset, Event, Holding, Relation

__all__ = ["Span", "Stake", "Snapshot", "Timeline", "status_at"]

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


def _effective_day(event: Event) -> _dt.date | None:
    return _finish(event.effective)


def _min_end(*ends: _dt.date | None) -> _dt.date | None:
    known = [e for e in ends if e is not None]
    return min(known) if known else None


def _max_start(*starts: _dt.date | None) -> _dt.date | None:
    known = [s for s in starts if s is not None]
    return max(known) if known else None


def _covers(start: _dt.date | None, end: _dt.date | None, day: _dt.date) -> bool:
    return (start is None or start <= day) and (end is None or day < end)


@dataclass
class Span:
    """The days over which one holding or reported consolidation holds.

    ``natural_end`` is the end before the owner's own end is applied: what a survivor
    inherits when a merger ends the owner.
    """

    owner: str
    owned: str
    start: _dt.date | None
    end: _dt.date | None
    natural_end: _dt.date | None
    holding: Holding | None = None
    relation: Relation | None = None
    via: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        fact = self.holding or self.relation
        return list(fact.sources) if fact else []

    @property
    def fact_id(self) -> str:
        fact = self.holding or self.relation
        return fact.id if fact else ""


@dataclass
class Stake:
    """One owner's interest in one owned entity on one day, with how it is known."""

    owner: str
    owned: str
    percent: float | None
    percent_min: float | None
    percent_max: float | None
    min_exclusive: bool = False
    max_exclusive: bool = False
    shares: int | None = None
    consolidated: bool = False
    holding: bool = True
    basis: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    """How the facts behind the stake are known: stated, derived, assumed."""
    assumptions: list[dict[str, str]] = field(default_factory=list)
    """What in them is assumed: ``{"fact", "property", "reason"}``."""

    @property
    def assumed(self) -> bool:
        return bool(self.assumptions)

    @property
    def low(self) -> float:
        """Lower bound as a fraction; 0 when the percent is unknown."""
        value = self.percent if self.percent is not None else self.percent_min
        return (value or 0.0) / 100

    @property
    def high(self) -> float:
        """Upper bound as a fraction; 1 when the percent is unknown."""
        value = self.percent if self.percent is not None else self.percent_max
        return 1.0 if value is None else value / 100


@dataclass
class Snapshot:
    """A group on one day: who exists, and who holds or consolidates whom."""

    day: _dt.date
    status: dict[str, str]
    stakes: list[Stake]
    reported: list[tuple[Relation, Span]]
    unnamed: frozenset[str] = frozenset()

    def active(self, entity_id: str) -> bool:
        return self.status.get(entity_id) == "active"

    def owners_of(self, entity_id: str) -> list[Stake]:
        return sorted((s for s in self.stakes if s.owned == entity_id), key=_stake_order)

    def holdings_of(self, entity_id: str) -> list[Stake]:
        return sorted((s for s in self.stakes if s.owner == entity_id), key=_stake_order)

    def graph(self, unnamed: bool = True) -> nx.DiGraph:
        """The ownership graph of this day, in the shape the analytics take.

        Edge attributes: ``low``/``high`` (fractions), ``low_exclusive``,
        ``high_exclusive``, ``consolidated``, ``holding`` and the ``stake`` itself.
        With ``unnamed=False`` buckets of unnamed holders are left out: they stand
        for many holders, so they neither control nor are anyone's parent.
        """
        graph = nx.DiGraph()
        graph.add_nodes_from(
            e for e, s in sorted(self.status.items())
            if s == "active" and (unnamed or e not in self.unnamed)
        )  # fmt: skip
        for stake in self.stakes:
            if not unnamed and stake.owner in self.unnamed:
                continue
            graph.add_edge(
                stake.owner,
                stake.owned,
                low=stake.low,
                high=stake.high,
                low_exclusive=stake.min_exclusive and stake.percent is None,
                high_exclusive=stake.max_exclusive and stake.percent is None,
                consolidated=stake.consolidated,
                holding=stake.holding,
                stake=stake,
            )
        return graph


def _stake_order(stake: Stake) -> tuple[float, str, str]:
    return (-(stake.percent if stake.percent is not None else stake.low * 100), stake.owner,
            stake.owned)  # fmt: skip


def status_at(start: _dt.date | None, end: _dt.date | None, day: _dt.date) -> str:
    """``active``, ``dissolved`` or ``not yet incorporated`` for a lifetime ``[start, end)``.

    >>> import datetime as dt
    >>> status_at(dt.date(2009, 10, 1), dt.date(2014, 1, 1), dt.date(2013, 12, 31))
    'active'
    >>> status_at(dt.date(2009, 10, 1), dt.date(2014, 1, 1), dt.date(2014, 1, 1))
    'dissolved'
    """
    if start is not None and day < start:
        return "not yet incorporated"
    if end is not None and day >= end:
        return "dissolved"
    return "active"


class Timeline:
    """All recorded facts of a dataset laid out in time, ready to answer for any day."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.events = [e for e in dataset.events if _effective_day(e) is not None]
        self.assumed_ends: dict[str, list[str]] = {}
        self.lifetimes = self._lifetimes()
        self.spans = self._spans()
        self._apply_mergers()
        self._issued = self._issued_history()

    # -- lifetimes -------------------------------------------------------------------

    def _lifetimes(self) -> dict[str, tuple[_dt.date | None, _dt.date | None]]:
        lifetimes = {
            e.id: (_begin(e.incorporated), _finish(e.dissolved))
            for e in self.dataset.entities.values()
        }
        for event in self.events:
            if event.type not in MERGERS or not event.survivor:
                continue
            day = _effective_day(event)
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

    def status(self, entity_id: str, day: _dt.date) -> str:
        start, end = self.lifetime(entity_id)
        return status_at(start, end, day)

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
            key = (holding.owner, holding.owned, holding.interest_type or "shareholding")
            groups[key].append(holding)
        for relation in self.dataset.relations:
            groups[(relation.parent, relation.child, "relation:" + relation.kind)].append(
                relation
            )
        spans: list[Span] = []
        for (owner, owned, _), facts in sorted(groups.items()):
            starts = {f.id: _begin(f.valid_from) or _begin(f.as_of) for f in facts}
            for fact in _one_per_start(facts, starts):
                start = starts[fact.id]
                # A later record of the same owner and owned supersedes this one.
                later = [
                    s for s in starts.values() if s is not None and (start is None or s > start)
                ]
                natural_end = _min_end(_finish(fact.valid_to), min(later) if later else None)
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
            day = _effective_day(event)
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
        history: dict[str, list[tuple[_dt.date, float]]] = defaultdict(list)
        for obs in self.dataset.observations:
            if obs.measure == "IssuedShares" and obs.as_of is not None:
                history[obs.subject].append((obs.as_of.start, obs.value))
        for values in history.values():
            values.sort()
        return history

    def _share_events(self, entity_id: str, after: _dt.date, until: _dt.date) -> list[Event]:
        """Splits and issuances of ``entity_id`` effective in ``(after, until]``."""
        chosen = []
        for event in self.events:
            day = _effective_day(event)
            assert day is not None
            if not after < day <= until:
                continue
            if event.type == "StockSplit" and event.issuer == entity_id:
                chosen.append(event)
            elif event.type in SHARE_ISSUES and event.issuer == entity_id:
                chosen.append(event)
            elif event.type in MERGERS and event.survivor == entity_id and event.new_shares:
                chosen.append(event)
        return chosen

    def split_factor(self, entity_id: str, since: _dt.date, day: _dt.date) -> float:
        """How many shares of ``day`` one share of ``since`` has become."""
        factor = 1.0
        for event in self._share_events(entity_id, since, day):
            if event.type == "StockSplit" and event.split_ratio:
                factor *= event.split_ratio
        return factor

    def issued_shares(self, entity_id: str, day: _dt.date) -> int | None:
        """Issued shares of an entity on ``day``: the last observation moved forward.

        None when no observation lies at or before ``day`` (the count is not carried
        back).
        """
        known = [(d, v) for d, v in self._issued.get(entity_id, []) if d <= day]
        if not known:
            return None
        as_of, count = known[-1]
        for event in self._share_events(entity_id, as_of, day):
            if event.type == "StockSplit" and event.split_ratio:
                count *= event.split_ratio
            elif event.new_shares:
                count += event.new_shares
        return _whole(count)

    # -- the state on a day ------------------------------------------------------------

    def _stake(self, span: Span, day: _dt.date) -> Stake:
        if span.relation is not None:
            return Stake(
                span.owner,
                span.owned,
                None,
                None,
                None,
                consolidated=span.relation.kind == "direct",
                holding=False,
                basis=[_basis(span)],
                sources=span.sources,
                facts=[span.fact_id],
                status=[span.relation.status],
                assumptions=_assumed(span.relation),
            )
        holding = span.holding
        assert holding is not None
        stake = Stake(
            span.owner,
            span.owned,
            holding.percent,
            holding.percent_min,
            holding.percent_max,
            holding.min_exclusive,
            holding.max_exclusive,
            basis=[_basis(span)],
            sources=span.sources,
            facts=[span.fact_id],
            status=[holding.status],
            assumptions=_assumed(holding),
        )
        if holding.shares is None:
            return stake
        stated_on = _begin(holding.as_of) or _begin(holding.valid_from) or span.start
        shares = float(holding.shares)
        issued_then = None
        if stated_on is not None:
            shares *= self.split_factor(span.owned, stated_on, day)
            issued_then = self.issued_shares(span.owned, stated_on)
            if issued_then is not None:
                issued_then = _whole(issued_then * self.split_factor(span.owned, stated_on, day))
        stake.shares = _whole(shares)
        if stake.shares is None:
            return stake
        issued_now = self.issued_shares(span.owned, day)
        unknown = holding.percent is None and holding.percent_min is None
        if issued_now and (unknown or (issued_then is not None and issued_then != issued_now)):
            stake.percent = shares / issued_now * 100
            stake.percent_min = stake.percent_max = None
            stake.basis.append(f"percent derived: {stake.shares:,} of {issued_now:,} issued shares")
        return stake

    def snapshot(self, day: _dt.date) -> Snapshot:
        """The state of the whole dataset on ``day``."""
        status = {e: self.status(e, day) for e in self.lifetimes}
        merged: dict[tuple[str, str], Stake] = {}
        reported: list[tuple[Relation, Span]] = []
        for span in self.spans:
            if not _covers(span.start, span.end, day):
                continue
            if span.relation is not None and span.relation.kind != "direct":
                reported.append((span.relation, span))
                continue
            stake = self._stake(span, day)
            key = (stake.owner, stake.owned)
            merged[key] = _combine(merged[key], stake) if key in merged else stake
        unnamed = frozenset(e.id for e in self.dataset.entities.values() if e.kind == "unnamed")
        return Snapshot(day, status, list(merged.values()), reported, unnamed)


def _whole(count: float) -> int | None:
    """A share count as a whole number; None when splits have carried it past any number."""
    return int(round(count)) if math.isfinite(count) else None


def _one_per_start(facts: list, starts: dict[str, _dt.date | None]) -> list:
    """Keep one record per start date: the most precise (exact, then range, then unknown).

    Two records of the same pair on the same day that disagree are a conflict for
    validation to report; the analytics use the more precise one.
    """
    best: dict[_dt.date | None, object] = {}
    for fact in sorted(facts, key=lambda f: f.id):
        start = starts[fact.id]
        if start not in best or _precision(fact) > _precision(best[start]):
            best[start] = fact
    return list(best.values())


def _precision(fact: object) -> int:
    if getattr(fact, "percent", None) is not None:
        return 3
    if any(getattr(fact, bound, None) is not None for bound in ("percent_min", "percent_max")):
        return 2
    return 1 if getattr(fact, "shares", None) is not None else 0


def _event_name(event: Event) -> str:
    name = event.label or event.id.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return f"{name} ({event.effective})"


_PROPERTY_WORDS = {"asOf": "date", "validFrom": "start", "validTo": "end"}


def _assumed(fact: Holding | Relation) -> list[dict[str, str]]:
    return [
        {"fact": fact.id, "property": prop, "reason": reason}
        for prop, reason in sorted(fact.assumptions.items())
    ]


def _basis(span: Span) -> str:
    """How a stake is known: stated and observed, derived or assumed, and what is assumed."""
    fact = span.holding or span.relation
    assert fact is not None
    if span.via:
        text = "passed to the survivor by " + ", then ".join(span.via)
    elif fact.as_of is not None and fact.valid_from is None:
        text = {
            "stated": f"observed {fact.as_of}",
            "derived": f"derived, as of {fact.as_of}",
        }.get(fact.status, f"{fact.status}, as of {fact.as_of}")
    else:
        text = fact.status
    assumed = sorted(_PROPERTY_WORDS.get(p, p) for p in fact.assumptions if p != "fact")
    if assumed:
        text += f" ({', '.join(assumed)} assumed)"
    return text


def _combine(first: Stake, second: Stake) -> Stake:
    """Two stakes of one owner in one entity on one day (e.g. one inherited by merger).

    A reported consolidation adds control, not a percentage.
    """
    if not second.holding or not first.holding:
        stake, other = (first, second) if first.holding or not second.holding else (second, first)
        stake.consolidated = stake.consolidated or other.consolidated
        stake.basis = list(dict.fromkeys(stake.basis + other.basis))
        stake.sources = sorted(set(stake.sources + other.sources))
        stake.facts = stake.facts + other.facts
        stake.status = list(dict.fromkeys(stake.status + other.status))
        stake.assumptions = stake.assumptions + other.assumptions
        return stake

    def add(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else min(a + b, 100.0)

    low_a = first.percent if first.percent is not None else first.percent_min
    low_b = second.percent if second.percent is not None else second.percent_min
    high_a = first.percent if first.percent is not None else first.percent_max
    high_b = second.percent if second.percent is not None else second.percent_max
    both_exact = first.percent is not None and second.percent is not None
    return Stake(
        first.owner,
        first.owned,
        add(first.percent, second.percent) if both_exact else None,
        None if both_exact else add(low_a or 0.0, low_b or 0.0),
        None if both_exact else add(high_a, high_b),
        shares=(first.shares + second.shares)
        if first.shares is not None and second.shares is not None
        else None,
        consolidated=first.consolidated or second.consolidated,
        holding=first.holding or second.holding,
        basis=list(dict.fromkeys(first.basis + second.basis)),
        sources=sorted(set(first.sources + second.sources)),
        facts=first.facts + second.facts,
        status=list(dict.fromkeys(first.status + second.status)),
        assumptions=first.assumptions + second.assumptions,
    )
