"""A remote SPARQL 1.1 endpoint as a store (``sparql:URL``).

Queries and updates go over HTTP as forms, with the endpoint's user and password when
it asks for them (basic or digest authentication). An answer that is not the SPARQL
results or RDF it claims to be is refused in one line, before any parser further on
meets it; one the endpoint cut short (Virtuoso's ``ResultSetMaxRows``) is refused too.
Answers are read by pyoxigraph and written again in the format asked for, so that every
endpoint's dialect of a format (Virtuoso's ``typed-literal`` bindings, its CSV) gives
the bytes a memory store gives. The rows the library reads come as SPARQL JSON, from
Virtuoso as SPARQL XML and in queries of a size it takes (see
:mod:`~groupkg.graph.store.virtuoso`).

Data may live in one named graph (``graph``): queries then read it as their default
graph and imports write into it. Imports go in blocks into a staging graph of their own,
which one last update adds to the data and drops: readers never see half an import.
"""

from __future__ import annotations

import contextlib
import json
import tempfile
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import (
    Progress,
    ntriples_blocks,
    rdf_as_ntriples,
    statements_in,
    syntax_error,
)
from groupkg.graph.store.terms import XSD_BOOLEAN, literal_value
from groupkg.graph.store.virtuoso import joined_rows, split_values, xml_rows

__all__ = [
    "COMMIT_TIMEOUT",
    "PLAIN_BATCH",
    "TEMPLATE_BATCH",
    "UPDATE_BYTES",
    "MissingValue",
    "SparqlStore",
    "linked_batches",
]

# The N-Triples read at a time, and the triples sent in one INSERT DATA and in one
# template: Virtuoso's parser runs out of memory at about 5,000 triples of DATA, and it
# refuses a template whose generated SQL passes 10,000 lines (a few hundred triples).
UPDATE_BYTES = 1 << 20
PLAIN_BATCH, TEMPLATE_BATCH = 2000, 200
COMMIT_TIMEOUT = 3600.0  # seconds the last request of an import may take
_STAGING_GRAPH = "urn:groupkg:import:"  # then a UUID, as an oxigraph: store names them
# What the endpoint is asked for: formats pyoxigraph reads whole.
_READABLE = "application/sparql-results+json, application/n-triples;q=0.9"
_JSON_ROWS, _XML_ROWS = "application/sparql-results+json", "application/sparql-results+xml"
_SEMANTIC = (SyntaxError, ValueError, OSError)
_NT = ox.RdfFormat.N_TRIPLES


# Virtuoso's errors whose cause is a limit of its configuration: the setting, its section
# of virtuoso.ini, and what it limits.
_LIMITS = {
    "SR171": ("MaxQueryExecutionTime", "SPARQL", "the seconds a request may run"),
    "SR325": ("TransactionAfterImageLimit", "Parameters", "the bytes one transaction may log"),
}


def _advice(detail: str) -> str:
    """What to change on the endpoint, for the errors whose cause is its configuration."""
    for code, (setting, section, what) in _LIMITS.items():
        if code in detail:
            return (
                f"\n(Virtuoso's {setting}, in the [{section}] section of virtuoso.ini, "
                f"limits {what}. An import's last request adds everything it sent in one "
                "transaction, and an import stopped there adds nothing: raise the limit "
                "for imports this size.)"
            )
    return ""


class SparqlStore:
    """A remote SPARQL 1.1 endpoint (query URL; updates go to ``update_url``), its data
    in the endpoint's default graph or in the named ``graph``; ``credentials`` (user,
    password) answer an endpoint that asks for them."""

    def __init__(
        self,
        url: str,
        update_url: str | None = None,
        timeout: float = 60.0,
        graph: str | None = None,
        credentials: tuple[str, str] | None = None,
    ):
        self.url = url
        self.update_url = update_url or url
        self.timeout = timeout
        self.graph = graph
        self.description = f"sparql:{url}" + (f";graph={graph}" if graph else "")
        handlers: list[urllib.request.BaseHandler] = []
        if credentials is not None:
            passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            passwords.add_password(None, [url, self.update_url], *credentials)
            handlers = [_Basic(passwords), _Digest(passwords)]
        self._opener = urllib.request.build_opener(*handlers)
        self._server: str | None = None  # the endpoint's Server header, once it answered

    @property
    def dialect(self) -> str | None:
        """``"virtuoso"`` for a Virtuoso endpoint, whose queries need a dialect of their
        own now and then (``ontology/queries/virtuoso/``), else ``None``."""
        if self._server is None:
            self._query("ASK {}", _JSON_ROWS)
        return "virtuoso" if self._virtuoso else None

    @property
    def _virtuoso(self) -> bool:
        """Whether the endpoint said it is Virtuoso (``False`` before it answered)."""
        return "virtuoso" in (self._server or "").lower()

    def _post(
        self, url: str, body: dict[str, str], accept: str, timeout: float | None = None
    ) -> tuple[bytes, str]:
        data = urllib.parse.urlencode(body).encode()
        request = urllib.request.Request(
            url,
            data=data,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with self._opener.open(request, timeout=timeout or self.timeout) as response:
                self._server = response.headers.get("Server", "")
                cut = response.headers.get("X-SPARQL-MaxRows")
                if cut is not None:
                    raise InputError(
                        f"{url} cut its answer short at {cut} rows: raise the endpoint's "
                        "limit (Virtuoso: ResultSetMaxRows in the [SPARQL] section of "
                        "virtuoso.ini)"
                    )
                return response.read(), response.headers.get("Content-Type", accept)
        except urllib.error.HTTPError as exc:
            with exc:
                detail = exc.read().decode("utf-8", "replace")[:500]
            raise InputError(f"{url} answered {exc.code}: {detail}{_advice(detail)}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise InputError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None

    def _query(self, query: str, accept: str) -> tuple[bytes, str]:
        form = {"query": query}
        if self.graph is not None:
            form["default-graph-uri"] = self.graph
        return self._post(self.url, form, accept)

    def update(self, update: str, timeout: float | None = None) -> None:
        """Apply one SPARQL Update request at the update URL."""
        self._post(self.update_url, {"update": update}, "*/*", timeout)

    def select(self, query: str) -> list[dict[str, Any]]:
        parts = split_values(query)
        if len(parts) == 1 or self.dialect != "virtuoso":
            return self._select(query)
        return joined_rows(query, [self._select(part) for part in parts])

    def _select(self, query: str) -> list[dict[str, Any]]:
        body, media = self._query(query, _XML_ROWS if self._virtuoso else _JSON_ROWS)
        if media.split(";")[0].strip().lower() == _XML_ROWS:
            rows = xml_rows(body)
            if rows is None:
                raise InputError(f"{self.url} did not answer with SPARQL XML results")
            return [_RemoteRow(self.url, row) for row in rows]
        try:
            doc = json.loads(body)
            return [
                _RemoteRow(self.url, {k: _json_term(v) for k, v in row.items()})
                for row in doc["results"]["bindings"]
            ]
        except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
            # Not JSON (an HTML page), or JSON without the shape of SPARQL results
            # ({}, [], a binding without a value).
            raise InputError(f"{self.url} did not answer with SPARQL JSON results") from None

    def query_raw(self, query: str, media_type: str) -> tuple[bytes, str]:
        """The answer written as a memory store writes it: results in ``media_type``
        (else JSON), a graph in ``media_type`` (else Turtle)."""
        body, media = self._query(query, _READABLE)
        _check_answer(self.url, media, media_type)
        written = _rewrite(body, media, media_type)
        if isinstance(written, str):
            base = media.split(";")[0].strip().lower()
            raise InputError(f"{self.url} did not answer with valid {base}: {written}")
        return written

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        """Add every triple of ``data`` or none of them, as an import of them (see
        :meth:`import_ntriples`); return how many there were."""
        with tempfile.TemporaryDirectory(prefix="groupkg-add-") as folder:
            path = Path(folder) / "data.nt"
            path.write_bytes(rdf_as_ntriples(data, fmt))
            return self.import_ntriples(path)

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Send the file in blocks of :data:`PLAIN_BATCH` lines into a staging graph, then
        add that graph to the data and drop it in one update: applied whole or not at
        all. ``progress`` is told the bytes sent.

        A request names blank nodes afresh, and Virtuoso takes them only in a template
        (``INSERT {...} WHERE {}``) of a limited size: the triples of a file with blank
        nodes are sent with each set of triples that share blank nodes in one request.
        """
        staging = f"{_STAGING_GRAPH}{uuid.uuid4()}"
        total, statements = path.stat().st_size, 0
        try:
            for block, done in _checked_blocks(path):
                if b"_:" in block:  # start again, each set of linked blank nodes whole
                    self.update(f"DROP SILENT GRAPH <{staging}>")
                    statements = self._insert_linked(staging, path, total, progress)
                    break
                self._insert(staging, block, template=False)
                statements += statements_in(block)
                if progress is not None:
                    progress(done, total)
            into = f"GRAPH <{self.graph}>" if self.graph else "DEFAULT"
            # The one step that makes the import part of the data: its time grows with
            # the import's size, on the server, so it may take longer than a request.
            self.update(
                f"ADD SILENT GRAPH <{staging}> TO {into} ;\nDROP SILENT GRAPH <{staging}>",
                timeout=max(self.timeout, COMMIT_TIMEOUT),
            )
        except InputError:
            with contextlib.suppress(InputError):
                self.update(f"DROP SILENT GRAPH <{staging}>")
            raise
        return statements

    def _insert_linked(self, graph: str, path: Path, total: int,
                       progress: Progress | None) -> int:  # fmt: skip
        """Insert a file with blank nodes (see :func:`linked_batches`); return how
        many triples it had."""
        try:
            triples = [quad.triple for quad in ox.parse(path=str(path), format=_NT)]
        except SyntaxError as exc:
            raise syntax_error(path, exc, 1) from None
        sent = 0
        for batch, template in linked_batches(triples):
            self._insert(graph, ox.serialize(batch, format=_NT) or b"", template)
            sent += len(batch)
            if progress is not None:
                progress(total * sent // max(1, len(triples)), total)
        return len(triples)

    def _insert(self, graph: str, block: bytes, template: bool) -> None:
        text = block.decode("utf-8")
        if template:  # Virtuoso takes blank nodes in a template, not in DATA
            self.update(f"INSERT {{ GRAPH <{graph}> {{\n{text}\n}} }} WHERE {{}}")
        else:
            self.update(f"INSERT DATA {{ GRAPH <{graph}> {{\n{text}\n}} }}")

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"]) if rows else 0
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{self.url} did not answer a count of triples") from None


class _ClosesChallenge:
    """An authentication handler that closes the 401 answer it replies to, which
    urllib leaves open (a socket left to the garbage collector) once it has asked
    again with the credentials."""

    def http_error_401(self, req: Any, fp: Any, code: int, msg: str, headers: Any) -> Any:
        try:
            answer = super().http_error_401(req, fp, code, msg, headers)  # type: ignore[misc]
        except BaseException:
            fp.close()
            raise
        if answer is not None:
            fp.close()
        return answer


class _Basic(_ClosesChallenge, urllib.request.HTTPBasicAuthHandler):
    pass


class _Digest(_ClosesChallenge, urllib.request.HTTPDigestAuthHandler):
    pass


def linked_batches(triples: list[Any]) -> Iterator[tuple[list[Any], bool]]:
    """``triples`` in batches to send, each with whether it holds blank nodes: those
    without in batches of :data:`PLAIN_BATCH`, those with grouped so that triples
    sharing a blank node, directly or through others, are in one batch, of about
    :data:`TEMPLATE_BATCH` triples (a larger set alone).

    >>> a, b = ox.BlankNode("a"), ox.BlankNode("b")
    >>> p, x = ox.NamedNode("urn:p"), ox.NamedNode("urn:x")
    >>> [(len(batch), blank) for batch, blank in linked_batches(
    ...     [ox.Triple(x, p, a), ox.Triple(a, p, b), ox.Triple(x, p, x)])]
    [(1, False), (2, True)]
    """
    root: dict[Any, Any] = {}

    def find(node: Any) -> Any:
        while root.setdefault(node, node) != node:
            root[node] = node = root[root[node]]
        return node

    plain, linked = [], []
    for triple in triples:
        blanks = [t for t in (triple.subject, triple.object) if isinstance(t, ox.BlankNode)]
        if not blanks:
            plain.append(triple)
            continue
        linked.append((triple, blanks[0]))
        for other in blanks[1:]:
            root[find(other)] = find(blanks[0])
    for start in range(0, len(plain), PLAIN_BATCH):
        yield plain[start : start + PLAIN_BATCH], False
    sets: dict[Any, list[Any]] = {}
    for triple, blank in linked:
        sets.setdefault(find(blank), []).append(triple)
    batch: list[Any] = []
    for together in sets.values():
        if batch and len(batch) + len(together) > TEMPLATE_BATCH:
            yield batch, True
            batch = []
        batch.extend(together)
    if batch:
        yield batch, True


def _checked_blocks(path: Path) -> Iterator[tuple[bytes, int]]:
    """The file's blocks of at most :data:`UPDATE_BYTES` and :data:`PLAIN_BATCH` lines,
    each with the bytes read so far, read by pyoxigraph first: a syntax error names the
    file and line before anything is sent."""
    for block, first_line, done in ntriples_blocks(path, UPDATE_BYTES):
        try:
            for _ in ox.parse(block, format=ox.RdfFormat.N_TRIPLES):
                pass
        except SyntaxError as exc:
            raise syntax_error(path, exc, first_line) from None
        lines = block.split(b"\n")[:-1]
        sent = done - len(block)
        for start in range(0, len(lines), PLAIN_BATCH):
            part = b"\n".join(lines[start : start + PLAIN_BATCH]) + b"\n"
            sent += len(part)
            yield part, sent


class MissingValue(InputError, KeyError):
    """A row of a remote endpoint's answer without a variable the query binds."""

    def __str__(self) -> str:
        return str(self.args[0])


class _RemoteRow(dict[str, Any]):
    """A row of a remote SELECT: a variable it lacks is the endpoint's fault (it
    answered another query, or a binding with no value), told in one line."""

    def __init__(self, url: str, values: dict[str, Any]):
        super().__init__(values)
        self.url = url

    def __missing__(self, key: str) -> Any:
        raise MissingValue(f"{self.url} did not answer with the rows asked for (one has no ?{key})")


def _check_answer(url: str, media: str, asked: str) -> None:
    """Refuse a remote answer that is not SPARQL results or RDF, or results where RDF
    was asked for: an HTML page would otherwise fail in a parser further on."""
    base = media.split(";")[0].strip().lower()
    results = ox.QueryResultsFormat.from_media_type(base)
    graph = ox.RdfFormat.from_media_type(base)
    wanted_graph = ox.RdfFormat.from_media_type(asked.split(";")[0].strip().lower())
    if results is None and graph is None or wanted_graph is not None and graph is None:
        raise InputError(f"{url} did not answer with {asked} (it answered "
                         f"{base or 'no content type'})")  # fmt: skip


def _rewrite(body: bytes, media: str, asked: str) -> tuple[bytes, str] | str:
    """``body`` read and written again as a memory store writes its answers (see
    :meth:`~groupkg.graph.store.oxigraph.OxigraphStore.query_raw`), or why it does not
    parse. Returned, not raised: a traceback would keep pyoxigraph's parser alive, to
    be dropped later on another thread, which pyoxigraph refuses."""
    base = media.split(";")[0].strip().lower()
    wanted = asked.split(";")[0].strip().lower()
    try:
        graph = ox.RdfFormat.from_media_type(base)
        if graph is not None:
            out = ox.RdfFormat.from_media_type(wanted) or ox.RdfFormat.TURTLE
            triples = [quad.triple for quad in ox.parse(body, format=graph)]
            return ox.serialize(triples, format=out) or b"", out.media_type
        results = ox.QueryResultsFormat.from_media_type(base)
        table = ox.QueryResultsFormat.from_media_type(wanted) or ox.QueryResultsFormat.JSON
        if results == ox.QueryResultsFormat.CSV:  # lossy: no parser, passed on as it is
            return body, media
        if results == ox.QueryResultsFormat.JSON:
            body = _canonical_json(body)
        parsed = ox.parse_query_results(body, format=results)
        return parsed.serialize(format=table) or b"", table.media_type
    except _SEMANTIC as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _canonical_json(body: bytes) -> bytes:
    """SPARQL JSON results with Virtuoso's booleans (``0`` and ``1``) written as
    ``false`` and ``true``, and its answer to an ASK (a row of ``__ASK_RETVAL``, 0 or 1)
    as the boolean it is: the same values in the form every other store writes."""
    try:
        doc = json.loads(body)
        if doc["head"].get("vars") == ["__ASK_RETVAL"]:
            rows = doc["results"]["bindings"]
            answer = bool(rows) and rows[0]["__ASK_RETVAL"]["value"] == "1"
            return json.dumps({"head": {}, "boolean": answer}).encode()
        for row in doc["results"]["bindings"]:
            for term in row.values():
                if term.get("datatype") == XSD_BOOLEAN and term.get("value") in ("0", "1"):
                    term["value"] = "true" if term["value"] == "1" else "false"
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return body  # an ASK answer, or no results at all: for the parser to judge
    return json.dumps(doc).encode()


def _json_term(term: dict[str, str]) -> Any:
    if not isinstance(term["value"], str):
        raise TypeError("a SPARQL JSON value is a string")
    if term["type"] == "uri":
        return term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return literal_value(term["value"], term.get("datatype"))
