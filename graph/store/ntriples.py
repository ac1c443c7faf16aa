"""N-Triples: written by pyoxigraph's serializer, and read a block of lines at a time.

Every N-Triples text groupkg makes (an import's staging file, data sent to a remote
store, the bundled files for ``groupkg init``) is written here, from pyoxigraph's
terms or rdflib's, by :func:`write_ntriples` or :func:`as_ntriples`. The readers cut a
file into blocks of whole lines for the bulk loader, count its statements, and tell a
parser's complaint about a block as one about the whole file.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError

__all__ = [
    "BLOCK_BYTES",
    "STAGING_PREFIX",
    "Progress",
    "count_statements",
    "as_ntriples",
    "ntriples_iri",
    "ntriples_literal",
    "ntriples_blocks",
    "rdflib_ntriples",
    "rdf_as_ntriples",
    "statements_in",
    "syntax_error",
    "write_ntriples",
]

# The N-Triples file an import converts its input to, beside an on-disk store.
STAGING_PREFIX = "groupkg-import-"

# Told the work done so far and the whole of it (bytes of a file, say).
Progress = Callable[[int, int], None]

_N_TRIPLES = ox.RdfFormat.N_TRIPLES


# -- writing ----------------------------------------------------------------------------


def write_ntriples(triples: Iterable[Any], out: Path) -> int:
    """Write ``triples`` to the file ``out`` as N-Triples; return how many were given.

    A triple is pyoxigraph's (a ``Triple``, or a ``Quad`` whose graph is dropped) or
    rdflib's ``(subject, predicate, object)``. The file is written as it goes: memory
    stays flat however many triples there are.

    Raises
    ------
    ValueError
        For a term N-Triples cannot hold (an IRI with a space, say).
    """
    count = 0

    def counted() -> Iterator[ox.Triple]:
        nonlocal count
        for triple in _oxigraph_triples(triples):
            count += 1
            yield triple

    ox.serialize(counted(), str(out), format=_N_TRIPLES)
    return count


def as_ntriples(triples: Iterable[Any]) -> bytes:
    """``triples`` (as :func:`write_ntriples` takes them) as N-Triples text.

    >>> print(as_ntriples([ox.Triple(ox.NamedNode("https://e.org/a"),
    ...     ox.NamedNode("https://e.org/name"), ox.Literal('say "hi"'))]).decode(), end="")
    <https://e.org/a> <https://e.org/name> "say \\"hi\\"" .
    """
    return ox.serialize(_oxigraph_triples(triples), format=_N_TRIPLES) or b""


def rdf_as_ntriples(data: bytes, fmt: ox.RdfFormat) -> bytes:
    """RDF text of any syntax as N-Triples (graph names dropped).

    Raises
    ------
    SyntaxError
        As :func:`pyoxigraph.parse` does.
    """
    return as_ntriples(ox.parse(data, format=fmt))


def _oxigraph_triples(items: Iterable[Any]) -> Iterator[ox.Triple]:
    term: Callable[[Any], Any] | None = None
    for item in items:
        if type(item) is tuple:  # rdflib's (subject, predicate, object)
            term = term or _rdflib_term()
            subject, predicate, obj = item
            yield ox.Triple(term(subject), term(predicate), term(obj))
        elif isinstance(item, ox.Triple):
            yield item
        else:
            yield ox.Triple(item.subject, item.predicate, item.object)


def _rdflib_term() -> Callable[[Any], Any]:
    """A converter of rdflib's terms into pyoxigraph's (rdflib loads only if needed)."""
    from rdflib.term import BNode, Literal, URIRef

    named, blank, literal = ox.NamedNode, ox.BlankNode, ox.Literal

    def term(node: Any) -> Any:
        kind = type(node)
        if kind is URIRef:
            return named(node)
        if kind is Literal:
            if node.language:
                return literal(node, language=node.language)
            datatype = node.datatype
            return literal(node) if datatype is None else literal(node, datatype=named(datatype))
        if kind is BNode:
            return blank(node)
        if isinstance(node, URIRef):  # a subclass: an rdflib namespace's term
            return named(str(node))
        raise ValueError(f"not an RDF term N-Triples can hold: {node!r}")

    return term


# -- terms as text -----------------------------------------------------------------------

# What a quoted literal cannot hold as it is (N-Triples' STRING_LITERAL_QUOTE).
_LITERAL_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def ntriples_iri(iri: str) -> str:
    """An IRI as an N-Triples term (the IRI is taken to be valid).

    >>> ntriples_iri("https://e.org/a")
    '<https://e.org/a>'
    """
    return f"<{iri}>"


def ntriples_literal(text: str, datatype: str | None = None) -> str:
    """A literal as an N-Triples term, written straight as text: for a reader that
    writes millions of them, where building pyoxigraph's or rdflib's terms would cost
    more than the rest of its work.

    >>> print(ntriples_literal('say "hi"\\n\\\\'), ntriples_literal("5", "http://e.org/int"))
    "say \\"hi\\"\\n\\\\" "5"^^<http://e.org/int>
    """
    quoted = text.translate(_LITERAL_ESCAPES)
    return f'"{quoted}"' if datatype is None else f'"{quoted}"^^<{datatype}>'


def rdflib_ntriples(term: Any) -> str:
    """An rdflib IRI or literal as an N-Triples term, for the few triples a reader of
    N-Triples text takes from a function that makes rdflib's.

    >>> from rdflib import Literal, URIRef
    >>> print(rdflib_ntriples(URIRef("https://e.org/a")), rdflib_ntriples(Literal("5")))
    <https://e.org/a> "5"
    """
    from rdflib import Literal

    if isinstance(term, Literal):
        datatype = str(term.datatype) if term.datatype is not None else None
        return ntriples_literal(str(term), datatype)
    return ntriples_iri(str(term))


# -- reading in blocks ------------------------------------------------------------------

BLOCK_BYTES = 64 << 20
_NOT_A_STATEMENT = re.compile(rb"[ \t]*(?:#.*)?\r?$")
_PARSER_ERROR = re.compile(r"^Parser error at line \d+ between columns (\d+) and (\d+): ")


def ntriples_blocks(path: Path, size: int | None = None) -> Iterator[tuple[bytes, int, int]]:
    """Whole lines of an N-Triples file, about ``size`` bytes (:data:`BLOCK_BYTES`) at a
    time: each block with the number of its first line and the bytes read so far."""
    size, line, done, rest = size or BLOCK_BYTES, 1, 0, b""
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(size):
                done += len(chunk)
                cut = chunk.rfind(b"\n") + 1
                if not cut:
                    rest += chunk
                    continue
                block, rest = rest + chunk[:cut], chunk[cut:]
                yield block, line, done
                line += block.count(b"\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})", file=str(path)) from None
    if rest:
        yield rest + b"\n", line, done


def statements_in(block: bytes) -> int:
    """How many lines of a block are statements: neither blank nor comments.

    >>> statements_in(b"<a> <b> <c> .\\n# a comment\\n\\n<a> <b> <d> .\\n")
    2
    """
    lines = block.count(b"\n")
    if block.count(b"\n<") + block.startswith(b"<") == lines:  # every line begins "<"
        return lines
    return sum(1 for line in block.split(b"\n")[:-1] if not _NOT_A_STATEMENT.match(line))


def count_statements(path: Path) -> int:
    """How many statements an N-Triples file holds."""
    return sum(statements_in(block) for block, _, _ in ntriples_blocks(path))


def syntax_error(path: Path, exc: SyntaxError, first_line: int) -> InputError:
    """The parser's complaint about a block that starts at ``first_line``, told of the
    whole file."""
    reason = str(exc.msg if hasattr(exc, "msg") else exc)
    found = _PARSER_ERROR.match(reason)
    if exc.lineno:
        where = f"line {first_line + exc.lineno - 1}"
        if found:
            where += f", columns {found[1]}-{found[2]}"
            reason = reason[found.end() :]
    else:
        where = "syntax"
    return InputError(f"{path}, {where}: {reason}")
