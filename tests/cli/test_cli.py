"""Every command through the CLI runner: JSON shapes, tables and error cases.

Runs on the small invented group of tests/data/toygroup.ttl so that the expected
answers do not depend on the bundled dataset (tests/group/test_iij_answers.py covers it).
"""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.turtle import prefixes

TOY = str(Path(__file__).parents[1] / "data" / "toygroup.ttl")
T = "https://example.org/toy/"
BASE = ["--no-default-data", "--data", TOY]


def run(*args, base=BASE):
    result = CliRunner().invoke(cli, [*base, *args])
    return result


def run_json(*args):
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def ref_ok(ref):
    assert set(ref) >= {"id", "name"}
    assert isinstance(ref["id"], str) and isinstance(ref["name"], str)


def test_info_counts_the_loaded_graph():
    answer = run_json("info")
    assert answer["entities"] == 5 and answer["holdings"] == 5 and answer["events"] == 3
    assert answer["date_range"][0] <= answer["date_range"][1]
    assert answer["sources"] == ["Toy register"]


def test_owners_shape():
    answer = run_json("owners", "Gamma", "--at", "2020-06-30")
    ref_ok(answer["entity"])
    assert answer["at"] == "2020-06-30" and answer["status"] == "active"
    (owner,) = answer["owners"]
    assert owner["id"] == T + "a" and owner["name"] == "Alpha"
    assert owner["percent"] == 80 and owner["shares"] == 800
    assert owner["percent_min"] == 80 and owner["percent_max"] == 80
    assert owner["sources"] == ["Toy register"]
    assert owner["basis"] == "observed 2019-06-30"


def test_holdings_shape_and_merger():
    answer = run_json("holdings", "Parent Co", "--at", "2020-07-01")
    held = {h["name"]: h["percent"] for h in answer["holdings"]}
    assert held == {"Gamma": 80, "Beta": 60}


def test_owners_of_a_dissolved_entity_exit_1_with_status():
    result = run("owners", "alpha", "--at", "2020-07-01", "--json")
    assert result.exit_code == 1
    answer = json.loads(result.output)
    assert answer["status"] == "dissolved" and answer["owners"] == []


def test_paths_shape():
    answer = run_json("paths", "Gamma", "--at", "2020-06-30")
    assert answer["ultimate_parent"]["id"] == T + "p"
    assert [[step["id"] for step in path] for path in answer["paths"]] == [
        [T + "p", T + "a", T + "c"]
    ]


def test_effective_shape():
    answer = run_json("effective", "P", "Gamma", "--at", "2020-06-30")
    ref_ok(answer["owner"]) and ref_ok(answer["target"])
    assert answer["percent"] == answer["percent_min"] == answer["percent_max"] == 80


def test_perimeter_shape():
    answer = run_json("perimeter", "P", "--at", "2022-01-01")
    subs = {s["name"]: (s["effective_percent"], s["control"]) for s in answer["subsidiaries"]}
    assert subs == {"Gamma": (80, "certain")}
    assert [(a["name"], a["effective_percent"]) for a in answer["affiliates"]] == [("Beta", 40)]


def test_diff_shape_across_the_merger():
    answer = run_json("diff", "--before", "2020-06-30", "--after", "2020-07-01")
    assert answer["before"] == "2020-06-30" and answer["after"] == "2020-07-01"
    added = [(e["owner"]["id"], e["owned"]["id"], e["percent"]) for e in answer["added"]]
    removed = [(e["owner"]["id"], e["owned"]["id"]) for e in answer["removed"]]
    assert added == [(T + "p", T + "c", 80)]
    assert sorted(removed) == [(T + "a", T + "c"), (T + "p", T + "a")]
    assert [r["id"] for r in answer["ended"]] == [T + "a"] and answer["began"] == []
    assert answer["changed"] == []


def test_diff_changed_edge_has_percent_before():
    answer = run_json("diff", "--before", "2021-12-31", "--after", "2022-01-01")
    (edge,) = answer["changed"]
    assert (edge["percent_before"], edge["percent"]) == (60, 40)


def test_diff_across_one_event():
    answer = run_json("diff", "--event", "m")
    assert (answer["before"], answer["after"]) == ("2020-06-30", "2020-07-01")


def test_events_shape_and_filters():
    answer = run_json("events", "--entity", "alpha")
    assert [e["type"] for e in answer] == ["AbsorptionMerger"]
    event = answer[0]
    assert set(event) >= {"id", "type", "date", "announced", "participants", "sources"}
    assert (event["date"], event["announced"]) == ("2020-07-01", "2020-03-01")
    later = run_json("events", "--from", "2021-01-01")
    assert [e["type"] for e in later] == ["StockSplit", "PublicOffering"]


def test_entity_includes_issued_shares_at_the_date():
    answer = run_json("entity", "P", "--at", "2021-06-01")
    assert answer["issued_shares"] == 20_000 and answer["status"] == "active"
    assert run_json("entity", "P", "--at", "2019-01-01")["issued_shares"] is None


def test_tables_without_json():
    result = run("owners", "Gamma", "--at", "2020-06-30")
    assert result.exit_code == 0
    assert "Alpha" in result.output and "80%" in result.output


def test_global_options_also_follow_the_command():
    result = CliRunner().invoke(cli, ["owners", "Gamma", "--at", "2020-06-30", *BASE])
    assert result.exit_code == 0 and "Alpha" in result.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["owners", "Nobody", "--at", "2020-01-01"], "no entity is called"),
        (["owners", "Gama", "--at", "2020-01-01"], "closest: Gamma"),
        (["owners", "Gamma", "--at", "2013-02-30"], "not a real day"),
        (["owners", "Gamma", "--at", "31/12/2013"], "not an ISO date"),
        (["diff", "--before", "2020-01-01"], "diff needs"),
        (["diff", "--event", "nope"], "no event"),
        (["sparql", "SELEC * {}"], "SPARQL syntax error"),
        (["sparql"], "give one of: a query"),
        (["--store", "nowhere", "info"], "is not a store"),
    ],
)
def test_user_errors_exit_2_with_a_message(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_ambiguous_name_lists_the_candidates(tmp_path):
    extra = tmp_path / "twins.ttl"
    extra.write_text(
        prefixes() + '<https://example.org/t1> a gk:LegalEntity ; rdfs:label "Twin" .\n'
        '<https://example.org/t2> a gk:LegalEntity ; rdfs:label "Twin" .\n'
    )
    result = run("owners", "twin", "--data", str(extra))
    assert result.exit_code == 2
    assert "https://example.org/t1" in result.output and "https://example.org/t2" in result.output


def test_bad_data_file_names_file_and_line(tmp_path):
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix x: <http://x/> .\nx:a x:b x:c .\nx:a x:b "open .\n')
    result = run("info", "--data", str(bad))
    assert result.exit_code == 2
    assert "bad.ttl" in result.output and "line 3" in result.output


def test_sparql_formats():
    query = (
        "SELECT ?label WHERE { ?e a <https://w3id.org/groupkg/ontology#NaturalPerson> ;"
        " <http://www.w3.org/2000/01/rdf-schema#label> ?label }"
    )
    table = run("sparql", query)
    assert table.exit_code == 0 and "Xavier" in table.output
    doc = json.loads(run("sparql", query, "--format", "json").output)
    assert doc["results"]["bindings"][0]["label"]["value"] == "Xavier"
    csv_out = run("sparql", query, "--format", "csv").output.splitlines()
    assert csv_out[0].strip() == "label" and csv_out[1].strip() == "Xavier"
    tsv_out = run("sparql", query, "--format", "tsv").output
    assert "Xavier" in tsv_out
    construct = run(
        "sparql",
        "CONSTRUCT { ?s ?p ?o } WHERE "
        "{ ?s a <https://w3id.org/groupkg/ontology#NaturalPerson> ; ?p ?o }",
    )
    assert construct.exit_code == 0 and "Xavier" in construct.output


def test_sparql_from_file(tmp_path):
    query = tmp_path / "q.rq"
    query.write_text("ASK { ?s ?p ?o }")
    result = run("sparql", "-f", str(query))
    assert result.exit_code == 0 and "true" in result.output


def test_sparql_over_a_store_with_data_files_is_refused_not_blind(tmp_path):
    # The files added with --data over an oxigraph: store live in memory beside it; a
    # query answered by the store alone would say the files' facts are not there.
    store = f"oxigraph:{tmp_path / 'db'}"
    made = run("--store", store, "info", base=["--no-default-data"])
    assert made.exit_code == 0, made.output
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?h a <https://w3id.org/groupkg/ontology#Holding> }"
    result = run("--store", store, "sparql", count, base=BASE)
    assert result.exit_code == 2
    assert "is held beside it, in memory, where one SPARQL query cannot join both" in result.output
    assert "import your files into it" in result.output
    # the same files alone are answered
    alone = run("--json", "sparql", count)
    assert (
        alone.exit_code == 0
        and json.loads(alone.output)["results"]["bindings"][0]["n"]["value"] != "0"
    )


def test_sparql_nothing_found_exits_1():
    result = run("sparql", "SELECT ?s WHERE { ?s a <http://example.org/Nothing> }")
    assert result.exit_code == 1
