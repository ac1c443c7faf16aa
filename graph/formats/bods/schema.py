"""A BODS 0.4 statement list checked before anything is read from it: against the
official JSON Schema (bundled in ``bods_schema/``, references resolved from those files
only), then against the rules a graph needs (statement ids unique, references to
records of the right kind, share ranges not empty, intervals in order).
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import reprlib
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from groupkg.graph.errors import ImportProblem

__all__ = ["is_uri", "validate_bods"]

# ---- the schema ----

_FORMATS = FormatChecker(formats=())
_URI = re.compile(
    r"^[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$"
)
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")


@_FORMATS.checks("date")
def _is_date(value: object) -> bool:
    """RFC 3339 full-date."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DAY.match(value)) and bool(dt.date.fromisoformat(value))
    except ValueError:
        return False


@_FORMATS.checks("date-time")
def _is_date_time(value: object) -> bool:
    """RFC 3339 date-time (a time zone is required)."""
    if not isinstance(value, str):
        return True
    try:
        return bool(_DATE_TIME.match(value)) and bool(dt.datetime.fromisoformat(value.upper()))
    except ValueError:
        return False


@_FORMATS.checks("uri")
def is_uri(value: object) -> bool:
    """RFC 3986 absolute URI: a scheme, a colon, and only URI characters."""
    return not isinstance(value, str) or bool(_URI.match(value))


def _schema_files(schema_dir: str | os.PathLike[str] | None) -> Traversable:
    if schema_dir is not None:
        return Path(schema_dir)
    return files("groupkg.graph.formats.bods") / "bods_schema"


@lru_cache(maxsize=4)
def _validator(schema_dir: str | None) -> Draft202012Validator:
    folder = _schema_files(schema_dir)
    registry: Registry = Registry()
    statement = None
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            contents = json.loads(item.read_text(encoding="utf-8"))
            registry = registry.with_resource(contents["$id"], Resource.from_contents(contents))
            if item.name == "statement.json":
                statement = contents
    if statement is None:
        raise FileNotFoundError(f"no statement.json in the BODS schema folder {folder}")
    return Draft202012Validator(statement, registry=registry, format_checker=_FORMATS)


# ---- validation ----

_SHORT = reprlib.Repr()
_SHORT.maxstring, _SHORT.maxother, _SHORT.maxdict, _SHORT.maxlist, _SHORT.maxlevel = 60, 60, 3, 3, 2


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _who(statements: Any, index: Any) -> str:
    """How a message names a statement: its statementId, else its recordId, else its place."""
    statement = statements[index] if isinstance(index, int) else None
    if isinstance(statement, dict):
        for key, word in (("statementId", "statement"), ("recordId", "record")):
            if isinstance(statement.get(key), str):
                return f"{word} {statement[key]}"
    return f"statement #{index}" if isinstance(index, int) else "the document"


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


def _schema_problem(file: str, error: ValidationError, statements: Any) -> ImportProblem:
    path = list(error.absolute_path)
    names = [p for p in path if isinstance(p, str)]
    field_name = names[-1] if names else "statements"
    if error.validator == "required":
        match = re.match(r"^'(.+)' is a required property$", error.message)
        field_name = match.group(1) if match else field_name
    who = _who(statements, path[0] if path else None)
    reason = f"{_message(error)} ({who}; schema rule: {error.validator})"
    return ImportProblem(file, _pointer(path), field_name, reason)


def _share_bounds(share: dict[str, Any]) -> tuple[Any, Any]:
    low = share.get("exclusiveMinimum", share.get("minimum"))
    high = share.get("exclusiveMaximum", share.get("maximum"))
    return low, high


def _semantic_problems(file: str, statements: list[Any], skip: set[int]) -> list[ImportProblem]:
    """What the schema cannot check: ids, references, ranges and intervals."""
    problems = []

    def add(index: int, path: Sequence[Any], field_name: str, reason: str) -> None:
        where = _pointer([index, *path])
        problems.append(
            ImportProblem(file, where, field_name, f"{reason} ({_who(statements, index)})")
        )

    first_id: dict[str, int] = {}
    kinds: dict[str, tuple[str, int]] = {}
    for i, st in enumerate(statements):
        if i in skip:
            continue
        if st["statementId"] in first_id:
            add(
                i,
                ["statementId"],
                "statementId",
                f"also used by {_pointer([first_id[st['statementId']]])}",
            )
        first_id.setdefault(st["statementId"], i)
        kind, first = kinds.setdefault(st["recordId"], (st["recordType"], i))
        if kind != st["recordType"]:
            add(
                i,
                ["recordType"],
                "recordType",
                f"record {st['recordId']} is a {kind} record at {_pointer([first])}",
            )
    for i, st in enumerate(statements):
        if i in skip or st["recordType"] != "relationship":
            continue
        details = st["recordDetails"]
        for role, wanted in (("subject", {"entity"}), ("interestedParty", {"entity", "person"})):
            ref = details[role]
            if not isinstance(ref, str):
                continue
            # A record not in this file is one published elsewhere: its IRI links up.
            if ref in kinds and kinds[ref][0] not in wanted:
                add(
                    i,
                    ["recordDetails", role],
                    role,
                    f"record {ref!r} is a {kinds[ref][0]} record, not "
                    + " or ".join(sorted(wanted)),
                )
        for k, interest in enumerate(details.get("interests") or []):
            for key, value in (interest.get("share") or {}).items():
                # Python's JSON reader takes NaN and Infinity, and the schema's bounds
                # never compare false against NaN.
                if isinstance(value, float) and not math.isfinite(value):
                    add(
                        i,
                        ["recordDetails", "interests", k, "share", key],
                        "share",
                        f"{key} {value} is not a finite number",
                    )
            low, high = _share_bounds(interest.get("share") or {})
            if (
                low is not None
                and high is not None
                and (
                    low > high
                    or (
                        low == high
                        and (
                            "exclusiveMinimum" in interest["share"]
                            or "exclusiveMaximum" in interest["share"]
                        )
                    )
                )
            ):
                add(
                    i,
                    ["recordDetails", "interests", k, "share"],
                    "share",
                    f"the range from {low} to {high} is empty",
                )
            start, end = interest.get("startDate"), interest.get("endDate")
            if start and end and end < start:
                add(
                    i,
                    ["recordDetails", "interests", k, "endDate"],
                    "endDate",
                    f"{end} is before startDate {start}",
                )
    return problems


def validate_bods(
    statements: Any, file: str = "<statements>", *, schema_dir: str | os.PathLike[str] | None = None
) -> list[ImportProblem]:
    """Every problem of a BODS 0.4 statement list, or ``[]`` when it can be imported.

    Parameters
    ----------
    statements
        The parsed JSON: a list of statements.
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
    validator = _validator(None if schema_dir is None else str(schema_dir))
    errors = sorted(
        validator.iter_errors(statements), key=lambda e: [str(p) for p in e.absolute_path]
    )
    problems = [_schema_problem(file, e, statements) for e in errors]
    if not isinstance(statements, list):
        return problems
    skip = {e.absolute_path[0] for e in errors if e.absolute_path}
    if any(not e.absolute_path for e in errors):
        return problems
    return problems + _semantic_problems(file, statements, skip)
