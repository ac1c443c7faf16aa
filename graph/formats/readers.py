"""How each readable file format becomes N-Triples: one reader a format, all taking
the same arguments, so that ``groupkg import`` and ``--data`` read a file the same way.

A reader writes the N-Triples of ``path`` into the file ``out`` and returns how many
triples it wrote; ``store`` is where the triples will go (a CSV row names an entity
that may be there already), ``progress`` is told the rows read so far. A file with a
bad record raises an :class:`~groupkg.graph.errors.InputError` listing every problem,
and what was written to ``out`` is then to be thrown away. GLEIF files and RDF are
streamed: memory stays flat however many rows or triples they have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeAlias

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.formats.inputs import convert_rdf, resolver
from groupkg.graph.store import Store, write_ntriples

__all__ = [
    "Progress",
    "Read",
    "Reader",
    "read_bods_statements",
    "read_csv_holdings",
    "read_gleif_files",
    "read_gleif_relationships",
    "rdf_reader",
]

Progress: TypeAlias = Callable[..., None]


@dataclass(frozen=True)
class Read:
    """What a reader read, when it says more than the number of triples it wrote:
    ``summary`` for a person (``BODS 0.2, 12 statements``), ``details`` for a machine,
    and ``written``, the triples written (as N-Triples terms), when the reader held them
    all in memory anyway (the CSV holdings reader): the import then looks at them
    rather than read the file it wrote again."""

    triples: int
    summary: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    written: list[tuple[str, str, str]] | None = field(default=None, repr=False, compare=False)


Reader: TypeAlias = Callable[[Path, Path, Store, "Progress | None"], "int | Read"]


def _written(path: Path, triples: Iterable[Any], out: Path) -> int:
    """``triples`` read from ``path`` written to ``out`` as N-Triples; a term N-Triples
    cannot hold is the file's error, and nothing is added."""
    try:
        return write_ntriples(triples, out)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}", file=str(path)) from None


def rdf_reader(syntax: ox.RdfFormat) -> Reader:
    """The reader of one RDF syntax: parsed by Oxigraph, graph names dropped."""

    def read(path: Path, out: Path, store: Store, progress: Progress | None) -> int:
        return convert_rdf(path, syntax, out)

    return read


def read_csv_holdings(path: Path, out: Path, store: Store, progress: Progress | None) -> Read:
    """The CSV holdings format; a name in a row means the entity ``store`` has by it,
    and a row with other figures for a holding ``store`` has supersedes it."""
    from groupkg.graph.formats.csvholdings.columns import LOCAL_BASE
    from groupkg.graph.formats.csvholdings.reader import read_csv_ntriples
    from groupkg.graph.formats.csvholdings.versions import superseding

    triples = read_csv_ntriples(path, resolve=resolver(store))
    triples += superseding(triples, store, LOCAL_BASE)
    with out.open("w", encoding="utf-8") as stream:
        stream.writelines(f"{s} {p} {o} .\n" for s, p, o in triples)
    return Read(len(triples), written=triples)


def read_bods_statements(path: Path, out: Path, store: Store, progress: Progress | None) -> Read:
    """A BODS file (0.4, 0.3 or 0.2; a JSON array of statements or JSON Lines), every
    statement checked before the first triple is written."""
    from groupkg.graph.formats.bods import open_bods

    bods = open_bods(path)
    details = {"bods_version": bods.version, "statements": bods.statements}
    return Read(_written(path, bods.triples(), out), bods.summary, details)


def read_gleif_relationships(path: Path, out: Path, store: Store, progress: Progress | None) -> int:
    """GLEIF Level 2 relationship records: the golden copy's CSV or XML, or its zip."""
    return _gleif(path, out, store, progress, "rr")


def read_gleif_files(path: Path, out: Path, store: Store, progress: Progress | None) -> int:
    """Any GLEIF golden-copy file (Level 1, relationship records, reporting exceptions),
    told by its content."""
    return _gleif(path, out, store, progress, None)


def _gleif(
    path: Path, out: Path, store: Store, progress: Progress | None, expect: str | None
) -> int:
    from groupkg.graph.formats.gleif import GLEIF_BASE, iter_gleif_triples, unnamed_only
    from groupkg.graph.formats.gleif.versions import updated_records

    batches = iter_gleif_triples(path, progress=progress, expect=expect)
    rr_base = GLEIF_BASE + "rr/"
    return _written(
        path,
        (
            t
            for batch in batches
            for t in updated_records(unnamed_only(batch, store), store, rr_base)
        ),
        out,
    )
