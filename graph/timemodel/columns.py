"""The columns of a register (:class:`~groupkg.graph.timemodel.register.Register`).

One row for each holding or direct consolidation and the days it holds:

``owner``, ``owned``
    positions in :attr:`Register.ids <groupkg.graph.timemodel.register.Register.ids>`
    (entity IRIs, sorted), int32;
``start``, ``end``
    the half-open interval of days ``[start, end)`` as proleptic ordinals
    (:meth:`datetime.date.toordinal`), int32, with :data:`OPEN_START` and
    :data:`OPEN_END` for an unknown start or end;
``low``, ``high``
    bounds of the fraction held (0 and 1 when unknown), float64;
``flags``
    :data:`LOW_EXCLUSIVE`, :data:`HIGH_EXCLUSIVE`, :data:`CONSOLIDATED`, :data:`HOLDING`;
``kind``
    the interest kind, a code into ``Register.interests``;
``origin``
    the time model's stake of the row, a position in ``Register.stakes``.

One row for each entity: ``ids`` (sorted, as bytes), ``born`` and ``ended`` (the days
of its lifetime) and ``kinds`` (:data:`KNOWN`, :data:`UNNAMED`). Rows are sorted by
owned entity, then owner, then start, with one offset per entity (as in a CSR matrix,
``owned_offsets``), so the owners of an entity on a day are a slice of a few rows and
a filter; a second permutation (``owner_order``, ``owner_offsets``) does the same for
what an entity holds. :func:`index_rows` makes those.
"""

from __future__ import annotations

import numpy as np

from groupkg.graph.dates import Day, as_day

__all__ = [
    "OPEN_START",
    "OPEN_END",
    "LOW_EXCLUSIVE",
    "HIGH_EXCLUSIVE",
    "CONSOLIDATED",
    "HOLDING",
    "KNOWN",
    "UNNAMED",
    "ROW_COLUMNS",
    "REQUIRED",
    "day_number",
    "records_of",
    "index_rows",
]

OPEN_START = int(np.iinfo(np.int32).min)
OPEN_END = int(np.iinfo(np.int32).max)
LOW_EXCLUSIVE, HIGH_EXCLUSIVE, CONSOLIDATED, HOLDING = 1, 2, 4, 8
KNOWN, UNNAMED = 1, 2  # entity kinds: has a lifetime record (a node when alive); unnamed

ROW_COLUMNS = ("owner", "owned", "start", "end", "low", "high", "flags", "kind", "origin")
_ENTITY_COLUMNS = ("ids", "born", "ended", "kinds")
#: The arrays every register has (a saved one lacking any is corrupt).
REQUIRED = (*_ENTITY_COLUMNS, *ROW_COLUMNS, "owned_offsets", "owner_order", "owner_offsets")


def day_number(day: Day | int) -> int:
    """The int32 day number of ``day`` (its proleptic ordinal); an int passes through,
    any other day is read by :func:`~groupkg.graph.dates.as_day`.

    >>> import datetime
    >>> day_number(datetime.date(2014, 1, 1)), day_number("2014-01-01")
    (735234, 735234)
    """
    if isinstance(day, int | np.integer) and not isinstance(day, bool):
        return int(day)
    return as_day(day).toordinal()


def records_of(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """The row columns side by side in one structured array."""
    kinds = [(name, arrays[name].dtype) for name in ROW_COLUMNS]
    records = np.empty(arrays["owner"].shape[0], dtype=kinds)
    for name in ROW_COLUMNS:
        records[name] = arrays[name]
    return records


def index_rows(arrays: dict[str, np.ndarray], n: int) -> None:
    """Offsets of each entity's rows as owned (rows are sorted so), and as owner, and the
    rows as records for the look-ups of one entity."""
    arrays["records"] = records_of(arrays)
    positions = np.arange(n + 1)
    arrays["owned_offsets"] = np.searchsorted(arrays["owned"], positions).astype(np.int64)
    order = np.lexsort((arrays["start"], arrays["owned"], arrays["owner"]))
    arrays["owner_order"] = order.astype(np.int64)
    arrays["owner_offsets"] = np.searchsorted(arrays["owner"][order], positions).astype(np.int64)
