"""A register's arrays with the look-ups by entity (the base of
:class:`~groupkg.graph.timemodel.register.Register`).

The columns (:mod:`~groupkg.graph.timemodel.columns`) as attributes; the position of
an entity and the entity at a position; the rows of the stakes held in an entity and
of those it holds, as tuples; lifetimes; who is present on a day; and the stakes of a
day, one per pair (:class:`~groupkg.graph.timemodel.edges.Edges`), the last few kept.
"""

from __future__ import annotations

import datetime as _dt

import numpy as np

from groupkg.graph.dates import Day
from groupkg.graph.timemodel.columns import (
    KNOWN,
    OPEN_END,
    OPEN_START,
    UNNAMED,
    day_number,
    records_of,
)
from groupkg.graph.timemodel.edges import Edges, kind_ranks

__all__ = ["IndexedRows"]


class IndexedRows:
    """The arrays of a register and the look-ups by entity that every question uses."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        self._ids: np.ndarray = arrays["ids"]
        self.born, self.ended, self.kinds = arrays["born"], arrays["ended"], arrays["kinds"]
        self.owner, self.owned = arrays["owner"], arrays["owned"]
        self.start, self.end = arrays["start"], arrays["end"]
        self.low, self.high, self.flags = arrays["low"], arrays["high"], arrays["flags"]
        self.kind, self.origin = arrays["kind"], arrays["origin"]
        empty = np.zeros(0, dtype=np.int32)
        self._reported = tuple(
            arrays.get(name, empty) for name in ("up_child", "up_parent", "up_start", "up_end")
        )
        #: Interest kinds, by the code the ``kind`` column holds.
        self.interests = [bytes(k).decode() for k in arrays["interests"]]
        self._ranks = {m: kind_ranks(self.interests, m) for m in ("control", "ownership")}
        self._owned_offsets = arrays["owned_offsets"]
        self._owner_order = arrays["owner_order"]
        self._owner_offsets = arrays["owner_offsets"]
        self._day_edges: dict[tuple[int, str], Edges] = {}
        self._id_list: list[str] | None = None
        self.__records: np.ndarray | None = None

    # -- entities ------------------------------------------------------------------------

    @property
    def ids(self) -> list[str]:
        """Entity IRIs in position order (sorted)."""
        if self._id_list is None:
            self._id_list = [bytes(e).decode() for e in self._ids]
        return self._id_list

    def __len__(self) -> int:
        return int(self._ids.shape[0])

    @property
    def rows(self) -> int:
        """How many spans (holdings and consolidations over an interval) there are."""
        return int(self.owner.shape[0])

    def position(self, entity_id: str) -> int:
        """The position of ``entity_id`` in :attr:`ids`, or -1 when it has none."""
        key = np.bytes_(entity_id.encode())
        i = int(self._ids.searchsorted(key))
        if i < self._ids.shape[0] and self._ids[i] == key:
            return i
        return -1

    def entity(self, position: int) -> str:
        """The IRI of the entity at ``position``."""
        return bytes(self._ids[position]).decode()

    def _present(self, day: int, edges: Edges) -> np.ndarray:
        """Entities in the control graph of ``day``: known and alive and named, or linked."""
        present = (self.kinds & (KNOWN | UNNAMED)) == KNOWN
        present &= (self.born <= day) & (day < self.ended)
        control = edges.control
        present[edges.src[control]] = True
        present[edges.dst[control]] = True
        return present

    def _present_alone(self, i: int, day: int) -> bool:
        """Whether entity ``i``, with no named holder on ``day``, is in that day's control graph."""
        kind = int(self.kinds[i])
        if kind & UNNAMED:
            return False
        if kind & KNOWN and self.born[i] <= day < self.ended[i]:
            return True
        offsets = self._owner_offsets
        rows = self._owner_order[int(offsets[i]) : int(offsets[i + 1])]
        return bool(np.any((self.start[rows] <= day) & (day < self.end[rows])))

    @property
    def _records(self) -> np.ndarray:
        """The rows as one record array (saved with the columns; made here for a register
        saved without it): a slice of it read into Python tuples costs one call, where
        each column read apart costs one each."""
        if self.__records is None:
            self.__records = self._arrays.get("records")
            if self.__records is None:
                self.__records = records_of(self._arrays)
        return self.__records

    def _held_in(self, i: int) -> list[tuple]:
        """The rows of the stakes held in entity ``i``."""
        first, last = self._owned_offsets[i : i + 2].tolist()
        return self._records[first:last].tolist()

    def _holdings_of(self, i: int) -> list[tuple]:
        """The rows of the stakes entity ``i`` holds."""
        offsets = self._owner_offsets
        return self._records[self._owner_order[int(offsets[i]) : int(offsets[i + 1])]].tolist()

    def lifetime(self, entity_id: str) -> tuple[_dt.date | None, _dt.date | None]:
        """``[start, end)`` of an entity as the time model gives it (None: unknown)."""
        i = self.position(entity_id)
        return (None, None) if i < 0 else self._lifetime(i)

    def _lifetime(self, i: int) -> tuple[_dt.date | None, _dt.date | None]:
        born, ended = int(self.born[i]), int(self.ended[i])
        return (None if born == OPEN_START else _dt.date.fromordinal(born),
                None if ended == OPEN_END else _dt.date.fromordinal(ended))  # fmt: skip

    def edges_at(self, day: Day | int, measure: str = "control") -> Edges:
        """The stakes of ``day``, one per owner and owned, as
        :func:`groupkg.graph.timemodel.stakes.pair_stakes` picks them for ``measure``
        (``"control"`` or ``"ownership"``)."""
        d = day_number(day)
        edges = self._day_edges.get((d, measure))
        if edges is None:
            edges = Edges.of(self, d, self._ranks[measure], measure == "control")
            if len(self._day_edges) >= 8:
                self._day_edges.pop(next(iter(self._day_edges)))
            self._day_edges[(d, measure)] = edges
        return edges
