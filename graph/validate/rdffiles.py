"""Reading RDF files for validation: oxigraph parses, rdflib holds what pySHACL reads.

A file's syntax follows its extension (the format registry's). Each file's blank
nodes are kept apart from every other file's, quoted triples (RDF-star) are refused,
and a literal whose text does not fit its datatype is kept, ill-typed, for the shapes
to report.
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
from rdflib.term import Node

from groupkg.graph.errors import InputError
from groupkg.graph.formats.fileguard import check_rdf, parse_failure
from groupkg.graph.formats.registry import format_of, rdf_suffixes

__all__ = ["parse_rdf_file", "read_triples", "to_rdflib_graph", "ontology_path"]

_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


def parse_rdf_file(path: str | Path) -> Graph:
    """Read one RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML).

    The syntax follows the file's extension. The named graphs of a TriG or N-Quads
    file are merged into one graph; blank nodes are kept apart from those of any
    other file.

    Parameters
    ----------
    path : str or Path
        The file to read.

    Returns
    -------
    rdflib.Graph
        The file's triples.

    Raises
    ------
    InputError
        When the file cannot be read or is not valid RDF; the message names the file
        and, where the parser knows it, the line, e.g.
        ``data/x.ttl, line 12: The prefix ex: has not been declared``.
    """
    return to_rdflib_graph(read_triples(Path(path)))


def ontology_path(name: str) -> Path:
    """The path of a bundled ontology file (``groupkg.ttl``, ``shapes.ttl``)."""
    return Path(str(resources.files("groupkg.ontology").joinpath(name)))


def read_triples(path: Path) -> list[ox.Triple]:
    """The triples of one file, with blank nodes no other file shares."""
    found = format_of(path)
    syntax = found.syntax if found is not None else None
    if syntax is None:
        known = ", ".join(sorted(rdf_suffixes()))
        what = f" (a {found.title} file, not RDF)" if found is not None else ""
        raise InputError(
            f"{path}: cannot tell the RDF syntax from the extension{what}; use one of {known}"
        )
    try:
        check_rdf(path, syntax)
        quads = list(ox.parse(path=path, format=syntax))
    except MemoryError as exc:
        raise parse_failure(path, exc) from None
    except SyntaxError as exc:
        raise InputError(_syntax_error_message(path, exc)) from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", file=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot be read ({exc.strerror or exc})", file=str(path)
        ) from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}", file=str(path)) from None
    # Parsers keep the labels a file gives its blank nodes (_:b0); two files may both
    # use _:b0 for different things.
    fresh: dict[str, ox.BlankNode] = {}

    def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        if isinstance(term, ox.Triple):
            raise InputError(f"{path}: RDF-star quoted triples are not supported", file=str(path))
        return term

    return [ox.Triple(rename(q.subject), q.predicate, rename(q.object)) for q in quads]


def _syntax_error_message(path: Path, exc: SyntaxError) -> str:
    # Oxigraph's message starts with the position ("Parser error at line 3 between
    # columns 11 and 17: ..."); the position is given once, in our own words.
    reason = re.sub(r"^Parser error [^:]*:\s*", "", exc.msg or str(exc))
    if exc.lineno:
        return f"{path}, line {exc.lineno}: {reason}"
    return f"{path}: {reason}"


def to_rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    """The triples as an rdflib graph, the form pySHACL reads."""
    graph = Graph()
    blank_nodes: dict[str, BNode] = {}
    with _ill_typed_literals_left_to_the_shapes():
        for t in triples:
            graph.add(
                (
                    _to_rdflib(t.subject, blank_nodes),
                    URIRef(t.predicate.value),
                    _to_rdflib(t.object, blank_nodes),
                )
            )
    return graph


def _to_rdflib(term: object, blank_nodes: dict[str, BNode]) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blank_nodes.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            # rdflib reads "abc" as a plain literal; so must we, or sh:in ("abc") misses it.
            return Literal(term.value)
        literal = Literal(term.value, datatype=URIRef(term.datatype.value))
        not_decimal = term.datatype.value == _XSD_DECIMAL and not _DECIMAL_TEXT.match(term.value)
        if not_decimal or _is_nan(literal.value):
            # rdflib reads "NaN"^^xsd:decimal as Decimal("NaN"), and a Decimal compared
            # with a NaN (decimal or double) raises, which breaks the comparisons pySHACL
            # makes (sh:minInclusive, the SPARQL constraints). No figure of ownership
            # data is NaN: make it ill-typed and valueless, as rdflib makes text it
            # cannot read, and the shapes report it.
            literal._ill_typed = True
            literal._value = None
        return literal
    raise TypeError(
        f"not an RDF term groupkg reads: {term!r}"
    )  # quoted triples are refused on reading


def _is_nan(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, float) and math.isnan(value)


@contextmanager
def _ill_typed_literals_left_to_the_shapes() -> Iterator[None]:
    # rdflib logs a traceback for every literal whose text does not fit its datatype
    # ("2013-13-45"^^xsd:date). The shapes report such a literal as a finding instead.
    logger = logging.getLogger("rdflib.term")
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled
