"""Rows of SELECT queries as plain values, read fast from an Oxigraph store.

An Oxigraph store answers in TSV, read here with one conversion per distinct term
(:func:`~groupkg.graph.store.terms.tsv_term`): many times faster than a Python object
per term for the hundreds of thousands of rows of a whole register. Other stores
answer through ``Store.select``; the values are the same.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from groupkg.graph.errors import InputError
from groupkg.graph.store.oxigraph import OxigraphStore
from groupkg.graph.store.queries import named_query
from groupkg.graph.store.remote import SparqlStore
from groupkg.graph.store.terms import tsv_term
from groupkg.graph.store.union import UnionStore

if TYPE_CHECKING:
    from groupkg.graph.store import Store

__all__ = ["TSV", "iter_rows", "select_many", "select_tuples"]

TSV = "text/tab-separated-values"


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
    """Run a named query with ``$param`` placeholders replaced by ready SPARQL terms (in
    the endpoint's own dialect where it needs one). Over a store with ``--data`` files
    beside it, each part answers in its own dialect: a Virtuoso endpoint's variant
    would not run in the files' memory store."""
    if isinstance(store, UnionStore):
        yield from iter_rows(store.base, query_name, **params)
        yield from iter_rows(store.overlay, query_name, **params)
        return
    text = named_query(query_name, store.dialect if isinstance(store, SparqlStore) else None)
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
