"""BODS 0.4 records as groupkg RDF: entities, persons and the facts of relationship
records (as :mod:`~groupkg.graph.formats.bods.versions` shapes them from successive
statements), with their statements as sections of their sources (see
:mod:`groupkg.graph.formats.bods`).
"""

from __future__ import annotations

import json
import os
from decimal import Decimal
from typing import Any
from urllib.parse import quote

from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF

from groupkg.graph.formats.bods.gleifstyle import (
    RELATIONSHIP_STATUS,
    consolidation_class,
    entity_annotation,
    reporting_exception,
)
from groupkg.graph.formats.bods.mapping import (
    COMMENT_UNSPECIFIED,
    NOTE,
    UNSPECIFIED_PARTY,
    UNSPECIFIED_SUBJECT,
    annotation_notes,
)
from groupkg.graph.formats.bods.versions import (
    InterestFact,
    known_from,
    record_versions,
    relationship_facts,
)
from groupkg.graph.formats.identifiers import identifier_triples
from groupkg.graph.formats.minting import decimal_literal, digest
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["RecordBuilder"]

Triple = tuple[Any, Any, Any]
_LEGAL_TYPES = {"registeredEntity", "legalEntity", "state", "stateBody"}


class RecordBuilder:
    """The groupkg RDF of one file's statements (already validated), record by record."""

    def __init__(self, file: str, base: str, labelled: set[str] | None = None):
        """``labelled``: the records whose names label others (the subjects of
        relationships with an unspecified interested party); None for all."""
        self.file = file
        self.labelled = labelled
        self.ns = Namespace(base)
        # The triples of the record being built, each once, in the order they came.
        self.triples: dict[Triple, None] = {}
        self.labels: dict[str, str] = {}
        # What is shared between records, written with the first of them only.
        self.sources: set[str] = set()  # digests, short
        self.unspecified_parties: set[URIRef] = set()

    def record(self, record_id: str) -> URIRef:
        return self.ns[quote(record_id, safe="")]

    def section(self, st: dict[str, Any]) -> URIRef:
        """The statement as a section of the source its publication details describe."""
        pub, src = st.get("publicationDetails") or {}, st.get("source") or {}
        key = digest(json.dumps([pub, src], sort_keys=True))[:16]
        source = self.ns["source/" + key]
        if key not in self.sources:
            self.sources.add(key)
            publisher = (pub.get("publisher") or {}).get("name") or (
                pub.get("publisher") or {}
            ).get("url")
            asserted = ", ".join(a["name"] for a in src.get("assertedBy") or [] if a.get("name"))
            title = (
                src.get("description")
                or src.get("url")
                or (f"statement by {asserted}" if asserted else None)
                or (f"BODS statements published by {publisher}" if publisher else None)
                or f"BODS statements in {os.path.basename(self.file)}"
            )
            self.add((source, RDF.type, GK.Source))
            self.add((source, RDF.type, PROV.Entity))
            self.add((source, DCTERMS.title, Literal(title)))
            self.add((source, GK.fileName, Literal(os.path.basename(self.file))))
            if publisher:
                self.add((source, DCTERMS.publisher, Literal(publisher)))
            if pub.get("publicationDate"):
                self.add(
                    (source, DCTERMS.date, Literal(pub["publicationDate"][:10], datatype=XSD.date))
                )
            if src.get("url"):
                self.add((source, DCTERMS.source, URIRef(src["url"])))
            if src.get("type"):
                self.add(
                    (
                        source,
                        DCTERMS.description,
                        Literal("BODS source type: " + ", ".join(src["type"])),
                    )
                )
        section = self.ns["statement/" + quote(st["statementId"], safe="")]
        self.add((section, RDF.type, GK.SourceSection))
        self.add((section, RDF.type, PROV.Entity))
        self.add((section, DCTERMS.isPartOf, source))
        self.add((section, GK.locator, Literal(f"statementId {st['statementId']}")))
        self.add((section, RDFS.label, Literal(f"BODS statement {st['statementId']}")))
        return section

    def identifiers(self, iri: URIRef, details: dict[str, Any]) -> None:
        for ident in details.get("identifiers") or []:
            scheme, value = ident.get("scheme") or ident.get("schemeName"), ident.get("id")
            if not value:
                continue
            for triple in identifier_triples(iri, scheme, value):
                self.add(triple)

    def party(self, record_id: str, versions: list[dict[str, Any]]) -> None:
        """An entity or person record: its latest details, with every name it has had."""
        iri = self.record(record_id)
        latest = versions[-1]["recordDetails"]
        known = [when for when in map(known_from, versions) if when is not None]
        if known:  # the record is known from its first statement on
            self.add((iri, GK.knownFrom, known_literal(known[0])))
        for st in versions:
            self.add((iri, PROV.wasDerivedFrom, self.section(st)))
            for note in annotation_notes(st, None):
                fact = entity_annotation(note) if st is versions[-1] else None
                if fact is not None:  # the latest statement's status or legal form
                    self.add((iri, fact[0], Literal(fact[1])))
                elif entity_annotation(note) is None:
                    self.add((iri, RDFS.comment, Literal(note)))
        if versions[-1]["recordType"] == "person":
            names = [
                n["fullName"] for st in versions for n in st["recordDetails"].get("names") or []
            ]
            legal = [n["fullName"] for n in latest.get("names") or [] if n.get("type") == "legal"]
            label = (legal or [n["fullName"] for n in latest.get("names") or []] or [None])[0]
            classes = [GK.NaturalPerson, FOAF.Person]
            if latest["personType"] != "knownPerson":
                classes.append(GK.UnnamedHolders)
            label = label or f"Unnamed person (record {record_id})"
            unspecified = latest.get("unspecifiedPersonDetails")
        else:
            kind = latest["entityType"]
            names = [
                st["recordDetails"]["name"] for st in versions if st["recordDetails"].get("name")
            ]
            names += latest.get("alternateNames") or []
            label = latest.get("name")
            if kind.get("subtype") == "trust":
                classes = [GK.Trust]
            elif kind["type"] in _LEGAL_TYPES:
                classes = [GK.LegalEntity, ORG.FormalOrganization]
                if label:
                    self.add((iri, GK.legalName, Literal(label)))
            elif kind["type"] == "arrangement":
                classes = [GK.Entity]
            else:
                classes = [GK.UnnamedHolders]
            label = label or f"Unnamed entity (record {record_id})"
            unspecified = latest.get("unspecifiedEntityDetails")
            self.entity_details(iri, latest)
        for cls in classes:
            self.add((iri, RDF.type, cls))
        self.add((iri, RDFS.label, Literal(label)))
        if self.labelled is None or record_id in self.labelled:
            self.labels[record_id] = label
        for name in names:
            if name != label:
                self.add((iri, GK.alias, Literal(name)))
        self.identifiers(iri, latest)
        if unspecified:
            self.add((iri, RDFS.comment, Literal(COMMENT_UNSPECIFIED + _reason_text(unspecified))))

    def entity_details(self, iri: URIRef, details: dict[str, Any]) -> None:
        if (details.get("jurisdiction") or {}).get("code"):
            self.add((iri, GK.jurisdiction, Literal(details["jurisdiction"]["code"])))
        for prop, key in (
            (GK.incorporationDate, "foundingDate"),
            (GK.dissolutionDate, "dissolutionDate"),
        ):
            if details.get(key):
                self.add((iri, prop, Literal(details[key], datatype=XSD.date)))
        for address in details.get("addresses") or []:
            parts = [
                address.get("address"),
                address.get("postCode"),
                (address.get("country") or {}).get("name"),
            ]
            text = ", ".join(p.strip() for p in parts if p and p.strip())
            if text:
                self.add((iri, GK.address, Literal(text)))
        if details.get("uri"):
            self.add((iri, RDFS.seeAlso, URIRef(details["uri"])))
        for listing in (details.get("publicListing") or {}).get("securitiesListings") or []:
            security = listing["security"]
            node = URIRef(
                f"{iri}/listing/{digest(listing['stockExchangeName'], security['ticker'])[:12]}"
            )
            self.add((iri, GK.hasListing, node))
            self.add((node, RDF.type, GK.Listing))
            self.add((node, GK.exchange, Literal(listing["stockExchangeName"])))
            self.add((node, GK.ticker, Literal(security["ticker"])))

    def parties_of(self, st: dict[str, Any]) -> tuple[URIRef, URIRef, list[str]]:
        details, notes = st["recordDetails"], []
        subject, party = details["subject"], details["interestedParty"]
        if isinstance(subject, str):
            owned = self.record(subject)
        else:
            owned = URIRef(f"{self.record(st['recordId'])}/unspecified-subject")
            self.add((owned, RDF.type, GK.LegalEntity))
            self.add(
                (
                    owned,
                    RDFS.label,
                    Literal(f"Unspecified subject of relationship {st['recordId']}"),
                )
            )
            notes.append(NOTE.format(UNSPECIFIED_SUBJECT, _reason_text(subject)))
        if isinstance(party, str):
            owner = self.record(party)
        else:
            owner = URIRef(f"{owned}/unspecified-interested-party")
            if owner not in self.unspecified_parties:
                self.unspecified_parties.add(owner)
                name = (
                    self.labels.get(subject, f"record {subject}")
                    if isinstance(subject, str)
                    else "an unspecified subject"
                )
                self.add((owner, RDF.type, GK.UnnamedHolders))
                self.add((owner, RDFS.label, Literal(f"Unspecified interested party in {name}")))
            notes.append(NOTE.format(UNSPECIFIED_PARTY, _reason_text(party)))
        return owner, owned, notes

    def fact_iri(self, record_id: str, fact: InterestFact) -> URIRef:
        """A fact as first stated is minted from the statement that first states it; a
        version a later statement ends, from that statement as well."""
        parts: tuple[Any, ...] = (fact.first_statement, fact.key)
        if fact.ended_by is not None:
            parts += ("ended by", fact.ended_by)
        return self.ns[f"{quote(record_id, safe='')}/{digest(*parts)[:12]}"]

    def fact(self, record_id: str, fact: InterestFact) -> None:
        interest = fact.interest
        indirect = interest.get("directOrIndirect") == "indirect"
        iri = self.fact_iri(record_id, fact)
        add = self.add
        if fact.known_from is not None:
            add((iri, GK.knownFrom, known_literal(fact.known_from)))
        if fact.supersedes is not None:
            add((iri, GK.supersedes, self.fact_iri(record_id, fact.supersedes)))
        consolidation = consolidation_class(interest)
        if consolidation is not None:
            self.consolidation(iri, consolidation, fact)
            return
        add((iri, RDF.type, GK.IndirectInterest if indirect else GK.Holding))
        add((iri, GK.owner, fact.owner))
        add((iri, GK.owned, fact.owned))
        add((iri, GK.factStatus, GK.Stated))
        add((iri, GK.interestType, Literal(interest.get("type") or "unknownInterest")))
        add((iri, GK.asOf, Literal(fact.as_of.isoformat(), datatype=XSD.date)))
        for section in fact.sections:
            add((iri, PROV.wasDerivedFrom, section))
        share = interest.get("share") or {}
        if "exact" in share:
            add((iri, GK.percent, decimal_literal(Decimal(str(share["exact"])))))
        else:
            for prop, flag, inclusive, exclusive in (
                (GK.percentMin, GK.percentMinExclusive, "minimum", "exclusiveMinimum"),
                (GK.percentMax, GK.percentMaxExclusive, "maximum", "exclusiveMaximum"),
            ):
                if exclusive in share:
                    add((iri, prop, decimal_literal(Decimal(str(share[exclusive])))))
                    add((iri, flag, Literal(True)))
                elif inclusive in share:
                    add((iri, prop, decimal_literal(Decimal(str(share[inclusive])))))
        self.dates(iri, fact)
        notes = set(fact.notes)
        if not indirect:
            directness = interest.get("directOrIndirect")
            if directness != "direct":
                notes.add(NOTE.format("directOrIndirect", directness or "not stated"))
        if "beneficialOwnershipOrControl" in interest:
            notes.add(
                NOTE.format(
                    "beneficialOwnershipOrControl",
                    str(interest["beneficialOwnershipOrControl"]).lower(),
                )
            )
        if interest.get("details"):
            notes.add(NOTE.format("details", interest["details"]))
        for note in notes:
            add((iri, GK.note, Literal(note)))

    def dates(self, iri: URIRef, fact: InterestFact) -> None:
        for prop, day in ((GK.validFrom, fact.valid_from), (GK.validTo, fact.valid_to)):
            if day is not None:
                self.add((iri, prop, Literal(day.isoformat(), datatype=XSD.date)))

    def consolidation(self, iri: URIRef, cls: URIRef, fact: InterestFact) -> None:
        """A reported consolidation (see :mod:`~groupkg.graph.formats.bods.gleifstyle`):
        the interested party the parent, the subject the child. It has no as-of date: a
        statement's date is when it was made, not a day the relation was seen to hold."""
        add = self.add
        add((iri, RDF.type, cls))
        add((iri, GK.parent, fact.owner))
        add((iri, GK.child, fact.owned))
        add((iri, GK.factStatus, GK.Stated))
        for section in fact.sections:
            add((iri, PROV.wasDerivedFrom, section))
        exact = (fact.interest.get("share") or {}).get("exact")
        if exact is not None:
            add((iri, GK.percent, decimal_literal(Decimal(str(exact)))))
        self.dates(iri, fact)
        for note in fact.notes:
            status = RELATIONSHIP_STATUS.match(note)
            if status:
                add((iri, GK.relationshipStatus, Literal(status.group(1))))
            else:
                add((iri, GK.note, Literal(note)))

    def add(self, triple: Triple) -> None:
        self.triples[triple] = None

    def record_triples(self, record_id: str, versions: list[dict[str, Any]]) -> list[Triple]:
        """The RDF of one record from its statements in statement-date order; the
        parties of a relationship are to be built first (their names label it)."""
        self.triples = {}
        latest = versions[-1]
        exceptions = reporting_exception(latest["recordDetails"])
        if versions[0]["recordType"] != "relationship":
            self.party(record_id, versions)
        elif exceptions is not None and isinstance(latest["recordDetails"]["subject"], str):
            if latest.get("recordStatus") != "closed":
                subject = self.record(latest["recordDetails"]["subject"])
                for text in exceptions:
                    self.add((subject, GK.reportingException, Literal(text)))
        else:
            for fact in relationship_facts(versions, self.section, self.parties_of):
                self.fact(record_id, fact)
        return list(self.triples)

    def build(self, statements: list[dict[str, Any]]) -> Graph:
        """The RDF of every record of ``statements``, in one graph."""
        records = record_versions(statements)
        whole = Graph()
        for parties in (True, False):
            for record_id, versions in records.items():
                if (versions[0]["recordType"] != "relationship") == parties:
                    for triple in self.record_triples(record_id, versions):
                        whole.add(triple)
        return whole


def known_literal(when: str) -> Literal:
    """A knowledge time as ``gk:knownFrom`` holds it: an xsd:date, or an xsd:dateTime."""
    return Literal(when, datatype=XSD.dateTime if "T" in when else XSD.date)


def _reason_text(unspecified: dict[str, Any]) -> str:
    return unspecified["reason"] + (
        f" — {unspecified['description']}" if unspecified.get("description") else ""
    )
