"""``groupkg serve`` against hostile requests: no URL fetched, no crash, no runaway.

A canary (a TCP listener on 127.0.0.1 that records every connection) stands for any
address a SERVICE clause or LOAD could name: it must never be contacted, whatever the
spelling, the route or the place of the clause. Deep nesting gets a 400 (the parser
would crash), a query past its time or memory is stopped and its worker killed, a
browser page of another origin is refused, and a server on an ``oxigraph:`` store
answers from what the store holds now.
"""

from __future__ import annotations

import gc
import json
import re
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from groupkg.graph import OxigraphStore, write_synth
from groupkg.graph.cli import cli
from groupkg.graph.cli.serve import serve
from groupkg.graph.facts import queries as library
from groupkg.graph.serve.guard import fetching_keyword
from groupkg.graph.serve.isolation import WorkerDied, WorkerTimedOut, run_isolated
from groupkg.graph.serve.source import prepare_worker as _prepare_worker
from groupkg.graph.store import queryguard
from tests.servers import (
    TOKEN,
    Canary,
    call,
    children_of,
    get,
    launch,
    post_body,
    post_form,
    run_state,
    stop,
)

TESTS = Path(__file__).parents[1]


@pytest.fixture(scope="module")
def canary() -> Iterator[Canary]:
    listener = Canary()
    yield listener
    listener.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory, canary) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    base, process = launch("--timeout", "4", "--max-memory", "96", "--allow-update",
                           "--workers", "2", env={"GROUPKG_TOKEN": TOKEN},
                           cwd=tmp_path_factory.mktemp("s"))  # fmt: skip
    yield base, process
    stop(process)


# -- 1. SERVICE and LOAD ----------------------------------------------------------------


def service_spellings(url: str) -> dict[str, str]:
    """SERVICE clauses as Oxigraph runs them; the first ones the old keyword scan
    read as part of an IRI that a less-than sign seemed to open."""
    pattern = "{ ?x ?p ?o }"
    p = f"PREFIX : <{url}> "
    return {
        "after <, var and comment": f"{p}SELECT * {{ BIND(<{url}> AS ?g) ?s ?p ?o "
        f"FILTER(1<2)SERVICE?g#>\n{pattern} }}",
        "after <, prefixed name": f"{p}SELECT * {{ ?s ?p ?o FILTER(1<2)SERVICE:#>\n{pattern} }}",
        "after <, in OPTIONAL": f"{p}SELECT * {{ ?s ?p ?o OPTIONAL {{ FILTER(1<2)"
        f"SERVICE:#>\n{pattern} }} }}",
        "after <, in a subquery": f"{p}SELECT * {{ {{ SELECT * {{ ?s ?p ?o FILTER(1<2)"
        f"service:#>\n{pattern} }} }} }}",
        "plain": f"SELECT * {{ SERVICE <{url}> {pattern} }}",
        "lower case, SILENT": f"select * {{ service silent <{url}> {pattern} }}",
        "\\u escape": f"SELECT * {{ \\u0053ERVICE <{url}> {pattern} }}",
        "after a comment": f"SELECT * {{ # SERVICE? no\nsErViCe<{url}>{pattern} }}",
        "in a subquery": f"SELECT * {{ {{ SELECT ?x {{ SERVICE <{url}> {pattern} }} }} }}",
        "in OPTIONAL": f"SELECT * {{ ?s ?p ?o OPTIONAL {{ SERVICE <{url}> {pattern} }} }}",
    }


def fetching_updates(url: str) -> dict[str, str]:
    return {
        "LOAD": f"LOAD <{url}>",
        "load after <": f"PREFIX : <{url}> INSERT {{ <urn:a> <urn:b> 1 }} WHERE {{ FILTER(1<2)}}"
        f" ;load:#>\n",
        "SERVICE after <": f"PREFIX : <{url}> INSERT {{ <urn:a> <urn:b> ?x }} WHERE {{ ?s ?p ?o "
        f"FILTER(1<2)SERVICE:#>\n{{ ?x ?p ?o }} }}",
        "\\u escaped LOAD": f"\\u004cOAD <{url}>",
    }


def test_the_less_than_forms_are_clauses_pyoxigraph_runs():
    # Unguarded, pyoxigraph does contact a listener: the threat is real.
    listener = Canary()
    try:
        store = ox.Store()
        store.update("INSERT DATA { <urn:s> <urn:p> <urn:o> }")
        query = service_spellings(listener.url)["after <, prefixed name"]
        solutions = store.query(query)
        with pytest.raises(OSError):
            list(solutions)
        assert listener.contacts == 1
    finally:
        listener.close()
    # pyoxigraph's results may only be dropped by the thread that made them: drop them
    # here, not in whatever thread next runs the garbage collector.
    del solutions, store
    gc.collect()


@pytest.mark.parametrize("form", sorted(service_spellings("http://x/")))
def test_every_service_spelling_is_refused_by_every_route(server, canary, form):
    base, _ = server
    query = service_spellings(canary.url)[form]
    for status, _, body in (
        get(base + "/sparql", query=query),
        post_form(base + "/sparql", query=query),
        post_body(base + "/sparql", query),
    ):
        assert status == 403, body
        assert body.startswith(b"SERVICE is refused")
    assert canary.contacts == 0


@pytest.mark.parametrize("form", sorted(fetching_updates("http://x/")))
def test_every_fetching_update_is_refused_with_the_token(server, canary, form):
    base, _ = server
    auth = {"Authorization": f"Bearer {TOKEN}"}
    update = fetching_updates(canary.url)[form]
    for status, _, body in (
        post_body(base + "/sparql", update, "application/sparql-update", headers=auth),
        post_form(base + "/sparql", headers=auth, update=update),
    ):
        assert status == 403, body
    assert canary.contacts == 0


def test_the_parse_gate_finds_what_the_keyword_scan_misses(canary):
    for form, query in service_spellings(canary.url).items():
        assert queryguard.fetching_clause(query) == "SERVICE", form
    missed = service_spellings(canary.url)["after <, prefixed name"]
    assert fetching_keyword(missed) is None  # why the parse gate is needed
    decoy = "SELECT ?service { ?service ?p 'SERVICE <x>', <http://e.example/service> } # SERVICE"
    assert queryguard.fetching_clause(decoy) is None
    unparsed = "SELECT * { ?s ?p 1SERVICE<http://x/>{} }"
    assert queryguard.fetching_clause(unparsed) == queryguard.UNCHECKED


def test_a_worker_opens_no_internet_socket(canary):
    # Even a clause no check saw cannot reach the canary from a worker.
    store = OxigraphStore()
    query = f"SELECT * {{ SERVICE SILENT <{canary.url}> {{ ?x ?p ?o }} }}"
    rows = run_isolated(lambda: len(list(store.store.query(query))), timeout=30,
                        prepare=lambda: _prepare_worker(store))  # fmt: skip
    assert rows == 1  # SILENT: the failed call gives one empty solution
    assert canary.contacts == 0


# -- 3. nesting ---------------------------------------------------------------------------

DEEP = {
    "braces": "SELECT * WHERE " + "{" * 10_000 + "}" * 10_000,
    "parentheses": "SELECT * WHERE { FILTER(" + "(" * 10_000 + "1" + ")" * 10_000 + ") }",
}


@pytest.mark.parametrize("kind", sorted(DEEP))
def test_deep_nesting_is_refused_and_the_server_lives(server, kind):
    base, process = server
    for status, _, body in (get(base + "/sparql", query=DEEP[kind]),
                            post_body(base + "/sparql", DEEP[kind])):  # fmt: skip
        assert status == 400, body
        assert re.search(rb"nests brackets 1000\d deep", body) and b"at most 256" in body
    assert process.poll() is None
    assert get(base + "/sparql", query="ASK { ?s ?p ?o }")[0] == 200


def test_nesting_at_the_limit_is_answered(server):
    base, _ = server
    depth = queryguard.MAX_NESTING - 1
    status, _, body = get(base + "/sparql", query="ASK " + "{" * depth + "}" * depth)
    assert status == 200, body


def test_the_command_line_refuses_deep_nesting_with_a_message(tmp_path):
    path = tmp_path / "deep.rq"
    path.write_text(DEEP["braces"], encoding="utf-8")
    for args in (["sparql", "-f", str(path)], ["sparql", DEEP["parentheses"]]):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 2, result.output
        assert re.search(r"nests brackets 1000\d deep", result.stderr)
        assert "Traceback" not in result.output
    assert str(path) in CliRunner().invoke(cli, ["sparql", "-f", str(path)]).stderr


# Chains the parser builds one level deeper a link, with no bracket nested: each
# crashed the process at 20,000 links (or 2,000 collection items).
LONG = {
    "sum": "SELECT (" + "+".join(["1"] * 20_000) + " AS ?x) {}",
    "union": "SELECT * { " + " UNION ".join(["{}"] * 20_000) + " }",
    "optional": "SELECT * { " + " ".join(["OPTIONAL {}"] * 20_000) + " }",
    "patterns": "SELECT * { " + " . ".join(["?s <http://x/p> ?o"] * 20_000) + " }",
    "path": "SELECT * { ?s " + "/".join(["<http://x/p>"] * 20_000) + " ?o }",
    "collection": "SELECT * { ?s <http://x/p> (" + " 1" * 5_000 + ") }",
    "less-than": "SELECT * { FILTER(1<" + "+".join(["1"] * 20_000) + ">0) }",
}


@pytest.mark.parametrize("kind", sorted(LONG))
def test_a_long_chain_is_refused_on_the_command_line(kind, tmp_path):
    path = tmp_path / "long.rq"
    path.write_text(LONG[kind], encoding="utf-8")
    code = "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"
    result = subprocess.run([sys.executable, "-c", code, "sparql", "-f", str(path)],
                            capture_output=True, text=True, timeout=120)  # fmt: skip
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert re.search(r"chains \d+ operators, patterns or list items", result.stderr)
    assert "at most 1000" in result.stderr and "Traceback" not in result.stderr


def test_an_authorised_update_with_a_long_chain_leaves_the_server_alive(server):
    base, process = server
    update = "INSERT { <http://x/a> <http://x/n> ?x } WHERE { BIND(" + "+".join(["1"] * 20_000)
    update += " AS ?x) }"
    headers = {"Authorization": f"Bearer {TOKEN}"}
    status, _, body = post_body(base + "/sparql", update, "application/sparql-update",
                                headers=headers)  # fmt: skip
    assert status == 400 and b"chains" in body, body
    assert process.poll() is None
    assert get(base + "/sparql", query=LONG["sum"])[0] == 400


def test_long_values_and_data_blocks_are_not_chains():
    rows = " ".join(f"(<http://x/e{i}> {-i})" for i in range(20_000))
    queryguard.check_nesting(f"SELECT * {{ VALUES (?e ?n) {{ {rows} }} ?e ?p ?n }}")
    items = ", ".join(str(i) for i in range(20_000))
    queryguard.check_nesting(f"SELECT * {{ ?s ?p ?o FILTER(?o IN ({items})) }}")
    triples = " ".join(f"<http://x/e{i}> <http://x/p> ({i} {i}) ." for i in range(20_000))
    queryguard.check_nesting(f"INSERT DATA {{ {triples} }}", "update")
    ancestors = library.named_queries()["ancestors-at"].text  # the longest the library has
    assert queryguard.chain_length(ancestors) < 300


def test_nesting_is_counted_outside_strings_and_comments():
    assert queryguard.nesting_depth("SELECT * { ?s ?p '((((' } # {{{{") == 1
    assert queryguard.nesting_depth('SELECT * { ?s ?p """\n{{{""" }') == 1
    assert queryguard.nesting_depth("SELECT * { FILTER(1<(((2)))) }") == 5


# -- 4. runaway queries --------------------------------------------------------------------

CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i"


def _settled(pid: int, workers: int, killed: set[int]) -> list[int]:
    """The server's children once they are ``workers`` idle workers, none of them one
    of ``killed`` (5 s at most); what they are then."""
    give_up = time.monotonic() + 5
    while True:
        found = children_of(pid)
        if (
            len(found) == workers
            and not set(found) & killed
            and all(run_state(c) == "S" for c in found)
        ) or time.monotonic() > give_up:
            return found
        time.sleep(0.1)  # fmt: skip


def test_runaway_queries_are_killed_and_the_server_keeps_answering(server):
    base, process = server
    threads = [threading.Thread(target=post_body, args=(base + "/sparql", CARTESIAN))
               for _ in range(6)]  # fmt: skip
    started = time.monotonic()
    for thread in threads:
        thread.start()
    # The two kept workers, and more forked for the others once both have been busy a
    # while: looked for until the runaway queries' 4 s are nearly up.
    computing: set[int] = set()
    while len(computing) <= 2 and time.monotonic() - started < 3.5:
        time.sleep(0.1)
        computing |= set(children_of(process.pid))
    assert len(computing) > 2
    for thread in threads:
        thread.join(timeout=30)
    assert time.monotonic() - started < 15  # each stopped at 4 s (or its memory)
    begun = time.monotonic()
    status, _, _ = get(base + "/sparql", query="ASK { ?s ?p ?o }")
    assert status == 200 and time.monotonic() - begun < 2
    # Every worker that ran a runaway query is gone (killed and reaped); the server
    # keeps its two workers, forked anew and waiting for work.
    left = _settled(process.pid, 2, computing)
    assert len(left) == 2 and not set(left) & computing
    assert [run_state(c) for c in left] == ["S", "S"]


def test_a_query_past_the_memory_limit_is_stopped_before_the_timeout(tmp_path):
    base, process = launch("--timeout", "60", "--max-memory", "64", cwd=tmp_path)
    try:
        started = time.monotonic()
        status, _, body = post_body(base + "/sparql", "SELECT * { ?a ?b ?c . ?d ?e ?f } "
                                                      "ORDER BY ?a ?f")  # fmt: skip
        assert status == 503, body
        assert b"64 MiB limit (--max-memory)" in body
        assert time.monotonic() - started < 30
        assert get(base + "/api/info")[0] == 200
    finally:
        stop(process)


def test_whole_history_diffs_of_a_register_free_every_slot_at_the_timeout(tmp_path):
    # Eight calls (every API slot) of a diff that takes longer than the timeout on an
    # 8,000-entity register: each is answered 503 at the timeout, its worker killed,
    # and the server answers the next call at once instead of "busy" for hours.
    register = tmp_path / "register.nt"
    write_synth(register, 8_000, seed=5)
    base, process = launch("--timeout", "2", "--no-default-data", "--data", str(register),
                           "--workers", "2", cwd=tmp_path)  # fmt: skip
    diff = base + "/api/diff?before=1990-01-01&after=2025-12-31"
    try:
        answers: list[int] = []
        threads = [threading.Thread(target=lambda: answers.append(call("GET", diff)[0]))
                   for _ in range(8)]  # fmt: skip
        started = time.monotonic()
        for thread in threads:
            thread.start()
        time.sleep(1)
        computing = set(children_of(process.pid))
        assert len(computing) > 2  # the two kept workers, and more forked for the others
        for thread in threads:
            thread.join(timeout=60)
        assert answers == [503] * 8
        assert time.monotonic() - started < 20
        begun = time.monotonic()
        assert call("GET", base + "/api/info")[0] == 200
        assert call("GET", base + "/api/events?from=2020-01-01")[0] == 200
        assert time.monotonic() - begun < 2
        left = _settled(process.pid, 2, computing)
        assert len(left) == 2 and not set(left) & computing
    finally:
        stop(process)


def test_a_worker_whose_preparation_fails_reports_why():
    # Opening the store in the worker can fail (a writer compacting it); the request
    # gets that error, not "the worker ended without an answer".
    def prepare() -> None:
        raise RuntimeError("Corruption: a table file vanished")

    with pytest.raises(RuntimeError, match="a table file vanished"):
        run_isolated(lambda: 42, timeout=30, prepare=prepare)


def test_the_worker_is_killed_at_its_deadline():
    with pytest.raises(WorkerTimedOut):
        run_isolated(lambda: time.sleep(30), timeout=0.5)
    with pytest.raises(WorkerDied):
        run_isolated(lambda: bytearray(1 << 30), timeout=30, max_memory=64 << 20)
    assert run_isolated(lambda: 6 * 7, timeout=30) == 42


# -- 2. other origins ----------------------------------------------------------------------


def test_a_page_of_another_origin_is_refused(server):
    base, _ = server
    evil = {"Origin": "https://evil.example"}
    status, _, body = post_form(base + "/sparql", headers=evil, query="ASK { ?s ?p ?o }")
    assert status == 403 and b"Origin https://evil.example" in body
    status, _, body = call("GET", base + "/api/info", headers=evil)
    assert status == 403 and "error" in json.loads(body)
    status, _, _ = call("GET", base + "/api/info", headers={"Sec-Fetch-Site": "cross-site",
                                                            "Sec-Fetch-Mode": "cors"})  # fmt: skip
    assert status == 403
    own = {"Origin": base}
    assert post_form(base + "/sparql", headers=own, query="ASK { ?s ?p ?o }")[0] == 200
    link = {"Sec-Fetch-Site": "cross-site", "Sec-Fetch-Mode": "navigate"}
    assert call("GET", base + "/", headers=link)[0] == 200  # a link to the viewer


def test_cors_allows_exactly_the_origin_given(tmp_path):
    app = "https://app.example.org"
    base, process = launch("--cors", app, cwd=tmp_path)
    try:
        status, headers, _ = call("GET", base + "/api/info", headers={"Origin": app})
        assert status == 200 and headers["Access-Control-Allow-Origin"] == app
        status, headers, _ = call("OPTIONS", base + "/sparql", headers={
            "Origin": app, "Access-Control-Request-Method": "POST"})  # fmt: skip
        assert status == 204 and "POST" in headers["Access-Control-Allow-Methods"]
        other = {"Origin": "https://app.example.org.evil.example"}
        assert call("GET", base + "/api/info", headers=other)[0] == 403
    finally:
        stop(process)
    result = CliRunner().invoke(serve, ["--cors", "https://app.example.org/path"])
    assert result.exit_code == 2 and "--cors" in result.output


# -- 5. a store changed by another process ---------------------------------------------------


def test_an_import_made_after_start_is_seen(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", f"oxigraph:{store}", "init"]).exit_code == 0
    base, process = launch("--store", f"oxigraph:{store}", cwd=tmp_path)
    try:
        ask = "ASK { GRAPH ?g { ?s ?p 'Parent Co' } }"  # an import is a named graph
        info = json.loads(get(base + "/api/info")[2])
        assert json.loads(get(base + "/sparql", query=ask)[2])["boolean"] is False
        result = runner.invoke(cli, ["--store", f"oxigraph:{store}", "import", "--quiet",
                                     str(TESTS / "data" / "toygroup.ttl")])  # fmt: skip
        assert result.exit_code == 0, result.output
        assert json.loads(get(base + "/sparql", query=ask)[2])["boolean"] is True
        after = json.loads(get(base + "/api/info")[2])
        assert after["entities"] > info["entities"]
    finally:
        stop(process)


# -- 6. start-up checks and other loopback addresses ---------------------------------------


@pytest.mark.parametrize("host", ["127.0.0.2", "127.1"])  # 127.1 is 127.0.0.1 too
def test_a_server_on_another_loopback_address_checks_the_host(tmp_path, host):
    base, process = launch(host=host, cwd=tmp_path)
    try:
        port = urllib.parse.urlsplit(base).port
        assert call("GET", base + "/api/info")[0] == 200
        status, _, body = call("GET", base + "/api/info", headers={"Host": f"evil.example:{port}"})
        assert status == 400 and body == b"Invalid host header"
    finally:
        stop(process)


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "-1", "100.5"])
def test_a_threshold_that_is_no_percent_is_refused_at_start(value):
    result = CliRunner().invoke(serve, ["--threshold", value])
    assert result.exit_code == 2
    assert "--threshold" in result.stderr and "Traceback" not in result.output


def test_a_token_with_a_character_no_header_can_carry_is_refused_at_start():
    result = CliRunner().invoke(serve, ["--allow-update", "--token", "geheim-schlüssel"])
    assert result.exit_code == 2
    assert "--token" in result.stderr and "'ü'" in result.stderr
