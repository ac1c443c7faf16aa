"""Where the triples live: one small interface, three backends.

``memory``
    A pyoxigraph in-memory store, loaded with the ontology and (unless told not to)
    the bundled IIJ data. The default.
``oxigraph:PATH``
    A persistent pyoxigraph store on disk. A new, empty store is initialised with the
    ontology (and the bundled data unless ``--no-default-data``) in one transaction.
``sparql:URL`` (or ``sparql:URL;update=UPDATE_URL``)
    Any SPARQL 1.1 endpoint. Nothing above this module assumes the data sits in this
    process: the library asks its questions as SPARQL. Updates go to UPDATE_URL, by
    default the query URL itself, or ``.../update`` for a query URL ending in
    ``/query`` (Oxigraph, Fuseki).

Every backend answers ``select`` with rows of plain Python values (see :func:`to_python`)
and ``query_raw`` with a serialised SPARQL result, and adds data with ``add_rdf``, which
adds all of a graph or nothing of it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Protocol

import pyoxigraph as ox

from groupkg.graph.dates import parse_partial_date
from groupkg.graph.errors import InputError
from groupkg.graph.output import xml_safe
from groupkg.graph.store.sparqltext import has_dataset_clause, with_using

__all__ = [
    "Store",
    "OxigraphStore",
    "SparqlStore",
    "UnionStore",
    "open_store",
    "open_read_only",
    "initialise",
    "ontology_files",
    "default_data_files",
    "named_query",
    "iter_rows",
    "sparql_iri",
    "sparql_string",
    "to_python",
    "select_tuples",
    "select_many",
    "RDF_FORMATS",
]

# The N-Triples file an import converts its input to, beside an on-disk store.
STAGING_PREFIX = "groupkg-import-"

# Told the work done so far and the whole of it (bytes of a file, say).
Progress = Callable[[int, int], None]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {
    XSD + "integer": int,
    XSD + "int": int,
    XSD + "long": int,
    XSD + "nonNegativeInteger": int,
    XSD + "positiveInteger": int,
    XSD + "decimal": Decimal,
    XSD + "double": float,
    XSD + "float": float,
}
_DATES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}

RDF_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "json-ld": ox.RdfFormat.JSON_LD,
    "rdf": ox.RdfFormat.RDF_XML,
    "xml": ox.RdfFormat.RDF_XML,
    "owl": ox.RdfFormat.RDF_XML,
}

_META = ox.NamedNode("urn:groupkg:meta")
_COMMITTED = ox.NamedNode("urn:groupkg:committed")
_IMPORT_GRAPH = "urn:groupkg:import:"  # then a UUID: the graph an import stages into
# Every write marks the store anew (before it writes: a write killed half-way costs a
# cache, never a stale answer). Caches kept beside the store are keyed on the mark.
_WRITTEN = ox.NamedNode("urn:groupkg:written")
_MARKER = ox.Quad(
    ox.NamedNode("https://w3id.org/groupkg/ontology"),
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
    ox.DefaultGraph(),
)


def _staging(graph: Any) -> bool:
    """Whether a graph is named as an import's (committed or not)."""
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(_IMPORT_GRAPH)


def well_formed_xml(body: bytes, media_type: str) -> bytes:
    """An XML answer that any XML reader reads back as written (others pass unchanged).

    A carriage return becomes ``&#13;`` (pyoxigraph writes it raw, and an XML reader
    turns a raw one into a line feed, changing the literal); a character XML 1.0
    cannot carry at all (a C0 control such as ESC) becomes a visible escape
    (:func:`groupkg.graph.output.xml_safe`). Only a literal's text can hold either.
    """
    if not media_type.split(";")[0].strip().endswith("xml"):
        return body
    text = xml_safe(body.decode("utf-8", errors="surrogateescape"))
    return text.replace("\r", "&#13;").encode("utf-8", errors="surrogateescape")


def to_python(term: Any) -> Any:
    """Turn an RDF term into a plain value.

    IRIs become ``str``, blank nodes ``"_:id"``, numbers ``int``/``Decimal``/``float``,
    booleans ``bool``, dates :class:`~groupkg.graph.dates.PartialDate`, other
    literals their text.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None)
    return str(term)


def _literal(text: str, datatype: str | None) -> Any:
    if datatype in _NUMERIC:
        try:
            return _NUMERIC[datatype](text)
        except (ValueError, ArithmeticError):
            return text
    if datatype == XSD + "boolean":
        return text.strip() in ("true", "1")
    if datatype in _DATES:
        try:
            return parse_partial_date(text)
        except InputError:
            return text
    return text


_VOCABULARY_NAMESPACES = ("https://w3id.org/groupkg/ontology", "https://w3id.org/groupkg/shapes")


@cache
def data_only_query() -> str:
    """A CONSTRUCT of every triple but the vocabulary's: what export writes and validate checks.

    The vocabulary is every subject of the ontology files: groupkg's own terms and the
    outside terms its alignments describe (BODS fields, ORG and FIBO classes).
    """
    outside = sorted(
        {
            quad.subject.value
            for path in ontology_files(shapes=True)
            for quad in ox.parse(path=path, format=ox.RdfFormat.TURTLE)
            if isinstance(quad.subject, ox.NamedNode)
            and not quad.subject.value.startswith(_VOCABULARY_NAMESPACES)
        }
    )
    listed = ", ".join(f"<{iri}>" for iri in outside)
    # STR() of a blank node is an error, which a FILTER reads as false: a blank node
    # (a listing, an assumption) is data, and is kept before STR() is asked.
    return (
        "CONSTRUCT { ?s ?p ?o } WHERE {\n  ?s ?p ?o .\n"
        + "".join(
            f'  FILTER(isBlank(?s) || !STRSTARTS(STR(?s), "{ns}"))\n'
            for ns in _VOCABULARY_NAMESPACES
        )
        + (f"  FILTER(?s NOT IN ({listed}))\n" if listed else "")
        + "}\n"
    )


def ontology_files(shapes: bool = False) -> list[Path]:
    """The ontology's Turtle files, wherever groupkg is installed.

    Stores hold the vocabulary and its alignments; the SHACL shapes only with
    ``shapes=True`` (validation reads them, queries need not see them).
    """
    folder = resources.files("groupkg.ontology")
    return sorted(
        Path(str(p))
        for p in folder.iterdir()
        if p.name.endswith(".ttl") and (shapes or p.name != "shapes.ttl")
    )


def default_data_files() -> list[Path]:
    """The bundled IIJ dataset's Turtle files."""
    folder = resources.files("groupkg.data").joinpath("iij")
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.endswith(".ttl"))


def named_query(name: str) -> str:
    """The text of ``ontology/queries/NAME.rq``.

    Raises
    ------
    InputError
        When there is no such query.
    """
    path = resources.files("groupkg.ontology").joinpath("queries", f"{name}.rq")
    if not path.is_file():
        raise InputError(f"no named query {name!r}")
    return path.read_text(encoding="utf-8")


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


def open_read_only(path: Path) -> ox.Store:
    """A read-only view of an on-disk store that a writer (``serve --allow-update``, an
    import) may be compacting: a table file can vanish between listing and opening it,
    and the next attempt sees the files that replaced it."""
    for attempt in range(5):
        try:
            return ox.Store.read_only(str(path))
        except (OSError, RuntimeError):  # RocksDB: "Corruption: ... No such file"
            if attempt == 4:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


class OxigraphStore:
    """A pyoxigraph store, in memory or on disk."""

    def __init__(self, path: str | Path | None = None, read_only: bool = False):
        self.path = Path(path) if path is not None else None
        if path is None:
            self.store = ox.Store()
            self.description = "memory"
        else:
            path = Path(path)
            if path.is_dir() and not (path / "CURRENT").is_file() and any(path.iterdir()):
                raise InputError(
                    f"cannot open the store at {path}: the folder holds files but no "
                    "oxigraph store (give a new or empty folder for a new store)"
                )
            try:
                if read_only:
                    self.store = open_read_only(path)
                else:
                    path.mkdir(parents=True, exist_ok=True)
                    self.store = ox.Store(str(path))
            except (OSError, RuntimeError) as exc:  # RuntimeError: a damaged store
                if "lock" in str(exc).lower() and not read_only:
                    raise InputError(
                        f"the store at {path} is in use by another writer (a running "
                        "'groupkg import', or 'groupkg serve --allow-update'); wait for "
                        "it to finish or stop it, then try again"
                    ) from None
                reason = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
                raise InputError(f"cannot open the store at {path}: {reason}") from None
            self.description = f"oxigraph:{path}"
        self.read_only = read_only

    def __len__(self) -> int:
        """The triples a reader sees: the default graph and the committed imports."""
        if not self._imports() and next(iter(self.store.named_graphs()), None) is None:
            return len(self.store)
        # An interrupted import leaves a staging graph that readers do not see.
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"])

    @property
    def initialised(self) -> bool:
        return _MARKER in self.store

    @property
    def generation(self) -> str:
        """A mark that changes with every write through groupkg (import, update, added
        data), even one that leaves the number of triples as it was; '' for a store no
        write has marked yet."""
        for quad in self.store.quads_for_pattern(_META, _WRITTEN, None, _META):
            if isinstance(quad.object, ox.Literal):
                return quad.object.value
        return ""

    @contextlib.contextmanager
    def _writing(self) -> Iterator[None]:
        """Mark the store written, then write; a write that fails in Python puts the old
        mark back, so the store is exactly as it was (a killed one keeps the new mark,
        which only costs a cache)."""
        if self.read_only or self.path is None:  # nothing is cached beside a memory store
            yield
            return
        old = list(self.store.quads_for_pattern(_META, _WRITTEN, None, _META))
        stamp = ox.Literal(f"{time.time_ns():020d}-{uuid.uuid4().hex}")
        mark = ox.Quad(_META, _WRITTEN, stamp, _META)
        self.store.extend([mark])
        for quad in old:
            self.store.remove(quad)
        try:
            yield
        except BaseException:
            with contextlib.suppress(OSError, RuntimeError):
                self.store.extend(old)
                self.store.remove(mark)
            raise

    def _imports(self) -> list[ox.NamedNode]:
        """The named graphs of completed imports, in the order they were made."""
        found = [
            (str(q.object.value), q.subject)
            for q in self.store.quads_for_pattern(None, _COMMITTED, None, _META)
            if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode)
        ]
        return [graph for _, graph in sorted(found, key=lambda f: f[0])]

    def discard_unfinished_imports(self) -> int:
        """Remove what interrupted imports left behind; return how many staging graphs.

        A staging graph that was never committed is removed; so are the files a bulk
        load killed before it finished had written into the store's folder (oxigraph
        names them ``bulk-*.sst`` and moves them into the database only at the end),
        which nothing would ever read, and the N-Triples an import converts its file to
        (``groupkg-import-*.nt``, kept in the store's folder for this reason). Only a
        writer does this, and a store has one writer at a time, so no import can be
        running meanwhile.
        """
        done = set(self._imports()) | {_META}
        stale = [g for g in self.store.named_graphs() if g not in done]
        for graph in stale:
            self.store.remove_graph(graph)
        if self.path is not None and not self.read_only:
            for pattern in ("bulk-*.sst", f"{STAGING_PREFIX}*.nt"):
                for leftover in self.path.glob(pattern):
                    leftover.unlink(missing_ok=True)
        return len(stale)

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Add an N-Triples file in one step that either completes or leaves no trace.

        In memory, one transaction. On disk the file is bulk-loaded (flat memory) into
        a fresh named graph, which becomes part of the data only when a one-quad
        transaction marks it committed; readers never see a graph before that, and an
        import killed half-way leaves a staging graph that the next writer removes.
        The bulk load goes a block of lines at a time (the same speed as one call, a
        fraction of the memory, and a progress bar), except for a file with blank
        nodes: each call of the bulk loader names them afresh, so such a file goes in
        one call. A syntax error names the file, line and columns.
        """
        total = path.stat().st_size
        if self.description == "memory":
            try:
                self.store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                raise _syntax_error(path, exc, 1) from None
            return _count_statements(path)
        graph = ox.NamedNode(f"{_IMPORT_GRAPH}{uuid.uuid4()}")
        with self._writing():
            statements = self._stage_and_commit(path, graph, total, progress)
        if progress is not None:
            progress(total, total)
        self.store.flush()
        return statements

    def _stage_and_commit(
        self, path: Path, graph: ox.NamedNode, total: int, progress: Progress | None
    ) -> int:
        """Bulk-load ``path`` into the staging ``graph``, then commit it with one quad."""

        def load(first_line: int, **source: Any) -> None:
            try:
                self.store.bulk_load(format=ox.RdfFormat.N_TRIPLES, to_graph=graph, **source)
            except SyntaxError as exc:
                raise _syntax_error(path, exc, first_line) from None

        statements = 0
        try:
            for block, first_line, done in _ntriples_blocks(path):
                if b"_:" in block:  # start again, the whole file in one call
                    self.store.remove_graph(graph)
                    load(1, path=str(path))
                    statements = _count_statements(path)
                    break
                load(first_line, input=block)
                statements += _statements(block)
                if progress is not None:
                    progress(done, total)
            self._drop_repeats(graph)
            self.store.flush()
            # The one step that makes the import part of the data.
            stamp = ox.Literal(f"{time.time_ns():020d}")
            self.store.add(ox.Quad(graph, _COMMITTED, stamp, _META))
        except InputError:
            self.store.remove_graph(graph)
            raise
        except (OSError, RuntimeError) as exc:  # a full disk, say: the store stays as it was
            with contextlib.suppress(OSError, RuntimeError):
                self.store.remove_graph(graph)
            raise InputError(
                f"{path}: the import failed, nothing of it was added ({exc})"
            ) from None
        return statements

    def _drop_repeats(self, graph: ox.NamedNode) -> None:
        """Remove from the staging ``graph`` every triple readers see already.

        Readers see the union of the default graph and the committed imports, and
        Oxigraph's union keeps a triple once per graph holding it: a triple imported
        twice (a source two files cite) would be counted, and listed by ``sparql``,
        twice, where a memory store or a SPARQL endpoint holds it once. The smaller
        side is walked: the staged triples, each looked up, or the visible ones, each
        looked up in the staging graph. Blank nodes are fresh in every import, so a
        triple with one never repeats.
        """
        others = {ox.DefaultGraph(), *(g for g in self.visible_graphs() if g != graph)}

        def size(name: Any) -> int:
            where = "{ ?s ?p ?o }" if isinstance(name, ox.DefaultGraph) else (
                f"{{ GRAPH <{name.value}> {{ ?s ?p ?o }} }}")  # fmt: skip
            rows = self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {where}")
            assert isinstance(rows, ox.QuerySolutions)
            return sum(int(row["n"].value) for row in rows)  # type: ignore[union-attr]

        staged = size(graph)
        if not staged:
            return
        repeated: set[ox.Quad] = set()
        if staged <= sum(size(g) for g in others):
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                held = self.store.quads_for_pattern(quad.subject, quad.predicate, quad.object)
                if any(q.graph_name in others for q in held):
                    repeated.add(quad)
        else:
            for other in others:
                for quad in self.store.quads_for_pattern(None, None, None, other):
                    twin = ox.Quad(quad.subject, quad.predicate, quad.object, graph)
                    if twin in self.store:
                        repeated.add(twin)
        for quad in repeated:
            self.store.remove(quad)

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("expected a SELECT query")
        names = [v.value for v in result.variables]
        with _query_failures():  # rows are computed as they are read (SERVICE calls too)
            return [{n: to_python(row[n]) for n in names if row[n] is not None} for row in result]

    def visible_graphs(self) -> list[Any]:
        """The named graphs queries see: every one but an import not committed yet
        (or left by an import that was killed) and groupkg's own bookkeeping."""
        committed = set(self._imports())
        return [
            g for g in self.store.named_graphs()
            if g != _META and (g in committed or not _staging(g))
        ]  # fmt: skip

    def query(
        self,
        query: str,
        *,
        default_graphs: Sequence[str] = (),
        named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> Any:
        """Run a query over the store's dataset; return pyoxigraph's result.

        The dataset every reader sees (the command line, the library, the named
        queries, the API and the SPARQL endpoint alike): the default graph is the
        union of the store's default graph and every committed named graph (an
        import, or a graph an update wrote), and ``GRAPH ?g`` ranges over the
        committed named graphs. A staging graph of an import under way or killed, and
        ``urn:groupkg:meta``, are never seen. A query's own ``FROM``/``FROM NAMED``,
        or ``default_graphs``/``named_graphs`` (the Protocol's ``default-graph-uri``
        and ``named-graph-uri``, which take precedence), replace that dataset; a graph
        part of it leaves out is empty, as is a graph that is not committed.

        Raises
        ------
        SyntaxError, OSError, ValueError
            As :meth:`pyoxigraph.Store.query` does.
        """
        options: dict[str, Any] = {"base_iri": base_iri}
        visible = self.visible_graphs()
        if default_graphs or named_graphs:
            shown = set(visible)

            def named(iris: Sequence[str]) -> list[Any]:
                nodes = [ox.NamedNode(iri) for iri in iris]
                return [n for n in nodes if n in shown or not _staging(n) and n != _META]

            options["default_graph"] = named(default_graphs)
            options["named_graphs"] = named(named_graphs)
        elif has_dataset_clause(query):
            pass  # the query's own FROM / FROM NAMED
        elif visible or next(iter(self.store.named_graphs()), None) is not None:
            options["default_graph"] = [ox.DefaultGraph(), *visible]
            options["named_graphs"] = visible
        return self.store.query(query, **options)

    def _query(self, query: str) -> Any:
        try:
            return self.query(query)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except OSError as exc:
            raise InputError(f"SPARQL query failed: {exc}") from None
        except UnicodeEncodeError:  # a command-line argument whose bytes were not UTF-8
            raise InputError("the SPARQL query holds text that is not valid UTF-8") from None

    def query_raw(self, query: str, media_type: str) -> tuple[bytes, str]:
        result = self._query(query)
        with _query_failures():  # rows are computed as they are written (SERVICE calls too)
            if isinstance(result, ox.QueryTriples):
                graph = ox.RdfFormat.from_media_type(media_type) or ox.RdfFormat.TURTLE
                try:
                    body = result.serialize(format=graph) or b""
                except OSError as exc:  # e.g. an RDF 1.2 triple term, which JSON-LD cannot hold
                    raise InputError(f"cannot write the result as {graph.name}: {exc}") from None
                return well_formed_xml(body, graph.media_type), graph.media_type
            table = ox.QueryResultsFormat.from_media_type(media_type)
            table = table or ox.QueryResultsFormat.JSON
            body = result.serialize(format=table) or b""
            return well_formed_xml(body, table.media_type), table.media_type

    def visible_triples(self) -> Iterator[ox.Quad]:
        """Every triple readers see (:meth:`query`'s default graph), each as a quad of the
        default graph; a triple several graphs hold comes once per graph."""
        for graph in [ox.DefaultGraph(), *self.visible_graphs()]:
            for quad in self.store.quads_for_pattern(None, None, None, graph):
                yield ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph())

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        quads = list(ox.parse(data, format=fmt))
        with self._writing():
            before = len(self.store)
            # Store.extend runs in one transaction: a failure leaves the store as it was.
            self.store.extend(
                ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads
            )
            return len(self.store) - before

    def update(
        self,
        update: str,
        *,
        using_graphs: Sequence[str] = (),
        using_named_graphs: Sequence[str] = (),
        base_iri: str | None = None,
    ) -> None:
        """Apply a SPARQL update, whole or not at all.

        Data written without ``GRAPH`` goes to the store's default graph, which is part
        of the default graph every query sees. ``using_graphs`` and
        ``using_named_graphs`` (the Protocol's ``using-graph-uri`` and
        ``using-named-graph-uri``) act as ``USING`` / ``USING NAMED`` on each operation
        with a ``WHERE`` clause; without them a ``WHERE`` clause reads the store's own
        default graph, not the union (name an import's graph with ``GRAPH`` or
        ``USING``).
        """
        text = with_using(update, using_graphs, using_named_graphs)
        try:
            with self._writing():
                self.store.update(text, base_iri=base_iri)
        except SyntaxError as exc:
            raise InputError(f"SPARQL syntax error: {exc}") from None
        except UnicodeEncodeError:
            raise InputError("the SPARQL update holds text that is not valid UTF-8") from None

    def flush(self) -> None:
        if self.description != "memory":
            self.store.flush()

    def close(self) -> None:
        """Release the store (and the lock of an on-disk one) now, not at collection."""
        if hasattr(self, "store"):
            if self.description != "memory" and not self.read_only:
                self.store.flush()
            del self.store


@contextlib.contextmanager
def _query_failures() -> Iterator[None]:
    """A query that fails while its answer is read (a SERVICE endpoint that cannot be
    reached, say) is an InputError naming the reason."""
    try:
        yield
    except (OSError, RuntimeError) as exc:
        raise InputError(f"SPARQL query failed: {exc}") from None


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
        nt = io.BytesIO()
        ox.serialize(ox.parse(data, format=fmt), nt, format=ox.RdfFormat.N_TRIPLES)
        text = nt.getvalue().decode()
        self._post(self.update_url, {"update": f"INSERT DATA {{\n{text}\n}}"}, "*/*")
        return text.count("\n")

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Send the file as one SPARQL Update (INSERT DATA): applied whole or not at all."""
        statements = _count_statements(path)
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


# -- N-Triples in blocks ------------------------------------------------------------

BLOCK_BYTES = 64 << 20
_NOT_A_STATEMENT = re.compile(rb"[ \t]*(?:#.*)?\r?$")
_PARSER_ERROR = re.compile(r"^Parser error at line \d+ between columns (\d+) and (\d+): ")


def _ntriples_blocks(path: Path) -> Iterator[tuple[bytes, int, int]]:
    """Whole lines of an N-Triples file, about :data:`BLOCK_BYTES` at a time: each
    block with the number of its first line and the bytes read so far."""
    size, line, done, rest = BLOCK_BYTES, 1, 0, b""
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(size):
                done += len(chunk)
                cut = chunk.rfind(b"\n") + 1
                if not cut:
                    rest += chunk
                    continue
                block, rest = rest + chunk[:cut], chunk[cut:]
                yield block, line, done
                line += block.count(b"\n")
    except OSError as exc:
        raise InputError(f"{path}: cannot read it ({exc.strerror})") from None
    if rest:
        yield rest + b"\n", line, done


def _statements(block: bytes) -> int:
    """How many lines of a block are statements: neither blank nor comments."""
    lines = block.count(b"\n")
    if block.count(b"\n<") + block.startswith(b"<") == lines:  # every line begins "<"
        return lines
    return sum(1 for line in block.split(b"\n")[:-1] if not _NOT_A_STATEMENT.match(line))


def _count_statements(path: Path) -> int:
    return sum(_statements(block) for block, _, _ in _ntriples_blocks(path))


def _syntax_error(path: Path, exc: SyntaxError, first_line: int) -> InputError:
    """The parser's complaint about a block, told of the whole file."""
    reason = str(exc.msg if hasattr(exc, "msg") else exc)
    found = _PARSER_ERROR.match(reason)
    if exc.lineno:
        where = f"line {first_line + exc.lineno - 1}"
        if found:
            where += f", columns {found[1]}-{found[2]}"
            reason = reason[found.end() :]
    else:
        where = "syntax"
    return InputError(f"{path}, {where}: {reason}")


def _json_term(term: dict[str, str]) -> Any:
    if not isinstance(term["value"], str):
        raise TypeError("a SPARQL JSON value is a string")
    if term["type"] == "uri":
        return term["value"]
    if term["type"] == "bnode":
        return "_:" + term["value"]
    return _literal(term["value"], term.get("datatype"))


class UnionStore:
    """A store seen together with an in-memory overlay of ``--data`` files.

    SELECTs run on each part and their rows are concatenated, which is exact for the
    fact-reading queries the library runs (each row stands for one triple).
    """

    def __init__(self, base: Store, overlay: OxigraphStore):
        self.base = base
        self.overlay = overlay
        self.description = f"{base.description} + --data"

    def select(self, query: str) -> list[dict[str, Any]]:
        return self.base.select(query) + self.overlay.select(query)

    def query_raw(self, query: str, media_type: str) -> tuple[bytes, str]:
        return self.base.query_raw(query, media_type)

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        return self.base.add_rdf(data, fmt)

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        return self.base.import_ntriples(path, progress)

    def __len__(self) -> int:
        return len(self.base) + len(self.overlay)


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
        For an unknown kind of store or one that cannot be opened.
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
        query_url, _, update = where.partition(";update=")
        if not update and query_url.endswith("/query"):
            # Oxigraph and Fuseki answer updates beside queries, at .../update
            update = query_url[: -len("query")] + "update"
        for url in filter(None, (query_url, update)):
            if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
                raise InputError(f"--store: {url!r} is not an http:// or https:// URL")
        return SparqlStore(query_url, update or None)
    raise InputError(f"--store: {spec!r} is not a store (use memory, oxigraph:PATH or sparql:URL)")


def initialise(store: Store, default_data: bool = True) -> int:
    """Write the ontology (and the bundled data) into any store; return triples added.

    A new ``oxigraph:`` store does this by itself; a remote store is told to once,
    with ``groupkg init``. A store that holds the ontology already is left as it is
    (0 triples added): writing it again would count every triple twice.
    """
    marker = f"ASK {{ <{_MARKER.subject.value}> a <{_MARKER.object.value}> }}"  # type: ignore[union-attr]
    if _holds(store, marker):
        return 0
    files = ontology_files() + (default_data_files() if default_data else [])
    text = b"\n".join(
        ox.serialize(ox.parse(path.read_bytes(), format=ox.RdfFormat.TURTLE),
                     format=ox.RdfFormat.N_TRIPLES) or b""
        for path in files
    )  # fmt: skip
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


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a SPARQL query; refuses text that could break out of the brackets.

    >>> sparql_iri("https://example.org/a")
    '<https://example.org/a>'
    """
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
        raise InputError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def sparql_string(text: str) -> str:
    """A SPARQL string literal holding ``text`` exactly.

    >>> sparql_string('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


TSV = "text/tab-separated-values"
_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    """The text of an escaped IRI or string of a SPARQL TSV result."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _ECHAR.get(match.group(3), match.group(3))

    return _ESCAPE.sub(one, text)


def tsv_term(text: str) -> Any:
    """A term of a SPARQL TSV result (``<iri>``, ``_:b``, ``"lit"^^<dt>``, ``1.5``...) as
    :func:`to_python` gives it; ``None`` for an empty field (an unbound variable)."""
    if not text:
        return None
    if text[0] == "<":
        return text[1:-1] if "\\" not in text else _unescape(text[1:-1])
    if text.startswith("_:"):
        return text
    if text.startswith('"'):
        if text.endswith(">") and '"^^<' in text:
            lexical, datatype = text[1:].rsplit('"^^<', 1)
            return _literal(_unescape(lexical), _unescape(datatype[:-1]))
        if not text.endswith('"'):  # a language-tagged string: its text
            return _unescape(text[1 : text.rindex('"@')])
        return _unescape(text[1:-1])
    if text in ("true", "false"):
        return text == "true"
    if "e" in text or "E" in text:
        kind = "double"
    elif "." in text:
        kind = "decimal"
    else:
        kind = "integer"
    return _literal(text, XSD + kind)


def select_tuples(
    store: Store, query: str, names: Sequence[str], required: Sequence[str] = ()
) -> Iterator[tuple[Any, ...]]:
    """The rows of a SELECT query as tuples of plain values in the order of ``names``
    (``None`` for an unbound variable), the values :meth:`Store.select` gives. A row of
    a remote store without one of the ``required`` variables is an InputError.

    An Oxigraph store answers in TSV, read here with one conversion per distinct
    literal: many times faster than a Python object per term for the hundreds of
    thousands of rows of a whole register. Other stores answer through ``select``.
    """
    if isinstance(store, OxigraphStore):
        raw, media = store.query_raw(query, TSV)
        if media.startswith(TSV):
            yield from _tsv_tuples(raw, names)
            return
    for row in store.select(query):
        yield tuple(row[name] if name in required else row.get(name) for name in names)


def select_many(
    store: Store,
    queries: Sequence[str],
    names: Sequence[str],
    required: Sequence[str] = (),
    workers: int = 2,
) -> Iterator[tuple[Any, ...]]:
    """The rows of several SELECT queries, one after the other, as :func:`select_tuples`
    gives them. An Oxigraph store runs them ``workers`` at a time on threads (it reads
    without the interpreter's lock), while the rows of the first are being read."""
    if not isinstance(store, OxigraphStore) or len(queries) < 2 or workers < 2:
        for query in queries:
            yield from select_tuples(store, query, names, required)
        return

    def run(query: str) -> tuple[bytes, str] | str:
        # A failure is returned as its message: pyoxigraph's objects in the traceback
        # must be dropped on the thread that made them.
        try:
            return store.query_raw(query, TSV)
        except InputError as exc:
            return str(exc)

    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="groupkg-read")
    values: dict[str, Any] = {}
    try:
        for future in [pool.submit(run, query) for query in queries]:
            answer = future.result()
            if isinstance(answer, str):
                raise InputError(answer)
            raw, media = answer
            if not media.startswith(TSV):
                raise InputError(f"the store answered {media}, not {TSV}")
            yield from _tsv_tuples(raw, names, values)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _tsv_tuples(
    raw: bytes, names: Sequence[str], values: dict[str, Any] | None = None
) -> Iterator[tuple[Any, ...]]:
    """Rows of a TSV result; ``values`` (text -> value) is shared by the calls that pass
    it, so each distinct term is converted, and held in memory, once."""
    lines = raw.decode("utf-8").split("\n")
    del raw
    header = [name.removeprefix("?") for name in lines[0].split("\t")]
    order = [header.index(name) if name in header else -1 for name in names]
    values = {} if values is None else values
    values[""] = None
    get, missing = values.get, values
    rows = lines[1:-1] if lines[-1] == "" else lines[1:]

    def value(text: str) -> Any:
        found = values[text] = tsv_term(text)
        return found

    if order == [0, 1, 2] and len(header) == 3:  # ?s ?p ?o: inlined
        for line in rows:
            a, b, c = line.split("\t")
            x, y, z = get(a, missing), get(b, missing), get(c, missing)
            yield (
                value(a) if x is missing else x,
                value(b) if y is missing else y,
                value(c) if z is missing else z,
            )
        return
    for line in rows:
        fields = line.split("\t")
        yield tuple(
            None if i < 0 else value(fields[i]) if (x := get(fields[i], missing)) is missing else x
            for i in order
        )


def iter_rows(store: Store, query_name: str, **params: str) -> Iterator[dict[str, Any]]:
    """Run a named query with ``$param`` placeholders replaced by ready SPARQL terms."""
    text = named_query(query_name)
    for key, value in params.items():
        text = text.replace("$" + key, value)
    if isinstance(store, OxigraphStore):
        # In TSV, as select_tuples reads: a Python object per term costs several
        # times more for the thousands of rows of a large group.
        raw, media = store.query_raw(text, TSV)
        if media.startswith(TSV):
            end = raw.find(b"\n")
            header = (raw if end < 0 else raw[:end]).decode("utf-8").split("\t")
            names = [name.removeprefix("?") for name in header]
            for row in _tsv_tuples(raw, names):
                yield {n: v for n, v in zip(names, row, strict=True) if v is not None}
            return
    yield from store.select(text)
