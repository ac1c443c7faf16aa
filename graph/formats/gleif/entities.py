"""One GLEIF Level 1 record (LEI-CDF), as a row of the golden copy's CSV or a flattened
XML record, mapped to the groupkg entity of its LEI; and one reporting exception (why an
entity reports no parent of a kind) mapped to a fact of that entity.

The entity is the one a relationship record names (``lei_base`` + the LEI), so the two
levels meet. A Level 1 record gives:

- ``Entity.LegalName``: ``rdfs:label`` and ``gk:legalName``; other and transliterated
  names (``Entity.OtherEntityNames...``, ``Entity.TransliteratedOtherEntityNames...``):
  ``gk:alias``;
- ``LEI``: ``gk:lei`` and an identifier of scheme ``LEI``;
  ``Entity.RegistrationAuthority.RegistrationAuthorityID`` and ``...EntityID``: an
  identifier whose scheme is the registration authority's code (``RA000665``);
- ``Entity.LegalJurisdiction``: ``gk:jurisdiction`` (an ISO 3166 code);
- ``Entity.LegalForm.EntityLegalFormCode``: ``gk:legalForm``, its ISO 20275 code; the
  codes ``8888`` and ``9999`` (no code) give ``Entity.LegalForm.OtherLegalForm`` instead;
- ``Entity.EntityStatus``: ``gk:entityStatus``; ``INACTIVE`` with an
  ``Entity.EntityExpirationDate`` also gives ``gk:dissolutionDate`` (its day; no date,
  no dissolution date: none is invented);
- ``Registration.RegistrationStatus``: ``gk:registrationStatus`` (a ``LAPSED`` LEI does
  not end the entity);
- ``Registration.LastUpdateDate``: ``gk:knownFrom`` (an ``xsd:dateTime`` in UTC), the
  time this version of the record became known;
- ``Entity.HeadquartersAddress...``: ``gk:address``, its lines, city, region, postal
  code and country in one line.

Left out: the legal address (the model has one address, the head office's), other
addresses, ``Entity.EntityCategory``, ``Entity.EntityCreationDate`` (the LEI-CDF's
creation date is not always the incorporation), successor entities, associated
entities and the registration's other dates and managing LOU.
"""

from __future__ import annotations

import re

from rdflib import RDF, RDFS, XSD, Literal, URIRef

from groupkg.graph.errors import ImportProblem
from groupkg.graph.formats.gleif.columns import LAST_UPDATE, gleif_day, gleif_moment, is_lei
from groupkg.graph.formats.gleif.mapping import Triple
from groupkg.graph.formats.identifiers import identifier_problem, identifier_triples
from groupkg.graph.vocab import GK, ORG, PROV

__all__ = ["EntityMapper", "exception_text", "lei_entity_triples"]


def lei_entity_triples(iri: URIRef, name: str, lei: str, source: URIRef) -> list[Triple]:
    """The entity of ``lei`` at ``iri``, labelled ``name``, derived from ``source``: as a
    Level 1 record makes it, and any reader that names a party by its LEI."""
    return [
        (iri, RDF.type, GK.LegalEntity),
        (iri, RDF.type, ORG.FormalOrganization),
        (iri, RDFS.label, Literal(name)),
        (iri, GK.lei, Literal(lei)),
        (iri, PROV.wasDerivedFrom, source),
    ]


_JURISDICTION = re.compile(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
_NAME_COLUMN = re.compile(
    r"^Entity\.(?:Transliterated)?OtherEntityNames\.(?:Transliterated)?OtherEntityName\.\d+$"
)
_NO_ELF_CODE = {"", "8888", "9999"}
_ADDRESS_PARTS = (
    "FirstAddressLine",
    "AdditionalAddressLine.1",
    "AdditionalAddressLine.2",
    "AdditionalAddressLine.3",
    "City",
    "Region",
    "PostalCode",
    "Country",
)


def exception_text(category: str, reason: str) -> str:
    """A reporting exception as ``gk:reportingException`` holds it.

    >>> exception_text("DIRECT_ACCOUNTING_CONSOLIDATION_PARENT", "NATURAL_PERSONS")
    'direct parent: NATURAL_PERSONS'
    """
    kind = {
        "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT": "direct parent",
        "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT": "ultimate parent",
    }.get(category, category)
    return f"{kind}: {reason}"


class EntityMapper:
    """Turns Level 1 records or reporting exceptions into entity triples, collecting the
    problems of bad records."""

    def __init__(self, name: str, source: URIRef, lei_base: str):
        self.name, self.source, self.lei_base = name, source, lei_base
        self.problems: list[ImportProblem] = []

    def _lei(self, line: int, row: dict[str, str]) -> str | None:
        lei = (row.get("LEI") or "").strip()
        if not lei:
            self.problems.append(ImportProblem(self.name, line, "LEI", "missing LEI"))
        elif not is_lei(lei):
            problem = f"{lei!r} is not an LEI (ISO 17442)"
            self.problems.append(ImportProblem(self.name, line, "LEI", problem))
        else:
            return lei
        return None

    def _entity(self, lei: str, name: str, out: list[Triple]) -> URIRef:
        """The entity of ``lei``, labelled ``name``, derived from the file."""
        entity = URIRef(self.lei_base + lei)
        out += lei_entity_triples(entity, name, lei, self.source)
        return entity

    def record(self, line: int, row: dict[str, str], out: list[Triple]) -> None:
        """Add the triples of one Level 1 record to ``out``, or its problems."""

        def value(column: str) -> str:
            return (row.get(column) or "").strip()

        lei, name = self._lei(line, row), value("Entity.LegalName")
        if not name:
            self.problems.append(
                ImportProblem(self.name, line, "Entity.LegalName", "missing legal name")
            )
        expires = value("Entity.EntityExpirationDate")
        expiry = gleif_day(expires) if expires else None
        if expires and expiry is None:
            problem = f"{expires!r} is not an ISO date, date-time or epoch milliseconds"
            self.problems.append(
                ImportProblem(self.name, line, "Entity.EntityExpirationDate", problem)
            )
        updated = value(LAST_UPDATE)
        known = gleif_moment(updated) if updated else None
        if updated and known is None:
            problem = f"{updated!r} is not an ISO date-time"
            self.problems.append(ImportProblem(self.name, line, LAST_UPDATE, problem))
        if lei is None or not name or (expires and expiry is None) or (updated and not known):
            return
        entity = self._entity(lei, name, out)
        out.append((entity, GK.legalName, Literal(name)))
        if known is not None:
            out.append((entity, GK.knownFrom, Literal(known, datatype=XSD.dateTime)))
        out += identifier_triples(entity, "LEI", lei)
        aliases = {value(c) for c in row if _NAME_COLUMN.match(c)} - {"", name}
        out += [(entity, GK.alias, Literal(alias)) for alias in sorted(aliases)]
        authority = value("Entity.RegistrationAuthority.RegistrationAuthorityID")
        registered_as = value("Entity.RegistrationAuthority.RegistrationAuthorityEntityID")
        # A registration-authority id with wrong check digits refuses the file (see
        # groupkg.graph.formats.identifiers); what the record gave is dropped with it.
        wrong = identifier_problem(authority, registered_as) if registered_as else None
        if wrong and wrong.typo:
            where = "Entity.RegistrationAuthority.RegistrationAuthorityEntityID"
            self.problems.append(ImportProblem(self.name, line, where, str(wrong)))
        elif authority and registered_as:
            out += identifier_triples(entity, authority, registered_as)
        jurisdiction = value("Entity.LegalJurisdiction")
        if _JURISDICTION.match(jurisdiction):
            out.append((entity, GK.jurisdiction, Literal(jurisdiction)))
        form = value("Entity.LegalForm.EntityLegalFormCode")
        if form in _NO_ELF_CODE:
            form = value("Entity.LegalForm.OtherLegalForm")
        if form:
            out.append((entity, GK.legalForm, Literal(form)))
        status = value("Entity.EntityStatus")
        if status:
            out.append((entity, GK.entityStatus, Literal(status)))
        if status == "INACTIVE" and expiry is not None:
            out.append((entity, GK.dissolutionDate, Literal(expiry.isoformat(), datatype=XSD.date)))
        registration = value("Registration.RegistrationStatus")
        if registration:
            out.append((entity, GK.registrationStatus, Literal(registration)))
        address = ", ".join(
            part
            for part in (value(f"Entity.HeadquartersAddress.{p}") for p in _ADDRESS_PARTS)
            if part
        )
        if address:
            out.append((entity, GK.address, Literal(address)))

    def exception(self, line: int, row: dict[str, str], out: list[Triple]) -> None:
        """Add the fact of one reporting exception to ``out``, or its problems."""
        lei = self._lei(line, row)
        category = (row.get("ExceptionCategory") or "").strip()
        reasons = [
            (row.get(c) or "").strip() for c in sorted(row) if c.startswith("ExceptionReason")
        ]
        reasons = [r for r in reasons if r]
        if not category:
            self.problems.append(
                ImportProblem(self.name, line, "ExceptionCategory", "missing category")
            )
        if not reasons:
            self.problems.append(
                ImportProblem(self.name, line, "ExceptionReason.1", "missing reason")
            )
        if lei is None or not category or not reasons:
            return
        entity = self._entity(lei, lei, out)
        out += [
            (entity, GK.reportingException, Literal(exception_text(category, reason)))
            for reason in reasons
        ]
