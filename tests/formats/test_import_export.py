"""groupkg import and export through the command line: formats, atomicity, round trips."""

import json

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic

from groupkg.graph import OxigraphStore
from groupkg.graph.cli import cli

CSV = (
    "owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source\n"
    "Internet Initiative Japan Inc.,New Sub KK,75,,,,2015-01-01,,Analyst notes\n"
    "New Sub KK,Tiny Co,,20,30,,2016,,Analyst notes\n"
)


def invoke(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def csv_file(tmp_path):
    path = tmp_path / "holdings.csv"
    path.write_text(CSV)
    return path


def test_csv_import_into_a_persistent_store_is_answered_afterwards(tmp_path, csv_file):
    store = f"oxigraph:{tmp_path / 'db'}"
    result = invoke("import", str(csv_file), "--store", store)
    assert result.exit_code == 0, result.output
    owners = json.loads(
        invoke("owners", "New Sub KK", "--at", "2015-06-01", "--store", store, "--json").output
    )
    assert [(o["name"], o["percent"]) for o in owners["owners"]] == [
        ("Internet Initiative Japan Inc.", 75)
    ]
    paths = json.loads(
        invoke("paths", "New Sub KK", "--at", "2015-06-01", "--store", store, "--json").output
    )
    assert [s["name"] for s in paths["paths"][0]] == [
        "Internet Initiative Japan Inc.",
        "New Sub KK",
    ]


def test_a_bad_csv_row_imports_nothing(tmp_path, csv_file):
    db = tmp_path / "db"
    assert invoke("import", str(csv_file), "--store", f"oxigraph:{db}").exit_code == 0
    size = len(OxigraphStore(db, read_only=True))
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV.replace("Tiny Co,,20,30", "Tiny Co,,40,30") + "A,B,150,,,,,,x\n")
    result = invoke("import", str(bad), "--store", f"oxigraph:{db}")
    assert result.exit_code == 2
    assert "bad.csv:3" in result.output and "bad.csv:4" in result.output
    assert len(OxigraphStore(db, read_only=True)) == size


def test_a_broken_turtle_import_names_the_line_and_imports_nothing(tmp_path):
    db = tmp_path / "db"
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b "open .\n')
    result = invoke("import", str(bad), "--store", f"oxigraph:{db}")
    assert result.exit_code == 2 and "line 3" in result.output
    store = OxigraphStore(db, read_only=True)
    assert not store.select("SELECT ?o WHERE { <http://x/a> ?p ?o }")


def test_turtle_export_round_trips_as_a_graph(tmp_path):
    first = tmp_path / "first.ttl"
    assert invoke("export", "--format", "ttl", "-o", str(first)).exit_code == 0
    second = tmp_path / "second.nt"
    result = invoke("export", "--format", "nt", "-o", str(second),
                    "--no-default-data", "--data", str(first))  # fmt: skip
    assert result.exit_code == 0, result.output
    one = rdflib.Graph().parse(first, format="turtle")
    two = rdflib.Graph().parse(second, format="nt")
    assert len(one) > 1000 and isomorphic(one, two)


def test_jsonld_export_parses_to_the_same_graph(tmp_path):
    out = tmp_path / "data.jsonld"
    ttl = tmp_path / "data.ttl"
    assert invoke("export", "--format", "jsonld", "-o", str(out)).exit_code == 0
    assert invoke("export", "--format", "ttl", "-o", str(ttl)).exit_code == 0
    # pyoxigraph reads the JSON-LD (rdflib's reader warns of its own deprecations)
    as_nt = ox.serialize(ox.parse(path=str(out), format=ox.RdfFormat.JSON_LD),
                         format=ox.RdfFormat.N_TRIPLES)  # fmt: skip
    from_jsonld = rdflib.Graph().parse(data=as_nt.decode(), format="nt")
    assert len(from_jsonld) > 1000
    assert isomorphic(from_jsonld, rdflib.Graph().parse(ttl))


def test_graphml_export_is_the_ownership_graph_at_a_date(tmp_path):
    out = tmp_path / "group.graphml"
    assert (
        invoke("export", "--format", "graphml", "--at", "2013-12-31", "-o", str(out)).exit_code == 0
    )
    graph = nx.read_graphml(out)
    iij = "https://w3id.org/groupkg/data/iij/"
    assert graph.edges[iij + "iij", iij + "iij-exlayer"]["percent"] == pytest.approx(99.9)
    assert graph.nodes[iij + "koichi-suzuki"]["kind"] == "person"
    assert graph.edges[iij + "iij", iij + "iij-america"]["consolidated"] is True


def test_csv_export_lists_every_holding():
    result = invoke("export", "--format", "csv", "--lossy")
    rows = result.stdout.strip().splitlines()
    assert rows[0].startswith(
        "owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source"
    )
    assert any(r.startswith("KS Holdings,Internet Initiative Japan Inc.,1.73") for r in rows)


def test_bods_export_validates_against_the_schema(tmp_path):
    from groupkg.graph.formats.bods import validate_bods

    out = tmp_path / "iij.json"
    assert invoke("export", "--format", "bods", "--lossy", "-o", str(out)).exit_code == 0
    statements = json.loads(out.read_text())
    assert validate_bods(statements, file=str(out)) == []
    kinds = {s["recordType"] for s in statements}
    assert kinds == {"entity", "person", "relationship"}


def test_import_of_a_missing_file_or_unknown_format_exits_2(tmp_path):
    assert invoke("import", str(tmp_path / "none.ttl")).exit_code == 2
    odd = tmp_path / "data.xyz"
    odd.write_text("x")
    result = invoke("import", str(odd))
    assert result.exit_code == 2 and "--format" in result.output
