"""One row of a CSV holdings file, checked: its percentages, range, share count, dates
and interest type read cell by cell, every problem reported with its line and column,
and the row kept only when nothing in it is wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from rdflib import URIRef

from groupkg.graph.dates import PartialDate, parse_partial_date
from groupkg.graph.errors import InputError
from groupkg.graph.formats.csvholdings.columns import (
    CONSOLIDATION_TYPES,
    did_you_mean,
    interest_types,
)

__all__ = ["MAX_SHARE_DIGITS", "HoldingsRow", "ReportProblem", "check_row"]

#: The most digits a share count may have (the largest issued anywhere has 13).
MAX_SHARE_DIGITS = 30
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_INTEGER = re.compile(r"^\d+$")
_TRUE, _FALSE = {"true", "yes", "1"}, {"false", "no", "0", ""}

#: Called with the line, the column and the reason of each problem found.
ReportProblem = Callable[[int, str, str], None]


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


class _Cells:
    """The cells of one row read one by one, counting the problems found in them."""

    def __init__(self, line: int, report: ReportProblem):
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
        if not value.is_finite() or not 0 <= value <= 100:
            self.problem(field, f"{text} is not a percentage between 0 and 100")
            return None
        return value

    def date(self, field: str, text: str) -> PartialDate | None:
        if not text:
            return None
        if not _DATE.match(text):
            self.problem(field, f"{text!r} is not an ISO date (YYYY, YYYY-MM or YYYY-MM-DD)")
            return None
        try:
            return parse_partial_date(text)
        except InputError:
            self.problem(field, f"{text} is not a real date")
            return None

    def flag(self, field: str, text: str) -> bool | None:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False if text else None
        self.problem(field, f"{text!r} is not true or false")
        return None


def check_row(line: int, values: dict[str, str], report: ReportProblem) -> HoldingsRow | None:
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
        if low > high:
            cells.problem("percent_min", f"{low} is greater than percent_max {high}")
        elif low == high and (low_x or high_x):
            cells.problem("percent_min", "an exclusive bound makes the range empty")
    if low_x and low is None:
        cells.problem("percent_min_exclusive", "is set but percent_min is empty")
    if high_x and high is None:
        cells.problem("percent_max_exclusive", "is set but percent_max is empty")
    shares_text = get("shares", "")
    if shares_text and not _INTEGER.match(shares_text):
        cells.problem("shares", f"{get('shares')!r} is not a whole number of shares")
    elif len(shares_text.lstrip("0")) > MAX_SHARE_DIGITS:
        cells.problem(
            "shares", f"{len(shares_text)} digits: no share count has more than {MAX_SHARE_DIGITS}"
        )
    start = cells.date("start_date", get("start_date", ""))
    end = cells.date("end_date", get("end_date", ""))
    as_of = cells.date("as_of", get("as_of", ""))
    if start is not None and end is not None:
        # A partial end takes effect after its period; only an impossible order is wrong.
        end_day = end.start if end.precision == "day" else end.end
        if end_day <= start.start:
            cells.problem("end_date", f"{end} is not after start_date {start} (end is exclusive)")
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
    )
