"""Reading BODS: a file (a JSON array or JSON Lines, of BODS 0.4, 0.3 or 0.2) or
parsed statements in, groupkg RDF out, all or nothing (every problem
:class:`~groupkg.graph.formats.bods.checks.StatementChecker` finds is raised at once, in
one :class:`~groupkg.graph.errors.BadInput`).

A file is read three times, a statement at a time: once to check every statement, once
for its entity and person records, once for its relationship records. What is kept in
between is small: each record's kind and count of statements, the names of parties,
and the statements of a record with several until its last one is read. The triples
of each record are given as soon as it is built, so memory stays flat however many
statements a file has.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from rdflib import Graph

from groupkg.graph.errors import BadInput
from groupkg.graph.formats.bods.checks import StatementChecker, checked, validate_bods
from groupkg.graph.formats.bods.legacy import RecordIds, as_bods_04
from groupkg.graph.formats.bods.mapping import BODS_BASE
from groupkg.graph.formats.bods.records import RecordBuilder
from groupkg.graph.formats.bods.stream import Placed, placed_statements
from groupkg.graph.formats.bods.versions import record_versions

__all__ = ["BodsFile", "bods_to_graph", "open_bods", "read_bods"]


def bods_to_graph(
    statements: Any,
    *,
    file: str = "<statements>",
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Turn parsed BODS statements (0.4, or 0.2 or 0.3) into groupkg RDF, all or nothing.

    Parameters
    ----------
    statements
        The statements (a JSON array, parsed).
    file
        The name problems and sources are reported under.
    base
        The namespace records are minted in: an entity or person is ``base`` + its
        (percent-encoded) recordId, its facts and statements below. recordIds are
        unique within one publisher's system only, so give each publisher its own base.
    schema_dir
        The BODS 0.4 schema folder; by default the bundled copy.

    Raises
    ------
    BadInput
        With every problem :func:`validate_bods` finds.
    """
    problems = validate_bods(statements, file, schema_dir=schema_dir)
    if problems:
        raise BadInput(problems)
    records = RecordIds()
    read = [st if "recordType" in st else as_bods_04(st, records) for st in statements]
    return RecordBuilder(file, base).build(read)


@dataclass
class BodsFile:
    """A BODS file whose every statement has been checked: its version, its number of
    statements and layout, and its triples (read from the file again as they are
    asked for)."""

    path: str
    version: str
    statements: int
    json_lines: bool
    base: str
    checker: StatementChecker = field(repr=False)
    _again: Callable[[], Iterable[Placed]] = field(repr=False)

    @property
    def summary(self) -> str:
        """What was read, for a person: ``BODS 0.2, 12 statements``."""
        lines = " as JSON Lines" if self.json_lines else ""
        return f"BODS {self.version}{lines}, {self.statements:,} statements"

    def _statements(self) -> Iterator[dict[str, Any]]:
        records = RecordIds()
        for placed in self._again():
            st = placed.statement
            yield st if self.version == "0.4" else as_bods_04(st, records)

    def triples(self) -> Iterator[Any]:
        """The triples of every record: entities and persons first, then relationships."""
        builder = RecordBuilder(self.path, self.base, self.checker.unspecified_party_subjects)
        for parties in (True, False):
            pending: dict[str, list[dict[str, Any]]] = {}
            for st in self._statements():
                if (st["recordType"] != "relationship") != parties:
                    continue
                record_id = st["recordId"]
                versions = pending.setdefault(record_id, [])
                versions.append(st)
                kind = self.checker.kind(record_id)
                if kind is not None and len(versions) < kind[2]:
                    continue  # a record of several statements: wait for the last
                del pending[record_id]
                ordered = record_versions(versions)[record_id]
                yield from builder.record_triples(record_id, ordered)


def open_bods(
    path: str | os.PathLike[str],
    *,
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> BodsFile:
    """Check every statement of a BODS file (a JSON array or JSON Lines; 0.4, 0.3 or
    0.2), reading it a statement at a time.

    Raises
    ------
    BadInput
        With every problem found, each at its statement's JSON pointer (``/12/...``)
        or, in JSON Lines, its line (``13:/...``).
    """
    name = str(path)
    placed = placed_statements(path)
    if not isinstance(placed, Iterator):  # neither an array nor JSON Lines
        raise BadInput(validate_bods(placed, name, schema_dir=schema_dir))
    first = [placed]

    def statements() -> Iterable[Placed]:
        if first:
            return first.pop()
        again = placed_statements(path)
        assert isinstance(again, Iterator)
        return again

    checker = checked(name, statements, schema_dir)
    problems = checker.finish()
    if problems:
        raise BadInput(problems)
    version = checker.version or "0.4"
    return BodsFile(name, version, checker.count, checker.json_lines, base, checker, statements)


def read_bods(
    path: str | os.PathLike[str],
    *,
    base: str = BODS_BASE,
    schema_dir: str | os.PathLike[str] | None = None,
) -> Graph:
    """Read a BODS file (see :func:`open_bods`) into groupkg RDF, in one graph."""
    graph = Graph()
    for triple in open_bods(path, base=base, schema_dir=schema_dir).triples():
        graph.add(triple)
    return graph
