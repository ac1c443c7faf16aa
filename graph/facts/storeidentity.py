"""The records of one entity in a store: the clusters of
:mod:`groupkg.graph.facts.identity`, found by asking the store for the records that
carry an identifier of those already read, until no new one is found.

A question about one group reads only that group's records (``scope-*.rq``); these
functions make sure the group's records in other sources are read with them, and say
which IRI answers name a record's entity by.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field

from groupkg.graph.facts.identity import (
    Clusters,
    Judgement,
    clusters,
    identifiers_of,
)
from groupkg.graph.facts.judgements import as_pairs, read_judgements
from groupkg.graph.facts.records import entities_from_rows
from groupkg.graph.model import Entity
from groupkg.graph.store import Store, iter_rows, sparql_iri, sparql_string

__all__ = [
    "canonical_in_store",
    "read_once",
    "records_in_store",
    "same_entity_records",
    "stored_judgements",
]


@dataclass
class _Reads:
    """What has been read of ``store``: the entity record of each IRI asked for (None
    where it is no entity), and the records carrying each identifier text asked for."""

    store: Store
    judgements: list[Judgement] | None = None
    records: dict[str, Entity | None] = field(default_factory=dict)
    carriers: dict[str, set[str]] = field(default_factory=dict)

    def entities(self, ids: Iterable[str]) -> dict[str, Entity]:
        """The entity records of ``ids`` (those that are entities), in IRI order; only
        those not read before are asked for."""
        wanted = {i for i in ids if not i.startswith("_:")}
        new = sorted(wanted - self.records.keys())
        if new:
            rows = iter_rows(self.store, "scope-entities", entities=_iris(new))
            found = entities_from_rows(rows)
            self.records.update((iri, found.get(iri)) for iri in new)
        return {i: e for i in sorted(wanted) if (e := self.records[i]) is not None}

    def carrying(self, texts: set[str]) -> set[str]:
        """The records that carry one of the identifier ``texts`` (as an identifier or
        as an LEI); only the texts not asked for before are asked for."""
        new = sorted(texts - self.carriers.keys())
        if new:
            for text in new:
                self.carriers[text] = set()
            values = " ".join(sparql_string(t) for t in new)
            for row in iter_rows(self.store, "scope-same-identifier", values=values):
                # a value given back in another form than asked: a carrier of each
                for text in [str(row["value"])] if str(row["value"]) in self.carriers else new:
                    self.carriers[text].add(str(row["e"]))
        return set().union(*(self.carriers[t] for t in texts))


# What one question has read of a store (see read_once).
_READ: ContextVar[_Reads | None] = ContextVar("reads", default=None)


@contextlib.contextmanager
def read_once(store: Store, judgements: list[Judgement] | None = None) -> Iterator[None]:
    """Within the block, ``store``'s judgements (``judgements`` when given), the records
    of its entities and the records carrying an identifier are each read at most once:
    a question resolves names, reads a neighbourhood and then its facts, each of which
    needs them, and a remote store would be asked each time. The store is taken not to
    change within the block. Within a block of the same store, nothing more is done."""
    current = _READ.get()
    if current is not None and current.store is store:
        yield
        return
    if judgements is None:
        judgements = as_pairs(read_judgements(store))
    token = _READ.set(_Reads(store, judgements))
    try:
        yield
    finally:
        _READ.reset(token)


def _reads_of(store: Store) -> _Reads:
    """What the question being answered has read of ``store``, or nothing yet (outside
    :func:`read_once`, read for one call)."""
    current = _READ.get()
    return current if current is not None and current.store is store else _Reads(store)


def stored_judgements(store: Store) -> list[Judgement]:
    """The judgements (``(iri_a, iri_b, same)``) recorded in ``store``, in the order
    they count (:mod:`groupkg.graph.facts.judgements`); the clusters of every answer
    from ``store`` honour them."""
    judgements = _reads_of(store).judgements
    return as_pairs(read_judgements(store)) if judgements is None else judgements


def _iris(ids: Iterable[str]) -> str:
    return " ".join(sparql_iri(i) for i in sorted(ids) if not i.startswith("_:"))


def records_in_store(store: Store, ids: Iterable[str]) -> dict[str, Entity]:
    """The entity records of ``ids`` (those that are entities), read from ``store``, in
    IRI order (within :func:`read_once`, each read once)."""
    return _reads_of(store).entities(ids)


def _spellings(entity: Entity) -> set[str]:
    """The texts a record of one of ``entity``'s identifiers may be stored as: as given,
    normalised, and a number without its leading zeros."""
    texts = {value for _, value in entity.identifiers} | set(entity.facts.get("lei", []))
    for _, value in identifiers_of(entity):
        texts |= {value, value.lstrip("0") if value.isdigit() else value}
    return {t for t in texts if t}


def _linked(
    store: Store, ids: Iterable[str], judgements: list[Judgement]
) -> tuple[dict[str, Entity], Clusters]:
    """The records of ``ids`` and of every record that may be one entity with them."""
    joined: dict[str, set[str]] = {}
    for a, b, same in judgements:
        if same:
            joined.setdefault(a, set()).add(b)
            joined.setdefault(b, set()).add(a)
    reads = _reads_of(store)
    records: dict[str, Entity] = {}
    asked: set[str] = set()
    todo = set(ids)
    while todo:
        asked |= todo
        found = reads.entities(todo)
        records.update(found)
        linked = set().union(*(joined.get(iri, set()) for iri in found))
        linked |= reads.carrying(set().union(*(_spellings(e) for e in found.values())))
        todo = linked - asked
    return records, clusters(records, judgements)


def same_entity_records(
    store: Store, ids: Iterable[str], judgements: list[Judgement] | None = None
) -> set[str]:
    """``ids`` and every record of ``store`` that is one entity with one of them."""
    ids = set(ids)
    if judgements is None:
        judgements = stored_judgements(store)
    _, found = _linked(store, ids, judgements)
    return ids | {m for iri in ids for m in found.members_of(iri)}


def canonical_in_store(store: Store, iri: str) -> str:
    """The IRI answers name the entity of the record ``iri`` by."""
    _, found = _linked(store, [iri], stored_judgements(store))
    return found.canonical_of(iri)
