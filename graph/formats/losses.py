"""What an export leaves out: the kinds of fact each file format that is not RDF cannot
carry, counted in a store, so that ``groupkg export`` refuses a format that would lose
facts (unless ``--lossy``) and names what it lost.

RDF syntaxes carry every triple. GraphML is one day's ownership graph by definition
(its help says so) and is not checked: every fact that is not an edge on that day
would be "lost", so a refusal would say nothing the format's name does not.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pyoxigraph as ox

from groupkg.graph.store import Store, ontology_files

__all__ = ["LostFacts", "lost_facts"]

_GK = "https://w3id.org/groupkg/ontology#"
_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_SUBCLASS = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


@cache
def _classes_under(name: str) -> tuple[str, ...]:
    """The ontology's class ``gk:name`` and every class below it, as IRIs."""
    below: dict[str, set[str]] = {}
    for path in ontology_files():
        for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE):
            if quad.predicate.value == _SUBCLASS and isinstance(quad.object, ox.NamedNode):
                below.setdefault(quad.object.value, set()).add(quad.subject.value)
    found, todo = set(), [_GK + name]
    while todo:
        iri = todo.pop()
        if iri not in found:
            found.add(iri)
            todo.extend(below.get(iri, ()))
    return tuple(sorted(found))


@dataclass(frozen=True)
class _Kind:
    """One kind of fact: a class (with its subclasses) or a property of entities."""

    noun: str  # plural, as the message says it
    cls: str = ""  # the class's local name in gk:, or
    prop: str = ""  # the property's local name in gk:
    unless_label: bool = False  # a value that is also the entity's label is carried
    pattern: str = ""  # or the facts as a graph pattern binding ?fact

    def count_query(self) -> str:
        if self.pattern:
            pattern = self.pattern
        elif self.cls:
            values = " ".join(f"<{iri}>" for iri in _classes_under(self.cls))
            pattern = f"VALUES ?class {{ {values} }} ?fact a ?class ."
        else:
            pattern = f"?fact <{_GK}{self.prop}> ?value ."
            if self.unless_label:
                pattern += f" FILTER NOT EXISTS {{ ?fact <{_LABEL}> ?value }}"
        return f"SELECT (COUNT(DISTINCT ?fact) AS ?n) WHERE {{ {pattern} }}"


_EVENTS = _Kind("events", cls="Event")
_OBSERVATIONS = _Kind("observations (issued shares, financial figures)", cls="Observation")
_PERIODS = _Kind("reported periods", cls="ReportedPeriod")
_JUDGEMENTS = _Kind("identity judgements (links --same/--not-same)", cls="IdentityJudgement")
_ASSUMPTIONS = _Kind("assumptions with their reasons", cls="Assumption")
_FUNDS = _Kind("fund management relations", cls="FundManagementRelation")
_SUBFUNDS = _Kind("sub-fund relations", cls="SubFundRelation")
_FEEDERS = _Kind("feeder relations", cls="FeederRelation")
_BRANCHES = _Kind("branch relations", cls="BranchRelation")
_INDIRECT = _Kind("indirect interests", cls="IndirectInterest")
_LEGAL_NAMES = _Kind("entity legal names", prop="legalName")
# BODS names an entity by its label and reads that name back as its legal name.
_OTHER_LEGAL_NAMES = _Kind("entity legal names other than their names", "", "legalName", True)
_LEGAL_FORMS = _Kind("entity legal forms", prop="legalForm")
_STATUSES = _Kind("entity statuses", prop="entityStatus")
_REGISTRATIONS = _Kind("registration statuses", prop="registrationStatus")
# CSV holdings carries one identifier of each party: its LEI, else its first by
# SCHEME:ID (graph/formats/csvholdings/identifiers.py); every other one is lost.
_OTHER_IDENTIFIERS = _Kind(
    "entity identifiers beyond the one a cell holds (the LEI, else the first)",
    pattern=f"""?e <{_GK}hasIdentifier> ?fact . ?fact <{_GK}identifierScheme> ?s ;
        <{_GK}identifierValue> ?v .
    FILTER NOT EXISTS {{ ?e <{_GK}lei> ?lei FILTER(STR(?lei) = STR(?v)
        && STR(?s) IN ("LEI", "XI-LEI")) }}
    FILTER (EXISTS {{ ?e <{_GK}lei> ?any }} || EXISTS {{ ?e <{_GK}hasIdentifier> ?o .
        ?o <{_GK}identifierScheme> ?s2 ; <{_GK}identifierValue> ?v2
        FILTER(CONCAT(STR(?s2), ":", STR(?v2)) < CONCAT(STR(?s), ":", STR(?v))) }})""",
)
_JURISDICTIONS = _Kind("entity jurisdictions", prop="jurisdiction")
_ADDRESSES = _Kind("entity addresses", prop="address")
_ALIASES = _Kind("entity aliases", prop="alias")
_FOUNDED = _Kind("incorporation dates", prop="incorporationDate")
_DISSOLVED = _Kind("dissolution dates", prop="dissolutionDate")
_EXCEPTIONS = _Kind("reporting exceptions", prop="reportingException")
_RELATIONSHIP_STATUSES = _Kind("relationship statuses", prop="relationshipStatus")
_VALIDATIONS = _Kind("validation sources", prop="validationSource")
_METHODS = _Kind("measurement methods", prop="measurementMethod")
_NOTES = _Kind("notes", prop="note")
# Neither a CSV row nor a BODS statement can say that one record corrects another from a
# day of knowledge on (a BODS update changes the world from its statement date): the
# writers give what is known now, and the holdings and relations it replaced are lost
# (superseded events and observations are lost as events and observations).
_SUPERSEDED = _Kind(
    "superseded records (earlier versions of what is known now)",
    pattern=f"?newer <{_GK}supersedes> ?fact . ?fact <{_GK}owner>|<{_GK}parent> ?party .",
)

_RELATIONS = (_FUNDS, _SUBFUNDS, _FEEDERS, _BRANCHES)
_NEVER_OUTSIDE_RDF = (
    _EVENTS,
    _OBSERVATIONS,
    _PERIODS,
    _ASSUMPTIONS,
    _JUDGEMENTS,
    *_RELATIONS,
    _VALIDATIONS,
    _METHODS,
)

# What each format that is not RDF cannot carry. CSV holdings carries holdings and
# reported consolidations (rows with their interest_type), names entities by label and
# gives one identifier of each;
# BODS carries entities and persons with their identifiers, jurisdictions, addresses,
# aliases and dates, statuses and legal forms (as annotations), holdings and indirect
# interests as relationships, and GLEIF's consolidations (with their relationship
# statuses) and reporting exceptions as Open Ownership's GLEIF pipeline writes them. The
# relationship statuses of the relations BODS cannot carry go with those relations.
_NOT_CARRIED: dict[str, tuple[_Kind, ...]] = {
    "csv": (
        *_NEVER_OUTSIDE_RDF,
        _EXCEPTIONS,
        _RELATIONSHIP_STATUSES,
        _INDIRECT,
        _LEGAL_NAMES,
        _LEGAL_FORMS,
        _STATUSES,
        _REGISTRATIONS,
        _OTHER_IDENTIFIERS,
        _JURISDICTIONS,
        _ADDRESSES,
        _ALIASES,
        _FOUNDED,
        _DISSOLVED,
        _NOTES,
        _SUPERSEDED,
    ),
    "bods": (*_NEVER_OUTSIDE_RDF, _OTHER_LEGAL_NAMES, _SUPERSEDED),
}


@dataclass(frozen=True)
class LostFacts:
    """The facts of a store that ``fmt`` cannot carry: (noun, count) pairs, none zero."""

    fmt: str
    counts: tuple[tuple[str, int], ...]

    def __bool__(self) -> bool:
        return bool(self.counts)

    def listing(self) -> str:
        """``12 events, 3 observations (...)``."""
        return ", ".join(f"{n} {noun}" for noun, n in self.counts)


def lost_facts(store: Store, fmt: str) -> LostFacts:
    """What exporting ``store`` as ``fmt`` would leave out (nothing for RDF and GraphML)."""
    counts = []
    for kind in _NOT_CARRIED.get(fmt, ()):
        rows = store.select(kind.count_query())
        n = int(rows[0]["n"]) if rows and rows[0].get("n") is not None else 0
        if n:
            counts.append((kind.noun, n))
    return LostFacts(fmt, tuple(counts))
