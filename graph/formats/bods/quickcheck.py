"""A quick first check of BODS statements against the schema: the same schema compiled
to Python by fastjsonschema, some fifteen times faster than jsonschema walks it.

It only ever answers "valid": a statement it passes has no schema error, and one it
does not pass is checked again by jsonschema, whose errors (all of them, each at its
path) are the ones reported. So it must never pass what jsonschema refuses. The BODS
0.4 schemas are draft 2020-12, spread over several files; fastjsonschema reads draft 7
in one document. They are bundled into one (each file under ``$defs``, every ``$ref``
pointing inside it), and a ``$ref`` with other keywords beside it becomes an ``allOf``
of both (draft 7 ignores the siblings of a ``$ref``, 2020-12 applies them). The 0.2 and
0.3 schemas are draft 4, which fastjsonschema reads as it is: they are bundled alike,
the siblings of a ``$ref`` left out as both draft 4 readers ignore them. A schema using
any keyword whose meaning differs between the drafts, or that fastjsonschema reads
otherwise than jsonschema (see :data:`_UNSAFE`), gets no quick check at all.
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


def _bundled(resources: Mapping[str, Any], root: str, draft: int) -> dict[str, Any]:
    """One document of the ``resources`` (by id), checking what the reference ``root``
    (``urn:statement#/$defs/Statement``) names: draft 7 for draft 2020-12 schemas,
    draft 4 for draft 4 ones."""
    keys = {uri: f"r{n}" for n, uri in enumerate(resources)}
    id_keyword = "id" if draft == 4 else "$id"

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
            if key in _UNSAFE or (key == id_keyword and not top):
                raise _NoQuickCheck(key)
            bound = key in ("exclusiveMinimum", "exclusiveMaximum")
            if bound and isinstance(value, bool) != (draft == 4):
                raise _NoQuickCheck(key)  # a flag in draft 4, a bound after it
            if key in (id_keyword, "$schema", "$ref"):
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
            # Draft 4 ignores what stands beside a $ref (as jsonschema does); 2020-12
            # applies it, as an allOf does in draft 7.
            return {"allOf": [ref, out]} if out and draft != 4 else ref
        return out

    defs = {keys[uri]: schema(contents, uri, top=True) for uri, contents in resources.items()}
    return {
        "$schema": f"http://json-schema.org/draft-0{4 if draft == 4 else 7}/schema#",
        "$defs": defs,
        "$ref": inside(root, root.partition("#")[0]),
    }


def quick_check(
    resources: Mapping[str, Any],
    root: str,
    formats: Mapping[str, Callable[[Any], bool]],
    draft: int = 2020,
) -> Callable[[Any], bool] | None:
    """A function telling whether a statement certainly meets the schema ``root`` of
    ``resources`` (by id; of JSON Schema ``draft`` 2020 or 4), checking ``formats`` as
    jsonschema does; None when the schema cannot be checked quickly and faithfully.

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
            _bundled(resources, root, draft), formats=dict(formats), use_default=False
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
