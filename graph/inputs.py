"""Files a user adds to a store: RDF in any common syntax, or the CSV holdings format.

Each file is parsed completely before anything is added, and then added in one
transaction: a file with one bad line adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store import RDF_FORMATS, Store

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = ["add_files", "read_rdf", "rdf_format_of", "resolver", "RDF_SUFFIXES"]

RDF_SUFFIXES = {
    ".ttl": "ttl",
    ".turtle": "ttl",
    ".nt": "nt",
    ".nq": "nq",
    ".trig": "trig",
    ".jsonld": "jsonld",
    ".rdf": "rdf",
    ".owl": "rdf",
}


def rdf_format_of(path: Path, name: str | None = None) -> ox.RdfFormat | None:
    """The RDF syntax of a file, by the format name given or the file's suffix."""
    key = name or RDF_SUFFIXES.get(path.suffix.lower())
    return RDF_FORMATS.get(key) if key else None


def read_rdf(path: Path, fmt: ox.RdfFormat) -> bytes:
    """Parse ``path`` fully and return it as N-Triples.

    Raises
    ------
    InputError
        Naming the file and the line of a syntax error, or why it cannot be read.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        quads = list(ox.parse(data, format=fmt))
    except SyntaxError as exc:
        where = f"line {exc.lineno}" if exc.lineno else "syntax"
        reason = str(exc.msg if hasattr(exc, "msg") else exc)
        raise InputError(f"{path}, {where}: {reason}") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    return ox.serialize(
        [ox.Triple(q.subject, q.predicate, q.object) for q in quads],
        format=ox.RdfFormat.N_TRIPLES,
    ) or b""


def _csv_ntriples(path: Path, store: Store) -> bytes:
    from groupkg.graph import csvformat

    graph = csvformat.read_csv(path, resolve=resolver(store))
    return graph.serialize(format="nt", encoding="utf-8")


def resolver(store: Store) -> Callable[[str], URIRef | None]:
    """Look names up in ``store``: the entity a CSV row means, or None for a new one."""
    from rdflib import URIRef

    from groupkg.graph.names import lookup

    def resolve(name: str) -> URIRef | None:
        found = lookup(store, name)
        return URIRef(found[0]) if len(found) == 1 else None

    return resolve


def add_files(store: Store, paths: list[Path], fmt: str | None = None) -> int:
    """Add each file to ``store``; every file is parsed before any is added.

    Returns the number of triples added.
    """
    batches = []
    for path in paths:
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        if (fmt or path.suffix.lower().lstrip(".")) == "csv":
            batches.append(_csv_ntriples(path, store))
            continue
        rdf = rdf_format_of(path, fmt)
        if rdf is None:
            raise InputError(
                f"{path}: unknown file type (use .ttl, .nt, .nq, .trig, .jsonld, .rdf or .csv)"
            )
        batches.append(read_rdf(path, rdf))
    return store.add_rdf(b"\n".join(batches), ox.RdfFormat.N_TRIPLES)
