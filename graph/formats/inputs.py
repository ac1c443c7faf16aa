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
from groupkg.graph.formats.fileguard import check_rdf, parse_failure
from groupkg.graph.store import RDF_FORMATS, Store, as_ntriples, write_ntriples

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = [
    "add_files",
    "convert_rdf",
    "read_rdf",
    "rdf_error",
    "rdf_format_of",
    "resolver",
    "RDF_SUFFIXES",
]

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
    check_rdf(path, fmt)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    try:
        quads = list(ox.parse(data, format=fmt))
    except (SyntaxError, ValueError) as exc:
        raise rdf_error(path, exc) from None
    except MemoryError as exc:
        raise parse_failure(path, exc) from None
    return as_ntriples(quads)


def convert_rdf(path: Path, fmt: ox.RdfFormat, out: Path) -> int:
    """Stream ``path`` into ``out`` as N-Triples (graph names dropped); return how many
    triples. Memory stays flat however large the file; errors as :func:`read_rdf`."""
    check_rdf(path, fmt)
    try:
        return write_ntriples(ox.parse(path=str(path), format=fmt), out)
    except (SyntaxError, ValueError) as exc:
        raise rdf_error(path, exc) from None
    except MemoryError as exc:
        raise parse_failure(path, exc) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None


def rdf_error(path: Path, exc: SyntaxError | ValueError) -> InputError:
    """A parser's complaint as the user should read it: the file, then the line."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}" if exc.lineno else "syntax"
        reason = str(exc.msg if hasattr(exc, "msg") else exc)
        return InputError(f"{path}, {where}: {reason}")
    return InputError(f"{path}: {exc}")


def _csv_ntriples(path: Path, store: Store) -> bytes:
    from groupkg.graph.formats import csvholdings as csvformat

    graph = csvformat.read_csv(path, resolve=resolver(store))
    return as_ntriples(graph)


def resolver(store: Store) -> Callable[[str], URIRef | None]:
    """Look names up in ``store``: the entity a CSV row means, or None for a new one."""
    from rdflib import URIRef

    from groupkg.graph.facts.names import AmbiguousName, UnknownName, find_in_store

    def resolve(name: str) -> URIRef | None:
        try:
            found = find_in_store(store, name)
        except AmbiguousName as exc:  # never a new entity beside the ones it may mean
            raise AmbiguousName(f"{exc}; write the IRI of one", exc.candidates) from None
        except UnknownName:  # too long, or not UTF-8: no entity has it yet
            return None
        return URIRef(found) if found is not None else None

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
