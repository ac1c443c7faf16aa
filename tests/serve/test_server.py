"""``groupkg serve`` over real HTTP: the SPARQL 1.1 Protocol, the API and the limits.

Each server is a real process on 127.0.0.1 (the ``start_server`` fixture); clients are
plain urllib and SPARQLWrapper. The answers are checked against the library's own.
"""

import csv
import datetime as dt
import io
import json
import socket
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner
from rdflib.compare import isomorphic
from SPARQLWrapper import CSV, JSON, JSONLD, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

from groupkg.graph import OxigraphStore, open_store
from groupkg.graph.cli.serve import serve
from groupkg.graph.serve.negotiate import negotiate
from groupkg.graph.serve.refused import Refused
from groupkg.graph.serve.sparql import run_query
from tests.servers import TOKEN, call, get, post_body, post_form

IIJ = "https://w3id.org/groupkg/data/iij/"
EXLAYER = IIJ + "iij-exlayer"
LABEL = f"SELECT ?label WHERE {{ <{EXLAYER}> <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"
GRAPH = f"CONSTRUCT {{ <{EXLAYER}> ?p ?o }} WHERE {{ <{EXLAYER}> ?p ?o }}"
SRX = "{http://www.w3.org/2005/sparql-results#}"


@pytest.fixture(scope="module")
def url(start_server):
    return start_server()


@pytest.fixture(scope="module")
def limited(start_server):
    return start_server("--timeout", "1", "--max-results", "5", "--max-body", "2048")


@pytest.fixture(scope="module")
def writable(start_server):
    return start_server("--allow-update", env={"GROUPKG_TOKEN": TOKEN})


def api(base, path, **params):
    status, _, body = get(base + path, **params)
    return status, json.loads(body)


def labels(doc):
    return [row["label"]["value"] for row in doc["results"]["bindings"]]


# rdflib's own JSON-LD reader still builds a ConjunctiveGraph.
JSONLD_READER = pytest.mark.filterwarnings(
    "ignore:ConjunctiveGraph is deprecated:DeprecationWarning"
)


# -- the protocol, through plain HTTP ----------------------------------------------------


def test_get_answers_sparql_json_by_default(url):
    status, headers, body = get(url + "/sparql", query=LABEL)
    assert status == 200
    assert headers["Content-Type"].startswith("application/sparql-results+json")
    assert labels(json.loads(body)) == ["IIJ Exlayer Inc."]


def test_post_form_and_post_body_answer_alike(url):
    by_form = post_form(url + "/sparql", query=LABEL)
    by_body = post_body(url + "/sparql", LABEL)
    assert by_form[0] == by_body[0] == 200
    assert labels(json.loads(by_form[2])) == labels(json.loads(by_body[2])) == ["IIJ Exlayer Inc."]


def _rows_json(body):
    return labels(json.loads(body))


def _rows_xml(body):
    root = ET.fromstring(body)
    return [b.findtext(f"{SRX}literal") for b in root.iter(f"{SRX}binding")]


def _rows_csv(body):
    rows = list(csv.reader(io.StringIO(body.decode("utf-8"))))
    assert rows[0] == ["label"]
    return [r[0] for r in rows[1:]]


def _rows_tsv(body):
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?label"
    return [json.loads(line) for line in lines[1:]]  # TSV writes literals in quotes


@pytest.mark.parametrize(
    "accept, media, read",
    [
        ("application/sparql-results+json", "application/sparql-results+json", _rows_json),
        ("application/sparql-results+xml", "application/sparql-results+xml", _rows_xml),
        ("text/csv", "text/csv", _rows_csv),
        ("text/tab-separated-values", "text/tab-separated-values", _rows_tsv),
        ("text/html, application/json;q=0.9", "application/sparql-results+json", _rows_json),
        ("text/*", "text/csv", _rows_csv),
    ],
)
def test_select_results_in_every_format(url, accept, media, read):
    status, headers, body = post_body(url + "/sparql", LABEL, accept=accept)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    assert read(body) == ["IIJ Exlayer Inc."]


@pytest.mark.parametrize(
    "accept, expected",
    [("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml")],
)
def test_ask_answers_a_boolean(url, accept, expected):
    status, _, body = get(url + "/sparql", accept, query=f"ASK {{ <{EXLAYER}> ?p ?o }}")
    assert status == 200
    if expected == "json":
        assert json.loads(body) == {"head": {}, "boolean": True}
    else:
        assert ET.fromstring(body).findtext(f"{SRX}boolean") == "true"


@JSONLD_READER
@pytest.mark.parametrize(
    "accept, media, rdflib_format",
    [
        (None, "text/turtle", "turtle"),
        ("text/turtle", "text/turtle", "turtle"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
    ],
)
def test_construct_graphs_in_every_format(url, accept, media, rdflib_format):
    status, headers, body = get(url + "/sparql", accept, query=GRAPH)
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == media
    graph = rdflib.Graph().parse(data=body, format=rdflib_format)
    label = rdflib.Literal("IIJ Exlayer Inc.")
    assert (rdflib.URIRef(EXLAYER), rdflib.RDFS.label, label) in graph
    _, _, turtle = get(url + "/sparql", "text/turtle", query=GRAPH)
    assert isomorphic(graph, rdflib.Graph().parse(data=turtle, format="turtle"))


def test_describe_answers_a_graph(url):
    status, _, body = post_form(
        url + "/sparql", "application/n-triples", query=f"DESCRIBE <{EXLAYER}>"
    )
    assert status == 200
    assert len(rdflib.Graph().parse(data=body, format="nt")) > 3


def test_malformed_query_is_400_with_the_parser_message(url):
    for status, headers, body in (
        get(url + "/sparql", query="SELEC * WHERE { ?s ?p ?o }"),
        post_form(url + "/sparql", query="SELECT * WHERE { ?s ?p "),
        post_body(url + "/sparql", "PREFIX x: SELECT"),
    ):
        assert status == 400
        assert headers["Content-Type"].startswith("text/plain")
        assert body.decode().startswith("SPARQL syntax error: error at 1:")


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
QUERY = {"Content-Type": "application/sparql-query"}


@pytest.mark.parametrize(
    "method, path, body, headers, status, message",
    [
        ("GET", "/sparql", None, {}, 400, "missing query"),
        ("POST", "/sparql", b"", QUERY, 400, "missing query"),
        ("POST", "/sparql", b"default-graph-uri=x", FORM, 400, "missing query"),
        ("POST", "/sparql", b"query=ASK{}&query=ASK{}", FORM, 400, "give one query"),
        ("POST", "/sparql", b"query=ASK{}&update=CLEAR%20ALL", FORM, 400, "not both"),
        ("POST", "/sparql", b"ASK {}", {"Content-Type": "text/plain"}, 415, "cannot read a POST"),
        ("POST", "/sparql", b"\xff\xfe", QUERY, 400, "not UTF-8"),
        ("PUT", "/sparql", b"ASK {}", QUERY, 405, "Method Not Allowed"),
        ("DELETE", "/sparql", None, {}, 405, "Method Not Allowed"),
        ("GET", "/sparql?query=ASK%7B%7D", None, {"Accept": "image/png"}, 406,
         "acceptable: application/sparql-results+json"),
        ("GET", "/sparql?update=CLEAR%20ALL", None, {}, 400, "must be sent with POST"),
    ],
)  # fmt: skip
def test_protocol_errors(url, method, path, body, headers, status, message):
    got, answer_headers, text = call(method, url + path, body, headers)
    assert got == status
    assert message in text.decode()
    if status == 405:
        assert set(answer_headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_named_graph_parameters_are_honoured_on_oxigraph(url):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    status, _, body = get(url + "/sparql", query=query, **{"default-graph-uri": "urn:x:none"})
    assert status == 200
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "0"


def test_a_malformed_http_request_is_400(url):
    host, port = urllib.parse.urlsplit(url).netloc.split(":")
    with socket.create_connection((host, int(port)), timeout=30) as raw:
        raw.sendall(b"NOT HTTP AT ALL\r\n\r\n")
        answer = raw.recv(1024)
    assert answer.startswith(b"HTTP/1.1 400")


def test_unknown_host_is_refused(url):
    status, _, _ = call("GET", url + "/api/info", headers={"Host": "rebound.example"})
    assert status == 400


# -- through SPARQLWrapper -------------------------------------------------------------


def wrapper(base, query, fmt, method="GET"):
    client = SPARQLWrapper(base + "/sparql")
    client.setQuery(query)
    client.setReturnFormat(fmt)
    client.setMethod(method)
    return client.query().convert()


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_sparqlwrapper_json(url, method):
    assert labels(wrapper(url, LABEL, JSON, method)) == ["IIJ Exlayer Inc."]


def test_sparqlwrapper_xml_csv_tsv(url):
    document = wrapper(url, LABEL, XML)
    assert [n.firstChild.data for n in document.getElementsByTagName("literal")] == [
        "IIJ Exlayer Inc."
    ]
    assert _rows_csv(wrapper(url, LABEL, CSV)) == ["IIJ Exlayer Inc."]
    assert _rows_tsv(wrapper(url, LABEL, TSV)) == ["IIJ Exlayer Inc."]


@JSONLD_READER
def test_sparqlwrapper_graphs(url):
    turtle = rdflib.Graph().parse(data=wrapper(url, GRAPH, TURTLE), format="turtle")
    jsonld = wrapper(url, GRAPH, JSONLD)
    assert isinstance(jsonld, rdflib.Graph)
    assert len(turtle) > 3 and isomorphic(turtle, jsonld)


def test_sparqlwrapper_sees_a_malformed_query(url):
    with pytest.raises(QueryBadFormed, match="SPARQL syntax error"):
        wrapper(url, "SELECT ?x WHERE { ?x ", JSON)


# -- updates ---------------------------------------------------------------------------

INSERT = (
    "PREFIX gk: <https://w3id.org/groupkg/ontology#> "
    "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    'INSERT DATA { <https://example.org/acme> a gk:LegalEntity ; rdfs:label "Acme Widgets Ltd" }'
)


def test_updates_are_refused_by_default(url):
    for status, _, body in (
        post_form(url + "/sparql", update=INSERT),
        post_body(url + "/sparql", INSERT, "application/sparql-update"),
        post_body(
            url + "/sparql",
            INSERT,
            "application/sparql-update",
            headers={"Authorization": f"Bearer {TOKEN}"},
        ),  # fmt: skip
    ):
        assert status == 403
        assert "read-only" in body.decode()
    _, _, body = get(url + "/sparql", query="ASK { <https://example.org/acme> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_updates_need_the_bearer_token(writable):
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}):
        status, answer_headers, body = post_body(
            writable + "/sparql", INSERT, "application/sparql-update", headers=headers
        )
        assert status == 401
        assert answer_headers["WWW-Authenticate"].startswith("Bearer")
        assert "Authorization: Bearer" in body.decode()
    status, _, _ = post_form(
        writable + "/sparql", headers={"Authorization": "Bearer no"}, update=INSERT
    )
    assert status == 401
    _, _, body = get(writable + "/sparql", query="ASK { <https://example.org/acme> ?p ?o }")
    assert json.loads(body)["boolean"] is False


def test_an_authorised_update_is_applied_and_seen_by_the_api(writable):
    auth = {"Authorization": f"Bearer {TOKEN}"}
    status, _, body = post_body(
        writable + "/sparql", INSERT, "application/sparql-update", headers=auth
    )
    assert status == 204, body
    _, _, body = get(writable + "/sparql", query="ASK { <https://example.org/acme> ?p ?o }")
    assert json.loads(body)["boolean"] is True
    status, found = api(writable, "/api/entities", q="acme")
    assert status == 200
    assert [e["id"] for e in found["entities"]] == ["https://example.org/acme"]
    status, _, body = post_form(writable + "/sparql", headers=auth, update="INSERT DATA {")
    assert status == 400 and "SPARQL syntax error" in body.decode()


def test_sparqlwrapper_sends_an_update_with_the_token(writable):
    client = SPARQLWrapper(writable + "/sparql")
    client.setMethod("POST")
    client.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    client.setQuery("INSERT DATA { <https://example.org/w> <https://example.org/p> 1 }")
    assert client.query().response.status == 204
    assert labels_of_count(writable, "<https://example.org/w> <https://example.org/p> ?o") == 1


def labels_of_count(base, pattern):
    _, _, body = get(base + "/sparql", query=f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_allow_update_without_a_token_is_a_usage_error():
    result = CliRunner().invoke(serve, ["--allow-update"], env={"GROUPKG_TOKEN": ""})
    assert result.exit_code == 2
    assert "--allow-update needs a bearer token" in result.output


# -- limits ----------------------------------------------------------------------------

# A hundred million joined rows to count (470 triples, three times over; the ontology
# alone has more): about ten seconds of work from which no row streams out, so
# pyoxigraph cannot be stopped and the answer must come at the timeout regardless.
_SUBQUERIES = " ".join(f"{{ SELECT ?{v} WHERE {{ ?{v} ?{v}p ?{v}o }} LIMIT 470 }}" for v in "abc")
SLOW = f"SELECT (COUNT(*) AS ?n) WHERE {{ {_SUBQUERIES} }}"


def test_a_query_over_the_timeout_is_stopped_with_a_clear_error(limited):
    status, headers, body = post_body(limited + "/sparql", SLOW)
    assert status == 503
    assert headers["Content-Type"].startswith("text/plain")
    assert "query exceeded the 1 s timeout" in body.decode()
    # the server still answers while the runaway query finishes in the background
    status, _, body = get(limited + "/sparql", query="ASK { ?s ?p ?o }")
    assert status == 200 and json.loads(body)["boolean"] is True


@pytest.mark.parametrize(
    "query, what",
    [
        ("SELECT * WHERE { ?s ?p ?o } LIMIT 6", "rows"),
        ("CONSTRUCT WHERE { ?s ?p ?o } LIMIT 6", "triples"),
    ],
)
def test_a_result_over_the_cap_is_refused(limited, query, what):
    status, _, body = get(limited + "/sparql", query=query)
    assert status == 422
    assert f"the result has more than 5 {what} (--max-results)" in body.decode()


def test_a_result_at_the_cap_is_answered(limited):
    status, _, body = get(limited + "/sparql", query="SELECT * WHERE { ?s ?p ?o } LIMIT 5")
    assert status == 200
    assert len(json.loads(body)["results"]["bindings"]) == 5


def test_a_body_over_the_limit_is_413(limited):
    padding = "#" + "x" * 3000 + "\n"
    message = "the request body is over the 2048-byte limit (--max-body)"
    for status, _, body in (
        post_body(limited + "/sparql", padding + "ASK {}"),
        post_form(limited + "/sparql", query=padding + "ASK {}"),
    ):
        assert status == 413
        assert message in body.decode()
    # without Content-Length (chunked), the server counts as the body arrives
    chunked = urllib.request.Request(
        limited + "/sparql",
        data=iter([padding.encode(), b"ASK {}"]),
        headers={"Content-Type": "application/sparql-query"},
        method="POST",
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(chunked, timeout=60)
    with refused.value as error:
        assert error.code == 413
        assert message in error.read().decode()
    status, _, _ = post_body(limited + "/sparql", "#" + "x" * 1900 + "\nASK {}")
    assert status == 200


# -- the API ---------------------------------------------------------------------------

DAY = "2013-12-31"


def same(answer):
    """A library answer as the API sends it (JSON has no tuples, no int/float split)."""
    return json.loads(json.dumps(answer))


@pytest.mark.parametrize("method", ["entity", "owners", "holdings", "paths", "perimeter"])
@pytest.mark.parametrize("name", ["IIJ-Exlayer", "Internet Initiative Japan", "IIJ Technology"])
def test_api_answers_are_the_library_answers(url, iij, method, name):
    status, answer = api(url, f"/api/{method}/{urllib.parse.quote(name)}", at=DAY)
    assert status == 200
    assert answer == same(getattr(iij, method)(name, dt.date(2013, 12, 31)))


def test_api_owners_of_iij_exlayer(url):
    status, answer = api(url, "/api/owners/IIJ-Exlayer", at=DAY)
    assert status == 200
    top = answer["owners"][0]
    assert (top["name"], top["percent"]) == ("Internet Initiative Japan Inc.", 99.9)


def test_api_takes_an_iri_as_the_name(url, iij):
    status, answer = api(url, "/api/holdings/" + urllib.parse.quote(IIJ + "iij", safe=""), at=DAY)
    assert status == 200
    assert answer == same(iij.holdings(IIJ + "iij", dt.date(2013, 12, 31)))


def test_api_effective_diff_events_info(url, iij):
    day = dt.date(2013, 12, 31)
    assert api(url, "/api/effective", owner="IIJ", target="IIJ-Exlayer", at=DAY) == (
        200, same(iij.effective("IIJ", "IIJ-Exlayer", day))
    )  # fmt: skip
    assert api(url, "/api/diff", before=DAY, after="2014-01-01", root="IIJ") == (
        200, same(iij.diff(day, dt.date(2014, 1, 1), "IIJ"))
    )  # fmt: skip
    period = {"from": "2013-01-01", "to": "2014-12-31"}
    assert api(url, "/api/events", entity="IIJ-Exlayer", **period) == (
        200, same(iij.events("IIJ-Exlayer", dt.date(2013, 1, 1), dt.date(2014, 12, 31)))
    )  # fmt: skip
    assert api(url, "/api/events") == (200, same(iij.events()))
    assert api(url, "/api/info") == (200, same(iij.info()))


def test_api_diff_across_an_event(url, iij):
    event = iij.dataset.events[0].id
    before, after = iij.event_days(event)
    assert api(url, "/api/diff", event=event) == (200, same(iij.diff(before, after)))


@pytest.mark.parametrize(
    "path, params, status, message",
    [
        ("/api/owners/IIJ-Exlayer", {"at": "2013-02-30"}, 400, "is not a real day"),
        ("/api/owners/IIJ-Exlayer", {"at": "31/12/2013"}, 400, "is not an ISO date"),
        ("/api/events", {"from": "2013-13-01"}, 400, "is not a real day"),
        ("/api/diff", {"before": DAY}, 400, "after: missing"),
        ("/api/effective", {"owner": "IIJ"}, 400, "target: missing"),
        ("/api/perimeter/IIJ", {"affiliate_min": "lots"}, 400, "not a number"),
        ("/api/entity/No Such Company", {}, 404, "no entity is called"),
        ("/api/paths/nobody-at-all", {"at": DAY}, 404, "no entity is called"),
        ("/api/nothing-here", {}, 404, "Not Found"),
    ],
)
def test_api_errors(url, path, params, status, message):
    got, answer = api(url, urllib.parse.quote(path), **params)
    assert got == status
    assert message in answer["error"]


@pytest.mark.parametrize(
    "path, params, named",
    [
        ("/api/owners/IIJ-Exlayer", {"date": DAY}, "date"),  # a typo of at
        ("/api/paths/IIJ-Exlayer", {"at": DAY, "threshold": "40"}, "threshold"),
        ("/api/info", {"at": DAY}, "at"),
        ("/api/events", {"entity": "IIJ", "since": "2013-01-01"}, "since"),
        ("/api/effective", {"owner": "IIJ", "target": "IIJ-Exlayer", "as_of": DAY}, "as_of"),
        ("/api/perimeter/IIJ", {"at": DAY, "affiliate-min": "10"}, "affiliate-min"),
        ("/api/diff", {"before": DAY, "after": "2014-01-01", "root_": "IIJ"}, "root_"),
        ("/api/entities", {"q": "iij", "limit": "5"}, "limit"),
    ],
)
def test_api_refuses_a_parameter_it_would_ignore(url, path, params, named):
    got, answer = api(url, urllib.parse.quote(path), **params)
    assert got == 400
    assert f"not {named}" in answer["error"]


def test_view_refuses_a_parameter_it_would_ignore(url):
    status, _, body = call("GET", url + "/view?" + urllib.parse.urlencode({"date": DAY}))
    assert status == 400 and b"not date" in body


@pytest.mark.parametrize(
    "path, query",
    [
        ("/api/entity/IIJ", "at=2013-01-01&at=2014-01-01"),  # was answered for 2014-01-01
        ("/api/events", "from=2014-01-01&from=2010-01-01"),
        ("/api/queries/ancestors-at", "entity=iij&date=2013-10-01&date=2010-01-01"),
        ("/api/entities", "q=IIJ&q=NTT"),
    ],
)
def test_api_refuses_a_parameter_given_twice(url, path, query):
    status, _, body = call("GET", url + path + "?" + query)
    assert status == 400
    assert "given more than once" in json.loads(body)["error"]


def test_view_refuses_a_parameter_given_twice(url):
    status, _, body = call("GET", url + "/view?at=2013-01-01&at=2014-01-01")
    assert status == 400 and b"at given more than once" in body


def test_api_refuses_other_methods(url):
    status, _, body = call("POST", url + "/api/info", b"{}", {"Content-Type": "application/json"})
    assert status == 405 and json.loads(body) == {"error": "Method Not Allowed"}


def test_search_as_you_type(url):
    for typed in ("exlay", "IIJ EXLAYER", "iij-exl", "iijexlayer"):
        status, found = api(url, "/api/entities", q=typed)
        assert status == 200
        assert found["entities"][0]["id"] == EXLAYER, typed
    _, found = api(url, "/api/entities", q="i")
    assert 0 < len(found["entities"]) <= 20
    _, found = api(url, "/api/entities", q="no such name anywhere")
    assert found["entities"] == []


def test_named_queries_are_listed(url):
    status, queries = api(url, "/api/queries")
    assert status == 200
    by_name = {q["name"]: q for q in queries}
    assert {"owners-at", "holdings-at", "facts-entities"} <= set(by_name)
    owners = by_name["owners-at"]
    assert owners["role"] == "example"
    assert owners["parameters"] == {"entity": "entity", "date": "date"}
    assert owners["description"].startswith("Direct owners of an entity on a date")
    assert "$entity" in owners["text"]
    assert by_name["facts-entities"]["role"] == "internal"
    assert {q["role"] for q in queries if q["name"].startswith("check-")} == {"check"}


def test_a_named_query_filled_in_runs_on_the_endpoint(url):
    status, prepared = api(url, "/api/queries/owners-at", entity="IIJ-Exlayer", date=DAY)
    assert status == 200
    assert f"<{EXLAYER}>" in prepared["text"] and "$entity" not in prepared["text"]
    _, _, body = post_body(url + "/sparql", prepared["text"])
    rows = json.loads(body)["results"]["bindings"]
    assert ("Internet Initiative Japan Inc.", "99.9") in {
        (r["ownerName"]["value"], r["percent"]["value"]) for r in rows
    }
    status, answer = api(url, "/api/queries/owners-at", entity="IIJ-Exlayer")
    assert status == 400 and "needs --param date=date" in answer["error"]
    status, answer = api(url, "/api/queries/no-such-query")
    assert status == 400 and "no named query" in answer["error"]


# -- the pages -------------------------------------------------------------------------


def test_viewer_page_and_assets(url):
    status, headers, body = get(url + "/")
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert b'<input id="search"' in body
    for name, media in (
        ("viewer.js", "text/javascript"),
        ("sparql.js", "text/javascript"),
        ("viewer.css", "text/css"),
    ):
        status, headers, body = get(url + "/static/" + name)
        assert status == 200 and headers["Content-Type"].startswith(media) and body
    assert get(url + "/static/../server.py")[0] == 404
    assert get(url + "/static/index.py")[0] == 404


@pytest.mark.parametrize("name", ["viewer.js", "sparql.js"])
def test_viewer_script_never_writes_markup(url, name):
    _, _, script = get(url + "/static/" + name)
    assert script
    for sink in (b"innerHTML", b"outerHTML", b"insertAdjacentHTML", b"document.write"):
        assert sink not in script


def test_view_is_the_viz_page(url):
    status, headers, body = get(url + "/view", entity="IIJ-Exlayer", at=DAY)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert "frame-ancestors 'self'" in headers["Content-Security-Policy"]
    assert b"IIJ Exlayer Inc." in body and b"<script" in body
    status, _, body = get(url + "/view", at=DAY)
    assert status == 200 and b"IIJ Exlayer Inc." in body
    status, _, body = get(url + "/view", entity="IIJ-Exlayer", at="2014-01-01")
    assert status == 400 and b"not active on 2014-01-01" in body
    assert get(url + "/view", entity="nobody-at-all", at=DAY)[0] == 404
    assert get(url + "/view", entity="IIJ", at="2013-02-30")[0] == 400


def test_view_draws_what_changed_between_two_days(url):
    status, _, body = get(url + "/view", entity="IIJ", before=DAY, after="2014-01-01")
    assert status == 200 and b"IIJ Exlayer Inc." in body
    assert b"changes from 2013-12-31 to 2014-01-01" in body
    status, _, body = get(url + "/view", entity="IIJ", at=DAY, after="2014-01-01")
    assert status == 400 and b"either at or before/after" in body
    status, _, body = get(url + "/view", entity="IIJ", before=DAY)
    assert status == 400 and b"after: missing" in body


def test_api_changes_are_the_days_the_group_changes(url, iij):
    status, answer = api(url, "/api/changes", entity="IIJ")
    assert status == 200 and answer["entity"] == "IIJ"
    assert "2014-01-01" in answer["days"]  # the merger of IIJ America and Exlayer USA
    status, whole = api(url, "/api/changes")
    assert status == 200 and whole["days"] == [d.isoformat() for d in iij.change_days()]
    assert set(answer["days"]) <= set(whole["days"])
    assert api(url, "/api/changes", at=DAY)[0] == 400  # a parameter it would ignore


# -- in-process: negotiation and stores without pyoxigraph underneath ---------------------


@pytest.mark.parametrize(
    "accept, expected",
    [
        (None, "json"),
        ("", "json"),
        ("*/*", "json"),
        ("text/csv;q=0.5, application/sparql-results+xml", "xml"),
        ("text/csv;q=0.5, application/sparql-results+xml;q=0.4", "csv"),
        ("image/png, */*;q=0.1", "json"),
        ("text/*", "csv"),
        ("application/sparql-results+json;q=0, text/csv", "csv"),
        ("image/png", None),
    ],
)
def test_negotiate(accept, expected):
    offers = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
              "text/csv": "csv"}  # fmt: skip
    assert negotiate(accept, offers) == expected


@pytest.mark.parametrize(
    "accept, expected",
    [
        # q=0 refuses a type, also under a wildcard that accepts its kind
        ("text/*;q=0.5, text/csv;q=0", "tsv"),
        ("*/*, application/sparql-results+json;q=0", "xml"),
        ("text/*, text/csv;q=0, text/tab-separated-values;q=0", None),
        # the most specific range that matches a type gives its quality
        ("text/*;q=0.9, text/csv;q=0.1", "tsv"),
        # a quoted quality is read as its value, not as a refusal
        ('text/csv;q="0.5", application/sparql-results+xml;q=0.4', "csv"),
    ],
)
def test_negotiate_reads_the_most_specific_range(accept, expected):
    offers = {"application/sparql-results+json": "json", "application/sparql-results+xml": "xml",
              "text/csv": "csv", "text/tab-separated-values": "tsv"}  # fmt: skip
    assert negotiate(accept, offers) == expected


def test_a_refused_type_is_not_answered(url):
    status, headers, body = post_body(url + "/sparql", LABEL, accept="text/*;q=0.5, text/csv;q=0")
    assert status == 200, body
    assert headers["Content-Type"].split(";")[0] == "text/tab-separated-values"
    assert _rows_tsv(body) == ["IIJ Exlayer Inc."]


class TextOnlyStore:
    """A store that answers only with serialised results, like a remote endpoint."""

    description = "text-only"

    def __init__(self, inner):
        self.inner = inner

    def query_raw(self, query, media_type):
        return self.inner.query_raw(query, media_type)


@pytest.fixture(scope="module")
def text_only():
    store = open_store("memory", default_data=False)
    assert isinstance(store, OxigraphStore)
    store.update('INSERT DATA { <urn:a> <urn:p> 1, 2, 3 . <urn:b> <urn:p> "x"@en }')
    return store, TextOnlyStore(store)


@pytest.mark.parametrize("accept", [None, "text/csv", "text/tab-separated-values",
                                    "application/sparql-results+xml"])  # fmt: skip
def test_a_store_without_pyoxigraph_answers_alike(text_only, accept):
    oxigraph, remote = text_only
    query = "SELECT ?s ?o WHERE { ?s <urn:p> ?o } ORDER BY ?s ?o"
    assert run_query(remote, query, accept) == run_query(oxigraph, query, accept)
    graph = "CONSTRUCT WHERE { ?s <urn:p> ?o }"
    body, media = run_query(remote, graph, "application/n-triples")
    assert media == "application/n-triples"
    expected = run_query(oxigraph, graph, "application/n-triples")[0]
    assert set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)) == set(
        ox.parse(expected, format=ox.RdfFormat.N_TRIPLES)
    )
    assert json.loads(run_query(remote, "ASK { <urn:a> ?p ?o }")[0])["boolean"] is True


def test_the_cap_holds_without_pyoxigraph(text_only):
    _, remote = text_only
    with pytest.raises(Refused) as refused:
        run_query(remote, "SELECT * WHERE { ?s <urn:p> ?o }", max_results=3)
    assert refused.value.status == 422
    with pytest.raises(Refused) as refused:
        run_query(remote, "SELECT * WHERE { ?s <urn:p> ?o }", default_graphs=["urn:g"])
    assert refused.value.status == 400


def test_a_streamed_body_a_little_over_the_limit_always_reads_413(limited):
    # The client is still sending when the server knows the answer: the server reads
    # the rest before answering, so the client gets the 413, not a broken connection.
    for _ in range(5):
        chunked = urllib.request.Request(
            limited + "/sparql",
            # 900 kB: more than the sockets buffer, less than the server drains
            data=iter([b"#" + b"x" * 1999 for _ in range(450)] + [b"\nASK {}"]),
            headers={"Content-Type": "application/sparql-query"},
            method="POST",
        )
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(chunked, timeout=60)
        with refused.value as error:
            assert error.code == 413
    status, _, _ = post_body(limited + "/sparql", "ASK {}")
    assert status == 200


# -- control under rule sets -------------------------------------------------------------


def test_api_control_is_the_library_answer(url, iij):
    status, answer = api(url, "/api/control/IIJ", at=DAY, rules="eu-amld,ias-28")
    assert status == 200
    assert answer == same(iij.control("IIJ", dt.date(2013, 12, 31), ["eu-amld", "ias-28"]))


def test_api_control_takes_only_shipped_rule_sets(url):
    # A server reads no file a client names.
    status, answer = api(url, "/api/control/IIJ", at=DAY, rules="/etc/passwd")
    assert status == 400 and "unknown rule set /etc/passwd" in answer["error"]
