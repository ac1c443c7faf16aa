"""Writing BODS 0.4: a graph's entities, holdings, indirect interests and GLEIF facts as
statements valid against the standard's schema, the notes the reader kept turned back
into the BODS details they came from.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import uuid
from collections import defaultdict
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from groupkg.graph.dates import PartialDate
from groupkg.graph.formats.bods.gleifstyle import (
    CONSOLIDATION_DETAILS,
    ENTITY_ANNOTATIONS,
    consolidation_interest,
    exception_statement_details,
)
from groupkg.graph.formats.bods.mapping import (
    BODS_BASE,
    COMMENT_UNSPECIFIED,
    NOTE_PATTERN,
    UNSPECIFIED_PARTY,
    UNSPECIFIED_SUBJECT,
)
from groupkg.graph.formats.bods.schema import is_uri
from groupkg.graph.formats.graphvalues import ENTITY_CLASSES, first_value, sorted_values
from groupkg.graph.store.terms import XSD_BOOLEAN, XSD_DATE, XSD_DECIMAL, literal_value
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["to_bods", "write_bods"]


def _bods_date(value: Node | None, end: bool = False) -> str | None:
    """A full day for BODS: a partial start is its first day, a partial end the day after."""
    if value is None:
        return None
    day = literal_value(str(value), XSD_DATE)
    if not isinstance(day, PartialDate):  # not a date at all: leave it out, not invent one
        return None
    return (day.end if end and day.precision != "day" else day.start).isoformat()


def _known_date(value: Node | None) -> str | None:
    """A ``gk:knownFrom`` as a statement date: a day, or a date-time as it is."""
    if isinstance(value, Literal) and value.datatype == XSD.dateTime:
        return str(value)
    return _bods_date(value)


def _notes(graph: Graph, fact: Node) -> tuple[dict[str, str], list[str]]:
    structured, plain = {}, []
    for note in sorted_values(graph, fact, GK.note):
        match = NOTE_PATTERN.match(str(note))
        if match:
            structured[match.group(1)] = match.group(2)
        else:
            plain.append(str(note))
    return structured, plain


def _unspecified(text: str) -> dict[str, str]:
    reason, _, description = text.partition(" — ")
    return {"reason": reason, **({"description": description} if description else {})}


def _number(value: Node) -> int | float | None:
    """A percentage for BODS JSON; None for text that is no finite number ("NaN", "abc")."""
    number = literal_value(str(value), XSD_DECIMAL)
    if not isinstance(number, Decimal) or not number.is_finite():
        return None
    return int(number) if number == number.to_integral_value() else float(number)


def _entity_annotations(graph: Graph, iri: Node) -> list[str]:
    """An entity's statuses and legal form, as annotations hold them."""
    return [
        f"{prefix}: {value}"
        for prefix, prop in ENTITY_ANNOTATIONS.items()
        for value in sorted_values(graph, iri, prop)
    ]


class _Exporter:
    def __init__(self, graph: Graph, base: str, publisher: str, published: str):
        self.graph = graph
        self.base = base
        self.envelope = {
            "publicationDetails": {
                "publicationDate": published,
                "bodsVersion": "0.4",
                "publisher": {"name": publisher},
            }
        }

    def record_id(self, iri: Node) -> str:
        text = str(iri)
        rest = text[len(self.base) :] if text.startswith(self.base) else ""
        return (
            unquote(rest) if rest and "/" not in rest else str(uuid.uuid5(uuid.NAMESPACE_URL, text))
        )

    def statement(
        self, iri: str, record_id: str, kind: str, date: str, details: dict[str, Any], subject: str
    ) -> dict[str, Any]:
        return {
            "statementId": str(uuid.uuid5(uuid.NAMESPACE_URL, f"{iri}#{date}")),
            "declarationSubject": subject,
            "statementDate": date,
            **self.envelope,
            "recordId": record_id,
            "recordStatus": "new",
            "recordType": kind,
            "recordDetails": {"isComponent": False, **details},
        }

    def party(self, iri: Node, date: str) -> dict[str, Any]:
        g = self.graph
        types = set(g.objects(iri, RDF.type))
        label = first_value(g, iri, RDFS.label)
        aliases = [str(a) for a in sorted_values(g, iri, GK.alias)]
        comment = next(
            (
                str(c)[len(COMMENT_UNSPECIFIED) :]
                for c in sorted_values(g, iri, RDFS.comment)
                if str(c).startswith(COMMENT_UNSPECIFIED)
            ),
            None,
        )
        identifiers = []
        for node in sorted_values(g, iri, GK.hasIdentifier):
            scheme, value = (
                first_value(g, node, GK.identifierScheme),
                first_value(g, node, GK.identifierValue),
            )
            if scheme is not None and value is not None:
                key = (
                    "scheme" if re.match(r"^[A-Z]{2}-[A-Za-z0-9]+$", str(scheme)) else "schemeName"
                )
                identifiers.append({key: str(scheme), "id": str(value)})
        for lei in sorted_values(g, iri, GK.lei):
            if {"scheme": "XI-LEI", "id": str(lei)} not in identifiers:
                identifiers.append({"scheme": "XI-LEI", "id": str(lei)})
        details: dict[str, Any] = {}
        unnamed = GK.UnnamedHolders in types
        if GK.NaturalPerson in types:
            kind = "person"
            details["personType"] = (
                ("anonymousPerson" if comment else "unknownPerson") if unnamed else "knownPerson"
            )
            if label is not None and not (
                unnamed and str(label).startswith("Unnamed person (record ")
            ):
                details["names"] = [{"fullName": str(label)}] + [
                    {"fullName": a, "type": "alternative"} for a in aliases
                ]
            if comment:
                details["unspecifiedPersonDetails"] = _unspecified(comment)
        else:
            kind = "entity"
            if GK.Trust in types:
                entity_type = {"type": "arrangement", "subtype": "trust"}
            elif unnamed:
                entity_type = {"type": "anonymousEntity" if comment else "unknownEntity"}
            elif types & {GK.LegalEntity, GK.Fund, ORG.FormalOrganization}:
                entity_type = {"type": "registeredEntity" if identifiers else "legalEntity"}
            else:
                entity_type = {"type": "arrangement"}
            details["entityType"] = entity_type
            if comment:
                details["unspecifiedEntityDetails"] = _unspecified(comment)
            if label is not None and not str(label).startswith("Unnamed entity (record "):
                details["name"] = str(label)
            if aliases:
                details["alternateNames"] = aliases
            jurisdiction = first_value(g, iri, GK.jurisdiction)
            if jurisdiction is not None and 2 <= len(str(jurisdiction)) <= 6:
                details["jurisdiction"] = {"name": str(jurisdiction), "code": str(jurisdiction)}
            for key, prop in (
                ("foundingDate", GK.incorporationDate),
                ("dissolutionDate", GK.dissolutionDate),
            ):
                day = _bods_date(first_value(g, iri, prop), end=prop == GK.dissolutionDate)
                if day:
                    details[key] = day
            addresses = [{"address": str(a)} for a in sorted_values(g, iri, GK.address)]
            if addresses:
                details["addresses"] = addresses
        if identifiers:
            details["identifiers"] = identifiers
        record_id = self.record_id(iri)
        st = self.statement(str(iri), record_id, kind, date, details, record_id)
        annotations = [
            {"statementPointerTarget": "", "motivation": "commenting", "description": text}
            for text in _entity_annotations(g, iri)
        ]
        if annotations:
            st["annotations"] = annotations
        return st

    def interest(self, fact: Node) -> tuple[dict[str, Any], dict[str, str], list[str]]:
        g = self.graph
        structured, plain = _notes(g, fact)
        interest: dict[str, Any] = {
            "type": str(first_value(g, fact, GK.interestType) or "shareholding")
        }
        consolidation = next((c for c in CONSOLIDATION_DETAILS if (fact, RDF.type, c) in g), None)
        if consolidation is not None:
            interest = consolidation_interest(consolidation)
            structured = {}
            status = first_value(g, fact, GK.relationshipStatus)
            if status is not None:
                plain.append(f"Relationship Status: {status}")
        elif (fact, RDF.type, GK.IndirectInterest) in g:
            interest["directOrIndirect"] = "indirect"
        elif structured.get("directOrIndirect") != "not stated":
            interest["directOrIndirect"] = structured.get("directOrIndirect", "direct")
        if "beneficialOwnershipOrControl" in structured:
            interest["beneficialOwnershipOrControl"] = (
                structured["beneficialOwnershipOrControl"] == "true"
            )
        if "details" in structured:
            interest["details"] = structured["details"]
        share: dict[str, Any] = {}
        percent = first_value(g, fact, GK.percent)
        if percent is not None and _number(percent) is None:
            percent = None  # no figure: validation reports it, the export leaves it out
        if percent is not None:
            share["exact"] = _number(percent)
        for prop, flag, inclusive, exclusive in (
            (GK.percentMin, GK.percentMinExclusive, "minimum", "exclusiveMinimum"),
            (GK.percentMax, GK.percentMaxExclusive, "maximum", "exclusiveMaximum"),
        ):
            bound = first_value(g, fact, prop)
            if bound is not None and percent is None and _number(bound) is not None:
                exclusive_flag = first_value(g, fact, flag)
                is_exclusive = (
                    isinstance(exclusive_flag, Literal)
                    and exclusive_flag.datatype == XSD.boolean
                    and literal_value(str(exclusive_flag), XSD_BOOLEAN) is True
                )
                share[exclusive if is_exclusive else inclusive] = _number(bound)
        if share:
            interest["share"] = share
        for key, prop in (("startDate", GK.validFrom), ("endDate", GK.validTo)):
            day = _bods_date(first_value(g, fact, prop), end=key == "endDate")
            if day:
                interest[key] = day
        return interest, structured, plain

    def statements(self, default_date: str) -> list[dict[str, Any]]:
        g = self.graph
        groups: dict[tuple[Node, Node, str], list[Node]] = defaultdict(list)
        superseded = set(g.objects(None, GK.supersedes))
        for kind, owner_p, owned_p in (
            (GK.Holding, GK.owner, GK.owned),
            (GK.IndirectInterest, GK.owner, GK.owned),
            *((cls, GK.parent, GK.child) for cls in CONSOLIDATION_DETAILS),
        ):
            for fact in g.subjects(RDF.type, kind):
                owner, owned = first_value(g, fact, owner_p), first_value(g, fact, owned_p)
                if owner is None or owned is None or fact in superseded:
                    continue
                as_of = (
                    _bods_date(first_value(g, fact, GK.asOf))
                    or _known_date(first_value(g, fact, GK.knownFrom))
                    or default_date
                )
                groups[(owner, owned, as_of)].append(fact)
        relationships, inline = [], set()
        for (owner, owned, as_of), facts in sorted(
            groups.items(), key=lambda kv: tuple(map(str, kv[0]))
        ):
            interests: list[dict[str, Any]] = []
            annotations: list[dict[str, str]] = []
            notes: dict[str, str] = {}
            for fact in sorted(facts, key=str):
                interest, structured, plain = self.interest(fact)
                notes.update(structured)
                for text in plain:
                    annotations.append(
                        {
                            "statementPointerTarget": f"/recordDetails/interests/{len(interests)}",
                            "motivation": "commenting",
                            "description": text,
                        }
                    )
                interests.append(interest)
            party: Any = self.record_id(owner)
            if UNSPECIFIED_PARTY in notes:
                party = _unspecified(notes[UNSPECIFIED_PARTY])
                inline.add(owner)
            subject: Any = self.record_id(owned)
            if UNSPECIFIED_SUBJECT in notes:
                subject = _unspecified(notes[UNSPECIFIED_SUBJECT])
                inline.add(owned)
            key = f"{owner}|{owned}|{as_of}"
            details = {"subject": subject, "interestedParty": party, "interests": interests}
            declared = subject if isinstance(subject, str) else self.record_id(owned)
            st = self.statement(
                key,
                str(uuid.uuid5(uuid.NAMESPACE_URL, key)),
                "relationship",
                as_of,
                details,
                declared,
            )
            source = self.source(facts)
            if source:
                st["source"] = source
            if annotations:
                st["annotations"] = annotations
            relationships.append(st)
        relationships += self.reporting_exceptions(default_date)
        parties = {p for (owner, owned, _) in groups for p in (owner, owned)} - inline
        for cls in ENTITY_CLASSES:
            parties.update(s for s in g.subjects(RDF.type, cls) if s not in inline)
        records = [
            self.party(p, self.party_date(p, default_date)) for p in sorted(parties, key=str)
        ]
        return records + relationships

    def reporting_exceptions(self, date: str) -> list[dict[str, Any]]:
        """A relationship statement to an unspecified interested party for each
        reporting exception (see :mod:`~groupkg.graph.formats.bods.gleifstyle`)."""
        out = []
        for entity, text in sorted(self.graph.subject_objects(GK.reportingException)):
            written = exception_statement_details(str(text))
            if written is None:
                continue
            party, interest = written
            subject = self.record_id(entity)
            key = f"{entity}|reportingException|{text}"
            details = {"subject": subject, "interestedParty": party, "interests": [interest]}
            record_id = str(uuid.uuid5(uuid.NAMESPACE_URL, key))
            out.append(self.statement(key, record_id, "relationship", date, details, subject))
        return out

    def party_date(self, iri: Node, default_date: str) -> str:
        g = self.graph
        facts = {*g.subjects(GK.owned, iri), *g.subjects(GK.owner, iri)}
        dates = [_bods_date(d) for f in facts for d in g.objects(f, GK.asOf)]
        return min((d for d in dates if d), default=default_date)

    def source(self, facts: list[Node]) -> dict[str, Any] | None:
        g = self.graph
        for fact in sorted(facts, key=str):
            for node in sorted_values(g, fact, PROV.wasDerivedFrom):
                source = first_value(g, node, DCTERMS.isPartOf) or node
                title = first_value(g, source, DCTERMS.title)
                if title is not None:
                    out: dict[str, Any] = {"description": str(title)}
                    url = first_value(g, source, DCTERMS.source)
                    if isinstance(url, URIRef) and is_uri(str(url)):
                        out["url"] = str(url)
                    return out
        return None


def to_bods(
    graph: Graph,
    *,
    publisher: str = "groupkg",
    publication_date: dt.date | None = None,
    base: str = BODS_BASE,
) -> list[dict[str, Any]]:
    """Write a graph's entities, holdings, indirect interests, consolidations and
    reporting exceptions as BODS 0.4 statements.

    Every entity becomes an entity or person statement; the holdings, indirect
    interests and consolidations of one owner (parent) in one owned entity (child) as of
    one date become one relationship statement, one interest each (``direct``,
    ``unknown`` or unstated as imported; ``indirect`` for an indirect interest), notes
    becoming annotations; consolidations, reporting exceptions, statuses and legal
    forms are written as Open Ownership's GLEIF pipeline writes them (see
    :mod:`~groupkg.graph.formats.bods.gleifstyle`). Partial dates
    are widened to a day as BODS asks (a partial start to its first day, a partial end
    to the day after its period). Statement ids are UUID 5s of the IRIs, so the same
    graph always gives the same statements; an entity minted under ``base`` keeps its
    recordId. A fact without an as-of date is stated on the day it became known
    (``gk:knownFrom``), else on ``publication_date``. A record another supersedes
    (``gk:supersedes``) is not written: the statements say what is known now (``groupkg
    export`` names such records as lost, :mod:`~groupkg.graph.formats.losses`).

    Returns
    -------
    list of dict
        Records first, then relationships; valid against the BODS 0.4 schema.
    """
    published = (publication_date or dt.date.today()).isoformat()
    return _Exporter(graph, base, publisher, published).statements(published)


def write_bods(graph: Graph, path: str | os.PathLike[str], **options: Any) -> int:
    """Write :func:`to_bods` of ``graph`` to a JSON file; returns the statement count."""
    statements = to_bods(graph, **options)
    Path(path).write_text(
        json.dumps(statements, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return len(statements)
