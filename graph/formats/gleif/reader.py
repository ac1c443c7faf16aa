"""A GLEIF relationship-record file read as a stream: the one CSV of a ``.csv`` or
``.zip``, row after row, into batches of triples, with every bad row reported at the end.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TextIO

from rdflib import Graph

from groupkg.graph.errors import BadInput, ImportProblem, InputError
from groupkg.graph.formats.gleif.columns import GLEIF_BASE, LEI_BASE, REQUIRED_COLUMNS
from groupkg.graph.formats.gleif.mapping import RowMapper, Triple

__all__ = ["iter_gleif_triples", "read_gleif"]


@contextmanager
def _open_csv(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """The CSV text of ``path``, or of the single CSV member of a zip archive."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(".csv") and not m.startswith("__MACOSX/")
            ]
            if len(members) != 1:
                raise InputError(
                    f"{path}: a GLEIF zip must hold exactly one CSV file, not {len(members)}"
                )
            if archive.getinfo(members[0]).flag_bits & 0x1:  # zipfile would raise RuntimeError
                problem = f"{members[0]} is encrypted: give the archive without a password"
                raise BadInput([ImportProblem(str(path), 1, "(zip)", problem)])
            with archive.open(members[0]) as raw:
                yield io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
    else:
        with open(path, encoding="utf-8-sig", newline="") as stream:
            yield stream


class _Rows:
    """A :class:`csv.DictReader` that also tells the line each row starts on."""

    def __init__(self, stream: TextIO):
        self.reader = csv.DictReader(stream)
        self.fieldnames = [name.strip() for name in self.reader.fieldnames or []]
        self.reader.fieldnames = self.fieldnames
        self.end = self.reader.line_num

    def __iter__(self) -> Iterator[tuple[int, dict[str, str]]]:
        for row in self.reader:
            start, self.end = self.end + 1, self.reader.line_num
            yield start, row


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
        A golden-copy RR CSV, or a zip holding one. Columns may come in any order;
        columns not used are ignored.
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
    rows: _Rows | None = None
    try:
        with _open_csv(path) as stream:
            rows = _Rows(stream)
            missing = [c for c in REQUIRED_COLUMNS if c not in rows.fieldnames]
            if missing:
                raise BadInput(
                    ImportProblem(name, 1, c, "required column is missing") for c in missing
                )
            mapper = RowMapper(name, rows.fieldnames, lei_base, base)
            batch = mapper.source_triples()
            for line, row in rows:
                rows_done += 1
                mapper.row(line, row, batch)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
                    if progress is not None:
                        progress(rows_done)
    except (UnicodeDecodeError, csv.Error) as exc:
        # A byte that is not UTF-8, or a field past csv's size limit: the file as a
        # whole cannot be read, so it is refused with the line the reader had reached.
        line = rows.end + 1 if rows is not None else 1
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
