"""Files a user adds to a store with ``--data``, in any format the registry
(:mod:`~groupkg.graph.formats.registry`) reads, and the RDF parsing every reader of RDF
shares.

Each file is parsed completely before anything is added, and then added in one
transaction: a file with one bad line adds nothing.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.formats.fileguard import check_rdf, parse_failure
from groupkg.graph.store import OxigraphStore, Store, UnionStore, write_ntriples

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = [
    "add_files",
    "convert_rdf",
    "rdf_error",
    "resolver",
    "staged_file",
    "data_target",
]


def convert_rdf(path: Path, fmt: ox.RdfFormat, out: Path) -> int:
    """Stream ``path`` into ``out`` as N-Triples (graph names dropped); return how many
    triples. Memory stays flat however large the file.

    Raises
    ------
    InputError
        Naming the file and the line of a syntax error, or why it cannot be read.
    """
    check_rdf(path, fmt)
    try:
        return write_ntriples(ox.parse(path=str(path), format=fmt), out)
    except (SyntaxError, ValueError) as exc:
        raise rdf_error(path, exc) from None
    except MemoryError as exc:
        raise parse_failure(path, exc) from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})", file=str(path)) from None


def rdf_error(path: Path, exc: SyntaxError | ValueError) -> InputError:
    """A parser's complaint as the user should read it: the file, then the line."""
    if isinstance(exc, SyntaxError):
        where = f"line {exc.lineno}" if exc.lineno else "syntax"
        reason = str(exc.msg if hasattr(exc, "msg") else exc)
        return InputError(f"{path}, {where}: {reason}")
    return InputError(f"{path}: {exc}", file=str(path))


class _Resolver:
    """Names looked up in one store for a CSV file: the entity a row means, or None for
    a new one; :meth:`look_up` finds many names at once, before their rows are read."""

    def __init__(self, store: Store):
        # Imported here, once: a file of many names calls this object for each.
        from rdflib import URIRef

        from groupkg.graph.facts.batchnames import StoreNames
        from groupkg.graph.facts.names import AmbiguousName, UnknownName

        self.names = StoreNames(store)
        self.iri, self.ambiguous, self.unknown = URIRef, AmbiguousName, UnknownName

    def look_up(self, names: Iterable[str]) -> None:
        self.names.look_up(names)

    def __call__(self, name: str) -> URIRef | None:
        try:
            found = self.names.find(name)
        except self.ambiguous as exc:  # never a new entity beside the ones it may mean
            raise self.ambiguous(f"{exc}; write the IRI of one", exc.candidates, exc.name) from None
        except self.unknown:  # too long, or not UTF-8: no entity has it yet
            return None
        return self.iri(found) if found is not None else None


def resolver(store: Store) -> Callable[[str], URIRef | None]:
    """Look names up in ``store``: the entity a CSV row means, or None for a new one.
    The callable also has ``look_up(names)``, which finds many names in one batch."""
    return _Resolver(store)


def staged_file(store: Store, path: Path, fmt: str | None = None) -> bytes:
    """The N-Triples of one file a user adds, read as ``groupkg import`` reads it (``fmt``,
    a ``--format`` name, or by name and content), every record checked; a name in a
    CSV row means the entity ``store`` has by it.

    Raises
    ------
    InputError
        For a missing file, an unknown file type, or a file with a bad record.
    """
    from groupkg.graph.formats.registry import by_name, format_of, readable_suffixes

    if not path.is_file():
        raise InputError(f"{path}: no such file", file=str(path))
    found = by_name(fmt) if fmt else format_of(path)
    if found is None or found.reader is None:
        *most, last = readable_suffixes()
        raise InputError(
            f"{path}: unknown file type (use {', '.join(most)} or {last})", file=str(path)
        )
    handle, name = tempfile.mkstemp(suffix=".nt")
    os.close(handle)
    staged = Path(name)
    try:
        found.reader(path, staged, store, None)
        return staged.read_bytes()
    finally:
        staged.unlink(missing_ok=True)


def add_files(
    store: Store, paths: list[Path], fmt: str | None = None, *, names: Store | None = None
) -> int:
    """Add each file to ``store``, in any format ``groupkg import`` reads (``fmt``, a
    ``--format`` name, or by name and content); every file is parsed before any is added.
    A name in a CSV row means the entity ``names`` has by it (``store`` itself unless
    given: the union a memory overlay is read through, so a name the persistent store
    knows is that entity, as ``groupkg import`` into it would make it).

    Returns the number of triples added.
    """
    batches = [staged_file(names if names is not None else store, path, fmt) for path in paths]
    return store.add_rdf(b"\n".join(batches), ox.RdfFormat.N_TRIPLES)


def data_target(store: Store) -> tuple[OxigraphStore, Store]:
    """Where the data a user adds to ``store`` goes, and the store that then holds it:
    a memory store itself, twice; any other (on disk, remote) is read and never
    written: the data goes into a memory overlay, and the union of both is read."""
    if isinstance(store, OxigraphStore) and store.description == "memory":
        return store, store
    overlay = OxigraphStore()
    return overlay, UnionStore(store, overlay)
