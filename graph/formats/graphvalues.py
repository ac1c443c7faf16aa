"""What the file writers (CSV holdings, BODS) read off a graph the same way: which
classes make a node an entity, and a property's values in a stable order, so that the
same graph always writes the same file.
"""

from __future__ import annotations

from rdflib import Graph, URIRef
from rdflib.term import Node

from groupkg.graph.vocab import GK

__all__ = ["ENTITY_CLASSES", "first_value", "sorted_values"]

ENTITY_CLASSES = (
    GK.Entity,
    GK.LegalEntity,
    GK.NaturalPerson,
    GK.Trust,
    GK.Fund,
    GK.UnnamedHolders,
)


def sorted_values(graph: Graph, node: Node, prop: URIRef) -> list[Node]:
    """The values of ``prop`` on ``node``, sorted by their text."""
    return sorted(graph.objects(node, prop), key=str)


def first_value(graph: Graph, node: Node, prop: URIRef) -> Node | None:
    """The first of :func:`sorted_values`, or None when there is none."""
    values = sorted_values(graph, node, prop)
    return values[0] if values else None
