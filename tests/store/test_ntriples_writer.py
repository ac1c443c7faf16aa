"""N-Triples written by pyoxigraph's serializer (``groupkg.graph.store.ntriples``) from
rdflib's terms and pyoxigraph's alike, and the one literal decoder
(``groupkg.graph.store.terms.literal_value``) the stores and the exports share."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import XSD, BNode, Graph, Literal, URIRef

from groupkg.graph import InputError, OxigraphStore, PartialDate, import_file
from groupkg.graph.store import (
    as_ntriples,
    literal_value,
    rdf_as_ntriples,
    to_python,
    tsv_term,
    write_ntriples,
)

EX = "http://example.org/"


def parsed(data: bytes) -> set[ox.Triple]:
    return {
        ox.Triple(q.subject, q.predicate, q.object)
        for q in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)
    }


def test_rdflib_terms_are_written_as_canonical_n_triples(tmp_path: Path) -> None:
    a, name = URIRef(EX + "a"), URIRef(EX + "name")
    triples = [
        (a, name, Literal('two\nlines, a "quote", a \\ and a\ttab\r')),
        (a, name, Literal("Aktiengesellschaft", lang="de-AT")),
        (a, URIRef(EX + "percent"), Literal("5.59", datatype=XSD.decimal)),
        (a, URIRef(EX + "since"), Literal("2013-09", datatype=XSD.gYearMonth)),
        (a, URIRef(EX + "plain"), Literal("typed", datatype=XSD.string)),
    ]
    out = tmp_path / "out.nt"
    assert write_ntriples(iter(triples), out) == 5
    assert out.read_text(encoding="utf-8").splitlines() == [
        f'<{EX}a> <{EX}name> "two\\nlines, a \\"quote\\", a \\\\ and a\\ttab\\r" .',
        f'<{EX}a> <{EX}name> "Aktiengesellschaft"@de-at .',
        f'<{EX}a> <{EX}percent> "5.59"^^<{XSD}decimal> .',
        f'<{EX}a> <{EX}since> "2013-09"^^<{XSD}gYearMonth> .',
        f'<{EX}a> <{EX}plain> "typed" .',
    ]
    # A store reads back what rdflib's own N-Triples would have given it.
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    assert parsed(out.read_bytes()) == parsed(graph.serialize(format="nt", encoding="utf-8"))


def test_blank_nodes_and_pyoxigraph_terms_are_written_too() -> None:
    node = BNode("holding1")
    text = as_ntriples([(URIRef(EX + "a"), URIRef(EX + "holds"), node)])
    assert text == f"<{EX}a> <{EX}holds> _:holding1 .\n".encode()
    quad = ox.Quad(
        ox.NamedNode(EX + "a"), ox.NamedNode(EX + "p"), ox.Literal("x"), ox.NamedNode(EX + "g")
    )
    assert as_ntriples([quad]) == f'<{EX}a> <{EX}p> "x" .\n'.encode()
    turtle = f'<{EX}a> <{EX}p> "y"@EN .'.encode()
    assert rdf_as_ntriples(turtle, ox.RdfFormat.TURTLE) == f'<{EX}a> <{EX}p> "y"@en .\n'.encode()


def test_a_term_n_triples_cannot_hold_is_refused() -> None:
    with pytest.raises(ValueError):
        as_ntriples([(URIRef(EX + "a b"), URIRef(EX + "p"), Literal("x"))])


def test_an_import_whose_term_n_triples_cannot_hold_names_the_file_and_adds_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from groupkg.graph.formats import bods

    graph = Graph()
    graph.add((URIRef(EX + "a b"), URIRef(EX + "p"), Literal("x")))
    real_open = bods.open_bods

    def open_bods(path: Path) -> Any:
        read = real_open(path)
        read.triples = lambda: iter(graph)  # type: ignore[method-assign]
        return read

    monkeypatch.setattr(bods, "open_bods", open_bods)
    source = tmp_path / "file.json"
    source.write_text("[]", encoding="utf-8")
    store = OxigraphStore(tmp_path / "store")
    with pytest.raises(InputError, match=r"file\.json: .*IRI"):
        import_file(store, source, "bods")
    assert len(store) == 0
    store.close()


@pytest.mark.parametrize(
    ("text", "datatype", "value"),
    [
        ("5.59", "decimal", Decimal("5.59")),
        ("12", "integer", 12),
        ("1e2", "double", 100.0),
        ("true", "boolean", True),
        (" 1 ", "boolean", True),
        ("TRUE", "boolean", False),
        ("2013-09-30", "date", PartialDate(dt.date(2013, 9, 30), dt.date(2013, 10, 1), "day")),
        ("2013-13-45", "date", "2013-13-45"),
        ("abc", "decimal", "abc"),
        ("text", "string", "text"),
    ],
)
def test_one_literal_decoder_for_every_reader(text: str, datatype: str, value: object) -> None:
    iri = str(XSD) + datatype
    assert literal_value(text, iri) == value
    assert to_python(ox.Literal(text, datatype=ox.NamedNode(iri))) == value
    assert tsv_term(f'"{text}"^^<{iri}>') == value
