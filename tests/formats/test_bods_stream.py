"""BODS files streamed: JSON arrays and JSON Lines read a statement at a time, with
flat memory, and hostile files refused with the file and the statement (or line)
named, exit 2 from the command line and nothing written.
"""

from __future__ import annotations

import json
import tracemalloc
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Graph

from groupkg.graph.cli import cli
from groupkg.graph.errors import BadInput
from groupkg.graph.formats.bods import open_bods, read_bods
from groupkg.graph.formats.bods.stream import placed_statements
from groupkg.graph.store import write_ntriples
from groupkg.graph.vocab import GK

EXAMPLES = Path(__file__).parents[1] / "data" / "bods-0.4" / "examples"


def as_json_lines(source: Path, target: Path) -> Path:
    rows = json.loads(source.read_text(encoding="utf-8"))
    target.write_text("".join(json.dumps(st) + "\n" for st in rows), encoding="utf-8")
    return target


def without_file_name(graph: Graph) -> list[Any]:
    return sorted(t for t in graph if t[1] != GK.fileName)


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.json")))
def test_json_lines_read_as_the_same_array(name, tmp_path):
    lines = as_json_lines(EXAMPLES / name, tmp_path / "statements.jsonl")
    assert without_file_name(read_bods(lines)) == without_file_name(read_bods(EXAMPLES / name))


# ---- a large generated file, read with flat memory ----

PUBLICATION = {
    "publicationDate": "2024-06-30",
    "bodsVersion": "0.4",
    "publisher": {"name": "Generated Registry of Companies", "url": "https://example.org/"},
    "license": "https://creativecommons.org/publicdomain/zero/1.0/",
}


def generated(companies: int) -> Iterator[dict[str, Any]]:
    """Companies each owned by the one before (and the first by a person), with the
    details a register publishes: addresses, identifiers, a source per statement."""
    person = {
        "statementId": "p" * 32,
        "statementDate": "2020-01-01",
        "declarationSubject": "company-0",
        "recordId": "person-0",
        "recordType": "person",
        "recordStatus": "new",
        "recordDetails": {
            "isComponent": False,
            "personType": "knownPerson",
            "names": [{"type": "legal", "fullName": "Ada Founder"}],
        },
        "publicationDetails": PUBLICATION,
    }
    yield person
    for n in range(companies):
        source = {
            "type": ["officialRegister"],
            "description": f"Register extract for company number {n:08d}, filed and checked",
            "url": f"https://example.org/register/companies/{n:08d}/filings/annual-return",
        }
        yield {
            "statementId": f"entity-statement-{n:032d}",
            "statementDate": "2020-01-01",
            "declarationSubject": f"company-{n}",
            "recordId": f"company-{n}",
            "recordType": "entity",
            "recordStatus": "new",
            "recordDetails": {
                "isComponent": False,
                "entityType": {"type": "registeredEntity"},
                "name": f"Generated Holdings {n} Limited",
                "foundingDate": "2001-02-03",
                "jurisdiction": {"name": "United Kingdom", "code": "GB"},
                "identifiers": [{"scheme": "GB-COH", "id": f"{n:08d}"}],
                "addresses": [
                    {
                        "type": "registered",
                        "address": f"{n} Long Street Name, Business Park, Some Town",
                        "postCode": "AB1 2CD",
                        "country": {"name": "United Kingdom", "code": "GB"},
                    }
                ],
            },
            "publicationDetails": PUBLICATION,
            "source": source,
        }
        yield {
            "statementId": f"relation-statement-{n:032d}",
            "statementDate": "2020-01-01",
            "declarationSubject": f"company-{n}",
            "recordId": f"ownership-{n}",
            "recordType": "relationship",
            "recordStatus": "new",
            "recordDetails": {
                "isComponent": False,
                "subject": f"company-{n}",
                "interestedParty": f"company-{n - 1}" if n else "person-0",
                "interests": [
                    {
                        "type": "shareholding",
                        "directOrIndirect": "direct",
                        "beneficialOwnershipOrControl": False,
                        "startDate": "2015-05-06",
                        "share": {"exact": 75},
                    }
                ],
            },
            "publicationDetails": PUBLICATION,
            "source": source,
        }


def peak_reading(path: Path, out: Path) -> tuple[int, int]:
    """The statements read and the peak of memory allocated while importing ``path``."""
    open_bods(EXAMPLES / "fermcat.json")  # the schemas, loaded once for every file
    tracemalloc.start()
    try:
        bods = open_bods(path)
        written = write_ntriples(bods.triples(), out)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert written > 10 * bods.statements
    return bods.statements, peak


@pytest.mark.parametrize("layout", ["array", "lines"])
def test_a_large_file_imports_with_flat_memory(layout, tmp_path):
    peaks, sizes = [], []
    for companies in (80, 320):
        path = tmp_path / f"large-{companies}.{'json' if layout == 'array' else 'jsonl'}"
        with path.open("w", encoding="utf-8") as out:
            rows = (json.dumps(st) for st in generated(companies))
            if layout == "array":
                out.write("[\n" + ",\n".join(rows) + "\n]\n")
            else:
                out.writelines(row + "\n" for row in rows)
        statements, peak = peak_reading(path, tmp_path / "out.nt")
        assert statements == 2 * companies + 1
        peaks.append(peak)
        sizes.append(path.stat().st_size)
    # Held at once, the statements would take several times the file's size: what
    # grows with the file is a small part of it (the ids of statements and records).
    assert peaks[1] - peaks[0] < (sizes[1] - sizes[0]) / 3, (peaks, sizes)
    assert peaks[1] < sizes[1] * 0.6, (peaks, sizes)


# ---- hostile files: the file and the statement named, exit 2, nothing written ----

GOOD = json.loads((EXAMPLES / "bods-package.json").read_text(encoding="utf-8"))
GOOD_LINES = [json.dumps(st) for st in GOOD]


def hostile_files(folder: Path) -> dict[str, tuple[Path, str]]:
    """Each hostile file, and what its one problem reads (after the file's name)."""
    made: dict[str, tuple[str, bytes, str]] = {
        "bad line": (
            "lines.jsonl",
            "\n".join([*GOOD_LINES[:2], '{"statementId": ', *GOOD_LINES[2:]]).encode(),
            ":3: (json): Expecting value",
        ),
        "line not UTF-8": (
            "latin.jsonl",
            "\n".join([GOOD_LINES[0], '{"x": "caf\xe9"}']).encode("latin-1"),
            ":2: (json): not UTF-8",
        ),
        "truncated array": (
            "cut.json",
            json.dumps(GOOD).encode()[:-40],
            ":1: (json): Unterminated string",
        ),
        "deep array": ("deep.json", b"[" * 200_000 + b"]" * 200_000, ":1: (json): cannot be read"),
        "deep line": (
            "deep.jsonl",
            GOOD_LINES[0].encode() + b"\n" + b'{"a":' * 100 + b"1" + b"}" * 100,
            ":2: (json): nested more than 64 levels deep",
        ),
        "huge number": (
            "number.jsonl",
            GOOD_LINES[0].encode() + b'\n{"statementId": ' + b"9" * 6000 + b"}",
            ":2: (json): cannot be read: Exceeds the limit",
        ),
    }
    out = {}
    for case, (name, data, message) in made.items():
        path = folder / name
        path.write_bytes(data)
        out[case] = (path, message)
    return out


CASES = ["bad line", "line not UTF-8", "truncated array", "deep array", "deep line", "huge number"]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_is_refused_naming_the_place(case, tmp_path):
    path, message = hostile_files(tmp_path)[case]
    with pytest.raises(BadInput) as caught:
        read_bods(path)
    assert str(caught.value).startswith(str(path) + message), str(caught.value)[:300]


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_exits_2_and_writes_nothing(case, tmp_path):
    path, message = hostile_files(tmp_path)[case]
    store = f"oxigraph:{tmp_path / 'store'}"
    runner = CliRunner()
    result = runner.invoke(cli, ["--no-default-data", "--store", store, "import", str(path)])
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    info = runner.invoke(cli, ["--no-default-data", "--store", store, "info", "--json"])
    assert json.loads(info.stdout)["entities"] == 0


def test_a_huge_string_is_read_as_any_other(tmp_path):
    statements = json.loads(json.dumps(GOOD))
    statements[0]["recordDetails"]["name"] = "N" * 5_000_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(statements), encoding="utf-8")
    bods = open_bods(path)
    assert sum(1 for _ in bods.triples()) > 0


@pytest.mark.parametrize("brackets", [63, 64])
def test_a_line_nested_to_the_limit_is_read_and_one_level_deeper_is_not(brackets, tmp_path):
    # A statement whose recordDetails nest ``brackets`` levels of objects in all: the
    # statement is level 1, each object a level more, the number inside the last.
    nested: Any = 1
    for _ in range(brackets - 1):
        nested = {"a": nested}
    line = json.dumps({"statementId": nested})
    assert line.count("{") == brackets
    path = tmp_path / "nested.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    if brackets == 63:  # 64 levels with the number: at the limit, read
        assert [p.statement for p in placed_statements(path)] == [json.loads(line)]
    else:
        with pytest.raises(BadInput, match=":1: \\(json\\): nested more than 64 levels deep"):
            list(placed_statements(path))
