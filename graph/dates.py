"""Dates as ownership data states them: exact days, months or years, or nothing.

A partial date (``2013`` or ``2013-11``) denotes the interval of days it covers. The
time model reads a partial *start* (incorporation, validFrom) as beginning on the
first day of its period and a partial *end* (dissolution, validTo) as taking effect
on the day after its period, so a fact counts wherever it may hold and no day is
invented.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

from groupkg.graph.errors import InputError

__all__ = ["PartialDate", "parse_date", "parse_partial_date", "day_before"]

_XSD = "http://www.w3.org/2001/XMLSchema#"
_ISO_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_PARTIAL = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:T.*|Z|[+-]\d{2}:\d{2})?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A day, a month or a year: the half-open interval ``[start, end)`` of days.

    Examples
    --------
    >>> d = parse_partial_date("1996-11")
    >>> d.start.isoformat(), d.end.isoformat(), d.precision
    ('1996-11-01', '1996-12-01', 'month')
    >>> str(parse_partial_date("2014-01-01"))
    '2014-01-01'
    """

    start: _dt.date
    end: _dt.date
    precision: str  # "day", "month" or "year"

    def __str__(self) -> str:
        if self.precision == "year":
            return f"{self.start.year:04d}"
        if self.precision == "month":
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()

    @property
    def xsd_datatype(self) -> str:
        """The XML Schema datatype IRI that states this date at its precision."""
        return _XSD + {"day": "date", "month": "gYearMonth", "year": "gYear"}[self.precision]


def parse_date(text: str, what: str = "date") -> _dt.date:
    """Parse a strict ISO ``YYYY-MM-DD`` day given by a user.

    Raises
    ------
    InputError
        For anything that is not a real calendar day, naming ``what``.

    Examples
    --------
    >>> parse_date("2013-12-31")
    datetime.date(2013, 12, 31)
    >>> parse_date("2013-02-30", "--at")
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: --at: 2013-02-30 is not a real day (day is out of range ...)
    """
    text = text.strip()
    if not _ISO_DAY.match(text):
        raise InputError(f"{what}: {text!r} is not an ISO date (expected YYYY-MM-DD)")
    try:
        return _dt.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(f"{what}: {text} is not a real day ({exc})") from None


def parse_partial_date(text: str) -> PartialDate:
    """Parse ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or an ISO date-time (its day).

    Raises
    ------
    InputError
        When the text is no such date or names a day that does not exist.
    """
    match = _PARTIAL.match(text.strip())
    if not match:
        raise InputError(f"{text!r} is not a date (expected YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = match.groups()
    try:
        if day is not None:
            start = _dt.date(int(year), int(month), int(day))
            return PartialDate(start, _first_day_after(start, start), "day")
        if month is not None:
            start = _dt.date(int(year), int(month), 1)
            days = calendar.monthrange(start.year, start.month)[1]
            last = _dt.date(start.year, start.month, days)
            return PartialDate(start, _first_day_after(start, last), "month")
        start = _dt.date(int(year), 1, 1)
        return PartialDate(start, _first_day_after(start, _dt.date(start.year, 12, 31)), "year")
    except ValueError as exc:
        raise InputError(f"{text!r} is not a real date ({exc})") from None


def _first_day_after(start: _dt.date, last: _dt.date) -> _dt.date:
    """The day after ``last``, the exclusive end of a period; a period that ends on
    9999-12-31, the last day Python has, ends there (9999-12-31 is a real date, often
    written as "no end")."""
    return last + _dt.timedelta(days=1) if last < _dt.date.max else _dt.date.max


def day_before(day: _dt.date) -> _dt.date:
    """The last day of the old state, for an event effective on ``day``.

    Raises
    ------
    InputError
        For 0001-01-01, which has no day before it.
    """
    if day == _dt.date.min:
        raise InputError(f"there is no day before {day.isoformat()}")
    return day - _dt.timedelta(days=1)
