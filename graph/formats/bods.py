"""Beneficial Ownership Data Standard 0.4: statements in, groupkg RDF out, and back.

Import validates every statement against the official BODS 0.4 JSON Schema (bundled in
``bods_schema/``, references resolved from those files only) and against the rules a
graph needs (references resolve, ranges are ordered, statement ids are unique). Every
problem is reported at once as ``FILE:/json/pointer: field: reason`` naming the
statement, and nothing is loaded when there is one.

Mapping (what a BODS record becomes):

- entity record: ``gk:LegalEntity`` (and ``org:FormalOrganization``) for a registered
  entity, legal entity, state or state body; ``gk:Trust`` for subtype ``trust``; bare
  ``gk:Entity`` for any other arrangement (a nomination, a joint shareholding: no legal
  personality); ``gk:UnnamedHolders`` for an anonymous or unknown entity. The name is
  ``rdfs:label`` (and ``gk:legalName`` for legal entities), alternate and earlier names
  are ``gk:alias``; identifiers become ``gk:Identifier`` nodes (scheme code, else scheme
  name), an ``XI-LEI`` identifier also ``gk:lei``; ``foundingDate`` and
  ``dissolutionDate`` the incorporation and dissolution dates; addresses ``gk:address``;
  listings ``gk:Listing``.
- person record: ``gk:NaturalPerson``; an anonymous or unknown person is also
  ``gk:UnnamedHolders`` (still a natural person, but one the source does not name), with
  the reason as an ``rdfs:comment``. Personal details (birth date, nationality,
  residence) are not carried: ownership analysis does not need them.
- relationship record: one fact per interest. An interest that is ``indirect`` becomes a
  ``gk:IndirectInterest`` (a reported look-through figure, never a holding). Every other
  interest, ``direct``, ``unknown`` or unstated, becomes a ``gk:Holding``: BODS says
  ``unknown`` when a publisher cannot tell, and dropping those would lose most register
  data; a ``gk:note`` ``"BODS directOrIndirect: unknown"`` (or ``not stated``) keeps the
  doubt visible. ``share.exact`` is ``gk:percent``, the bounds ``gk:percentMin``/``Max``
  with the exclusive flags, ``startDate``/``endDate`` ``gk:validFrom``/``gk:validTo``,
  the statement date ``gk:asOf``, the interest type ``gk:interestType``
  (``unknownInterest`` when the interest has none, or the relationship lists none).
  ``beneficialOwnershipOrControl`` and ``details`` are kept as ``gk:note``s, and so is
  every annotation's description. An unspecified interested party becomes one
  ``gk:UnnamedHolders`` entity per subject, the reason in a ``gk:note`` on the fact.
- a subject or interested party whose record is not in the file is taken to be published
  elsewhere: it gets the IRI its record would have under the same ``base``, so the two
  link up when both are loaded.
- every statement is a ``gk:SourceSection`` (locator: its statementId) of a
  ``gk:Source`` built from its publication details and source (publisher, date, title
  from the source's description or URL); facts and entities are derived from them.

Updates: the statements of one ``recordId`` are applied in statement-date order. An
``updated`` statement replaces the record's facts from its statement date: an earlier
fact ends then (or at its own end date, if earlier), or on the start date of its
replacement when that falls between the two; an interest restated unchanged continues
as one fact. A ``closed`` statement ends the record's facts at its statement date (or at
an end date it gives for an interest).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
import reprlib
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from rdflib import RDF, RDFS, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import FOAF
from rdflib.term import Node
from referencing import Registry, Resource

from groupkg.graph.dates import PartialDate
from groupkg.graph.errors import InputError
from groupkg.graph.formats.csvholdings import BadInput, ImportProblem
from groupkg.graph.store.terms import XSD_BOOLEAN, XSD_DATE, XSD_DECIMAL, literal_value
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["BODS_BASE", "validate_bods", "bods_to_graph", "read_bods", "to_bods", "write_bods"]

BODS_BASE = "https://w3id.org/groupkg/data/bods/"
_NOTE = "BODS {}: {}"
_UNSPECIFIED_PARTY = "unspecified interested party"
_UNSPECIFIED_SUBJECT = "unspecified subject"
_NOTE_PATTERN = re.compile(r"^BODS ([A-Za-z ]+): (.*)$", re.S)
_COMMENT_UNSPECIFIED = "BODS unspecified: "
_LEGAL_TYPES = {"registeredEntity", "legalEntity", "state", "stateBody"}


def _digest(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def _decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in its shortest form, so equal figures are equal terms."""
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)


# ---- the schema ----

_FORMATS = FormatChecker(formats=())
_URI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@_FORMATS.checks("date")
def _is_date(value: object) -> bool:
    """RFC 3339 full-date."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DAY.match(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (a time zone is required)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE_TIME.match(value)) and bool(dt.datetime.fromisoformat(value.upper()))
    except ValueError:
        return False


@_FORMATS.checks("uri")
def _is_uri(value: object) -> bool:
    """RFC 3986 absolute URI: a scheme, a colon, and only URI characters."""
    return not isinstance(value, str) or bool(_URI.match(value))


def _schema_files(schema_dir: str | os.PathLike[str] | None) -> Traversable:
    if schema_dir is not None:
        return Path(schema_dir)
    return files("groupkg.graph.formats") / "bods_schema"


@lru_cache(maxsize=4)
def _validator(schema_dir: str | None) -> Draft202012Validator:
    folder = _schema_files(schema_dir)
    registry: Registry = Registry()
    statement = None
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            contents = json.loads(item.read_text(encoding="utf-8"))
            registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
            if item.name == "statement.json":
                statement = contents
    if statement is None:
        raise FileNotFoundError(f"no statement.json in the BODS schema folder {folder}")
    return Draft202012Validator(statement, registry=registry, format_checker=_FORMATS)


# ---- validation ----

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxlevel = 60, 60, 3, 3, 2


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _who(statements: Any, index: Any) -> str:
    """How a message names a statement: its statementId, else its recordId, else its place."""
    statement = statements[index] if isinstance(index, int) else None
    if isinstance(statement, dict):
        for key, word in (("statementId", "statement"), ("recordId", "record")):
            if isinstance(statement.get(key), str):
                return f"{word} {statement[key]}"
    return f"statement #{index}" if isinstance(index, int) else "the document"


def _message(error: ValidationError) -> str:
    text = error.message
    long_repr = repr(error.instance)
    if len(long_repr) > 60 and text.startswith(long_repr):
        text = _SHORT.repr(error.instance) + text[len(long_repr) :]
    if error.context and error.validator in ("anyOf", "oneOf"):
        reasons = sorted({_message(sub) for sub in error.context if sub.validator != "type"})
        reasons = reasons or sorted({_message(sub) for sub in error.context})
        text += " (" + "; ".join(reasons[:4]) + ")"
    return text


def _schema_problem(file: str, error: ValidationError, statements: Any) -> ImportProblem:
    path = list(error.absolute_path)
    names = [p for p in path if isinstance(p, str)]
    field_name = names[-1] if names else "statements"
    if error.validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        field_name = match.group(1) if match else field_name
    who = _who(statements, path[0] if path else None)
    reason = f"{_message(error)} ({who}; schema rule: {error.validator})"
    return ImportProblem(file, _pointer(path), field_name, reason)


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def _moment(text: str) -> dt.datetime:
    """A statement date as a point in time, for ordering: a bare day is its UTC midnight."""
    if "T" in text.upper():
        return dt.datetime.fromisoformat(text.upper())
    return dt.datetime.combine(_day(text), dt.time(), dt.UTC)


def _share_bounds(share: dict[str, Any]) -> tuple[Any, Any]:
    low = share.get("exclusiveMinimum", share.get("minimum"))
    high = share.get("exclusiveMaximum", share.get("maximum"))
    return low, high


def _semantic_problems(file: str, statements: list[Any], skip: set[int]) -> list[ImportProblem]:
    """What the schema cannot check: ids, references, ranges and intervals."""
    problems = []

    def add(index: int, path: Sequence[Any], field_name: str, reason: str) -> None:
        where = _pointer([index, *path])
        problems.append(
            ImportProblem(file, where, field_name, f"{reason} ({_who(statements, index)})")
        )

    first_id: dict[str, int] = {}
    kinds: dict[str, tuple[str, int]] = {}
    for i, st in enumerate(statements):
        if i in skip:
            continue
        if st["statementId"] in first_id:
            add(
                i,
                ["statementId"],
                "statementId",
                f"also used by {_pointer([first_id[st['statementId']]])}",
            )
        first_id.setdefault(st["statementId"], i)
        kind, first = kinds.setdefault(st["recordId"], (st["recordType"], i))
        if kind != st["recordType"]:
            add(
                i,
                ["recordType"],
                "recordType",
                f"record {st['recordId']} is a {kind} record at {_pointer([first])}",
            )
    for i, st in enumerate(statements):
        if i in skip or st["recordType"] != "relationship":
            continue
        details = st["recordDetails"]
        for role, wanted in (("subject", {"entity"}), ("interestedParty", {"entity", "person"})):
            ref = details[role]
            if not isinstance(ref, str):
                continue
            # A record not in this file is one published elsewhere: its IRI links up.
            if ref in kinds and kinds[ref][0] not in wanted:
                add(
                    i,
                    ["recordDetails", role],
                    role,
                    f"record {ref!r} is a {kinds[ref][0]} record, not "
                    + " or ".join(sorted(wanted)),
                )
        for k, interest in enumerate(details.get("interests") or []):
            for key, value in (interest.get("share") or {}).items():
                # Python's JSON reader takes NaN and Infinity, and the schema's bounds
                # never compare false against NaN.
                if isinstance(value, float) and not math.isfinite(value):
                    add(
                        i,
                        ["recordDetails", "interests", k, "share", key],
                        "share",
                        f"{key} {value} is not a finite number",
                    )
            low, high = _share_bounds(interest.get("share") or {})
            if (
                low is not None
                and high is not None
                and (
                    low > high
                    or (
                        low == high
                        and (
                            "exclusiveMinimum" in interest["share"]
                            or "exclusiveMaximum" in interest["share"]
                        )
                    )
                )
            ):
                add(
                    i,
                    ["recordDetails", "interests", k, "share"],
                    "share",
                    f"the range from {low} to {high} is empty",
                )
            start, end = interest.get("startDate"), interest.get("endDate")
            if start and end and end < start:
                add(
                    i,
                    ["recordDetails", "interests", k, "endDate"],
                    "endDate",
                    f"{end} is before startDate {start}",
                )
    return problems


def validate_bods(
    statements: Any, file: str = "<statements>", *, schema_dir: str | os.PathLike[str] | None = None
) -> list[ImportProblem]:
    """Every problem of a BODS 0.4 statement list, or ``[]`` when it can be imported.

    Parameters
    ----------
    statements
        The parsed JSON: a list of statements.
    file
        The name problems are reported against.
    schema_dir
        A folder with the BODS 0.4 ``statement.json`` and its companions; by default
        the copy bundled with groupkg.

    Returns
    -------
    list of ImportProblem
        Located by JSON pointer (``/0/recordDetails/interests/0/share/exact``); the
        field is the property at fault (for a missing property, the one missing); the
        reason gives the schema's message, the statement's id and the schema rule.

    Examples
    --------
    >>> for problem in validate_bods({"not": "a list"}, "x.json"):
    ...     print(problem.location == "", problem.field, problem.reason)
    True statements {'not': 'a list'} is not of type 'array' (the document; schema rule: type)
    """
    validator = _validator(None if schema_dir is None else str(schema_dir))
    errors = sorted(
        validator.iter_errors(statements), key=lambda e: [str(p) for p in e.absolute_path]
    )
    problems = [_schema_problem(file, e, statements) for e in errors]
    if not isinstance(statements, list):
        return problems
    skip = {e.absolute_path[0] for e in errors if e.absolute_path}
    if any(not e.absolute_path for e in errors):
        return problems
    return problems + _semantic_problems(file, statements, skip)


# ---- import ----


@dataclass
class _Fact:
    """One interest of one relationship record, as successive statements shape it."""

    key: tuple[Any, ...]
    interest: dict[str, Any]
    owner: URIRef
    owned: URIRef
    as_of: dt.date
    first_statement: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    sections: list[URIRef] = field(default_factory=list)
    notes: set[str] = field(default_factory=set)

    @property
    def own_end(self) -> dt.date | None:
        end = self.interest.get("endDate")
        return _day(end) if end else None

    def end(self, when: dt.date) -> bool:
        """End the fact at ``when`` (or its own earlier end); False if it never held."""
        own = self.own_end
        if own is not None and own <= when:
            self.valid_to = own
            return True
        self.valid_to = when
        return when > (self.valid_from or self.as_of)


class _Builder:
    def __init__(self, file: str, base: str):
        self.file = file
        self.ns = Namespace(base)
        self.graph = Graph()
        self.add = self.graph.add
        self.labels: dict[str, str] = {}

    def record(self, record_id: str) -> URIRef:
        return self.ns[quote(record_id, safe="")]

    def section(self, st: dict[str, Any]) -> URIRef:
        """The statement as a section of the source its publication details describe."""
        pub, src = st.get("publicationDetails") or {}, st.get("source") or {}
        source = self.ns["source/" + _digest(json.dumps([pub, src], sort_keys=True))[:16]]
        if (source, RDF.type, GK.Source) not in self.graph:
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
            node = URIRef(f"{iri}/identifier/{_digest(scheme, value)[:12]}")
            self.add((iri, GK.hasIdentifier, node))
            self.add((node, RDF.type, GK.Identifier))
            self.add((node, GK.identifierScheme, Literal(scheme)))
            self.add((node, GK.identifierValue, Literal(value)))
            if ident.get("scheme") == "XI-LEI":
                self.add((iri, GK.lei, Literal(value)))

    def party(self, record_id: str, versions: list[dict[str, Any]]) -> None:
        """An entity or person record: its latest details, with every name it has had."""
        iri = self.record(record_id)
        latest = versions[-1]["recordDetails"]
        for st in versions:
            self.add((iri, PROV.wasDerivedFrom, self.section(st)))
            for note in _annotation_notes(st, None):
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
        self.labels[record_id] = label
        for name in names:
            if name != label:
                self.add((iri, GK.alias, Literal(name)))
        self.identifiers(iri, latest)
        if unspecified:
            text = unspecified["reason"] + (
                f" — {unspecified['description']}" if unspecified.get("description") else ""
            )
            self.add((iri, RDFS.comment, Literal(_COMMENT_UNSPECIFIED + text)))

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
                f"{iri}/listing/{_digest(listing['stockExchangeName'], security['ticker'])[:12]}"
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
            notes.append(_NOTE.format(_UNSPECIFIED_SUBJECT, _reason_text(subject)))
        if isinstance(party, str):
            owner = self.record(party)
        else:
            owner = URIRef(f"{owned}/unspecified-interested-party")
            name = (
                self.labels.get(subject, f"record {subject}")
                if isinstance(subject, str)
                else "an unspecified subject"
            )
            self.add((owner, RDF.type, GK.UnnamedHolders))
            self.add((owner, RDFS.label, Literal(f"Unspecified interested party in {name}")))
            notes.append(_NOTE.format(_UNSPECIFIED_PARTY, _reason_text(party)))
        return owner, owned, notes

    def relationship(self, versions: list[dict[str, Any]]) -> list[_Fact]:
        """Every fact a relationship record states over its versions (see module notes)."""
        current: dict[tuple[Any, ...], _Fact] = {}
        done: list[_Fact] = []
        for st in versions:
            when, section = _day(st["statementDate"]), self.section(st)
            owner, owned, party_notes = self.parties_of(st)
            interests = st["recordDetails"].get("interests") or [{}]
            stated: dict[tuple[Any, ...], tuple[int, dict[str, Any]]] = {}
            for k, interest in enumerate(interests):
                key: tuple[Any, ...] = (
                    owner,
                    owned,
                    interest.get("type"),
                    interest.get("directOrIndirect") == "indirect",
                    interest.get("details"),
                )
                while key in stated:  # two interests alike in one statement stay two facts
                    key = (*key, k)
                stated[key] = (k, interest)
            if st.get("recordStatus") == "closed":
                for key, fact in current.items():
                    closing = stated.get(key, (0, {}))[1].get("endDate")
                    if fact.end(min(_day(closing), when) if closing else when):
                        fact.sections.append(section)
                        done.append(fact)
                if current:
                    current = {}
                    continue
            following: dict[tuple[Any, ...], _Fact] = {}
            for key, (k, interest) in stated.items():
                notes = set(party_notes) | set(_annotation_notes(st, k))
                previous = current.pop(key, None)
                if previous is not None and previous.interest == interest:
                    previous.sections.append(section)
                    previous.notes |= notes
                    following[key] = previous
                    continue
                start = _day(interest["startDate"]) if interest.get("startDate") else None
                end = _day(interest["endDate"]) if interest.get("endDate") else None
                fact = _Fact(
                    key,
                    interest,
                    owner,
                    owned,
                    when,
                    st["statementId"],
                    start,
                    end,
                    [section],
                    notes,
                )
                if previous is not None:
                    change = (
                        start
                        if start and (previous.valid_from or previous.as_of) < start < when
                        else when
                    )
                    if previous.end(change):
                        done.append(previous)
                    if (
                        fact.valid_from is not None
                        and previous.valid_to
                        and fact.valid_from < previous.valid_to
                    ):
                        fact.valid_from = previous.valid_to
                if st.get("recordStatus") == "closed":  # a record first seen closed
                    if fact.end(when):
                        done.append(fact)
                    continue
                following[key] = fact
            for fact in current.values():  # interests the update no longer states
                if fact.end(when):
                    done.append(fact)
            current = following
        return done + list(current.values())

    def fact(self, record_id: str, fact: _Fact) -> None:
        interest = fact.interest
        indirect = interest.get("directOrIndirect") == "indirect"
        iri = self.ns[f"{quote(record_id, safe='')}/{_digest(fact.first_statement, fact.key)[:12]}"]
        add = self.add
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
            add((iri, GK.percent, _decimal_literal(Decimal(str(share["exact"])))))
        else:
            for prop, flag, inclusive, exclusive in (
                (GK.percentMin, GK.percentMinExclusive, "minimum", "exclusiveMinimum"),
                (GK.percentMax, GK.percentMaxExclusive, "maximum", "exclusiveMaximum"),
            ):
                if exclusive in share:
                    add((iri, prop, _decimal_literal(Decimal(str(share[exclusive])))))
                    add((iri, flag, Literal(True)))
                elif inclusive in share:
                    add((iri, prop, _decimal_literal(Decimal(str(share[inclusive])))))
        for prop, day in ((GK.validFrom, fact.valid_from), (GK.validTo, fact.valid_to)):
            if day is not None:
                add((iri, prop, Literal(day.isoformat(), datatype=XSD.date)))
        notes = set(fact.notes)
        if not indirect:
            directness = interest.get("directOrIndirect")
            if directness != "direct":
                notes.add(_NOTE.format("directOrIndirect", directness or "not stated"))
        if "beneficialOwnershipOrControl" in interest:
            notes.add(
                _NOTE.format(
                    "beneficialOwnershipOrControl",
                    str(interest["beneficialOwnershipOrControl"]).lower(),
                )
            )
        if interest.get("details"):
            notes.add(_NOTE.format("details", interest["details"]))
        for note in notes:
            add((iri, GK.note, Literal(note)))

    def build(self, statements: list[dict[str, Any]]) -> Graph:
        records: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for st in statements:
            records[st["recordId"]].append(st)
        for versions in records.values():
            versions.sort(key=lambda st: _moment(st["statementDate"]))  # stable: file order on ties
        for record_id, versions in records.items():
            if versions[0]["recordType"] != "relationship":
                self.party(record_id, versions)
        for record_id, versions in records.items():
            if versions[0]["recordType"] == "relationship":
                for fact in self.relationship(versions):
                    self.fact(record_id, fact)
        return self.graph


def _reason_text(unspecified: dict[str, Any]) -> str:
    return unspecified["reason"] + (
        f" — {unspecified['description']}" if unspecified.get("description") else ""
    )


def _annotation_notes(st: dict[str, Any], interest: int | None) -> list[str]:
    """Annotations as notes: those aimed at one interest go to that interest's fact only."""
    notes = []
    for annotation in st.get("annotations") or []:
        target = re.match(
            r"^/recordDetails/interests/(\d+)(/|$)", annotation.get("statementPointerTarget", "")
        )
        if target and interest is not None and int(target.group(1)) != interest:
            continue
        text = " ".join(t for t in (annotation.get("description"), annotation.get("url")) if t)
        if text:
            notes.append(text)
    return notes


def bods_to_graph(
    statements: Any,
    *,
    file: str = "<statements>",
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Turn parsed BODS 0.4 statements into groupkg RDF, all or nothing.

    Parameters
    ----------
    statements
        The statements (a JSON array, parsed).
    file
        The name problems and sources are reported under.
    base
        The namespace records are minted in: an entity or person is ``base`` + its
        (percent-encoded) recordId, its facts and statements below. recordIds are
        unique within one publisher's system only, so give each publisher its own base.
    schema_dir
        The BODS 0.4 schema folder; by default the bundled copy.

    Raises
    ------
    BadInput
        With every problem :func:`validate_bods` finds.
    """
    problems = validate_bods(statements, file, schema_dir=schema_dir)
    if problems:
        raise BadInput(problems)
    return _Builder(file, base).build(statements)


def read_bods(
    path: str | os.PathLike[str],
    *,
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Read a BODS 0.4 JSON file (an array of statements) into groupkg RDF.

    See :func:`bods_to_graph`; a file that is not JSON is reported with its line.
    """
    name = str(path)
    try:
        statements = json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadInput(
            [ImportProblem(name, exc.lineno, "(json)", f"{exc.msg} at column {exc.colno}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise BadInput([ImportProblem(name, 1, "(file)", f"not UTF-8: {exc}")]) from None
    except (ValueError, RecursionError) as exc:  # a 5,000-digit number, arrays nested too deep
        raise BadInput([ImportProblem(name, 1, "(json)", f"cannot be read: {exc}")]) from None
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror or exc})") from None
    return bods_to_graph(statements, file=name, base=base, schema_dir=schema_dir)


# ---- export ----

_ENTITY_CLASSES = (
    GK.Entity,
    GK.LegalEntity,
    GK.NaturalPerson,
    GK.Trust,
    GK.Fund,
    GK.UnnamedHolders,
)


def _values(graph: Graph, node: Node, prop: URIRef) -> list[Node]:
    return sorted(graph.objects(node, prop), key=str)


def _one(graph: Graph, node: Node, prop: URIRef) -> Node | None:
    values = _values(graph, node, prop)
    return values[0] if values else None


def _bods_date(value: Node | None, end: bool = False) -> str | None:
    """A full day for BODS: a partial start is its first day, a partial end the day after."""
    if value is None:
        return None
    day = literal_value(str(value), XSD_DATE)
    if not isinstance(day, PartialDate):  # not a date at all: leave it out, not invent one
        return None
    return (day.end if end and day.precision != "day" else day.start).isoformat()


def _notes(graph: Graph, fact: Node) -> tuple[dict[str, str], list[str]]:
    structured, plain = {}, []
    for note in _values(graph, fact, GK.note):
        match = _NOTE_PATTERN.match(str(note))
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
        label = _one(g, iri, RDFS.label)
        aliases = [str(a) for a in _values(g, iri, GK.alias)]
        comment = next(
            (
                str(c)[len(_COMMENT_UNSPECIFIED) :]
                for c in _values(g, iri, RDFS.comment)
                if str(c).startswith(_COMMENT_UNSPECIFIED)
            ),
            None,
        )
        identifiers = []
        for node in _values(g, iri, GK.hasIdentifier):
            scheme, value = _one(g, node, GK.identifierScheme), _one(g, node, GK.identifierValue)
            if scheme is not None and value is not None:
                key = (
                    "scheme" if re.match(r"^[A-Z]{2}-[A-Za-z0-9]+$", str(scheme)) else "schemeName"
                )
                identifiers.append({key: str(scheme), "id": str(value)})
        for lei in _values(g, iri, GK.lei):
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
            jurisdiction = _one(g, iri, GK.jurisdiction)
            if jurisdiction is not None and 2 <= len(str(jurisdiction)) <= 6:
                details["jurisdiction"] = {"name": str(jurisdiction), "code": str(jurisdiction)}
            for key, prop in (
                ("foundingDate", GK.incorporationDate),
                ("dissolutionDate", GK.dissolutionDate),
            ):
                day = _bods_date(_one(g, iri, prop), end=prop == GK.dissolutionDate)
                if day:
                    details[key] = day
            addresses = [{"address": str(a)} for a in _values(g, iri, GK.address)]
            if addresses:
                details["addresses"] = addresses
        if identifiers:
            details["identifiers"] = identifiers
        record_id = self.record_id(iri)
        return self.statement(str(iri), record_id, kind, date, details, record_id)

    def interest(self, fact: Node) -> tuple[dict[str, Any], dict[str, str], list[str]]:
        g = self.graph
        structured, plain = _notes(g, fact)
        interest: dict[str, Any] = {"type": str(_one(g, fact, GK.interestType) or "shareholding")}
        if (fact, RDF.type, GK.IndirectInterest) in g:
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
        percent = _one(g, fact, GK.percent)
        if percent is not None and _number(percent) is None:
            percent = None  # no figure: validation reports it, the export leaves it out
        if percent is not None:
            share["exact"] = _number(percent)
        for prop, flag, inclusive, exclusive in (
            (GK.percentMin, GK.percentMinExclusive, "minimum", "exclusiveMinimum"),
            (GK.percentMax, GK.percentMaxExclusive, "maximum", "exclusiveMaximum"),
        ):
            bound = _one(g, fact, prop)
            if bound is not None and percent is None and _number(bound) is not None:
                exclusive_flag = _one(g, fact, flag)
                is_exclusive = (
                    isinstance(exclusive_flag, Literal)
                    and exclusive_flag.datatype == XSD.boolean
                    and literal_value(str(exclusive_flag), XSD_BOOLEAN) is True
                )
                share[exclusive if is_exclusive else inclusive] = _number(bound)
        if share:
            interest["share"] = share
        for key, prop in (("startDate", GK.validFrom), ("endDate", GK.validTo)):
            day = _bods_date(_one(g, fact, prop), end=key == "endDate")
            if day:
                interest[key] = day
        return interest, structured, plain

    def statements(self, default_date: str) -> list[dict[str, Any]]:
        g = self.graph
        groups: dict[tuple[Node, Node, str], list[Node]] = defaultdict(list)
        for kind in (GK.Holding, GK.IndirectInterest):
            for fact in g.subjects(RDF.type, kind):
                owner, owned = _one(g, fact, GK.owner), _one(g, fact, GK.owned)
                if owner is None or owned is None:
                    continue
                as_of = _bods_date(_one(g, fact, GK.asOf)) or default_date
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
            if _UNSPECIFIED_PARTY in notes:
                party = _unspecified(notes[_UNSPECIFIED_PARTY])
                inline.add(owner)
            subject: Any = self.record_id(owned)
            if _UNSPECIFIED_SUBJECT in notes:
                subject = _unspecified(notes[_UNSPECIFIED_SUBJECT])
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
        parties = {p for (owner, owned, _) in groups for p in (owner, owned)} - inline
        for cls in _ENTITY_CLASSES:
            parties.update(s for s in g.subjects(RDF.type, cls) if s not in inline)
        records = [
            self.party(p, self.party_date(p, default_date)) for p in sorted(parties, key=str)
        ]
        return records + relationships

    def party_date(self, iri: Node, default_date: str) -> str:
        g = self.graph
        facts = {*g.subjects(GK.owned, iri), *g.subjects(GK.owner, iri)}
        dates = [_bods_date(d) for f in facts for d in g.objects(f, GK.asOf)]
        return min((d for d in dates if d), default=default_date)

    def source(self, facts: list[Node]) -> dict[str, Any] | None:
        g = self.graph
        for fact in sorted(facts, key=str):
            for node in _values(g, fact, PROV.wasDerivedFrom):
                source = _one(g, node, DCTERMS.isPartOf) or node
                title = _one(g, source, DCTERMS.title)
                if title is not None:
                    out: dict[str, Any] = {"description": str(title)}
                    url = _one(g, source, DCTERMS.source)
                    if isinstance(url, URIRef) and _is_uri(str(url)):
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
    """Write a graph's entities, holdings and indirect interests as BODS 0.4 statements.

    Every entity becomes an entity or person statement; the holdings and indirect
    interests of one owner in one owned entity as of one date become one relationship
    statement, one interest each (``direct``, ``unknown`` or unstated as imported;
    ``indirect`` for an indirect interest), notes becoming annotations. Partial dates
    are widened to a day as BODS asks (a partial start to its first day, a partial end
    to the day after its period). Statement ids are UUID 5s of the IRIs, so the same
    graph always gives the same statements; an entity minted under ``base`` keeps its
    recordId. A fact without an as-of date is stated on ``publication_date``.

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
