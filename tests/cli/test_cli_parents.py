"""``groupkg parents``: the ultimate parent of every entity, from the register index,
checked against ``groupkg paths`` (the time model and control analytics) one entity at
a time."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, open_store, parse_date, write_synth
from groupkg.graph.cli import cli

TOY = str(Path(__file__).parents[1] / "data" / "toygroup.ttl")


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize("day", ["2009-01-01", "2010-04-01", "2013-12-31", "2014-01-01"])
def test_every_iij_parent_is_the_one_paths_gives(day: str) -> None:
    code, output = invoke("parents", "--at", day, "--json")
    assert code == 0, output
    answer = json.loads(output)
    group = Group(open_store("memory"))
    expected = {}
    for entity in answer["parents"]:
        paths = group.paths(entity, parse_date(day))
        expected[entity] = paths["ultimate_parent"]["id"]
    assert answer["parents"] == expected
    assert answer["entities"] == len(expected)
    assert answer["ultimate_parents"] == len(set(expected.values()))
    sizes = [g["entities"] for g in answer["largest_groups"]]
    assert sizes == sorted(sizes, reverse=True) and sum(sizes) <= answer["entities"]


def test_after_the_2014_merger_iij_america_sits_under_iij() -> None:
    code, output = invoke("parents", "--at", "2014-01-01", "--json")
    parents = json.loads(output)["parents"]
    iij = "https://w3id.org/groupkg/data/iij/iij"
    assert parents["https://w3id.org/groupkg/data/iij/iij-america"] == iij
    assert "https://w3id.org/groupkg/data/iij/iij-exlayer" not in parents  # absorbed


def test_a_persistent_store_keeps_the_index_and_writes_csv(tmp_path: Path) -> None:
    source = tmp_path / "synth.nt"
    write_synth(source, 400, seed=3)
    store = tmp_path / "store"
    code, output = invoke("import", str(source), "--store", f"oxigraph:{store}")
    assert code == 0, output

    table = tmp_path / "parents.csv"
    args = ["parents", "--at", "2020-06-30", "--store", f"oxigraph:{store}"]
    code, output = invoke(*args, "-o", str(table))
    assert code == 0, output
    cache = tmp_path / "store.model" / "model.json"
    assert cache.is_file()
    with table.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    assert rows and set(rows[0]) == {"entity", "ultimate_parent", "basis"}

    stamp = cache.stat().st_mtime_ns
    code, output = invoke(*args, "--json")
    assert code == 0, output
    answer = json.loads(output)
    assert cache.stat().st_mtime_ns == stamp  # read from the cache, not rebuilt
    assert answer["parents"] == {r["entity"]: r["ultimate_parent"] for r in rows}

    group = Group(open_store(f"oxigraph:{store}", default_data=False))
    day = parse_date("2020-06-30")
    for entity in sorted(answer["parents"])[:: max(1, len(rows) // 40)]:
        assert group.paths(entity, day)["ultimate_parent"]["id"] == answer["parents"][entity]


def test_bad_input_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("parents", "--at", "2014-02-30")
    assert code == 2 and "--at" in output and "Traceback" not in output
    code, output = invoke(
        "--no-default-data", "--data", TOY, "parents", "--at", "2020-01-01",
        "-o", str(tmp_path / "missing" / "p.csv"),
    )  # fmt: skip
    assert code == 2 and "cannot write" in output
    assert not (tmp_path / "missing").exists()
