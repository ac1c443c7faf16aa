"""A quick first check of BODS 0.4 statements against the schema: the same schema
compiled to Python by fastjsonschema, some fifteen times faster than jsonschema walks it.

It only ever answers "valid": a statement it passes has no schema error, and one it
does not pass is checked again by jsonschema, whose errors (all of them, each at its
path) are the ones reported. So it must never pass what jsonschema refuses. The BODS
schemas are draft 2020-12, spread over several files; fastjsonschema reads draft 7 in
one document. They are bundled into one (each file under ``$defs``, every ``$ref``
pointing inside it), and a ``$ref`` with other keywords beside it becomes an ``allOf``
of both (draft 7 ignores the siblings of a ``$ref``, 2020-12 applies them). A schema
using any keyword whose meaning differs between the two drafts, or that fastjsonschema
reads otherwise than jsonschema (see :data:`_UNSAFE`), gets no quick check at all.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import fastjsonschema

__all__ = ["quick_check"]

# Keywords that would make the compiled check pass what jsonschema refuses (draft 7
# lacks them, reads them otherwise, or fastjsonschema matches their patterns otherwise):
# a schema with one gets no quick check.
_UNSAFE = frozenset(
    {
        "$anchor", "$dynamicAnchor", "$dynamicRef", "$recursiveAnchor", "$recursiveRef",
        "$vocabulary", "additionalItems", "contains", "contentSchema", "dependencies",
        "dependentRequired", "dependentSchemas", "maxContains", "minContains", "multipleOf",
        "patternProperties", "prefixItems", "propertyNames", "unevaluatedItems",
        "unevaluatedProperties",
    }
)  # fmt: skip
_ONE = frozenset({"not", "if", "then", "else", "additionalProperties", "items"})
_LIST = frozenset({"allOf", "anyOf", "oneOf"})
_NAMED = frozenset({"properties", "$defs", "definitions"})


class _NoQuickCheck(Exception):
    """The schema uses something the bundle cannot carry over faithfully."""


def _bundled(resources: Mapping[str, Any], root: str) -> dict[str, Any]:
    """One draft 7 document of the 2020-12 ``resources`` (by ``$id``), checking what
    the reference ``root`` (``urn:statement#/$defs/Statement``) names."""
    keys = {uri: f"r{n}" for n, uri in enumerate(resources)}

    def inside(ref: str, base: str) -> str:
        uri, _, fragment = ref.partition("#")
        uri = uri or base
        if uri not in keys or (fragment and not fragment.startswith("/")):
            raise _NoQuickCheck(ref)  # an anchor, or a schema not bundled
        return f"#/$defs/{keys[uri]}{fragment}"

    def schema(node: Any, base: str, top: bool = False) -> Any:
        if isinstance(node, bool):
            return node
        if not isinstance(node, dict):
            raise _NoQuickCheck(node)
        out: dict[str, Any] = {}
        for key, value in node.items():
            if key in _UNSAFE or (key == "$id" and not top):
                raise _NoQuickCheck(key)
            if key in ("exclusiveMinimum", "exclusiveMaximum") and isinstance(value, bool):
                raise _NoQuickCheck(key)  # draft 4's flag, not a bound
            if key in ("$id", "$schema", "$ref"):
                continue
            if key in _ONE:
                if key == "items" and not isinstance(value, dict | bool):
                    raise _NoQuickCheck(key)
                out[key] = schema(value, base)
            elif key in _LIST:
                out[key] = [schema(item, base) for item in value]
            elif key in _NAMED:
                out[key] = {name: schema(item, base) for name, item in value.items()}
            else:
                out[key] = value
        if "$ref" in node:
            if not isinstance(node["$ref"], str):
                raise _NoQuickCheck(node["$ref"])
            ref = {"$ref": inside(node["$ref"], base)}
            return {"allOf": [ref, out]} if out else ref
        return out

    defs = {keys[uri]: schema(contents, uri, top=True) for uri, contents in resources.items()}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$defs": defs,
        "$ref": inside(root, root.partition("#")[0]),
    }


def quick_check(
    resources: Mapping[str, Any], root: str, formats: Mapping[str, Callable[[Any], bool]]
) -> Callable[[Any], bool] | None:
    """A function telling whether a statement certainly meets the schema ``root`` of
    ``resources`` (checking ``formats`` as jsonschema does); None when the schema
    cannot be checked quickly and faithfully.

    Examples
    --------
    >>> person = {"$id": "urn:p", "type": "object", "required": ["name"],
    ...           "properties": {"name": {"type": "string", "minLength": 1}}}
    >>> check = quick_check({"urn:p": person}, "urn:p", {})
    >>> check({"name": "Ada"}), check({"name": ""}), check({})
    (True, False, False)
    >>> quick_check({"urn:p": {**person, "unevaluatedProperties": False}}, "urn:p", {}) is None
    True
    """
    try:
        compiled = fastjsonschema.compile(
            _bundled(resources, root), formats=dict(formats), use_default=False
        )
    except (_NoQuickCheck, ValueError, re.error, RecursionError):
        return None  # a schema fastjsonschema cannot read: jsonschema checks every statement

    def passes(statement: Any) -> bool:
        try:
            compiled(statement)
        except Exception:  # refused, or anything odd: jsonschema says what is wrong
            return False
        return True

    return passes
