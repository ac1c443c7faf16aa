"""Read a :class:`~groupkg.graph.model.Dataset` out of any store, with SPARQL.

The whole store is read with a few queries (:func:`facts_queries`), run side by side
on an Oxigraph store: one row per triple of a property the facts are made of,
``?s ?k ?o``, where ``?k`` numbers the property (or, for ``rdf:type``, the class, with
``?o`` unbound). Every branch is a single triple pattern, so the store scans one index
per property instead of looking each fact up, and leaving the predicate IRI out of
each row spares an on-disk store a look-up per row. One group is read with the
``scope-*.rq`` queries. Either way the rows are grouped by subject and made records
by :mod:`groupkg.graph.facts.records`, which keeps the queries trivial for any SPARQL
1.1 endpoint and the mapping from RDF to Python in one readable place.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from typing import Any

from groupkg.graph.dates import PartialDate
from groupkg.graph.errors import InputError
from groupkg.graph.facts.identity import Judgement, clusters, merge_dataset
from groupkg.graph.facts.records import (
    ASSUMED,
    ENTITY_FACTS,
    ENTITY_TYPES,
    EVENT_TYPES,
    GK,
    OBSERVATION_TYPES,
    ORG,
    PROV_DERIVED,
    RDF_TYPE,
    RDFS_LABEL,
    RELATION_KINDS,
    Grouped,
    Rows,
    add_triple,
    entities_of,
    events_of,
    group_by_subject,
    holdings_of,
    observations_of,
    relations_of,
)
from groupkg.graph.facts.storeidentity import (
    read_once,
    records_in_store,
    same_entity_records,
    stored_judgements,
)
from groupkg.graph.model import Dataset
from groupkg.graph.store import (
    Store,
    UnionStore,
    iter_rows,
    named_query,
    select_many,
    select_tuples,
    sparql_iri,
)

__all__ = [
    "FACT_CLASSES",
    "FACT_PROPERTIES",
    "assumption_triples",
    "bulk",
    "dataset_of",
    "facts_queries",
    "kinds_of",
    "load_dataset",
    "load_events",
    "neighbourhood",
]

# Every property the facts below are read from; ?k of facts_query() is a position here.
_PROPERTIES = (
    RDFS_LABEL, PROV_DERIVED, ORG + "resultingOrganization", ORG + "originalOrganization",
    *(GK + name for name in (
        # entities
        "legalName", "alias", "incorporationDate", "dissolutionDate", "representativesAsOf",
        *ENTITY_FACTS,
        # holdings, relations
        "owner", "owned", "parent", "child", "percent", "percentMin", "percentMax",
        "percentMinExclusive", "percentMaxExclusive", "shares", "shareClass", "interestType",
        "validFrom", "validTo", "asOf", "factStatus", "assumptionReason", "relationshipStatus",
        # events
        "survivor", "absorbed", "participant", "party", "issuer", "splitRatio",
        "announcementDate", "effectiveDate", "newSharesIssued", "assumedProperty",
        # observations
        "subject", "measure", "value", "unit", "periodStart", "periodEnd", "basis", "figureKind",
        # knowledge time, corrections, ranges
        "knownFrom", "supersedes", "newSharesIssuedMax", "valueMin", "valueMax",
    )),
    ASSUMED,  # "PROPERTY-IRI REASON" of each assumption, made by the query
)  # fmt: skip
# The classes the facts are told apart by; ?k of a type row is _TYPE_BASE + a position here.
_CLASSES = tuple(sorted(
    ENTITY_TYPES | set(RELATION_KINDS) | {GK + "Holding", ORG + "ChangeEvent"}
    | {GK + t for t in EVENT_TYPES} | OBSERVATION_TYPES
))  # fmt: skip
_TYPE_BASE = 1000
#: The properties and classes a store's facts are read from (:func:`facts_queries`).
FACT_PROPERTIES = frozenset(_PROPERTIES[:-1])
FACT_CLASSES = frozenset(_CLASSES)


_ASSUMPTION_BRANCHES = [
    f"{{ ?s <{GK}hasAssumption>/<{GK}assumedProperty> ?o "
    f"BIND({_PROPERTIES.index(GK + 'assumedProperty')} AS ?k) }}",
    f"{{ ?s <{GK}hasAssumption> ?assumption .\n"
    f"    ?assumption <{GK}assumedProperty> ?property ; <{GK}assumptionReason> ?reason .\n"
    f"    BIND({len(_PROPERTIES) - 1} AS ?k)\n"
    f'    BIND(CONCAT(STR(?property), " ", STR(?reason)) AS ?o) }}',
]
#: The properties and the classes the facts are made of (what :func:`facts_queries` reads
#: but the assumptions, which it reaches through ``gk:hasAssumption``).
FACT_PROPERTIES = frozenset(_PROPERTIES[:-1])
FACT_CLASSES = frozenset(_CLASSES)


def facts_queries(parts: int = 8) -> list[str]:
    """The queries that read every fact of a store, in ``parts`` (rows ``?s ?k ?o``, see
    the module): each a share of the properties and classes, so that several can run
    at once."""
    branches = [f"{{ ?s <{p}> ?o BIND({k} AS ?k) }}" for k, p in enumerate(_PROPERTIES[:-1])]
    branches += [f"{{ ?s a <{c}> BIND({_TYPE_BASE + k} AS ?k) }}" for k, c in enumerate(_CLASSES)]
    branches += _ASSUMPTION_BRANCHES
    return [
        "SELECT ?s ?k ?o WHERE {\n  " + "\n  UNION ".join(branches[i::parts]) + "\n}\n"
        for i in range(min(parts, len(branches)))
    ]


# Which builder reads the subjects of each class.
_KIND_OF_CLASS = {
    **{c: "entity" for c in ENTITY_TYPES},
    GK + "Holding": "holding",
    **{c: "relation" for c in RELATION_KINDS},
    **{GK + t: "event" for t in EVENT_TYPES},
    ORG + "ChangeEvent": "event",
    **{c: "observation" for c in OBSERVATION_TYPES},
}


def _fact_triples(store: Store, progress: Callable[[int], None] | None) -> dict[str, Grouped]:
    """Every fact triple of ``store`` grouped by subject, as the ``scope-*`` rows are,
    and the subjects shared out by kind (:func:`kinds_of`)."""
    grouped: Grouped = {}
    read = 0
    for s, p, o in _rows(store, select_many(store, facts_queries(), ("s", "k", "o"), ("s", "k"))):
        read += 1
        if progress is not None and read % 100_000 == 0:
            progress(read)
        add_triple(grouped, s, p, o)
    if progress is not None:
        progress(read)
    return kinds_of(grouped)


def _rows(store: Store, rows: Iterable[tuple[Any, Any, Any]]) -> Iterator[tuple[Any, Any, Any]]:
    """``(s, p, o)`` of the rows ``?s ?k ?o`` of :func:`facts_queries`."""
    properties = dict(enumerate(_PROPERTIES))
    classes = {_TYPE_BASE + k: c for k, c in enumerate(_CLASSES)}
    for s, k, o in rows:
        p = properties.get(k)
        if p is None:
            p, o = RDF_TYPE, classes.get(k)
            if o is None:  # only a remote store can answer so
                raise InputError(f"{store.description} did not answer with the rows asked "
                                 f"for (?k = {k!r})")  # fmt: skip
        yield s, p, o


def assumption_triples(store: Store) -> Iterator[tuple[Any, Any, Any]]:
    """The rows of :func:`facts_queries` that reach through ``gk:hasAssumption``, as
    ``(s, p, o)``."""
    query = "SELECT ?s ?k ?o WHERE {\n  " + "\n  UNION ".join(_ASSUMPTION_BRANCHES) + "\n}\n"
    yield from _rows(store, select_tuples(store, query, ("s", "k", "o"), ("s", "k")))


def kinds_of(grouped: Grouped) -> dict[str, Grouped]:
    """The subjects of ``grouped`` shared out by kind (``entity``, ``holding``...; one
    subject may be of several)."""
    kinds: dict[str, Grouped] = {kind: {} for kind in set(_KIND_OF_CLASS.values())}
    for s, props in grouped.items():
        for c in props.get(RDF_TYPE, ()):
            kinds[_KIND_OF_CLASS[c]][s] = props
    return kinds


def _fact_dataset(kinds: dict[str, Grouped], store: Store) -> Dataset:
    """The records of the fact triples ``kinds`` (:func:`kinds_of`), with the entities'
    identifiers and listings and the sources' names and dates read from ``store``."""
    return dataset_of(
        kinds, iter_rows(store, "facts-entity-details"), iter_rows(store, "facts-sources")
    )


def dataset_of(kinds: dict[str, Grouped], details: Rows, sources: Rows) -> Dataset:
    """The dataset of a whole store from its fact triples (:func:`kinds_of`), the rows
    of ``facts-entity-details`` and those of ``facts-sources``, before the records of
    one entity are merged."""
    dataset = Dataset(
        entities=entities_of(kinds["entity"], details),
        holdings=holdings_of(kinds["holding"]),
        relations=relations_of(kinds["relation"]),
        events=events_of(kinds["event"]),
        observations=observations_of(kinds["observation"]),
    )
    _read_sources(dataset, sources)
    return dataset


def load_dataset(
    store: Store,
    scope: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    own: bool = False,
    judgements: list[Judgement] | None = None,
    merged: bool = True,
    grouped: Grouped | None = None,
) -> Dataset:
    """Read the entities, holdings, relations, events and observations of ``store``.

    With ``scope`` (entity IRIs), read only the facts that touch those entities, in a
    few queries, so a store far larger than memory answers a question about one
    group quickly; see :func:`neighbourhood`. With ``own`` too, no holdings or
    relations: what the entities are, the observations about them and the events they
    take part in (what a question answered from the time model still needs). Without
    ``scope``, ``progress``
    is called with the number of triples read so far, every 100,000 and once all are
    read.

    Records of one entity in several sources (:mod:`groupkg.graph.facts.identity`) are
    one entity of the dataset, named by its canonical IRI: the records of ``scope`` are
    read with every record that is one entity with them. ``judgements`` are those of
    the store (:func:`~groupkg.graph.facts.storeidentity.stored_judgements`) unless
    given. With ``merged`` False, every source record as it is (as validation reads
    them, to report the clusters' conflicts). With ``grouped`` (no ``scope``), the
    triples of the facts (:data:`FACT_PROPERTIES` and :data:`FACT_CLASSES`, and the
    assumptions' rows) already grouped by subject, read from elsewhere: ``store`` then
    holds the other triples (see :mod:`~groupkg.graph.facts.ntfacts`).
    """
    with read_once(store, judgements), bulk():
        if judgements is None:
            judgements = stored_judgements(store)
        if grouped is not None and scope is None:
            dataset = _fact_dataset(kinds_of(grouped), store)
        else:
            dataset = _load(store, scope, progress, own, judgements)
        if not merged:
            return dataset
        return merge_dataset(dataset, clusters(dataset.entities, judgements))


@contextlib.contextmanager
def bulk() -> Iterator[None]:
    """Hundreds of thousands of new objects, none in a cycle: the cyclic collector
    would walk them all again and again (a third of the time), so it waits."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _load(
    store: Store,
    scope: Iterable[str] | None,
    progress: Callable[[int], None] | None,
    own: bool,
    judgements: list[Judgement],
) -> Dataset:
    if scope is None:
        return _fact_dataset(_fact_triples(store, progress), store)
    ids = sorted(same_entity_records(store, scope, judgements))
    facts = group_by_subject(_facts_touching(store, ids, own))
    dataset = Dataset(
        holdings=holdings_of(facts),
        relations=relations_of(facts),
        events=events_of(facts),
        observations=observations_of(facts),
    )
    # Facts may name entities beyond the scope (an event's other participants).
    named = set(ids)
    for h in dataset.holdings:
        named |= {h.owner, h.owned}
    for r in dataset.relations:
        named |= {r.parent, r.child}
    for e in dataset.events:
        named |= set(e.participants)
    return _with_entities(store, dataset, same_entity_records(store, named, judgements))


# The properties by which a fact touches an entity: those of every fact, and those of
# the facts other than holdings and reported relations (``own``), as scope-facts.rq and
# scope-own-facts.rq list them.
_ROLES = ("gk:owner", "gk:owned", "gk:parent", "gk:child")
_OWN_ROLES = ("gk:subject", "gk:participant", "gk:issuer", "gk:survivor", "gk:absorbed",
              "gk:party", "org:originalOrganization")  # fmt: skip


def _facts_touching(store: Store, ids: list[str], own: bool) -> Iterator[tuple[Any, ...]]:
    """The ``?s ?p ?o`` rows of every fact touching the entities ``ids`` (``own``: all
    but their holdings and reported relations): the facts first, then their properties
    by the facts' IRIs, which a remote store reads several times faster than the two
    joined in one query. A fact that is a blank node cannot be named in a second query
    (a store names blank nodes afresh in each answer): where there is one, the facts
    are read joined, in one query. Each part of a store with ``--data`` files beside it
    is asked for the properties of the facts it found, as a query joining both would
    read them: Virtuoso (7.2.5) drops the plain triples of its answer when it is asked
    for an IRI it has never stored."""
    if isinstance(store, UnionStore):
        yield from _facts_touching(store.base, ids, own)
        yield from _facts_touching(store.overlay, ids, own)
        return
    roles = _OWN_ROLES if own else _ROLES + _OWN_ROLES
    rows = iter_rows(store, "scope-fact-subjects", entities=_values(ids), roles=", ".join(roles))
    subjects = sorted({str(row["s"]) for row in rows})
    if any(s.startswith("_:") for s in subjects):
        query = _with(named_query("scope-own-facts" if own else "scope-facts"),
                      entities=_values(ids))  # fmt: skip
    else:
        query = _with(named_query("scope-subject-facts"), facts=_values(subjects))
    yield from select_tuples(store, query, ("s", "p", "o"), ("s", "p", "o"))


def _with_entities(store: Store, dataset: Dataset, named: set[str]) -> Dataset:
    """``dataset`` given the records of the entities ``named`` and the names of the
    sources its facts and those entities cite, read from ``store``."""
    dataset.entities = records_in_store(store, named)
    cited: set[str] = set()
    for fact in [*dataset.holdings, *dataset.relations, *dataset.events,
                 *dataset.observations, *dataset.entities.values()]:  # fmt: skip
        cited.update(fact.sources)
    if cited:
        _read_sources(dataset, iter_rows(store, "scope-sources", sources=_values(sorted(cited))))
    return dataset


def load_events(store: Store) -> Dataset:
    """The events of ``store`` and the entities taking part in them (what a question
    about the whole store answered from its time model still reads from the store)."""
    with read_once(store), bulk():
        facts = group_by_subject(
            select_tuples(store, named_query("facts-events"), ("s", "p", "o"), ("s", "p", "o"))
        )
        dataset = Dataset(events=events_of(facts))
        named = {p for e in dataset.events for p in [*e.participants, *e.absorbed]}
        named |= {p for e in dataset.events for p in (e.survivor, e.issuer) if p}
        judgements = stored_judgements(store)
        _with_entities(store, dataset, same_entity_records(store, named, judgements))
        return merge_dataset(dataset, clusters(dataset.entities, judgements))


def neighbourhood(store: Store, entity_ids: Iterable[str]) -> set[str]:
    """Every entity linked to ``entity_ids`` by holdings, relations or mergers, and by
    being one entity with a record so linked (an identifier they share)."""
    found: set[str] = set()
    todo = set(entity_ids)
    with read_once(store):
        judgements = stored_judgements(store)
        while todo:
            rows = iter_rows(store, "scope-neighbourhood", entities=_values(sorted(todo)))
            linked = {row["e"] for row in rows} | todo
            found |= linked
            todo = same_entity_records(store, linked, judgements) - found
            found |= todo
    return found


def _with(query: str, **params: str) -> str:
    for key, value in params.items():
        query = query.replace("$" + key, value)
    return query


def _values(ids: list[str]) -> str:
    return " ".join(sparql_iri(i) for i in ids if not i.startswith("_:")) or "<urn:groupkg:none>"


def _read_sources(dataset: Dataset, rows: Rows) -> None:
    """Give ``dataset`` the names of its sources and its records their knowledge time.

    Of several names of a source (two labels, two titles), the first in text order,
    whatever order the store gives its rows in. A record that does not state when it
    became known (``gk:knownFrom``) is known from the latest date of the sources it
    cites: it needs all of its evidence. Left None when none of them is dated.
    """
    names: dict[str, str] = {}
    dates: dict[str, date] = {}
    for row in rows:
        if "name" in row:
            name = str(row["name"])
            names[row["s"]] = min(name, names.get(row["s"], name))
        when = row.get("date")
        if isinstance(when, PartialDate):
            dates[row["s"]] = max(when.start, dates.get(row["s"], when.start))
    dataset.sources = names
    if not dates:
        return
    for record in [*dataset.holdings, *dataset.relations, *dataset.events,
                   *dataset.observations]:  # fmt: skip
        if record.known_from is None:
            cited = [dates[s] for s in record.sources if s in dates]
            if cited:
                record.known_from = max(cited)
                record.known_from_sources = True
