"""``groupkg export``: the data of a store in any format the registry
(:mod:`~groupkg.graph.formats.registry`) writes: RDF, BODS, CSV holdings or GraphML.

The ontology itself is not exported, only the data described with it.
"""

from __future__ import annotations

import datetime as _dt

from groupkg.graph.dates import Day, as_day
from groupkg.graph.formats.registry import by_name
from groupkg.graph.store import Store

__all__ = ["export"]


def export(store: Store, fmt: str, day: Day | None = None) -> bytes:
    """The store's data in ``fmt``; GraphML is the ownership graph on ``day`` (by
    default today; a day as :func:`~groupkg.graph.dates.as_day` takes it).

    In GraphML an unknown percent or share count is written as -1, since GraphML
    attributes have one type each.
    """
    found = by_name(fmt, writing=True)
    assert found.writer is not None  # by_name(writing=True) gives writable formats only
    return found.writer(store, _dt.date.today() if day is None else as_day(day))
