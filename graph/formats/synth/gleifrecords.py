"""Synthetic GLEIF golden-copy records: Level 1 LEI records (LEI-CDF) and Level 2
relationship records (RR-CDF), each a mapping of the golden copy's CSV column names to
text, drawn one after another from a seed so that memory stays flat however many.

Entity ``n`` has the LEI :class:`~groupkg.graph.formats.synth.lei.Leis` gives ``n``
and the legal name ``Synthetic Entity n`` with a legal form of its jurisdiction. The
relationship records make 4-ary trees: entity ``c`` (from 1) is directly consolidated
by entity ``c // 4``, so the parent chain of ``c`` is ``c``, ``c // 4``, ``c // 16``...
down to entity 0; an entity of every fifth number, two or more levels below the top,
is also ultimately consolidated by entity 0. Records come in that order until as many
as asked were written; every relationship starts in 1990-2023 and none has ended.
"""

from __future__ import annotations

import random
from collections.abc import Iterator

import numpy as np

from groupkg.graph.formats.synth.lei import Leis

__all__ = [
    "LEI_COLUMNS",
    "REGISTRATION_PARTS",
    "RR_COLUMNS",
    "chain",
    "entity_name",
    "lei_records",
    "relationship_records",
]

# (jurisdiction, country, legal form code, legal form word, registration authority)
_PLACES = (
    ("GB", "GB", "H0PO", "Ltd", "RA000585"),
    ("DE", "DE", "2HBR", "GmbH", "RA000242"),
    ("FR", "FR", "8888", "SAS", "RA000189"),
    ("US-DE", "US", "8888", "Inc.", "RA000602"),
    ("NL", "NL", "54M6", "B.V.", "RA000463"),
    ("JP", "JP", "8888", "K.K.", "RA000412"),
    ("KY", "KY", "9999", "Ltd", "RA000087"),
)
_CITIES = {"GB": "London", "DE": "Berlin", "FR": "Paris", "US": "Wilmington",
           "NL": "Amsterdam", "JP": "Tokyo", "KY": "George Town"}  # fmt: skip

#: The fields of a record's registration, in both levels.
REGISTRATION_PARTS = ("InitialRegistrationDate", "LastUpdateDate", "RegistrationStatus",
                      "NextRenewalDate", "ManagingLOU", "ValidationSources")  # fmt: skip
LEI_COLUMNS = (
    "LEI",
    "Entity.LegalName",
    "Entity.LegalName.xmllang",
    "Entity.OtherEntityNames.OtherEntityName.1",
    "Entity.OtherEntityNames.OtherEntityName.1.xmllang",
    "Entity.OtherEntityNames.OtherEntityName.1.type",
    *(f"Entity.{kind}.{part}" for kind in ("LegalAddress", "HeadquartersAddress")
      for part in ("FirstAddressLine", "City", "Region", "Country", "PostalCode")),
    "Entity.RegistrationAuthority.RegistrationAuthorityID",
    "Entity.RegistrationAuthority.RegistrationAuthorityEntityID",
    "Entity.LegalJurisdiction",
    "Entity.EntityCategory",
    "Entity.LegalForm.EntityLegalFormCode",
    "Entity.LegalForm.OtherLegalForm",
    "Entity.EntityStatus",
    "Entity.EntityExpirationDate",
    *(f"Registration.{part}" for part in REGISTRATION_PARTS),
)  # fmt: skip
RR_COLUMNS = (
    "Relationship.StartNode.NodeID",
    "Relationship.StartNode.NodeIDType",
    "Relationship.EndNode.NodeID",
    "Relationship.EndNode.NodeIDType",
    "Relationship.RelationshipType",
    "Relationship.RelationshipStatus",
    *(f"Relationship.Period.{n}.{part}" for n in (1, 2)
      for part in ("startDate", "endDate", "periodType")),
    "Relationship.Quantifiers.1.MeasurementMethod",
    "Relationship.Quantifiers.1.QuantifierAmount",
    "Relationship.Quantifiers.1.QuantifierUnits",
    *(f"Registration.{part}" for part in REGISTRATION_PARTS),
)  # fmt: skip
_ARITY = 4  # children of an entity in the trees of relationship records
_MANAGING_LOU = "5493001KJTIIGC8Y1R12"


def entity_name(n: int) -> str:
    """The legal name of entity ``n`` (its legal form follows its number)."""
    return f"Synthetic Entity {n} {_PLACES[n % len(_PLACES)][3]}"


def chain(n: int) -> list[int]:
    """The entities of ``n``'s parent chain, ``n`` first and entity 0 last.

    >>> chain(21)
    [21, 5, 1, 0]
    """
    found = [n]
    while found[-1]:
        found.append(found[-1] // _ARITY)
    return found


def _leis(seed: int) -> Leis:
    return Leis(np.random.default_rng(np.random.SeedSequence(seed).spawn(1)[0]))


def lei_records(entities: int, seed: int) -> Iterator[dict[str, str]]:
    """``entities`` Level 1 records, entity 0 first."""
    leis, draw = _leis(seed), random.Random(seed)
    for n in range(entities):
        jurisdiction, country, form, word, authority = _PLACES[n % len(_PLACES)]
        status, expired = "ACTIVE", ""
        if draw.random() < 0.02:
            status, expired = "INACTIVE", f"{draw.randint(2015, 2024)}-06-30T00:00:00.000Z"
        registered = draw.randint(2012, 2023)
        address = f"{draw.randint(1, 400)} Synthetic Street"
        city, code = _CITIES[country], f"{draw.randint(10000, 99999)}"
        region = jurisdiction if "-" in jurisdiction else ""
        record = {
            "LEI": leis(n),
            "Entity.LegalName": entity_name(n),
            "Entity.LegalName.xmllang": "en",
            "Entity.RegistrationAuthority.RegistrationAuthorityID": authority,
            "Entity.RegistrationAuthority.RegistrationAuthorityEntityID": f"S{n:08d}",
            "Entity.LegalJurisdiction": jurisdiction,
            "Entity.EntityCategory": "GENERAL",
            "Entity.LegalForm.EntityLegalFormCode": form,
            "Entity.LegalForm.OtherLegalForm": word if form in ("8888", "9999") else "",
            "Entity.EntityStatus": status,
            "Entity.EntityExpirationDate": expired,
            "Registration.InitialRegistrationDate": f"{registered}-03-01T09:00:00.000Z",
            "Registration.LastUpdateDate": f"{registered + 1}-03-01T09:00:00.000Z",
            "Registration.RegistrationStatus": "LAPSED" if draw.random() < 0.1 else "ISSUED",
            "Registration.NextRenewalDate": f"{registered + 2}-03-01T09:00:00.000Z",
            "Registration.ManagingLOU": _MANAGING_LOU,
            "Registration.ValidationSources": "FULLY_CORROBORATED",
        }
        if n % 10 == 0:  # a former name
            record["Entity.OtherEntityNames.OtherEntityName.1"] = f"Old Synthetic Name {n}"
            record["Entity.OtherEntityNames.OtherEntityName.1.xmllang"] = "en"
            record["Entity.OtherEntityNames.OtherEntityName.1.type"] = "PREVIOUS_LEGAL_NAME"
        for kind in ("LegalAddress", "HeadquartersAddress"):
            record[f"Entity.{kind}.FirstAddressLine"] = address
            record[f"Entity.{kind}.City"] = city
            record[f"Entity.{kind}.Region"] = region
            record[f"Entity.{kind}.Country"] = country
            record[f"Entity.{kind}.PostalCode"] = code
        yield record


def relationship_records(relationships: int, entities: int, seed: int) -> Iterator[dict[str, str]]:
    """``relationships`` Level 2 records among the first ``entities`` entities (the
    trees stop at the last entity: fewer records come when the entities run out)."""
    # Children and parents each run through the numbers in order: one LEI maker for
    # each keeps making LEIs in blocks, where one for both would remake a block a call.
    children, parents, draw = _leis(seed), _leis(seed), random.Random(seed + 1)
    top = children(0)
    written = 0
    for child in range(1, entities):
        ends = [(parents(child // _ARITY), "IS_DIRECTLY_CONSOLIDATED_BY")]
        if child % 5 == 0 and child >= _ARITY * _ARITY:
            ends.append((top, "IS_ULTIMATELY_CONSOLIDATED_BY"))
        start = f"{draw.randint(1990, 2023)}-{draw.randint(1, 12):02d}-01T00:00:00.000Z"
        for parent, kind in ends:
            if written == relationships:
                return
            yield _relationship(children(child), parent, kind, start, draw)
            written += 1


def _relationship(
    child: str, parent: str, kind: str, start: str, draw: random.Random
) -> dict[str, str]:
    amount = draw.choice(("100", "1.00", "75.5", "51", ""))
    return {
        "Relationship.StartNode.NodeID": child,
        "Relationship.StartNode.NodeIDType": "LEI",
        "Relationship.EndNode.NodeID": parent,
        "Relationship.EndNode.NodeIDType": "LEI",
        "Relationship.RelationshipType": kind,
        "Relationship.RelationshipStatus": "ACTIVE",
        "Relationship.Period.1.startDate": start,
        "Relationship.Period.1.endDate": "",
        "Relationship.Period.1.periodType": "RELATIONSHIP_PERIOD",
        "Relationship.Period.2.startDate": "2022-01-01T00:00:00.000Z",
        "Relationship.Period.2.endDate": "2022-12-31T00:00:00.000Z",
        "Relationship.Period.2.periodType": "ACCOUNTING_PERIOD",
        "Relationship.Quantifiers.1.MeasurementMethod": "ACCOUNTING_CONSOLIDATION"
        if amount
        else "",
        "Relationship.Quantifiers.1.QuantifierAmount": amount,
        "Relationship.Quantifiers.1.QuantifierUnits": "PERCENTAGE" if amount else "",
        "Registration.InitialRegistrationDate": "2018-05-01T09:00:00.000Z",
        "Registration.LastUpdateDate": "2024-02-01T10:00:00.000Z",
        "Registration.RegistrationStatus": "LAPSED" if draw.random() < 0.05 else "PUBLISHED",
        "Registration.NextRenewalDate": "2025-02-01T00:00:00.000Z",
        "Registration.ManagingLOU": _MANAGING_LOU,
        "Registration.ValidationSources": "FULLY_CORROBORATED",
    }
