"""A corpus of hostile input files: each built to hurt the program that reads it.

Every item is made here, from a few lines of code, rather than stored: the files
would be large (deep nesting) or binary (archives). Each is small enough to run in
process: the deep nesting stays below the depth at which the parsers crash (about
100,000 levels of triple terms), so that a check that lets one through fails the
case instead of ending the test run.

Kinds: XML entity expansion and external entities, deep nesting in RDF/XML, JSON-LD,
Turtle, TriG and N-Triples, over-long literals (``full`` profile only: 17 MB), huge
numbers, corrupt and encrypted archives, spreadsheet formula cells, and control
characters in names.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

__all__ = ["CORPUS", "corpus"]

TESTS = Path(__file__).resolve().parents[1]
GLEIF = TESTS / "data" / "gleif" / "sample.csv"
_RDF = 'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:e="http://e.org/"'
_TTL = (
    "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
    "@prefix gk: <https://w3id.org/groupkg/ontology#> .\n"
    "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
)
DEPTH = 3000  # past the 256 levels allowed; far below where a parser crashes


def laughs(levels: int) -> bytes:
    """A "billion laughs" RDF/XML file: each entity ten of the one before."""
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(entities) + "\n]>\n"
        f'<rdf:RDF {_RDF}><rdf:Description rdf:about="http://e.org/a">'
        f"<e:label>&a{levels};</e:label></rdf:Description></rdf:RDF>\n"
    ).encode()


def _quadratic_blowup() -> bytes:
    """One entity of 10 kB used 5,000 times: no nesting, 50 MB of text."""
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY big "' + "x" * 10_000 + '">]>\n'
        f'<rdf:RDF {_RDF}><rdf:Description rdf:about="http://e.org/a"><e:label>'
        + "&big;" * 5000
        + "</e:label></rdf:Description></rdf:RDF>\n"
    ).encode()


def _external() -> bytes:
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        f'<rdf:RDF {_RDF}><rdf:Description rdf:about="http://e.org/a">'
        "<e:label>&x;</e:label></rdf:Description></rdf:RDF>\n"
    ).encode()


def _deep_xml() -> bytes:
    return (
        f"<rdf:RDF {_RDF}>" + "<rdf:Description><e:p>" * DEPTH + "<rdf:Description/>"
        + "</e:p></rdf:Description>" * DEPTH + "</rdf:RDF>\n"
    ).encode()  # fmt: skip


def _deep_jsonld() -> bytes:
    return (
        '{"@id": "http://e.org/a", "http://e.org/p": ' + '{"http://e.org/p": ' * DEPTH
        + '"x"' + "}" * DEPTH + "}\n"
    ).encode()  # fmt: skip


def _deep_triple_terms(ntriples: bool) -> bytes:
    if ntriples:
        return (
            "<http://e.org/a> <http://e.org/b> "
            + "<<( <http://e.org/s> <http://e.org/p> " * DEPTH
            + "<http://e.org/o>" + " )>>" * DEPTH + " .\n"
        ).encode()  # fmt: skip
    return (
        "@prefix : <http://e.org/> .\n:a :b " + "<<( :s :p " * DEPTH + ":o"
        + " )>>" * DEPTH + " .\n"
    ).encode()  # fmt: skip


def _deep_reifiers() -> bytes:
    return (
        "@prefix : <http://e.org/> .\n" + "<< " * DEPTH + ":s :p :o >>"
        + " :p :o >>" * (DEPTH - 1) + " :b :c .\n"
    ).encode()  # fmt: skip


def _deep_trig() -> bytes:
    body = _deep_triple_terms(False).split(b"\n", 1)[1]
    return b"@prefix : <http://e.org/> .\n:g { " + body + b"}\n"


def _big_literal() -> bytes:
    return b'<http://e.org/a> <http://e.org/p> "' + b"x" * (17 << 20) + b'" .\n'


def _zip(flag: int = 0, damage: bool = False) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(GLEIF, "rr.csv")
    data = bytearray(out.getvalue())
    data[6] |= flag
    data[data.rfind(b"PK\x01\x02") + 8] |= flag
    if damage:
        for offset in (60, 100, 140):
            data[offset] ^= 0xFF
    return bytes(data)


def _csv(rows: str) -> bytes:
    return ("owner,owned,percent,shares,start_date,end_date\n" + rows).encode()


def _control_names() -> bytes:
    return (
        _TTL + '<http://e.org/a> a gk:LegalEntity ; rdfs:label "Evil\\u001B]0;pwned\\u0007 Co" .\n'
        '<http://e.org/b> a gk:LegalEntity ; rdfs:label "Nul\\u0000\\u009B31m\\u202E Co" .\n'
        "<http://e.org/h> a gk:Holding ; gk:owner <http://e.org/a> ; gk:owned <http://e.org/b> ;"
        ' gk:percent 60 ; gk:validFrom "2000-01-01"^^xsd:date .\n'
    ).encode()  # fmt: skip


#: name -> (file name, a function making its bytes, whether only the full profile runs it)
CORPUS: dict[str, tuple[str, Callable[[], bytes], bool]] = {
    "billion-laughs": ("laughs.rdf", lambda: laughs(9), False),
    "quadratic-blowup": ("blowup.rdf", _quadratic_blowup, False),
    "external-entity": ("external.rdf", _external, False),
    "deep-rdf-xml": ("deep.rdf", _deep_xml, False),
    "deep-json-ld": ("deep.jsonld", _deep_jsonld, False),
    "deep-triple-terms-turtle": ("deep.ttl", lambda: _deep_triple_terms(False), False),
    "deep-triple-terms-ntriples": ("deep.nt", lambda: _deep_triple_terms(True), False),
    "deep-reifiers-turtle": ("reifiers.ttl", _deep_reifiers, False),
    "deep-triple-terms-trig": ("deep.trig", _deep_trig, False),
    "literal-over-16-mib": ("big.nt", _big_literal, True),
    "encrypted-zip": ("rr-encrypted.zip", lambda: _zip(flag=0x1), False),
    "corrupt-zip": ("rr-corrupt.zip", lambda: _zip(damage=True), False),
    "huge-share-count": ("shares.csv", lambda: _csv("Acme,Beta,50," + "9" * 5000 + ",,\n"), False),
    "formula-cells": (
        "formulas.csv",
        lambda: _csv(
            '"=HYPERLINK(""http://x"",""y"")",+SUM(1),10,,,\n@cmd,-1+2,20,,,\n'
            '"\tTab","\rCR",30,,,\n'
        ),
        False,
    ),  # fmt: skip
    "last-day": ("last.csv", lambda: _csv("Acme,Beta,50,,2000-01-01,9999-12-31\n"), False),
    "control-characters": ("control.ttl", _control_names, False),
}


def corpus(full: bool) -> list[str]:
    """The names of the corpus items a profile runs."""
    return [name for name, (_, _, only_full) in CORPUS.items() if full or not only_full]
