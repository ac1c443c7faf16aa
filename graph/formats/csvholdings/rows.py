"""One row of a CSV holdings file, checked: its percentages, range, share count, dates
and interest type read cell by cell, every problem reported with its line and column,
and the row kept only when nothing in it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from rdflib import URIRef

from groupkg.graph.dates import PartialDate, parse_partial_date
from groupkg.graph.errors import InputError
from groupkg.graph.factrules import end_problem, percent_problem, range_problem, shares_problem
from groupkg.graph.formats.csvholdings.columns import (
    CONSOLIDATION_TYPES,
    did_you_mean,
    interest_types,
)
from groupkg.graph.formats.identifiers import identifier_problem
from groupkg.graph.formats.minting import iso_moment

__all__ = ["HoldingsRow", "ReportProblem", "check_row"]

_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}

#: Called with the line, the column and the reason of each problem found.
ReportProblem = Callable[[int | str, str, str], None]


@dataclass(frozen=True)
class HoldingsRow:
    """What one good row states: a holding, or a reported consolidation when
    ``consolidation`` (its class) is set; empty cells are None (or ``""``)."""

    owner: str
    owned: str
    source: str
    percent: Decimal | None
    percent_min: Decimal | None
    percent_max: Decimal | None
    min_exclusive: bool | None
    max_exclusive: bool | None
    shares: int | None
    share_class: str
    start: PartialDate | None
    end: PartialDate | None
    as_of: PartialDate | None
    interest: str
    consolidation: URIRef | None
    owner_identifier: tuple[str, str] | None = None
    owned_identifier: tuple[str, str] | None = None
    #: When the row became known: an ISO date, or a date-time in UTC (``...Z``).
    known_from: str | None = None


class _Cells:
    """The cells of one row read one by one, counting the problems found in them."""

    def __init__(self, line: int | str, report: ReportProblem):
        self.line, self.report, self.problems = line, report, 0

    def problem(self, field: str, reason: str) -> None:
        self.problems += 1
        self.report(self.line, field, reason)

    def decimal(self, field: str, text: str) -> Decimal | None:
        if not text:
            return None
        try:
            value = Decimal(text.removesuffix("%").strip())
        except InvalidOperation:
            self.problem(field, f"{text!r} is not a decimal number")
            return None
        reason = percent_problem(value, text)
        if reason is not None:
            self.problem(field, reason)
            return None
        return value

    def date(self, field: str, text: str) -> PartialDate | None:
        if not text:
            return None
        read = _date(text)
        if isinstance(read, str):
            self.problem(field, read)
            return None
        return read

    def moment(self, field: str, text: str) -> str | None:
        """A day (``2024-03-01``) as written, or a date-time with or without an offset
        (read as UTC without one) in UTC."""
        if not text:
            return None
        if _DAY.match(text):
            read = _date(text)
            if isinstance(read, str):
                self.problem(field, read)
                return None
            return text
        moment = iso_moment(text)
        if moment is None:
            self.problem(field, f"{text!r} is not an ISO date or date-time")
        return moment

    def identifier(self, field: str, text: str) -> tuple[str, str] | None:
        """``SCHEME:ID`` as a scheme and a value, checked against the scheme (wrong
        check digits are a problem: see :mod:`groupkg.graph.formats.identifiers`)."""
        if not text:
            return None
        scheme, _, value = (part.strip() for part in text.partition(":"))
        if not scheme or not value:
            self.problem(field, f"{text!r} is not SCHEME:ID (such as GB-COH:02723534)")
            return None
        wrong = identifier_problem(scheme, value)
        if wrong is not None and wrong.typo:
            self.problem(field, str(wrong))
            return None
        return scheme, value

    def flag(self, field: str, text: str) -> bool | None:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False if text else None
        self.problem(field, f"{text!r} is not true or false")
        return None


@lru_cache(maxsize=4096)  # a file names few dates, each on many rows
def _date(text: str) -> PartialDate | str:
    """The date a cell holds, or why it is none."""
    if not _DATE.match(text):
        return f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)"
    try:
        return parse_partial_date(text)
    except InputError:
        return f"{text} is not a real date"


def check_row(line: int | str, values: dict[str, str], report: ReportProblem) -> HoldingsRow | None:
    """The row on ``line`` (column -> stripped cell) read, or None when ``report`` was
    called about it or its owner or owned is empty."""
    cells = _Cells(line, report)
    get = values.get
    owner_name, owned_name = get("owner", ""), get("owned", "")
    for field, name in (("owner", owner_name), ("owned", owned_name)):
        if not name:
            cells.problem(field, "is empty: every holding needs an owner and an owned")
    percent = cells.decimal("percent", get("percent", ""))
    low = cells.decimal("percent_min", get("percent_min", ""))
    high = cells.decimal("percent_max", get("percent_max", ""))
    low_x = cells.flag("percent_min_exclusive", get("percent_min_exclusive", ""))
    high_x = cells.flag("percent_max_exclusive", get("percent_max_exclusive", ""))
    if percent is not None and (low is not None or high is not None):
        cells.problem("percent", "give either percent or a range, not both")
    if low is not None and high is not None:
        reason = range_problem(low, high, bool(low_x), bool(high_x))
        if reason is not None:
            cells.problem("percent_min", reason)
    if low_x and low is None:
        cells.problem("percent_min_exclusive", "is set but percent_min is empty")
    if high_x and high is None:
        cells.problem("percent_max_exclusive", "is set but percent_max is empty")
    shares_text = get("shares", "")
    shares_reason = shares_problem(shares_text) if shares_text else None
    if shares_reason is not None:
        cells.problem("shares", shares_reason)
    start = cells.date("start_date", get("start_date", ""))
    end = cells.date("end_date", get("end_date", ""))
    as_of = cells.date("as_of", get("as_of", ""))
    if start is not None and end is not None:
        end_reason = end_problem(start, end)
        if end_reason is not None:
            cells.problem("end_date", f"{end} {end_reason}")
    interest = get("interest_type", "")
    consolidation = CONSOLIDATION_TYPES.get(interest)
    if interest and consolidation is None and interest not in interest_types():
        known = sorted(interest_types()) + list(CONSOLIDATION_TYPES)
        hint = did_you_mean(interest, known)
        cells.problem(
            "interest_type",
            f"{interest!r} is not a BODS interest type nor a reported consolidation{hint}",
        )
    if consolidation is not None:
        for field in ("percent_min", "percent_max", "shares", "share_class"):
            if get(field, ""):
                cells.problem(
                    field,
                    f"a reported consolidation ({interest}) takes one percent at most, not {field}",
                )
    owner_identifier = cells.identifier("owner_identifier", get("owner_identifier", ""))
    owned_identifier = cells.identifier("owned_identifier", get("owned_identifier", ""))
    known_from = cells.moment("known_from", get("known_from", ""))
    if cells.problems or not owner_name or not owned_name:
        return None
    return HoldingsRow(
        owner=owner_name,
        owned=owned_name,
        source=get("source", ""),
        percent=percent,
        percent_min=low,
        percent_max=high,
        min_exclusive=low_x,
        max_exclusive=high_x,
        shares=int(shares_text) if shares_text else None,
        share_class=get("share_class", ""),
        start=start,
        end=end,
        as_of=as_of,
        interest=interest,
        consolidation=consolidation,
        owner_identifier=owner_identifier,
        owned_identifier=owned_identifier,
        known_from=known_from,
    )
