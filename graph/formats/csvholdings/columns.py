"""The columns of the CSV holdings format, and the ``interest_type`` values it takes."""

from __future__ import annotations

import csv
import io
from functools import cache
from importlib.resources import files

from groupkg.graph.vocab import GK

__all__ = [
    "LOCAL_BASE",
    "CSV_COLUMNS",
    "CSV_EXTRA_COLUMNS",
    "CONSOLIDATION_TYPES",
    "fold",
    "interest_types",
]

LOCAL_BASE = "https://w3id.org/groupkg/data/local/"
CSV_COLUMNS = (
    "owner",
    "owned",
    "percent",
    "percent_min",
    "percent_max",
    "shares",
    "start_date",
    "end_date",
    "source",
)
CSV_EXTRA_COLUMNS = (
    "percent_min_exclusive",
    "percent_max_exclusive",
    "share_class",
    "as_of",
    "interest_type",
)


def fold(name: str) -> str:
    """A name as names compare: case-insensitive, whitespace collapsed."""
    return " ".join(name.casefold().split())


#: The ``interest_type`` values that make a row a reported consolidation, not a holding.
CONSOLIDATION_TYPES = {
    "directConsolidation": GK.DirectConsolidation,
    "ultimateConsolidation": GK.UltimateConsolidation,
}


@cache
def interest_types() -> frozenset[str]:
    """The BODS interest types (its ``interestType`` codelist)."""
    codelist = files("groupkg.graph.formats") / "bods/bods_schema/codelists/interestType.csv"
    text = codelist.read_text("utf-8")
    return frozenset(row["code"] for row in csv.DictReader(io.StringIO(text)))
