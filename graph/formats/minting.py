"""How the readers mint terms from what a record says: a digest of its parts for an
IRI, a figure as the one literal that spells it, and a moment in UTC, so that the same
record read twice gives the same terms.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal

from rdflib import XSD, Literal

__all__ = ["digest", "decimal_literal", "iso_moment", "utc_text"]


def digest(*parts: object) -> str:
    """The SHA-1 of ``parts`` joined by a unit separator, in hex."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in its shortest form, so equal figures are equal terms.

    >>> decimal_literal(Decimal("50.00")).n3()
    '"50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


def utc_text(moment: dt.datetime) -> str:
    """A moment as an xsd:dateTime in UTC (one without an offset is taken to be UTC).

    >>> utc_text(dt.datetime(2023, 1, 5, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=9))))
    '2023-01-05T00:30:00Z'
    """
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).replace(tzinfo=None).isoformat() + "Z"


def iso_moment(text: str) -> str | None:
    """An ISO 8601 date-time as :func:`utc_text` spells it, or None when it is none.

    >>> iso_moment("2019-06-18T14:32:00.000Z"), iso_moment("2019-06-18T14:32:00")
    ('2019-06-18T14:32:00Z', '2019-06-18T14:32:00Z')
    >>> iso_moment("2020-02-30T00:00:00Z") is None
    True
    """
    try:
        return utc_text(dt.datetime.fromisoformat(text.replace("z", "Z")))
    except ValueError:
        return None
