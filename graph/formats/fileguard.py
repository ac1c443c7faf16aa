"""Checks a hostile input file must pass before any parser sees it.

A file a user names may be built to hurt the program that reads it. Three shapes
of it are refused here, each with one line naming the file:

- **XML entities** (RDF/XML, or any other XML read): a DTD that declares entities can
  ask for gigabytes from a file of a few hundred bytes ("billion laughs"), or name an
  external file to pull in. Any ``<!ENTITY`` declaration is refused (defusedxml's
  rule); a ``<!DOCTYPE`` without one is harmless and allowed. An ontology written
  with entities (``&xsd;string``) must be saved with its IRIs written out in full.
- **Deep nesting**: RDF/XML nested thousands of elements deep parses in quadratic
  time, JSON-LD nested deep likewise, and RDF 1.2 triple terms nested deep
  (``<<( ... <<( ... )>> ... )>>``) overflow the parser's stack and end the process
  without a word. Nesting deeper than :data:`MAX_NESTING` is refused.
- **Terms over 16 MiB**: the RDF parser reads one term at a time into a buffer of at
  most 16 MiB; :func:`parse_failure` turns its complaint into the file's name.
"""

from __future__ import annotations

import mmap
import re
import xml.sax
import xml.sax.handler
from collections.abc import Iterator
from pathlib import Path
from typing import IO

import pyoxigraph as ox
from defusedxml import DefusedXmlException, EntitiesForbidden
from defusedxml.expatreader import create_parser

from groupkg.graph.errors import InputError
from groupkg.graph.store.queryguard import MAX_NESTING

__all__ = ["MAX_NESTING", "check_rdf", "check_xml", "parse_failure"]

# The deepest nesting of XML elements, JSON objects and arrays, or RDF 1.2 triple
# terms an input may have: the same bound as a query's brackets. Real data stays far
# below it (a few levels).

_CHUNK = 1 << 20

# Turtle-family tokens that may hold "<<" or ">>" as text, and the brackets themselves.
_TURTLE_TOKENS = re.compile(
    rb'"""(?:[^"\\]|\\.|"(?!""))*(?:"""|\Z)'
    rb"|'''(?:[^'\\]|\\.|'(?!''))*(?:'''|\Z)"
    rb'|"(?:[^"\\\n\r]|\\.)*"?'
    rb"|'(?:[^'\\\n\r]|\\.)*'?"
    rb"|<<|>>"
    rb"|<[^<>\"{}|^`\\\x00-\x20]*>"
    rb"|#[^\n\r]*"
    rb"|\\.",
    re.DOTALL,
)
_JSON_TOKENS = re.compile(rb'"(?:[^"\\]|\\.)*"?|[\[{]|[\]}]', re.DOTALL)


def _too_deep(path: Path, what: str, line: int | None = None) -> InputError:
    where = f", line {line}" if line else ""
    return InputError(
        f"{path}{where}: {what} nested more than {MAX_NESTING} deep; refused "
        "(such nesting only serves to exhaust the parser)"
    )


def check_rdf(path: Path, fmt: ox.RdfFormat) -> None:
    """Refuse an RDF file that is built to exhaust its parser (see the module's text).

    Raises
    ------
    InputError
        Naming the file (and the line, where known) and what is refused.
    """
    try:
        if fmt == ox.RdfFormat.RDF_XML:
            check_xml(path)
        elif fmt == ox.RdfFormat.JSON_LD:
            _check_json(path)
        else:
            _check_triple_terms(path, fmt)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", file=str(path)) from None
    except OSError as exc:
        raise InputError(
            f"{path}: cannot read it ({exc.strerror or exc})", file=str(path)
        ) from None


class _Depth(xml.sax.handler.ContentHandler):
    def __init__(self, path: Path):
        super().__init__()
        self.path, self.depth = path, 0
        self.locator: xml.sax.xmlreader.Locator | None = None

    def setDocumentLocator(self, locator: xml.sax.xmlreader.Locator) -> None:  # noqa: N802
        self.locator = locator

    def startElement(self, name: str, attrs: object) -> None:  # noqa: N802
        self.depth += 1
        if self.depth > MAX_NESTING:
            line = self.locator.getLineNumber() if self.locator else None
            raise _too_deep(self.path, "XML elements", line)

    def endElement(self, name: str) -> None:  # noqa: N802
        self.depth -= 1


def check_xml(path: Path, stream: IO[bytes] | None = None) -> None:
    """Read an XML file (or ``stream``, the bytes of ``path``'s one member of an
    archive) once with a hardened parser (defusedxml over expat): no entity
    declarations, no external references, nesting at most :data:`MAX_NESTING` deep.

    A file that is not well-formed XML is refused here too, with expat's line and reason.
    """
    parser = create_parser(forbid_dtd=False, forbid_entities=True, forbid_external=True)
    handler = _Depth(path)
    parser.setContentHandler(handler)
    parser.setFeature(xml.sax.handler.feature_external_ges, False)
    parser.setFeature(xml.sax.handler.feature_external_pes, False)
    try:
        if stream is None:
            with path.open("rb") as opened:
                parser.parse(opened)  # in blocks: flat memory
        else:
            parser.parse(stream)
    except DefusedXmlException as exc:
        line = handler.locator.getLineNumber() if handler.locator else None
        where = f", line {line}" if line else ""
        if isinstance(exc, EntitiesForbidden):
            reason = (
                "XML entity declarations are refused (their expansion can exhaust memory); "
                "write the IRIs out in full"
            )
        else:
            reason = "XML references to external files are refused"
        raise InputError(f"{path}{where}: {reason}") from None
    except xml.sax.SAXParseException as exc:
        raise InputError(
            f"{path}, line {exc.getLineNumber()}, column {exc.getColumnNumber()}: "
            f"not well-formed XML ({exc.getMessage()})"
        ) from None


def _check_json(path: Path) -> None:
    with path.open("rb") as stream:
        if not stream.read(1):
            return
        with mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
            depth = 0
            for token in _JSON_TOKENS.finditer(data):  # type: ignore[call-overload]
                first = token.group()[:1]
                if first in b"[{":
                    depth += 1
                    if depth > MAX_NESTING:
                        line = data[: token.start()].count(b"\n") + 1
                        raise _too_deep(path, "JSON objects and arrays", line)
                elif first in b"]}":
                    depth -= 1


def _has_double_angle(path: Path) -> bool:
    """Whether the file holds "<<" anywhere: read in blocks, flat memory."""
    previous = b""
    with path.open("rb") as stream:
        while chunk := stream.read(_CHUNK):
            if b"<<" in previous[-1:] + chunk:
                return True
            previous = chunk
    return False


def _triple_term_depths(data: bytes | mmap.mmap) -> Iterator[tuple[int, int]]:
    depth = 0
    for token in _TURTLE_TOKENS.finditer(data):  # type: ignore[call-overload]
        text = token.group()
        if text == b"<<":
            depth += 1
            yield depth, token.start()
        elif text == b">>":
            depth = max(depth - 1, 0)


def _check_triple_terms(path: Path, fmt: ox.RdfFormat) -> None:
    """RDF 1.2 triple terms and reifiers, ``<<`` ... ``>>``, nested at most
    :data:`MAX_NESTING` deep (quoted strings, IRIs and comments skipped)."""
    if not _has_double_angle(path):
        return
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        if fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.N_QUADS):
            start, line = 0, 1
            while (found := data.find(b"<<", start)) >= 0:
                begin = data.rfind(b"\n", 0, found) + 1
                end = data.find(b"\n", found)
                end = len(data) if end < 0 else end
                line += data[start:begin].count(b"\n") if begin > start else 0
                for depth, _ in _triple_term_depths(data[begin:end]):
                    if depth > MAX_NESTING:
                        raise _too_deep(path, "RDF triple terms", line)
                start = max(end, begin)
            return
        for depth, offset in _triple_term_depths(data):
            if depth > MAX_NESTING:
                raise _too_deep(path, "RDF triple terms", data[:offset].count(b"\n") + 1)


def parse_failure(path: Path | str, exc: MemoryError) -> InputError:
    """The RDF parser's refusal of an over-long term, told of the file."""
    reason = str(exc) or "out of memory"
    if "buffer maximal size" in reason:
        reason = "a single term (literal or IRI) is longer than the parser's 16 MiB limit"
    return InputError(f"{path}: cannot read it: {reason}", file=str(path))
