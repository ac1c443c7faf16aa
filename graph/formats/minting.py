"""How the readers mint terms from what a record says: a digest of its parts for an
IRI, and a figure as the one literal that spells it, so that the same record read
twice gives the same terms.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

from rdflib import XSD, Literal

__all__ = ["digest", "decimal_literal"]


def digest(*parts: object) -> str:
    """The SHA-1 of ``parts`` joined by a unit separator, in hex."""
    return hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()


def decimal_literal(value: Decimal) -> Literal:
    """An xsd:decimal in its shortest form, so equal figures are equal terms.

    >>> decimal_literal(Decimal("50.00")).n3()
    '"50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)
