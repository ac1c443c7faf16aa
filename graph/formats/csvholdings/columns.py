"""The columns of the CSV holdings format, and the ``interest_type`` values it takes."""

from __future__ import annotations

import csv
import difflib
import io
from collections.abc import Sequence
from functools import cache
from importlib.resources import files

from groupkg.graph.vocab import GK

__all__ = [
    "LOCAL_BASE",
    "CSV_COLUMNS",
    "CSV_EXTRA_COLUMNS",
    "CONSOLIDATION_TYPES",
    "did_you_mean",
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
    "owner_identifier",
    "owned_identifier",
    "known_from",
)


def did_you_mean(value: str, known: Sequence[str]) -> str:
    """A hint at the known column or value closest to a misspelt one, or nothing.

    >>> did_you_mean("precent", CSV_COLUMNS), did_you_mean("xyz", CSV_COLUMNS)
    (" (did you mean 'percent'?)", '')
    """
    close = difflib.get_close_matches(value, known, n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


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
