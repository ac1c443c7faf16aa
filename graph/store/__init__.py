"""Where the triples live: one small interface, three backends.

``memory``
    A pyoxigraph in-memory store, loaded with the ontology and (unless told not to)
    the bundled IIJ data. The default.
``oxigraph:PATH``
    A persistent pyoxigraph store on disk. A new, empty store is initialised with the
    ontology (and the bundled data unless ``--no-default-data``) in one transaction.
``sparql:URL`` (or ``sparql:URL;update=UPDATE_URL;graph=IRI``)
    Any SPARQL 1.1 endpoint. Nothing above this module assumes the data sits in this
    process: the library asks its questions as SPARQL. Updates go to UPDATE_URL, by
    default the query URL itself, or ``.../update`` for a query URL ending in
    ``/query`` (Oxigraph, Fuseki). With ``graph``, the data is the named graph IRI
    (Virtuoso's queries otherwise read every graph it holds, its own among them). An
    endpoint that asks for a user and password is given those of the URL
    (``http://user:password@host/...``) or of ``GROUPKG_SPARQL_USER`` and
    ``GROUPKG_SPARQL_PASSWORD``.

Every backend answers ``select`` with rows of plain Python values (see :func:`to_python`)
and ``query_raw`` with a serialised SPARQL result, and adds data with ``add_rdf``, which
adds all of a graph or nothing of it.

The package's modules: :mod:`~groupkg.graph.store.oxigraph` (memory and on disk),
:mod:`~groupkg.graph.store.staging` (imports that apply whole),
:mod:`~groupkg.graph.store.remote` (``sparql:URL``; :mod:`~groupkg.graph.store.virtuoso`
for what Virtuoso needs beyond standard SPARQL), :mod:`~groupkg.graph.store.union`
(a store with ``--data`` files beside it), :mod:`~groupkg.graph.store.rows` (SELECT rows
read fast), :mod:`~groupkg.graph.store.terms` (RDF terms and the one literal decoder),
:mod:`~groupkg.graph.store.ntriples` (N-Triples written and read),
:mod:`~groupkg.graph.store.queries` (the bundled files and queries),
:mod:`~groupkg.graph.store.queryguard` and :mod:`~groupkg.graph.store.sparqltext`.
Every public name is importable from here.
"""

from __future__ import annotations

import json
import os
import tempfile
import urllib.parse
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import (
    STAGING_PREFIX,
    Progress,
    as_ntriples,
    rdf_as_ntriples,
    write_ntriples,
)
from groupkg.graph.store.oxigraph import (
    ONTOLOGY_MARKER,
    OxigraphStore,
    open_read_only,
    well_formed_xml,
)
from groupkg.graph.store.queries import (
    data_only_query,
    default_data_files,
    named_query,
    ontology_files,
)
from groupkg.graph.store.remote import MissingValue, SparqlStore
from groupkg.graph.store.rows import TSV, iter_rows, select_many, select_tuples
from groupkg.graph.store.terms import (
    XSD,
    literal_value,
    sparql_iri,
    sparql_string,
    to_python,
    tsv_term,
)
from groupkg.graph.store.union import UnionStore

__all__ = [
    "Store",
    "OxigraphStore",
    "SparqlStore",
    "UnionStore",
    "MissingValue",
    "Progress",
    "open_store",
    "open_read_only",
    "initialise",
    "ontology_files",
    "default_data_files",
    "data_only_query",
    "named_query",
    "iter_rows",
    "literal_value",
    "as_ntriples",
    "rdf_as_ntriples",
    "write_ntriples",
    "sparql_iri",
    "sparql_string",
    "to_python",
    "tsv_term",
    "select_tuples",
    "select_many",
    "well_formed_xml",
    "STAGING_PREFIX",
    "TSV",
    "XSD",
]


class Store(Protocol):
    """What the library needs from a triple store."""

    description: str

    def select(self, query: str) -> list[dict[str, Any]]:
        """Rows of a SELECT query as dicts of plain values (unbound variables absent)."""

    def query_raw(self, query: str, media_type: str) -> tuple[bytes, str]:
        """Run any query; return the serialised result and its media type."""

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        """Add every triple of ``data`` or none of them; return how many were added."""

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Add an N-Triples file whole or not at all (see each backend); return how
        many statements it had. ``progress(done, total)`` is told the bytes read."""

    def __len__(self) -> int: ...


def _read_files(store: OxigraphStore, files: Iterable[Path]) -> None:
    for path in files:
        store.add_rdf(path.read_bytes(), ox.RdfFormat.TURTLE)


def open_store(spec: str = "memory", default_data: bool = True, writable: bool = False) -> Store:
    """Open the store named by ``spec``: ``memory``, ``oxigraph:PATH`` or ``sparql:URL``.

    An existing ``oxigraph:`` store opens read-only unless ``writable``, so any number
    of readers (the command line, a server) can share it; a new one is created and
    initialised first.

    Raises
    ------
    InputError
        For an unknown kind of store or one that cannot be opened; its ``field`` is
        ``"store"`` when ``spec`` itself is wrong.
    """
    if spec == "memory":
        store = OxigraphStore()
        _read_files(store, ontology_files())
        if default_data:
            _read_files(store, default_data_files())
        return store
    kind, _, where = spec.partition(":")
    if kind == "oxigraph" and where:
        path = Path(where)
        if writable or not path.is_dir() or not any(path.iterdir()):
            store = OxigraphStore(path)
            if not store.initialised:
                _initialise(store, default_data)
            store.discard_unfinished_imports()
            if writable:
                return store
            store.close()
        return OxigraphStore(path, read_only=True)
    if kind == "sparql" and where:
        return _sparql_store(where)
    raise InputError(
        f"{spec!r} is not a store (use memory, oxigraph:PATH or sparql:URL)", field="store"
    )


# The user and password of an endpoint that asks for them, where the URL does not hold
# them: a URL on a command line is seen by everyone who lists the machine's processes.
USER_VARIABLE, PASSWORD_VARIABLE = "GROUPKG_SPARQL_USER", "GROUPKG_SPARQL_PASSWORD"


def _sparql_store(where: str) -> SparqlStore:
    """The store of ``URL[;update=UPDATE_URL][;graph=IRI]``; a URL's ``user:password@``
    (or the environment's :data:`USER_VARIABLE` and :data:`PASSWORD_VARIABLE`) answers
    an endpoint that asks for them, and is never part of the store's description."""
    url, *options = where.split(";")
    settings: dict[str, str] = {}
    for option in options:
        key, _, value = option.partition("=")
        if key not in ("update", "graph") or not value or key in settings:
            raise InputError(f"{option!r}: a sparql: store takes ;update=URL and ;graph=IRI",
                             field="store")  # fmt: skip
        settings[key] = value
    update = settings.get("update")
    if not update and url.endswith("/query"):
        # Oxigraph and Fuseki answer updates beside queries, at .../update
        update = url[: -len("query")] + "update"
    credentials, plain = None, []
    for address in filter(None, (url, update)):
        parts = urllib.parse.urlsplit(address)
        if parts.scheme not in ("http", "https"):
            raise InputError(f"{_without_password(address)!r} is not an http:// or https:// URL",
                             field="store")  # fmt: skip
        if parts.username is not None:
            credentials = (urllib.parse.unquote(parts.username),
                           urllib.parse.unquote(parts.password or ""))  # fmt: skip
        plain.append(_without_password(address))
    user, password = os.environ.get(USER_VARIABLE), os.environ.get(PASSWORD_VARIABLE)
    if credentials is None and user:
        credentials = (user, password or "")
    return SparqlStore(plain[0], plain[1] if update else None, graph=settings.get("graph"),
                       credentials=credentials)  # fmt: skip


def _without_password(url: str) -> str:
    """``url`` without its ``user:password@``."""
    parts = urllib.parse.urlsplit(url)
    if parts.username is None and parts.password is None:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urllib.parse.urlunsplit(parts._replace(netloc=host))


def initialise(store: Store, default_data: bool = True) -> int:
    """Write the ontology (and the bundled data) into any store; return triples added.

    A new ``oxigraph:`` store does this by itself; a remote store is told to once,
    with ``groupkg init``. A store that holds the ontology already is left as it is
    (0 triples added): writing it again would count every triple twice.
    """
    subject, kind = ONTOLOGY_MARKER.subject, ONTOLOGY_MARKER.object
    marker = f"ASK {{ <{subject.value}> a <{kind.value}> }}"  # type: ignore[union-attr]
    if _holds(store, marker):
        return 0
    files = ontology_files() + (default_data_files() if default_data else [])
    text = b"\n".join(rdf_as_ntriples(path.read_bytes(), ox.RdfFormat.TURTLE) for path in files)
    with tempfile.NamedTemporaryFile(suffix=".nt", delete=False) as staged:
        staged.write(text)
    try:
        store.import_ntriples(Path(staged.name))
    finally:
        Path(staged.name).unlink(missing_ok=True)
    return text.count(b"\n")


def _holds(store: Store, ask: str) -> bool:
    body, _ = store.query_raw(ask, "application/sparql-results+json")
    try:
        return json.loads(body).get("boolean") is True
    except (ValueError, AttributeError, RecursionError):
        return False


def _initialise(store: OxigraphStore, default_data: bool) -> None:
    files = ontology_files() + (default_data_files() if default_data else [])
    quads: list[ox.Quad] = []
    for path in files:
        quads.extend(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE))
    store.store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    store.flush()
