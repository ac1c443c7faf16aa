"""BODS statements checked one at a time, as they are read: each against the schema of
its version (:mod:`~groupkg.graph.formats.bods.schema`), 0.2 and 0.3 ones then mapped
onto 0.4 (:mod:`~groupkg.graph.formats.bods.legacy`), and all against the rules a graph
needs (statement ids unique, references to records of the right kind, share ranges not
empty, intervals in order). Only what those rules need is kept between statements.

One file holds one version: a statement that names another (``bodsVersion``) than the
first statement of the file is refused; statements that name none are read as the
version of the file (0.4 when it has a ``recordType``, 0.2 for a ``statementType``).
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import reprlib
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from jsonschema.exceptions import ValidationError

from groupkg.graph.errors import ImportProblem
from groupkg.graph.formats.bods.legacy import (
    KNOWN_VERSIONS,
    RecordIds,
    as_bods_04,
    shape_version,
    statement_version,
)
from groupkg.graph.formats.bods.schema import document_validator, schema_problems
from groupkg.graph.formats.bods.stream import Placed
from groupkg.graph.formats.identifiers import identifier_problem

__all__ = ["StatementChecker", "checked", "validate_bods"]

_RECORD_TYPES = ("entity", "person", "relationship")

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxlevel = 60, 60, 3, 3, 2
# What the 0.4 paths of the graph rules are called in a 0.2/0.3 statement.
_LEGACY_PATH = {"statementId": "statementID", "recordType": "statementType"}


def _digest(identifier: str) -> int:
    return int.from_bytes(hashlib.blake2b(identifier.encode(), digest_size=8).digest(), "big")


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _who(statement: Any, index: int | None) -> str:
    """How a message names a statement: its statementId, else its recordId, else its place."""
    if isinstance(statement, dict):
        for key, word in (("statementId", "statement"), ("statementID", "statement")):
            if isinstance(statement.get(key), str):
                return f"{word} {statement[key]}"
        if isinstance(statement.get("recordId"), str):
            return f"record {statement['recordId']}"
    return f"statement #{index}" if index is not None else "the document"


def _message(error: ValidationError) -> str:
    text = error.message
    long_repr = repr(error.instance)
    if len(long_repr) > 60 and text.startswith(long_repr):
        text = _SHORT.repr(error.instance) + text[len(long_repr) :]
    if error.context and error.validator in ("anyOf", "oneOf"):
        reasons = sorted({_message(sub) for sub in error.context if sub.validator != "type"})
        reasons = reasons or sorted({_message(sub) for sub in error.context})
        text += " (" + "; ".join(reasons[:4]) + ")"
    return text


def _field(path: Sequence[Any], error: ValidationError) -> str:
    names = [p for p in path if isinstance(p, str)]
    field_name = names[-1] if names else "statements"
    if error.validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        field_name = match.group(1) if match else field_name
    return field_name


def _share_bounds(share: dict[str, Any]) -> tuple[Any, Any]:
    low = share.get("exclusiveMinimum", share.get("minimum"))
    high = share.get("exclusiveMaximum", share.get("maximum"))
    return low, high


class StatementChecker:
    """The problems of a file's statements, fed in file order; :meth:`finish` gives them
    all, in the order a reader finds them easiest to follow (by place, then the rules
    between statements)."""

    def __init__(self, file: str, schema_dir: str | os.PathLike[str] | None = None):
        self.file = file
        self.schema_dir = schema_dir
        self.version: str | None = None
        self.first: str = ""
        self.count = 0
        self.records = RecordIds()
        self._schema: list[tuple[list[str], ImportProblem]] = []
        self._identity: list[ImportProblem] = []
        self._local: list[tuple[tuple[int, int, int], ImportProblem]] = []
        self.json_lines = False
        # Kept for every statement, so kept small: where a statementId was first used
        # (an index, or a line), and each record's kind, first place and statements
        # packed in one int (see kind), both keyed by the 64-bit digest of the id (a
        # collision is a chance of one in billions at a million statements).
        self._first_id: dict[int, int] = {}
        self._kinds: dict[int, int] = {}
        #: The indexes of statements with problems of their own.
        self.refused: set[int] = set()
        #: The subjects of relationships with an unspecified interested party.
        self.unspecified_party_subjects: set[str] = set()

    def _add(self, placed: Placed, statement: Any, path: Sequence[Any], name: str, why: str):
        if self.version != "0.4":
            path = [p for p in path if p != "recordDetails"]
            path = [_LEGACY_PATH.get(p, p) if isinstance(p, str) else p for p in path]
            name = _LEGACY_PATH.get(name, name)
        where = placed.location(_pointer(path))
        return ImportProblem(self.file, where, name, f"{why} ({_who(statement, placed.index)})")

    def _version(self, placed: Placed) -> str | None:
        """The version of a statement, or None (with a problem) when it cannot be read."""
        raw = placed.statement
        named = statement_version(raw)
        version = named or self.version or shape_version(raw)
        if named is not None and named not in KNOWN_VERSIONS:
            why = f"BODS {named} is not read (BODS {', '.join(KNOWN_VERSIONS)} are)"
        elif self.version is None:
            self.version, self.first = version, _who(raw, placed.index)
            return version
        elif version != self.version:
            why = f"BODS {version} in a file of BODS {self.version} (as {self.first} says)"
        else:
            return version
        where = placed.location("/publicationDetails/bodsVersion")
        self._identity.append(ImportProblem(self.file, where, "bodsVersion", why))
        return None

    def _where(self, number: int) -> str:
        return f"{number}:" if self.json_lines else f"/{number}"

    def kind(self, record_id: str) -> tuple[str, int, int] | None:
        """A record's type, the place of its first statement and its statements."""
        packed = self._kinds.get(_digest(record_id))
        if packed is None:
            return None
        return _RECORD_TYPES[packed & 3], packed >> 34, (packed >> 2) & (2**32 - 1)

    def check(self, placed: Placed) -> dict[str, Any] | None:
        """Check one statement; its 0.4 form when it has no problem of its own."""
        self.count += 1
        self.json_lines = placed.json_lines
        raw = placed.statement
        version = self._version(placed)
        if version is None:
            self.refused.add(placed.index)
            return None
        errors = schema_problems(raw, version, self.schema_dir)
        for path, error in errors:
            who = _who(raw, placed.index)
            reason = f"{_message(error)} ({who}; schema rule: {error.validator})"
            problem = ImportProblem(
                self.file, placed.location(_pointer(path)), _field(path, error), reason
            )
            self._schema.append(([str(placed.index), *map(str, path)], problem))
        if errors:
            self.refused.add(placed.index)
            return None
        st = raw if version == "0.4" else as_bods_04(raw, self.records)
        self._identities(placed, st)
        self._identifiers(placed, st)
        if st["recordType"] == "relationship":
            self._relationship(placed, st)
        return st

    def _identities(self, placed: Placed, st: dict[str, Any]) -> None:
        statement_id, record_id = _digest(st["statementId"]), _digest(st["recordId"])
        if statement_id in self._first_id:
            also = f"also used by {self._where(self._first_id[statement_id])}"
            self._identity.append(self._add(placed, st, ["statementId"], "statementId", also))
        self._first_id.setdefault(statement_id, placed.number)
        code = _RECORD_TYPES.index(st["recordType"])
        packed = self._kinds.get(record_id, code | (placed.number << 34)) + 4
        self._kinds[record_id] = packed
        kind, first = _RECORD_TYPES[packed & 3], packed >> 34
        if kind != st["recordType"]:
            why = f"record {st['recordId']} is a {kind} record at {self._where(first)}"
            self._identity.append(self._add(placed, st, ["recordType"], "recordType", why))

    def _identifiers(self, placed: Placed, st: dict[str, Any]) -> None:
        """Refuse an identifier whose check digits are wrong (see
        :mod:`~groupkg.graph.formats.identifiers`)."""
        for k, ident in enumerate(st["recordDetails"].get("identifiers") or []):
            scheme, value = ident.get("scheme"), ident.get("id")
            problem = identifier_problem(scheme, value) if scheme and value else None
            if problem and problem.typo:
                at = ["recordDetails", "identifiers", k, "id"]
                found = self._add(placed, st, at, "identifiers", str(problem))
                self._local.append(((placed.index, 2, k), found))

    def _relationship(self, placed: Placed, st: dict[str, Any]) -> None:
        details, i = st["recordDetails"], placed.index
        seq = 0

        def local(path: list[Any], name: str, why: str) -> None:
            nonlocal seq
            seq += 1
            self._local.append(((i, 1, seq), self._add(placed, st, path, name, why)))

        for k, interest in enumerate(details.get("interests") or []):
            at = ["recordDetails", "interests", k]
            share = interest.get("share") or {}
            for key, value in share.items():
                # Python's JSON reader takes NaN and Infinity, and the schema's bounds
                # never compare false against NaN.
                if isinstance(value, float) and not math.isfinite(value):
                    local([*at, "share", key], "share", f"{key} {value} is not a finite number")
            low, high = _share_bounds(share)
            exclusive = "exclusiveMinimum" in share or "exclusiveMaximum" in share
            if low is not None and high is not None and (low > high or (low == high and exclusive)):
                local([*at, "share"], "share", f"the range from {low} to {high} is empty")
            start, end = interest.get("startDate"), interest.get("endDate")
            if start and end and end < start:
                local([*at, "endDate"], "endDate", f"{end} is before startDate {start}")

    def references(self, placed: Placed, st: dict[str, Any]) -> None:
        """Check the records a relationship statement refers to (once every record of
        the file is known: on a second reading)."""
        if st["recordType"] != "relationship":
            return
        details = st["recordDetails"]
        if not isinstance(details["interestedParty"], str) and isinstance(details["subject"], str):
            self.unspecified_party_subjects.add(details["subject"])
        wanted_of = {"subject": {"entity"}, "interestedParty": {"entity", "person"}}
        for role, wanted in wanted_of.items():
            ref, kind = details[role], None
            if isinstance(ref, str):
                found = self.kind(ref)
                kind = found[0] if found else None
            # A record not in this file is one published elsewhere: its IRI links up.
            if kind is not None and kind not in wanted:
                why = f"record {ref!r} is a {kind} record, not " + " or ".join(sorted(wanted))
                path = ["recordDetails", role]
                problem = self._add(placed, st, path, role, why)
                self._local.append(((placed.index, 0, 0), problem))

    def finish(self) -> list[ImportProblem]:
        """Every problem found, the references between records checked last."""
        self._schema.sort(key=lambda item: item[0])
        self._local.sort(key=lambda item: item[0])
        return [p for _, p in self._schema] + self._identity + [p for _, p in self._local]


def checked(
    file: str,
    statements: Callable[[], Iterable[Placed]],
    schema_dir: str | os.PathLike[str] | None = None,
) -> StatementChecker:
    """A checker that has read every statement ``statements()`` gives, twice: once
    for each statement's own problems, once for the references between them."""
    checker = StatementChecker(file, schema_dir)
    for placed in statements():
        checker.check(placed)
    records = RecordIds()
    for placed in statements():
        if placed.index in checker.refused:
            continue
        st = placed.statement
        checker.references(placed, st if checker.version == "0.4" else as_bods_04(st, records))
    return checker


def validate_bods(
    statements: Any, file: str = "<statements>", *, schema_dir: str | os.PathLike[str] | None = None
) -> list[ImportProblem]:
    """Every problem of a parsed BODS statement list, or ``[]`` when it can be imported.

    Parameters
    ----------
    statements
        The parsed JSON: a list of statements (0.4, or 0.2 or 0.3).
    file
        The name problems are reported against.
    schema_dir
        A folder with the BODS 0.4 ``statement.json`` and its companions; by default
        the copy bundled with groupkg.

    Returns
    -------
    list of ImportProblem
        Located by JSON pointer (``/0/recordDetails/interests/0/share/exact``); the
        field is the property at fault (for a missing property, the one missing); the
        reason gives the schema's message, the statement's id and the schema rule.

    Examples
    --------
    >>> for problem in validate_bods({"not": "a list"}, "x.json"):
    ...     print(problem.location == "", problem.field, problem.reason)
    True statements {'not': 'a list'} is not of type 'array' (the document; schema rule: type)
    """
    if not isinstance(statements, list):
        validator = document_validator(None if schema_dir is None else str(schema_dir))
        return [
            ImportProblem(
                file, "", "statements", f"{_message(e)} (the document; schema rule: {e.validator})"
            )
            for e in validator.iter_errors(statements)
        ]
    placed = [Placed(index, f"/{index}", statement) for index, statement in enumerate(statements)]
    return checked(file, lambda: placed, schema_dir).finish()
