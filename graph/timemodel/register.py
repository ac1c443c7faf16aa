"""A whole register in numpy arrays: every holding, when it holds, and the analytics over all.

:class:`~groupkg.graph.group.Group` reads the facts around one entity and lays them
out in time with :class:`~groupkg.graph.timemodel.timeline.Timeline`: right for one group, too
slow for a register of millions of entities. A :class:`Register` keeps the same spans
-- one row for each holding or direct consolidation and the days it holds, after the
time model has run (observations superseded by the next record of the same owner and
owned, ends at dissolutions, mergers passing the absorbed company's stakes to the
survivor) -- as columns:

``owner``, ``owned``
    positions in :attr:`Register.ids` (entity IRIs, sorted), int32;
``start``, ``end``
    the half-open interval of days ``[start, end)`` as proleptic ordinals
    (:meth:`datetime.date.toordinal`), int32, with :data:`OPEN_START` and
    :data:`OPEN_END` for an unknown start or end;
``low``, ``high``
    bounds of the fraction held (0 and 1 when unknown), float64;
``flags``
    :data:`LOW_EXCLUSIVE`, :data:`HIGH_EXCLUSIVE`, :data:`CONSOLIDATED`, :data:`HOLDING`;
``kind``
    the interest kind, a code into :attr:`Register.interests`.

Rows are sorted by owned entity, then owner, then start, with one offset per entity
(as in a CSR matrix), so the owners of an entity on a day are a slice of a few rows
and a filter; a second permutation does the same for what an entity holds. The
answers are those of ``Timeline.snapshot(day)``: each row has its interest kind
(``kind``, a code into :attr:`Register.interests`); rows of one pair and kind on one
day add up (capped at 100%), kinds never do, and per pair the kind
:func:`groupkg.graph.timemodel.timeline.pair_stakes` picks weighs the edge (voting rights
for control where stated, shares for ownership). A holding given as a share count is
cut at every day its percentage may change (issued shares observed, splits,
issuances), each part with the percentage the time model derives for it. Reported
ultimate parents are kept apart (``up_*`` columns) for
:meth:`Register.completed_parents_at`. The sources and bases of each stake are not
kept.

Always built by the one time model: the facts of a store (:meth:`Register.from_store`)
or of N-Triples files (:meth:`Register.from_ntriples`) are read by
:func:`~groupkg.graph.facts.loader.load_dataset`, laid out by a
:class:`~groupkg.graph.timemodel.timeline.Timeline` and turned into columns
(:meth:`Register.from_timeline`); beside an ``oxigraph:PATH`` store it is cached as
``PATH.register.npz``, keyed by the store's write mark, and reopened as memory maps.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import io
import json
import mmap
import os
import struct
import uuid
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar, cast

import numpy as np

from groupkg.graph.errors import InputError
from groupkg.graph.model import local_id
from groupkg.graph.store import Store

if TYPE_CHECKING:
    import networkx as nx
    import scipy.sparse as sp

    from groupkg.graph.model import Dataset
    from groupkg.graph.timemodel.nameindex import NameIndex
    from groupkg.graph.timemodel.provenance import EntityRecord
    from groupkg.graph.timemodel.timeline import Snapshot, Span, Stake, Timeline

__all__ = [
    "Register",
    "DirectStake",
    "StakeMatrices",
    "TopStakes",
    "day_number",
    "OPEN_START",
    "OPEN_END",
    "LOW_EXCLUSIVE",
    "HIGH_EXCLUSIVE",
    "CONSOLIDATED",
    "HOLDING",
]

OPEN_START = int(np.iinfo(np.int32).min)
OPEN_END = int(np.iinfo(np.int32).max)
LOW_EXCLUSIVE, HIGH_EXCLUSIVE, CONSOLIDATED, HOLDING = 1, 2, 4, 8
_KNOWN, _UNNAMED = 1, 2  # entity flags: has a lifetime record (a node when alive); unnamed
_FORMAT = "groupkg-register-3"
_TOLERANCE = 1e-9  # as groupkg.graph.analytics.effective.TOLERANCE: percentages carry few decimals

_COLUMNS = ("owner", "owned", "start", "end", "low", "high", "flags", "kind", "origin")
_ENTITY_COLUMNS = ("ids", "born", "ended", "kinds")


class DirectStake(NamedTuple):
    """One direct stake on one day: the other party, bounds of the fraction held, and the
    interest kind (a BODS interest type, or ``directConsolidation``)."""

    entity: str
    low: float
    high: float
    interest: str = "shareholding"


class StakeMatrices(NamedTuple):
    """The ownership graph of one day: ``low[i, j]``/``high[i, j]`` bound the fraction of
    entity ``j`` that entity ``i`` holds (positions in :attr:`Register.ids`). Every stake
    is stored, a consolidation without a percent as 0 and 1."""

    low: sp.csr_array
    high: sp.csr_array


class TopStakes(NamedTuple):
    """Effective stakes of the top parents: row ``k`` of ``low``/``high`` is what entity
    ``tops[k]`` holds, through every chain of holdings, of each entity (a column)."""

    tops: np.ndarray
    low: sp.csr_array
    high: sp.csr_array


def day_number(day: _dt.date | int) -> int:
    """The int32 day number of ``day`` (its proleptic ordinal); an int passes through.

    >>> day_number(_dt.date(2014, 1, 1))
    735234
    """
    if isinstance(day, _dt.date):
        return day.toordinal()
    if isinstance(day, int | np.integer) and not isinstance(day, bool):
        return int(day)
    raise InputError(f"a day must be a date, got {day!r}")


class _Rows:
    """Spans being collected: parallel lists, then arrays."""

    def __init__(self) -> None:
        self.columns: dict[str, list[Any]] = {name: [] for name in _COLUMNS}

    def add(self, *values: Any) -> None:
        for name, value in zip(_COLUMNS, values, strict=True):
            self.columns[name].append(value)


class Register:
    """Every holding and direct consolidation of a register, laid out in time, as arrays.

    Build one with :meth:`from_store`, :meth:`from_timeline` or :meth:`from_dataset`.
    Entities are named by IRI in every answer; :attr:`ids` lists them in the order of
    the positions that the array answers use.

    Examples
    --------
    >>> from groupkg.graph.model import Dataset, Entity, Holding
    >>> from groupkg.graph.dates import parse_partial_date as day
    >>> facts = Dataset(
    ...     entities={e: Entity(e, e) for e in ("P", "A", "B")},
    ...     holdings=[Holding("h1", "P", "A", percent=60.0, valid_from=day("2000-01-01")),
    ...               Holding("h2", "A", "B", percent=51.0, as_of=day("2010-06-30"))],
    ... )
    >>> register = Register.from_dataset(facts)
    >>> register.owners_at("B", _dt.date(2011, 1, 1))
    [DirectStake(entity='A', low=0.51, high=0.51, interest='shareholding')]
    >>> register.owners_at("B", _dt.date(2010, 6, 29))  # not carried back
    []
    >>> [register.ids[i] for i in register.ultimate_parents_at(_dt.date(2011, 1, 1))]
    ['P', 'P', 'P']
    """

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._arrays = arrays
        self._ids: np.ndarray = arrays["ids"]
        self.born, self.ended, self.kinds = arrays["born"], arrays["ended"], arrays["kinds"]
        self.owner, self.owned = arrays["owner"], arrays["owned"]
        self.start, self.end = arrays["start"], arrays["end"]
        self.low, self.high, self.flags = arrays["low"], arrays["high"], arrays["flags"]
        self.kind, self.origin = arrays["kind"], arrays["origin"]
        #: The time model's stake of each row (by ``origin``), when built with provenance.
        self.stakes: Sequence[Stake] | None = None
        #: Reported relations other than direct consolidations, with their spans.
        self.reported_spans: Sequence[Span] = []
        #: Entity -> why its end is assumed (an assumed merger).
        self.assumed_ends: dict[str, list[str]] = {}
        #: ``(label, kind)`` of each entity by position ('' kind: no entity record).
        self.entity_info: Sequence[tuple[str, str]] | None = None
        #: Each entity's own facts and issued shares, by position (see
        #: :data:`~groupkg.graph.timemodel.provenance.EntityRecord`), when built with provenance.
        self.entity_records: Sequence[EntityRecord] | None = None
        #: Source IRI -> its title.
        self.sources: dict[str, str] = {}
        from groupkg.graph.timemodel.provenance import unpack

        saved = unpack(arrays)
        if saved is not None:
            self.stakes, self.reported_spans = saved["stakes"], saved["reported"]
            self.entity_info, self.sources = saved["entities"], saved["sources"]
            self.entity_records = saved["records"]
            self.assumed_ends = saved["assumed_ends"]
        empty = np.zeros(0, dtype=np.int32)
        self._reported = tuple(
            arrays.get(name, empty) for name in ("up_child", "up_parent", "up_start", "up_end")
        )
        #: The entities' names, as :mod:`groupkg.graph.facts.names` looks them up (a model
        #: built with provenance; None otherwise).
        self.names: NameIndex | None = None
        from groupkg.graph.timemodel.nameindex import NameIndex

        if NameIndex.present(arrays):
            self.names = NameIndex(arrays)
        #: Interest kinds, by the code the ``kind`` column holds.
        self.interests = [bytes(k).decode() for k in arrays["interests"]]
        self._ranks = {m: _ranks(self.interests, m) for m in ("control", "ownership")}
        self._owned_offsets = arrays["owned_offsets"]
        self._owner_order = arrays["owner_order"]
        self._owner_offsets = arrays["owner_offsets"]
        self._day_edges: dict[tuple[int, str], _Edges] = {}
        self._id_list: list[str] | None = None
        self.__records: np.ndarray | None = None

    # -- construction ------------------------------------------------------------------

    @classmethod
    def _from_columns(
        cls,
        ids: list[str],
        born: dict[str, int],
        ended: dict[str, int],
        known: Iterable[str],
        unnamed: Iterable[str],
        rows: _Rows,
        index: dict[str, int] | None = None,
        reported: Iterable[tuple[int, int, int, int]] = (),
    ) -> Register:
        """Arrays from entity ids and rows whose ``owner``/``owned`` are positions in ``ids``.

        ``ids`` may be unsorted: positions are renumbered so ids come in sorted order.
        """
        order = sorted(range(len(ids)), key=ids.__getitem__)
        position = np.empty(len(ids), dtype=np.int64)
        position[np.array(order, dtype=np.int64)] = np.arange(len(ids))
        sorted_ids = [ids[i] for i in order]
        index = index if index is not None else {e: i for i, e in enumerate(ids)}
        n = len(sorted_ids)
        kinds = np.zeros(n, dtype=np.uint8)
        for flag, members in ((_KNOWN, known), (_UNNAMED, unnamed)):
            found = np.fromiter((index[e] for e in members if e in index), dtype=np.int64)
            kinds[position[found]] |= flag
        columns = rows.columns
        owner = position[np.array(columns["owner"], dtype=np.int64)].astype(np.int32)
        owned = position[np.array(columns["owned"], dtype=np.int64)].astype(np.int32)
        start = np.array(columns["start"], dtype=np.int32)
        end = np.array(columns["end"], dtype=np.int32)
        low = np.array(columns["low"], dtype=np.float64)
        high = np.array(columns["high"], dtype=np.float64)
        flags = np.array(columns["flags"], dtype=np.uint8)
        names = sorted(set(columns["kind"]))
        kind = np.array([names.index(k) for k in columns["kind"]], dtype=np.uint8)
        # One canonical order, so two ways of building the same register give equal arrays.
        origin = np.array(columns["origin"], dtype=np.int32)
        order_rows = np.lexsort((origin, kind, flags, high, low, end, start, owner, owned))
        arrays = {
            "ids": np.array([e.encode() for e in sorted_ids], dtype=bytes)
            if n
            else np.zeros(0, dtype="S1"),
            "born": np.array([born.get(e, OPEN_START) for e in sorted_ids], dtype=np.int32),
            "ended": np.array([ended.get(e, OPEN_END) for e in sorted_ids], dtype=np.int32),
            "kinds": kinds,
            "owner": owner[order_rows],
            "owned": owned[order_rows],
            "start": start[order_rows],
            "end": end[order_rows],
            "low": low[order_rows],
            "high": high[order_rows],
            "flags": flags[order_rows],
            "kind": kind[order_rows],
            # The time model's stake of each row: its position in ``Register.stakes``.
            "origin": origin[order_rows],
            # Reported ultimate parents (child, parent, start, end), child positions sorted.
            **_reported_columns(reported, position),
            "interests": np.array([k.encode() for k in names], dtype=bytes)
            if names
            else np.zeros(0, dtype="S1"),
        }
        _index_rows(arrays, n)
        return cls(arrays)

    @classmethod
    def from_timeline(cls, timeline: Timeline, provenance: bool = True) -> Register:
        """The register of a :class:`~groupkg.graph.timemodel.timeline.Timeline`: its spans, as
        they are.

        With ``provenance``, each row keeps the time model's stake (sources, basis,
        status, assumptions, share count), and the reported relations other than
        direct consolidations are kept, so :meth:`snapshot` can answer for a day.
        """
        entities = timeline.dataset.entities
        reported_spans: list[Span] = []
        index: dict[str, int] = {}
        ids: list[str] = []

        def place(entity: str) -> int:
            found = index.get(entity)
            if found is None:
                found = index[entity] = len(ids)
                ids.append(entity)
            return found

        born, ended = {}, {}
        for entity, (start, end) in timeline.lifetimes.items():
            place(entity)
            if start is not None:
                born[entity] = start.toordinal()
            if end is not None:
                ended[entity] = end.toordinal()
        rows = _Rows()
        reported: list[tuple[int, int, int, int]] = []
        stakes: list[Stake] = []
        for span in timeline.spans:
            relation = span.relation
            if relation is not None and relation.kind != "direct":
                # Reported, not a stake: kept for the day's snapshots (and ultimate
                # parents for the whole register).
                reported_spans.append(span)
                if relation.kind == "ultimate":
                    reported.append((
                        place(relation.child), place(relation.parent),
                        span.start.toordinal() if span.start else OPEN_START,
                        span.end.toordinal() if span.end else OPEN_END,
                    ))  # fmt: skip
                continue
            owner, owned = place(span.owner), place(span.owned)
            for start, end, stake in _segments(timeline, span):
                flags = HOLDING if stake.holding else 0
                if stake.percent is None:
                    flags |= LOW_EXCLUSIVE if stake.min_exclusive else 0
                    flags |= HIGH_EXCLUSIVE if stake.max_exclusive else 0
                flags |= CONSOLIDATED if stake.consolidated else 0
                rows.add(owner, owned, start, end, stake.low, stake.high, flags, stake.interest,
                         len(stakes))  # fmt: skip
                stakes.append(stake)
        unnamed = [e.id for e in entities.values() if e.kind == "unnamed"]
        register = cls._from_columns(
            ids, born, ended, timeline.lifetimes, unnamed, rows, index, reported
        )
        if provenance:
            register._arrays.update({
                "rep_child": np.array([register.position(s.owned) for s in reported_spans],
                                      dtype=np.int32),
                "rep_start": np.array([s.start.toordinal() if s.start else OPEN_START
                                       for s in reported_spans], dtype=np.int32),
                "rep_end": np.array([s.end.toordinal() if s.end else OPEN_END
                                     for s in reported_spans], dtype=np.int32),
            })  # fmt: skip
            register.stakes, register.reported_spans = stakes, reported_spans
            register.assumed_ends = timeline.assumed_ends
            register.entity_info = [
                (e.label, e.kind) if (e := entities.get(i)) else (local_id(i), "")
                for i in register.ids
            ]  # fmt: skip
            register.entity_records = [
                (entities.get(i), timeline.issued_history(i)) for i in register.ids
            ]
            from groupkg.graph.facts.names import Candidate
            from groupkg.graph.timemodel.nameindex import NameIndex, build

            register._arrays.update(build(
                Candidate.of(e) if (e := entities.get(i)) else None for i in register.ids
            ))  # fmt: skip
            register.names = NameIndex(register._arrays)
            register.sources = dict(timeline.dataset.sources)
        return register

    @classmethod
    def from_dataset(cls, dataset: Dataset, provenance: bool = False) -> Register:
        """The register of facts already loaded (see
        :func:`~groupkg.graph.facts.loader.load_dataset`)."""
        from groupkg.graph.timemodel.timeline import Timeline

        return cls.from_timeline(Timeline(dataset), provenance)

    @classmethod
    def from_store(
        cls,
        store: Store,
        cache: bool | str | os.PathLike[str] = True,
        progress: Callable[[int], None] | None = None,
    ) -> Register:
        """The register of a whole store, read with the ``register-*.rq`` queries.

        Parameters
        ----------
        store
            Any store; an ``oxigraph:PATH`` store gets a cache beside it.
        cache
            ``True``: ``PATH.register.npz`` beside an on-disk store (read when its key
            matches the store's committed imports and it was saved with provenance,
            else rebuilt and written); a path:
            that file; ``False``: no cache.
        progress
            Called with the number of triples read so far, every 100,000 and once
            all are read (see :func:`~groupkg.graph.facts.loader.load_dataset`).
        """
        path = _cache_path(store, cache)
        key = _cache_key(store) if path is not None else ""
        if path is not None and path.is_file():
            try:
                found = cls.load(path)
            except (OSError, ValueError, KeyError, zipfile.BadZipFile):
                found = None
            # A register saved without provenance (as an import might, for its own use)
            # cannot answer for a day: built again.
            if found is not None and found.key == key and found.stakes is not None:
                return found
        from groupkg.graph.facts.loader import load_dataset

        dataset = load_dataset(store, progress=progress)
        register = cls.from_dataset(dataset, provenance=True)
        if path is not None:
            try:
                register.save(path, key)
            except OSError:
                pass  # a read-only folder: answer anyway, build again next time
        return register

    @classmethod
    def from_ntriples(
        cls,
        paths: Iterable[str | os.PathLike[str]],
        progress: Callable[[int], None] | None = None,
    ) -> Register:
        """The register of N-Triples files, read in one streaming pass.

        The same facts as :meth:`from_store` would read from a store holding exactly
        these files, at a tenth of the cost: an on-disk store pays a lookup for every
        IRI a query returns. For an import to build the register of what it loads;
        ``progress`` is called with the triples read, every million.
        """
        import pyoxigraph as ox

        from groupkg.graph.facts.loader import load_dataset
        from groupkg.graph.store import open_store

        store = open_store("memory", default_data=False)
        read = 0
        for path in paths:
            with open(path, "rb") as stream:
                store.add_rdf(stream.read(), ox.RdfFormat.N_TRIPLES)
            read = len(store)
            if progress is not None:
                progress(read)
        return cls.from_dataset(load_dataset(store))

    def attach(self, store: Store) -> Path | None:
        """Save this register as the cache of ``store`` (``PATH.register.npz``), under the
        key of its current imports; the caller vouches that it holds that store's facts."""
        path = _cache_path(store, True)
        if path is None:
            return None
        return self.save(path, _cache_key(store))

    # -- persistence -----------------------------------------------------------------

    @property
    def key(self) -> str:
        """The cache key this register was saved with ('' when built here)."""
        key = self._arrays.get("key")
        text = bytes(key[0]).decode() if key is not None and key.size else ""
        return "" if text == "-" else text

    def save(self, path: str | os.PathLike[str], key: str = "") -> Path:
        """Write the arrays to an uncompressed ``.npz`` (so :meth:`load` can map them)."""
        target = Path(path)
        partial = target.with_name(f"{target.name}.{uuid.uuid4().hex}.part")
        arrays = {k: np.asarray(v) for k, v in self._arrays.items() if k != "key"}
        arrays["key"] = np.array([key.encode() or b"-"], dtype=bytes)
        if self.stakes is not None and "stake_blob" not in arrays:
            from groupkg.graph.timemodel.provenance import pack

            assert self.entity_info is not None
            arrays.update(
                pack(list(self.stakes), list(self.reported_spans), list(self.entity_info),
                     self.sources, self.assumed_ends, list(self.entity_records or ()))
            )  # fmt: skip
        try:
            with open(partial, "wb") as out:
                np.savez(out, **cast(dict[str, Any], arrays))
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
        return target

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Register:
        """Open a saved register; the arrays are memory maps of the file, read on demand."""
        return cls(_map_npz(Path(path)))

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
        return bytes(self._ids[position]).decode()

    def _present(self, day: int, edges: _Edges) -> np.ndarray:
        """Entities in the control graph of ``day``: known and alive and named, or linked."""
        present = (self.kinds & (_KNOWN | _UNNAMED)) == _KNOWN
        present &= (self.born <= day) & (day < self.ended)
        control = edges.control
        present[edges.src[control]] = True
        present[edges.dst[control]] = True
        return present

    def _present_alone(self, i: int, day: int) -> bool:
        """Whether entity ``i``, with no named holder on ``day``, is in that day's control graph."""
        kind = int(self.kinds[i])
        if kind & _UNNAMED:
            return False
        if kind & _KNOWN and self.born[i] <= day < self.ended[i]:
            return True
        offsets = self._owner_offsets
        rows = self._owner_order[int(offsets[i]) : int(offsets[i + 1])]
        return bool(np.any((self.start[rows] <= day) & (day < self.end[rows])))

    # -- one entity ------------------------------------------------------------------------

    @property
    def _records(self) -> np.ndarray:
        """The rows as one record array (saved with the columns; made here for a register
        saved without it): a slice of it read into Python tuples costs one call, where
        each column read apart costs one each."""
        if self.__records is None:
            self.__records = self._arrays.get("records")
            if self.__records is None:
                self.__records = _records_of(self._arrays)
        return self.__records

    def _held_in(self, i: int) -> list[tuple]:
        """The rows of the stakes held in entity ``i``."""
        first, last = self._owned_offsets[i : i + 2].tolist()
        return self._records[first:last].tolist()

    def _holdings_of(self, i: int) -> list[tuple]:
        """The rows of the stakes entity ``i`` holds."""
        offsets = self._owner_offsets
        return self._records[self._owner_order[int(offsets[i]) : int(offsets[i + 1])]].tolist()

    def _answer(self, found: dict[tuple[int, int, int], list], side: int) -> list[DirectStake]:
        """The stakes :func:`_day_stakes` found, naming the owner (``side`` 0) or the owned (1)."""
        ids = self._ids
        kinds = self.interests
        answer = [
            DirectStake(ids[key[side]].decode(), *_stake_of(held)[:2], kinds[key[2]])
            for key, held in found.items()
        ]
        if len(answer) > 1:
            answer.sort(key=lambda s: (-s.low, s.entity, s.interest))
        return answer

    def owners_at(self, entity_id: str, day: _dt.date | int) -> list[DirectStake]:
        """The direct owners of ``entity_id`` on ``day``, largest stake first, one for
        each owner and interest kind (kinds are never added together).

        A direct consolidation reported without a percentage is the range 0-1.
        """
        i = self.position(entity_id)
        if i < 0:
            return []
        return self._answer(_day_stakes(self._held_in(i), day_number(day)), 0)

    def holdings_at(self, entity_id: str, day: _dt.date | int) -> list[DirectStake]:
        """What ``entity_id`` directly holds on ``day``, largest stake first."""
        i = self.position(entity_id)
        if i < 0:
            return []
        return self._answer(_day_stakes(self._holdings_of(i), day_number(day)), 1)

    def ancestry_at(self, entity_id: str, day: _dt.date | int) -> nx.DiGraph:
        """The control graph of ``day`` restricted to ``entity_id`` and everyone above it.

        Nodes are positions; edges carry what :mod:`groupkg.graph.analytics.control` reads. Holders
        that are buckets of unnamed holders are left out (they control nobody).
        """
        import networkx as nx

        d = day_number(day)
        i = self.position(entity_id)
        if i < 0:
            return nx.DiGraph()
        edges = self.edges_at(d)
        c = edges.control
        members = _ancestors(len(self), edges.src[c], edges.dst[c], np.array([i]))
        return _subgraph(edges, members, c)

    def paths_at(
        self, entity_id: str, day: _dt.date | int, threshold: float = 50
    ) -> tuple[str, list[list[str]]]:
        """The ultimate parent of ``entity_id`` on ``day`` and the consolidation paths to it.

        As :meth:`groupkg.graph.group.Group.paths`: computed by
        :mod:`groupkg.graph.analytics.control` on the entity's ancestry, which holds everything
        the answer depends on. An entity absent on that day is its own parent, with
        no path.
        """
        from groupkg.graph.analytics import control

        d = day_number(day)
        i = self.position(entity_id)
        if i < 0:
            return entity_id, []
        graph = self.ancestry_at(entity_id, d)
        if graph.number_of_edges() == 0:
            return (entity_id, [[entity_id]] if self._present_alone(i, d) else [])
        top = control.ultimate_parent(graph, i, threshold=threshold)
        found = control.consolidation_paths(graph, i, threshold=threshold)
        return self.entity(top), [[self.entity(p) for p in path] for path in found]

    # -- the whole register on one day ---------------------------------------------------

    def edges_at(self, day: _dt.date | int, measure: str = "control") -> _Edges:
        """The stakes of ``day``, one per owner and owned, as
        :func:`groupkg.graph.timemodel.timeline.pair_stakes` picks them for ``measure``
        (``"control"`` or ``"ownership"``)."""
        d = day_number(day)
        edges = self._day_edges.get((d, measure))
        if edges is None:
            edges = _Edges.of(self, d, self._ranks[measure], measure == "control")
            if len(self._day_edges) >= 8:
                self._day_edges.pop(next(iter(self._day_edges)))
            self._day_edges[(d, measure)] = edges
        return edges

    def graph_at(self, day: _dt.date | int) -> StakeMatrices:
        """The ownership graph of ``day`` as two sparse matrices, see :class:`StakeMatrices`."""
        import scipy.sparse as sp

        e = self.edges_at(day, "ownership")
        n = len(self)
        low = sp.csr_array((e.low, (e.src, e.dst)), shape=(n, n))
        high = sp.csr_array((e.high, (e.src, e.dst)), shape=(n, n))
        return StakeMatrices(low, high)

    def networkx_at(
        self,
        day: _dt.date | int,
        unnamed: bool = True,
        members: np.ndarray | None = None,
        measure: str = "control",
    ) -> nx.DiGraph:
        """The graph of ``day`` as ``Timeline.snapshot(day).graph(unnamed, measure)``
        builds it (nodes are positions): the entities present that day and their stakes,
        with or without those held by buckets of unnamed holders. ``members`` (a mask)
        keeps only those entities and the stakes held in them."""
        d = day_number(day)
        edges = self.edges_at(d, measure)
        usable = np.ones(edges.src.size, dtype=bool) if unnamed else edges.control
        if members is None:
            members = (self.kinds & _KNOWN != 0) & (self.born <= d) & (d < self.ended)
            if not unnamed:
                members &= self.kinds & _UNNAMED == 0
            members[edges.src[usable]] = True
            members[edges.dst[usable]] = True
        return _subgraph(edges, members, usable)

    def ultimate_parents_at(self, day: _dt.date | int, threshold: float = 50) -> np.ndarray:
        """The ultimate parent of every entity on ``day``, as positions; -1 where absent.

        The definition is that of :func:`groupkg.graph.analytics.control.ultimate_parents` on
        the graph of ``Timeline.snapshot(day).graph(unnamed=False)``, and so are the
        answers. Most entities have one holder that controls them on its own while
        the others together could not: their parent pointers are followed to the top
        by pointer jumping, all at once. The few where control is joint, reported
        twice, or circular are solved exactly by :mod:`groupkg.graph.analytics.control` on the
        part of the graph above them.
        """
        from groupkg.graph.analytics.control import ultimate_parents

        t = _fraction(threshold)
        d = day_number(day)
        edges = self.edges_at(d)
        n = len(self)
        c = edges.control
        src, dst = edges.src[c], edges.dst[c]
        anchors = np.arange(n)
        hard = np.zeros(0, dtype=np.int64)
        if dst.size:
            low, lex, cons = edges.low[c], edges.lex[c], edges.cons[c]
            # Sums over each company's holders: runs of the sorted ``dst``.
            first = np.flatnonzero(np.r_[True, dst[1:] != dst[:-1]])
            run = np.cumsum(np.r_[True, dst[1:] != dst[:-1]]) - 1
            owned = dst[first]
            kept = cons | lex | (low > 0.0)
            g_low = np.add.reduceat(np.where(kept, low, 0.0), first)
            n_lex = np.add.reduceat((kept & lex).astype(np.int64), first)
            n_cons = np.add.reduceat((kept & cons).astype(np.int64), first)
            alone = _passes(low, lex, cons, t)
            n_alone = np.add.reduceat(alone.astype(np.int64), first)
            # A holder that controls alone, beside others who together could not: a link
            # of the control forest, and the company has the ultimate parent of that holder.
            e = np.flatnonzero(alone & (n_alone[run] == 1))
            r = run[e]
            others = _passes(g_low[r] - low[e], n_lex[r] - lex[e] > 0, n_cons[r] - cons[e] > 0, t)
            linked, up = owned[r[~others]], src[e[~others]]
            anchor, stuck = _climb(linked, up, n)
            if stuck.size:  # entities controlling each other one to one: for the solver
                linked, up = _break_cycles(linked, up, anchor[stuck], n)
                anchor, _ = _climb(linked, up, n)
            anchors[linked] = anchor
            forest = np.zeros(n, dtype=bool)
            forest[linked] = True
            anyone = np.zeros(n, dtype=bool)
            anyone[owned] = _passes(g_low, n_lex > 0, n_cons > 0, t)
            hard = np.flatnonzero(anyone & ~forest)
        top = np.arange(n)
        if hard.size:
            sub = _subgraph(edges, _ancestors(n, src, dst, hard), edges.control)
            solved = ultimate_parents(sub, threshold=threshold)
            top[hard] = [solved[h] for h in hard.tolist()]
        found = top[anchors]
        found[~self._present(d, edges)] = -1
        return found

    def lifetime(self, entity_id: str) -> tuple[_dt.date | None, _dt.date | None]:
        """``[start, end)`` of an entity as the time model gives it (None: unknown)."""
        i = self.position(entity_id)
        return (None, None) if i < 0 else self._lifetime(i)

    def _lifetime(self, i: int) -> tuple[_dt.date | None, _dt.date | None]:
        born, ended = int(self.born[i]), int(self.ended[i])
        return (None if born == OPEN_START else _dt.date.fromordinal(born),
                None if ended == OPEN_END else _dt.date.fromordinal(ended))  # fmt: skip

    def group_on(self, entity_ids: Iterable[str], day: _dt.date | int) -> list[str]:
        """Every entity linked to ``entity_ids`` on ``day`` by stakes, consolidations or
        reported ultimate parents, in either direction: the group a question needs."""
        d = day_number(day)
        start = np.array([p for p in map(self.position, entity_ids) if p >= 0], dtype=np.int64)
        seen = np.zeros(len(self), dtype=bool)
        seen[start] = True
        up_child, up_parent, up_start, up_end = self._reported
        live = (up_start <= d) & (d < up_end)
        up_child, up_parent = up_child[live].astype(np.int64), up_parent[live].astype(np.int64)
        frontier = start
        while frontier.size:
            rows = np.concatenate([
                _slices(self._owned_offsets, frontier),
                self._owner_order[_slices(self._owner_offsets, frontier)],
            ])  # fmt: skip
            rows = rows[(self.start[rows] <= d) & (d < self.end[rows])]
            linked = np.concatenate([
                self.owner[rows], self.owned[rows],
                up_parent[np.isin(up_child, frontier)], up_child[np.isin(up_parent, frontier)],
            ]).astype(np.int64)  # fmt: skip
            linked = np.unique(linked[~seen[linked]])
            seen[linked] = True
            frontier = linked
        return [self.entity(i) for i in np.flatnonzero(seen).tolist()]

    def snapshot(
        self, day: _dt.date, members: Iterable[str] | None = None, around: bool = False
    ) -> Snapshot:
        """The state on ``day`` as the time model gives it, from the rows: each owner's
        stake of each kind in each entity (the rows of one pair and kind that
        :func:`_day_stakes` groups, their stakes added up by
        :func:`~groupkg.graph.timemodel.timeline.combine` in the order of the time model's
        spans), the statuses and the reported relations.

        ``members`` limits it to those entities and the stakes held in them (a group);
        with ``around``, the stakes they hold too (enough for their owners and
        holdings, not for their group). Needs a register built with provenance.
        """
        from groupkg.graph.timemodel.timeline import Snapshot, combine, status_at

        if self.stakes is None:
            raise ValueError("this register was built without provenance")
        d = day_number(day)
        valid = (self.start <= d) & (d < self.end)
        # Kept with the provenance: the child and days of each reported relation.
        rep_child = self._arrays["rep_child"]
        rep_valid = (self._arrays["rep_start"] <= d) & (d < self._arrays["rep_end"])
        if members is None:
            chosen = np.flatnonzero(valid)
            known = np.flatnonzero(self.kinds & _KNOWN)
            reported = np.flatnonzero(rep_valid)
            unnamed_at = np.flatnonzero(self.kinds & _UNNAMED)
        else:
            mask = np.zeros(len(self), dtype=bool)
            mask[[p for p in map(self.position, members) if p >= 0]] = True
            held = mask[self.owned] | (mask[self.owner] if around else False)
            chosen = np.flatnonzero(valid & held)
            known = np.flatnonzero(mask & ((self.kinds & _KNOWN) != 0))
            reported = np.flatnonzero(rep_valid & mask[rep_child])
            unnamed_at = np.flatnonzero(mask & ((self.kinds & _UNNAMED) != 0))
        # The rows of one pair and kind as _day_stakes groups them, in the order of the
        # time model's spans; their stakes combined, with their provenance.
        chosen = chosen[np.argsort(self.origin[chosen])]
        merged: list[Stake] = []
        for *_, rows in _day_stakes(self._records[chosen].tolist(), d).values():
            first, *more = (self.stakes[row[8]] for row in rows)
            merged.append(functools.reduce(combine, more, copy.copy(first)))
        status = {self.entity(i): status_at(*self._lifetime(i), day) for i in known.tolist()}
        spans = [self.reported_spans[i] for i in reported.tolist()]
        unnamed = frozenset(self.entity(i) for i in unnamed_at.tolist())
        return Snapshot(
            day, status, merged,
            [(span.relation, span) for span in spans if span.relation is not None], unnamed,
        )  # fmt: skip

    def completed_parents_at(
        self, day: _dt.date | int, threshold: float = 50
    ) -> tuple[np.ndarray, np.ndarray]:
        """Ultimate parents as :meth:`groupkg.graph.group.Group.paths` answers them: the
        computed ones (:meth:`ultimate_parents_at`), completed by a reported ultimate
        parent where the direct records leave the chain open.

        Returns the parents (positions, -1 where absent) and, per entity, the basis code
        of :data:`BASES` (``computed``, ``agrees``, ``completed``, ``differs``), the
        rule of :func:`completion`, asked of each entity with reported parents.
        """
        d = day_number(day)
        computed = self.ultimate_parents_at(d, threshold)
        found = computed.copy()
        basis = np.zeros(len(self), dtype=np.int8)
        child, parent, start, end = self._reported
        valid = (start <= d) & (d < end) & (child != parent)
        if not valid.any():
            return found, basis
        c, u = np.unique(np.stack([child[valid], parent[valid]]).astype(np.int64), axis=1)
        involved = np.unique(np.concatenate([c, u]))
        tops: dict[int, int | None] = {
            e: None if p < 0 else p
            for e, p in zip(involved.tolist(), computed[involved].tolist(), strict=True)
        }

        def parent_of(position: int) -> int | None:
            return tops[position]

        bounds = np.flatnonzero(np.r_[True, c[1:] != c[:-1], True])
        entities, reported = c[bounds[:-1]], u.tolist()
        bases, answers = [], []
        for first, last, entity in zip(bounds[:-1].tolist(), bounds[1:].tolist(),
                                       entities.tolist(), strict=True):  # fmt: skip
            name, answer = completion(reported[first:last], tops[entity], parent_of)
            bases.append(_BASE_CODES[name])
            answers.append(-1 if answer is None else answer)
        basis[entities] = bases
        found[entities] = answers
        return found, basis

    def effective_from_top_parents(
        self,
        day: _dt.date | int,
        threshold: float = 50,
        progress: Callable[[int], None] | None = None,
    ) -> TopStakes:
        """Effective (look-through) stakes of every top parent on ``day``, exact with cycles.

        A top parent is an entity that is its own ultimate parent (see
        :meth:`ultimate_parents_at`) and holds something that day. Its stake in ``Y``
        is ``Ã[X, Y] / (1 + Ã[X, X])`` with ``Ã = (I - A)^-1 A``, the measure of
        :func:`groupkg.graph.analytics.effective.effective_ownership_from`, with the same bounds:
        upper bounds capped by what the other holders certainly hold, values clamped
        to ``[0, 1]``, the low bound never above the high one, and only entities with
        a high bound above zero listed.

        One sparse solve per bound, every top parent a column of the right-hand side:
        ``(I - Aᵀ) Z = Aᵀ E``. Writing ``A = C + D`` with ``C`` the stakes inside
        cycles of cross-holdings and ``D`` the rest, ``(I - Aᵀ)^-1 = (I - P Dᵀ)^-1 P``
        where ``P = (I - Cᵀ)^-1`` is exact and block-diagonal (one small block per
        cycle) and ``P Dᵀ`` is nilpotent (the groups' holdings between cycles have no
        cycle), so ``Z`` is a finite sum of sparse products, as long as the deepest
        chain of holdings. A group with a cycle of stakes holding 100% or more of
        itself has no finite walk sum: its top parents are answered by the reference
        implementation on that group alone. ``progress`` is called with the number of
        top parents done for both bounds.
        """
        d = day_number(day)
        edges = self.edges_at(d, "ownership")
        n = len(self)
        parents = self.ultimate_parents_at(d, threshold)
        tops = np.flatnonzero((parents == np.arange(n)) & (np.bincount(edges.src, minlength=n) > 0))
        held_low = np.bincount(edges.dst, weights=edges.low, minlength=n)
        room = 1.0 - (held_low[edges.dst] - edges.low)
        high = np.maximum(edges.low, np.minimum(edges.high, room))
        live = high > 0.0
        nodes = np.unique(np.concatenate([edges.src[live], edges.dst[live]]))
        compact = np.full(n, -1, dtype=np.int64)
        compact[nodes] = np.arange(nodes.size)
        rows, cols = compact[edges.src[live]], compact[edges.dst[live]]
        weights = {"low": edges.low[live], "high": high[live]}
        m = nodes.size
        odd = np.zeros(m, dtype=bool)  # entities of groups answered by the reference
        blocks = {name: _Cycles(m, rows, cols, w) for name, w in weights.items()}
        divergent = blocks["low"].divergent | blocks["high"].divergent
        if divergent.any():
            labels = _components(m, rows, cols)
            odd = np.isin(labels, labels[divergent])
            keep = ~odd[rows]
            rows, cols = rows[keep], cols[keep]
            weights = {name: w[keep] for name, w in weights.items()}
            blocks = {name: _Cycles(m, rows, cols, w) for name, w in weights.items()}
        solved = tops[compact[tops] >= 0]
        solved = solved[~odd[compact[solved]]]
        row_of = np.full(n, -1, dtype=np.int64)
        row_of[tops] = np.arange(tops.size)
        found = {}
        for done, (name, w) in enumerate(weights.items(), start=1):
            walks = _walk_sums(blocks[name], rows, cols, w, compact[solved])
            found[name] = _claims(walks, compact[solved], row_of[solved], nodes, (tops.size, n))
            if progress is not None:
                progress(tops.size * done // 2)
        low, high = _bounded(found["low"], found["high"])
        odd_tops = tops[compact[tops] >= 0]
        odd_tops = odd_tops[odd[compact[odd_tops]]]
        if odd_tops.size:
            low, high = self._reference_rows(edges, odd_tops, odd, nodes, row_of, low, high)
        return TopStakes(tops, low, high)

    def _reference_rows(
        self,
        edges: _Edges,
        odd_tops: np.ndarray,
        odd: np.ndarray,
        nodes: np.ndarray,
        row_of: np.ndarray,
        low: sp.csr_array,
        high: sp.csr_array,
    ) -> tuple[sp.csr_array, sp.csr_array]:
        """Rows of top parents in groups whose walk sums diverge, from the reference."""
        import scipy.sparse as sp

        from groupkg.graph.analytics.effective import effective_ownership_from

        members = np.zeros(len(self), dtype=bool)
        members[nodes[odd]] = True
        graph = _subgraph(edges, members, np.ones(edges.src.size, dtype=bool))
        rows, cols, lows, highs = [], [], [], []
        for top in odd_tops.tolist():
            for target, (lo, hi) in effective_ownership_from(graph, top).items():
                rows.append(int(row_of[top]))
                cols.append(int(target))
                lows.append(lo)
                highs.append(hi)
        shape = low.shape
        extra_low = sp.csr_array((lows, (rows, cols)), shape=shape)
        extra_high = sp.csr_array((highs, (rows, cols)), shape=shape)
        return sp.csr_array(low + extra_low), sp.csr_array(high + extra_high)


def _segments(timeline: Timeline, span: Span) -> Iterator[tuple[int, int, Stake]]:
    """``(start, end, stake)`` for the parts of a span over which its stake stays the
    same: a holding given as a share count is cut at every day the owned entity's
    issued shares may change (its percentage is derived from them)."""
    start = span.start.toordinal() if span.start else OPEN_START
    end = span.end.toordinal() if span.end else OPEN_END
    if span.holding is None or span.holding.shares is None:
        cuts = []
    else:
        cuts = [d.toordinal() for d in timeline.share_days(span.owned)]
    bounds = [start, *(c for c in cuts if start < c < end), end]
    for first, last in zip(bounds, bounds[1:], strict=False):
        # The day the stake is read on: the part's first day; for an open start, the
        # day before its end (or any day, for a span open at both ends).
        if first != OPEN_START:
            day = first
        elif last != OPEN_END:
            day = last - 1
        else:
            day = _dt.date.today().toordinal()
        yield first, last, timeline.stake(span, _dt.date.fromordinal(day))


BASES = ("computed", "agrees", "completed", "differs")
"""How an entity's ultimate parent stands to a reported one (``completed_parents_at``)."""
_BASE_CODES = {name: code for code, name in enumerate(BASES)}

_T = TypeVar("_T", int, str)  # positions, or entity IRIs


def completion(
    reported: Sequence[_T], computed: _T | None, parent_of: Callable[[_T], _T | None]
) -> tuple[str, _T | None]:
    """How reported ultimate parents stand to the computed one, and the answer.

    ``reported`` are the distinct parents reported for an entity on a day (not the
    entity itself), ``computed`` its computed ultimate parent (None when it is absent
    that day) and ``parent_of`` gives the computed ultimate parent of the reported one
    (None when absent); it is asked at most once. Returns the basis of :data:`BASES`
    and the ultimate parent: ``computed`` when none is reported; ``agrees`` when the
    computed one is reported; ``completed`` when exactly one is reported, both are
    present, and the computed chain does not already run through it (its own ultimate
    parent is another): the answer is then that parent's ultimate parent;
    ``differs`` otherwise, the computed answer standing. ``Group.paths`` and
    :meth:`Register.completed_parents_at` both answer by it.

    >>> tops = {"A": "A", "P": "T"}
    >>> completion(["P"], "A", tops.get)
    ('completed', 'T')
    >>> completion(["P", "Q"], "A", tops.get)
    ('differs', 'A')
    """
    if not reported:
        return "computed", computed
    if computed in reported:
        return "agrees", computed
    if len(reported) != 1 or computed is None:
        return "differs", computed
    beyond = parent_of(reported[0])
    if beyond is None or beyond == computed:
        return "differs", computed
    return "completed", beyond


def _reported_columns(
    reported: Iterable[tuple[int, int, int, int]], position: np.ndarray
) -> dict[str, np.ndarray]:
    found = np.array(list(reported), dtype=np.int64).reshape(-1, 4)
    child, parent = position[found[:, 0]], position[found[:, 1]]
    order = np.lexsort((found[:, 2], parent, child))
    return {
        "up_child": child[order].astype(np.int32),
        "up_parent": parent[order].astype(np.int32),
        "up_start": found[order, 2].astype(np.int32),
        "up_end": found[order, 3].astype(np.int32),
    }


# -- one day's stakes ----------------------------------------------------------------------
#
# The rule, over rows: those present on a day, of one pair and kind, add up (capped at
# 100%); kinds never do; per pair the measure's kind weighs the edge. ``_day_stakes``
# and ``_stake_of`` apply it to the rows of a few entities (``owners_at``,
# ``holdings_at``, ``snapshot``), ``_pair_edge`` picks a pair's edge from them, and
# ``_Edges.of`` is the same over a whole day at once, in numpy.


def _day_stakes(records: Iterable[tuple], day: int) -> dict[tuple[int, int, int], list]:
    """The rows of ``records`` present on ``day``, those of one pair and kind together.

    ``records`` are rows as tuples (the fields of :data:`_COLUMNS`). Returns
    ``(owner, owned, kind) -> [low, high, flags, rows]``: the bounds summed (uncapped:
    see :func:`_stake_of`), the flags or-ed, and the rows in the order given, for
    their provenance.
    """
    found: dict[tuple[int, int, int], list] = {}
    for row in records:
        if row[2] <= day < row[3]:
            key = (row[0], row[1], row[7])
            held = found.get(key)
            if held is None:
                found[key] = [row[4], row[5], row[6], [row]]
            else:
                held[0] += row[4]
                held[1] += row[5]
                held[2] |= row[6]
                held[3].append(row)
    return found


def _stake_of(held: list) -> tuple[float, float, int]:
    """``(low, high, flags)`` of one pair and kind from :func:`_day_stakes`: the rows
    added up, capped at 1; two exclusive bounds added make an inclusive one."""
    low, high, flags, rows = held
    if len(rows) > 1:
        flags &= ~(LOW_EXCLUSIVE | HIGH_EXCLUSIVE)
    return min(low, 1.0), min(high, 1.0), flags


def _pair_edge(
    kinds: dict[int, list], ranks: Sequence[int], control: bool
) -> tuple[int, float, float, int, bool] | None:
    """The edge of one pair on one day, from its stakes of each kind (``kind -> held``
    of :func:`_day_stakes`): the kind of least rank (:func:`_ranks`) weighs it, if
    any kind weighs. Returns ``(kind, low, high, flags, consolidated)``, consolidated
    (for ``control`` only) when a row of the pair is. One pair of :meth:`_Edges.of`.
    """
    weighing = [(ranks[k], k) for k in kinds if ranks[k] < _NO_WEIGHT]
    if not weighing:
        return None
    kind = min(weighing)[1]
    cons = control and any(held[2] & CONSOLIDATED for held in kinds.values())
    return (kind, *_stake_of(kinds[kind]), cons)


class _Edges(NamedTuple):
    """The stakes of one day, one per (owner, owned), sorted by owned then owner."""

    src: np.ndarray
    dst: np.ndarray
    low: np.ndarray
    high: np.ndarray
    lex: np.ndarray
    hex: np.ndarray
    cons: np.ndarray
    hold: np.ndarray
    control: np.ndarray  # the owner is not a bucket of unnamed holders

    @classmethod
    def of(cls, register: Register, day: int, ranks: np.ndarray, control: bool) -> _Edges:
        """:func:`_day_stakes` and :func:`_pair_edge` for every pair of the register at
        once: the rows valid on ``day``, those of one pair and kind added up (capped at
        1, flags or-ed), then per pair the kind of least rank (:func:`_ranks`) weighs
        the edge; with ``control``, a consolidation or board-appointment row of the
        pair marks it consolidated."""
        valid = np.flatnonzero((register.start <= day) & (day < register.end))
        kind = register.kind[valid].astype(np.int64)
        rank = ranks[kind] if valid.size else np.zeros(0, dtype=np.int64)
        src = register.owner[valid].astype(np.int64)
        dst = register.owned[valid].astype(np.int64)
        order = np.lexsort((kind, rank, src, dst))
        src, dst, kind, rank = src[order], dst[order], kind[order], rank[order]
        low, high = register.low[valid][order], register.high[valid][order]
        flags = register.flags[valid][order]
        new_pair = np.r_[True, (src[1:] != src[:-1]) | (dst[1:] != dst[:-1])][: src.size]
        cons = np.zeros(0, dtype=bool)
        if control and src.size:
            marked = ((flags & CONSOLIDATED) != 0).astype(np.int64)
            cons = np.add.reduceat(marked, np.flatnonzero(new_pair)) > 0
        # Rows of one pair and kind add up (two exclusive bounds make an inclusive one).
        first = np.flatnonzero(new_pair | np.r_[True, kind[1:] != kind[:-1]][: src.size])
        single = np.diff(np.r_[first, src.size]) == 1
        if first.size:
            low = np.minimum(np.add.reduceat(low, first), 1.0)
            high = np.minimum(np.add.reduceat(high, first), 1.0)
            flags = np.bitwise_or.reduceat(flags, first)
        src, dst, rank = src[first], dst[first], rank[first]
        # The first kind of a pair (least rank) weighs its edge, if that kind weighs.
        lead = np.flatnonzero(new_pair[first])
        weighs = rank[lead] < _NO_WEIGHT
        chosen = lead[weighs]
        cons = cons[weighs] if control else np.zeros(chosen.size, dtype=bool)
        flags = flags[chosen]
        one = single[chosen]
        src, dst = src[chosen], dst[chosen]
        return cls(
            src,
            dst,
            low[chosen],
            high[chosen],
            one & ((flags & LOW_EXCLUSIVE) != 0),
            one & ((flags & HIGH_EXCLUSIVE) != 0),
            cons,
            (flags & HOLDING) != 0,
            (register.kinds[src] & _UNNAMED) == 0,
        )


_NO_WEIGHT = 99


def _ranks(interests: list[str], measure: str) -> np.ndarray:
    """Per interest kind, its place in :data:`groupkg.graph.timemodel.timeline.WEIGHING` for
    ``measure`` (the order :func:`groupkg.graph.timemodel.timeline.pair_stakes` reads): the least
    rank present weighs a pair's edge; ``_NO_WEIGHT`` never does."""
    from groupkg.graph.timemodel.timeline import WEIGHING

    order = WEIGHING[measure]
    return np.array(
        [order.index(k) if k in order else _NO_WEIGHT for k in interests], dtype=np.int64
    )


def _slices(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """The row numbers ``offsets[p]:offsets[p + 1]`` of every position, concatenated."""
    return _ranges(offsets[positions], offsets[positions + 1])


def _ranges(first: np.ndarray, last: np.ndarray) -> np.ndarray:
    """The numbers ``first[k]:last[k]`` for every ``k``, concatenated."""
    lengths = last - first
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    return np.repeat(first - np.cumsum(lengths) + lengths, lengths) + np.arange(total)


def _edge_data(low: float, high: float, flags: int) -> dict[str, Any]:
    """Edge attributes as ``Snapshot.graph`` writes them."""
    return {
        "low": float(low),
        "high": float(high),
        "low_exclusive": bool(flags & LOW_EXCLUSIVE),
        "high_exclusive": bool(flags & HIGH_EXCLUSIVE),
        "consolidated": bool(flags & CONSOLIDATED),
        "holding": bool(flags & HOLDING),
    }


def _subgraph(edges: _Edges, members: np.ndarray, usable: np.ndarray) -> nx.DiGraph:
    """The ``members`` and the usable stakes held in them, as an ownership graph."""
    import networkx as nx

    chosen = np.flatnonzero(usable & members[edges.dst])
    graph = nx.DiGraph()
    graph.add_nodes_from(np.flatnonzero(members).tolist())
    flags = (
        np.where(edges.lex[chosen], LOW_EXCLUSIVE, 0)
        | np.where(edges.hex[chosen], HIGH_EXCLUSIVE, 0)
        | np.where(edges.cons[chosen], CONSOLIDATED, 0)
        | np.where(edges.hold[chosen], HOLDING, 0)
    )
    graph.add_edges_from(
        (u, v, _edge_data(lo, hi, f))
        for u, v, lo, hi, f in zip(
            edges.src[chosen].tolist(),
            edges.dst[chosen].tolist(),
            edges.low[chosen].tolist(),
            edges.high[chosen].tolist(),
            flags.tolist(),
            strict=True,
        )
    )
    return graph


# -- whole-register helpers -----------------------------------------------------------------


def _fraction(threshold: float) -> float:
    if (
        isinstance(threshold, bool)
        or not isinstance(threshold, int | float)
        or not (0.0 <= float(threshold) <= 100.0)
    ):
        raise InputError(f"threshold must be a percent between 0 and 100, got {threshold!r}")
    return float(threshold) / 100.0


def _passes(low: np.ndarray, lex: np.ndarray, cons: np.ndarray, t: float) -> np.ndarray:
    """Certain control by a holder or group holding at least ``low`` (see control._passes)."""
    return cons | (low > t + _TOLERANCE) | ((low >= t - _TOLERANCE) & lex)


def _climb(linked: np.ndarray, up: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Where each ``linked`` entity's chain of ``up`` pointers leaves the linked ones.

    Pointer jumping on the linked entities only: each round halves what is left of
    every chain. Returns the anchors and the positions (in ``linked``) still on a
    chain after enough rounds: those run into a cycle.
    """
    position = np.full(n, -1, dtype=np.int64)
    position[linked] = np.arange(linked.size)
    anchor = up.copy()
    pointer = position[up]
    for _ in range(max(1, int(linked.size).bit_length()) + 1):
        active = np.flatnonzero(pointer >= 0)
        if not active.size:
            break
        step = pointer[active]
        anchor[active] = anchor[step]
        pointer[active] = pointer[step]
    return anchor, np.flatnonzero(pointer >= 0)


def _break_cycles(
    linked: np.ndarray, up: np.ndarray, on_cycles: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Drop the links of cycles of one-to-one control, walking once round each cycle
    from ``on_cycles`` (entities on them); the solver decides those entities."""
    parent = np.full(n, -1, dtype=np.int64)
    parent[linked] = up
    in_forest = np.zeros(n, dtype=bool)
    in_forest[linked] = True
    for start in np.unique(on_cycles).tolist():
        z = start
        while in_forest[z]:
            in_forest[z] = False
            z = int(parent[z])
    keep = in_forest[linked]
    return linked[keep], up[keep]


def _ancestors(n: int, src: np.ndarray, dst: np.ndarray, start: np.ndarray) -> np.ndarray:
    """Mask of ``start`` and every entity with a chain of stakes to one of them.

    ``dst`` is sorted, so the holders of a frontier are found by binary search.
    """
    seen = np.zeros(n, dtype=bool)
    seen[start] = True
    frontier = start
    while frontier.size:
        picks = _ranges(np.searchsorted(dst, frontier, side="left"),
                        np.searchsorted(dst, frontier, side="right"))  # fmt: skip
        if picks.size == 0:
            break
        holders = src[picks]
        holders = np.unique(holders[~seen[holders]])
        seen[holders] = True
        frontier = holders
    return seen


def _components(m: int, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Weakly connected components of ``m`` entities linked by ``rows -> cols``."""
    import scipy.sparse as sp
    from scipy.sparse.csgraph import connected_components

    if m == 0:
        return np.zeros(0, dtype=np.int64)
    graph = sp.csr_array((np.ones(rows.size), (rows, cols)), shape=(m, m))
    return connected_components(graph, directed=True, connection="weak")[1].astype(np.int64)


class _Cycles:
    """The cycles of cross-holdings of a graph of stakes, each solved exactly.

    ``q`` is ``P - I`` with ``P = (I - Cᵀ)^-1`` for the stakes ``C`` inside strongly
    connected blocks (zero outside them), ``dt`` the transpose of the stakes between
    blocks, ``divergent`` the entities of blocks whose walk sums have no finite
    value (spectral radius at least 1, the test of
    :func:`groupkg.graph.analytics.effective._converges`) or that are too large to invert.
    """

    LARGEST = 2048

    def __init__(self, m: int, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray):
        import scipy.sparse as sp
        from scipy.sparse.csgraph import connected_components

        held = vals > 0.0
        rows, cols, vals = rows[held], cols[held], vals[held]
        self.divergent = np.zeros(m, dtype=bool)
        if m == 0:
            self.q = self.dt = sp.csr_array((0, 0))
            return
        count, scc = connected_components(
            sp.csr_array((vals, (rows, cols)), shape=(m, m)), directed=True, connection="strong"
        )
        sizes = np.bincount(scc, minlength=count)
        inside = scc[rows] == scc[cols]
        between = ~inside
        self.dt = sp.csr_array((vals[between], (cols[between], rows[between])), shape=(m, m))
        q_rows: list[np.ndarray] = []
        q_cols: list[np.ndarray] = []
        q_vals: list[np.ndarray] = []
        cyclic = np.flatnonzero(sizes > 1)
        if cyclic.size:
            members = np.flatnonzero(sizes[scc] > 1)
            members = members[np.argsort(scc[members], kind="stable")]
            first = np.searchsorted(scc[members], scc[members])
            local = np.zeros(m, dtype=np.int64)
            local[members] = np.arange(members.size) - first
            for size in np.unique(sizes[cyclic]).tolist():
                chosen = cyclic[sizes[cyclic] == size]
                self._invert(
                    size,
                    chosen,
                    members,
                    scc,
                    local,
                    rows[inside],
                    cols[inside],
                    vals[inside],
                    (q_rows, q_cols, q_vals),
                )
        if q_rows:
            self.q = sp.csr_array(
                (np.concatenate(q_vals), (np.concatenate(q_rows), np.concatenate(q_cols))),
                shape=(m, m),
            )
        else:
            self.q = sp.csr_array((m, m))

    def _invert(
        self,
        size: int,
        chosen: np.ndarray,
        members: np.ndarray,
        scc: np.ndarray,
        local: np.ndarray,
        rows: np.ndarray,
        cols: np.ndarray,
        vals: np.ndarray,
        out: tuple[list, list, list],
    ) -> None:
        """``(I - Cᵀ)^-1 - I`` for every block of ``size`` entities at once."""
        block_of = np.full(int(scc.max()) + 1, -1, dtype=np.int64)
        block_of[chosen] = np.arange(chosen.size)
        nodes = members[block_of[scc[members]] >= 0].reshape(chosen.size, size)
        if size > self.LARGEST:
            self.divergent[nodes.ravel()] = True
            return
        mine = block_of[scc[rows]] >= 0
        b = block_of[scc[rows[mine]]]
        system = np.zeros((chosen.size, size, size))
        system[:, np.arange(size), np.arange(size)] = 1.0
        np.add.at(system, (b, local[cols[mine]], local[rows[mine]]), -vals[mine])
        ok = np.ones(chosen.size, dtype=bool)
        try:
            inverse = np.linalg.inv(system)
        except np.linalg.LinAlgError:  # some block is exactly singular: one at a time
            inverse = np.zeros_like(system)
            for k in range(chosen.size):
                try:
                    inverse[k] = np.linalg.inv(system[k])
                except np.linalg.LinAlgError:
                    ok[k] = False
        z = inverse.sum(axis=2)
        ok &= np.isfinite(z).all(axis=1) & (z.min(axis=1) > 0.0) & (z.max(axis=1) < 1e12)
        self.divergent[nodes[~ok].ravel()] = True
        inverse[:, np.arange(size), np.arange(size)] -= 1.0
        block, i, j = np.nonzero(inverse * ok[:, None, None])
        out[0].append(nodes[block, i])
        out[1].append(nodes[block, j])
        out[2].append(inverse[block, i, j])


def _walk_sums(
    cycles: _Cycles, rows: np.ndarray, cols: np.ndarray, vals: np.ndarray, tops: np.ndarray
) -> sp.csr_array:
    """``Z = (I - Aᵀ)^-1 Aᵀ E``: column ``j`` holds row ``tops[j]`` of ``Ã``."""
    import scipy.sparse as sp

    m = cycles.q.shape[0]
    column = np.full(m, -1, dtype=np.int64)
    column[tops] = np.arange(tops.size)
    chosen = (column[rows] >= 0) & (vals > 0.0)
    step = sp.csr_array((vals[chosen], (cols[chosen], column[rows[chosen]])), shape=(m, tops.size))
    parts = []
    for _ in range(m + 1):  # the chains of holdings between cycles are at most m long
        step = step + cycles.q @ step
        if step.nnz == 0:
            break
        parts.append(step.tocoo())
        step = cycles.dt @ step
    if not parts:
        return sp.csr_array((m, tops.size))
    return sp.coo_array(
        (
            np.concatenate([p.data for p in parts]),
            (np.concatenate([p.row for p in parts]), np.concatenate([p.col for p in parts])),
        ),
        shape=(m, tops.size),
    ).tocsr()


def _claims(
    walks: sp.csr_array,
    tops: np.ndarray,
    top_rows: np.ndarray,
    nodes: np.ndarray,
    shape: tuple[int, int],
) -> sp.csr_array:
    """Effective stakes from walk sums: walks that return to the top parent are not its
    claim, so ``Ã[X, Y]`` is divided by ``1 + Ã[X, X]``; rows are top parents."""
    import scipy.sparse as sp

    coo = walks.tocoo()
    held, column, value = coo.row, coo.col, coo.data
    returns = np.zeros(tops.size)
    own = held == tops[column]
    returns[column[own]] = value[own]
    keep = ~own
    claims = np.clip(value[keep] / (1.0 + returns[column[keep]]), 0.0, 1.0)
    return sp.csr_array((claims, (top_rows[column[keep]], nodes[held[keep]])), shape=shape)


def _bounded(low: sp.csr_array, high: sp.csr_array) -> tuple[sp.csr_array, sp.csr_array]:
    """The low bound where the high one is above zero, and never above it."""
    import scipy.sparse as sp

    high.eliminate_zeros()
    pattern = high.copy()
    pattern.data[:] = 1.0
    low = sp.csr_array(sp.csr_array(low.multiply(pattern)).minimum(high))
    return low, high


# -- arrays ------------------------------------------------------------------------------------


def _records_of(arrays: dict[str, np.ndarray]) -> np.ndarray:
    """The row columns side by side in one structured array."""
    kinds = [(name, arrays[name].dtype) for name in _COLUMNS]
    records = np.empty(arrays["owner"].shape[0], dtype=kinds)
    for name in _COLUMNS:
        records[name] = arrays[name]
    return records


def _index_rows(arrays: dict[str, np.ndarray], n: int) -> None:
    """Offsets of each entity's rows as owned (rows are sorted so), and as owner, and the
    rows as records for the look-ups of one entity."""
    arrays["records"] = _records_of(arrays)
    positions = np.arange(n + 1)
    arrays["owned_offsets"] = np.searchsorted(arrays["owned"], positions).astype(np.int64)
    order = np.lexsort((arrays["start"], arrays["owned"], arrays["owner"]))
    arrays["owner_order"] = order.astype(np.int64)
    arrays["owner_offsets"] = np.searchsorted(arrays["owner"][order], positions).astype(np.int64)


# -- the cache beside a store ---------------------------------------------------------------


def _cache_path(store: Store, cache: bool | str | os.PathLike[str]) -> Path | None:
    from groupkg.graph.store import OxigraphStore

    if cache is False:
        return None
    if cache is not True:
        return Path(cache)
    if isinstance(store, OxigraphStore) and store.description.startswith("oxigraph:"):
        folder = Path(store.description.partition(":")[2])
        return folder.with_name(folder.name + ".register.npz")
    return None


def _cache_key(store: Store) -> str:
    """What the register of a store depends on: its committed imports and the mark
    every write through groupkg renews (an update that keeps the number of triples
    changes it too). A store no write has marked (made by an older groupkg) is keyed on
    its size as well.
    """
    from groupkg.graph.store import OxigraphStore

    if not isinstance(store, OxigraphStore):
        return ""
    key: dict[str, Any] = {
        "format": _FORMAT,
        "imports": [graph.value for graph in store.committed_imports()],
        "written": store.generation,
    }
    if not key["written"]:
        key["triples"] = len(store)
    return json.dumps(key)


def _map_npz(path: Path) -> dict[str, np.ndarray]:
    """The arrays of an uncompressed ``.npz`` as read-only views of one memory map.

    ``numpy.load`` ignores ``mmap_mode`` for archives; stored members are plain
    ``.npy`` files inside the zip, so each is mapped where its data begins.
    """
    from numpy.lib import format as npy

    with open(path, "rb") as stream:
        buffer = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
    arrays = {}
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.compress_type != zipfile.ZIP_STORED:
                raise ValueError(f"{path}: {info.filename} is compressed")
            name_length, extra_length = struct.unpack_from("<HH", buffer, info.header_offset + 26)
            begin = info.header_offset + 30 + name_length + extra_length
            header = io.BytesIO(buffer[begin : begin + 65536 + 16])
            version = npy.read_magic(header)
            read_header = (
                npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            )
            shape, fortran, dtype = read_header(header)
            if dtype.hasobject or fortran:
                raise ValueError(f"{path}: {info.filename} cannot be mapped")
            count = int(np.prod(shape))
            offset = begin + header.tell()
            array = (
                np.frombuffer(buffer, dtype=dtype, count=count, offset=offset)
                if count
                else np.zeros(shape, dtype=dtype)
            )
            arrays[info.filename.removesuffix(".npy")] = array.reshape(shape)
    for name in (*_ENTITY_COLUMNS, *_COLUMNS, "owned_offsets", "owner_order", "owner_offsets"):
        if name not in arrays:
            raise KeyError(name)
    return arrays
