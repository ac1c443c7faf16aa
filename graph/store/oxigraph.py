"""The Oxigraph store, in memory or on disk: the dataset every reader sees, and writes.

The default graph every query reads is the store's default graph and the graphs of
committed imports, never a staging one (:mod:`~groupkg.graph.store.staging`). Every
write renews a mark (:attr:`OxigraphStore.generation`) on which caches kept beside the
store are keyed. Readers open the store read-only, retrying while a writer compacts it
(:func:`open_read_only`).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.output import xml_safe
from groupkg.graph.store.ntriples import Progress, count_statements, syntax_error
from groupkg.graph.store.sparqltext import has_dataset_clause, with_using
from groupkg.graph.store.staging import (
    META,
    committed_graphs,
    discard_unfinished,
    is_staging,
    stage_and_commit,
    visible_graphs,
)
from groupkg.graph.store.terms import to_python

__all__ = ["ONTOLOGY_MARKER", "OxigraphStore", "open_read_only", "well_formed_xml"]

# Every write marks the store anew (before it writes: a write killed half-way costs a
# cache, never a stale answer). Caches kept beside the store are keyed on the mark.
_WRITTEN = ox.NamedNode("urn:groupkg:written")
# The triple a store initialised with the ontology holds.
ONTOLOGY_MARKER = ox.Quad(
    ox.NamedNode("https://w3id.org/groupkg/ontology"),
    ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
    ox.NamedNode("http://www.w3.org/2002/07/owl#Ontology"),
    ox.DefaultGraph(),
)


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
        if not self.committed_imports() and next(iter(self.store.named_graphs()), None) is None:
            return len(self.store)
        # An interrupted import leaves a staging graph that readers do not see.
        rows = self.select("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        return int(rows[0]["n"])

    @property
    def initialised(self) -> bool:
        return ONTOLOGY_MARKER in self.store

    @property
    def generation(self) -> str:
        """A mark that changes with every write through groupkg (import, update, added
        data), even one that leaves the number of triples as it was; '' for a store no
        write has marked yet."""
        for quad in self.store.quads_for_pattern(META, _WRITTEN, None, META):
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
        old = list(self.store.quads_for_pattern(META, _WRITTEN, None, META))
        stamp = ox.Literal(f"{time.time_ns():020d}-{uuid.uuid4().hex}")
        mark = ox.Quad(META, _WRITTEN, stamp, META)
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

    def committed_imports(self) -> list[ox.NamedNode]:
        """The named graphs of completed imports, in the order they were made."""
        return committed_graphs(self.store)

    def discard_unfinished_imports(self) -> int:
        """Remove what interrupted imports left behind (see
        :func:`~groupkg.graph.store.staging.discard_unfinished`); return how many
        staging graphs."""
        writer = self.path is not None and not self.read_only
        return discard_unfinished(self.store, self.path if writer else None)

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        """Add an N-Triples file in one step that either completes or leaves no trace.

        In memory, one transaction. On disk the file is bulk-loaded (flat memory) into
        a fresh named graph, which becomes part of the data only when a one-quad
        transaction marks it committed; readers never see a graph before that, and an
        import killed half-way leaves a staging graph that the next writer removes
        (:mod:`~groupkg.graph.store.staging`). A syntax error names the file, line and
        columns.
        """
        total = path.stat().st_size
        if self.description == "memory":
            try:
                self.store.load(path=str(path), format=ox.RdfFormat.N_TRIPLES)
            except SyntaxError as exc:
                raise syntax_error(path, exc, 1) from None
            return count_statements(path)
        with self._writing():
            statements = stage_and_commit(self.store, path, total, progress)
        if progress is not None:
            progress(total, total)
        self.store.flush()
        return statements

    def select(self, query: str) -> list[dict[str, Any]]:
        result = self._query(query)
        if not isinstance(result, ox.QuerySolutions):
            raise InputError("expected a SELECT query")
        names = [v.value for v in result.variables]
        with _query_failures():  # rows are computed as they are read (SERVICE calls too)
            return [{n: to_python(row[n]) for n in names if row[n] is not None} for row in result]

    def visible_graphs(self) -> list[Any]:
        """The named graphs queries see: the committed ones, never a staging graph
        (:func:`~groupkg.graph.store.staging.visible_graphs`)."""
        return visible_graphs(self.store)

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
                return [n for n in nodes if n in shown or not is_staging(n) and n != META]

            options["default_graph"] = named(default_graphs)
            options["named_graphs"] = named(named_graphs)
        elif has_dataset_clause(query):
            pass  # the query's own FROM / FROM NAMED
        else:
            # Always named, even when the store has no named graph yet: left to
            # Oxigraph, GRAPH ?g would range over every named graph there is when the
            # query runs, and an import starting meanwhile would show its first triples.
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
