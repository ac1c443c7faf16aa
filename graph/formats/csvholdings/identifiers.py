"""The identifier columns of the CSV holdings format, ``owner_identifier`` and
``owned_identifier``: one identifier of each party a cell, written ``SCHEME:ID``.

A party's cell holds its LEI when it has one, as ``XI-LEI:<LEI>`` (the scheme BODS gives
an LEI), else its first identifier in ``SCHEME:ID`` order. One identifier fits a cell:
a party's other identifiers are not written, and an export that would leave them out
names them. Read back, an LEI makes the party the entity GLEIF's records name by that
LEI (whatever its name), so a CSV export of a GLEIF store reads back to the same
entities; any other identifier is kept on an entity the row makes new, and a name that
resolves to a known entity keeps that entity as it is.
"""

from __future__ import annotations

from rdflib import Graph
from rdflib.term import Node

from groupkg.graph.formats.graphvalues import first_value, sorted_values
from groupkg.graph.formats.identifiers import LEI_SCHEME
from groupkg.graph.vocab import GK

__all__ = [
    "entity_identifier",
]


def entity_identifier(graph: Graph, entity: Node) -> str:
    """The identifier cell of ``entity``: its LEI, else its first identifier, else empty."""
    lei = first_value(graph, entity, GK.lei)
    if lei is not None:
        return f"{LEI_SCHEME}:{lei}"
    cells = []
    for node in sorted_values(graph, entity, GK.hasIdentifier):
        scheme = first_value(graph, node, GK.identifierScheme)
        value = first_value(graph, node, GK.identifierValue)
        if scheme is not None and value is not None:
            cells.append(f"{scheme}:{value}")
    return min(cells, default="")
