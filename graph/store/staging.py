"""Imports into an on-disk Oxigraph store that apply whole, or leave no trace.

An import is bulk-loaded into a staging graph of its own (``urn:groupkg:import:`` and
a UUID), which becomes part of the data only when one quad in ``urn:groupkg:meta``
marks it committed. Readers see the default graph and the committed graphs; a staging
graph of an import under way or killed is never seen, and the next writer removes it
with the files it left (:func:`discard_unfinished`).
"""

from __future__ import annotations

import contextlib
import time
import uuid
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import (
    STAGING_PREFIX,
    Progress,
    count_statements,
    ntriples_blocks,
    statements_in,
    syntax_error,
)

__all__ = [
    "META",
    "committed_graphs",
    "discard_unfinished",
    "is_staging",
    "stage_and_commit",
    "visible_graphs",
]

# groupkg's own bookkeeping: which imports are committed, and the store's write mark.
META = ox.NamedNode("urn:groupkg:meta")
_COMMITTED = ox.NamedNode("urn:groupkg:committed")
_IMPORT_GRAPH = "urn:groupkg:import:"  # then a UUID: the graph an import stages into


def is_staging(graph: Any) -> bool:
    """Whether a graph is named as an import's (committed or not)."""
    return isinstance(graph, ox.NamedNode) and graph.value.startswith(_IMPORT_GRAPH)


def committed_graphs(store: ox.Store) -> list[ox.NamedNode]:
    """The named graphs of completed imports, in the order they were made."""
    found = [
        (str(q.object.value), q.subject)
        for q in store.quads_for_pattern(None, _COMMITTED, None, META)
        if isinstance(q.object, ox.Literal) and isinstance(q.subject, ox.NamedNode)
    ]
    return [graph for _, graph in sorted(found, key=lambda f: f[0])]


def visible_graphs(store: ox.Store) -> list[Any]:
    """The named graphs queries see: every one but an import not committed yet (or
    left by an import that was killed) and groupkg's own bookkeeping."""
    committed = set(committed_graphs(store))
    return [
        g for g in store.named_graphs()
        if g != META and (g in committed or not is_staging(g))
    ]  # fmt: skip


def discard_unfinished(store: ox.Store, folder: Path | None) -> int:
    """Remove what interrupted imports left behind; return how many staging graphs.

    A staging graph that was never committed is removed; so are the files a bulk load
    killed before it finished had written into the store's ``folder`` (oxigraph names
    them ``bulk-*.sst`` and moves them into the database only at the end), which
    nothing would ever read, and the N-Triples an import converts its file to
    (``groupkg-import-*.nt``, kept in the store's folder for this reason). Only a
    writer does this, and a store has one writer at a time, so no import can be
    running meanwhile.
    """
    done = set(committed_graphs(store)) | {META}
    stale = [g for g in store.named_graphs() if g not in done]
    for graph in stale:
        store.remove_graph(graph)
    if folder is not None:
        for pattern in ("bulk-*.sst", f"{STAGING_PREFIX}*.nt"):
            for leftover in folder.glob(pattern):
                leftover.unlink(missing_ok=True)
    return len(stale)


def stage_and_commit(store: ox.Store, path: Path, total: int, progress: Progress | None) -> int:
    """Bulk-load the N-Triples file ``path`` into a fresh staging graph, then commit it
    with one quad; return how many statements the file had.

    The bulk load goes a block of lines at a time (the same speed as one call, a
    fraction of the memory, and a progress bar), except for a file with blank nodes:
    each call of the bulk loader names them afresh, so such a file goes in one call. A
    syntax error names the file, line and columns; any failure removes the staging
    graph.
    """
    graph = ox.NamedNode(f"{_IMPORT_GRAPH}{uuid.uuid4()}")

    def load(first_line: int, **source: Any) -> None:
        try:
            store.bulk_load(format=ox.RdfFormat.N_TRIPLES, to_graph=graph, **source)
        except SyntaxError as exc:
            raise syntax_error(path, exc, first_line) from None

    statements = 0
    try:
        for block, first_line, done in ntriples_blocks(path):
            if b"_:" in block:  # start again, the whole file in one call
                store.remove_graph(graph)
                load(1, path=str(path))
                statements = count_statements(path)
                break
            load(first_line, input=block)
            statements += statements_in(block)
            if progress is not None:
                progress(done, total)
        _drop_repeats(store, graph, statements)
        store.flush()
        # The one step that makes the import part of the data.
        stamp = ox.Literal(f"{time.time_ns():020d}")
        store.add(ox.Quad(graph, _COMMITTED, stamp, META))
    except InputError:
        store.remove_graph(graph)
        raise
    except (OSError, RuntimeError) as exc:  # a full disk, say: the store stays as it was
        with contextlib.suppress(OSError, RuntimeError):
            store.remove_graph(graph)
        raise InputError(
            f"{path}: the import failed, nothing of it was added ({exc})", file=str(path)
        ) from None
    return statements


def _drop_repeats(store: ox.Store, graph: ox.NamedNode, statements: int) -> None:
    """Remove from the staging ``graph`` (loaded from ``statements`` statements) every
    triple readers see already.

    Readers see the union of the default graph and the committed imports, and
    Oxigraph's union keeps a triple once per graph holding it: a triple imported twice
    (a source two files cite) would be counted, and listed by ``sparql``, twice, where
    a memory store or a SPARQL endpoint holds it once. The smaller side is walked: the
    staged triples of the subjects readers see already (found a chunk of subjects at
    a time: an import of new records, however many, asks nothing of its triples), each
    looked up among the visible ones; or the visible ones, each looked up in the
    staging graph. Blank nodes are fresh in every import, so a triple with one never
    repeats.
    """
    others = {ox.DefaultGraph(), *(g for g in visible_graphs(store) if g != graph)}

    def size(name: Any) -> int:
        where = "{ ?s ?p ?o }" if isinstance(name, ox.DefaultGraph) else (
            f"{{ GRAPH <{name.value}> {{ ?s ?p ?o }} }}")  # fmt: skip
        rows = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {where}")
        assert isinstance(rows, ox.QuerySolutions)
        return sum(int(row["n"].value) for row in rows)  # type: ignore[union-attr]

    visible = sum(size(g) for g in others)
    if not visible:  # a new store: nothing to repeat, and no need to count the import
        return
    # The statements loaded, not a count of the graph: as many as its triples or more
    # (a triple stated twice), enough to tell the smaller side, and no scan of it.
    staged = statements
    if not staged:
        return
    named = " ".join(f"<{g.value}>" for g in others if isinstance(g, ox.NamedNode))
    parts = ["{ ?s ?p ?o }"]  # the default graph, then the committed graphs
    if named:
        parts.append(f"{{ GRAPH ?g {{ ?s ?p ?o }} VALUES ?g {{ {named} }} }}")
    seen = " UNION ".join(parts)
    in_staging = f"GRAPH <{graph.value}> {{ ?s ?p ?o }}"
    # One query a side (or a chunk of subjects): Oxigraph looks each triple up in its
    # indexes, where a loop in Python over hundreds of thousands of triples took minutes.
    if staged <= visible:
        repeats = f"{in_staging} FILTER EXISTS {{ {seen} }}"
        queries = [
            f"SELECT ?s ?p ?o WHERE {{ VALUES ?s {{ {chunk} }} {repeats} }}"
            for chunk in _chunks(_held_subjects(store, graph, seen))
        ]
    else:
        queries = [f"SELECT ?s ?p ?o WHERE {{ {part} FILTER EXISTS {{ {in_staging} }} }}"
                   for part in parts]  # fmt: skip
    repeated: set[ox.Quad] = set()
    for query in queries:
        rows = store.query(query)
        assert isinstance(rows, ox.QuerySolutions)
        for row in rows:
            repeated.add(ox.Quad(row["s"], row["p"], row["o"], graph))  # type: ignore[arg-type]
    for quad in repeated:
        store.remove(quad)


# Subjects asked about in one query.
SUBJECT_CHUNK = 2_000


def _chunks(subjects: list[str]) -> list[str]:
    return [
        " ".join(subjects[i : i + SUBJECT_CHUNK]) for i in range(0, len(subjects), SUBJECT_CHUNK)
    ]


def _held_subjects(store: ox.Store, graph: ox.NamedNode, seen: str) -> list[str]:
    """The named subjects of the staging ``graph`` that are subjects of a triple readers
    see (``seen``, a pattern of ``?s ?p ?o``), each as N-Triples writes it: only their
    triples can repeat one."""
    rows = store.query(f"SELECT DISTINCT ?s WHERE {{ GRAPH <{graph.value}> {{ ?s ?p ?o }} }}")
    assert isinstance(rows, ox.QuerySolutions)
    subjects = [str(row["s"]) for row in rows if isinstance(row["s"], ox.NamedNode)]
    held: list[str] = []
    for chunk in _chunks(subjects):
        rows = store.query(
            f"SELECT ?s WHERE {{ VALUES ?s {{ {chunk} }} FILTER EXISTS {{ {seen} }} }}"
        )
        assert isinstance(rows, ox.QuerySolutions)
        held += (str(row["s"]) for row in rows)
    return held
