"""sparql:URL on Debian's Virtuoso: what the parity suite does not reach.

Imports in blocks through a staging graph (a progress bar, nothing seen before the end,
nothing left by a failure), the authenticated endpoint (digest, credentials never
printed), an answer the server cuts short, ``--data`` files read beside the store
(Virtuoso's own queries sent to it all the same) and queries about more entities than
Virtuoso takes in one. The session's Virtuoso is shared: each
test writes into named graphs of its own.
"""

from __future__ import annotations

import http.server
import json
import urllib.parse

import pytest
from click.testing import CliRunner

from groupkg.graph import GroupkgError, SparqlStore, open_store
from groupkg.graph.cli import cli
from groupkg.graph.store import named_query
from groupkg.graph.store.remote import PLAIN_BATCH
from tests.servers import serving
from tests.turtle import prefixes


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _register(path, count: int, bad_line: int | None = None):  # noqa: ANN001, ANN202
    """An N-Triples file of ``count`` long triples (more than one request's); a broken
    line at ``bad_line``."""
    lines = [
        f'<urn:test:e{i}> <urn:test:note> "{"a note, long enough to fill blocks " * 4}{i}" .'
        for i in range(count)
    ]
    if bad_line is not None:
        lines[bad_line - 1] = "<urn:test:broken> <urn:test:note> ."
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert count > 2 * PLAIN_BATCH
    return path


def _graphs(server) -> set[str]:  # noqa: ANN001
    """The graphs the server holds (every one, the staging graphs of imports too)."""
    rows = open_store(f"sparql:{server.url}").select(
        "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
    )
    return {row["g"] for row in rows}


def test_an_import_goes_in_blocks_and_is_seen_only_when_whole(virtuoso_server, tmp_path):
    spec = virtuoso_server.store("urn:groupkg:test:blocks")
    store = open_store(spec)
    path = _register(tmp_path / "register.nt", 20000)
    seen = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total, len(store)))

    assert store.import_ntriples(path, progress) == 20000
    assert len(seen) >= 3  # a bar that moves, a block at a time
    assert seen[-1][:2] == (path.stat().st_size, path.stat().st_size)
    assert {count for _, _, count in seen} == {0}  # nothing seen while it ran
    assert len(store) == 20000
    assert not {g for g in _graphs(virtuoso_server) if g.startswith("urn:groupkg:import:")}


def test_a_failed_import_leaves_nothing(virtuoso_server, tmp_path):
    spec = virtuoso_server.store("urn:groupkg:test:failed")
    path = _register(tmp_path / "register.nt", 20000, bad_line=15000)
    code, output = _invoke("import", str(path), "--format", "nt", "--store", spec)
    assert code == 2
    assert "line 15000" in output
    assert len(open_store(spec)) == 0
    assert not {g for g in _graphs(virtuoso_server) if g.startswith("urn:groupkg:import:")}


def test_an_answer_cut_short_is_refused(virtuoso_server, tmp_path):
    spec = virtuoso_server.store("urn:groupkg:test:cut")
    count = virtuoso_server.max_rows + 1
    open_store(spec).import_ntriples(_register(tmp_path / "register.nt", count))
    code, output = _invoke("sparql", "SELECT ?s WHERE { ?s ?p ?o }", "--store", spec)
    assert code == 2
    assert f"cut its answer short at {virtuoso_server.max_rows} rows" in output
    assert "ResultSetMaxRows" in output


def test_the_authenticated_endpoint_takes_the_user_and_password(virtuoso_server, monkeypatch):
    spec = f"sparql:{virtuoso_server.auth_url};graph=urn:groupkg:test:auth"
    code, output = _invoke("init", "--store", spec)
    assert code == 2
    assert "401" in output
    monkeypatch.setenv("GROUPKG_SPARQL_USER", "dba")
    monkeypatch.setenv("GROUPKG_SPARQL_PASSWORD", "dba")
    code, output = _invoke("init", "--store", spec)
    assert code == 0, output
    monkeypatch.delenv("GROUPKG_SPARQL_USER")
    in_url = spec.replace("http://", "http://dba:dba@")
    code, output = _invoke("owners", "IIJ Exlayer", "--at", "2013-12-31", "--json",
                           "--store", in_url)  # fmt: skip
    assert code == 0, output
    assert json.loads(output)["owners"]
    code, output = _invoke("info", "--json", "--store", in_url)
    assert json.loads(output)["store"] == spec
    assert "dba:dba" not in output


def test_a_wrong_password_is_refused_without_printing_it(virtuoso_server):
    spec = f"sparql:{virtuoso_server.auth_url.replace('http://', 'http://dba:s3cret@')}"
    code, output = _invoke("info", "--store", spec + ";graph=urn:groupkg:test:auth")
    assert code == 2
    assert "401" in output
    assert "s3cret" not in output


def test_data_files_beside_virtuoso_leave_it_its_own_queries(virtuoso_server, tmp_path,
                                                              monkeypatch):  # fmt: skip
    spec = virtuoso_server.store("urn:groupkg:test:data-files")
    code, output = _invoke("init", "--store", spec)
    assert code == 0, output
    extra = tmp_path / "extra.ttl"
    extra.write_text(
        prefixes(iij="https://w3id.org/groupkg/data/iij/")
        + """
iij:data-files a gk:LegalEntity ; rdfs:label "Data Files LLC" ;
    prov:wasDerivedFrom iij:src-2013-11-07-s1 .
iij:h-iij-america-data-files a gk:Holding ;
    gk:owner iij:iij-america ; gk:owned iij:data-files ; gk:percent 100.0 ;
    gk:validFrom "2015-01-01"^^xsd:date ; gk:factStatus gk:Stated ;
    prov:wasDerivedFrom iij:src-2013-11-07-s1 .
"""
    )
    sent: list[str] = []
    select = SparqlStore.select

    def recording(store: SparqlStore, query: str):  # noqa: ANN202
        sent.append(query)
        return select(store, query)

    monkeypatch.setattr(SparqlStore, "select", recording)
    question = ["paths", "Data Files LLC", "--at", "2015-06-01", "--json", "--data", str(extra)]
    code, output = _invoke(*question, "--store", spec)
    assert code == 0, output
    # the neighbourhood in Virtuoso's dialect (ontology/queries/virtuoso/), as without
    # --data: the standard query's path runs Virtuoso out of memory on large registers
    neighbourhoods = [q for q in sent if "^gk:owned" in q or "t_distinct" in q]
    assert neighbourhoods
    assert all("OPTION (TRANSITIVE" in q for q in neighbourhoods)
    monkeypatch.undo()
    assert (code, output) == _invoke(*question)  # the memory store's answer


def test_an_ask_is_a_boolean_and_init_writes_once(virtuoso_server):
    # Virtuoso answers an ASK in SPARQL JSON as a row of __ASK_RETVAL: init took it for
    # "no ontology yet" and wrote everything again, the assumptions' blank nodes twice.
    spec = virtuoso_server.store("urn:groupkg:test:ask")
    assert _invoke("init", "--store", spec)[0] == 0
    code, output = _invoke("init", "--store", spec)
    assert code == 0, output
    assert "holds the ontology" in output, output
    for ask in ("ASK { ?s ?p ?o }", "ASK { <urn:groupkg:test:none> ?p ?o }"):
        for kind in ("json", "table"):
            question = ["sparql", ask, "--format", kind]
            assert _invoke(*question, "--store", spec) == _invoke(*question)


@pytest.mark.parametrize("query", ["scope-entities", "scope-facts"])
def test_a_question_about_thousands_of_entities_is_answered(virtuoso_server, query):
    # Virtuoso refuses a VALUES block of more than about 4,000 terms (SP030): a group of
    # a few thousand entities is asked about in several queries, whose rows together
    # are the memory store's, none twice (a holding between entities asked about in two
    # of the queries is found by both).
    spec = virtuoso_server.store("urn:groupkg:test:thousands")
    code, output = _invoke("init", "--store", spec)
    assert code == 0, output
    memory = open_store("memory")
    iij = sorted(
        row["e"]
        for row in memory.select(
            "SELECT DISTINCT ?e WHERE { ?h <https://w3id.org/groupkg/ontology#owner> ?e }"
        )
    )
    absent = [f"<urn:groupkg:test:absent{i}>" for i in range(4500)]
    half = len(iij) // 2
    values = " ".join([*(f"<{e}>" for e in iij[:half]), *absent, *(f"<{e}>" for e in iij[half:])])
    text = named_query(query).replace("$entities", values)

    def table(rows):  # noqa: ANN001, ANN202
        # each store names blank nodes (an assumption) its own way
        def plain(value):  # noqa: ANN001, ANN202
            return "_:" if str(value).startswith("_:") else repr(value)

        return sorted(sorted((k, plain(v)) for k, v in row.items()) for row in rows)

    expected = table(memory.select(text))
    assert table(open_store(spec).select(text)) == expected
    assert len(expected) > len(iij)


@pytest.mark.parametrize(
    "spec",
    [
        "sparql:http://127.0.0.1:1/sparql;graph=",
        "sparql:http://127.0.0.1:1/sparql;graph=urn:a;graph=urn:b",
        "sparql:http://127.0.0.1:1/sparql;limit=5",
    ],
)
def test_a_sparql_store_takes_update_and_graph_only(spec):
    with pytest.raises(GroupkgError, match="takes ;update=URL and ;graph=IRI"):
        open_store(spec)


class _TimingOut(http.server.BaseHTTPRequestHandler):
    """An endpoint that takes every update but the one that adds an import's staging
    graph to the data, which it answers as Virtuoso does a request over its time."""

    updates: list[str] = []
    error = b""

    def do_POST(self) -> None:  # noqa: N802
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        update = form["update"][0]
        self.updates.append(update)
        late = update.startswith("ADD SILENT GRAPH")
        body = self.error if late else b""
        self.send_response(500 if late else 200)
        self.send_header("Server", "Virtuoso/07.20.3240 (Linux) x86_64-pc-linux-gnu")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.mark.parametrize(
    ("error", "setting", "section"),
    [
        ("S1T00 Error SR171: Transaction timed out", "MaxQueryExecutionTime", "[SPARQL]"),
        (
            "40001 Error SR325: Transaction aborted because it's log after image size went "
            "above the limit",
            "TransactionAfterImageLimit",
            "[Parameters]",
        ),
    ],
)
def test_an_import_over_a_limit_of_virtuoso_says_which_and_leaves_nothing(
    tmp_path, error, setting, section
):
    """An import whose last request outlasts Virtuoso's MaxQueryExecutionTime, or logs
    more than its TransactionAfterImageLimit (as the 1M register's did), names the
    setting to raise, and drops its staging graph: nothing of it was added."""
    body = f"Virtuoso {error}\n".encode()
    handler = type("Endpoint", (_TimingOut,), {"updates": [], "error": body})
    with serving(handler) as url:
        store = open_store(f"sparql:{url};graph=urn:groupkg:test:late")
        with pytest.raises(GroupkgError) as refused:
            store.import_ntriples(_register(tmp_path / "register.nt", 20000))
    message = str(refused.value)
    assert error in message
    assert f"{setting}, in the {section} section" in message
    staging = handler.updates[-2].split("<")[1].split(">")[0]
    assert staging.startswith("urn:groupkg:import:")
    assert handler.updates[-1] == f"DROP SILENT GRAPH <{staging}>"
