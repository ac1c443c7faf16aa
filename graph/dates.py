"""Dates as ownership data states them: exact days, months or years, or nothing.

A partial date (``2013`` or ``2013-11``) denotes the interval of days it covers. The
time model reads a partial *start* (incorporation, validFrom) as beginning on the
first day of its period and a partial *end* (dissolution, validTo) as taking effect
on the day after its period, so a fact counts wherever it may hold and no day is
invented.

A day a user gives (to :class:`~groupkg.graph.group.Group` and the other public
functions) may be an ISO string or any date object an analyst holds: :func:`as_day`
turns it into a :class:`datetime.date`.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

from groupkg.graph.errors import InputError

__all__ = [
    "Day",
    "PartialDate",
    "as_day",
    "day_before",
    "known_pair",
    "parse_date",
    "parse_partial_date",
]

#: What a day may be given as: an ISO ``YYYY-MM-DD`` string, a :class:`datetime.date`,
#: a :class:`datetime.datetime` (a pandas ``Timestamp`` is one) or a numpy
#: ``datetime64`` (:func:`as_day`).
if TYPE_CHECKING:
    import numpy as np

    Day: TypeAlias = str | _dt.date | np.datetime64
else:  # the same, without importing numpy until a value is one of its
    Day = str | _dt.date

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


def known_pair(
    known_before: str | None,
    known_after: str | None,
    *,
    valid_days: bool,
    known_at: bool,
    spell: Callable[[str], str] = str,
) -> tuple[_dt.date, _dt.date]:
    """The two days of knowledge a diff of what was known compares, parsed from their
    texts, where nothing that cannot go with them is given: days of valid time
    (``valid_days``: before, after or an event) or one day of knowledge (``known_at``).
    ``spell`` writes a parameter's name as its user knows it.

    Examples
    --------
    >>> known_pair("2020-01-15", "2020-03-02", valid_days=False, known_at=False)
    (datetime.date(2020, 1, 15), datetime.date(2020, 3, 2))
    >>> known_pair("2020-01-15", None, valid_days=False, known_at=False,
    ...            spell=lambda name: "--" + name.replace("_", "-"))
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: diff needs both --known-before and --known-after
    """
    before, after = spell("known_before"), spell("known_after")
    if valid_days:
        valid = "/".join(spell(name) for name in ("before", "after", "event"))
        raise InputError(f"give either {before}/{after} or {valid}")
    if known_at:
        raise InputError(f"{spell('known_at')} does not apply with {before}/{after}")
    if not (known_before and known_after):
        raise InputError(f"diff needs both {before} and {after}")
    return parse_date(known_before, before), parse_date(known_after, after)


def as_day(value: Day, what: str = "day") -> _dt.date:
    """The calendar day ``value`` gives, however a user holds it.

    Accepted: an ISO ``YYYY-MM-DD`` string; a :class:`datetime.date`; a
    :class:`datetime.datetime` or a pandas ``Timestamp``, as its date (the calendar
    date it states: a timezone-aware one is read in its own timezone, not converted to
    UTC, so ``2013-12-31T23:00-05:00`` is 2013-12-31); a numpy ``datetime64`` of a day
    or a finer unit, likewise. Neither pandas nor numpy is imported for a value that is
    not one of theirs.

    Parameters
    ----------
    value : str, datetime.date, datetime.datetime, pandas.Timestamp or numpy.datetime64
        The day.
    what : str
        What the day is, to name it in an error (default ``"day"``).

    Returns
    -------
    datetime.date

    Raises
    ------
    InputError
        For anything else, naming the value and what is wrong with it: None, a number,
        a partial date, a day that does not exist, a missing date (``NaT``).

    Examples
    --------
    >>> import datetime
    >>> as_day("2013-12-31")
    datetime.date(2013, 12, 31)
    >>> as_day(datetime.datetime(2013, 12, 31, 18, 30))
    datetime.date(2013, 12, 31)
    >>> as_day(None)
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: day: None is not a day (give YYYY-MM-DD or a date)
    >>> as_day("2013-02-30", "at")
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: at: 2013-02-30 is not a real day (day is out of range ...)
    """
    if isinstance(value, _dt.date):
        if value != value:  # pandas' NaT, a datetime that equals nothing
            raise InputError(f"{what}: {value!r} is a missing date, not a day")
        return value.date() if isinstance(value, _dt.datetime) else value
    if isinstance(value, str):
        return parse_date(value, what)
    if type(value).__name__ == "datetime64" and type(value).__module__ == "numpy":
        return _numpy_day(value, what)
    raise InputError(f"{what}: {value!r} is not a day (give YYYY-MM-DD or a date)")


def _numpy_day(value: np.datetime64, what: str) -> _dt.date:
    import numpy as np

    unit = np.datetime_data(value.dtype)[0]
    if np.isnat(value):
        raise InputError(f"{what}: {value!r} is a missing date, not a day")
    if unit in ("Y", "M", "W", "generic"):
        raise InputError(f"{what}: {value!r} is not a day (its unit is {unit!r})")
    day = value.astype("datetime64[D]").item()
    if not isinstance(day, _dt.date):
        raise InputError(f"{what}: {value!r} is outside the days Python has (1-9999)")
    return day


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
