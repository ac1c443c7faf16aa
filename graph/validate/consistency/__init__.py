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

The checks live by family: :mod:`.ownership` (over-100-percent, control-cycle),
:mod:`.records` (same-day-records, repeated-record, inactive-without-end) and
:mod:`.lifetimes` (outside-lifetime, merged-away); :mod:`.inconsistency` holds what
they report and share.
"""

from __future__ import annotations

import dataclasses
import math

from groupkg.graph.model import Dataset, Event, Holding, Observation
from groupkg.graph.timemodel.knowledge import visible
from groupkg.graph.timemodel.timeline import Timeline
from groupkg.graph.validate.consistency.inconsistency import TOLERANCE_PERCENT, Inconsistency
from groupkg.graph.validate.consistency.lifetimes import merged_away, outside_lifetime
from groupkg.graph.validate.consistency.ownership import control_cycles_over_time, over_owned
from groupkg.graph.validate.consistency.records import (
    inactive_without_end,
    repeated_records,
    same_day_records,
)

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
    # The records nothing supersedes: a correction and what it corrects are one fact.
    timeline = Timeline(visible(_plausible(dataset), None))
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
