"""How each writable file format is made from a store's data: one writer a format,
all taking the same arguments (the store, and the day a format of one day's graph
shows), each returning the file's bytes. The ontology itself is never written, only the
data described with it.
"""

from __future__ import annotations

import datetime as _dt
import io
import json
import logging
from collections.abc import Callable
from typing import Any, TypeAlias

import pyoxigraph as ox

from groupkg.graph.output import xml_safe
from groupkg.graph.store import Store, UnionStore, data_only_query

__all__ = ["Writer", "rdf_writer", "write_bods_statements", "write_csv_holdings", "write_graphml"]

Writer: TypeAlias = Callable[[Store, _dt.date], bytes]

_PREFIXES = {
    "gk": "https://w3id.org/groupkg/ontology#",
    "org": "http://www.w3.org/ns/org#",
    "prov": "http://www.w3.org/ns/prov#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "dcterms": "http://purl.org/dc/terms/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


def _data_ntriples(store: Store) -> bytes:
    if isinstance(store, UnionStore):  # a store and the files added over it: both parts
        return b"\n".join(_data_ntriples(part) for part in (store.base, store.overlay))
    body, _ = store.query_raw(data_only_query(), "application/n-triples")
    return body


def _merged_into(store: Store) -> dict[str, str]:
    """Each source record merged into another entity -> that entity's IRI
    (:mod:`groupkg.graph.facts.identity`)."""
    from groupkg.graph.facts.loader import load_dataset

    return load_dataset(store).merged_into


def _rdflib_graph(store: Store, merged: bool = False) -> Any:
    """The store's data as an rdflib graph; with ``merged``, every source record of an
    entity made of several named by the entity's IRI (one entity a cluster)."""
    graph = _rdflib_records(store)
    if not merged:
        return graph
    import rdflib

    into = {rdflib.URIRef(a): rdflib.URIRef(b) for a, b in _merged_into(store).items()}
    if not into:
        return graph
    renamed = rdflib.Graph()
    for s, p, o in graph:
        renamed.add((into.get(s, s), p, into.get(o, o)))  # type: ignore[arg-type]
    return renamed


def _rdflib_records(store: Store) -> Any:
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


def write_graphml(store: Store, day: _dt.date) -> bytes:
    """The ownership graph on ``day``. An unknown percent or share count is written as
    -1, since GraphML attributes have one type each."""
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


def write_bods_statements(store: Store, day: _dt.date) -> bytes:
    """BODS 0.4 statements, as a JSON list."""
    from groupkg.graph.formats.bods import to_bods

    statements = to_bods(_rdflib_graph(store, merged=True))
    return json.dumps(statements, indent=2, ensure_ascii=False).encode("utf-8") + b"\n"


def write_csv_holdings(store: Store, day: _dt.date) -> bytes:
    """The CSV holdings format."""
    from groupkg.graph.formats.csvholdings import write_csv

    text = io.StringIO()
    write_csv(_rdflib_graph(store, merged=True), text)
    return text.getvalue().encode("utf-8")


def rdf_writer(syntax: ox.RdfFormat) -> Writer:
    """The writer of one RDF syntax; Turtle and TriG with groupkg's prefixes."""

    def write(store: Store, day: _dt.date) -> bytes:
        triples = ox.parse(_data_ntriples(store), format=ox.RdfFormat.N_TRIPLES)
        if syntax in (ox.RdfFormat.TURTLE, ox.RdfFormat.TRIG):
            return ox.serialize(triples, format=syntax, prefixes=_PREFIXES) or b""
        return ox.serialize(triples, format=syntax) or b""

    return write
