"""The dataset of a store that holds exactly some triples, read from the triples in
memory rather than from a store.

An import that still holds what it wrote (the CSV holdings reader keeps its triples,
as N-Triples terms) builds the time model of a new store from them, beside the bulk
load: copying a million triples into a store in memory and reading them back out
with SPARQL cost several times more. The answer is the one :func:`load_dataset` gives
for a store holding the triples: the same fact triples (:data:`FACT_PROPERTIES`,
:data:`FACT_CLASSES`), grouped and made records by the same code, and the rows of the
two other queries it runs (``facts-entity-details`` and ``facts-sources``) worked out
here as those queries define them. Terms are read by
:func:`~groupkg.graph.store.terms.tsv_term`, which reads N-Triples terms as it reads a
store's TSV answers.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from groupkg.graph.facts.identity import clusters, merge_dataset
from groupkg.graph.facts.loader import FACT_CLASSES, FACT_PROPERTIES, bulk, dataset_of, kinds_of
from groupkg.graph.facts.records import GK, RDF_TYPE, Grouped, Rows, add_triple
from groupkg.graph.model import Dataset
from groupkg.graph.store.terms import tsv_term

__all__ = ["load_triples"]

_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_DCTERMS = "http://purl.org/dc/terms/"
_SOURCE_TYPES = (GK + "Source", GK + "SourceSection")
# What only a store's queries read: an assumption, an identity judgement.
_ASSUMPTION = f"<{GK}hasAssumption>"
_TYPE, _JUDGEMENT = f"<{RDF_TYPE}>", f"<{GK}IdentityJudgement>"


def load_triples(triples: Iterable[tuple[str, str, str]]) -> Dataset | None:
    """What :func:`~groupkg.graph.facts.loader.load_dataset` reads from a store that
    holds exactly ``triples`` (subject, predicate and object as N-Triples terms, each
    triple once), or None when they hold an identity judgement or an assumption (which
    only the store's queries read).

    >>> dataset = load_triples([
    ...     ("<https://e.org/a>", f"<{RDF_TYPE}>", f"<{GK}LegalEntity>"),
    ...     ("<https://e.org/a>", f"<{_RDFS_LABEL}>", '"Acme"'),
    ... ])
    >>> dataset.entities["https://e.org/a"].label
    'Acme'
    """
    with bulk():
        everything = _grouped(triples)
        if everything is None:
            return None
        facts: Grouped = {}
        for s, props in everything.items():
            kept = {p: values for p, values in props.items() if p in FACT_PROPERTIES}
            types = [t for t in props.get(RDF_TYPE, ()) if t in FACT_CLASSES]
            if types:
                kept[RDF_TYPE] = types
            if kept:
                facts[s] = kept
        dataset = dataset_of(kinds_of(facts), _details(everything), _sources(everything))
        return merge_dataset(dataset, clusters(dataset.entities, []))


def _grouped(triples: Iterable[tuple[str, str, str]]) -> Grouped | None:
    """Every triple grouped by subject and property, as plain values (each distinct
    term read once), as :func:`~groupkg.graph.facts.records.add_triple` groups them;
    None at the first triple only a store reads."""
    values: dict[str, Any] = {}
    get, add = values.get, add_triple
    grouped: Grouped = {}
    # The terms' lookups inlined: a million triples and more, three terms each.
    for s, p, o in triples:
        if p == _ASSUMPTION or (p == _TYPE and o == _JUDGEMENT):
            return None
        x = get(s, values)
        if x is values:
            x = values[s] = tsv_term(s)
        y = get(p, values)
        if y is values:
            y = values[p] = tsv_term(p)
        z = get(o, values)
        if z is values:
            z = values[o] = tsv_term(o)
        add(grouped, x, y, z)
    return grouped


def _details(everything: Grouped) -> Rows:
    """The rows of ``facts-entity-details``: each identifier's scheme and value, and
    each listing's exchange, ticker and date, one row a combination."""
    for s, props in everything.items():
        for node in props.get(GK + "hasIdentifier", ()):
            found = everything.get(node, {})
            for scheme in found.get(GK + "identifierScheme", ()):
                for value in found.get(GK + "identifierValue", ()):
                    yield {"s": s, "scheme": scheme, "value": value}
        for node in props.get(GK + "hasListing", ()):
            found = everything.get(node, {})
            for exchange in found.get(GK + "exchange", ()):
                for ticker in found.get(GK + "ticker") or [None]:
                    for since in found.get(GK + "listedSince") or [None]:
                        row = {"s": s, "exchange": exchange, "ticker": ticker, "since": since}
                        yield {k: v for k, v in row.items() if v is not None}


def _sources(everything: Grouped) -> Iterator[dict[str, Any]]:
    """The rows of ``facts-sources``: each source's or section's names (its labels,
    else its titles, else the titles of the sources it is part of) and dates (a
    source's own, else those of the sources it is part of), a row each."""
    for s, props in everything.items():
        types = props.get(RDF_TYPE, ())
        if not any(t in types for t in _SOURCE_TYPES):
            continue
        wholes = [everything.get(w, {}) for w in props.get(_DCTERMS + "isPartOf", ())]
        names = (
            props.get(_RDFS_LABEL)
            or props.get(_DCTERMS + "title")
            or [t for whole in wholes for t in whole.get(_DCTERMS + "title", ())]
        )
        own = props.get(_DCTERMS + "date", []) if GK + "Source" in types else []
        dates = own or [
            d
            for whole in wholes
            if GK + "Source" in whole.get(RDF_TYPE, ())
            for d in whole.get(_DCTERMS + "date", ())
        ]
        yield {"s": s}
        for name in names:
            yield {"s": s, "name": name}
        for day in dates:
            yield {"s": s, "date": day}
