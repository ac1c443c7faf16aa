"""The official JSON Schemas of BODS, bundled and resolved from those files only: 0.4
in ``bods_schema/`` (draft 2020-12), 0.2 and 0.3 in ``bods_schema/v0.2`` and
``bods_schema/v0.3`` (draft 4, one schema per statement type); and the schema errors of
one statement of a given version. The rules a graph needs beyond the schema are in
:mod:`~groupkg.graph.formats.bods.checks`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections.abc import Callable
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator, Draft202012Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource

from groupkg.graph.formats.bods.quickcheck import quick_check

__all__ = ["LEGACY_SCHEMAS", "document_validator", "is_uri", "schema_problems"]

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


# The formats the schemas name, checked as above (jsonschema checks no other).
_FORMAT_CHECKS = {"date": _is_date, "date-time": _is_date_time, "uri": is_uri}


def _schema_files(schema_dir: str | os.PathLike[str] | None) -> Traversable:
    if schema_dir is not None:
        return Path(schema_dir)
    return files("groupkg.graph.formats.bods") / "bods_schema"


@lru_cache(maxsize=4)
def _schemas(schema_dir: str | None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The 0.4 schemas by ``$id``, and ``statement.json``."""
    folder = _schema_files(schema_dir)
    schemas: dict[str, Any] = {}
    statement = None
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            contents = json.loads(item.read_text(encoding="utf-8"))
            schemas[contents["$id"]] = contents
            if item.name == "statement.json":
                statement = contents
    if statement is None:
        raise FileNotFoundError(f"no statement.json in the BODS schema folder {folder}")
    return schemas, statement


@lru_cache(maxsize=4)
def _registry(schema_dir: str | None) -> tuple[Registry, dict[str, Any]]:
    """The 0.4 schemas as a registry, and ``statement.json``."""
    schemas, statement = _schemas(schema_dir)
    registry: Registry = Registry().with_resources(
        (uri, Resource.from_contents(contents)) for uri, contents in schemas.items()
    )
    return registry, statement


def document_validator(schema_dir: str | None) -> Draft202012Validator:
    """The validator of a whole 0.4 statement list."""
    registry, statement = _registry(schema_dir)
    return Draft202012Validator(statement, registry=registry, format_checker=_FORMATS)


_STATEMENT = "urn:statement#/$defs/Statement"


@lru_cache(maxsize=4)
def _statement_validator(schema_dir: str | None) -> Draft202012Validator:
    """The validator of one 0.4 statement (an item of ``statement.json``'s array)."""
    registry, _ = _registry(schema_dir)
    return Draft202012Validator({"$ref": _STATEMENT}, registry=registry, format_checker=_FORMATS)


@lru_cache(maxsize=4)
def _statement_quick_check(schema_dir: str | None) -> Callable[[Any], bool] | None:
    """Whether a 0.4 statement certainly has no schema error (see
    :mod:`~groupkg.graph.formats.bods.quickcheck`); None where it cannot be told."""
    schemas, _ = _schemas(schema_dir)
    return quick_check(schemas, _STATEMENT, _FORMAT_CHECKS)


#: The schema file of each 0.2/0.3 statement type.
LEGACY_SCHEMAS = {
    "entityStatement": "entity-statement.json",
    "personStatement": "person-statement.json",
    "ownershipOrControlStatement": "ownership-or-control-statement.json",
}


@lru_cache(maxsize=4)
def _legacy_schemas(version: str) -> tuple[dict[str, Any], dict[str, str]]:
    """The draft-04 schemas of BODS 0.2 or 0.3 by id, from the copies bundled in
    ``bods_schema/v0.2`` and ``bods_schema/v0.3``; and the id of each file."""
    folder = files("groupkg.graph.formats.bods") / "bods_schema" / f"v{version}"
    schemas, ids = {}, {}
    for item in folder.iterdir():
        if item.name.endswith(".json"):
            contents = json.loads(item.read_text(encoding="utf-8"))
            ids[item.name] = uri = contents.get("id", item.name)
            schemas[uri] = contents
    return schemas, ids


@lru_cache(maxsize=4)
def _legacy_validators(version: str) -> dict[str, Draft4Validator]:
    """The draft-04 validators of BODS 0.2 or 0.3, one per statement type."""
    schemas, ids = _legacy_schemas(version)
    registry: Registry = Registry().with_resources(
        (uri, Resource.from_contents(contents)) for uri, contents in schemas.items()
    )
    return {
        kind: Draft4Validator(schemas[ids[name]], registry=registry, format_checker=_FORMATS)
        for kind, name in LEGACY_SCHEMAS.items()
    }


@lru_cache(maxsize=4)
def _legacy_quick_checks(version: str) -> dict[str, Callable[[Any], bool] | None]:
    """The quick checks of BODS 0.2 or 0.3, one per statement type (see
    :func:`_statement_quick_check`)."""
    schemas, ids = _legacy_schemas(version)
    return {
        kind: quick_check(schemas, ids[name], _FORMAT_CHECKS, draft=4)
        for kind, name in LEGACY_SCHEMAS.items()
    }


def schema_problems(
    statement: Any, version: str, schema_dir: str | os.PathLike[str] | None = None
) -> list[tuple[list[Any], ValidationError]]:
    """The schema errors of one statement of BODS ``version``, each with its path
    inside the statement."""
    if version == "0.4":
        folder = None if schema_dir is None else str(schema_dir)
        quick = _statement_quick_check(folder)
        if quick is not None and quick(statement):
            return []
        validator: Any = _statement_validator(folder)
    else:
        kind = statement.get("statementType") if isinstance(statement, dict) else None
        quick = _legacy_quick_checks(version).get(kind) if isinstance(kind, str) else None
        if quick is not None and quick(statement):
            return []
        validator = _legacy_validators(version).get(kind) if isinstance(kind, str) else None
        if validator is None:
            choice = {"enum": sorted(LEGACY_SCHEMAS)}
            schema: dict[str, Any] = {"type": "object", "required": ["statementType"]}
            schema["properties"] = {"statementType": choice}
            validator = Draft4Validator(schema)
    return [(list(e.absolute_path), e) for e in validator.iter_errors(statement)]
