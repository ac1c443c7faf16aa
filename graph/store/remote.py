"""A remote SPARQL 1.1 endpoint as a store (``sparql:URL``).

Queries and updates go over HTTP as forms; an answer that is not the SPARQL results
or RDF it claims to be is refused in one line, before any parser further on meets it.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import Progress, count_statements, rdf_as_ntriples
from groupkg.graph.store.terms import literal_value

__all__ = ["MissingValue", "SparqlStore"]


class SparqlStore:
    """A remote SPARQL 1.1 endpoint (query URL; updates go to ``update_url``)."""

    def __init__(self, url: str, update_url: str | None = None, timeout: float = 60.0):
        self.url = url
        self.update_url = update_url or url
        self.timeout = timeout
        self.description = f"sparql:{url}"

    def _post(self, url: str, body: dict[str, str], accept: str) -> tuple[bytes, str]:
        data = urllib.parse.urlencode(body).encode()
        request = urllib.request.Request(
            url,
            data=data,
            headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"},
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                return response.read(), response.headers.get("Content-Type", accept)
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            raise InputError(f"{url} answered {exc.code}: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            raise InputError(f"cannot reach the SPARQL endpoint {url}: {exc}") from None

    def select(self, query: str) -> list[dict[str, Any]]:
        body, _ = self._post(self.url, {"query": query}, "application/sparql-results+json")
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
        body, media = self._post(self.url, {"query": query}, media_type)
        _check_answer(self.url, body, media, media_type)
        return body, media

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        # One INSERT DATA request is one SPARQL Update operation: the endpoint applies
        # it whole or not at all.
        text = rdf_as_ntriples(data, fmt).decode()
        self._post(self.update_url, {"update": f"INSERT DATA {{\n{text}\n}}"}, "*/*")
        return text.count("\n")

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Send the file as one SPARQL Update (INSERT DATA): applied whole or not at all."""
        statements = count_statements(path)
        text = path.read_text(encoding="utf-8")
        self._post(self.update_url, {"update": f"INSERT DATA {{\n{text}\n}}"}, "*/*")
        if progress is not None:
            progress(len(text), len(text))
        return statements

    def __len__(self) -> int:
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        try:
            return int(rows[0]["n"]) if rows else 0
        except (KeyError, TypeError, ValueError):
            raise InputError(f"{self.url} did not answer a count of triples") from None


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


def _check_answer(url: str, body: bytes, media: str, asked: str) -> None:
    """Refuse a remote answer that is not the SPARQL results or RDF it claims to be,
    or RDF where results were asked for (or the other way round): an HTML page, ``{}``,
    ``[]`` or a body cut short would otherwise fail in a parser further on."""
    base = media.split(";")[0].strip().lower()
    results = ox.QueryResultsFormat.from_media_type(base)
    graph = ox.RdfFormat.from_media_type(base)
    wanted_graph = ox.RdfFormat.from_media_type(asked.split(";")[0].strip().lower())
    if results is None and graph is None or wanted_graph is not None and graph is None:
        raise InputError(f"{url} did not answer with {asked} (it answered "
                         f"{base or 'no content type'})")  # fmt: skip
    reason = _parse_failure(body, graph, results)
    if reason is not None:
        raise InputError(f"{url} did not answer with valid {base}: {reason}")


def _parse_failure(
    body: bytes, graph: ox.RdfFormat | None, results: ox.QueryResultsFormat | None
) -> str | None:
    """Why ``body`` does not parse, or ``None``. Returned, not raised: a traceback
    would keep pyoxigraph's parser alive, to be dropped later on another thread,
    which pyoxigraph refuses."""
    try:
        if graph is not None:
            for _ in ox.parse(body, format=graph):
                pass
        elif results is not None and results != ox.QueryResultsFormat.CSV:  # lossy: no parser
            for _ in _solutions(ox.parse_query_results(body, format=results)):
                pass
    except (SyntaxError, ValueError, OSError) as exc:
        return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    return None


def _solutions(parsed: Any) -> Iterator[Any]:
    return iter(parsed) if isinstance(parsed, ox.QuerySolutions) else iter(())


def _json_term(term: dict[str, str]) -> Any:
    if not isinstance(term["value"], str):
        raise TypeError("a SPARQL JSON value is a string")
    if term["type"] == "uri":
        return term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return literal_value(term["value"], term.get("datatype"))
