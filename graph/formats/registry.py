"""Every file format groupkg reads or writes, each once: its ``--format`` name, its
suffixes and media types, and its reader (:mod:`~groupkg.graph.formats.readers`) and
writer (:mod:`~groupkg.graph.formats.writers`). ``groupkg import``, ``--data``,
``groupkg validate`` and ``groupkg export`` all ask this module, so a file means the
same to every command.

What a file is, when no ``--format`` is given:

- its suffix: an RDF syntax by the suffix Oxigraph names it by
  (:meth:`pyoxigraph.RdfFormat.from_extension`), and ``.turtle``, ``.json``, ``.xml``
  and ``.owl`` beside; not by every suffix Oxigraph takes: it reads ``.txt`` as
  N-Triples, which would make any text file RDF;
- where a suffix is shared, its content: a ``.json`` file is JSON-LD when one of its
  keys is a JSON-LD keyword (``"@context"``, ``"@id"``, ``"@graph"``...), else a BODS
  statement list; a ``.csv``, ``.xml`` or ``.zip`` file (the one file inside, for a
  zip) is a GLEIF golden copy when its header row names GLEIF's columns or its root
  element is in a GLEIF namespace (:mod:`~groupkg.graph.formats.gleifheads`):
  relationship records are ``gleif-rr``, Level 1 LEI records and reporting exceptions
  ``gleif``; else a ``.csv`` is the CSV holdings format, a ``.xml`` RDF/XML, and a
  ``.zip`` ``gleif-rr`` (whose reader says what the archive lacks).

Only the first :data:`SNIFF_BYTES` of a file are looked at.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.formats.gleifheads import kind_of_head
from groupkg.graph.formats.readers import (
    Reader,
    rdf_reader,
    read_bods_statements,
    read_csv_holdings,
    read_gleif_files,
    read_gleif_relationships,
)
from groupkg.graph.formats.writers import (
    Writer,
    rdf_writer,
    write_bods_statements,
    write_csv_holdings,
    write_graphml,
)

__all__ = [
    "FORMATS",
    "SNIFF_BYTES",
    "FileFormat",
    "by_media_type",
    "by_name",
    "format_of",
    "rdf_suffixes",
    "readable_names",
    "readable_suffixes",
    "writable_names",
]

SNIFF_BYTES = 1 << 16


@dataclass(frozen=True)
class FileFormat:
    """One file format: ``name`` is what ``--format`` takes."""

    name: str
    title: str
    suffixes: tuple[str, ...]
    media_types: tuple[str, ...]
    reader: Reader | None = None
    writer: Writer | None = None
    syntax: ox.RdfFormat | None = None  # an RDF syntax, as Oxigraph parses and writes it

    @property
    def readable(self) -> bool:
        return self.reader is not None

    @property
    def writable(self) -> bool:
        return self.writer is not None


def _rdf(name: str, *more_suffixes: str, writes: bool = True) -> FileFormat:
    """An RDF syntax by the suffix Oxigraph knows it by, its media type Oxigraph's."""
    syntax = ox.RdfFormat.from_extension(name)
    assert syntax is not None, name
    return FileFormat(
        name,
        syntax.name,
        (f".{name}", *more_suffixes),
        (syntax.media_type,),
        reader=rdf_reader(syntax),
        writer=rdf_writer(syntax) if writes else None,
        syntax=syntax,
    )


def _gleif(name: str, title: str, reader: Reader) -> FileFormat:
    """A GLEIF golden-copy format: CSV or XML, or a zip holding one."""
    return FileFormat(
        name,
        title,
        (".csv", ".xml", ".zip"),
        ("text/csv", "application/xml", "application/zip"),
        reader=reader,
    )


# In the order ``--format`` lists them.
FORMATS = (
    _rdf("ttl", ".turtle"),
    _rdf("nt"),
    _rdf("nq", writes=False),
    _rdf("jsonld", ".json"),
    _rdf("trig"),
    _rdf("rdf", ".xml", ".owl", writes=False),
    FileFormat(
        "bods",
        "BODS statements",
        (".json", ".jsonl"),
        ("application/json",),
        reader=read_bods_statements,
        writer=write_bods_statements,
    ),
    FileFormat(
        "csv",
        "CSV holdings",
        (".csv",),
        ("text/csv",),
        reader=read_csv_holdings,
        writer=write_csv_holdings,
    ),
    _gleif("gleif-rr", "GLEIF relationship records", read_gleif_relationships),
    _gleif(
        "gleif",
        "GLEIF golden copy: Level 1 LEI records, relationship records, reporting exceptions",
        read_gleif_files,
    ),
    FileFormat(
        "graphml", "GraphML", (".graphml",), ("application/graphml+xml",), writer=write_graphml
    ),
)
_BY_NAME = {f.name: f for f in FORMATS}
_BY_SYNTAX = {f.syntax: f for f in FORMATS if f.syntax is not None}
# A suffix shared by two formats (.json, .csv) is settled by content in format_of.
_BY_SUFFIX = {suffix: f for f in reversed(FORMATS) for suffix in f.suffixes}

_JSON_LD_KEY = re.compile(
    rb'"@(context|id|graph|type|value|list|set|reverse|included|nest|vocab|base|language)"\s*:'
)


def readable_names() -> tuple[str, ...]:
    """The names ``import --format`` takes."""
    return tuple(f.name for f in FORMATS if f.readable)


def writable_names() -> tuple[str, ...]:
    """The names ``export --format`` takes.

    >>> writable_names()
    ('ttl', 'nt', 'jsonld', 'trig', 'bods', 'csv', 'graphml')
    """
    return tuple(f.name for f in FORMATS if f.writable)


def readable_suffixes() -> tuple[str, ...]:
    """Every suffix a file to read may have, each once.

    >>> ", ".join(readable_suffixes())
    '.ttl, .turtle, .nt, .nq, .jsonld, .json, .trig, .rdf, .xml, .owl, .jsonl, .csv, .zip'
    """
    found = (s for f in FORMATS if f.readable for s in f.suffixes)
    return tuple(dict.fromkeys(found))


def rdf_suffixes() -> tuple[str, ...]:
    """The suffixes of RDF files (a ``.json`` or ``.xml`` file may still be other).

    >>> ", ".join(sorted(rdf_suffixes()))
    '.json, .jsonld, .nq, .nt, .owl, .rdf, .trig, .ttl, .turtle, .xml'
    """
    return tuple(s for f in FORMATS if f.syntax is not None for s in f.suffixes)


def by_name(name: str, *, writing: bool = False) -> FileFormat:
    """The format ``--format NAME`` means, or an InputError listing the names.

    >>> by_name("ttl").title
    'Turtle'
    >>> try:
    ...     by_name("x", writing=True)
    ... except InputError as exc:
    ...     print(exc)
    --format: 'x' is not one of ttl, nt, jsonld, trig, bods, csv, graphml
    """
    found = _BY_NAME.get(name)
    if found is None or not (found.writable if writing else found.readable):
        names = writable_names() if writing else readable_names()
        raise InputError(f"--format: {name!r} is not one of {', '.join(names)}")
    return found


def by_media_type(media_type: str) -> FileFormat | None:
    """The format of a media type (parameters ignored); RDF as Oxigraph reads it.

    >>> by_media_type("application/x-turtle; charset=utf-8").name
    'ttl'
    >>> by_media_type("text/csv").name
    'csv'
    """
    base = media_type.split(";")[0].strip().lower()
    syntax = ox.RdfFormat.from_media_type(base)
    if syntax is not None:
        return _BY_SYNTAX.get(syntax)
    return next((f for f in FORMATS if base in f.media_types), None)


def _head(path: Path) -> bytes:
    """The start of the file; nothing when it cannot be read (its reader says why)."""
    try:
        with path.open("rb") as stream:
            return stream.read(SNIFF_BYTES)
    except OSError:
        return b""


def _zipped_head(path: Path) -> bytes:
    """The start of the one CSV or XML file of a zip archive; nothing when there is not
    exactly one, or it cannot be read (the reader says why)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = [m for m in archive.namelist() if m.lower().endswith((".csv", ".xml"))]
            if len(members) != 1:
                return b""
            with archive.open(members[0]) as stream:
                return stream.read(SNIFF_BYTES)
    except (OSError, zipfile.BadZipFile, zlib.error, RuntimeError, NotImplementedError, EOFError):
        return b""


def format_of(path: Path) -> FileFormat | None:
    """The format of a file from its suffix, and its content where the suffix is shared
    (see the module's description); None when the suffix is none of :data:`FORMATS`.

    """
    suffix = path.suffix.lower()
    if suffix in (".zip", ".csv", ".xml"):
        found = kind_of_head(_head(path) if suffix != ".zip" else _zipped_head(path))
        if found is not None:
            return _BY_NAME["gleif-rr" if found[0] == "rr" else "gleif"]
        if suffix == ".zip":
            return _BY_NAME["gleif-rr"]  # its reader says what the archive lacks
        if suffix == ".csv":
            return _BY_NAME["csv"]
    if suffix == ".json":
        return _BY_NAME["jsonld" if _JSON_LD_KEY.search(_head(path)) else "bods"]
    return _BY_SUFFIX.get(suffix)
