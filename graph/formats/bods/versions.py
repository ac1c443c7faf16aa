"""The versions of BODS records: the statements of one ``recordId`` in statement-date
order, and the facts that the successive statements of a relationship record state
(the rules are under "Updates" in :mod:`groupkg.graph.formats.bods`).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

from rdflib import URIRef

from groupkg.graph.formats.bods.mapping import annotation_notes
from groupkg.graph.formats.minting import utc_text

__all__ = [
    "NO_DATE",
    "InterestFact",
    "PartiesOf",
    "SectionOf",
    "known_from",
    "record_versions",
    "relationship_facts",
    "statement_day",
]

#: The statement date of a 0.2 or 0.3 statement that gives neither a statement nor a
#: publication date (a 0.4 statement must have one).
NO_DATE = "0001-01-01"

#: The source section a statement is
#: (:meth:`~groupkg.graph.formats.bods.records.RecordBuilder.section`).
SectionOf = Callable[[dict[str, Any]], URIRef]
#: The owner and owned of a relationship statement, and notes on unspecified parties.
PartiesOf = Callable[[dict[str, Any]], tuple[URIRef, URIRef, list[str]]]


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text[:10])


def statement_day(st: dict[str, Any]) -> dt.date:
    """The day a statement was made (``statementDate``)."""
    return _day(st["statementDate"])


def known_from(st: dict[str, Any]) -> str | None:
    """When what a statement says became known, as ``gk:knownFrom`` holds it: its
    ``statementDate``, else its ``publicationDetails.publicationDate`` (a 0.2 or 0.3
    statement may give neither: then not recorded); a day as written, a date-time in UTC.

    >>> known_from({"statementDate": "2020-01-02"})
    '2020-01-02'
    >>> known_from({"statementDate": "2019-09-11T11:17:23+01:00"})
    '2019-09-11T10:17:23Z'
    >>> known_from({"publicationDetails": {"publicationDate": "2021-03-04"}})
    '2021-03-04'
    """
    details = st.get("publicationDetails") or {}
    for text in (st.get("statementDate"), details.get("publicationDate")):
        if text and text != NO_DATE:
            if "T" not in text.upper():
                return str(_day(text))
            return utc_text(_moment(text))
    return None


def _moment(text: str) -> dt.datetime:
    """A statement date as a point in time, for ordering: a bare day is its UTC midnight."""
    if "T" in text.upper():
        return dt.datetime.fromisoformat(text.upper())
    return dt.datetime.combine(_day(text), dt.time(), dt.UTC)


def record_versions(statements: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The statements of each record, in statement-date order (file order on ties)."""
    records: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for st in statements:
        records[st["recordId"]].append(st)
    for versions in records.values():
        versions.sort(key=lambda st: _moment(st["statementDate"]))  # stable: file order on ties
    return records


@dataclass
class InterestFact:
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
    #: When the fact became known: the date of the statement it comes from.
    known_from: str | None = None
    #: The version this one supersedes, and the statement that made it (a later
    #: statement that ends the fact); None for a fact as first stated.
    supersedes: InterestFact | None = None
    ended_by: str | None = None

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

    def ended(self, when: dt.date, st: dict[str, Any], section: URIRef) -> list[InterestFact]:
        """The versions of the fact once statement ``st`` ends it at ``when``: the fact as
        stated before, and the version ``st`` makes of it, ended, superseding it from
        ``st``'s date on. Only the fact as stated when it ends at its own end date by
        then (``st`` adds nothing to it); none when ``st`` says it never
        held (both stated on one day, say)."""
        own = self.own_end
        if own is not None and own <= when:
            self.valid_to = own
            return [self]
        if when <= (self.valid_from or self.as_of):
            return []
        day = statement_day(st)
        version = replace(
            self,
            as_of=day,
            valid_to=when,
            sections=[*self.sections, section],
            notes=set(self.notes),
            known_from=known_from(st),
            supersedes=self,
            ended_by=st["statementId"],
        )
        return [self, version]


def relationship_facts(
    versions: list[dict[str, Any]], section_of: SectionOf, parties_of: PartiesOf
) -> list[InterestFact]:
    """Every fact a relationship record states over its versions, by the rules of updates.

    ``section_of`` gives the source section of a statement and ``parties_of`` its owner,
    owned and the notes on them, each called once a statement, in statement order.
    """
    current: dict[tuple[Any, ...], InterestFact] = {}
    done: list[InterestFact] = []
    for st in versions:
        when, section = _day(st["statementDate"]), section_of(st)
        owner, owned, party_notes = parties_of(st)
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
                made = fact.ended(min(_day(closing), when) if closing else when, st, section)
                if made == [fact]:  # ended at its own end: the closing statement says so too
                    fact.sections.append(section)
                done += made
            if current:
                current = {}
                continue
        following: dict[tuple[Any, ...], InterestFact] = {}
        for key, (k, interest) in stated.items():
            notes = set(party_notes) | set(annotation_notes(st, k))
            previous = current.pop(key, None)
            if previous is not None and previous.interest == interest:
                previous.sections.append(section)
                previous.notes |= notes
                following[key] = previous
                continue
            start = _day(interest["startDate"]) if interest.get("startDate") else None
            end = _day(interest["endDate"]) if interest.get("endDate") else None
            fact = InterestFact(
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
                known_from(st),
            )
            if previous is not None:
                change = (
                    start
                    if start and (previous.valid_from or previous.as_of) < start < when
                    else when
                )
                made = previous.ended(change, st, section)
                done += made
                ended = made[-1].valid_to if made else change
                if fact.valid_from is not None and ended and fact.valid_from < ended:
                    fact.valid_from = ended
            if st.get("recordStatus") == "closed":  # a record first seen closed
                if fact.end(when):
                    done.append(fact)
                continue
            following[key] = fact
        for fact in current.values():  # interests the update no longer states
            done += fact.ended(when, st, section)
        current = following
    return done + list(current.values())
