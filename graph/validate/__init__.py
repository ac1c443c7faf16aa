"""Validate ownership data: the SHACL shapes and the SPARQL hygiene checks.

Data is checked twice. ``ontology/shapes.ttl`` says what each node must look like
(a holding has one owner and one owned entity, percentages lie in [0, 100], every
fact cites a source). The ``ontology/queries/check-*.rq`` queries look across facts
for what no single node shows: a holding dated after a party's dissolution, two
observations that disagree, an event without a source. Both report
:class:`Finding` objects that name the node, the rule and the sources the node
cites, so that a user can go back to the document a bad fact came from.

The shapes run with ``groupkg.ttl`` mixed into the data and no RDFS inference (see
the header of ``shapes.ttl``). A check returns one row a finding, with the columns
``?focus`` and ``?message``, and ``?severity`` set to ``"Warning"`` where the row
reports a disagreement that the data keeps on purpose; such a finding also names the
other fact (``?other``) and the sources of both.

Third, :mod:`groupkg.graph.validate.consistency` replays the facts through the time model and
checks the state of the group on every day where something changes: companies more
than 100% owned, facts outside a party's lifetime, facts of a company after a merger
absorbed it, companies that control each other; and it says how the time model
reads records of one pair, kind and day (distinct ones add up, an exact repeat
counts once: warnings), records joined as one entity that carry two LEIs or two
company numbers (``identifier-conflict``, a warning, see
:mod:`groupkg.graph.facts.identity`) and GLEIF relations marked ``INACTIVE`` with no end (held on
no day: information). These see what text comparison cannot (stakes passed on in a
merger, percentages derived from share counts, partial dates); a node a SPARQL check
has already reported for the same fault is not reported twice. Totals over 100%
within :data:`~groupkg.graph.validate.consistency.TOLERANCE_PERCENT` (0.01 percentage points,
the rounding of published figures) are not reported.

Two checks are the time model's alone here: ``check-over-100-percent`` and
``check-conflicting-holdings`` stay in ``ontology/queries`` for whoever runs them
against a SPARQL endpoint (they agree with the time model on recorded holdings, see
their headers), but :func:`validate_files` and :func:`validate_store` report
``over-100-percent`` and ``same-day-records`` instead, which rest on the rules the
answers use.

Verdict, as pySHACL's: the data conforms when no finding is a ``"Violation"``.
Warnings (sources that disagree, records added up or counted once) and information
are reported but do not make the data invalid, so ``groupkg validate`` exits 0 when
it finds no violation, 1 when it finds a violation, and 2 when a file cannot be read.

The parts: :mod:`.report` (findings and the report), :mod:`.rdffiles` (reading RDF
files), :mod:`.shacl` (the shapes), :mod:`.hygiene` (the ``check-*.rq`` queries) and
:mod:`.consistency` (the time model's checks); this module runs them in that order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.facts.identity import Conflict, clusters, merge_dataset
from groupkg.graph.facts.loader import load_dataset
from groupkg.graph.facts.storeidentity import stored_judgements
from groupkg.graph.model import Dataset
from groupkg.graph.store import OxigraphStore, Store, data_only_query
from groupkg.graph.validate.consistency import check_consistency
from groupkg.graph.validate.hygiene import hygiene_findings, with_ontology
from groupkg.graph.validate.identifiers import identifier_findings
from groupkg.graph.validate.rdffiles import parse_rdf_file, read_triples, to_rdflib_graph
from groupkg.graph.validate.report import Finding, ValidationReport, report_of
from groupkg.graph.validate.shacl import validate_graph

__all__ = [
    "Finding",
    "ValidationReport",
    "parse_rdf_file",
    "validate_graph",
    "validate_files",
    "validate_store",
]


def validate_files(
    paths: Iterable[str | Path] | None = None, threshold: float = 50.0
) -> ValidationReport:
    """Validate data files (or the bundled datasets): shapes, hygiene checks, time model.

    Parameters
    ----------
    paths : iterable of str or Path, optional
        RDF files, validated together as one graph with the ontology. Without them,
        the Turtle files of every bundled dataset (``groupkg.data``) are validated.
    threshold : float
        The control threshold in percent, for the control-cycle check.

    Returns
    -------
    ValidationReport
        The SHACL findings, then one finding per row of each ``check-*.rq`` query,
        then the findings of :func:`groupkg.graph.validate.consistency.check_consistency`.

    Raises
    ------
    InputError
        When a file cannot be read or parsed, or there is nothing to validate.
    """
    files = [Path(p) for p in paths] if paths is not None else _bundled_data_files()
    if not files:
        raise InputError("no data files to validate")
    triples = [triple for path in files for triple in read_triples(path)]
    return _validate_triples(triples, threshold)


def validate_store(store: Store, threshold: float = 50.0) -> ValidationReport:
    """Validate the data a store holds (not its ontology), as :func:`validate_files` does.

    It checks exactly the data every answer read from the same store sees (what the
    command line's ``validate`` checks of the store it is given).

    Parameters
    ----------
    store : Store
        A memory, ``oxigraph:`` or ``sparql:`` store, or a union of one with data files.
    threshold : float
        The control threshold in percent, for the control-cycle check.

    Raises
    ------
    InputError
        When the store holds no data, or data groupkg cannot read (RDF 1.2 triple terms).
    """
    body, _ = store.query_raw(data_only_query(), "application/n-triples")
    triples = []
    for quad in ox.parse(body, format=ox.RdfFormat.N_TRIPLES):
        if isinstance(quad.subject, ox.Triple) or isinstance(quad.object, ox.Triple):
            raise InputError(f"{store.description}: RDF-star quoted triples are not supported")
        triples.append(ox.Triple(quad.subject, quad.predicate, quad.object))
    if not triples:
        raise InputError(f"{store.description}: no data to validate")
    return _validate_triples(triples, threshold)


def _validate_triples(triples: list[ox.Triple], threshold: float) -> ValidationReport:
    shacl = validate_graph(to_rdflib_graph(triples))
    store = with_ontology(triples)
    checks = sorted(set(hygiene_findings(store.store)) | set(identifier_findings(store.store)))
    over_time = sorted(set(_consistency_findings(store, checks, threshold)))
    return report_of(shacl.findings + checks + over_time)


def _bundled_data_files() -> list[Path]:
    root = resources.files("groupkg.data")
    return sorted(
        Path(str(item))
        for dataset in root.iterdir()
        if dataset.is_dir()
        for item in dataset.iterdir()
        if item.name.endswith(".ttl")
    )


# Which hygiene check a time-model check refines: a node the query has reported is
# not reported again for the same fault.
_REFINES = {
    "outside-lifetime": "check-holdings-after-dissolution",
    "merged-away": "check-holdings-after-dissolution",
}


def _consistency_findings(
    store: OxigraphStore, reported: list[Finding], threshold: float
) -> Iterator[Finding]:
    done = {(f.focus, f.shape) for f in reported}
    dataset = load_dataset(store, merged=False)
    joined = clusters(dataset.entities, stored_judgements(store))
    for conflict in joined.conflicts:
        yield _conflict_finding(conflict, dataset)
    for found in check_consistency(merge_dataset(dataset, joined), threshold):
        if (found.focus, _REFINES.get(found.check)) in done:
            continue
        involves = f" Involves: {', '.join(found.related)}." if found.related else ""
        yield Finding(
            focus=found.focus,
            shape=found.check,
            message=found.message + involves,
            severity=found.severity,
            sources=found.sources,
        )


def _conflict_finding(conflict: Conflict, dataset: Dataset) -> Finding:
    """A cluster of records holding two values of a scheme an entity has one of: the
    records and their sources, named."""
    records = "; ".join(
        f"{iri} cites {', '.join(repr(dataset.source_label(s)) for s in sources) or 'nothing'}"
        for iri, sources in conflict.sources
    )
    return Finding(
        focus=conflict.members[0],
        shape="identifier-conflict",
        message=(
            f"Records joined as one entity by a shared identifier carry "
            f"{len(conflict.values)} {conflict.scheme} values ({', '.join(conflict.values)}), "
            f"where an entity has one: {records}. Correct the identifier, or judge the "
            f"records not the same entity."
        ),
        severity="Warning",
        sources=tuple(sorted({s for _, sources in conflict.sources for s in sources})),
    )
