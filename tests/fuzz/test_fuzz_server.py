"""``groupkg serve`` fed generated and mutated requests over real HTTP.

One server process on 127.0.0.1 (the ``start_server`` fixture, bundled IIJ data,
small limits so that every case is quick) takes two kinds of case:

- well-formed HTTP with odd contents (``server-http``): any method on ``/sparql``,
  ``/api/...``, ``/view``, ``/static/...`` and made-up paths, query strings of
  mutated SPARQL, names, dates and numbers, percent-escapes that decode to nothing,
  bodies of any bytes under any content type (some past ``--max-body``), and random
  ``Accept``, ``Content-Type``, ``Authorization`` and ``Host`` headers;
- mutated raw requests on a socket (``server-raw``): valid requests with flipped,
  deleted, inserted and duplicated bytes, so that request lines, headers, lengths and
  chunked bodies break.

An answer passes when its status is below 500 and an error says why (``/api`` in
JSON with an ``error``, elsewhere a non-empty text); the one 5xx allowed is the
documented 503 of a query past ``--timeout`` or a server whose workers are all
busy. After every case the server must still answer ``/api/info``.
"""

from __future__ import annotations

import http.client
import json
import re
import socket
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from groupkg.graph.serve.guard import refuse_fetching as _refuse_fetching
from groupkg.graph.serve.refused import Refused
from tests.fuzz.harness import fuzz_case, fuzz_settings
from tests.fuzz.strategies import date_texts, mutated_bytes, nasty_text, number_texts

# A failing case holding a long body is reported all the same.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

MAX_BODY = 65_536
LIMITS = ("--timeout", "5", "--max-results", "500", "--max-body", str(MAX_BODY))

QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s a <https://w3id.org/groupkg/ontology#Holding> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <https://w3id.org/groupkg/data/iij/iij-exlayer>",
    "PREFIX gk: <https://w3id.org/groupkg/ontology#>\n"
    "SELECT ?h ?pc WHERE { ?h gk:percent ?pc FILTER(?pc > 50) } ORDER BY DESC(?pc)",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT * WHERE { VALUES ?x { 1 'a' <urn:x> } BIND(STR(?x) AS ?y) }",
    'INSERT DATA { <urn:a> <urn:p> "x" }',
    # Refused (403); were it run, fetching from the discard port would fail as a 5xx.
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
]
NAMES = ["IIJ", "IIJ Exlayer", "IIJ-Exlayer", "iij-exlayer", "IIJ Exlayer USA", "Nobody",
         "Internet Initiative Japan", "https://w3id.org/groupkg/data/iij/iij"]  # fmt: skip
API = ["info", "entity/{}", "owners/{}", "holdings/{}", "paths/{}", "perimeter/{}", "effective",
       "diff", "events", "entities", "queries", "queries/{}", "{}", "{}/{}"]  # fmt: skip
NAMED = ["owners-at", "holdings-at", "ancestors-at", "events-of", "sources-of",
         "dissolved-between", "check-percent-range"]  # fmt: skip
KEYS = ["at", "before", "after", "entity", "owner", "target", "q", "event", "from", "to",
        "root", "affiliate_min", "date", "query", "update", "default-graph-uri",
        "named-graph-uri", "using-graph-uri"]  # fmt: skip
ACCEPTS = [
    "*/*", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/n-triples",
    "application/ld+json", "application/rdf+xml", "text/html", "image/png", "text/*",
    "*/*;q=0", "text/csv;q=abc, */*;q=0.1", "application/json;q=NaN", ", , ;;",
    "text/turtle;q=1.5, application/n-triples;q=-1", "x" * 5000,
]  # fmt: skip
CONTENT_TYPES = [
    "application/x-www-form-urlencoded", "application/sparql-query",
    "application/sparql-update", "application/json", "text/plain", "multipart/form-data",
    "multipart/form-data; boundary=x", "application/x-www-form-urlencoded; charset=latin-1",
    "application/sparql-query; charset=utf-16", "APPLICATION/SPARQL-QUERY", ";", "/",
    "text/turtle",
]  # fmt: skip
OTHER_PATHS = ["", "static/viewer.js", "static/viewer.css", "static/index.html", "static/",
               "favicon.ico"]  # fmt: skip
ODD = ["", "%", "%zz", "%00", "%c3", "%ff%fe", "/..", "//", "?", "&&", "=", ";", "%2F",
       "/%2e%2e/", "+", "%20", "%0a", "~", "[", "]", "@", "!"]  # fmt: skip


@pytest.fixture(scope="module")
def server(start_server) -> tuple[str, int]:
    base = start_server(*LIMITS)
    host, port = urllib.parse.urlsplit(base).netloc.split(":")
    return host, int(port)


def _header_text() -> st.SearchStrategy[str]:
    """A header value http.client will send: printable Latin-1, no line breaks."""
    printable = st.characters(min_codepoint=0x20, max_codepoint=0xFF, exclude_characters="\x7f")
    return st.text(printable, max_size=40)


def _sparql_text() -> st.SearchStrategy[str]:
    seeds = st.sampled_from(QUERIES).map(str.encode)
    mutated = seeds.flatmap(lambda seed: mutated_bytes(seed, max_edits=3))
    return st.one_of(
        st.sampled_from(QUERIES),
        mutated.map(lambda b: b.decode("utf-8", "replace")),
        nasty_text(),
    )


def _values() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(NAMES), date_texts(), number_texts(), nasty_text(),
                     _sparql_text())  # fmt: skip


def _value_of(key: str) -> st.SearchStrategy[str]:
    """Mostly a value that fits ``key`` (a date for ``at``, a name for ``owner``), so
    that requests get past the checks and into the analytics; sometimes anything."""
    if key in ("at", "before", "after", "from", "to", "date"):
        fits = date_texts()
    elif key in ("entity", "owner", "target", "root", "q", "event"):
        fits = st.sampled_from(NAMES)
    elif key == "affiliate_min":
        fits = number_texts()
    elif key in ("query", "update"):
        fits = _sparql_text()
    else:
        fits = _values()
    return st.one_of(fits, fits, fits, _values())


def _quoted(text: str) -> str:
    return urllib.parse.quote(text.encode("utf-8", "surrogatepass"), safe="")


@st.composite
def _target(draw: st.DrawFn, route: str) -> str:
    """A path and query string, percent-encoded (with some odd bits kept)."""
    keys = list(KEYS)
    if route == "sparql":
        path, keys = "/sparql", ["query"] * 6 + keys
    elif route == "api":
        shape = draw(st.sampled_from(API))
        known = st.sampled_from(NAMED if shape.startswith("queries") else NAMES)
        fills = [draw(st.one_of(known, known, known, nasty_text()))
                 for _ in range(shape.count("{}"))]  # fmt: skip
        path = "/api/" + shape.format(*(_quoted(f) for f in fills))
    elif route == "view":
        path, keys = "/view", ["at", "entity", "at", "x"]
    else:
        path = "/" + draw(st.sampled_from(OTHER_PATHS))
    names = st.one_of(*[st.sampled_from(keys)] * 5, nasty_text())
    pairs = draw(st.lists(names.flatmap(lambda k: st.tuples(st.just(k), _value_of(k))),
                          max_size=4))  # fmt: skip
    query = "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in pairs)
    path += draw(st.sampled_from(ODD)) if draw(st.integers(0, 4)) == 0 else ""
    if query or draw(st.booleans()):
        path += "?" + query + (draw(st.sampled_from(ODD)) if draw(st.integers(0, 4)) == 0 else "")
    return path


@st.composite
def _body(draw: st.DrawFn) -> tuple[bytes | None, str | None]:
    """A body and its content type: mostly one that fits, sometimes any."""
    shape = draw(st.sampled_from(["form", "form", "query", "query", "update", "bytes",
                                  "none", "too-big"]))  # fmt: skip
    fits = {
        "form": "application/x-www-form-urlencoded",
        "query": "application/sparql-query",
        "update": "application/sparql-update",
        "too-big": "application/sparql-query",
    }
    kind = draw(st.one_of(st.none(), st.sampled_from(CONTENT_TYPES), _header_text()))
    if shape in fits and draw(st.integers(0, 3)):
        kind = fits[shape]
    if shape == "none":
        return None, kind
    if shape == "form":
        keys = st.sampled_from(["query"] * 6 + ["update", *KEYS])
        pairs = draw(st.lists(keys.flatmap(lambda k: st.tuples(st.just(k), _value_of(k))),
                              max_size=3))  # fmt: skip
        body = "&".join(f"{_quoted(k)}={_quoted(v)}" for k, v in pairs).encode()
    elif shape in ("query", "update"):
        body = draw(_sparql_text()).encode("utf-8", "surrogatepass")
    elif shape == "bytes":
        body = draw(st.binary(max_size=300))
    else:
        body = b"SELECT * {}" + b" " * (MAX_BODY + draw(st.integers(0, 5000)))
    return body, kind


@st.composite
def _requests(draw: st.DrawFn) -> dict:
    route = draw(st.sampled_from(["sparql"] * 3 + ["api"] * 4 + ["view", "other"]))
    common = ["GET", "POST"] if route == "sparql" else ["GET"]
    method = draw(st.one_of(*[st.sampled_from(common)] * 4,
                            st.sampled_from(["HEAD", "PUT", "DELETE", "OPTIONS", "PATCH",
                                             "POST", "GET"])))  # fmt: skip
    body, kind = None, None
    if method != "GET" or draw(st.integers(0, 5)) == 0:
        body, kind = draw(_body())
    headers = {}
    if kind is not None:
        headers["Content-Type"] = kind
    if draw(st.booleans()):
        headers["Accept"] = draw(st.one_of(st.sampled_from(ACCEPTS), _header_text()))
    if draw(st.integers(0, 3)) == 0:
        headers["Authorization"] = draw(st.one_of(st.just("Bearer x"), _header_text()))
    host = draw(st.sampled_from([None] * 8 + ["localhost", "evil.example", "", "[::1]",
                                              "127.0.0.1:1"]))  # fmt: skip
    return {"method": method, "target": draw(_target(route)), "body": body,
            "headers": headers, "host": host}  # fmt: skip


def _check_answer(status: int, media: str, body: bytes, path: str, method: str) -> None:
    assert 100 <= status < 600
    if status >= 500:
        assert status == 503 and (b"--timeout" in body or b"busy" in body
                                  or b"--max-memory" in body), (status, body)  # fmt: skip
    if status < 400 or method == "HEAD":
        return
    if path.startswith("/api/"):
        assert media == "application/json", (status, media, body)
        message = json.loads(body)["error"]
        assert isinstance(message, str) and message.strip(), body
    else:
        assert media == "text/plain", (status, media, body)
        assert body.strip(), status


def _still_answers(host: str, port: int) -> None:
    with urllib.request.urlopen(f"http://{host}:{port}/api/info", timeout=60) as answer:
        assert answer.status == 200
        assert json.loads(answer.read())["entities"] > 0


def _exchange(host: str, port: int, request: dict) -> tuple[int, str, bytes]:
    """Send ``request`` with http.client; return the status, media type and body."""
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        headers = dict(request["headers"])
        skip_host = request["host"] is not None
        if skip_host:
            headers["Host"] = request["host"]
        connection.putrequest(request["method"], request["target"], skip_host=skip_host,
                              skip_accept_encoding=True)  # fmt: skip
        body = request["body"]
        if body is not None:
            headers["Content-Length"] = str(len(body))
            if len(body) > MAX_BODY:
                # The server answers 413 from the declared length and closes; a client
                # still writing the body would see a reset, not the answer.
                body = None
        for name, value in headers.items():
            connection.putheader(name, value.encode("latin-1"))
        connection.endheaders(body)
        answer = connection.getresponse()
        data = answer.read()
        return answer.status, answer.getheader("Content-Type", ""), data
    finally:
        connection.close()


# uvicorn answers a request line or header block much longer than this with 400 and
# closes the connection at once: the client, still sending, may see only a reset.
_HEAD_LIMIT = 64 * 1024


@fuzz_settings(weight=3)
@given(request=_requests())
def test_server_answers_odd_requests_below_500(server, request):
    host, port = server
    with fuzz_case("server-http", seconds=60):
        head = len(request["target"]) + sum(len(v) for v in request["headers"].values())
        try:
            status, media, data = _exchange(host, port, request)
        except (ConnectionResetError, BrokenPipeError):
            assert head > _HEAD_LIMIT, "the server closed the connection without an answer"
        else:
            event(f"status {status}")  # --hypothesis-show-statistics gives the spread
            path = urllib.parse.urlsplit(request["target"]).path
            if request["host"] not in (None, "localhost", "[::1]", "127.0.0.1:1"):
                assert status == 400, (request["host"], status)
                assert request["method"] == "HEAD" or b"host" in data.lower(), data
            else:
                _check_answer(status, media.split(";")[0].strip(), data, path, request["method"])
        _still_answers(host, port)


RAW_SEEDS = [
    b"GET /sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Accept: application/sparql-results+json\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-query\r\n"
    b"Content-Length: 36\r\n\r\nSELECT * WHERE { ?s ?p ?o } LIMIT 1",
    b"POST /sparql HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n"
    b"Content-Type: application/x-www-form-urlencoded\r\n\r\n"
    b"6\r\nquery=\r\n1a\r\nASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D\r\n0\r\n\r\n",
    b"GET /api/owners/IIJ%20Exlayer?at=2013-12-31 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
    b"Connection: close\r\n\r\n",
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/sparql-update\r\n"
    b"Authorization: Bearer x\r\nContent-Length: 33\r\n\r\nINSERT DATA { <urn:a> <urn:b> 1 }",
    b"GET /view?at=2013-12-31 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
    b"GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n",
]
_STATUS = re.compile(rb"HTTP/1\.[01] (\d{3}) ")


@fuzz_settings(weight=2)
@given(raw=st.sampled_from(RAW_SEEDS).flatmap(lambda seed: mutated_bytes(seed, max_edits=4)))
def test_server_answers_mutated_raw_requests_below_500(server, raw):
    host, port = server
    with fuzz_case("server-raw", seconds=60):
        with socket.create_connection((host, port), timeout=30) as connection:
            try:
                connection.sendall(raw)
                connection.shutdown(socket.SHUT_WR)
            except OSError:
                pass  # the server may close on a request it cannot read
            received = b""
            try:
                while chunk := connection.recv(65536):
                    received += chunk
            except ConnectionResetError:
                pass
        event(f"status {_STATUS.findall(received)[:1]}")
        for status in _STATUS.findall(received):
            assert int(status) < 500 or (
                status == b"503" and any(w in received for w in (b"--timeout", b"busy",
                                                                 b"--max-memory"))
            ), received[:2000]  # fmt: skip
        _still_answers(host, port)


# -- the hostile corpus: fetching clauses, deep nesting, runaway queries, huge bodies ----

_PATTERN = "{ ?x ?p ?o }"


def _spelled(word: str) -> st.SearchStrategy[str]:
    """``word`` in any case, some letters as ``\\u`` escapes."""
    letter = st.sampled_from(["lower", "upper", "escape"])
    return st.lists(letter, min_size=len(word), max_size=len(word)).map(
        lambda how: "".join(
            c.lower() if h == "lower" else c.upper() if h == "upper" else f"\\u{ord(c):04X}"
            for c, h in zip(word, how, strict=True)
        )
    )


@st.composite
def _fetching(draw: st.DrawFn, url: str) -> tuple[str, bool]:
    """A query or update with a SERVICE clause (or LOAD) somewhere; whether an update."""
    update = draw(st.booleans())
    word = "load" if update and draw(st.booleans()) else "service"
    keyword = draw(_spelled(word))
    silent = draw(st.sampled_from(["", " SILENT", "silent "]))
    target = draw(st.sampled_from([f"<{url}>", ":", ":x", "?g"]))
    gap = draw(st.sampled_from(["", " ", "\n", "#>\n", " # SERVICE? no\n"]))
    before = draw(st.sampled_from(["", "FILTER(1<2)", "?s ?p ?o .", "?s ?p 1", "BIND(1 AS ?v)"]))
    prefix = f"PREFIX : <{url}> "
    if word == "load":
        text = f"{prefix}INSERT {{ <urn:a> <urn:b> 1 }} WHERE {{ {before} }} ; "
        text += f"{keyword}{silent} {target if target != '?g' else ':'}{gap}"
        return text, True
    clause = f"{before}{keyword}{silent}{target}{gap}{_PATTERN}"
    where = draw(st.sampled_from([
        "{c}", "OPTIONAL {{ {c} }}", "{{ SELECT * {{ {c} }} }}", "FILTER EXISTS {{ {c} }}",
        "{{ ?s ?p ?o }} UNION {{ {c} }}", "MINUS {{ {c} }}", "GRAPH ?g2 {{ {c} }}",
    ])).format(c=clause)  # fmt: skip
    bind = f"BIND(<{url}> AS ?g) " if target == "?g" else ""
    if update:
        return f"{prefix}INSERT {{ <urn:a> <urn:b> ?x }} WHERE {{ {bind}{where} }}", True
    return f"{prefix}SELECT * WHERE {{ {bind}{where} }}", False


@pytest.fixture(scope="module")
def canary() -> Iterator[socket.socket]:
    """A listener on 127.0.0.1 no fetching clause may reach: it records nothing but
    accepted connections, counted by a backlog check after each case."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    yield listener
    listener.close()


def _contacted(listener: socket.socket) -> bool:
    try:
        connection, _ = listener.accept()
    except BlockingIOError:
        return False
    connection.close()
    return True


@fuzz_settings(weight=2)
@given(data=st.data())
def test_server_refuses_fetching_clauses_deep_nesting_and_huge_bodies(server, canary, data):
    host, port = server
    url = f"http://127.0.0.1:{canary.getsockname()[1]}/sparql"
    kind = data.draw(st.sampled_from(["fetching", "fetching", "nesting", "huge"]))
    with fuzz_case("server-hostile", seconds=60):
        if kind == "fetching":
            text, update = data.draw(_fetching(url))
            with pytest.raises(Refused) as refused:  # the gate itself, updates included
                _refuse_fetching(text, update=update)
            assert refused.value.status == 403, text
            key = "update" if update else "query"
            route = data.draw(st.sampled_from(["get", "form", "body"]))
            if route == "get" and not update:
                target, body, kind_ = "/sparql?" + urllib.parse.urlencode({key: text}), None, ""
            elif route == "body":
                target, body = "/sparql", text.encode()
                kind_ = "application/sparql-update" if update else "application/sparql-query"
            else:
                target, body = "/sparql", urllib.parse.urlencode({key: text}).encode()
                kind_ = "application/x-www-form-urlencoded"
            headers = {"Content-Type": kind_} if kind_ else {}
            request = {"method": "POST" if body is not None else "GET", "target": target,
                       "headers": headers, "body": body, "host": None}  # fmt: skip
            status, _, answer = _exchange(host, port, request)
            assert status == 403, (text, status, answer)
        elif kind == "nesting":
            depth = data.draw(st.integers(min_value=257, max_value=20_000))
            opening = data.draw(st.sampled_from(["{", "(", "[ ?p ", "<<( ?s ?p "]))
            closing = {"{": "}", "(": ")", "[ ?p ": " ]", "<<( ?s ?p ": " )>>"}[opening]
            text = "SELECT * WHERE { ?s ?p " + opening * depth + "1" + closing * depth + " }"
            request = {
                "method": "POST",
                "target": "/sparql",
                "body": text.encode(),
                "headers": {"Content-Type": "application/sparql-query"},
                "host": None,
            }
            if len(text) > MAX_BODY:
                request["body"] = urllib.parse.urlencode({"query": text[: MAX_BODY // 2]})
                request["body"] = request["body"].encode()
                request["headers"] = {"Content-Type": "application/x-www-form-urlencoded"}
            status, _, answer = _exchange(host, port, request)
            assert status == 400, (status, answer[:300])
        else:
            size = data.draw(st.sampled_from([MAX_BODY + 1, 4 * MAX_BODY, 64 * MAX_BODY]))
            filler = data.draw(st.sampled_from([b"#", b"{", b"a", b"\xff"]))
            request = {
                "method": "POST",
                "target": "/sparql",
                "body": filler * size,
                "headers": {"Content-Type": "application/sparql-query"},
                "host": None,
            }
            status, _, answer = _exchange(host, port, request)
            assert status == 413, (status, answer[:300])
        assert not _contacted(canary), "the canary was contacted"
        _still_answers(host, port)


RUNAWAY = [
    "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?f ?i",
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    "SELECT (GROUP_CONCAT(STR(?c)) AS ?all) WHERE { ?a ?b ?c . ?d ?e ?f }",
    "SELECT * WHERE { ?s ?p " + "[ ?p " * 200 + "1" + " ]" * 200 + " }",
]


@fuzz_settings(weight=0.1)
@given(query=st.sampled_from(RUNAWAY))
def test_server_stops_runaway_queries(server, query):
    host, port = server
    with fuzz_case("server-runaway", seconds=60):
        started = time.monotonic()
        request = {
            "method": "POST",
            "target": "/sparql",
            "body": query.encode(),
            "headers": {"Content-Type": "application/sparql-query"},
            "host": None,
        }
        status, media, answer = _exchange(host, port, request)
        assert status in (200, 422, 503), (status, answer[:300])
        _check_answer(status, media.split(";")[0].strip(), answer, "/sparql", "POST")
        assert time.monotonic() - started < 20  # --timeout 5, then killed
        begun = time.monotonic()
        _still_answers(host, port)
        assert time.monotonic() - begun < 2
