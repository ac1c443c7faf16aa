"""The facts of N-Triples files read straight from their lines, without a store of them all.

What :func:`~groupkg.graph.facts.loader.load_dataset` reads from a store holding exactly
these triples, built without loading them all into one first: an import builds the
time model of what it loads while the bulk loader writes the same file to disk, and a
store in memory of the whole file, read back with SPARQL, cost as much as the rest of
the model together.

Each line of a file written as groupkg and most tools write N-Triples (one triple a
line, its terms separated by one space, `` .`` at its end) is split at its first two
spaces, and each distinct term is read once by
:func:`~groupkg.graph.store.terms.tsv_term` (the terms of a SPARQL TSV result are
written as N-Triples writes them). Should any line be written otherwise (a comment,
tabs, several spaces, a blank line, a blank node), every file is read again by
pyoxigraph's parser.
The triples of the properties and classes the facts are made of are grouped by subject
here, as the ``facts`` queries would return them; the others (sources, identifiers and
listings, assumptions, identity judgements), with the labels and the assumptions'
properties, go into a small store in memory that the rest of ``load_dataset`` reads.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

import pyoxigraph as ox

from groupkg.graph.facts.loader import (
    FACT_CLASSES,
    FACT_PROPERTIES,
    assumption_triples,
    bulk,
    load_dataset,
)
from groupkg.graph.facts.records import GK, RDF_TYPE, RDFS_LABEL, Grouped, add_triple
from groupkg.graph.model import Dataset
from groupkg.graph.store.oxigraph import OxigraphStore
from groupkg.graph.store.terms import to_python, tsv_term

__all__ = ["ntriples_facts"]

# Properties of the facts that the queries over the other triples read too: a source's
# label, and an assumption's property and reason (reached through gk:hasAssumption).
_BOTH = frozenset({RDFS_LABEL, GK + "assumedProperty", GK + "assumptionReason"})
_PROPERTIES = FACT_PROPERTIES - {RDF_TYPE}


class _NotPlain(Exception):
    """A line the fast reading does not take (see the module)."""


def _placed(grouped: Grouped, s: Any, p: str, o: Any) -> bool:
    """Group one triple if it is of the facts; whether it belongs in the store of the
    others (as well, or instead)."""
    if p == RDF_TYPE:
        if o in FACT_CLASSES:
            add_triple(grouped, s, p, o)
            return False
        return True
    if p in _PROPERTIES:
        add_triple(grouped, s, p, o)
        return p in _BOTH
    return True


def _plain_lines(path: str | os.PathLike[str], grouped: Grouped, beside: list[str]) -> int:
    """Group the triples of ``path`` read line by line; the lines of the others are put
    in ``beside``. Raises :class:`_NotPlain` at a line written otherwise.

    :func:`_placed`, with each distinct term read once and the placing written out
    (a million lines and more: each call saved counts); the grouping is
    :func:`~groupkg.graph.facts.records.add_triple`'s."""
    values: dict[str, Any] = {}
    get, add = values.get, add_triple
    facts, both = _PROPERTIES, _BOTH
    count = 0
    with open(path, encoding="utf-8", newline="\n") as stream:
        for line in stream:
            body = line.rstrip("\r\n")
            parts = body[:-2].split(" ", 2)
            if len(parts) != 3 or body[-2:] != " .":
                raise _NotPlain
            s, p, o = parts
            # IRIs and literals only: the store beside would name a blank node apart
            if not (
                s[:1] == "<"
                and s[-1:] == ">"
                and p[:1] == "<"
                and p[-1:] == ">"
                and o[:1] in ('"', "<")
                and o[-1:] not in (" ", "\t")
                and "\t" not in s
                and "\t" not in p
            ):
                raise _NotPlain
            count += 1
            y = get(p)
            if y is None:
                y = values[p] = tsv_term(p)
            z = get(o)
            if z is None:
                z = values[o] = tsv_term(o)
            if y == RDF_TYPE:
                if z not in FACT_CLASSES:
                    beside.append(body + "\n")
                    continue
            elif y not in facts:
                beside.append(body + "\n")
                continue
            elif y in both:
                beside.append(body + "\n")
            x = get(s)
            if x is None:
                x = values[s] = tsv_term(s)
            add(grouped, x, y, z)
    return count


def _quads(quads: Iterable[ox.Quad], grouped: Grouped, beside: list[ox.Quad]) -> int:
    count = 0
    for quad in quads:
        count += 1
        s, p, o = to_python(quad.subject), quad.predicate.value, to_python(quad.object)
        if _placed(grouped, s, p, o):
            beside.append(ox.Quad(quad.subject, quad.predicate, quad.object, ox.DefaultGraph()))
    return count


def ntriples_facts(
    paths: Iterable[str | os.PathLike[str]],
    base: Iterable[ox.Quad] = (),
    progress: Callable[[int], None] | None = None,
) -> Dataset:
    """The facts of ``base`` (a store's triples, as quads) and the N-Triples files
    ``paths``, as :func:`~groupkg.graph.facts.loader.load_dataset` reads them from a
    store holding exactly those triples; ``progress`` is called with the triples read
    after each file.

    Raises
    ------
    SyntaxError
        A file that is not N-Triples (as pyoxigraph's parser says).
    """
    files = list(paths)
    quads = list(base)
    with bulk():
        try:
            return _read(files, quads, progress, plain=True)
        except _NotPlain:
            return _read(files, quads, progress, plain=False)


def _read(
    files: list[str | os.PathLike[str]],
    base: list[ox.Quad],
    progress: Callable[[int], None] | None,
    plain: bool,
) -> Dataset:
    grouped: Grouped = {}
    beside = OxigraphStore()
    other_quads: list[ox.Quad] = []
    read = _quads(base, grouped, other_quads)
    beside.store.extend(other_quads)
    for path in files:
        if plain:
            lines: list[str] = []
            read += _plain_lines(path, grouped, lines)
            if lines:
                beside.store.load("".join(lines).encode("utf-8"), format=ox.RdfFormat.N_TRIPLES)
        else:
            other_quads = []
            with open(path, "rb") as stream:
                read += _quads(ox.parse(stream, format=ox.RdfFormat.N_TRIPLES), grouped,
                               other_quads)  # fmt: skip
            beside.store.extend(other_quads)
        if progress is not None:
            progress(read)
    for s, p, o in assumption_triples(beside):
        add_triple(grouped, s, p, o)
    try:
        return load_dataset(beside, grouped=grouped)
    finally:
        beside.close()
