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
    "judgements_read_once",
    "records_in_store",
    "same_entity_records",
    "stored_judgements",
]


# The judgements of a store read once for one question (see judgements_read_once).
_READ: ContextVar[tuple[Store, list[Judgement]] | None] = ContextVar("judgements", default=None)


@contextlib.contextmanager
def judgements_read_once(store: Store) -> Iterator[None]:
    """Within the block, ``store``'s judgements are read at most once: a question
    resolves names, reads a neighbourhood and then its facts, each honouring them, and
    a remote store would be asked each time."""
    token = _READ.set((store, as_pairs(read_judgements(store))))
    try:
        yield
    finally:
        _READ.reset(token)


def stored_judgements(store: Store) -> list[Judgement]:
    """The judgements (``(iri_a, iri_b, same)``) recorded in ``store``, in the order
    they count (:mod:`groupkg.graph.facts.judgements`); the clusters of every answer
    from ``store`` honour them."""
    read = _READ.get()
    if read is not None and read[0] is store:
        return read[1]
    return as_pairs(read_judgements(store))


def _iris(ids: Iterable[str]) -> str:
    return " ".join(sparql_iri(i) for i in sorted(ids) if not i.startswith("_:"))


def records_in_store(store: Store, ids: Iterable[str]) -> dict[str, Entity]:
    """The entity records of ``ids`` (those that are entities), read from ``store``."""
    values = _iris(ids)
    if not values:
        return {}
    return entities_from_rows(iter_rows(store, "scope-entities", entities=values))


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
    records: dict[str, Entity] = {}
    asked: set[str] = set()
    todo = set(ids)
    while todo:
        asked |= todo
        found = records_in_store(store, todo)
        records.update(found)
        linked = set().union(*(joined.get(iri, set()) for iri in found))
        texts = set().union(*(_spellings(e) for e in found.values()))
        if texts:
            values = " ".join(sparql_string(t) for t in sorted(texts))
            rows = iter_rows(store, "scope-same-identifier", values=values)
            linked |= {str(row["e"]) for row in rows}
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
