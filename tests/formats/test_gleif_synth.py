"""Generated GLEIF golden-copy files (Level 1 and relationship records, CSV and XML)
import through the command line and answer: a generated parent chain is read back."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.graph.formats.synth.gleiffiles import SYNTAXES, write_gleif
from groupkg.graph.formats.synth.gleifrecords import chain, entity_name
from tests.real.asking import ask

ENTITIES, RELATIONSHIPS = 300, 200


@pytest.fixture(scope="module", params=SYNTAXES)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    folder = tmp_path_factory.mktemp(f"gleif-{request.param}")
    level1, level2 = write_gleif(folder, ENTITIES, RELATIONSHIPS, seed=3, syntax=request.param)
    store = f"oxigraph:{folder / 'store'}"
    for path in (level1, level2):
        result = CliRunner().invoke(
            cli, ["--store", store, "--no-default-data", "import", str(path)]
        )
        assert result.exit_code == 0, result.output
    return folder, store


def test_the_files_hold_as_many_records_as_asked(tmp_path: Path):
    level1, level2 = write_gleif(tmp_path, ENTITIES, RELATIONSHIPS, seed=3, syntax="csv")
    with level1.open(encoding="utf-8") as lei, level2.open(encoding="utf-8") as rr:
        assert sum(1 for _ in csv.DictReader(lei)) == ENTITIES
        assert sum(1 for _ in csv.DictReader(rr)) == RELATIONSHIPS


def test_the_same_seed_writes_the_same_bytes(tmp_path: Path):
    first = write_gleif(tmp_path / "a", 40, 20, seed=5, syntax="xml")
    second = write_gleif(tmp_path / "b", 40, 20, seed=5, syntax="xml")
    assert [p.read_bytes() for p in first] == [p.read_bytes() for p in second]


def test_a_parent_chain_is_read_back_with_paths(generated):
    _, store = generated
    child = 85  # in the trees: 85 -> 21 -> 5 -> 1 -> 0
    assert chain(child) == [85, 21, 5, 1, 0]
    answer = ask(store, "paths", entity_name(child), "--at", "2024-06-01")
    assert answer["entity"]["name"] == entity_name(child)
    assert [step["name"] for step in answer["paths"][0]] == [
        entity_name(n) for n in reversed(chain(child))
    ]
    assert answer["ultimate_parent"]["name"] == entity_name(0)
    # 85 is also reported as ultimately consolidated by entity 0.
    reported = answer["reported_ultimate_parent"] or {}
    assert reported.get("name") == entity_name(0)


def test_names_of_level_1_reach_the_answers(generated):
    _, store = generated
    answer = ask(store, "entity", entity_name(40))
    assert entity_name(40) in str(answer)
    assert "Old Synthetic Name 40" in str(answer)
