"""The SHACL check: the data against ``ontology/shapes.ttl``, run by pySHACL.

The shapes say what each node must look like (a holding has one owner and one owned
entity, percentages lie in [0, 100], every fact cites a source). They run with
``groupkg.ttl`` mixed into the data and no RDFS inference (see the header of
``shapes.ttl``).
"""

from __future__ import annotations

from functools import cache

import pyshacl
from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH
from rdflib.term import Node

from groupkg.graph.errors import InputError
from groupkg.graph.validate.rdffiles import ontology_path, parse_rdf_file
from groupkg.graph.validate.report import Finding, ValidationReport, report_of, term_text
from groupkg.graph.vocab import PROV

__all__ = ["validate_graph"]


def validate_graph(data_graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Check a graph against the groupkg shapes (or other shapes).

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data. It is not modified; the ontology is mixed into a copy.
    shapes : rdflib.Graph, optional
        SHACL shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    ValidationReport
        A finding for every SHACL result, naming the node shape the result comes from
        (the owner of a property shape, not the property shape itself).

    Raises
    ------
    InputError
        When the shapes themselves are not valid SHACL.

    Examples
    --------
    >>> from rdflib import Graph
    >>> data = Graph().parse(format="turtle", data='''
    ...     @prefix gk: <https://w3id.org/groupkg/ontology#> .
    ...     <https://example.org/acme> a gk:LegalEntity .
    ... ''')
    >>> report = validate_graph(data)
    >>> report.conforms
    False
    >>> print(report.findings[0].message)
    An entity needs exactly one rdfs:label, the name it is shown by.
    """
    shapes = _bundled_shapes() if shapes is None else shapes
    _, results, text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        ont_graph=_bundled_ontology(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):
        raise InputError(f"the shapes cannot be used: {text}")
    found = {
        _shacl_finding(results, r, shapes, data_graph) for r in results.objects(None, SH.result)
    }
    return report_of(sorted(found))


@cache
def _bundled_ontology() -> Graph:
    return parse_rdf_file(ontology_path("groupkg.ttl"))


@cache
def _bundled_shapes() -> Graph:
    return parse_rdf_file(ontology_path("shapes.ttl"))


def _shacl_finding(results: Graph, result: Node, shapes: Graph, data: Graph) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    owner = shapes.value(None, SH.property, shape)
    if isinstance(shape, BNode) and owner is not None:
        shape = owner
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    sources = data.objects(focus, URIRef(PROV.wasDerivedFrom)) if focus is not None else ()
    return Finding(
        focus=term_text(focus),
        shape=term_text(shape),
        message=str(message) if message is not None else "constraint not met",
        severity=term_text(results.value(result, SH.resultSeverity)).removeprefix(str(SH)),
        path=term_text(path) if path is not None else None,
        sources=tuple(sorted(map(term_text, sources))),
    )
