"""What queries see on an ``oxigraph:`` store, by every way in, and updates on one.

The endpoint, ``groupkg sparql`` (text and named queries) and the API answer over one
dataset (:meth:`groupkg.graph.store.OxigraphStore.query`): the default graph is the
union of the store's default graph and its committed named graphs, ``GRAPH ?g``
ranges over the committed named graphs, and an import's staging graph is never seen.
A server started with ``--allow-update`` opens the store for writing and holds its
lock: a second writer is told so in one line.
"""

from __future__ import annotations

import json
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

import pyoxigraph as ox
import pytest

from groupkg.graph import OxigraphStore, open_store
from groupkg.graph.serve.refused import Refused
from groupkg.graph.serve.sparql import run_query

TESTS = Path(__file__).parents[1]
TOY = TESTS / "data" / "toygroup.ttl"
TOKEN = "dataset-token-0815"
GK = "https://w3id.org/groupkg/ontology#"
HOLDINGS = f"SELECT (COUNT(DISTINCT ?h) AS ?n) WHERE {{ ?h a <{GK}Holding> }}"
IN_GRAPHS = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
STAGED = "https://example.org/staged/only-in-a-staging-graph"


def groupkg(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-c", "from groupkg.graph.cli import main; main()", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def sparql_cli(store: Path, *args: str) -> dict:
    done = groupkg("sparql", "--store", f"oxigraph:{store}", "--no-default-data",
                   "--format", "json", *args)  # fmt: skip
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def endpoint(base: str, query: str, accept: str = "application/sparql-results+json") -> dict:
    address = base + "/sparql?" + urllib.parse.urlencode({"query": query})
    request = urllib.request.Request(address, headers={"Accept": accept})
    with urllib.request.urlopen(request, timeout=60) as answer:
        return json.loads(answer.read())


def number(doc: dict) -> int:
    return int(doc["results"]["bindings"][0]["n"]["value"])


def graph_names(doc: dict) -> set[str]:
    return {row["g"]["value"] for row in doc["results"]["bindings"]}


def api_info(base: str) -> dict:
    with urllib.request.urlopen(base + "/api/info", timeout=60) as answer:
        return json.loads(answer.read())


@pytest.fixture(scope="module")
def imported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An ``oxigraph:`` store holding the ontology and, by ``groupkg import``, the toy
    group (five holdings) in a committed named graph; and a staging graph left as a
    killed import leaves it, holding a holding of its own."""
    path = tmp_path_factory.mktemp("dataset") / "store"
    done = groupkg("import", str(TOY), "--store", f"oxigraph:{path}", "--no-default-data",
                   "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    raw = ox.Store(str(path))
    staging = ox.NamedNode(f"urn:groupkg:import:{uuid.uuid4()}")
    raw.add(
        ox.Quad(
            ox.NamedNode(STAGED),
            ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
            ox.NamedNode(GK + "Holding"),
            staging,
        )
    )
    raw.flush()
    del raw
    return path


@pytest.fixture(scope="module")
def served(imported: Path, start_server) -> str:  # type: ignore[no-untyped-def]
    return start_server("--store", f"oxigraph:{imported}", "--no-default-data")


def test_every_reader_counts_the_imported_holdings_alike(imported: Path, served: str):
    over_http = number(endpoint(served, HOLDINGS))
    on_the_command_line = number(sparql_cli(imported, HOLDINGS))
    assert over_http == on_the_command_line == api_info(served)["holdings"] == 5


def test_a_named_query_sees_the_import_on_every_path(imported: Path, served: str):
    params = {"entity": "Parent Co", "date": "2019-06-30"}
    args = [f"--param={k}={v}" for k, v in params.items()]
    on_the_command_line = sparql_cli(imported, "--name", "holdings-at", *args)
    with urllib.request.urlopen(
        served + "/api/queries/holdings-at?" + urllib.parse.urlencode(params), timeout=60
    ) as answer:
        text = json.loads(answer.read())["text"]
    over_http = endpoint(served, text)
    owned = {row["ownedName"]["value"] for row in over_http["results"]["bindings"]}
    assert owned == {"Alpha", "Beta"}
    assert over_http["results"]["bindings"] == on_the_command_line["results"]["bindings"]


def test_graph_ranges_over_committed_graphs_only(imported: Path, served: str):
    for doc in (endpoint(served, GRAPHS), sparql_cli(imported, GRAPHS)):
        names = graph_names(doc)
        assert len(names) == 1
        (name,) = names
        assert name.startswith("urn:groupkg:import:")
    # The staging graph's triple is seen nowhere: not in the default graph, not in a
    # named one, not in the API's counts.
    asked = f"ASK {{ {{ <{STAGED}> ?p ?o }} UNION {{ GRAPH ?g {{ <{STAGED}> ?p ?o }} }} }}"
    assert endpoint(served, asked)["boolean"] is False
    assert sparql_cli(imported, asked)["boolean"] is False
    assert number(endpoint(served, IN_GRAPHS)) == number(sparql_cli(imported, IN_GRAPHS))
    assert api_info(served)["holdings"] == 5


def test_a_staging_graph_cannot_be_asked_for_by_name(imported: Path):
    store = OxigraphStore(imported, read_only=True)
    try:
        (staging,) = [
            g.value for g in store.store.named_graphs()
            if g.value.startswith("urn:groupkg:import:") and g not in store.committed_imports()
        ]  # fmt: skip
        for graphs in ({"default_graphs": [staging]}, {"named_graphs": [staging]}):
            body, _ = run_query(store, f"ASK {{ <{STAGED}> ?p ?o }}", **graphs)
            assert json.loads(body)["boolean"] is False
            body, _ = run_query(store, f"ASK {{ GRAPH ?g {{ <{STAGED}> ?p ?o }} }}", **graphs)
            assert json.loads(body)["boolean"] is False
    finally:
        store.close()


def test_a_querys_own_from_clause_is_kept(imported: Path):
    store = OxigraphStore(imported, read_only=True)
    try:
        (graph,) = store.committed_imports()
        rows = store.select(f"SELECT (COUNT(DISTINCT ?h) AS ?n) FROM <{graph.value}> "
                            f"WHERE {{ ?h a <{GK}Holding> }}")  # fmt: skip
        assert rows == [{"n": 5}]
        # The ontology is in the store's default graph, not in the import's graph.
        rows = store.select(f"SELECT (COUNT(*) AS ?n) FROM <{graph.value}> "
                            f"WHERE {{ <{GK}Holding> ?p ?o }}")  # fmt: skip
        assert rows == [{"n": 0}]
    finally:
        store.close()


# -- updates on a persistent store ------------------------------------------------------


def update(base: str, text: str, **params: str) -> int:
    address = base + "/sparql" + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(
        address,
        data=text.encode(),
        method="POST",
        headers={"Content-Type": "application/sparql-update", "Authorization": f"Bearer {TOKEN}"},
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status
    except urllib.error.HTTPError as error:
        with error:
            return error.code


@pytest.fixture(scope="module")
def writable_store(tmp_path_factory: pytest.TempPathFactory, start_server) -> tuple[str, Path]:  # type: ignore[no-untyped-def]
    path = tmp_path_factory.mktemp("writable") / "store"
    done = groupkg("import", str(TOY), "--store", f"oxigraph:{path}", "--no-default-data",
                   "--quiet")  # fmt: skip
    assert done.returncode == 0, done.stderr
    base = start_server("--store", f"oxigraph:{path}", "--no-default-data", "--allow-update",
                        env={"GROUPKG_TOKEN": TOKEN})  # fmt: skip
    return base, path


def test_an_update_on_a_persistent_store_is_applied(writable_store: tuple[str, Path]):
    base, _ = writable_store
    new = "https://example.org/toy/h-new"
    text = (
        f"PREFIX gk: <{GK}> INSERT DATA {{ <{new}> a gk:Holding ; "
        "gk:owner <https://example.org/toy/x> ; gk:owned <https://example.org/toy/b> ; "
        'gk:percent 5 ; gk:asOf "2021-01-01"^^<http://www.w3.org/2001/XMLSchema#date> }'
    )
    assert update(base, text) == 204
    # What the update wrote is part of what every query sees, with the import.
    assert number(endpoint(base, HOLDINGS)) == 6
    assert api_info(base)["holdings"] == 6
    # An update's WHERE reads the graphs using-graph-uri names: here the import's.
    graphs = graph_names(endpoint(base, GRAPHS))
    (imported_graph,) = [g for g in graphs if g.startswith("urn:groupkg:import:")]
    flag = "https://example.org/flagged"
    text = f"INSERT {{ ?h <{flag}> true }} WHERE {{ ?h a <{GK}Holding> }}"
    assert update(base, text, **{"using-graph-uri": imported_graph}) == 204
    flagged = f"SELECT (COUNT(?h) AS ?n) WHERE {{ ?h <{flag}> true }}"
    assert number(endpoint(base, flagged)) == 5


def test_a_second_writer_is_told_the_store_is_in_use(writable_store: tuple[str, Path]):
    _, path = writable_store
    done = groupkg("import", str(TOY), "--store", f"oxigraph:{path}", "--no-default-data",
                   "--quiet")  # fmt: skip
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert "in use by another writer" in lines[0] and str(path) in lines[0]
    assert "Traceback" not in done.stderr


# -- what a format cannot hold ----------------------------------------------------------

TRIPLE_TERM = (
    "CONSTRUCT { <http://example.org/s> <http://example.org/says> "
    '<<( <http://example.org/a> <http://example.org/b> "c" )>> } WHERE {}'
)


def test_a_triple_term_as_json_ld_is_406(start_server):  # type: ignore[no-untyped-def]
    base = start_server()
    address = base + "/sparql?" + urllib.parse.urlencode({"query": TRIPLE_TERM})
    request = urllib.request.Request(address, headers={"Accept": "application/ld+json"})
    with pytest.raises(urllib.error.HTTPError) as error:
        urllib.request.urlopen(request, timeout=60)
    assert error.value.code == 406
    message = error.value.read().decode()
    assert "JSON-LD" in message and "text/turtle" in message
    # Asked for as Turtle, the same query is answered.
    request = urllib.request.Request(address, headers={"Accept": "text/turtle"})
    with urllib.request.urlopen(request, timeout=60) as answer:
        assert b"<<(" in answer.read()


def test_a_triple_term_as_json_ld_is_refused_by_run_query():
    store = open_store("memory", default_data=False)
    with pytest.raises(Refused) as refused:
        run_query(store, TRIPLE_TERM, "application/ld+json")
    assert refused.value.status == 406


def test_a_triple_term_the_command_line_cannot_write_is_one_line(tmp_path: Path):
    # The command line writes graphs as Turtle; the store's own query_raw, asked for
    # JSON-LD, refuses with an input error, not a traceback.
    from groupkg.graph import InputError

    store = open_store("memory", default_data=False)
    assert isinstance(store, OxigraphStore)
    with pytest.raises(InputError, match="JSON"):
        store.query_raw(TRIPLE_TERM, "application/ld+json")


# -- XML keeps a carriage return ----------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "accept"),
    [
        ('SELECT ?o WHERE { BIND("line1\\r\\nline2" AS ?o) }', "application/sparql-results+xml"),
        (
            'CONSTRUCT { <http://example.org/s> <http://example.org/p> "line1\\r\\nline2" } '
            "WHERE {}",
            "application/rdf+xml",
        ),
    ],
)
def test_xml_answers_keep_a_carriage_return(query: str, accept: str):
    import xml.etree.ElementTree as ET

    store = open_store("memory", default_data=False)
    for body in (run_query(store, query, accept)[0], store.query_raw(query, accept)[0]):
        texts = [e.text for e in ET.fromstring(body).iter() if e.text and "line1" in e.text]
        assert texts == ["line1\r\nline2"]
