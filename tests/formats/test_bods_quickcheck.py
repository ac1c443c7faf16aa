"""The quick schema check of BODS 0.4 statements never passes a statement jsonschema
refuses: not one of the standard's invalid statements, nor any of thousands of
mutations of its valid ones and examples; and it passes the valid ones, or it would
save nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from groupkg.graph.formats.bods import schema
from groupkg.graph.formats.bods.quickcheck import quick_check

DATA = Path(__file__).parents[1] / "data" / "bods-0.4"


def statements(folder: str) -> list[Any]:
    found = []
    for path in sorted((DATA / folder).glob("*.json")):
        document = json.loads(path.read_text(encoding="utf-8"))
        found += document if isinstance(document, list) else [document]
    return found


def full_check_passes(statement: Any) -> bool:
    validator = schema._statement_validator(None)
    return not any(True for _ in validator.iter_errors(statement))


def an_entity() -> dict[str, Any]:
    """A copy of the first entity statement of the standard's examples."""
    return copy.deepcopy(next(st for st in statements("examples") if st["recordType"] == "entity"))


QUICK = schema._statement_quick_check(None)

# Values of every JSON kind and of the shapes the schema's formats and patterns ask for.
ODD_VALUES: list[Any] = [
    None, True, False, 0, 1, 1.0, -1, 2.5, 101, "", "x", "2024-13-01", "2024-02-30",
    "2024-01-01", "2024-01-01T10:00:00", "2024-01-01T10:00:00Z", "not a uri",
    "https://example.org/a", "0.4", "0.4\n", "1.x", "entity", "person", "relationship",
    "registeredEntity", "closed", "GB", "GBR", "g" * 70, [], [1], ["x"], {}, {"name": "x"},
]  # fmt: skip


def mutations(value: Any) -> Iterator[Any]:
    """``value`` with one change: a member removed or added, or one value replaced."""
    if isinstance(value, dict):
        for key in value:
            yield {k: v for k, v in value.items() if k != key}
            for inner in mutations(value[key]):
                yield {**value, key: inner}
        yield {**value, "unknownMember": 1}
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield value[:i] + value[i + 1 :]
            yield value + [copy.deepcopy(item)]
            for inner in mutations(item):
                yield value[:i] + [inner] + value[i + 1 :]
    else:
        for odd in ODD_VALUES:
            if odd != value or type(odd) is not type(value):
                yield odd


def test_the_bundled_schema_has_a_quick_check():
    assert QUICK is not None


@pytest.mark.parametrize("folder", ["valid-statements", "examples"])
def test_every_valid_statement_passes_quickly(folder):
    assert QUICK is not None
    found = statements(folder)
    assert len(found) > 50
    assert all(QUICK(st) for st in found)


def test_no_invalid_statement_passes_quickly():
    assert QUICK is not None
    refused = [st for st in statements("invalid-statements") if not full_check_passes(st)]
    assert len(refused) > 100
    assert not [st for st in refused if QUICK(st)]


def test_no_mutation_passes_quickly_that_jsonschema_refuses():
    assert QUICK is not None
    tried = passed = 0
    for statement in statements("examples") + statements("valid-statements")[::3]:
        for changed in mutations(statement):
            tried += 1
            if QUICK(changed):
                passed += 1
                assert full_check_passes(changed), json.dumps(changed)[:400]
    # Most changes break the statement: the check is not passing everything.
    assert tried > 20_000 and passed < tried / 2


def test_the_siblings_of_a_ref_are_checked():
    # An address of an entity is a components Address ($ref) whose type is one of
    # three (a keyword beside the $ref): a person's place of birth is not one.
    entity = an_entity()
    entity["recordDetails"]["addresses"] = [{"type": "registered", "address": "1 High St"}]
    assert QUICK(entity) and full_check_passes(entity)
    entity["recordDetails"]["addresses"][0]["type"] = "placeOfBirth"
    assert not full_check_passes(entity)
    assert not QUICK(entity)


def test_a_schema_with_a_keyword_draft_7_lacks_gets_no_quick_check():
    record = {"$id": "urn:r", "type": "object", "properties": {"a": {"type": "string"}}}
    assert quick_check({"urn:r": record}, "urn:r", {}) is not None
    for keyword, value in [
        ("unevaluatedProperties", False),
        ("prefixItems", [{"type": "string"}]),
        ("dependentRequired", {"a": ["b"]}),
        ("$dynamicRef", "#meta"),
    ]:
        assert quick_check({"urn:r": {**record, keyword: value}}, "urn:r", {}) is None


def test_a_ref_outside_the_bundle_gets_no_quick_check():
    record = {"$id": "urn:r", "properties": {"a": {"$ref": "urn:elsewhere#/$defs/A"}}}
    assert quick_check({"urn:r": record}, "urn:r", {}) is None


def test_a_format_is_checked_as_given():
    record = {"$id": "urn:r", "properties": {"day": {"type": "string", "format": "date"}}}
    check = quick_check({"urn:r": record}, "urn:r", {"date": lambda text: text == "2024-01-01"})
    assert check is not None
    assert check({"day": "2024-01-01"})
    assert not check({"day": "2024-01-02"})
    assert check({"day": 5}) is False  # not a string: the type says no


def test_a_statement_the_quick_check_refuses_gets_every_error_of_jsonschema():
    entity = an_entity()
    entity["statementDate"] = "2024-13-01"
    del entity["recordDetails"]["isComponent"]
    problems = schema.schema_problems(entity, "0.4")
    assert sorted(tuple(map(str, path)) for path, _ in problems) == [
        ("recordDetails",),
        ("statementDate",),
    ]


@pytest.mark.parametrize("version", ["0.2", "0.3"])
def test_no_mutation_of_a_0_2_or_0_3_statement_passes_quickly_that_jsonschema_refuses(version):
    quick, full = schema._legacy_quick_checks(version), schema._legacy_validators(version)
    assert all(check is not None for check in quick.values())
    found = []
    for path in sorted((DATA.parent / f"bods-{version}").glob("*.json")):
        found += json.loads(path.read_text(encoding="utf-8"))
    assert len(found) > 10 and all(quick[st["statementType"]](st) for st in found)
    tried = passed = 0
    for statement in found:
        for changed in mutations(statement):
            kind = changed.get("statementType")
            if not isinstance(kind, str) or kind not in quick:
                continue  # no schema of its own: jsonschema alone says why
            tried += 1
            if quick[kind](changed):
                passed += 1
                assert full[kind].is_valid(changed), json.dumps(changed)[:400]
    assert tried > 5_000 and passed < tried / 2
