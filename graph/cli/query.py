"""Print the result of any SPARQL query in the format a user asked for."""

from __future__ import annotations

import json

import click

from groupkg.graph.cli.tables import print_table
from groupkg.graph.errors import InputError
from groupkg.graph.store import Store

__all__ = ["run", "MEDIA_TYPES"]

MEDIA_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "table": "application/sparql-results+json",
}
_GRAPH_TYPES = ("text/turtle", "application/n-triples", "application/ld+json")


def _cell(term: dict[str, str] | None) -> str:
    if term is None:
        return ""
    if term["type"] == "uri":
        return str(term["value"])
    if term["type"] == "bnode":
        return "_:" + str(term["value"])
    return str(term["value"])


def run(store: Store, query: str, fmt: str = "table") -> bool:
    """Run ``query`` and print its result; return whether it found anything.

    SELECT and ASK results print as a table, JSON, XML, CSV or TSV; CONSTRUCT and
    DESCRIBE results print as Turtle whatever the format.
    """
    body, media_type = store.query_raw(query, MEDIA_TYPES[fmt])
    try:
        return _show(body, media_type, fmt)
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        # UnicodeDecodeError is a ValueError: bytes that are not UTF-8 text.
        raise InputError(
            f"{store.description} did not answer with {fmt.upper()} query results"
            if fmt != "table"
            else f"{store.description} did not answer with SPARQL JSON results"
        ) from None


def _show(body: bytes, media_type: str, fmt: str) -> bool:
    if media_type.split(";")[0].strip() in _GRAPH_TYPES:
        text = body.decode("utf-8")
        click.echo(text, nl=False)
        return bool(text.strip())
    if fmt != "table":
        text = body.decode("utf-8")
        found = len(text.strip().splitlines()) > 1 or fmt == "xml"
        if fmt == "json":
            doc = json.loads(body)
            found = bool(doc.get("boolean", doc.get("results", {}).get("bindings")))
        click.echo(text, nl=False)
        return found
    doc = json.loads(body)
    if "boolean" in doc:
        click.echo("true" if doc["boolean"] else "false")
        return bool(doc["boolean"])
    names = [str(n) for n in doc["head"]["vars"]]
    rows = [[_cell(row.get(n)) for n in names] for row in doc["results"]["bindings"]]
    print_table(names, rows)
    return bool(rows)
