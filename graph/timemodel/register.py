"""A whole register in numpy arrays: every holding, when it holds, and the analytics over all.

:class:`~groupkg.graph.group.Group` reads the facts around one entity and lays them
out in time with :class:`~groupkg.graph.timemodel.timeline.Timeline`: right for one group, too
slow for a register of millions of entities. A :class:`Register` keeps the same spans
-- one row for each holding or direct consolidation and the days it holds, after the
time model has run (observations superseded by the next record of the same owner and
owned, ends at dissolutions, mergers passing the absorbed company's stakes to the
survivor) -- as the columns of :mod:`~groupkg.graph.timemodel.columns`, built by
:mod:`~groupkg.graph.timemodel.build`.

The answers are those of ``Timeline.snapshot(day)``: each row has its interest kind
(``kind``, a code into :attr:`Register.interests`); rows of one pair and kind on one
day add up (capped at 100%), kinds never do, and per pair the kind
:func:`groupkg.graph.timemodel.stakes.pair_stakes` picks weighs the edge (voting rights
for control where stated, shares for ownership; see
:mod:`~groupkg.graph.timemodel.edges`). Ultimate parents of the whole register are
found by :mod:`~groupkg.graph.timemodel.parents`, effective stakes by
:mod:`~groupkg.graph.timemodel.lookthrough`. Beside an ``oxigraph:PATH`` store the
register is cached as ``PATH.model/`` (:mod:`~groupkg.graph.timemodel.cache`), keyed by
the store's write mark, and reopened as memory maps.
"""

from __future__ import annotations

import copy
import datetime as _dt
import functools
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from groupkg.graph.dates import Day, as_day
from groupkg.graph.store import Store
from groupkg.graph.timemodel import cache as _cache
from groupkg.graph.timemodel import knowledge
from groupkg.graph.timemodel.columns import KNOWN, OPEN_END, OPEN_START, UNNAMED, day_number
from groupkg.graph.timemodel.daygraph import DayGraphs, StakeMatrices
from groupkg.graph.timemodel.edges import ancestors, day_stakes, stake_of, subgraph
from groupkg.graph.timemodel.lookthrough import TopStakes
from groupkg.graph.timemodel.parents import BASES, completion
from groupkg.graph.timemodel.provenance import Provenance, pack, unpack

if TYPE_CHECKING:
    import networkx as nx

    from groupkg.graph.model import Dataset
    from groupkg.graph.timemodel.nameindex import NameIndex
    from groupkg.graph.timemodel.provenance import EntityRecord
    from groupkg.graph.timemodel.stakes import Snapshot, Span, Stake
    from groupkg.graph.timemodel.timeline import Timeline

__all__ = [
    "Register",
    "DirectStake",
    "StakeMatrices",
    "TopStakes",
    "day_number",
    "completion",
    "BASES",
]


class DirectStake(NamedTuple):
    """One direct stake on one day: the other party, bounds of the fraction held, and the
    interest kind (a BODS interest type, or ``directConsolidation``)."""

    entity: str
    low: float
    high: float
    interest: str = "shareholding"


class Register(DayGraphs):
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
    >>> register.owners_at("B", "2011-01-01")
    [DirectStake(entity='A', low=0.51, high=0.51, interest='shareholding')]
    >>> register.owners_at("B", "2010-06-29")  # not carried back
    []
    >>> [register.ids[i] for i in register.ultimate_parents_at("2011-01-01")]
    ['P', 'P', 'P']
    """

    def __init__(
        self,
        arrays: dict[str, np.ndarray],
        provenance: Provenance | None = None,
        key: str = "",
    ):
        super().__init__(arrays)
        self._key = key
        saved = provenance if provenance is not None else unpack(arrays)
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
        if saved is not None:
            self.stakes, self.reported_spans = saved.stakes, saved.reported
            self.entity_info, self.sources = saved.entities, saved.sources
            self.entity_records = saved.records
            self.assumed_ends = saved.assumed_ends
        #: The entities' names, as :mod:`groupkg.graph.facts.names` looks them up (a model
        #: built with provenance; None otherwise).
        self.names: NameIndex | None = None
        from groupkg.graph.timemodel.nameindex import NameIndex

        if NameIndex.present(arrays):
            self.names = NameIndex(arrays)

    # -- construction ------------------------------------------------------------------

    @classmethod
    def from_timeline(cls, timeline: Timeline, provenance: bool = True) -> Register:
        """The register of a :class:`~groupkg.graph.timemodel.timeline.Timeline`: its spans, as
        they are.

        With ``provenance``, each row keeps the time model's stake (sources, basis,
        status, assumptions, share count), and the reported relations other than
        direct consolidations are kept, so :meth:`snapshot` can answer for a day.
        """
        from groupkg.graph.timemodel.build import timeline_columns

        return cls(*timeline_columns(timeline, provenance))

    @classmethod
    def from_dataset(
        cls, dataset: Dataset, provenance: bool = False, known_at: _dt.date | None = None
    ) -> Register:
        """The register of facts already loaded (see
        :func:`~groupkg.graph.facts.loader.load_dataset`), as known on ``known_at``
        (None: everything known; :func:`~groupkg.graph.timemodel.knowledge.visible`).
        It keeps the days on which what is known changes (:attr:`known_days`)."""
        from groupkg.graph.facts.loader import bulk
        from groupkg.graph.timemodel.timeline import Timeline

        with bulk():  # hundreds of thousands of objects, none in a cycle
            register = cls.from_timeline(Timeline(knowledge.visible(dataset, known_at)), provenance)
        days = knowledge.known_days(dataset)
        register._arrays["known_days"] = np.array(days, dtype="datetime64[D]")
        return register

    @property
    def known_days(self) -> list[_dt.date]:
        """The days on which what is known of the store changes
        (:func:`~groupkg.graph.timemodel.knowledge.known_days`)."""
        found = self._arrays.get("known_days")
        return [] if found is None else found.astype(object).tolist()

    @classmethod
    def from_store(
        cls,
        store: Store,
        cache: bool | str | os.PathLike[str] = True,
        progress: Callable[[int], None] | None = None,
        known_at: Day | None = None,
    ) -> Register:
        """The register of a whole store, read with the ``register-*.rq`` queries.

        Parameters
        ----------
        store
            Any store; an ``oxigraph:PATH`` store gets a cache beside it.
        cache
            ``True``: the folder ``PATH.model`` beside an on-disk store (read when its
            key matches the store's committed imports and it was saved with
            provenance, else rebuilt and written); a path: that folder; ``False``: no
            cache.
        progress
            Called with the number of triples read so far, every 100,000 and once
            all are read (see :func:`~groupkg.graph.facts.loader.load_dataset`).
        known_at
            The register of what was known on this day (None: everything known). It is
            the register of the last day on or before it on which what is known changed
            (:func:`~groupkg.graph.timemodel.knowledge.settled`): the register of
            everything known from the last such day on, else one cached beside it as
            ``PATH.model.known-DAY``.
        """
        if known_at is not None:
            if _cache.cache_path(store, cache) is None:  # nothing cached: read once
                from groupkg.graph.facts.loader import load_dataset

                day = as_day(known_at, "known_at")
                return cls.from_dataset(load_dataset(store, progress=progress), True, day)
            whole = cls.from_store(store, cache, progress)
            day = knowledge.settled(whole.known_days, as_day(known_at, "known_at"))
            if day is None:
                return whole
            return cls._from_store(store, _cache.known_path(_cache.cache_path(store, cache), day),
                                   progress, day)  # fmt: skip
        return cls._from_store(store, _cache.cache_path(store, cache), progress, None)

    @classmethod
    def _from_store(
        cls,
        store: Store,
        path: Path | None,
        progress: Callable[[int], None] | None,
        known_at: _dt.date | None,
    ) -> Register:
        key = _cache.cache_key(store) if path is not None else ""
        if path is not None and path.is_dir():
            try:
                found = cls.load(path)
            except (OSError, ValueError, KeyError):
                found = None
            # A register saved without provenance (as an import might, for its own use)
            # cannot answer for a day: built again.
            if found is not None and found.key == key and found.stakes is not None:
                return found
        from groupkg.graph.facts.loader import load_dataset

        dataset = load_dataset(store, progress=progress)
        register = cls.from_dataset(dataset, provenance=True, known_at=known_at)
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
        ``progress`` is called with the triples read after each file.
        """
        from groupkg.graph.timemodel.build import ntriples_dataset

        return cls.from_dataset(ntriples_dataset(paths, progress))

    def attach(self, store: Store) -> Path | None:
        """Save this register as the cache of ``store`` (``PATH.model``), under the
        key of its current imports; the caller vouches that it holds that store's facts."""
        path = _cache.cache_path(store, True)
        if path is None:
            return None
        return self.save(path, _cache.cache_key(store))

    def stage(self, store: Store) -> Path | None:
        """Write this register's arrays beside ``store`` ahead of :meth:`attach_staged`
        (while an import still loads, say); None where ``store`` has no cache."""
        path = _cache.cache_path(store, True)
        return None if path is None else _cache.write_arrays(self._saved_arrays(), path)

    @staticmethod
    def attach_staged(staged: Path, store: Store) -> Path | None:
        """Make the arrays :meth:`stage` wrote the cache of ``store``, under the key of
        its current imports (as :meth:`attach`)."""
        path = _cache.cache_path(store, True)
        if path is None:
            _cache.discard(staged)
            return None
        return _cache.finish(staged, path, _cache.cache_key(store))

    @staticmethod
    def discard_staged(staged: Path) -> None:
        """Remove the arrays :meth:`stage` wrote (an import that failed)."""
        _cache.discard(staged)

    # -- persistence -----------------------------------------------------------------

    @property
    def key(self) -> str:
        """The cache key this register was saved with ('' when built here)."""
        return self._key

    def save(self, path: str | os.PathLike[str], key: str = "") -> Path:
        """Write the arrays as a folder of ``.npy`` files (so :meth:`load` can map them)."""
        return _cache.save(self._saved_arrays(), Path(path), key)

    def _saved_arrays(self) -> dict[str, np.ndarray]:
        """The arrays a saved register holds: the columns, and the provenance packed
        (with the cyclic collector paused: many objects, none in a cycle)."""
        from groupkg.graph.facts.loader import bulk

        arrays = dict(self._arrays)
        if self.stakes is not None and "stake_blob" not in arrays:
            assert self.entity_info is not None
            with bulk():
                arrays.update(pack(Provenance(
                    self.stakes, self.reported_spans, self.entity_info, self.entity_records,
                    self.sources, self.assumed_ends,
                )))  # fmt: skip
        return arrays

    @classmethod
    def load(cls, path: str | os.PathLike[str]) -> Register:
        """Open a saved register; the arrays are memory maps of its files, read on demand."""
        arrays, key = _cache.load(Path(path))
        return cls(arrays, key=key)

    # -- one entity ------------------------------------------------------------------------

    def _answer(self, found: dict[tuple[int, int, int], list], side: int) -> list[DirectStake]:
        """The stakes :func:`day_stakes` found, naming the owner (``side`` 0) or the owned (1)."""
        ids = self._ids
        kinds = self.interests
        answer = []
        for key, held in found.items():
            low, high, _ = stake_of(held)
            answer.append(DirectStake(ids[key[side]].decode(), low, high, kinds[key[2]]))
        if len(answer) > 1:
            answer.sort(key=lambda s: (-s.low, s.entity, s.interest))
        return answer

    def owners_at(self, entity_id: str, day: Day | int) -> list[DirectStake]:
        """The direct owners of ``entity_id`` on ``day``, largest stake first, one for
        each owner and interest kind (kinds are never added together).

        A direct consolidation reported without a percentage is the range 0-1.
        """
        i = self.position(entity_id)
        if i < 0:
            return []
        return self._answer(day_stakes(self._held_in(i), day_number(day)), 0)

    def holdings_at(self, entity_id: str, day: Day | int) -> list[DirectStake]:
        """What ``entity_id`` directly holds on ``day``, largest stake first."""
        i = self.position(entity_id)
        if i < 0:
            return []
        return self._answer(day_stakes(self._holdings_of(i), day_number(day)), 1)

    def ancestry_at(self, entity_id: str, day: Day | int) -> nx.DiGraph:
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
        members = ancestors(len(self), edges.src[c], edges.dst[c], np.array([i]))
        return subgraph(edges, members, c)

    def paths_at(
        self, entity_id: str, day: Day | int, threshold: float = 50
    ) -> tuple[str, list[list[str]]]:
        """The ultimate parent of ``entity_id`` on ``day`` and the consolidation paths to it.

        As :meth:`groupkg.graph.group.Group.paths`: computed by
        :mod:`groupkg.graph.analytics.parents` on the entity's ancestry, which holds everything
        the answer depends on. An entity absent on that day is its own parent, with
        no path.
        """
        from groupkg.graph.analytics import parents

        d = day_number(day)
        i = self.position(entity_id)
        if i < 0:
            return entity_id, []
        graph = self.ancestry_at(entity_id, d)
        if graph.number_of_edges() == 0:
            return (entity_id, [[entity_id]] if self._present_alone(i, d) else [])
        top = parents.ultimate_parent(graph, i, threshold=threshold)
        found = parents.consolidation_paths(graph, i, threshold=threshold)
        return self.entity(top), [[self.entity(p) for p in path] for path in found]

    def span_days(self, members: Iterable[str] | None = None) -> tuple[set[int], set[int]]:
        """The first days and the end days of the time model's spans held in ``members``
        (None: every entity), as day numbers, unknown ones left out: the stakes' rows, a
        holding's parts cut at share days joined again, and the reported relations.

        Needs a register built with provenance (the rows' facts tell the parts of one
        span apart from spans that follow each other).
        """
        if self.stakes is None:
            raise ValueError("this register was built without provenance")
        rep_start, rep_end = self._arrays["rep_start"], self._arrays["rep_end"]
        if members is None:
            rows = np.arange(self.rows)
            reported = np.arange(rep_start.size)
        else:
            mask = np.zeros(len(self), dtype=bool)
            mask[[p for p in map(self.position, members) if p >= 0]] = True
            rows = np.flatnonzero(mask[self.owned])
            reported = np.flatnonzero(mask[self._arrays["rep_child"]])
        runs: dict[tuple[int, int, int, tuple[str, ...]], list[list[int]]] = {}
        order = rows[np.argsort(self.start[rows], kind="stable")]
        for owner, owned, kind, start, end, origin in zip(
            self.owner[order].tolist(), self.owned[order].tolist(), self.kind[order].tolist(),
            self.start[order].tolist(), self.end[order].tolist(), self.origin[order].tolist(),
            strict=True,
        ):  # fmt: skip
            spans = runs.setdefault((owner, owned, kind, tuple(self.stakes[origin].facts)), [])
            if spans and spans[-1][1] == start:  # the next part of the same span
                spans[-1][1] = end
            else:
                spans.append([start, end])
        starts = {s for spans in runs.values() for s, _ in spans}
        ends = {e for spans in runs.values() for _, e in spans}
        starts |= set(rep_start[reported].tolist())
        ends |= set(rep_end[reported].tolist())
        return starts - {OPEN_START}, ends - {OPEN_END}

    def snapshot(
        self, day: Day, members: Iterable[str] | None = None, around: bool = False
    ) -> Snapshot:
        """The state on ``day`` as the time model gives it, from the rows: each owner's
        stake of each kind in each entity (the rows of one pair and kind that
        :func:`day_stakes` groups, their stakes added up by
        :func:`~groupkg.graph.timemodel.stakes.combine` in the order of the time model's
        spans), the statuses and the reported relations.

        ``members`` limits it to those entities and the stakes held in them (a group);
        with ``around``, the stakes they hold too (enough for their owners and
        holdings, not for their group). Needs a register built with provenance.
        """
        from groupkg.graph.timemodel.stakes import Snapshot, combine, status_at

        day = as_day(day)

        if self.stakes is None:
            raise ValueError("this register was built without provenance")
        d = day_number(day)
        valid = (self.start <= d) & (d < self.end)
        # Kept with the provenance: the child and days of each reported relation.
        rep_child = self._arrays["rep_child"]
        rep_valid = (self._arrays["rep_start"] <= d) & (d < self._arrays["rep_end"])
        if members is None:
            chosen = np.flatnonzero(valid)
            known = np.flatnonzero(self.kinds & KNOWN)
            reported = np.flatnonzero(rep_valid)
            unnamed_at = np.flatnonzero(self.kinds & UNNAMED)
        else:
            mask = np.zeros(len(self), dtype=bool)
            mask[[p for p in map(self.position, members) if p >= 0]] = True
            held = mask[self.owned] | (mask[self.owner] if around else False)
            chosen = np.flatnonzero(valid & held)
            known = np.flatnonzero(mask & ((self.kinds & KNOWN) != 0))
            reported = np.flatnonzero(rep_valid & mask[rep_child])
            unnamed_at = np.flatnonzero(mask & ((self.kinds & UNNAMED) != 0))
        # The rows of one pair and kind as day_stakes groups them, in the order of the
        # time model's spans; their stakes combined, with their provenance.
        chosen = chosen[np.argsort(self.origin[chosen])]
        merged: list[Stake] = []
        for *_, rows in day_stakes(self._records[chosen].tolist(), d).values():
            first, *more = (self.stakes[row[8]] for row in rows)
            merged.append(functools.reduce(combine, more, copy.copy(first)))
        status = {self.entity(i): status_at(*self._lifetime(i), day) for i in known.tolist()}
        spans = [self.reported_spans[i] for i in reported.tolist()]
        unnamed = frozenset(self.entity(i) for i in unnamed_at.tolist())
        return Snapshot(
            day, status, merged,
            [(span.relation, span) for span in spans if span.relation is not None], unnamed,
        )  # fmt: skip
