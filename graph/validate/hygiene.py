"""The hygiene checks: the ``ontology/queries/check-*.rq`` queries, run on the data.

They look across facts for what no single node shows: a holding dated after a
party's dissolution, two observations that disagree, an event without a source. A
check returns one row a finding, with the columns ``?focus`` and ``?message``, and
``?severity`` set to ``"Warning"`` where the row reports a disagreement that the data
keeps on purpose; such a finding also names the other fact (``?other``) and the
sources of both.

Two checks are the time model's alone here (:data:`BY_THE_TIME_MODEL`): they stay in
``ontology/queries`` for whoever runs them against a SPARQL endpoint, but validation
reports the time model's ``over-100-percent`` and ``same-day-records`` instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from importlib import resources

import pyoxigraph as ox
from rdflib.namespace import RDFS

from groupkg.graph.store import OxigraphStore
from groupkg.graph.validate.rdffiles import ontology_path, read_triples
from groupkg.graph.validate.report import Finding, term_text
from groupkg.graph.vocab import DCTERMS, PROV

__all__ = ["BY_THE_TIME_MODEL", "hygiene_findings", "with_ontology"]

# The SPARQL checks the time model computes for validation (from the rules every
# answer uses): over-100-percent and same-day-records.
BY_THE_TIME_MODEL = frozenset({"check-over-100-percent", "check-conflicting-holdings"})


def with_ontology(triples: list[ox.Triple]) -> OxigraphStore:
    """A store of the data and the ontology together, which the checks read."""
    # The checks walk rdfs:subClassOf (a gk:Holding is a gk:Fact), so they read the
    # data together with the ontology. Oxigraph answers them in milliseconds where
    # rdflib takes seconds.
    store = OxigraphStore()
    store.store.extend(ox.Quad(*triple) for triple in triples)
    ontology = read_triples(ontology_path("groupkg.ttl"))
    store.store.extend(ox.Quad(*triple) for triple in ontology)
    return store


def hygiene_findings(store: ox.Store) -> Iterator[Finding]:
    """One finding a row of each hygiene check, the checks in order of name."""
    derived_from = ox.NamedNode(str(PROV.wasDerivedFrom))

    def sources_of(node: object) -> tuple[str, ...]:
        quads = store.quads_for_pattern(node, derived_from, None)  # type: ignore[arg-type]
        return tuple(sorted(term_text(quad.object) for quad in quads))

    for name, query in _hygiene_queries().items():
        result = store.query(query)
        assert isinstance(result, ox.QuerySolutions)
        has_other = any(v.value == "other" for v in result.variables)
        for row in result:
            focus, severity = row["focus"], row["severity"]
            message = row["message"].value
            if has_other and row["other"] is not None:
                # A disagreement is between two facts: name the sources of both.
                message += (
                    f" This one cites {_cited(store, sources_of(focus))};"
                    f" {term_text(row['other'])} cites {_cited(store, sources_of(row['other']))}."
                )
            yield Finding(
                focus=term_text(focus),
                shape=name,
                message=message,
                severity=severity.value if severity is not None else "Violation",
                sources=sources_of(focus),
            )


@cache
def _hygiene_queries() -> dict[str, str]:
    folder = resources.files("groupkg.ontology").joinpath("queries")
    return {
        item.name.removesuffix(".rq"): item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda item: item.name)
        if item.name.startswith("check-")
        and item.name.endswith(".rq")
        and item.name.removesuffix(".rq") not in BY_THE_TIME_MODEL
    }


def _cited(store: ox.Store, sources: tuple[str, ...]) -> str:
    return ", ".join(_source_name(store, source) for source in sources) or "no source"


def _source_name(store: ox.Store, source: str) -> str:
    """A source as a reader knows it: its IRI, with its title or label where it has one."""
    if source.startswith("_:"):
        return source
    node = ox.NamedNode(source)
    for prop in (DCTERMS.title, RDFS.label):
        for quad in store.quads_for_pattern(node, ox.NamedNode(str(prop)), None):
            return f'{source} ("{term_text(quad.object)}")'
    return source
