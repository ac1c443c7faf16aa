"""What a consistency check reports, and the days and words every check shares.

:class:`Inconsistency` is one finding of the time model; :data:`TOLERANCE_PERCENT`
the rounding a total over 100% is allowed. The helpers name the days a check looks
at (where a span starts or ends, when a partial date takes effect) and write the
figures and names its message gives.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import math
from collections.abc import Iterable, Iterator

from groupkg.graph.dates import PartialDate
from groupkg.graph.model import Dataset, Holding, Relation
from groupkg.graph.timemodel.stakes import SHARES, Span, Stake
from groupkg.graph.timemodel.timeline import Timeline

__all__ = [
    "TOLERANCE_PERCENT",
    "Inconsistency",
    "figures_sum",
    "interest_word",
    "low_percent",
    "stake_figure",
    "recorded_facts",
    "covers",
    "change_days",
    "first_day_without",
    "on_day",
    "percent_text",
    "entity_name",
    "fact_kind",
    "start_of",
    "sources_of",
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


def figures_sum(figures: list[tuple[float, float | None, bool]]) -> str:
    """The sum of figures ``(low, high, exact)``, a high of None having no upper
    bound: ``X%`` when all are exact, else ``X-Y%`` or ``at least X%``."""
    low = sum(f[0] for f in figures)
    if all(exact for _, _, exact in figures):
        return f"{percent_text(low)}%"
    highs = [high for _, high, _ in figures]
    if any(high is None for high in highs):
        return f"at least {percent_text(low)}%"
    return f"{percent_text(low)}-{percent_text(sum(h for h in highs if h))}%"


def interest_word(interest: str) -> str:
    """The kind of interest in words: ``shares`` for the shares interest."""
    return "shares" if interest == SHARES else interest


def low_percent(stake: Stake) -> float:
    """A stake at its lower bound: the exact figure, else the range's minimum, else 0."""
    value = stake.percent if stake.percent is not None else stake.percent_min
    return float(value) if value is not None and math.isfinite(value) else 0.0


def stake_figure(stake: Stake) -> str:
    """A stake's figure in words: ``X%``, or ``X-Y%`` for a range."""
    if stake.percent is not None:
        return f"{percent_text(stake.percent)}%"
    low = percent_text(stake.percent_min) if stake.percent_min is not None else "0"
    high = percent_text(stake.percent_max) if stake.percent_max is not None else "100"
    return f"{low}-{high}%"


def recorded_facts(dataset: Dataset) -> Iterator[tuple[Holding | Relation, str, str]]:
    """Every holding and reported relation, with its owner (parent) and owned entity (child)."""
    for holding in dataset.holdings:
        yield holding, holding.owner, holding.owned
    for relation in dataset.relations:
        yield relation, relation.parent, relation.child


def covers(span: Span, day: _dt.date) -> bool:
    """Whether ``span`` is in force on ``day``."""
    return (span.start is None or span.start <= day) and (span.end is None or day < span.end)


def change_days(spans: Iterable[Span]) -> set[_dt.date]:
    """Every start and end of ``spans``, and the first day where one has no start."""
    days = set()
    for span in spans:
        days.add(span.start if span.start is not None else _dt.date.min)
        if span.end is not None:
            days.add(span.end)
    return days


def first_day_without(date: PartialDate | None) -> _dt.date | None:
    """The first day without the fact: a partial end takes effect after its period."""
    if date is None:
        return None
    return date.start if date.precision == "day" else date.end


def on_day(day: _dt.date) -> str:
    """A day in words, the first day of the records named as such."""
    return "from the start of the records" if day == _dt.date.min else f"on {day.isoformat()}"


def percent_text(value: float) -> str:
    """A percentage as a message gives it: at most four decimals, no trailing zeros."""
    return f"{round(value, 4):g}"


def entity_name(timeline: Timeline, entity_id: str) -> str:
    """The name an entity is shown by."""
    return timeline.dataset.ref(entity_id).name


def fact_kind(fact: Holding | Relation) -> str:
    """What a fact is, in words: a holding or a reported relation."""
    return "holding" if isinstance(fact, Holding) else "reported relation"


def sources_of(spans: Iterable[Span]) -> tuple[str, ...]:
    """The sources of the facts behind ``spans``, each once, in order."""
    return tuple(sorted({source for span in spans for source in span.sources}))


def start_of(fact: Holding | Relation) -> PartialDate | None:
    """When a record starts: its start (``validFrom``), else its date (``asOf``)."""
    return fact.valid_from or fact.as_of
