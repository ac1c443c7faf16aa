"""GLEIF facts in BODS 0.4 the way Open Ownership's GLEIF pipeline writes them, both ways.

- A reported consolidation (``gk:DirectConsolidation`` / ``gk:UltimateConsolidation``)
  is an interest of type ``otherInfluenceOrControl``, ``directOrIndirect`` ``direct``
  (direct parent) or ``indirect`` (ultimate parent), ``beneficialOwnershipOrControl``
  false, ``details`` ``Relationship Type: IS_DIRECTLY_CONSOLIDATED_BY`` (or
  ``IS_ULTIMATELY_CONSOLIDATED_BY``), its relationship period's start as ``startDate``.
  The parent is the interested party, the child the subject. GLEIF's relationship status
  goes in an annotation on the interest, ``Relationship Status: INACTIVE``.
- A reporting exception (why an entity reports no parent of a kind) is a relationship
  whose subject is the entity and whose interested party is unspecified, reason
  ``interestedPartyExemptFromDisclosure``, description ``Exception Reason: NO_LEI``;
  its one interest is as a consolidation's, ``details``
  ``Exception Category: DIRECT_ACCOUNTING_CONSOLIDATION_PARENT`` (or ``ULTIMATE_...``).
- An entity's LEI registration status, entity status and legal form are annotations on
  its statement: ``LEI Registration Status: LAPSED`` (as the pipeline writes it),
  ``Entity Status: ACTIVE``, ``Legal Form: 8888``.
"""

from __future__ import annotations

import re
from typing import Any

from rdflib import URIRef

from groupkg.graph.vocab import GK

__all__ = [
    "CONSOLIDATION_DETAILS",
    "ENTITY_ANNOTATIONS",
    "RELATIONSHIP_STATUS",
    "consolidation_class",
    "consolidation_interest",
    "entity_annotation",
    "exception_statement_details",
    "reporting_exception",
]

#: The interest ``details`` of a consolidation, by its class.
CONSOLIDATION_DETAILS = {
    GK.DirectConsolidation: "Relationship Type: IS_DIRECTLY_CONSOLIDATED_BY",
    GK.UltimateConsolidation: "Relationship Type: IS_ULTIMATELY_CONSOLIDATED_BY",
}
_CLASS_OF_DETAILS = {details: cls for cls, details in CONSOLIDATION_DETAILS.items()}
_CONTROL = "otherInfluenceOrControl"
#: The annotation on a consolidation's interest that holds GLEIF's relationship status.
RELATIONSHIP_STATUS = re.compile(r"^Relationship Status: ([A-Z_]+)$")
#: Entity facts held in annotations: the text before ": ", and the property.
ENTITY_ANNOTATIONS = {
    "LEI Registration Status": GK.registrationStatus,
    "Entity Status": GK.entityStatus,
    "Legal Form": GK.legalForm,
}
_ENTITY_ANNOTATION = re.compile(
    "^(" + "|".join(map(re.escape, ENTITY_ANNOTATIONS)) + r"): (\S(?:.*\S)?)$", re.S
)
_CATEGORIES = {
    "direct parent": "DIRECT_ACCOUNTING_CONSOLIDATION_PARENT",
    "ultimate parent": "ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT",
}
_EXCEPTION_TEXT = re.compile(r"^(.+?): ([A-Z_]+)$")
_EXCEPTION_DETAILS = re.compile(r"^Exception Category: ([A-Z_]+)$")
_EXCEPTION_REASON = re.compile(r"^Exception Reason: ([A-Z_]+)")


def consolidation_interest(cls: URIRef) -> dict[str, Any]:
    """The BODS interest of a consolidation of class ``cls``, without its dates.

    >>> consolidation_interest(GK.UltimateConsolidation)["directOrIndirect"]
    'indirect'
    """
    return {
        "type": _CONTROL,
        "directOrIndirect": "direct" if cls == GK.DirectConsolidation else "indirect",
        "beneficialOwnershipOrControl": False,
        "details": CONSOLIDATION_DETAILS[cls],
    }


def consolidation_class(interest: dict[str, Any]) -> URIRef | None:
    """The consolidation class an interest written as above states, or None."""
    cls = _CLASS_OF_DETAILS.get(interest.get("details") or "")
    if cls is None or interest.get("type") != _CONTROL:
        return None
    if interest.get("beneficialOwnershipOrControl") is True:
        return None
    return cls


def exception_statement_details(text: str) -> tuple[dict[str, str], dict[str, Any]] | None:
    """The unspecified interested party and the interest of a reporting exception as
    ``gk:reportingException`` holds it (``direct parent: NO_LEI``), or None.

    >>> exception_statement_details("ultimate parent: NATURAL_PERSONS")[0]["description"]
    'Exception Reason: NATURAL_PERSONS'
    """
    match = _EXCEPTION_TEXT.match(text)
    if match is None:
        return None
    kind, reason = match.groups()
    category = _CATEGORIES.get(kind, kind)
    party = {"reason": "interestedPartyExemptFromDisclosure"}
    party["description"] = f"Exception Reason: {reason}"
    interest = {
        "type": _CONTROL,
        "directOrIndirect": "indirect" if category.startswith("ULTIMATE") else "direct",
        "beneficialOwnershipOrControl": False,
        "details": f"Exception Category: {category}",
    }
    return party, interest


def reporting_exception(details: dict[str, Any]) -> list[str] | None:
    """The reporting exceptions (as ``gk:reportingException`` holds them) a
    relationship's details state, or None when it is no reporting exception."""
    party = details.get("interestedParty")
    if not isinstance(party, dict):
        return None
    reason = _EXCEPTION_REASON.match(party.get("description") or party.get("details") or "")
    interests = details.get("interests") or []
    categories = [_EXCEPTION_DETAILS.match(i.get("details") or "") for i in interests]
    if reason is None or not categories or not all(categories):
        return None
    kinds = {category: kind for kind, category in _CATEGORIES.items()}
    return [f"{kinds.get(c.group(1), c.group(1))}: {reason.group(1)}" for c in categories if c]


def entity_annotation(text: str) -> tuple[URIRef, str] | None:
    """The entity fact an annotation written as above holds, or None.

    >>> entity_annotation("LEI Registration Status: LAPSED")[1]
    'LAPSED'
    """
    match = _ENTITY_ANNOTATION.match(text)
    return (ENTITY_ANNOTATIONS[match.group(1)], match.group(2)) if match else None
