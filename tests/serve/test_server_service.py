"""SERVICE and LOAD: ``groupkg serve`` fetches no URL on a client's behalf (no SSRF).

pyoxigraph runs a SERVICE clause by POSTing its pattern to the IRI named, and LOAD
by GETting the IRI. A fake SPARQL endpoint on 127.0.0.1 records every request it
gets: the first tests show pyoxigraph really calls it (so "no request" below means
something), the rest that the server refuses such queries and updates with 403 and
the endpoint hears nothing, while queries that only mention "service" in a string,
an IRI, a comment or a variable are answered.
"""

from __future__ import annotations

import http.server
import json
import urllib.parse
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from groupkg.graph import open_store
from groupkg.graph.cli import cli
from groupkg.graph.serve.guard import fetching_keyword
from groupkg.graph.serve.refused import Refused
from groupkg.graph.serve.sparql import run_query
from tests.servers import TOKEN, get, post_body, post_form, serving

ANSWER = {"head": {"vars": ["x"]},
          "results": {"bindings": [{"x": {"type": "literal", "value": "from afar"}}]}}  # fmt: skip


class FakeEndpoint:
    """A SPARQL endpoint on 127.0.0.1 that answers every request with one row: its
    ``handler``, served by :func:`tests.servers.serving` at ``url``."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str, bytes]] = []
        self.url = ""
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                self._answer()

            def do_POST(self) -> None:
                self._answer()

            def _answer(self) -> None:
                size = int(self.headers.get("Content-Length") or 0)
                endpoint.requests.append((self.command, self.path, self.rfile.read(size)))
                body = json.dumps(ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: object) -> None:
                pass

        self.handler = Handler


@pytest.fixture(scope="module")
def endpoint() -> Iterator[FakeEndpoint]:
    fake = FakeEndpoint()
    with serving(fake.handler) as fake.url:
        yield fake


@pytest.fixture
def remote(endpoint: FakeEndpoint) -> FakeEndpoint:
    endpoint.requests.clear()
    return endpoint


@pytest.fixture(scope="module")
def url(start_server):
    return start_server()


@pytest.fixture(scope="module")
def writable(start_server):
    return start_server("--allow-update", env={"GROUPKG_TOKEN": TOKEN})


def _store_with_data() -> ox.Store:
    """A store in which every pattern the tests put before a SERVICE clause matches."""
    store = ox.Store()
    store.update(
        "INSERT DATA { <http://a.example/s> <http://a.example/p> 1, true, 'x', "
        "<http://a.example/o>, <http://e.example/a#>, <http://e.example/service>, "
        "'SERVICE <http://127.0.0.1/> {}', 'SERVICE\\n' . "
        "<http://a.example/service> <http://a.example/p> 2 }"
    )
    return store


def _fetched(store: ox.Store, query: str, remote: FakeEndpoint) -> bool | None:
    """Whether pyoxigraph, running ``query`` itself, sent the endpoint a request;
    ``None`` when it could not parse the query."""
    before = len(remote.requests)
    try:
        answer = store.query(query)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except SyntaxError:
        return None
    except (OSError, RuntimeError, ValueError):
        pass
    return len(remote.requests) > before


# Forms of a SERVICE clause a naive check misses: no word boundary before or after the
# keyword, a comment or an escaped "#" before it, an unfinished long string that
# Oxigraph reads as two short ones.
def tricky_services(endpoint: str) -> dict[str, str]:
    return {
        "lower case": f"select * {{ service <{endpoint}> {{ ?x ?p ?o }} }}",
        "mixed case, no spaces": f"SELECT * {{ sErViCe<{endpoint}>{{?x ?p ?o}} }}",
        "SERVICESILENT": f"SELECT * {{ SERVICESILENT<{endpoint}>{{?x ?p ?o}} }}",
        "SERVICE:x": f"PREFIX : <{endpoint}> SELECT * {{ SERVICE:x {{ ?x ?p ?o }} }}",
        "after a number": f"SELECT * {{ ?s ?p 1SERVICE<{endpoint}>{{?x ?p ?o}} }}",
        "after true": f"SELECT * {{ ?s ?p trueSERVICE<{endpoint}>{{?x ?p ?o}} }}",
        "after a string": f"SELECT * {{ ?s ?p 'x'SERVICE<{endpoint}>{{?x ?p ?o}} }}",
        "after a dot": f"SELECT * {{ ?s ?p $o.SERVICE<{endpoint}>{{?x ?p ?o}} }}",
        "after a comment, CR": f"SELECT * {{ # SERVICE? no\rSERVICE <{endpoint}> {{?x ?p ?o}} }}",
        "after an escaped #": (
            "PREFIX ex: <http://e.example/> "
            f"SELECT * {{ ?s ?p ex:a\\# SERVICE <{endpoint}> {{?x ?p ?o}} }}"
        ),
        "after an unfinished long string": (
            f'SELECT * {{ VALUES ?v {{ """x" }} SERVICE <{endpoint}> {{?x ?p ?o}} }}'
        ),
        "in FILTER EXISTS": f"ASK {{ FILTER EXISTS {{ SERVICE <{endpoint}> {{?x ?p ?o}} }} }}",
        "in CONSTRUCT": f"CONSTRUCT {{ ?x ?p ?o }} WHERE {{ SERVICE <{endpoint}> {{?x ?p ?o}} }}",
    }


# Queries that only mention "service": answered, not refused.
DECOYS = {
    "a variable": "SELECT ?service WHERE { ?service ?p ?o } LIMIT 1",
    "a $variable": "SELECT $service WHERE { $service ?p ?o } LIMIT 1",
    "a string": "SELECT * WHERE { ?s ?p 'SERVICE <http://127.0.0.1/> {}' }",
    "a string with escaped quotes": 'SELECT * WHERE { ?s ?p "\\" SERVICE <http://x/> {} \\"" }',
    "a long string": "SELECT * WHERE { ?s ?p '''it's \nSERVICE <http://x/> {}\n'' ''' }",
    "a comment": "SELECT * WHERE { ?s ?p ?o } LIMIT 1 # SERVICE <http://127.0.0.1/> {}",
    "an IRI": "SELECT * WHERE { <https://example.org/SERVICE> ?p ?o }",
    "a local name": "PREFIX schema: <https://schema.org/> SELECT * { ?s a schema:Service }",
    "a blank node label": "SELECT * WHERE { ?s ?p _:service }",
}


# -- pyoxigraph does fetch: the threat is real -----------------------------------------


def test_pyoxigraph_sends_a_service_pattern_to_the_endpoint(remote):
    rows = list(ox.Store().query(f"SELECT ?x WHERE {{ SERVICE <{remote.url}> {{ ?x ?p ?o }} }}"))
    assert [row["x"].value for row in rows] == ["from afar"]
    (method, path, body), = remote.requests  # fmt: skip
    assert (method, path) == ("POST", "/sparql")
    assert b"?x ?p ?o" in body


def test_pyoxigraph_loads_a_url_named_by_load(remote):
    store = ox.Store()
    store.update(f"LOAD SILENT <{remote.url}>")  # the answer is no RDF; SILENT keeps it quiet
    assert [(m, p) for m, p, _ in remote.requests] == [("GET", "/sparql")]


@pytest.mark.parametrize("form", sorted(tricky_services("http://x/")))
def test_each_tricky_form_is_run_by_pyoxigraph_and_found(form, remote):
    query = tricky_services(remote.url)[form]
    assert _fetched(_store_with_data(), query, remote), "pyoxigraph no longer runs this form"
    assert fetching_keyword(query) == "SERVICE"


@pytest.mark.parametrize("form", sorted(DECOYS))
def test_a_mention_of_service_is_no_clause(form):
    assert fetching_keyword(DECOYS[form]) is None
    ox.Store().query(DECOYS[form])  # and the query is valid SPARQL


def test_load_counts_in_an_update_only():
    assert fetching_keyword("LOAD <http://10.0.0.1/x.ttl> INTO GRAPH <urn:g>", update=True)
    assert fetching_keyword("load<http://10.0.0.1/x.ttl>", update=True) == "LOAD"
    assert fetching_keyword("INSERT { ?s ?p ?o } WHERE { SERVICE ?s { ?s ?p ?o } }", True)
    assert fetching_keyword("SELECT ?load WHERE { ?load ?p 'LOAD <x>' }") is None
    assert fetching_keyword("INSERT DATA { <urn:a> <urn:p> 'LOAD <x>' }", update=True) is None


def test_an_escaped_keyword_counts_for_stores_that_decode_escapes_first():
    assert fetching_keyword("SELECT * { \\u0053ERVICE <http://10.0.0.1/> { } }") == "SERVICE"
    assert fetching_keyword("SELECT * { \\U00000053ERVICE <http://10.0.0.1/> { } }")


def test_the_check_takes_linear_time_on_unfinished_strings():
    # Retrying every quote to the end of the text would take hours here, not seconds.
    import time

    for unit in ('"\\', "'''\\'", '"""x', "<a", "'\\\n"):
        started = time.monotonic()
        assert fetching_keyword(unit * (300_000 // len(unit))) is None
        assert time.monotonic() - started < 10, unit


# -- generated queries: whatever pyoxigraph fetches for, the check finds ---------------

_BEFORE = ["", "?s ?p ?o .", "?s ?p ?o", "?s ?p 1", "?s ?p true", "?s ?p 'x'", "?s ?p []",
           "?s ?p ex:a\\#", "?s ?p <http://a.example/o>", 'VALUES ?v { """x" }',
           "FILTER EXISTS {", "OPTIONAL {", "{ ?s ?p ?o } UNION {"]  # fmt: skip
_GAP = ["", " ", "\n", "\r", "\t", "#c\n", " # SERVICE <http://127.0.0.1/> {}\n"]
_MENTIONS = ["", "?service ?p ?o .", "?s ?p 'SERVICE <http://127.0.0.1/> {}' .",
             "?s ?p '''SERVICE\n''' .", "<http://a.example/service> ?p ?o .",
             "?s ?p ex:service .", "# service\n"]  # fmt: skip


def _cased(word: str) -> st.SearchStrategy[str]:
    return st.lists(st.booleans(), min_size=len(word), max_size=len(word)).map(
        lambda upper: "".join(
            c.upper() if u else c.lower() for c, u in zip(word, upper, strict=True)
        )
    )


@st.composite
def _queries(draw: st.DrawFn, endpoint: str) -> tuple[str, bool]:
    """A query of mentions and, maybe, a SERVICE clause; and whether it has one."""
    before = draw(st.sampled_from(_BEFORE))
    closing = "}" * (before.count("{") - before.count("}"))
    mention = draw(st.sampled_from(_MENTIONS))
    clause = draw(st.booleans())
    body = mention + " " + before
    if clause:
        silent = draw(st.sampled_from(["", " SILENT", "SILENT"]))
        name = draw(st.sampled_from([f"<{endpoint}>", ":x", "?g"]))
        gap = draw(st.sampled_from(_GAP))
        # Glued to a variable or a local name, the keyword is part of that name.
        clause = bool(gap) or not before.endswith(("?o", "\\#"))
        body += gap + draw(_cased("service"))
        body += (draw(_cased(silent)) if silent else "") + draw(st.sampled_from(_GAP))
        body += name + draw(st.sampled_from(["", " "])) + "{ ?x ?p ?o }"
        if name == "?g":  # a variable endpoint, bound before the clause
            body = f"BIND(<{endpoint}> AS ?g) " + body
    prefixes = f"PREFIX : <{endpoint}> PREFIX ex: <http://e.example/> "
    return prefixes + "SELECT * WHERE { " + body + " " + closing + " }", clause


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_generated_queries_the_check_agrees_with_pyoxigraph(endpoint, data):
    query, has_clause = data.draw(_queries(endpoint.url))
    fetched = _fetched(_store_with_data(), query, endpoint)
    found = fetching_keyword(query)
    if fetched:
        assert found == "SERVICE", query
    if has_clause and fetched is not None:  # a clause in a query pyoxigraph accepts
        assert found == "SERVICE", query
    if not has_clause:
        assert not fetched and found is None, query


# -- the server -------------------------------------------------------------------------


def _service_query(endpoint: str) -> str:
    return f"SELECT ?x WHERE {{ SERVICE <{endpoint}> {{ ?x ?p ?o }} }}"


def _refused(status: int, body: bytes) -> None:
    assert status == 403, body
    message = body.decode()
    assert message.startswith("SERVICE is refused") or message.startswith("LOAD is refused")
    assert "groupkg sparql" in message


def test_a_service_query_is_refused_by_every_route_and_nothing_is_fetched(url, remote):
    query = _service_query(remote.url)
    for status, headers, body in (
        get(url + "/sparql", query=query),
        post_form(url + "/sparql", query=query),
        post_body(url + "/sparql", query),
        post_body(url + "/sparql", query, accept="text/csv"),
    ):
        _refused(status, body)
        assert headers["Content-Type"].startswith("text/plain")
    assert remote.requests == []


@pytest.mark.parametrize("form", sorted(tricky_services("http://x/")))
def test_tricky_service_forms_are_refused_by_the_server(form, url, remote):
    status, _, body = post_body(url + "/sparql", tricky_services(remote.url)[form])
    _refused(status, body)
    assert remote.requests == []


def test_a_service_query_is_refused_by_the_viewer_s_sparql_box_too(url, remote):
    # The box posts form-encoded queries with the browser's own Accept header.
    status, _, body = post_form(
        url + "/sparql", accept="application/sparql-results+json, */*;q=0.1",
        query=_service_query(remote.url),
    )  # fmt: skip
    _refused(status, body)
    assert remote.requests == []


@pytest.mark.parametrize("form", sorted(DECOYS))
def test_a_mention_of_service_is_answered(form, url, remote):
    status, _, body = post_body(url + "/sparql", DECOYS[form])
    assert status == 200, body
    assert remote.requests == []


def test_the_server_still_answers_after_refusing(url, remote):
    post_body(url + "/sparql", _service_query(remote.url))
    status, _, body = get(url + "/sparql", query="ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_an_authorised_update_with_load_or_service_is_refused(writable, remote):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    target = "https://example.org/fetched"
    for update in (
        f"LOAD <{remote.url}>",
        f"LOAD SILENT <{remote.url}> INTO GRAPH <{target}>",
        f"INSERT {{ <{target}> <{target}> ?x }} WHERE {{ SERVICE <{remote.url}> {{ ?x ?p ?o }} }}",
    ):
        for status, _, body in (
            post_body(writable + "/sparql", update, "application/sparql-update", headers=auth),
            post_form(writable + "/sparql", headers=auth, update=update),
        ):
            _refused(status, body)
    assert remote.requests == []
    _, _, body = get(writable + "/sparql", query=f"ASK {{ GRAPH ?g {{ <{target}> ?p ?o }} }}")
    assert json.loads(body)["boolean"] is False


def test_an_update_without_the_token_is_refused_before_it_is_read(writable, remote):
    status, _, _ = post_body(writable + "/sparql", f"LOAD <{remote.url}>",
                             "application/sparql-update")  # fmt: skip
    assert status == 401
    assert remote.requests == []


def test_run_query_refuses_service_on_a_remote_store_too(remote):
    # A sparql: store would pass the clause on to its endpoint, which may run it.
    store = open_store(f"sparql:{remote.url}")
    body, _ = run_query(store, "SELECT ?x WHERE { ?x ?p ?o }")
    assert json.loads(body)["results"]["bindings"] == ANSWER["results"]["bindings"]
    assert len(remote.requests) == 1  # the store does reach its endpoint
    with pytest.raises(Refused) as refused:
        run_query(store, _service_query("http://10.0.0.1/sparql"))
    assert refused.value.status == 403
    assert len(remote.requests) == 1


# -- the command line runs SERVICE: the user's own query on the user's own machine -----


def test_groupkg_sparql_runs_a_service_clause(remote):
    query = f"SELECT ?x WHERE {{ SERVICE <{remote.url}> {{ ?x ?p ?o }} }}"
    result = CliRunner().invoke(cli, ["sparql", query, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["x", "from afar"]
    assert [m for m, _, _ in remote.requests] == ["POST"]


def test_a_percent_encoded_keyword_in_a_get_is_found(url, remote):
    encoded = urllib.parse.quote(_service_query(remote.url), safe="")
    status, _, body = get(url + "/sparql?query=" + encoded.replace("SERVICE", "%53ERVICE"))
    _refused(status, body)
    assert remote.requests == []
