"""The columns of a GLEIF relationship-record file and how their values read: the
relationship types, the node, period and quantifier columns, LEIs, dates and percentages.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from stdnum import lei

from groupkg.graph.formats.minting import iso_moment, utc_text
from groupkg.graph.vocab import GK

__all__ = [
    "LEI_BASE",
    "GLEIF_BASE",
    "RELATIONSHIP_TYPES",
    "FUND_ENDS",
    "LAST_UPDATE",
    "START_NODE",
    "END_NODE",
    "START_NODE_TYPE",
    "END_NODE_TYPE",
    "RELATIONSHIP_TYPE",
    "RELATIONSHIP_STATUS",
    "REGISTRATION_STATUS",
    "VALIDATION_SOURCES",
    "REQUIRED_COLUMNS",
    "PERIOD_COLUMN",
    "QUANTIFIER_COLUMN",
    "is_lei",
    "iso_day",
    "gleif_day",
    "gleif_moment",
    "percent_scale",
]

LEI_BASE = "https://w3id.org/groupkg/data/lei/"
GLEIF_BASE = "https://w3id.org/groupkg/data/gleif/"
RELATIONSHIP_TYPES = {
    "IS_DIRECTLY_CONSOLIDATED_BY": GK.DirectConsolidation,
    "IS_ULTIMATELY_CONSOLIDATED_BY": GK.UltimateConsolidation,
    "IS_INTERNATIONAL_BRANCH_OF": GK.BranchRelation,
    "IS_FUND-MANAGED_BY": GK.FundManagementRelation,
    "IS_SUBFUND_OF": GK.SubFundRelation,
    "IS_FEEDER_TO": GK.FeederRelation,
}
# Which ends of a relation are funds: (child, parent).
FUND_ENDS = {
    "IS_FUND-MANAGED_BY": (True, False),
    "IS_SUBFUND_OF": (True, True),
    "IS_FEEDER_TO": (True, True),
}

START_NODE, END_NODE = "Relationship.StartNode.NodeID", "Relationship.EndNode.NodeID"
START_NODE_TYPE, END_NODE_TYPE = (
    "Relationship.StartNode.NodeIDType",
    "Relationship.EndNode.NodeIDType",
)
RELATIONSHIP_TYPE, RELATIONSHIP_STATUS = (
    "Relationship.RelationshipType",
    "Relationship.RelationshipStatus",
)
REGISTRATION_STATUS, VALIDATION_SOURCES, LAST_UPDATE = (
    "Registration.RegistrationStatus",
    "Registration.ValidationSources",
    "Registration.LastUpdateDate",
)
REQUIRED_COLUMNS = (START_NODE, END_NODE, RELATIONSHIP_TYPE)
PERIOD_COLUMN = re.compile(r"^Relationship\.Period\.(\d+)\.(startDate|endDate|periodType)$")
# Golden copies of 2019 name the quantifier columns "Relationship.Qualifiers.N.Quantifier..."
# (beside the qualifier dimension and category); later ones "Relationship.Quantifiers.N...".
QUANTIFIER_COLUMN = re.compile(
    r"^Relationship\.(Quantifiers|Qualifiers)\.(\d+)\."
    r"(MeasurementMethod|QuantifierAmount|QuantifierUnits)$"
)
_LEI = re.compile(r"^[A-Z0-9]{18}[0-9]{2}$")
_DATE_TIME = re.compile(
    r"^(\d{4}-\d{2}-\d{2})(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
# Golden copies of 2019 write some dates as milliseconds since 1970-01-01T00:00:00Z.
_EPOCH_MILLISECONDS = re.compile(r"^-?\d{1,15}$")
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def is_lei(text: str) -> bool:
    """ISO 17442: 18 letters or digits and two ISO 7064 MOD 97-10 check digits."""
    return bool(_LEI.match(text)) and lei.is_valid(text)


def iso_day(text: str) -> dt.date | None:
    """The day of an ISO date or date-time as written (its offset ignored), or None."""
    match = _DATE_TIME.match(text)
    if not match:
        return None
    try:
        return dt.date.fromisoformat(match.group(1))
    except ValueError:
        return None


def gleif_day(text: str) -> dt.date | None:
    """The day of a GLEIF date as any golden copy writes it, or None: an ISO date or
    date-time (the day as written), or milliseconds since the epoch (the UTC day: the
    number carries no offset, so none is guessed).

    >>> gleif_day("2018-06-15T00:00:00.000Z"), gleif_day("1498089600000")
    (datetime.date(2018, 6, 15), datetime.date(2017, 6, 22))
    >>> gleif_day("1498165200000")  # 2017-06-22T21:00Z: midnight at +03:00, UTC day kept
    datetime.date(2017, 6, 22)
    """
    if _EPOCH_MILLISECONDS.match(text):
        try:
            return (_EPOCH + dt.timedelta(milliseconds=int(text))).date()
        except OverflowError:
            return None
    return iso_day(text)


def gleif_moment(text: str) -> str | None:
    """A GLEIF record's update time (``Registration.LastUpdateDate``) as an
    ``xsd:dateTime`` in UTC, or None: an ISO date-time with an offset, read at that
    offset; one without, or a bare date, read as UTC; milliseconds since the epoch.

    >>> gleif_moment("2019-06-18T14:32:00.000Z"), gleif_moment("2023-01-05T09:30:00+09:00")
    ('2019-06-18T14:32:00Z', '2023-01-05T00:30:00Z')
    >>> gleif_moment("1498089600000"), gleif_moment("2020-02-30T00:00:00Z") is None
    ('2017-06-22T00:00:00Z', True)
    """
    if not _EPOCH_MILLISECONDS.match(text):
        return iso_moment(text)
    try:
        return utc_text(_EPOCH + dt.timedelta(milliseconds=int(text)))
    except OverflowError:
        return None


def percent_scale(amount: Decimal) -> tuple[Decimal, bool]:
    """A GLEIF percentage quantifier on a 0-100 scale, and whether it was a fraction."""
    if 0 < amount <= 1:
        return amount * 100, True
    return amount, False
