"""Read a :class:`~groupkg.graph.model.Dataset` out of any store, with SPARQL.

The whole store is read with a few queries (:func:`facts_queries`), run side by side
on an Oxigraph store: one row per triple of a property the facts are made of,
``?s ?k ?o``, where ``?k`` numbers the property (or, for ``rdf:type``, the class, with
``?o`` unbound). Every branch is a single triple pattern, so the store scans one index
per property instead of looking each fact up, and leaving the predicate IRI out of
each row spares an on-disk store a look-up per row. One group is read with the
``scope-*.rq`` queries. Either way the rows are grouped by subject here, which keeps
the queries trivial for any SPARQL 1.1 endpoint and the mapping from RDF to Python in
one readable place.
"""

from __future__ import annotations

import contextlib
import gc
import math
from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from groupkg.graph.dates import PartialDate
from groupkg.graph.errors import InputError
from groupkg.graph.model import (
    NAMESPACE,
    Dataset,
    Entity,
    Event,
    Holding,
    Observation,
    Relation,
    local_id,
)
from groupkg.graph.store import (
    Store,
    iter_rows,
    named_query,
    select_many,
    select_tuples,
    sparql_iri,
)

__all__ = ["load_dataset", "neighbourhood", "facts_queries"]

GK = NAMESPACE
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
PROV_DERIVED = "http://www.w3.org/ns/prov#wasDerivedFrom"
ORG = "http://www.w3.org/ns/org#"

_ENTITY_KINDS = {
    GK + "NaturalPerson": "person",
    GK + "Trust": "trust",
    GK + "Fund": "fund",
    GK + "UnnamedHolders": "unnamed",
}
_ENTITY_TYPES = {
    GK + "Entity", GK + "LegalEntity", GK + "NaturalPerson", GK + "Trust", GK + "Fund",
    GK + "UnnamedHolders",
}  # fmt: skip
# The types facts-observations.rq reads: a figure without one is no observation, read
# from the whole store or from a neighbourhood alike.
_OBSERVATION_TYPES = {
    GK + "Observation", GK + "ShareCapitalObservation", GK + "FinancialObservation",
}  # fmt: skip
_RELATION_KINDS = {
    GK + "DirectConsolidation": "direct",
    GK + "UltimateConsolidation": "ultimate",
    GK + "BranchRelation": "branch",
    GK + "FundManagementRelation": "fund-management",
    GK + "SubFundRelation": "sub-fund",
    GK + "FeederRelation": "feeder",
}
# The most specific type names an event; ORG's ChangeEvent only when nothing else does.
_EVENT_TYPES = [
    "AbsorptionMerger", "Merger", "StockSplit", "PublicOffering", "ThirdPartyAllotment",
    "ShareIssuance", "SecondaryOffering", "TreasuryStockDelivery", "StockOptionGrant",
    "ArticlesAmendment", "LockUpAgreement", "Event",
]  # fmt: skip
_ENTITY_FACTS = {
    "address": "address",
    "representative": "representative",
    "businessDescription": "business",
    "fiscalYearEnd": "fiscal_year_end",
    "jurisdiction": "jurisdiction",
    "lei": "lei",
}
ASSUMED = "urn:groupkg:assumed"

# Every property the facts below are read from; ?k of facts_query() is a position here.
_PROPERTIES = (
    RDFS_LABEL, PROV_DERIVED, ORG + "resultingOrganization", ORG + "originalOrganization",
    *(GK + name for name in (
        # entities
        "legalName", "alias", "incorporationDate", "dissolutionDate", "representativesAsOf",
        *_ENTITY_FACTS,
        # holdings, relations
        "owner", "owned", "parent", "child", "percent", "percentMin", "percentMax",
        "percentMinExclusive", "percentMaxExclusive", "shares", "shareClass", "interestType",
        "validFrom", "validTo", "asOf", "factStatus", "assumptionReason", "relationshipStatus",
        # events
        "survivor", "absorbed", "participant", "party", "issuer", "splitRatio",
        "announcementDate", "effectiveDate", "newSharesIssued", "assumedProperty",
        # observations
        "subject", "measure", "value", "unit", "periodStart", "periodEnd", "basis", "figureKind",
    )),
    ASSUMED,  # "PROPERTY-IRI REASON" of each assumption, made by the query
)  # fmt: skip
# The classes the facts are told apart by; ?k of a type row is _TYPE_BASE + a position here.
_CLASSES = tuple(sorted(
    _ENTITY_TYPES | set(_RELATION_KINDS) | {GK + "Holding", ORG + "ChangeEvent"}
    | {GK + t for t in _EVENT_TYPES} | _OBSERVATION_TYPES
))  # fmt: skip
_TYPE_BASE = 1000


Rows = Iterable[dict[str, Any]]


Grouped = dict[str, dict[str, list[Any]]]  # subject -> property -> distinct values


def _by_subject(rows: Iterable[tuple[Any, Any, Any]]) -> Grouped:
    """``(s, p, o)`` rows grouped by subject and property, each value once."""
    grouped: Grouped = {}
    for s, p, o in rows:
        _add(grouped, s, p, o)
    return grouped


def _add(grouped: Grouped, s: Any, p: Any, o: Any) -> None:
    """One triple into ``grouped``, each value of a subject's property once."""
    props = grouped.get(s)
    if props is None:
        props = grouped[s] = {}
    values = props.get(p)
    if values is None:
        props[p] = [o]
    elif o not in values:
        values.append(o)


def facts_queries(parts: int = 8) -> list[str]:
    """The queries that read every fact of a store, in ``parts`` (rows ``?s ?k ?o``, see
    the module): each a share of the properties and classes, so that several can run
    at once."""
    branches = [f"{{ ?s <{p}> ?o BIND({k} AS ?k) }}" for k, p in enumerate(_PROPERTIES[:-1])]
    branches += [f"{{ ?s a <{c}> BIND({_TYPE_BASE + k} AS ?k) }}" for k, c in enumerate(_CLASSES)]
    assumed = _PROPERTIES.index(GK + "assumedProperty")
    branches += [
        f"{{ ?s <{GK}hasAssumption>/<{GK}assumedProperty> ?o BIND({assumed} AS ?k) }}",
        f"{{ ?s <{GK}hasAssumption> ?assumption .\n"
        f"    ?assumption <{GK}assumedProperty> ?property ; <{GK}assumptionReason> ?reason .\n"
        f"    BIND({len(_PROPERTIES) - 1} AS ?k)\n"
        f'    BIND(CONCAT(STR(?property), " ", STR(?reason)) AS ?o) }}',
    ]
    return [
        "SELECT ?s ?k ?o WHERE {\n  " + "\n  UNION ".join(branches[i::parts]) + "\n}\n"
        for i in range(min(parts, len(branches)))
    ]


# Which builder reads the subjects of each class.
_KIND_OF_CLASS = {
    **{c: "entity" for c in _ENTITY_TYPES},
    GK + "Holding": "holding",
    **{c: "relation" for c in _RELATION_KINDS},
    **{GK + t: "event" for t in _EVENT_TYPES},
    ORG + "ChangeEvent": "event",
    **{c: "observation" for c in _OBSERVATION_TYPES},
}


def _fact_triples(store: Store, progress: Callable[[int], None] | None) -> dict[str, Grouped]:
    """Every fact triple of ``store`` grouped by subject, as the ``scope-*`` rows are,
    and the subjects shared out by kind (``entity``, ``holding``...; one subject may be
    of several)."""
    properties = dict(enumerate(_PROPERTIES))
    classes = {_TYPE_BASE + k: c for k, c in enumerate(_CLASSES)}
    grouped: Grouped = {}
    read = 0
    for s, k, o in select_many(store, facts_queries(), ("s", "k", "o"), ("s", "k")):
        read += 1
        if progress is not None and read % 100_000 == 0:
            progress(read)
        p = properties.get(k)
        if p is None:
            p, o = RDF_TYPE, classes.get(k)
            if o is None:  # only a remote store can answer so
                raise InputError(f"{store.description} did not answer with the rows asked "
                                 f"for (?k = {k!r})")  # fmt: skip
        _add(grouped, s, p, o)
    if progress is not None:
        progress(read)
    kinds: dict[str, Grouped] = {kind: {} for kind in set(_KIND_OF_CLASS.values())}
    for s, props in grouped.items():
        for c in props.get(RDF_TYPE, ()):
            kinds[_KIND_OF_CLASS[c]][s] = props
    return kinds


def _triples(rows: Rows) -> Iterator[tuple[Any, Any, Any]]:
    return ((row["s"], row["p"], row["o"]) for row in rows)


def _one(props: dict[str, list[Any]], name: str, base: str = GK) -> Any:
    """The value of a property; of several, the least as text."""
    values = props.get(base + name)
    if not values:
        return None
    return values[0] if len(values) == 1 else min(values, key=str)


def _date(props: dict[str, list[Any]], name: str) -> PartialDate | None:
    value = _one(props, name)
    return value if isinstance(value, PartialDate) else None


def _number(props: dict[str, list[Any]], name: str) -> float | None:
    """A figure, or None; NaN and infinity are no figure (validation reports them)."""
    value = _one(props, name)
    if not isinstance(value, int | float | Decimal):
        return None
    try:
        number = float(value)
    except OverflowError:  # an integer of hundreds of digits
        return None
    return number if math.isfinite(number) else None


def _count(props: dict[str, list[Any]], name: str) -> int | None:
    """A number of shares, or None for NaN, infinity or more digits than any count has."""
    value = _one(props, name)
    if not isinstance(value, int | Decimal) or _number(props, name) is None:
        return None
    return int(value)


def _status(props: dict[str, list[Any]]) -> str:
    value = _one(props, "factStatus")
    return local_id(value).lower() if value else "stated"


def _sources(props: dict[str, list[Any]]) -> list[str]:
    return sorted(str(s) for s in props.get(PROV_DERIVED, []))


def _assumptions(props: dict[str, list[Any]]) -> dict[str, str]:
    """Assumed property (local name) -> reason; ``"fact"`` when the whole fact is assumed."""
    found = {}
    for row in sorted(str(v) for v in props.get(ASSUMED, [])):
        prop, _, reason = row.partition(" ")
        found[local_id(prop)] = reason
    if _status(props) == "assumed":
        reason = _one(props, "assumptionReason")
        found["fact"] = str(reason) if reason else ""
    return found


def _entities(rows: Rows, details: Rows) -> dict[str, Entity]:
    """The entities among ``?s ?p ?o`` rows, with the identifier and listing rows."""
    return _entities_of(_by_subject(_triples(rows)), details)


def _entities_of(grouped: Grouped, details: Rows) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for iri, props in grouped.items():
        types = set(props.get(RDF_TYPE, []))
        if not types & _ENTITY_TYPES:
            continue
        kind = next((k for t, k in _ENTITY_KINDS.items() if t in types), "legal")
        legal = _one(props, "legalName")
        label = _one(props, "label", "http://www.w3.org/2000/01/rdf-schema#")
        entity = Entity(
            id=iri,
            label=str(label or legal or local_id(iri)),
            kind=kind,
            legal_name=str(legal) if legal else None,
            aliases=sorted(str(a) for a in props.get(GK + "alias", [])),
            incorporated=_date(props, "incorporationDate"),
            dissolved=_date(props, "dissolutionDate"),
            sources=_sources(props),
        )
        for prop, key in _ENTITY_FACTS.items():
            if GK + prop in props:
                entity.facts[key] = sorted(str(v) for v in props[GK + prop])
        since = _date(props, "representativesAsOf")
        if since is not None and "representative" in entity.facts:
            entity.facts_since["representative"] = since
        entities[iri] = entity
    for row in details:
        entity = entities.get(row["s"])
        if entity is None:
            continue
        if "scheme" in row:
            entity.identifiers.append((str(row["scheme"]), str(row["value"])))
        elif "exchange" in row:
            since = f" since {row['since']}" if "since" in row else ""
            entity.listings.append(f"{row['exchange']}{since}")
            if isinstance(row.get("since"), PartialDate):
                entity.listed_since[f"{row['exchange']}{since}"] = row["since"]
                if "ticker" in row:
                    entity.ticker_since[str(row["ticker"])] = row["since"]
    for entity in entities.values():
        entity.identifiers.sort()
        entity.listings.sort()
    return entities


def _holdings(grouped: Grouped) -> list[Holding]:
    holdings = []
    for iri, p in grouped.items():
        if GK + "Holding" not in p.get(RDF_TYPE, []):
            continue
        owner, owned = _one(p, "owner"), _one(p, "owned")
        if owner is None or owned is None:
            continue  # validation reports it; analytics cannot place it
        holdings.append(
            Holding(
                id=iri,
                owner=owner,
                owned=owned,
                percent=_number(p, "percent"),
                percent_min=_number(p, "percentMin"),
                percent_max=_number(p, "percentMax"),
                min_exclusive=_one(p, "percentMinExclusive") is True,
                max_exclusive=_one(p, "percentMaxExclusive") is True,
                shares=_count(p, "shares"),
                share_class=_one(p, "shareClass"),
                interest_type=_one(p, "interestType"),
                valid_from=_date(p, "validFrom"),
                valid_to=_date(p, "validTo"),
                as_of=_date(p, "asOf"),
                status=_status(p),
                sources=_sources(p),
                assumptions=_assumptions(p),
            )
        )
    return sorted(holdings, key=lambda h: h.id)


def _relations(grouped: Grouped) -> list[Relation]:
    relations = []
    for iri, p in grouped.items():
        kind = next((k for t, k in _RELATION_KINDS.items() if t in p.get(RDF_TYPE, [])), None)
        parent, child = _one(p, "parent"), _one(p, "child")
        if kind is None or parent is None or child is None:
            continue
        relations.append(
            Relation(
                id=iri,
                kind=kind,
                parent=parent,
                child=child,
                percent=_number(p, "percent"),
                valid_from=_date(p, "validFrom"),
                valid_to=_date(p, "validTo"),
                as_of=_date(p, "asOf"),
                status=_status(p),
                sources=_sources(p),
                assumptions=_assumptions(p),
                relationship_status=_one(p, "relationshipStatus"),
            )
        )
    return sorted(relations, key=lambda r: r.id)


def _events(grouped: Grouped) -> list[Event]:
    events = []
    for iri, p in grouped.items():
        types = {local_id(t) for t in p.get(RDF_TYPE, []) if str(t).startswith(GK)}
        if not types & set(_EVENT_TYPES) and ORG + "ChangeEvent" not in p.get(RDF_TYPE, []):
            continue
        kind = next((t for t in _EVENT_TYPES if t in types), "Merger")
        label = _one(p, "label", "http://www.w3.org/2000/01/rdf-schema#")
        survivor = _one(p, "survivor") or _one(p, "resultingOrganization", ORG)
        absorbed = sorted(p.get(GK + "absorbed", []))
        if not absorbed and survivor:
            absorbed = sorted(o for o in p.get(ORG + "originalOrganization", []) if o != survivor)
        participants = set(p.get(GK + "participant", []))
        participants |= set(p.get(ORG + "originalOrganization", []))
        participants |= set(p.get(GK + "party", []))
        issuer = _one(p, "issuer")
        if issuer:
            participants.add(issuer)
        ratio = _number(p, "splitRatio")
        events.append(
            Event(
                id=iri,
                type=kind,
                label=str(label) if label else None,
                announced=_date(p, "announcementDate"),
                effective=_date(p, "effectiveDate"),
                participants=sorted(participants),
                survivor=survivor,
                absorbed=absorbed,
                issuer=issuer,
                split_ratio=ratio,
                new_shares=_count(p, "newSharesIssued"),
                status=_status(p),
                assumed=sorted(local_id(a) for a in p.get(GK + "assumedProperty", [])),
                sources=_sources(p),
                assumptions=_assumptions(p),
            )
        )
    return sorted(events, key=_event_order)


def _event_order(event: Event) -> tuple[date, str]:
    when = event.effective or event.announced
    return (when.start if when else date.max, event.id)


def _observations(grouped: Grouped) -> list[Observation]:
    observations = []
    for iri, p in grouped.items():
        if not _OBSERVATION_TYPES & set(p.get(RDF_TYPE, [])):
            continue
        subject, measure, value = _one(p, "subject"), _one(p, "measure"), _number(p, "value")
        if subject is None or measure is None or value is None:
            continue
        basis, kind = _one(p, "basis"), _one(p, "figureKind")
        observations.append(
            Observation(
                id=iri,
                subject=subject,
                measure=local_id(measure),
                value=value,
                unit=_one(p, "unit"),
                as_of=_date(p, "asOf"),
                period_start=_date(p, "periodStart"),
                period_end=_date(p, "periodEnd"),
                basis=local_id(basis) if basis else None,
                kind=local_id(kind) if kind else None,
                status=_status(p),
                sources=_sources(p),
            )
        )
    return sorted(observations, key=lambda o: o.id)


def load_dataset(
    store: Store,
    scope: Iterable[str] | None = None,
    progress: Callable[[int], None] | None = None,
    own: bool = False,
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
    """
    with _bulk():
        return _load(store, scope, progress, own)


@contextlib.contextmanager
def _bulk() -> Iterator[None]:
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
    own: bool = False,
) -> Dataset:
    if scope is None:
        kinds = _fact_triples(store, progress)
        dataset = Dataset(
            entities=_entities_of(kinds["entity"], iter_rows(store, "facts-entity-details")),
            holdings=_holdings(kinds["holding"]),
            relations=_relations(kinds["relation"]),
            events=_events(kinds["event"]),
            observations=_observations(kinds["observation"]),
        )
        dataset.sources = _source_names(iter_rows(store, "facts-sources"))
        return dataset
    ids = sorted(set(scope))
    facts = _by_subject(
        select_tuples(store, _with(named_query("scope-own-facts" if own else "scope-facts"),
                                   entities=_values(ids)),
                      ("s", "p", "o"), ("s", "p", "o"))
    )  # fmt: skip
    dataset = Dataset(
        holdings=_holdings(facts),
        relations=_relations(facts),
        events=_events(facts),
        observations=_observations(facts),
    )
    # Facts may name entities beyond the scope (an event's other participants).
    named = set(ids)
    for h in dataset.holdings:
        named |= {h.owner, h.owned}
    for r in dataset.relations:
        named |= {r.parent, r.child}
    for e in dataset.events:
        named |= set(e.participants)
    rows = list(iter_rows(store, "scope-entities", entities=_values(sorted(named))))
    dataset.entities = _entities((r for r in rows if "p" in r), (r for r in rows if "p" not in r))
    cited: set[str] = set()
    for fact in [*dataset.holdings, *dataset.relations, *dataset.events,
                 *dataset.observations, *dataset.entities.values()]:  # fmt: skip
        cited.update(fact.sources)
    if cited:
        dataset.sources = _source_names(
            iter_rows(store, "scope-sources", sources=_values(sorted(cited)))
        )
    return dataset


def neighbourhood(store: Store, entity_ids: Iterable[str]) -> set[str]:
    """Every entity linked to ``entity_ids`` by holdings, relations or mergers."""
    ids = sorted(set(entity_ids))
    found = {row["e"] for row in iter_rows(store, "scope-neighbourhood", entities=_values(ids))}
    return found | set(ids)


def _with(query: str, **params: str) -> str:
    for key, value in params.items():
        query = query.replace("$" + key, value)
    return query


def _values(ids: list[str]) -> str:
    return " ".join(sparql_iri(i) for i in ids if not i.startswith("_:")) or "<urn:groupkg:none>"


def _source_names(rows: Rows) -> dict[str, str]:
    """Source -> its name; of several (two labels, two titles), the first in text order,
    whatever order the store gives its rows in."""
    names: dict[str, str] = {}
    for row in rows:
        if "name" in row:
            name = str(row["name"])
            names[row["s"]] = min(name, names.get(row["s"], name))
    return names
