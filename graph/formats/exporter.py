"""``groupkg export``: the data of a store as RDF, BODS, CSV holdings or GraphML.

The ontology itself is not exported, only the data described with it.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import logging
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.output import xml_safe
from groupkg.graph.store import Store, data_only_query

__all__ = ["EXPORT_FORMATS", "export"]

EXPORT_FORMATS = ("ttl", "nt", "jsonld", "trig", "bods", "csv", "graphml")
_PREFIXES = {
    "gk": "https://w3id.org/groupkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _data_ntriples(store: Store) -> bytes:
    body, _ = store.query_raw(data_only_query(), "application/n-triples")
    return body


def _rdflib_graph(store: Store) -> Any:
    import rdflib

    graph = rdflib.Graph()
    # rdflib logs a traceback for each literal whose text does not fit its datatype
    # ("abc"^^xsd:decimal); the export copies such text as it is, and validation
    # reports it, so the log would only show the user a traceback.
    logger = logging.getLogger("rdflib.term")
    was_disabled, logger.disabled = logger.disabled, True
    try:
        graph.parse(data=_data_ntriples(store).decode("utf-8"), format="nt")
    finally:
        logger.disabled = was_disabled
    return graph


def _graphml(store: Store, day: _dt.date) -> bytes:
    import networkx as nx

    from groupkg.graph.timemodel.register import Register

    # The day's state from the time model (cached beside an oxigraph:PATH store).
    register = Register.from_store(store)
    source = register.snapshot(day).graph()
    records = register.entity_records or ()
    graph = nx.DiGraph(day=day.isoformat())
    for node in source.nodes:
        position = register.position(node)
        entity = records[position][0] if 0 <= position < len(records) else None
        # GraphML is XML: characters XML 1.0 cannot carry are written as \xNN escapes.
        graph.add_node(node, label=xml_safe(entity.label if entity else node),
                       kind=xml_safe(entity.kind if entity else ""))  # fmt: skip
    for owner, owned, data in source.edges(data=True):
        stake = data["stake"]
        graph.add_edge(
            owner,
            owned,
            low=float(data["low"]) * 100,
            high=float(data["high"]) * 100,
            percent=float(stake.percent) if stake.percent is not None else -1.0,
            shares=int(stake.shares) if stake.shares is not None else -1,
            consolidated=bool(stake.consolidated),
        )
    out = io.BytesIO()
    nx.write_graphml(graph, out)
    return out.getvalue()


def export(store: Store, fmt: str, day: _dt.date | None = None) -> bytes:
    """The store's data in ``fmt``; GraphML is the ownership graph on ``day``.

    In GraphML an unknown percent or share count is written as -1, since GraphML
    attributes have one type each.
    """
    if fmt not in EXPORT_FORMATS:
        raise InputError(f"--format: {fmt!r} is not one of {', '.join(EXPORT_FORMATS)}")
    if fmt == "graphml":
        return _graphml(store, day or _dt.date.today())
    if fmt == "bods":
        from groupkg.graph.formats.bods import to_bods

        statements = to_bods(_rdflib_graph(store))
        return json.dumps(statements, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"
    if fmt == "csv":
        from groupkg.graph.formats.csvholdings import write_csv

        text = io.StringIO()
        write_csv(_rdflib_graph(store), text)
        return text.getvalue().encode("utf-8")
    rdf = {"ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
           "jsonld": ox.RdfFormat.JSON_LD, "trig": ox.RdfFormat.TRIG}[fmt]  # fmt: skip
    triples = ox.parse(_data_ntriples(store), format=ox.RdfFormat.N_TRIPLES)
    if rdf in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
        return ox.serialize(triples, format=rdf, prefixes=_PREFIXES) or b""
    return ox.serialize(triples, format=rdf) or b""
