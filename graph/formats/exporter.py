"""``groupkg export``: the data of a store in any format the registry
(:mod:`~groupkg.graph.formats.registry`) writes: RDF, BODS, CSV holdings or GraphML.

The ontology itself is not exported, only the data described with it. A format that
cannot carry every fact of the store (:mod:`~groupkg.graph.formats.losses`) is refused
unless the export is asked to be lossy.
"""

from __future__ import annotations

import datetime as _dt

from groupkg.graph.dates import Day, as_day
from groupkg.graph.errors import InputError
from groupkg.graph.formats.losses import LostFacts, lost_facts
from groupkg.graph.formats.registry import by_name
from groupkg.graph.store import Store

__all__ = ["export", "export_lossy"]


def export(store: Store, fmt: str, day: Day | None = None, lossy: bool = False) -> bytes:
    """The store's data in ``fmt``; GraphML is the ownership graph on ``day`` (by
    default today; a day as :func:`~groupkg.graph.dates.as_day` takes it).

    In GraphML an unknown percent or share count is written as -1, since GraphML
    attributes have one type each.

    Raises
    ------
    InputError
        When ``fmt`` cannot carry some facts of the store and ``lossy`` is false; the
        message names each kind of fact and how many.
    """
    return export_lossy(store, fmt, day, lossy)[0]


def export_lossy(
    store: Store, fmt: str, day: Day | None = None, lossy: bool = False
) -> tuple[bytes, LostFacts]:
    """As :func:`export`, with what the export left out (empty unless ``lossy``)."""
    found = by_name(fmt, writing=True)
    assert found.writer is not None  # by_name(writing=True) gives writable formats only
    lost = lost_facts(store, found.name)
    if lost and not lossy:
        raise InputError(
            f"the {_FORMAT_NAMES.get(found.name, found.name)} format cannot carry "
            f"{lost.listing()}; give --lossy to export without them, or export ttl"
        )
    return found.writer(store, _dt.date.today() if day is None else as_day(day)), lost


_FORMAT_NAMES = {"csv": "CSV holdings", "bods": "BODS"}
