"""An export in a format that cannot carry every fact of the store refuses, naming what
it would lose, unless it is asked to be lossy; RDF and GraphML are never refused."""

import csv
import io
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


# ---- superseded records: what was known before a correction ----

TWO_VERSIONS = Path(__file__).parent.parent / "data" / "knowledge" / "bods-two-versions.json"


def test_csv_and_bods_name_the_superseded_versions_they_cannot_carry(tmp_path):
    """bods-two-versions.json states Alder's 60% in Birch on 2020-01-10, and on
    2021-03-01 that it fell to 40% on 2021-02-15: the 60% as first stated (open-ended) is
    superseded by its ended version, which neither a CSV row nor a BODS update can say."""
    data = ("--no-default-data", "--data", str(TWO_VERSIONS))
    for fmt, name in (("bods", "BODS"), ("csv", "CSV holdings")):
        out = tmp_path / f"out.{fmt}"
        refused = invoke(*data, "export", "--format", fmt, "-o", str(out))
        assert refused.exit_code == 2, refused.output
        assert f"the {name} format cannot carry " in refused.stderr
        assert "1 superseded records (earlier versions of what is known now)" in refused.stderr
        assert not out.exists()
        lossy = invoke(*data, "export", "--format", fmt, "--lossy", "-o", str(out))
        assert lossy.exit_code == 0, lossy.output
        assert "1 superseded records" in lossy.stderr
    with (tmp_path / "out.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    kept = sorted((r["percent"], r["start_date"], r["end_date"]) for r in rows)
    # what is known now: 60% until 2021-02-15, then 40%
    assert kept == [("40", "2021-02-15", ""), ("60", "2019-01-01", "2021-02-15")]


def test_a_csv_imported_again_with_other_figures_is_refused_in_csv(tmp_path):
    store = f"oxigraph:{tmp_path / 'store'}"
    for percent in (60, 55):
        path = tmp_path / f"h{percent}.csv"
        path.write_text(
            f"owner,owned,percent,start_date\nA Co,B Co,{percent},2020-01-01\n", encoding="utf-8"
        )
        assert invoke("--store", store, "--no-default-data", "import", str(path)).exit_code == 0
    refused = invoke("--store", store, "export", "--format", "csv")
    assert refused.exit_code == 2
    assert "cannot carry 1 superseded records" in refused.stderr
    written = invoke("--store", store, "export", "--format", "csv", "--lossy")
    assert [r["percent"] for r in csv.DictReader(io.StringIO(written.stdout))] == ["55"]
