"""A GLEIF relationship-record file read as a stream: CSV or XML, plain or the one file
of a ``.zip``, record after record, into batches of triples, with every bad record
reported at the end.
"""

from __future__ import annotations

import csv
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator

from rdflib import Graph

from groupkg.graph.errors import BadInput, ImportProblem, InputError
from groupkg.graph.formats.gleif.columns import GLEIF_BASE, LEI_BASE, REQUIRED_COLUMNS
from groupkg.graph.formats.gleif.entities import EntityMapper
from groupkg.graph.formats.gleif.files import Records, opened_records, sniff
from groupkg.graph.formats.gleif.mapping import RowMapper, Triple

TITLES = {
    "rr": "GLEIF Level 2 relationship records",
    "lei": "GLEIF Level 1 LEI records",
    "repex": "GLEIF Level 2 reporting exceptions",
}
_REQUIRED = {"lei": ("LEI", "Entity.LegalName"), "repex": ("LEI", "ExceptionCategory")}

__all__ = ["iter_gleif_triples", "read_gleif"]


def iter_gleif_triples(
    path: str | os.PathLike[str],
    *,
    lei_base: str = LEI_BASE,
    base: str = GLEIF_BASE,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
    expect: str | None = None,
) -> Iterator[list[Triple]]:
    """Stream a GLEIF golden-copy file as batches of groupkg triples: Level 2
    relationship records, Level 1 LEI records or reporting exceptions, told by content.

    Parameters
    ----------
    path
        A golden-copy RR file, CSV or XML, or a zip holding one. CSV columns may come
        in any order; columns and elements not used are ignored.
    lei_base
        Where entities are minted: ``lei_base`` + the LEI.
    base
        Where relations (``base/rr/CHILD-type-PARENT``) and the file's source are minted.
    batch_size
        About how many triples a batch holds.
    progress
        Called with the number of rows read so far after each batch and at the end.
    expect
        ``rr``, ``lei`` or ``repex``: refuse a GLEIF file of another kind (one that is
        no GLEIF file is read as this kind, and its missing columns reported).

    Yields
    ------
    list of triples
        The triples of the rows read so far; a triple may repeat across batches (an
        entity seen again after many rows), which a graph or store absorbs.

    Raises
    ------
    BadInput
        After the last batch, with every row that could not be read; or before the
        first, when the header lacks a required column. Do not commit what the batches
        gave until the generator ends without raising.
    """
    name = str(path)
    rows_done = 0
    records: Records | None = None
    try:
        found = sniff(path)
        kind, syntax = found if found else (expect or "rr", "csv")
        if expect is not None and kind != expect:
            raise InputError(f"{path}: {TITLES[kind]}, not {TITLES[expect]}", file=name)
        with opened_records(path, kind, syntax) as records:
            required = REQUIRED_COLUMNS if kind == "rr" else _REQUIRED[kind]
            missing = [c for c in required if syntax == "csv" and c not in records.columns]
            if missing:
                raise BadInput(
                    ImportProblem(name, 1, c, "required column is missing") for c in missing
                )
            mapper = RowMapper(name, records.columns, lei_base, base)
            entities = EntityMapper(name, mapper.source, lei_base)
            batch = mapper.source_triples(TITLES[kind])
            for line, row in records:
                rows_done += 1
                if kind == "lei":
                    entities.record(line, row, batch)
                elif kind == "repex":
                    entities.exception(line, row, batch)
                else:
                    if syntax == "xml":
                        mapper.use_columns(row)
                    mapper.row(line, row, batch)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(rows_done)
    except (UnicodeDecodeError, csv.Error) as exc:
        # A byte that is not UTF-8, or a field past csv's size limit: the file as a
        # whole cannot be read, so it is refused with the line the reader had reached.
        line = records.line + 1 if records is not None else 1
        reason = f"not UTF-8: {exc.reason}" if isinstance(exc, UnicodeDecodeError) else str(exc)
        raise BadInput([ImportProblem(name, line, "(file)", reason)]) from None
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        problem = ImportProblem(name, 1, "(zip)", f"not a readable zip archive: {exc}")
        raise BadInput([problem]) from None
    except OSError as exc:
        raise InputError(
            f"{name}: cannot read it ({exc.strerror or exc})", file=str(name)
        ) from None
    if batch:
        yield batch
    if progress is not None:
        progress(rows_done)
    if mapper.problems or entities.problems:
        raise BadInput(mapper.problems + entities.problems)


def read_gleif(path: str | os.PathLike[str], **options: object) -> Graph:
    """Read a whole GLEIF relationship-record file into a graph, all or nothing.

    Takes the options of :func:`iter_gleif_triples`; for files too large for memory,
    stream with it into a store instead.

    Raises
    ------
    BadInput
        With every row that could not be read.
    """
    graph = Graph()
    for batch in iter_gleif_triples(path, **options):  # type: ignore[arg-type]
        for triple in batch:
            graph.add(triple)
    return graph
