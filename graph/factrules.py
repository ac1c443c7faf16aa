"""The rules a recorded fact keeps however it comes in: a CSV holdings row, a row of a
pandas DataFrame, or a :class:`~groupkg.graph.model.Dataset` built in Python.

Each rule returns the reason a value breaks it (``None`` when it keeps it), worded as the
readers report it, so a figure refused in a file is refused in the same words from
Python. :func:`check_dataset` applies them to every holding and relation of a dataset
and to the dates of its entities.
"""

from __future__ import annotations

import datetime as _dt
import math
import numbers
import re
from decimal import Decimal
from typing import Any

from groupkg.graph.dates import PartialDate
from groupkg.graph.errors import BadInput, ImportProblem
from groupkg.graph.model import Dataset, Holding, Relation

__all__ = [
    "MAX_SHARE_DIGITS",
    "check_dataset",
    "end_problem",
    "percent_problem",
    "range_problem",
    "shares_problem",
]

#: The most digits a share count may have (the largest issued anywhere has 13).
MAX_SHARE_DIGITS = 30
_DIGITS = re.compile(r"^\d+$")


def percent_problem(value: Decimal | float, shown: str) -> str | None:
    """Why ``value`` (written ``shown``) is not a percentage: not finite, or outside 0-100.

    >>> percent_problem(Decimal("150"), "150")
    '150 is not a percentage between 0 and 100'
    >>> percent_problem(float("nan"), "nan")
    'nan is not a percentage between 0 and 100'
    >>> percent_problem(60.0, "60") is None
    True
    """
    finite = value.is_finite() if isinstance(value, Decimal) else math.isfinite(value)
    if not finite or not 0 <= value <= 100:
        return f"{shown} is not a percentage between 0 and 100"
    return None


def range_problem(
    low: Decimal | float, high: Decimal | float, low_exclusive: bool, high_exclusive: bool
) -> str | None:
    """Why a percentage range holds no value: its minimum above its maximum, or equal
    bounds with one of them exclusive (the reason is the minimum's).

    >>> range_problem(60, 40, False, False)
    '60 is greater than percent_max 40'
    >>> range_problem(50, 50, True, False)
    'an exclusive bound makes the range empty'
    """
    if low > high:
        return f"{low} is greater than percent_max {high}"
    if low == high and (low_exclusive or high_exclusive):
        return "an exclusive bound makes the range empty"
    return None


def shares_problem(digits: str) -> str | None:
    """Why ``digits`` (a share count as written) is not one: not a whole number, or more
    digits than :data:`MAX_SHARE_DIGITS`.

    >>> shares_problem("-5")
    "'-5' is not a whole number of shares"
    >>> shares_problem("1000") is None
    True
    """
    if not _DIGITS.match(digits):
        return f"{digits!r} is not a whole number of shares"
    if len(digits.lstrip("0")) > MAX_SHARE_DIGITS:
        return f"{len(digits)} digits: no share count has more than {MAX_SHARE_DIGITS}"
    return None


def end_problem(start: PartialDate, end: PartialDate) -> str | None:
    """Why ``end`` cannot end a fact that starts on ``start``: it is not after it (a
    partial end takes effect after its period; only an impossible order is wrong).

    >>> from groupkg.graph.dates import parse_partial_date as day
    >>> end_problem(day("2020-05-01"), day("2020-05-01"))
    'is not after start_date 2020-05-01 (end is exclusive)'
    >>> end_problem(day("2020-05-01"), day("2020-05")) is None
    True
    """
    end_day = end.start if end.precision == "day" else end.end
    if end_day <= start.start:
        return f"is not after start_date {start} (end is exclusive)"
    return None


class _Checker:
    """One pass over a dataset, collecting every problem."""

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.problems: list[ImportProblem] = []

    def problem(self, where: str, field: str, reason: str) -> None:
        self.problems.append(ImportProblem("Dataset", where, field, reason))

    def entity(self, where: str, field: str, value: Any) -> None:
        if not isinstance(value, str) or value not in self.dataset.entities:
            self.problem(where, field, f"{value!r} is not an entity of the dataset")

    def percent(self, where: str, field: str, value: Any) -> float | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
            self.problem(where, field, f"{value!r} is not a number")
            return None
        reason = percent_problem(value, str(value))
        if reason is not None:
            self.problem(where, field, reason)
            return None
        return float(value)

    def dates(self, where: str, fact: Holding | Relation) -> None:
        fields = {"valid_from": fact.valid_from, "valid_to": fact.valid_to, "as_of": fact.as_of}
        for field, value in fields.items():
            self.date(where, field, value)
        start, end = fact.valid_from, fact.valid_to
        if isinstance(start, PartialDate) and isinstance(end, PartialDate):
            reason = end_problem(start, end)
            if reason is not None:
                self.problem(where, "valid_to", f"{end} {reason}")

    def date(self, where: str, field: str, value: Any) -> None:
        if value is not None and not isinstance(value, PartialDate):
            shown = value.isoformat() if isinstance(value, _dt.date) else repr(value)
            self.problem(where, field, f"{shown} is not a PartialDate")

    def holding(self, holding: Holding) -> None:
        where = f"holding {holding.id}"
        self.entity(where, "owner", holding.owner)
        self.entity(where, "owned", holding.owned)
        if holding.owner == holding.owned:
            itself = f"{holding.owned!r} is also the owner: nothing holds itself"
            self.problem(where, "owned", itself)
        self.percent(where, "percent", holding.percent)
        low = self.percent(where, "percent_min", holding.percent_min)
        high = self.percent(where, "percent_max", holding.percent_max)
        if holding.percent is not None and (low is not None or high is not None):
            self.problem(where, "percent", "give either percent or a range, not both")
        if low is not None and high is not None:
            empty = range_problem(low, high, holding.min_exclusive, holding.max_exclusive)
            if empty is not None:
                self.problem(where, "percent_min", empty)
        shares = holding.shares
        if shares is not None:
            whole = isinstance(shares, numbers.Integral) and not isinstance(shares, bool)
            reason = shares_problem(str(int(shares)) if whole else repr(shares))
            if reason is not None:
                self.problem(where, "shares", reason)
        self.dates(where, holding)

    def relation(self, relation: Relation) -> None:
        where = f"relation {relation.id}"
        self.entity(where, "parent", relation.parent)
        self.entity(where, "child", relation.child)
        self.percent(where, "percent", relation.percent)
        self.dates(where, relation)


def check_dataset(dataset: Dataset) -> None:
    """Check the facts of a dataset built in Python before any question is asked of it.

    Every holding and relation: its owner and owned (parent and child) are entities of
    the dataset, a percent and a range's bounds are finite numbers from 0 to 100, a
    range holds a value, a share count is a non-negative whole number, its dates are
    :class:`~groupkg.graph.dates.PartialDate` values and its end comes after its start;
    every entity: it is filed under its own id, and its dates are ``PartialDate`` values.
    The rules are those the CSV holdings reader applies to a row, in the same words.

    Raises
    ------
    BadInput
        Listing every problem as ``Dataset:holding ID: FIELD: REASON`` (or ``relation
        ID``, ``entity ID``); nothing is wrong when it returns.

    Examples
    --------
    >>> from groupkg.graph.model import Entity
    >>> entities = {e: Entity(e, e.title()) for e in ["p", "a"]}
    >>> toy = Dataset(entities, [Holding("h1", "p", "a", 150.0)])
    >>> try:
    ...     check_dataset(toy)
    ... except BadInput as error:
    ...     print(error)
    Dataset:holding h1: percent: 150.0 is not a percentage between 0 and 100
    """
    checker = _Checker(dataset)
    for key, entity in dataset.entities.items():
        where = f"entity {key}"
        if getattr(entity, "id", None) != key:
            checker.problem(where, "id", f"is filed under {key!r} but its id is {entity.id!r}")
        checker.date(where, "incorporated", entity.incorporated)
        checker.date(where, "dissolved", entity.dissolved)
    for holding in dataset.holdings:
        checker.holding(holding)
    for relation in dataset.relations:
        checker.relation(relation)
    if checker.problems:
        raise BadInput(checker.problems)
