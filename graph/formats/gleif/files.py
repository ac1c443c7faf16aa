"""A GLEIF golden-copy file opened as published: CSV or XML, plain or the one file of a
``.zip``; which GLEIF file it is (Level 1 LEI records, Level 2 relationship records or
reporting exceptions), told by its header row or root element; and its records, row
after row, each as a mapping of golden-copy CSV column names to text.

An XML file is first read once by :func:`~groupkg.graph.formats.fileguard.check_xml`
(no entity declarations, no external references, bounded nesting), then streamed with
lxml's ``iterparse`` with entities left unresolved, no network and lxml's limits on
text size kept (``huge_tree=False``); each record is cleared once read, so memory
stays flat. A record's elements are flattened to the names the CSV golden copy gives
the same fields (:mod:`~groupkg.graph.formats.gleif.xmlrecords`), so one mapping
serves both.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from lxml import etree

from groupkg.graph.errors import BadInput, ImportProblem, InputError
from groupkg.graph.formats.fileguard import check_xml
from groupkg.graph.formats.gleif.xmlrecords import RECORD_TAGS, flatten
from groupkg.graph.formats.gleifheads import NAMESPACES, kind_of_head

__all__ = ["SNIFF_BYTES", "Record", "Records", "open_member", "opened_records", "sniff"]

Record = tuple[int, dict[str, str]]  # the line a record starts on, its fields

_MEMBER_SUFFIXES = (".csv", ".xml")
SNIFF_BYTES = 1 << 16


@contextmanager
def open_member(path: str | os.PathLike[str]) -> Iterator[tuple[IO[bytes], str]]:
    """The bytes of ``path``, or of the one CSV or XML file of a zip archive, and the
    name of what is read (the member's name for a zip)."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            members = [
                m
                for m in archive.namelist()
                if m.lower().endswith(_MEMBER_SUFFIXES) and not m.startswith("__MACOSX/")
            ]
            if len(members) != 1:
                raise InputError(
                    f"{path}: a GLEIF zip must hold exactly one CSV or XML file, not {len(members)}"
                )
            if archive.getinfo(members[0]).flag_bits & 0x1:  # zipfile would raise RuntimeError
                problem = f"{members[0]} is encrypted: give the archive without a password"
                raise BadInput([ImportProblem(str(path), 1, "(zip)", problem)])
            with archive.open(members[0]) as raw:
                yield raw, members[0]
    else:
        with open(path, "rb") as raw:
            yield raw, os.path.basename(path)


class _Rows:
    """A :class:`csv.DictReader` that also tells the line each row starts on."""

    def __init__(self, stream: IO[str]):
        self.reader = csv.DictReader(stream)
        self.fieldnames = [name.strip() for name in self.reader.fieldnames or []]
        self.reader.fieldnames = self.fieldnames
        self.end = self.reader.line_num

    def __iter__(self) -> Iterator[Record]:
        for row in self.reader:
            start, self.end = self.end + 1, self.reader.line_num
            yield start, row


class Records:
    """The records of an open GLEIF file: ``columns`` (a CSV's header; for XML, the
    columns of the records read so far do not matter: each record brings its own) and
    the records themselves; ``line`` is where reading stopped, for a file-wide error."""

    def __init__(self, raw: IO[bytes], name: str, kind: str, syntax: str):
        self.name, self.kind, self.syntax, self.line = name, kind, syntax, 0
        self.columns: list[str] = []
        if syntax == "csv":
            self.rows = _Rows(io.TextIOWrapper(raw, encoding="utf-8-sig", newline=""))
            self.columns = self.rows.fieldnames
        self.raw = raw

    def __iter__(self) -> Iterator[Record]:
        if self.syntax == "csv":
            for line, row in self.rows:
                self.line = line
                yield line, row
            return
        yield from self._xml()

    def _xml(self) -> Iterator[Record]:
        namespace = NAMESPACES[self.kind]
        tag = f"{{{namespace}}}{RECORD_TAGS[self.kind]}"
        events = etree.iterparse(
            self.raw,
            events=("end",),
            tag=tag,
            resolve_entities=False,
            no_network=True,
            huge_tree=False,
            load_dtd=False,
        )
        try:
            for _, element in events:
                self.line = element.sourceline or 0
                yield self.line, flatten(self.kind, element, namespace)
                element.clear(keep_tail=False)
                while element.getprevious() is not None:  # the records already read
                    del element.getparent()[0]
        except etree.XMLSyntaxError as exc:
            line = exc.lineno or self.line
            # lxml's limits (a text over 10 MB, say) name the option that would lift
            # them; a user cannot pass it, and should not.
            reason = re.sub(r",? try XML_PARSE_HUGE", "", exc.msg or "not well-formed")
            problem = ImportProblem(self.name, line, "(xml)", f"refused: {reason}")
            raise BadInput([problem]) from None


def sniff(path: str | os.PathLike[str]) -> tuple[str, str] | None:
    """(kind, syntax) of a GLEIF file or of the one file of its zip (see
    :func:`kind_of_head`), or None when it is no GLEIF file."""
    with open_member(path) as (raw, _):
        return kind_of_head(raw.read(SNIFF_BYTES))


@contextmanager
def opened_records(path: str | os.PathLike[str], kind: str, syntax: str) -> Iterator[Records]:
    """The records of a GLEIF file; an XML file is read once by the guard first."""
    if syntax == "xml":
        with open_member(path) as (raw, _):
            check_xml(Path(path), stream=raw)
    with open_member(path) as (raw, _):
        yield Records(raw, str(path), kind, syntax)
