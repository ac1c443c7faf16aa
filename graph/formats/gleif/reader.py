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
from groupkg.graph.formats.gleif.files import Records, opened_records, sniff
from groupkg.graph.formats.gleif.mapping import RowMapper, Triple

_TITLES = {"rr": "relationship-record", "lei": "Level 1 (LEI-CDF)", "repex": "reporting-exception"}

__all__ = ["iter_gleif_triples", "read_gleif"]


def iter_gleif_triples(
    path: str | os.PathLike[str],
    *,
    lei_base: str = LEI_BASE,
    base: str = GLEIF_BASE,
    batch_size: int = 10_000,
    progress: Callable[[int], None] | None = None,
) -> Iterator[list[Triple]]:
    """Stream a GLEIF relationship-record file as batches of groupkg triples.

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
        kind, syntax = found if found else ("rr", "csv")
        if kind != "rr":
            raise InputError(
                f"{path}: a GLEIF {_TITLES[kind]} file, not relationship records",
                file=name,
            )
        with opened_records(path, kind, syntax) as records:
            missing = [c for c in REQUIRED_COLUMNS if syntax == "csv" and c not in records.columns]
            if missing:
                raise BadInput(
                    ImportProblem(name, 1, c, "required column is missing") for c in missing
                )
            mapper = RowMapper(name, records.columns, lei_base, base)
            batch = mapper.source_triples()
            for line, row in records:
                rows_done += 1
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
    if mapper.problems:
        raise BadInput(mapper.problems)


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
