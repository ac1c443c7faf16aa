"""Turn the rows a store answers into records: the ``?s ?p ?o`` rows of the facts
grouped by subject, then each subject made an :class:`~groupkg.graph.model.Entity`,
:class:`~groupkg.graph.model.Holding`, :class:`~groupkg.graph.model.Relation`,
:class:`~groupkg.graph.model.Event` or :class:`~groupkg.graph.model.Observation` by its
classes; the vocabulary they are told apart by.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

from groupkg.graph.dates import PartialDate
from groupkg.graph.model import (
    NAMESPACE,
    Entity,
    Event,
    Holding,
    Observation,
    Relation,
    local_id,
)

__all__ = [
    "ASSUMED",
    "ENTITY_FACTS",
    "ENTITY_TYPES",
    "EVENT_TYPES",
    "GK",
    "OBSERVATION_TYPES",
    "ORG",
    "PROV_DERIVED",
    "RDFS_LABEL",
    "RDF_TYPE",
    "RELATION_KINDS",
    "Grouped",
    "Rows",
    "add_triple",
    "entities_from_rows",
    "entities_of",
    "events_of",
    "group_by_subject",
    "holdings_of",
    "observations_of",
    "relations_of",
]

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
ENTITY_TYPES = {
    GK + "Entity", GK + "LegalEntity", GK + "NaturalPerson", GK + "Trust", GK + "Fund",
    GK + "UnnamedHolders",
}  # fmt: skip
# The types facts-observations.rq reads: a figure without one is no observation, read
# from the whole store or from a neighbourhood alike.
OBSERVATION_TYPES = {
    GK + "Observation", GK + "ShareCapitalObservation", GK + "FinancialObservation",
}  # fmt: skip
RELATION_KINDS = {
    GK + "DirectConsolidation": "direct",
    GK + "UltimateConsolidation": "ultimate",
    GK + "BranchRelation": "branch",
    GK + "FundManagementRelation": "fund-management",
    GK + "SubFundRelation": "sub-fund",
    GK + "FeederRelation": "feeder",
}
# The most specific type names an event; ORG's ChangeEvent only when nothing else does.
EVENT_TYPES = [
    "AbsorptionMerger", "Merger", "StockSplit", "PublicOffering", "ThirdPartyAllotment",
    "ShareIssuance", "SecondaryOffering", "TreasuryStockDelivery", "StockOptionGrant",
    "ArticlesAmendment", "LockUpAgreement", "Event",
]  # fmt: skip
ENTITY_FACTS = {
    "address": "address",
    "representative": "representative",
    "businessDescription": "business",
    "fiscalYearEnd": "fiscal_year_end",
    "jurisdiction": "jurisdiction",
    "lei": "lei",
    "legalForm": "legal_form",
    "entityStatus": "entity_status",
    "registrationStatus": "registration_status",
    "reportingException": "reports_no_parent",
}
ASSUMED = "urn:groupkg:assumed"


Rows = Iterable[dict[str, Any]]


Grouped = dict[str, dict[str, list[Any]]]  # subject -> property -> distinct values


def group_by_subject(rows: Iterable[tuple[Any, Any, Any]]) -> Grouped:
    """``(s, p, o)`` rows grouped by subject and property, each value once."""
    grouped: Grouped = {}
    for s, p, o in rows:
        add_triple(grouped, s, p, o)
    return grouped


def add_triple(grouped: Grouped, s: Any, p: Any, o: Any) -> None:
    """One triple into ``grouped``, each value of a subject's property once."""
    props = grouped.get(s)
    if props is None:
        props = grouped[s] = {}
    values = props.get(p)
    if values is None:
        props[p] = [o]
    elif o not in values:
        values.append(o)


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


def _figure(props: dict[str, list[Any]], name: str) -> float | None:
    """An observed figure: an integer (``xsd:integer``) as an int, exact however large (a
    share count past 2**53 would lose shares as a float); any other number as
    :func:`_number` reads it."""
    value, number = _one(props, name), _number(props, name)
    if isinstance(value, int) and not isinstance(value, bool) and number is not None:
        return value
    return number


def _count(props: dict[str, list[Any]], name: str) -> int | None:
    """A number of shares, or None for NaN, infinity or more digits than any count has."""
    value = _one(props, name)
    if not isinstance(value, int | Decimal) or _number(props, name) is None:
        return None
    return int(value)


def _status(props: dict[str, list[Any]]) -> str:
    value = _one(props, "factStatus")
    return local_id(value).lower() if value else "stated"


def _known(props: dict[str, list[Any]]) -> date | None:
    """The day a record states it became known (``gk:knownFrom``; a partial date from its
    first day), or None; the loader falls back on its sources' dates."""
    day = _date(props, "knownFrom")
    return day.start if day is not None else None


def _corrected(props: dict[str, list[Any]]) -> list[str]:
    return sorted(str(s) for s in props.get(GK + "supersedes", []))


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


def entities_from_rows(rows: Rows) -> dict[str, Entity]:
    """The entities among the rows of ``scope-entities``: ``?s ?p ?o`` rows of their
    facts, and rows without ``?p`` of their identifiers and listings."""
    rows = list(rows)
    facts, details = [r for r in rows if "p" in r], [r for r in rows if "p" not in r]
    return entities_of(group_by_subject(_triples(facts)), details)


def entities_of(grouped: Grouped, details: Rows) -> dict[str, Entity]:
    entities: dict[str, Entity] = {}
    for iri, props in grouped.items():
        types = set(props.get(RDF_TYPE, []))
        if not types & ENTITY_TYPES:
            continue
        kind = next((k for t, k in _ENTITY_KINDS.items() if t in types), "legal")
        legal = _one(props, "legalName")
        label = _one(props, "label", "http://www.w3.org/2000/01/rdf-schema#")
        if legal and str(label) in {str(v) for v in props.get(GK + "lei", [])}:
            label = legal  # an LEI stood in for the name until GLEIF Level 1 gave one
        entity = Entity(
            id=iri,
            label=str(label or legal or local_id(iri)),
            kind=kind,
            legal_name=str(legal) if legal else None,
            aliases=sorted(str(a) for a in props.get(GK + "alias", [])),
            incorporated=_date(props, "incorporationDate"),
            dissolved=_date(props, "dissolutionDate"),
            sources=_sources(props),
            known_from=_known(props),
        )
        for prop, key in ENTITY_FACTS.items():
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


def holdings_of(grouped: Grouped) -> list[Holding]:
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
                known_from=_known(p),
                supersedes=_corrected(p),
            )
        )
    return sorted(holdings, key=lambda h: h.id)


def relations_of(grouped: Grouped) -> list[Relation]:
    relations = []
    for iri, p in grouped.items():
        kind = next((k for t, k in RELATION_KINDS.items() if t in p.get(RDF_TYPE, [])), None)
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
                known_from=_known(p),
                supersedes=_corrected(p),
            )
        )
    return sorted(relations, key=lambda r: r.id)


def events_of(grouped: Grouped) -> list[Event]:
    events = []
    for iri, p in grouped.items():
        types = {local_id(t) for t in p.get(RDF_TYPE, []) if str(t).startswith(GK)}
        if not types & set(EVENT_TYPES) and ORG + "ChangeEvent" not in p.get(RDF_TYPE, []):
            continue
        kind = next((t for t in EVENT_TYPES if t in types), "Merger")
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
                new_shares_max=_count(p, "newSharesIssuedMax"),
                status=_status(p),
                assumed=sorted(local_id(a) for a in p.get(GK + "assumedProperty", [])),
                sources=_sources(p),
                assumptions=_assumptions(p),
                known_from=_known(p),
                supersedes=_corrected(p),
            )
        )
    return sorted(events, key=_event_order)


def _event_order(event: Event) -> tuple[date, str]:
    when = event.effective or event.announced
    return (when.start if when else date.max, event.id)


def observations_of(grouped: Grouped) -> list[Observation]:
    observations = []
    for iri, p in grouped.items():
        if not OBSERVATION_TYPES & set(p.get(RDF_TYPE, [])):
            continue
        subject, measure, value = _one(p, "subject"), _one(p, "measure"), _figure(p, "value")
        if value is None:  # a figure stated only as a range: its upper end
            value = _figure(p, "valueMax")
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
                known_from=_known(p),
                supersedes=_corrected(p),
                value_min=_number(p, "valueMin"),
                value_max=_number(p, "valueMax"),
            )
        )
    return sorted(observations, key=lambda o: o.id)
