"""What the server's answers are read from, and what tells it that the data changed.

A memory store, ``--data`` files and a ``sparql:URL`` store are read into one
:class:`Group` at start (and again after a write). An ``oxigraph:PATH`` store is not:
its cached time model (:meth:`Register.from_store`, ``PATH.model``) is opened
memory-mapped, and each question reads the group of the entities it names from it,
with their own facts from the store (:meth:`Group.model`, as the command line asks);
the search ranks the entities the store finds for the text
(:func:`groupkg.graph.facts.search.search_in_store`). See :class:`AnswerSource`.

Another process may write to an ``oxigraph:PATH`` store while the server runs:
:func:`store_state` and :func:`write_mark` tell when, :func:`reopened` opens it anew.
"""

from __future__ import annotations

import collections
import datetime as _dt
import os
from collections.abc import Callable
from typing import Any

from groupkg.graph.facts.namekeys import Candidate
from groupkg.graph.facts.search import LabelIndex, search_in_store
from groupkg.graph.facts.search import search as search_names
from groupkg.graph.group import Group
from groupkg.graph.model import Dataset
from groupkg.graph.store import (
    OxigraphStore,
    SparqlStore,
    Store,
    UnionStore,
    open_read_only,
    queryguard,
)
from groupkg.graph.timemodel.knowledge import known_days, settled
from groupkg.graph.timemodel.register import Register

__all__ = [
    "AnswerSource",
    "WorkerState",
    "answer_source",
    "modelled",
    "prepare_worker",
    "reopened",
    "search_entities",
    "store_state",
    "warm",
    "write_mark",
]


def search_entities(dataset: Dataset, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities whose IRI, label, legal name, alias, identifier or local id matches ``text``.

    Ranked by :func:`groupkg.graph.facts.search.search`: first the levels at which a name
    resolves (so the entity a name resolves to comes first), then names that begin
    with ``text``, names with a word that does, names that contain it, and names that
    contain it when spaces and punctuation are left out. An empty ``text`` lists the
    first ``limit`` entities by name.
    """
    found = search_names((Candidate.of(e) for e in dataset.entities.values()), text, limit)
    return [
        {**dataset.ref(c.id).to_json(), "kind": c.kind, "matched": matched} for c, matched in found
    ]


class AnswerSource:
    """What the answers are read from: the store, and either the group of the whole
    store read into memory (a memory store, ``--data`` files, a ``sparql:URL`` store),
    or the cached time model of an ``oxigraph:PATH`` store (:class:`Register`, memory-
    mapped), from which a question about some entities reads only their group on the
    days asked, and their own facts, as the command line does (:meth:`Group.model`).

    Of a modelled store, a question naming no entity (``diff`` without ``root``,
    ``events`` without ``entity``, the picture of every group) reads each day's state
    from the model too, and from the store only the events (:meth:`Group.whole`).

    A question as known on a day (``known_at``) is answered from the records visible
    then: of the whole group read, the same records seen on that day
    (:meth:`Group.known`); of a modelled store, the register of that day
    (:meth:`Register.from_store`). Both are kept by the day what is known last changed
    on or before it (:func:`~groupkg.graph.timemodel.knowledge.settled`), so that the
    days between two changes share one."""

    #: Groups of the names last asked about, kept (the viewer asks five questions of one
    #: entity at once).
    KEPT = 8

    def __init__(self, store: Store, threshold: float, group: Group | None = None,
                 register: Register | None = None):  # fmt: skip
        self.store: Store = store
        self.threshold = threshold
        self.whole: Group | None = group
        self.register = register
        self.groups: collections.OrderedDict[tuple[Any, ...], Group] = collections.OrderedDict()
        #: Registers of a modelled store as known on earlier days, by :func:`settled` day.
        self.registers: collections.OrderedDict[_dt.date, Register] = collections.OrderedDict()
        self._labels: LabelIndex | None = None
        self._known_days: list[_dt.date] | None = None  # of the whole group read

    def group(self, *names: str | None, known_at: _dt.date | None = None) -> Group:
        """The group a question about ``names`` needs, as known on ``known_at`` (None:
        everything known; see the class)."""
        named = tuple(dict.fromkeys(n for n in names if n))
        if self.register is None:
            whole = self._whole()
            if self._known_days is None:
                self._known_days = known_days(whole.records)
            day = settled(self._known_days, known_at)
            if day is None:
                return whole
            return self._kept(("known", day), lambda: whole.known(day))
        day = settled(self.register.known_days, known_at)
        if not named:
            if day is None:
                return self._whole()
            register = self._register(day)
            return self._kept(
                ((), day), lambda: Group.whole(self.store, self.threshold, register, day)
            )
        register = self.register if day is None else self._register(day)
        return self._kept(
            (named, day),
            lambda: Group.model(self.store, list(named), self.threshold, register, day),
        )

    def records(self) -> Group:
        """The whole store read as records, superseded ones included, for a question
        across days of knowledge (``/api/diff?known_before&known_after``), which the
        time model of one knowledge day cannot answer."""
        if self.register is None:
            return self._whole()
        return self._kept(("records",), lambda: Group(self.store, threshold=self.threshold))

    def _whole(self) -> Group:
        if self.whole is None:
            self.whole = (
                Group(self.store, threshold=self.threshold)
                if self.register is None
                else Group.whole(self.store, self.threshold, self.register)
            )
        return self.whole

    def _kept(self, key: tuple[Any, ...], make: Callable[[], Group]) -> Group:
        """The group kept under ``key``, else made and kept (the last :attr:`KEPT`)."""
        found = self.groups.get(key)
        if found is None:
            found = self.groups[key] = make()
            while len(self.groups) > self.KEPT:
                self.groups.popitem(last=False)
        else:
            self.groups.move_to_end(key)
        return found

    def _register(self, day: _dt.date) -> Register:
        """The register of what was known on ``day`` (a :func:`settled` day)."""
        found = self.registers.get(day)
        if found is None:
            found = self.registers[day] = Register.from_store(self.store, known_at=day)
            while len(self.registers) > self.KEPT:
                self.registers.popitem(last=False)
        return found

    def search(self, text: str) -> list[dict[str, Any]]:
        """The viewer's search (:func:`search_entities`): of a modelled store, the
        entities the store finds for the text, ranked by the same rules."""
        if self.register is None:
            return search_entities(self.group().dataset, text)
        if self._labels is None:
            info, ids = self.register.entity_info or [], self.register.ids
            self._labels = LabelIndex(
                (ids[i], label, kind) for i, (label, kind) in enumerate(info) if kind
            )
        found = search_in_store(self.store, text, self._labels)
        return [{"id": c.id, "name": c.label, "kind": c.kind, "matched": matched}
                for c, matched in found]  # fmt: skip


def modelled(store: Store) -> bool:
    """Whether ``store`` is answered from its cached time model: an ``oxigraph:PATH``
    store (the command line's rule, :meth:`Settings.group`)."""
    return isinstance(store, OxigraphStore) and store.path is not None


class WorkerState:
    """What a worker answers from (:class:`AnswerSource`, inherited, with its store opened
    afresh) and the answers it has given. Neither changes while the worker lives (a
    worker is replaced when the data changes), so an answer given once is given again
    as it was; the answers kept are bounded by ``budget`` bytes, the least recently
    asked dropped first."""

    def __init__(self, data: AnswerSource, budget: int):
        self.data = data
        self.budget = budget
        self.kept: collections.OrderedDict[tuple[Any, ...], bytes] = collections.OrderedDict()
        self.size = 0

    def answer(self, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
        key = (*key, _dt.date.today())  # a question without a date is asked of today
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            return found
        body = make()
        if len(body) <= self.budget // 4:
            self.kept[key] = body
            self.size += len(body)
            while self.size > self.budget:
                self.size -= len(self.kept.popitem(last=False)[1])
        return body


def _parts(store: Store) -> list[Store]:
    return [store.base, store.overlay] if isinstance(store, UnionStore) else [store]


def store_state(store: Store) -> tuple[Any, ...] | None:
    """What changes when another process writes to an ``oxigraph:PATH`` store (its
    files, their sizes and times); ``None`` for a store held in this process."""
    for part in _parts(store):
        if isinstance(part, OxigraphStore) and part.path is not None and part.read_only:
            try:
                with os.scandir(part.path) as entries:
                    return tuple(sorted(
                        (e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                    ))  # fmt: skip
            except OSError:
                return ("unreadable",)
    return None


def reopened(store: Store) -> Store:
    """``store`` with its read-only ``oxigraph:PATH`` part opened again: a read-only
    view sees the store as it was when opened."""
    if isinstance(store, UnionStore):
        return UnionStore(reopened(store.base), store.overlay)
    if isinstance(store, OxigraphStore) and store.path is not None and store.read_only:
        return OxigraphStore(store.path, read_only=True)
    return store


def write_mark(store: Store) -> str | None:
    """The write mark of a read-only ``oxigraph:PATH`` store (see
    :attr:`~groupkg.graph.store.OxigraphStore.generation`); ``None`` when the store
    has none (another kind of store, or one no write through groupkg has marked)."""
    for part in _parts(store):
        if isinstance(part, OxigraphStore) and part.path is not None and part.read_only:
            return part.generation or None
    return None


def warm(data: AnswerSource) -> None:
    """Work out what most requests ask first (the picture of today) in the server, so
    that every worker forked from it starts with it: of a whole group read into
    memory, its state today."""
    if data.whole is None:
        return
    try:
        data.whole.snapshot(_dt.date.today())
    except Exception:  # noqa: BLE001 - a request asking for it gets the error
        pass


_INHERITED: list[Any] = []  # the server's own handles, never released in a worker


def prepare_worker(store: Store) -> None:
    """In a worker process, before its jobs: open an on-disk store afresh (the current
    state, and no handle shared with the server's threads), and forbid Internet
    sockets unless the store itself is remote."""
    remote = False
    for part in _parts(store):
        if isinstance(part, SparqlStore):
            remote = True
        elif isinstance(part, OxigraphStore) and part.path is not None:
            _INHERITED.append(part.store)
            part.store = open_read_only(part.path)
    if not remote:
        queryguard.deny_network()


def answer_source(source: Group | Store, threshold: float) -> AnswerSource:
    """What a server on ``source`` answers from (see :class:`AnswerSource`): a group is
    kept as it is; a store is answered from its cached time model when it is an
    ``oxigraph:PATH`` store, else read into a group."""
    if isinstance(source, Group):
        return AnswerSource(source.store, source.threshold, group=source)
    if modelled(source):
        return AnswerSource(source, threshold, register=Register.from_store(source))
    return AnswerSource(source, threshold, group=Group(source, threshold=threshold))
