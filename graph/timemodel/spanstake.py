"""The stake one span gives on one day: what its record states, with a percentage
derived from share counts following the issued shares of that day, and its basis (how
the stake is known: stated, observed, derived, passed on by a merger, or assumed).
"""

from __future__ import annotations

import datetime as _dt
from fractions import Fraction

from groupkg.graph.model import Holding, Relation
from groupkg.graph.timemodel.stakes import BOARD, CONSOLIDATION, Span, Stake, interest_of
from groupkg.graph.timemodel.timeline import Timeline, whole_shares

__all__ = ["span_stake"]


def span_stake(timeline: Timeline, span: Span, day: _dt.date) -> Stake:
    """The stake ``span`` gives on ``day`` (a day within it): percentages derived
    from share counts follow the issued shares of that day. The checks of
    :mod:`groupkg.graph.validate.consistency` read a few companies on many days this way,
    without a whole day's state."""
    if span.relation is not None:
        return Stake(
            span.owner,
            span.owned,
            span.relation.percent,
            None,
            None,
            consolidated=True,
            holding=False,
            interest=CONSOLIDATION,
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
        consolidated=interest_of(holding) == BOARD,
        interest=interest_of(holding),
        basis=[_basis(span)],
        sources=span.sources,
        facts=[span.fact_id],
        status=[holding.status],
        assumptions=_assumed(holding),
    )
    if holding.shares is None:
        return stake
    stated = holding.as_of or holding.valid_from
    stated_on = stated.start if stated else span.start
    shares = Fraction(holding.shares)  # exact: a count past 2**53 keeps every share
    issued_then = None
    if stated_on is not None:
        shares *= timeline.split_factor(span.owned, stated_on, day)
        issued_then = timeline.issued_shares(span.owned, stated_on)
        if issued_then is not None:
            issued_then = whole_shares(
                issued_then * timeline.split_factor(span.owned, stated_on, day)
            )
    stake.shares = whole_shares(shares)
    if stake.shares is None:
        return stake
    issued_now = timeline.issued_shares(span.owned, day)
    unknown = holding.percent is None and holding.percent_min is None
    if issued_now and (unknown or (issued_then is not None and issued_then != issued_now)):
        stake.percent = float(shares) / issued_now * 100
        stake.percent_min = stake.percent_max = None
        stake.basis.append(f"percent derived: {stake.shares:,} of {issued_now:,} issued shares")
    return stake


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
