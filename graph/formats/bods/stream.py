"""The statements of a BODS file, one at a time: a JSON array streamed with ijson, or
JSON Lines (one statement a line, as BODS 0.4 allows) read line by line, so memory
holds one statement, however large the file.

Each statement comes with its index and where problems in it are reported: a JSON
pointer to it (``/12``) in an array, its line (``13:``) in JSON Lines. A file that is
not JSON, not UTF-8, truncated, nested too deep or with a number too large to read is
refused with the statement (or line) where reading stopped.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import ijson

from groupkg.graph.errors import BadInput, ImportProblem, InputError

__all__ = ["Placed", "is_json_lines", "placed_statements"]

# Deeper than any BODS statement nests (about 8 levels): deeper input is hostile.
MAX_DEPTH = 64


@dataclass(frozen=True)
class Placed:
    """A statement, its index in the file, and the prefix of problem locations in it."""

    index: int
    where: str
    statement: Any

    @property
    def json_lines(self) -> bool:
        return not self.where.startswith("/")

    @property
    def number(self) -> int:
        """The statement's index in an array, its line in JSON Lines."""
        return int(self.where.strip("/:"))

    def location(self, pointer: str) -> str:
        """Where a problem at ``pointer`` (inside the statement) is: ``/3/recordId``
        in an array, ``4:/recordId`` (line 4) in JSON Lines."""
        return (self.where + pointer).rstrip(":")


def _depth(value: Any, limit: int = MAX_DEPTH) -> int:
    """How deep ``value`` nests, counting no further than ``limit``."""
    deepest, todo = 0, [(value, 1)]
    while todo:
        item, level = todo.pop()
        if level > limit:
            return level
        deepest = max(deepest, level)
        if isinstance(item, dict):
            todo.extend((v, level + 1) for v in item.values())
        elif isinstance(item, list):
            todo.extend((v, level + 1) for v in item)
    return deepest


def _first_byte(stream: IO[bytes]) -> bytes:
    while chunk := stream.read(1):
        if not chunk.isspace():
            stream.seek(stream.tell() - 1)
            return chunk
    return b""


def is_json_lines(path: str | os.PathLike[str]) -> bool:
    """Whether a file is JSON Lines: its first line is a whole JSON object."""
    with Path(path).open("rb") as stream:
        if _first_byte(stream) != b"{":
            return False
        try:
            return isinstance(json.loads(stream.readline()), dict)
        except (ValueError, RecursionError):
            return False


def _refused(name: str, where: str, reason: str) -> BadInput:
    return BadInput([ImportProblem(name, where.rstrip(":") or 1, "(json)", reason)])


def _checked(name: str, placed: Placed) -> Placed:
    if _depth(placed.statement) > MAX_DEPTH:
        raise _refused(name, placed.where, f"nested more than {MAX_DEPTH} levels deep")
    return placed


# yajl reads integers as 64 bits: a file with a larger one is read again by ijson's
# pure Python parser, which reads any integer (slower, and only then).
_PARSERS = (ijson, ijson.get_backend("python"))
# ijson builds every statement of a buffer before giving the first: a small buffer
# holds few statements at once.
_BUFFER = 1 << 14


def _nesting(path: str | os.PathLike[str]) -> int:
    """How deep the brackets of a file nest, counting those inside strings too (so
    never less than the JSON's depth), up to :data:`MAX_DEPTH` + 1: ijson's cost grows
    with the square of the depth, and deep input is refused before it is parsed."""
    depth = deepest = 0
    with Path(path).open("rb") as stream:
        while chunk := stream.read(_BUFFER):
            for byte in chunk.translate(None, _NOT_BRACKETS):
                depth += 1 if byte in _OPENING else -1
                if depth > deepest:
                    deepest = depth
                    if deepest > MAX_DEPTH:
                        return deepest
    return deepest


_OPENING = b"[{"
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def _array(name: str, path: str | os.PathLike[str]) -> Iterator[Placed]:
    done = 0
    if _nesting(path) > MAX_DEPTH:
        whole = _parsed_whole(name, path)
        if whole is None:
            raise _refused(name, "/0", f"nested more than {MAX_DEPTH} levels deep")
        yield from _listed(name, whole, done)
        return
    for parser in _PARSERS:
        try:
            with Path(path).open("rb") as stream:
                _first_byte(stream)
                items = parser.items(stream, "item", use_float=True, buf_size=_BUFFER)
                for index, statement in enumerate(items):
                    if index >= done:
                        yield _checked(name, Placed(index, f"/{index}", statement))
                        done = index + 1
            return
        except (ijson.JSONError, ValueError, RecursionError) as exc:
            text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            if "integer overflow" in text and parser is not _PARSERS[-1]:
                continue
            whole = _parsed_whole(name, path)
            if whole is None:
                raise _refused(name, f"/{done}", f"cannot be read: {text}") from None
            break
    yield from _listed(name, whole, done)


def _listed(name: str, whole: Any, done: int) -> Iterator[Placed]:
    """The statements of a file read whole, from the ``done``-th on."""
    if not isinstance(whole, list):  # cannot be: the file starts with "["
        raise _refused(name, "/0", "not a JSON array")
    for index in range(done, len(whole)):
        yield _checked(name, Placed(index, f"/{index}", whole[index]))


# A file up to this size that ijson cannot read is read whole by Python's JSON reader
# (see _parsed_whole); a larger one is reported at the statement reached.
WHOLE_PARSE_LIMIT = 64 << 20


def _parsed_whole(name: str, path: str | os.PathLike[str]) -> Any:
    """A small file ijson cannot read, read whole by Python's JSON reader: it takes
    NaN and Infinity (which the checks then refuse where they stand), and says on
    which line and column a file stops being JSON (raised as BadInput). None for a
    file too large to read whole."""
    if Path(path).stat().st_size > WHOLE_PARSE_LIMIT:
        return None
    return _document(name, path)


def _lines(name: str, path: str | os.PathLike[str]) -> Iterator[Placed]:
    with Path(path).open("rb") as stream:
        yield from _numbered(name, stream)


def _numbered(name: str, stream: IO[bytes]) -> Iterator[Placed]:
    index = 0
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            statement = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as exc:
            raise _refused(name, f"{number}:", f"not UTF-8: {exc}") from None
        except json.JSONDecodeError as exc:
            raise _refused(name, f"{number}:", f"{exc.msg} at column {exc.colno}") from None
        except (ValueError, RecursionError) as exc:  # a 5,000-digit number, say
            raise _refused(name, f"{number}:", f"cannot be read: {exc}") from None
        placed = Placed(index, f"{number}:", statement)
        # A line with fewer brackets than the limit cannot nest deeper than it: only
        # a line with more is walked (a statement has a dozen or two).
        deep = raw.count(b"{") + raw.count(b"[") >= MAX_DEPTH
        yield _checked(name, placed) if deep else placed
        index += 1


def _document(name: str, path: str | os.PathLike[str]) -> Any:
    """A file that is neither an array nor JSON Lines, read whole (its problems say why)."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise BadInput(
            [ImportProblem(name, exc.lineno, "(json)", f"{exc.msg} at column {exc.colno}")]
        ) from None
    except UnicodeDecodeError as exc:
        raise BadInput([ImportProblem(name, 1, "(file)", f"not UTF-8: {exc}")]) from None
    except (ValueError, RecursionError) as exc:
        raise BadInput([ImportProblem(name, 1, "(json)", f"cannot be read: {exc}")]) from None


def placed_statements(path: str | os.PathLike[str]) -> Iterator[Placed] | Any:
    """The statements of the file at ``path``, placed, as an iterator; or, for a file
    that is neither a JSON array nor JSON Lines, the parsed document.

    Raises
    ------
    BadInput
        When the file cannot be read as JSON (as the iterator reaches the fault).
    InputError
        When the file cannot be opened.
    """
    name = str(path)
    try:
        with Path(path).open("rb") as stream:
            first = _first_byte(stream)
    except OSError as exc:
        raise InputError(f"{name}: cannot read it ({exc.strerror or exc})", file=name) from None
    if first == b"[":
        return _array(name, path)
    if first == b"{" and is_json_lines(path):
        return _lines(name, path)
    return _document(name, path)
