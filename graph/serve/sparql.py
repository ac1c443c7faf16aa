"""``/sparql``: the SPARQL 1.1 Protocol endpoint.

Queries come as ``GET ?query=``, ``POST`` form-encoded (``query=``) or ``POST`` with an
``application/sparql-query`` body; updates (``update=`` or ``application/sparql-update``)
only to a server started with ``--allow-update``, with its bearer token. The answer's
format follows ``Accept`` (:mod:`groupkg.graph.serve.negotiate`): SELECT and ASK as
SPARQL JSON (the default), XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (the
default), N-Triples, JSON-LD or RDF/XML. :func:`run_query` answers one query, in a
worker process (:func:`query_job`); :class:`SparqlEndpoint` reads the requests.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable, Sequence
from typing import Any

import pyoxigraph as ox
from starlette.datastructures import QueryParams
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from groupkg.graph.errors import GroupkgError
from groupkg.graph.serve.guard import authorize_update, refuse_fetching, refuse_nesting
from groupkg.graph.serve.limits import Budget
from groupkg.graph.serve.negotiate import pick
from groupkg.graph.serve.refused import Refused
from groupkg.graph.serve.server import Server
from groupkg.graph.serve.source import WorkerState
from groupkg.graph.store import OxigraphStore, Store, well_formed_xml

__all__ = [
    "GRAPH_FORMATS",
    "PREFIXES",
    "RESULT_FORMATS",
    "SparqlEndpoint",
    "query_job",
    "run_query",
]

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
# How far past --max-body a streamed body is still read (and dropped) before the 413.
_DRAIN = 1 << 20
_FORM = "application/x-www-form-urlencoded"


# -- answering a query --------------------------------------------------------------


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


def _solutions_body(
    variables: list[str], rows: Iterable[Any], fmt: ox.QueryResultsFormat, budget: Budget
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


def _graph_body(triples: Iterable[ox.Triple], fmt: ox.RdfFormat, budget: Budget) -> bytes:
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


def _answer(result: Any, accept: str | None, budget: Budget) -> tuple[bytes, str]:
    if isinstance(result, ox.QueryBoolean):
        fmt = pick(accept, RESULT_FORMATS, "an ASK query")
        return result.serialize(format=fmt) or b"", fmt.media_type
    if isinstance(result, ox.QuerySolutions):
        fmt = pick(accept, RESULT_FORMATS, "a SELECT query")
        variables = [v.value for v in result.variables]
        return _solutions_body(variables, result, fmt, budget), fmt.media_type
    fmt = pick(accept, GRAPH_FORMATS, "a CONSTRUCT or DESCRIBE query")
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
    store fetch a URL of the client's choosing (see
    :func:`~groupkg.graph.serve.guard.fetching_keyword`).

    Raises
    ------
    Refused
        400 for a malformed query, 403 for a SERVICE clause, 406, 422 over the cap, 503
        past the deadline.
    """
    refuse_nesting(query)
    refuse_fetching(query)
    budget = Budget(max_results, deadline, timeout)
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
            fmt = pick(accept, GRAPH_FORMATS, "a CONSTRUCT or DESCRIBE query")
            triples = (quad.triple for quad in ox.parse(body, format=graph))
            return _graph_body(triples, fmt, budget), fmt.media_type
    except (SyntaxError, ValueError) as exc:
        raise Refused(502, f"the store's answer ({media}) does not parse: {exc}") from None
    raise Refused(502, f"the store answered in {media}, which groupkg cannot read")


def query_job(worker: WorkerState, query: str, accept: str | None,
              options: dict[str, Any]) -> tuple[bytes, str]:  # fmt: skip
    """A SPARQL query's answer (never kept: it has a deadline and a row cap)."""
    return run_query(worker.data.store, query, accept, **options)


# -- the protocol: what a request asks ---------------------------------------------


class SparqlEndpoint:
    """``/sparql``: the SPARQL 1.1 Protocol for queries and (with the token) updates."""

    def __init__(self, server: Server):
        self.server = server

    async def answer(self, request: Request) -> Response:
        """The answer to one request, or the error it is refused with, as plain text."""
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
            authorize_update(request, self.server.allow_update, self.server.token)
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
            authorize_update(request, self.server.allow_update, self.server.token)
            merged = QueryParams([*url.multi_items(), *form.multi_items()])
            return await self._update(request, _one(form.getlist("update"), "update"), merged)
        merged = QueryParams([*url.multi_items(), *form.multi_items()])
        return await self._query(request, _one(form.getlist("query"), "query"), merged)

    async def _body(self, request: Request) -> bytes:
        """The request body, or 413 past ``--max-body``. A streamed body a little over
        the limit is read to its end (and dropped) before the answer, so the client,
        still sending, reads the 413 instead of a broken connection; past
        :data:`_DRAIN` more bytes the server stops reading and answers at once."""
        limit = self.server.limits.max_body
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
        refuse_nesting(query)
        accept, limits = request.headers.get("accept"), self.server.limits
        options = {
            "max_results": limits.max_results, "deadline": time.monotonic() + limits.timeout,
            "timeout": limits.timeout, "default_graphs": params.getlist("default-graph-uri"),
            "named_graphs": params.getlist("named-graph-uri"), "base_iri": _endpoint(request),
        }  # fmt: skip
        server = self.server
        body, media = await server.isolated(server.query_slots, query_job, query, accept, options)
        return Response(body, media_type=media, headers={"Vary": "Accept"})

    async def _update(self, request: Request, update: str, params: QueryParams) -> Response:
        if not update.strip():
            raise Refused(400, "missing update")
        refuse_nesting(update, update=True)
        dataset = {
            "using_graphs": params.getlist("using-graph-uri"),
            "using_named_graphs": params.getlist("using-named-graph-uri"),
            "base_iri": _endpoint(request),
        }
        server = self.server
        warning = await server.work(server.query_slots, lambda: self._apply(update, dataset))
        return PlainTextResponse(warning) if warning else Response(status_code=204)

    def _apply(self, update: str, dataset: dict[str, Any]) -> str | None:
        refuse_fetching(update, update=True)
        return self.server.apply_update(update, dataset)


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
