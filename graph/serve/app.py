"""``groupkg serve``: a SPARQL 1.1 Protocol endpoint, the JSON API and the HTML viewer.

Routes
------
``/sparql``
    The SPARQL 1.1 Protocol for queries: ``GET ?query=``, ``POST`` form-encoded
    (``query=``) and ``POST`` with an ``application/sparql-query`` body. The answer's
    format follows ``Accept``: SELECT and ASK as SPARQL JSON (the default), XML, CSV or
    TSV; CONSTRUCT and DESCRIBE as Turtle (the default), N-Triples, JSON-LD or RDF/XML.
    ``default-graph-uri`` and ``named-graph-uri`` are honoured on Oxigraph stores and
    refused (400) on others. Updates (``update=`` or ``application/sparql-update``)
    are refused unless the server was started with ``--allow-update``, and then need
    ``Authorization: Bearer <token>``. A SERVICE clause, or LOAD in an update, is
    refused (403): the server fetches no URL on a client's behalf.
``/api/...``
    The command line's ``--json`` answers, one route a command, plus ``/api/entities``
    (search as you type), ``/api/queries`` (the named queries of the library) and
    ``/api/queries/{name}?param=value`` (one of them with its parameters filled in).
``/view``
    The picture of the group at a date from :mod:`groupkg.viz`, one self-contained page.
``/``
    The viewer: an entity and a date, the picture, owners, holdings, consolidation
    paths and events around the date, and a SPARQL box.

Status codes
------------
400 malformed query, update or parameter (the parser's message); 401 an update
without the right bearer token; 403 an update on a read-only server, or a query or
update that would fetch a URL (SERVICE, LOAD); 404 an unknown entity name (API) or
route; 405 another method; 406 no acceptable answer format; 413 a request body over
``--max-body``; 415 a POST that is neither form-encoded nor SPARQL; 422 a result over
``--max-results`` rows (or triples); 501 an update on a store that takes none; 503 a
request over ``--timeout``, or every worker busy.
Errors are ``text/plain`` on ``/sparql`` and ``{"error": message}`` on ``/api``.

What the answers are read from
------------------------------
A memory store, ``--data`` files and a ``sparql:URL`` store are read into one
:class:`Group` at start (and again after a write). An ``oxigraph:PATH`` store is not:
its cached time model (:meth:`Register.from_store`, ``PATH.model``) is opened
memory-mapped, and each question reads the group of the entities it names from it,
with their own facts from the store (:meth:`Group.model`, as the command line asks);
the search ranks the entities the store finds for the text
(:func:`groupkg.graph.facts.names.search_in_store`). See :class:`_Answers`.

Limits
------
``max_queries`` SPARQL requests and ``max_calls`` API calls run at a time. pyoxigraph
cannot be interrupted from Python, so every query, API call and ``/view`` runs in a
worker process (:class:`groupkg.graph.serve.worker.WorkerPool`): ``workers`` of them are
forked at start and kept, each with the store open read-only, no Internet socket and
its caches warm between requests; one is killed at the timeout, or dies past
``max_memory``, and is replaced at once: its 503 frees its slot. When every kept
worker is busy, a request gets a worker forked for it alone. When the data changes (an
update, or an import into the ``oxigraph:PATH`` store by another process, seen by the
store's write mark), the workers are replaced by ones forked from the new state.
Updates run in a thread of the server's own process (they need the token), one at a
time, and keep their slot until they end. Rows are counted while they stream, and a
query stops at the row past the cap.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import datetime as _dt
import hmac
import ipaddress
import json
import os
import re
import signal
import socket
import threading
import time
import urllib.parse
from collections.abc import Awaitable, Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any, cast

import click
import pyoxigraph as ox
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers, QueryParams
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from groupkg.graph.dates import parse_date
from groupkg.graph.errors import GroupkgError, InputError
from groupkg.graph.facts import queries as library
from groupkg.graph.facts.names import Candidate, LabelIndex, UnknownName, search_in_store
from groupkg.graph.facts.names import search as search_names
from groupkg.graph.group import Group, store_info
from groupkg.graph.model import Dataset
from groupkg.graph.serve.worker import WorkerBusy, WorkerDied, WorkerPool, WorkerTimedOut, fork_lock
from groupkg.graph.store import (
    OxigraphStore,
    SparqlStore,
    Store,
    UnionStore,
    open_read_only,
    queryguard,
    well_formed_xml,
)
from groupkg.graph.timemodel.register import Register

__all__ = [
    "Limits",
    "Refused",
    "create_app",
    "fetching_keyword",
    "named_queries",
    "run",
    "run_query",
    "search_entities",
]

# -- answering a query ------------------------------------------------------------------

RESULT_FORMATS = {  # canonical types first: a wildcard picks the first that fits
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
}
GRAPH_FORMATS = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/xml": ox.RdfFormat.RDF_XML,
}
PREFIXES = {
    "gk": "https://w3id.org/groupkg/ontology#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
}
_XSD_STRING = PREFIXES["xsd"] + "string"
# What to ask of a store whose query form is not known yet (a list is fine for a
# remote endpoint; a local store reads it as "no preference" and gives its default).
_ANY_ANSWER = "application/sparql-results+json, application/n-triples;q=0.9"


class Refused(Exception):
    """A request the server answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:  # sent back from a worker process
        return (Refused, (self.status, self.message, self.headers))


# How far past --max-body a streamed body is still read (and dropped) before the 413.
_DRAIN = 1 << 20


def _busy() -> Refused:
    return Refused(
        503, "the server is busy (every worker is taken); try again later",
        {"Retry-After": "5"},
    )  # fmt: skip


def _timed_out(timeout: float) -> Refused:
    return Refused(
        503,
        f"query exceeded the {timeout:g} s timeout (--timeout); "
        "narrow it, or ask the server's operator for a longer one",
    )


# -- what a request may reach --------------------------------------------------------

# Oxigraph runs a SERVICE clause by sending its pattern over HTTP to the IRI named, and
# LOAD fetches the IRI: on a server, either would let any client make it reach any
# address it can (SSRF). Keywords count only in the query's code, not in its strings,
# IRIs, comments or variable names; Oxigraph matches them with no word boundary
# ("1SERVICE<...>", "SERVICESILENT" and "SERVICE:x" all run), so a bare word counts
# when it holds the keyword anywhere before a colon.
_LONG_STRING = {q: re.compile(rf"{q * 3}(?:[^{q}\\]|\\.|{q}(?!{q * 2}))*{q * 3}", re.DOTALL)
                for q in "\"'"}  # fmt: skip
_SHORT_STRING = {q: re.compile(rf"{q}(?:[^{q}\\\r\n]|\\[^\r\n])*{q}") for q in "\"'"}
_END_OF_LINE = re.compile(r"[\r\n]|\Z")
_CODE = re.compile(
    r"""(?P<skip>\#[^\r\n]*"""  # a comment
    r"""|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""  # an IRI
    r"""|[?$]\w*)"""  # a variable
    # A bare word; a prefixed name's escapes belong to it ("ex:a\#" starts no comment).
    r"""|(?P<word>(?:[\w:%-]|\\[_~.!$&'()*+,;=/?#@%-])+)"""
)
_START = re.compile(r"""["'#<?$\w:%\\-]""")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FETCHING = {False: ("SERVICE",), True: ("SERVICE", "LOAD")}


def _code_words(text: str) -> Iterator[str]:
    """The bare words of SPARQL ``text``: what is left once strings, IRIs, comments
    and variables are taken out. Linear in the length of ``text``."""
    no_long: set[str] = set()  # quotes whose long string never ends from here on
    no_short: dict[str, int] = {}  # quote -> where its unfinished line ends
    found = _START.search(text)
    while found is not None:
        pos = found.start()
        char = text[pos]
        if char in "\"'":
            # As in Oxigraph's parser, an unfinished long string is read as an empty
            # string and a short one; a quote that starts no string is skipped and
            # what follows it is still read as code.
            if char not in no_long and text.startswith(char * 3, pos):
                string = _LONG_STRING[char].match(text, pos)
                if string is not None:
                    found = _START.search(text, string.end())
                    continue
                # No later one ends either: whether a quote is escaped does not
                # depend on where the scan began.
                no_long.add(char)
            if pos >= no_short.get(char, -1):
                string = _SHORT_STRING[char].match(text, pos)
                if string is not None:
                    found = _START.search(text, string.end())
                    continue
                line_end = _END_OF_LINE.search(text, pos)
                no_short[char] = line_end.start() if line_end else len(text)
            found = _START.search(text, pos + 1)
            continue
        lexeme = _CODE.match(text, pos)
        if lexeme is None:  # a lone backslash or "<"
            found = _START.search(text, pos + 1)
            continue
        if lexeme.group("word") is not None:
            yield lexeme.group("word")
        found = _START.search(text, lexeme.end())


def _codepoints(text: str) -> str:
    """``text`` with its ``\\u`` escapes decoded everywhere, which SPARQL 1.1 lets a
    parser do before reading a query (Oxigraph does not; a remote store may)."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else match.group(0)

    return _CODEPOINT.sub(decode, text)


def fetching_keyword(text: str, update: bool = False) -> str | None:
    """The keyword by which SPARQL ``text`` would make the store fetch a URL, if any.

    SERVICE in a query; SERVICE or LOAD in an update (``update=True``). Strings, IRIs,
    comments and variables are not code. A bare word counts when it holds the keyword
    before any colon (Oxigraph reads ``1SERVICE<...>`` as ``1 SERVICE <...>``), so
    an odd prefix such as ``webservice:`` is refused too, and no clause is missed.

    Examples
    --------
    >>> fetching_keyword("SELECT * { service <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    'SERVICE'
    >>> fetching_keyword('SELECT ?service { ?service ?p "SERVICE <x>" } # SERVICE')
    >>> fetching_keyword("LOAD <http://10.0.0.1/data.ttl>", update=True)
    'LOAD'
    """
    for variant in dict.fromkeys([text, _codepoints(text)]):
        for word in _code_words(variant):
            head = word.partition(":")[0].upper()
            for keyword in _FETCHING[update]:
                if keyword in head:
                    return keyword
    return None


def _refuse_fetching(text: str, update: bool = False) -> None:
    """403 for a text that may fetch a URL. Two gates, either refuses: the parse tree
    rdflib reads (:func:`queryguard.fetching_clause`; a text that names the keyword and does
    not parse counts as fetching) and Oxigraph's way of reading keywords
    (:func:`fetching_keyword`). A worker running a query can open no Internet socket
    besides (:func:`queryguard.deny_network`)."""
    keyword = fetching_keyword(text, update)
    unchecked = ""
    if keyword is None:
        try:
            found = queryguard.fetching_clause(text, update)
        except RecursionError:
            found = queryguard.UNCHECKED
        if found == queryguard.UNCHECKED:
            keyword = "LOAD" if update and queryguard.mentions(text, "LOAD") else "SERVICE"
            unchecked = f" ({keyword} is named where it cannot be told from a clause)"
        else:
            keyword = found
    if keyword is not None:
        raise Refused(
            403,
            f"{keyword} is refused: this server fetches nothing from other addresses for "
            f"{'an update' if update else 'a query'} (a SERVICE clause or LOAD could reach "
            "any URL the server can); run a federated query with 'groupkg sparql' on your "
            f"own machine{unchecked}",
        )


def _refuse_nesting(text: str, update: bool = False) -> None:
    try:
        queryguard.check_nesting(text, "update" if update else "query")
    except InputError as exc:
        raise Refused(400, str(exc)) from None


def negotiate(accept: str | None, offers: dict[str, Any]) -> Any | None:
    """The format of ``offers`` (media type -> format) that ``accept`` prefers.

    No header or ``*/*`` gives the first offer; ``None`` means nothing offered is
    acceptable (406).

    Examples
    --------
    >>> offers = {"text/csv": "csv", "application/json": "json"}
    >>> negotiate("application/json;q=0.9, text/*;q=0.5", offers)
    'json'
    >>> negotiate("image/png, */*;q=0.1", offers)
    'csv'
    >>> negotiate("image/png", offers) is None
    True
    """
    first = next(iter(offers.values()))
    if not accept or not accept.strip():
        return first
    ranges = []
    for order, part in enumerate(accept.split(",")):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media and quality > 0:
            ranges.append((-quality, order, media.lower()))
    for _, _, media in sorted(ranges):
        if media == "*/*":
            return first
        if media.endswith("/*"):
            for offered, fmt in offers.items():
                if offered.startswith(media[:-1]):
                    return fmt
        elif media in offers:
            return offers[media]
    return None


def _pick(accept: str | None, offers: dict[str, Any], form: str) -> Any:
    fmt = negotiate(accept, offers)
    if fmt is None:
        raise Refused(406, f"cannot answer {form} as {accept}; acceptable: {', '.join(offers)}")
    return fmt


def _term_json(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        found: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            found["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            found["datatype"] = term.datatype.value
        return found
    parts = ("subject", "predicate", "object")
    return {"type": "triple", "value": {p: _term_json(getattr(term, p)) for p in parts}}


class _Budget:
    """The row cap and the deadline of one query, checked as its rows stream."""

    def __init__(self, max_results: int, deadline: float | None, timeout: float):
        self.max_results, self.deadline, self.timeout = max_results, deadline, timeout

    def take(self, items: Iterable[Any], what: str) -> list[Any]:
        kept: list[Any] = []
        for item in items:
            if len(kept) >= self.max_results:
                raise Refused(
                    422,
                    f"the result has more than {self.max_results} {what} (--max-results); "
                    f"narrow the query or add LIMIT {self.max_results}",
                )
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise _timed_out(self.timeout)
            kept.append(item)
        return kept


def _solutions_body(
    variables: list[str], rows: Iterable[Any], fmt: ox.QueryResultsFormat, budget: _Budget
) -> bytes:
    bindings = [
        {v: _term_json(row[v]) for v in variables if row[v] is not None}
        for row in budget.take(rows, "rows")
    ]
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    body = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if fmt == ox.QueryResultsFormat.JSON:
        return body
    # pyoxigraph writes XML, CSV and TSV from parsed solutions: re-read what was counted.
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
    return well_formed_xml(parsed.serialize(format=fmt) or b"", fmt.media_type)


def _graph_body(triples: Iterable[ox.Triple], fmt: ox.RdfFormat, budget: _Budget) -> bytes:
    kept = budget.take(triples, "triples")
    prefixes = PREFIXES if fmt in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML) else None
    try:
        body = ox.serialize(kept, format=fmt, prefixes=prefixes) or b""
    except OSError as exc:  # an RDF 1.2 triple term, which JSON-LD cannot hold yet
        raise Refused(
            406, f"cannot answer as {fmt.media_type}: {exc}; ask for text/turtle or "
                 "application/n-triples",
        ) from None  # fmt: skip
    return well_formed_xml(body, fmt.media_type)


def _answer(result: Any, accept: str | None, budget: _Budget) -> tuple[bytes, str]:
    if isinstance(result, ox.QueryBoolean):
        fmt = _pick(accept, RESULT_FORMATS, "an ASK query")
        return result.serialize(format=fmt) or b"", fmt.media_type
    if isinstance(result, ox.QuerySolutions):
        fmt = _pick(accept, RESULT_FORMATS, "a SELECT query")
        variables = [v.value for v in result.variables]
        return _solutions_body(variables, result, fmt, budget), fmt.media_type
    fmt = _pick(accept, GRAPH_FORMATS, "a CONSTRUCT or DESCRIBE query")
    return _graph_body(result, fmt, budget), fmt.media_type


def run_query(
    store: Store,
    query: str,
    accept: str | None = None,
    *,
    max_results: int = 100_000,
    deadline: float | None = None,
    timeout: float = 30.0,
    default_graphs: Sequence[str] = (),
    named_graphs: Sequence[str] = (),
    base_iri: str | None = None,
) -> tuple[bytes, str]:
    """Run ``query`` on ``store``; return the answer in the format ``accept`` prefers.

    An Oxigraph store answers over the dataset of
    :meth:`~groupkg.graph.store.OxigraphStore.query` (``default_graphs`` and
    ``named_graphs`` replace it), resolving relative IRIs against ``base_iri``.

    ``deadline`` is a :func:`time.monotonic` instant after which no further row is
    taken. On an Oxigraph store the rows stream from pyoxigraph and the query stops at
    the cap; other stores answer in full through ``query_raw`` before being counted.

    A query with a SERVICE clause is refused, whatever the store: it would make the
    store fetch a URL of the client's choosing (see :func:`fetching_keyword`).

    Raises
    ------
    Refused
        400 for a malformed query, 403 for a SERVICE clause, 406, 422 over the cap, 503
        past the deadline.
    """
    _refuse_nesting(query)
    _refuse_fetching(query)
    budget = _Budget(max_results, deadline, timeout)
    if isinstance(store, OxigraphStore):
        try:
            result = store.query(
                query, default_graphs=default_graphs, named_graphs=named_graphs,
                base_iri=base_iri,
            )  # fmt: skip
            return _answer(result, accept, budget)
        except SyntaxError as exc:
            raise Refused(400, f"SPARQL syntax error: {exc}") from None
        except ValueError as exc:
            raise Refused(400, f"bad query: {exc}") from None
        except OSError as exc:
            raise Refused(500, f"the store failed: {exc}") from None
    if default_graphs or named_graphs:
        raise Refused(400, f"default-graph-uri and named-graph-uri need an Oxigraph store, "
                           f"not {store.description}")  # fmt: skip
    try:
        body, media = store.query_raw(query, _ANY_ANSWER)
    except GroupkgError as exc:
        raise Refused(400, str(exc)) from None
    base = media.split(";")[0].strip().lower()
    results = ox.QueryResultsFormat.from_media_type(base)
    graph = ox.RdfFormat.from_media_type(base)
    try:
        if results is not None:
            return _answer(ox.parse_query_results(body, format=results), accept, budget)
        if graph is not None:
            fmt = _pick(accept, GRAPH_FORMATS, "a CONSTRUCT or DESCRIBE query")
            triples = (quad.triple for quad in ox.parse(body, format=graph))
            return _graph_body(triples, fmt, budget), fmt.media_type
    except (SyntaxError, ValueError) as exc:
        raise Refused(502, f"the store's answer ({media}) does not parse: {exc}") from None
    raise Refused(502, f"the store answered in {media}, which groupkg cannot read")


# -- the library's side: search and named queries --------------------------------------


def search_entities(dataset: Dataset, text: str, limit: int = 20) -> list[dict[str, Any]]:
    """Entities whose IRI, label, legal name, alias, identifier or local id matches ``text``.

    Ranked by :func:`groupkg.graph.facts.names.search`: first the levels at which a name
    resolves (so the entity a name resolves to comes first), then names that begin
    with ``text``, names with a word that does, names that contain it, and names that
    contain it when spaces and punctuation are left out. An empty ``text`` lists the
    first ``limit`` entities by name.
    """
    found = search_names((Candidate.of(e) for e in dataset.entities.values()), text, limit)
    return [
        {**dataset.ref(c.id).to_json(), "kind": c.kind, "matched": matched} for c, matched in found
    ]


def named_queries() -> list[dict[str, Any]]:
    """The queries of ``ontology/queries/`` for the SPARQL box: name, description, text.

    ``parameters`` maps each ``$NAME`` placeholder to its kind (entity, date, iri,
    string); ``role`` is ``example`` for a user's query, ``check`` for a validation
    check and ``internal`` for one the library runs for itself.
    """
    return [
        {
            "name": q.name,
            "description": q.description,
            "role": "internal"
            if q.internal
            else "check"
            if q.name.startswith("check-")
            else "example",
            "parameters": q.params,
            "text": q.text,
        }
        for q in library.named_queries().values()
    ]


# -- the API ------------------------------------------------------------------------


def _day(params: QueryParams, key: str = "at", required: bool = False) -> _dt.date:
    value = params.get(key)
    if not value:
        if required:
            raise InputError(f"{key}: missing (give a date YYYY-MM-DD)")
        return _dt.date.today()
    return parse_date(value, key)


def _text(params: QueryParams, key: str) -> str:
    value = params.get(key)
    if not value:
        raise InputError(f"{key}: missing")
    return value


def _diff(data: _Answers, request: Request) -> Any:
    params = request.query_params
    root = params.get("root") or None
    group = data.group(root)
    if params.get("event"):
        if params.get("before") or params.get("after"):
            raise InputError("give either event or before/after, not both")
        before, after = group.event_days(params["event"])
    else:
        before, after = _day(params, "before", True), _day(params, "after", True)
    return group.diff(before, after, root)


def _perimeter(data: _Answers, request: Request) -> Any:
    params = request.query_params
    try:
        affiliate_min = float(params.get("affiliate_min", "20"))
    except ValueError:
        raise InputError("affiliate_min: not a number") from None
    name = request.path_params["name"]
    return data.group(name).perimeter(name, _day(params), affiliate_min)


def _events(data: _Answers, request: Request) -> Any:
    params = request.query_params
    name = params.get("entity") or None
    return data.group(name).events(
        name,
        _day(params, "from") if params.get("from") else None,
        _day(params, "to") if params.get("to") else None,
    )


def _prepared(data: _Answers, request: Request) -> Any:
    values = dict(request.query_params)
    text = library.prepare(data.store, request.path_params["name"], values)
    return {"name": request.path_params["name"], "parameters": values, "text": text}


def _effective(data: _Answers, request: Request) -> Any:
    params = request.query_params
    owner, target = _text(params, "owner"), _text(params, "target")
    return data.group(owner, target).effective(owner, target, _day(params))


def _by_name(method: str) -> Callable[[_Answers, Request], Any]:
    def answer(data: _Answers, request: Request) -> Any:
        name = request.path_params["name"]
        return getattr(data.group(name), method)(name, _day(request.query_params))

    return answer


# The query parameters each API route reads (None: the named query's own, which the
# library checks). Any other is refused with 400 rather than ignored: a client asking
# for ?date=... or ?threshold=40 must not get an answer that quietly dropped it.
_ACCEPTS: dict[str, frozenset[str] | None] = {
    "/api/info": frozenset(),
    "/api/entity/{name:path}": frozenset({"at"}),
    "/api/owners/{name:path}": frozenset({"at"}),
    "/api/holdings/{name:path}": frozenset({"at"}),
    "/api/paths/{name:path}": frozenset({"at"}),
    "/api/perimeter/{name:path}": frozenset({"at", "affiliate_min"}),
    "/api/effective": frozenset({"owner", "target", "at"}),
    "/api/queries/{name}": None,
    "/api/diff": frozenset({"before", "after", "event", "root"}),
    "/api/events": frozenset({"entity", "from", "to"}),
    "/api/entities": frozenset({"q"}),
    "/view": frozenset({"at", "entity"}),
}


def _refuse_unknown_parameters(request: Request, route: str) -> None:
    # A parameter given twice would be answered with one of its values, the other
    # dropped in silence: refused like a parameter the route does not take.
    keys = [key for key, _ in request.query_params.multi_items()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise Refused(400, f"{route}: {', '.join(twice)} given more than once")
    accepted = _ACCEPTS[route]
    if accepted is None:
        return
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "no parameter"
        note = (
            " (the control threshold is the server's: serve --threshold)"
            if "threshold" in unknown else ""
        )  # fmt: skip
        raise Refused(400, f"{route} takes {takes}, not {', '.join(unknown)}{note}")


_API: dict[str, Callable[[_Answers, Request], Any]] = {
    "/api/info": lambda data, request: store_info(data.store),
    "/api/entity/{name:path}": _by_name("entity"),
    "/api/owners/{name:path}": _by_name("owners"),
    "/api/holdings/{name:path}": _by_name("holdings"),
    "/api/paths/{name:path}": _by_name("paths"),
    "/api/perimeter/{name:path}": _perimeter,
    "/api/effective": _effective,
    "/api/queries/{name}": _prepared,
    "/api/diff": _diff,
    "/api/events": _events,
    "/api/entities": lambda data, request: {
        "query": request.query_params.get("q", ""),
        "entities": data.search(request.query_params.get("q", "")),
    },
}


# -- what a worker runs (functions sent to it by name, with plain arguments) ---------------


class _Answers:
    """What the answers are read from: the store, and either the group of the whole
    store read into memory (a memory store, ``--data`` files, a ``sparql:URL`` store),
    or the cached time model of an ``oxigraph:PATH`` store (:class:`Register`, memory-
    mapped), from which a question about some entities reads only their group on the
    days asked, and their own facts, as the command line does (:meth:`Group.model`).

    Of a modelled store, a question naming no entity (``diff`` without ``root``,
    ``events`` without ``entity``, the picture of every group) reads the whole store,
    once, when first asked."""

    #: Groups of the names last asked about, kept (the viewer asks five questions of one
    #: entity at once).
    KEPT = 8

    def __init__(self, store: Store, threshold: float, group: Group | None = None,
                 register: Register | None = None):  # fmt: skip
        self.store: Store = store
        self.threshold = threshold
        self.whole: Group | None = group
        self.register = register
        self.groups: collections.OrderedDict[tuple[Any, ...], Group] = collections.OrderedDict()
        self._labels: LabelIndex | None = None

    def group(self, *names: str | None) -> Group:
        """The group a question about ``names`` needs (see the class)."""
        named = tuple(dict.fromkeys(n for n in names if n))
        if self.register is None or not named:
            if self.whole is None:
                self.whole = Group(self.store, threshold=self.threshold)
            return self.whole
        found = self.groups.get(named)
        if found is None:
            found = Group.model(self.store, list(named), self.threshold, self.register)
            self.groups[named] = found
            while len(self.groups) > self.KEPT:
                self.groups.popitem(last=False)
        else:
            self.groups.move_to_end(named)
        return found

    def search(self, text: str) -> list[dict[str, Any]]:
        """The viewer's search (:func:`search_entities`): of a modelled store, the
        entities the store finds for the text, ranked by the same rules."""
        if self.register is None:
            return search_entities(self.group().dataset, text)
        if self._labels is None:
            info, ids = self.register.entity_info or [], self.register.ids
            self._labels = LabelIndex(
                (ids[i], label, kind) for i, (label, kind) in enumerate(info) if kind
            )
        found = search_in_store(self.store, text, self._labels)
        return [{"id": c.id, "name": c.label, "kind": c.kind, "matched": matched}
                for c, matched in found]  # fmt: skip


def _modelled(store: Store) -> bool:
    """Whether ``store`` is answered from its cached time model: an ``oxigraph:PATH``
    store (the command line's rule, :meth:`Settings.group`)."""
    return isinstance(store, OxigraphStore) and store.path is not None


class _WorkerState:
    """What a worker answers from (:class:`_Answers`, inherited, with its store opened
    afresh) and the answers it has given. Neither changes while the worker lives (a
    worker is replaced when the data changes), so an answer given once is given again
    as it was; the answers kept are bounded by ``budget`` bytes, the least recently
    asked dropped first."""

    def __init__(self, data: _Answers, budget: int):
        self.data = data
        self.budget = budget
        self.kept: collections.OrderedDict[tuple[Any, ...], bytes] = collections.OrderedDict()
        self.size = 0

    def answer(self, key: tuple[Any, ...], make: Callable[[], bytes]) -> bytes:
        key = (*key, _dt.date.today())  # a question without a date is asked of today
        found = self.kept.get(key)
        if found is not None:
            self.kept.move_to_end(key)
            return found
        body = make()
        if len(body) <= self.budget // 4:
            self.kept[key] = body
            self.size += len(body)
            while self.size > self.budget:
                self.size -= len(self.kept.popitem(last=False)[1])
        return body


class _Asked:
    """What an API answer reads of its request, rebuilt in the worker."""

    def __init__(self, path_params: dict[str, Any], items: list[tuple[str, str]]):
        self.path_params = path_params
        self.query_params = QueryParams(items)


def _json(content: Any) -> bytes:
    """``content`` as :class:`JSONResponse` writes it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")  # fmt: skip


def _api_job(worker: _WorkerState, route: str, path_params: dict[str, Any],
             items: list[tuple[str, str]]) -> bytes:  # fmt: skip
    """The JSON answer of an API route (``items``: its query parameters)."""
    key = ("api", route, tuple(sorted(path_params.items())), tuple(sorted(items)))
    asked = cast(Request, _Asked(path_params, items))
    return worker.answer(key, lambda: _json(_API[route](worker.data, asked)))


def _view_job(worker: _WorkerState, items: list[tuple[str, str]]) -> bytes:
    """The page of ``/view``."""

    def draw() -> bytes:
        from groupkg import viz  # the picture is an exporter above the core

        params = QueryParams(items)
        entity = params.get("entity") or None
        group = worker.data.group(entity)
        page = viz.to_html(viz.view_at(group, _day(params), path_to=params.get("entity")))
        return page.encode("utf-8")

    return worker.answer(("view", tuple(sorted(items))), draw)


def _query_job(worker: _WorkerState, query: str, accept: str | None,
               options: dict[str, Any]) -> tuple[bytes, str]:  # fmt: skip
    """A SPARQL query's answer (never kept: it has a deadline and a row cap)."""
    return run_query(worker.data.store, query, accept, **options)


# -- the application ----------------------------------------------------------------


@dataclass(frozen=True)
class Limits:
    """What one request may cost, and the workers; ``groupkg serve`` sets all but the
    two counts of requests at a time."""

    timeout: float = 30.0
    max_results: int = 100_000
    max_body: int = 1 << 20
    max_memory: int | None = 1 << 30  # bytes one worker may allocate; None: no limit
    max_queries: int = 4  # SPARQL requests running at once (also past their timeout)
    max_calls: int = 8  # API calls and pictures running at once
    workers: int = 0  # worker processes kept warm; 0: min(4, the CPUs this process may use)


def default_workers() -> int:
    """How many workers ``groupkg serve`` keeps by default: min(4, CPUs available)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cpus or 1))


_ASSETS = {"viewer.js": "text/javascript", "viewer.css": "text/css"}
_VIEWER_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The picture carries its own, stricter policy (script hashes) in a meta element.
_VIEW_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)
_FORM = "application/x-www-form-urlencoded"
_ANSWERS = 64 << 20  # bytes of answers a worker keeps, at most an eighth of --max-memory


def _parts(store: Store) -> list[Store]:
    return [store.base, store.overlay] if isinstance(store, UnionStore) else [store]


def _state(store: Store) -> tuple[Any, ...] | None:
    """What changes when another process writes to an ``oxigraph:PATH`` store (its
    files, their sizes and times); ``None`` for a store held in this process."""
    for part in _parts(store):
        if isinstance(part, OxigraphStore) and part.path is not None and part.read_only:
            try:
                with os.scandir(part.path) as entries:
                    return tuple(sorted(
                        (e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in entries
                    ))  # fmt: skip
            except OSError:
                return ("unreadable",)
    return None


def _reopened(store: Store) -> Store:
    """``store`` with its read-only ``oxigraph:PATH`` part opened again: a read-only
    view sees the store as it was when opened."""
    if isinstance(store, UnionStore):
        return UnionStore(_reopened(store.base), store.overlay)
    if isinstance(store, OxigraphStore) and store.path is not None and store.read_only:
        return OxigraphStore(store.path, read_only=True)
    return store


_INHERITED: list[Any] = []  # the server's own handles, never released in a worker


def _written(store: Store) -> str | None:
    """The write mark of a read-only ``oxigraph:PATH`` store (see
    :attr:`~groupkg.graph.store.OxigraphStore.generation`); ``None`` when the store
    has none (another kind of store, or one no write through groupkg has marked)."""
    for part in _parts(store):
        if isinstance(part, OxigraphStore) and part.path is not None and part.read_only:
            return part.generation or None
    return None


def _warm(data: _Answers) -> None:
    """Work out what most requests ask first (the picture of today) in the server, so
    that every worker forked from it starts with it: of a whole group read into
    memory, its state today."""
    if data.whole is None:
        return
    try:
        data.whole.snapshot(_dt.date.today())
    except Exception:  # noqa: BLE001 - a request asking for it gets the error
        pass


def _prepare_worker(store: Store) -> None:
    """In a worker process, before its jobs: open an on-disk store afresh (the current
    state, and no handle shared with the server's threads), and forbid Internet
    sockets unless the store itself is remote."""
    remote = False
    for part in _parts(store):
        if isinstance(part, SparqlStore):
            remote = True
        elif isinstance(part, OxigraphStore) and part.path is not None:
            _INHERITED.append(part.store)
            part.store = open_read_only(part.path)
    if not remote:
        queryguard.deny_network()


def _answers(source: Group | Store, threshold: float) -> _Answers:
    """What a server on ``source`` answers from (see :class:`_Answers`): a group is
    kept as it is; a store is answered from its cached time model when it is an
    ``oxigraph:PATH`` store, else read into a group."""
    if isinstance(source, Group):
        return _Answers(source.store, source.threshold, group=source)
    if _modelled(source):
        return _Answers(source, threshold, register=Register.from_store(source))
    return _Answers(source, threshold, group=Group(source, threshold=threshold))


class _Server:
    """The state one running server shares between requests."""

    def __init__(self, data: _Answers, allow_update: bool, token: str | None, limits: Limits):
        if allow_update and not token:
            raise ValueError("updates need a bearer token")
        self.data = data
        self.allow_update = allow_update
        self.token = token
        self.limits = limits
        self.query_slots = asyncio.Semaphore(limits.max_queries)
        self.call_slots = asyncio.Semaphore(limits.max_calls)
        # Held by the worker thread, not the request: an update past the timeout still
        # keeps the next one waiting until it has really finished.
        self.writing = threading.Lock()
        self.refreshing = threading.Lock()
        self.seen = _state(data.store)
        self.mark = _written(data.store)
        folder = resources.files("groupkg.graph.serve").joinpath("assets")
        self.assets = {n: folder.joinpath(n).read_bytes() for n in [*_ASSETS, "index.html"]}
        self.queries = named_queries()
        # What workers would otherwise import afresh for every request they run.
        import rdflib.plugins.sparql.parser  # noqa: F401
        import scipy.sparse.csgraph  # noqa: F401
        import scipy.sparse.linalg  # noqa: F401

        from groupkg import viz  # noqa: F401

        _warm(data)
        # Forked now, before the server has other threads; each opens the store in
        # prepare_worker and answers from what it inherits.
        self.pool = WorkerPool(
            limits.workers or default_workers(), self._worker_context,
            max_memory=limits.max_memory,
        )  # fmt: skip

    def _worker_context(self) -> _WorkerState:
        """Run in each worker right after its fork: the answers' source as the server
        had it."""
        _prepare_worker(self.data.store)
        limit = self.limits.max_memory
        return _WorkerState(self.data, min(_ANSWERS, limit // 8) if limit else _ANSWERS)

    def close(self) -> None:
        """Stop every worker (the server is stopping)."""
        self.pool.close()

    async def work(self, slots: asyncio.Semaphore, job: Callable[[], Any]) -> Any:
        """Run ``job`` in a thread of the server's own within the timeout, holding one
        of ``slots``. A job past the timeout is left to finish (it cannot be stopped)
        and gives its slot back only then."""
        return await self._holding(slots, lambda left: run_in_threadpool(job))

    async def isolated(self, slots: asyncio.Semaphore, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(group, *args)`` in a worker process (see :class:`WorkerPool`), holding
        one of ``slots``; killed at the timeout or past ``max_memory``, which frees its
        slot at once. ``fn`` is sent by name: a function of this module."""
        if _state(self.data.store) != self.seen:
            await run_in_threadpool(self.fresh_data)
        return await self._holding(
            slots, lambda left: run_in_threadpool(self._isolated, fn, args, left)
        )

    async def _holding(
        self, slots: asyncio.Semaphore, start: Callable[[float], Awaitable[Any]]
    ) -> Any:
        """Hold one of ``slots`` (503 when none is free within the timeout) while the
        work ``start(seconds left)`` begins runs; 503 at the timeout."""
        timeout = self.limits.timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            await asyncio.wait_for(slots.acquire(), timeout)
        except TimeoutError:
            raise _busy() from None
        try:
            task = asyncio.ensure_future(start(deadline - loop.time()))
        except BaseException:
            slots.release()
            raise
        task.add_done_callback(lambda done: slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(task), deadline - loop.time())
        except TimeoutError:
            # Collect the late job's outcome so that nothing is logged as unretrieved.
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise _timed_out(timeout) from None

    def _isolated(self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        limits = self.limits
        try:
            return self.pool.run(fn, *args, timeout=max(timeout, 0.01))
        except WorkerTimedOut:
            raise _timed_out(limits.timeout) from None
        except WorkerBusy:
            raise _busy() from None
        except WorkerDied as died:
            limit = (
                f"the {limits.max_memory >> 20} MiB limit (--max-memory)"
                if limits.max_memory else "the machine's memory"
            )  # fmt: skip
            raise Refused(
                503,
                f"the request was stopped: it needed more memory than {limit}, or its "
                f"worker failed ({died.reason}); narrow it",
            ) from None

    def fresh_data(self) -> _Answers:
        """What the answers are read from as the store holds it now. When the files of
        an ``oxigraph:PATH`` store have changed since it was read (another process
        wrote to it, or compacted it), it is opened again, and its time model (or its
        group) read again if its write mark has changed too; the workers are replaced
        by ones that open it afresh."""
        if _state(self.data.store) == self.seen:
            return self.data
        with self.refreshing:
            state = _state(self.data.store)
            if state != self.seen:
                store = _reopened(self.data.store)
                mark = _written(store)
                if mark is None or mark != self.mark:
                    data = _answers(store, self.data.threshold)
                    _warm(data)
                    self.data, self.mark = data, mark
                else:  # the same facts: only the files changed (a compaction)
                    self.data = _Answers(store, self.data.threshold, group=self.data.whole,
                                         register=self.data.register)  # fmt: skip
                    if self.data.whole is not None:
                        self.data.whole.store = store
                self.seen = state
                self.pool.refresh()
        return self.data

    # -- /sparql ---------------------------------------------------------------------

    async def sparql(self, request: Request) -> Response:
        try:
            return await self._sparql(request)
        except Refused as refused:
            return PlainTextResponse(refused.message, refused.status, refused.headers)

    async def _sparql(self, request: Request) -> Response:
        url = request.query_params
        if request.method in ("GET", "HEAD"):
            if "update" in url:
                raise Refused(400, "an update must be sent with POST")
            return await self._query(request, _one(url.getlist("query"), "query"), url)
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        if kind == "application/sparql-update":
            self._check_update(request)
            return await self._update(request, _utf8(await self._body(request)), url)
        if kind == "application/sparql-query":
            return await self._query(request, _utf8(await self._body(request)), url)
        if kind != _FORM:
            raise Refused(
                415,
                f"cannot read a POST of {kind or 'no content type'}: send a query as "
                f"{_FORM} (query=...) or application/sparql-query, an update as "
                f"update=... or application/sparql-update",
            )
        form = QueryParams(_utf8(await self._body(request)))
        if "update" in form:
            if "query" in form:
                raise Refused(400, "give a query or an update, not both")
            self._check_update(request)
            merged = QueryParams([*url.multi_items(), *form.multi_items()])
            return await self._update(request, _one(form.getlist("update"), "update"), merged)
        merged = QueryParams([*url.multi_items(), *form.multi_items()])
        return await self._query(request, _one(form.getlist("query"), "query"), merged)

    async def _body(self, request: Request) -> bytes:
        """The request body, or 413 past ``--max-body``. A streamed body a little over
        the limit is read to its end (and dropped) before the answer, so the client,
        still sending, reads the 413 instead of a broken connection; past
        :data:`_DRAIN` more bytes the server stops reading and answers at once."""
        limit = self.limits.max_body
        too_big = Refused(413, f"the request body is over the {limit}-byte limit (--max-body)")
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            raise too_big
        chunks, size = [], 0
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit + _DRAIN:
                raise too_big
            if size <= limit:
                chunks.append(chunk)
        if size > limit:
            raise too_big
        return b"".join(chunks)

    async def _query(self, request: Request, query: str, params: QueryParams) -> Response:
        if not query.strip():
            raise Refused(400, "missing query: give query=... or a SPARQL query as the body")
        _refuse_nesting(query)
        accept, limits = request.headers.get("accept"), self.limits
        options = {
            "max_results": limits.max_results, "deadline": time.monotonic() + limits.timeout,
            "timeout": limits.timeout, "default_graphs": params.getlist("default-graph-uri"),
            "named_graphs": params.getlist("named-graph-uri"), "base_iri": _endpoint(request),
        }  # fmt: skip
        body, media = await self.isolated(self.query_slots, _query_job, query, accept, options)
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    def _check_update(self, request: Request) -> None:
        if not self.allow_update:
            raise Refused(403, "updates are disabled: this server is read-only "
                               "(start it with --allow-update and a --token)")  # fmt: skip
        given = request.headers.get("authorization", "")
        scheme, _, credentials = given.partition(" ")
        assert self.token is not None
        if scheme.lower() != "bearer" or not hmac.compare_digest(
            credentials.strip().encode(), self.token.encode()
        ):
            raise Refused(
                401,
                "an update needs the header 'Authorization: Bearer <token>' with the "
                "server's token" + (" (the one given is wrong)" if given else ""),
                {"WWW-Authenticate": 'Bearer realm="groupkg"'},
            )

    async def _update(self, request: Request, update: str, params: QueryParams) -> Response:
        if not update.strip():
            raise Refused(400, "missing update")
        _refuse_nesting(update, update=True)
        dataset = {
            "using_graphs": params.getlist("using-graph-uri"),
            "using_named_graphs": params.getlist("using-named-graph-uri"),
            "base_iri": _endpoint(request),
        }
        warning = await self.work(self.query_slots, lambda: self._apply(update, dataset))
        return PlainTextResponse(warning) if warning else Response(status_code=204)

    def _apply(self, update: str, dataset: dict[str, Any]) -> str | None:
        _refuse_fetching(update, update=True)
        with self.writing:
            return self._apply_alone(update, dataset)

    def _apply_alone(self, update: str, dataset: dict[str, Any]) -> str | None:
        store = self.data.store
        apply = getattr(store, "update", None)
        if apply is None:
            raise Refused(501, f"the store {store.description} takes no updates here")
        try:
            with fork_lock:  # no worker is forked from a store half-way through a write
                apply(update, **dataset)
        except GroupkgError as exc:
            raise Refused(400, str(exc)) from None
        except OSError as exc:
            raise Refused(500, f"the store failed: {exc}") from None
        flush = getattr(store, "flush", None)
        if flush is not None:
            flush()
        try:
            # The analytics read the store (or its time model) once; read it again so
            # the API sees the update.
            data = _answers(store, self.data.threshold)
            _warm(data)
            self.data = data
            self.seen = _state(store)
        except GroupkgError as exc:
            return f"update applied, but the API keeps the data it had: {exc}"
        finally:
            self.pool.refresh()  # workers forked from now on see the update
        return None

    # -- /api, /view and the viewer ----------------------------------------------------

    def api(self, route: str) -> Callable[[Request], Any]:
        async def endpoint(request: Request) -> Response:
            try:
                _refuse_unknown_parameters(request, route)
                found = await self.isolated(
                    self.call_slots, _api_job, route, dict(request.path_params),
                    list(request.query_params.multi_items()),
                )  # fmt: skip
            except Refused as refused:
                return JSONResponse({"error": refused.message}, refused.status, refused.headers)
            except UnknownName as exc:
                return JSONResponse({"error": str(exc)}, 404)
            except GroupkgError as exc:
                return JSONResponse({"error": str(exc)}, 400)
            return Response(found, media_type="application/json")

        return endpoint

    async def named(self, request: Request) -> Response:
        return JSONResponse(self.queries)

    async def view(self, request: Request) -> Response:
        try:
            _refuse_unknown_parameters(request, "/view")
            page = await self.isolated(
                self.call_slots, _view_job, list(request.query_params.multi_items())
            )
        except Refused as refused:
            return PlainTextResponse(refused.message, refused.status, refused.headers)
        except UnknownName as exc:
            return PlainTextResponse(str(exc), 404)
        except GroupkgError as exc:
            return PlainTextResponse(str(exc), 400)
        return HTMLResponse(page, headers={"Content-Security-Policy": _VIEW_POLICY})

    async def index(self, request: Request) -> Response:
        return HTMLResponse(
            self.assets["index.html"], headers={"Content-Security-Policy": _VIEWER_POLICY}
        )

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in _ASSETS:
            raise HTTPException(404)
        return Response(self.assets[name], media_type=_ASSETS[name],
                        headers={"Cache-Control": "no-cache"})  # fmt: skip


def _one(values: list[str], what: str) -> str:
    if not values:
        raise Refused(400, f"missing {what}: give {what}=...")
    if len(values) > 1:
        raise Refused(400, f"give one {what}, not {len(values)}")
    return values[0]


def _endpoint(request: Request) -> str:
    """The endpoint's own URL, the base IRI of the queries and updates sent to it."""
    return str(request.url.replace(query="", fragment=""))


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"the request is not UTF-8: {exc}") from None


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": exc.detail}, exc.status_code, exc.headers)
    return PlainTextResponse(exc.detail, exc.status_code, exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    message = f"internal error ({type(exc).__name__}); the server log has the details"
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, 500)
    return PlainTextResponse(message, 500)


class _CommonHeaders:
    """Headers every answer carries, whatever route made it."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)


class _SameOrigin:
    """Browser requests from another site are refused (403): a page the user opens
    must not drive the endpoint, with a fetch or a cross-site form POST. A request
    whose ``Origin`` is not the server's own (the scheme and the ``Host`` it was sent
    to) is refused, and so is one a browser marks ``Sec-Fetch-Site: cross-site`` or
    ``same-site`` other than a link followed; ``cors`` names the one other origin
    allowed, which gets the CORS headers (and answers to preflight requests)."""

    def __init__(self, app: Any, cors: str | None = None):
        self.app, self.cors = app, cors

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and self.cors is not None and origin == self.cors
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        site = headers.get("sec-fetch-site", "").lower()
        refused = None
        if origin is not None and not allowed and origin.lower() != own:
            refused = f"cross-origin request refused: Origin {origin} is not this server's"
        elif origin is None and site in ("cross-site", "same-site"):
            if headers.get("sec-fetch-mode", "").lower() != "navigate":
                refused = "cross-site request refused (Sec-Fetch-Site: " + site + ")"
        if refused is not None:
            refused += " (the operator may allow one origin with groupkg serve --cors ORIGIN)"
            if scope["path"].startswith("/api/"):
                answer: Response = JSONResponse({"error": refused}, 403)
            else:
                answer = PlainTextResponse(refused, 403)
            await answer(scope, receive, send)
            return
        if not allowed:
            await self.app(scope, receive, send)
            return
        cors = [(b"access-control-allow-origin", str(origin).encode("latin-1")),
                (b"vary", b"Origin")]  # fmt: skip
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            preflight = Response(status_code=204, headers={
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
            })  # fmt: skip
            preflight.raw_headers.extend(cors)
            await preflight(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, sending)


def check_origin(origin: str) -> str:
    """``origin`` as ``--cors`` takes it: ``scheme://host[:port]``, nothing more.

    Raises
    ------
    InputError
        For anything else (a path, a wildcard, a missing scheme).
    """
    parts = urllib.parse.urlsplit(origin)
    if (
        parts.scheme not in ("http", "https") or not parts.hostname
        or parts.path or parts.query or parts.fragment or parts.username
        or origin != f"{parts.scheme}://{parts.netloc}"
    ):  # fmt: skip
        raise InputError(
            f"--cors: {origin!r} is not an origin (give scheme://host[:port], "
            "such as https://app.example.org, with no path and no wildcard)"
        )
    return origin


def create_app(
    source: Group | Store,
    *,
    threshold: float = 50.0,
    allow_update: bool = False,
    token: str | None = None,
    limits: Limits | None = None,
    allowed_hosts: Sequence[str] | None = None,
    cors: str | None = None,
) -> Starlette:
    """The ASGI application serving ``source``: a group read into memory, or a store
    (an ``oxigraph:PATH`` store is answered from its cached time model, any other is
    read into a group with the control ``threshold``).

    ``allowed_hosts`` restricts the ``Host`` header (against DNS rebinding); ``None``
    accepts any. Requests from browsers on other origins are refused, except from
    the origin ``cors`` (see :class:`_SameOrigin`).

    Raises
    ------
    ValueError
        When ``allow_update`` is given without a ``token``.
    """
    server = _Server(_answers(source, threshold), allow_update, token, limits or Limits())
    routes = [
        Route("/", server.index),
        Route("/static/{name}", server.asset),
        Route("/view", server.view),
        Route("/sparql", server.sparql, methods=["GET", "POST"]),
        Route("/api/queries", server.named),
        *(Route(path, server.api(path)) for path in _API),
    ]
    middleware = [Middleware(_CommonHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    middleware.append(Middleware(_SameOrigin, cors=cors))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.server = server
    return app


# -- the command --------------------------------------------------------------------

_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _is_loopback(name: str) -> bool:
    """Whether the address ``name`` binds to is a loopback one: a loopback address
    in any spelling the system takes (``127.1``, ``::ffff:127.0.0.1``), or a name
    that resolves to loopback addresses only (``localhost``, ``ip6-localhost``)."""
    if name.lower() == "localhost":
        return True
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in found]
    return bool(addresses) and all(
        a.is_loopback
        or isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None
        and a.ipv4_mapped.is_loopback
        for a in addresses
    )  # fmt: skip


def loopback_hosts(host: str) -> list[str] | None:
    """The names a server bound to ``host`` answers to, when ``host`` is a loopback
    address (any of 127.0.0.0/8, ::1, localhost, however spelt): the loopback names
    and ``host`` itself; ``None`` (any name) for another address.

    >>> loopback_hosts("127.0.0.2")[-1]
    '127.0.0.2'
    >>> loopback_hosts("127.1")[-1]
    '127.1'
    >>> loopback_hosts("0.0.0.0") is None
    True
    """
    name = host.strip("[]")
    if not _is_loopback(name):
        return None
    hosts = list(_LOOPBACK)
    own = f"[{name}]" if ":" in name else name
    if own not in hosts:
        hosts.append(own)
    return hosts


def check_token(token: str) -> str:
    """A bearer token ``--token`` may be: printable ASCII without spaces (RFC 6750's
    token68 and more), which every client can send in a header.

    Raises
    ------
    InputError
        Naming the first character that cannot be sent.
    """
    for char in token:
        if not ("!" <= char <= "~"):
            raise InputError(
                f"--token: the character {char!r} cannot be sent in an Authorization "
                "header (use printable ASCII without spaces, e.g. from 'openssl rand "
                "-hex 32')"
            )
    return token


def run(
    source_factory: Callable[[], Group | Store],
    *,
    threshold: float = 50.0,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_update: bool = False,
    token: str | None = None,
    limits: Limits | None = None,
    cors: str | None = None,
) -> None:
    """Open the data, then serve it until interrupted (SIGINT or SIGTERM)."""
    import uvicorn

    click.echo("groupkg serve: loading the data...", err=True)
    source = source_factory()
    # Bound to loopback, only loopback names may address the server: a page whose own
    # name was rebound to 127.0.0.1 cannot read the data. (Starlette reads the name in
    # "Host: [::1]:8000" as "[::1]", brackets and all.)
    hosts = loopback_hosts(host)
    app = create_app(
        source, threshold=threshold, allow_update=allow_update, token=token, limits=limits,
        allowed_hosts=hosts, cors=cors,
    )  # fmt: skip
    mode = "updates need the bearer token" if allow_update else "read-only"
    mode += f", {app.state.server.pool.size} workers"
    where = f"[{host}]" if ":" in host else host
    click.echo(
        f"groupkg serve: {app.state.server.data.store.description}, {mode}; "
        f"viewer http://{where}:{port}/, "
        f"SPARQL http://{where}:{port}/sparql, API http://{where}:{port}/api/info",
        err=True,
    )
    config = uvicorn.Config(app, host=host, port=port, lifespan="off", server_header=False)
    with _stopping_workers(app.state.server):
        uvicorn.Server(config).run()


class _Stopped(BaseException):
    """SIGTERM, raised where it would have ended the process."""


@contextlib.contextmanager
def _stopping_workers(server: _Server) -> Iterator[None]:
    """Stop the server's workers when it stops, SIGTERM included, then end as asked.

    uvicorn answers SIGTERM by shutting down, then raising the signal again for its
    previous handler, which ends the process at once: the workers would only be
    killed by their parent's death. Here that handler stops them first, then the
    process ends by SIGTERM as before.
    """
    main = threading.current_thread() is threading.main_thread()

    def stopped(signum: int, frame: Any) -> None:
        raise _Stopped()

    previous = signal.signal(signal.SIGTERM, stopped) if main else None
    ended = False
    try:
        yield
    except _Stopped:
        ended = True
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if ended:
        signal.raise_signal(signal.SIGTERM)
