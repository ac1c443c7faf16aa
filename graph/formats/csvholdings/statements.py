"""What a good row of a CSV holdings file states, as N-Triples terms written straight
as text: an import of 100,000 rows writes over a million triples, and making rdflib's
terms (then Oxigraph's) for each cost more than reading and checking the rows.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, TypeAlias

from rdflib import RDF, RDFS, XSD, Literal

from groupkg.graph.store.ntriples import ntriples_iri, ntriples_literal
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

if TYPE_CHECKING:
    from groupkg.graph.formats.csvholdings.rows import HoldingsRow

__all__ = [
    "CHILD",
    "DERIVED",
    "FILE_NAME",
    "HOLDING",
    "LABEL",
    "LEGAL_ENTITY",
    "ORGANIZATION",
    "OWNED",
    "OWNER",
    "PARENT",
    "PROV_ENTITY",
    "SOURCE",
    "TITLE",
    "TYPE",
    "Triple",
    "row_statements",
]

#: A triple as its three N-Triples terms.
Triple: TypeAlias = tuple[str, str, str]

TYPE, LABEL, TITLE = ntriples_iri(RDF.type), ntriples_iri(RDFS.label), ntriples_iri(DCTERMS.title)
DERIVED = ntriples_iri(PROV.wasDerivedFrom)
LEGAL_ENTITY, ORGANIZATION = ntriples_iri(GK.LegalEntity), ntriples_iri(ORG.FormalOrganization)
SOURCE, PROV_ENTITY, FILE_NAME = (ntriples_iri(i) for i in (GK.Source, PROV.Entity, GK.fileName))
HOLDING, OWNER, OWNED = (ntriples_iri(i) for i in (GK.Holding, GK.owner, GK.owned))
PARENT, CHILD = ntriples_iri(GK.parent), ntriples_iri(GK.child)

_STATUS, _STATED = ntriples_iri(GK.factStatus), ntriples_iri(GK.Stated)
_KNOWN = ntriples_iri(GK.knownFrom)
_TRUE = ntriples_literal("true", XSD.boolean)
_INTEREST, _SHARES, _SHARE_CLASS = (
    ntriples_iri(i) for i in (GK.interestType, GK.shares, GK.shareClass)
)
# A row's figures: the field and its property, then the flag that it is exclusive and
# the flag's property.
_PERCENTS = (
    ("percent", ntriples_iri(GK.percent), "", ""),
    ("percent_min", ntriples_iri(GK.percentMin), "min_exclusive",
     ntriples_iri(GK.percentMinExclusive)),
    ("percent_max", ntriples_iri(GK.percentMax), "max_exclusive",
     ntriples_iri(GK.percentMaxExclusive)),
)  # fmt: skip
_DATES = (("start", ntriples_iri(GK.validFrom)), ("end", ntriples_iri(GK.validTo)),
          ("as_of", ntriples_iri(GK.asOf)))  # fmt: skip


def _decimal(value: Decimal) -> str:
    """An xsd:decimal in its shortest form, so equal figures are equal terms (as
    :func:`~groupkg.graph.formats.minting.decimal_literal` spells it).

    >>> _decimal(Decimal("50.00"))
    '"50"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    return ntriples_literal(format(value.normalize(), "f"), XSD.decimal)


def row_statements(
    parties: list[tuple[str, str]], row: HoldingsRow, source: str
) -> tuple[list[tuple[str, str]], list[str]]:
    """The (property, value) pairs of the holding or relation a good row states (a
    relation has no range, share count, share class or interest type:
    :func:`~groupkg.graph.formats.csvholdings.rows.check_row` sees to the first three),
    and what its IRI hashes: each pair as ``IRI N3``, sorted, as rdflib spells terms.
    """
    facts = [*parties, (_STATUS, _STATED), (DERIVED, source)]
    for field, prop, flag, exclusive in _PERCENTS:
        value = getattr(row, field)
        if value is not None:
            facts.append((prop, _decimal(value)))
            if flag and getattr(row, flag):
                facts.append((exclusive, _TRUE))
    if row.shares is not None:
        facts.append((_SHARES, ntriples_literal(str(row.shares), XSD.integer)))
    spelt = {}  # rdflib writes a text with a line break in it between triple quotes
    if row.share_class:
        share_class = ntriples_literal(row.share_class)
        spelt[share_class] = Literal(row.share_class).n3()
        facts.append((_SHARE_CLASS, share_class))
    for field, prop in _DATES:
        date = getattr(row, field)
        if date is not None:
            facts.append((prop, ntriples_literal(str(date), date.xsd_datatype)))
    if row.known_from is not None:
        datatype = XSD.dateTime if "T" in row.known_from else XSD.date
        facts.append((_KNOWN, ntriples_literal(row.known_from, datatype)))
    if row.interest and row.consolidation is None:
        facts.append((_INTEREST, ntriples_literal(row.interest)))
    return facts, sorted(f"{p[1:-1]} {spelt.get(o, o)}" for p, o in facts)
