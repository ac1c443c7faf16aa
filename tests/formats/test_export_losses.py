"""An export in a format that cannot carry every fact of the store refuses, naming what
it would lose, unless it is asked to be lossy; RDF and GraphML are never refused."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, InputError
from groupkg.graph.cli import cli
from groupkg.graph.formats.losses import lost_facts
from groupkg.graph.store import open_store

REAL = Path(__file__).parent.parent / "data" / "real" / "gleif-rr-2023-11-06"


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_csv_export_of_the_iij_data_is_refused_naming_what_it_would_lose(tmp_path):
    out = tmp_path / "out.csv"
    result = invoke("export", "--format", "csv", "-o", str(out))
    assert result.exit_code == 2, result.output
    message = result.stderr
    assert "the CSV holdings format cannot carry 14 events" in message
    assert "12 entity legal names" in message
    assert "give --lossy to export without them, or export ttl" in message
    assert not out.exists(), "a refused export writes nothing"


def test_lossy_csv_export_writes_the_holdings_and_names_what_it_left_out(tmp_path):
    out = tmp_path / "out.csv"
    result = invoke("export", "--format", "csv", "--lossy", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("owner,owned,percent")
    assert result.stderr.startswith("left out of the csv export: 14 events, ")


def test_bods_carries_the_consolidations_and_names_the_relations_it_cannot_carry():
    result = invoke(
        "--no-default-data",
        "--data",
        str(REAL / "lei-updates-data2.xml"),
        "--data",
        str(REAL / "rr-updates-data2.xml"),
        "export",
        "--format",
        "bods",
    )
    assert result.exit_code == 2
    assert "consolidations" not in result.stderr
    assert "relationship statuses" not in result.stderr
    assert "entity statuses" not in result.stderr
    assert "4 fund management relations" in result.stderr
    assert "20 reported periods" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "graphml"])
def test_rdf_and_graphml_exports_are_never_refused(fmt):
    result = invoke("export", "--format", fmt)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_python_export_refuses_and_takes_lossy():
    group = Group(open_store("memory"))
    with pytest.raises(InputError, match=r"cannot carry 14 events, ") as refused:
        group.export("bods")
    assert "consolidations" not in str(refused.value)
    assert group.export("bods", lossy=True).startswith(b"[")


def test_a_store_of_holdings_only_loses_nothing_in_csv(tmp_path):
    rows = "owner,owned,percent,start_date\nA Co,B Co,60,2020-01-01\n"
    (tmp_path / "h.csv").write_text(rows, encoding="utf-8")
    result = invoke(
        "--no-default-data", "--data", str(tmp_path / "h.csv"), "export", "--format", "csv"
    )
    assert result.exit_code == 0, result.output
    assert "A Co,B Co,60" in result.stdout
    assert result.stderr == ""


def test_an_empty_store_loses_nothing():
    store = open_store("memory", default_data=False)
    assert not lost_facts(store, "csv") and not lost_facts(store, "bods")
