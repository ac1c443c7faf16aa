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
counts once: warnings) and GLEIF relations marked ``INACTIVE`` with no end (held on
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
"""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import SH, XSD
from rdflib.term import Node

from groupkg.graph.errors import InputError
from groupkg.graph.facts.loader import load_dataset
from groupkg.graph.formats.fileguard import check_rdf, parse_failure
from groupkg.graph.formats.registry import format_of, rdf_suffixes
from groupkg.graph.store import OxigraphStore, Store, data_only_query
from groupkg.graph.validate.consistency import check_consistency

__all__ = [
    "Finding",
    "ValidationReport",
    "parse_rdf_file",
    "validate_graph",
    "validate_files",
    "validate_store",
]

_PROV_DERIVED_FROM = "http://www.w3.org/ns/prov#wasDerivedFrom"
_DCTERMS_TITLE = "http://purl.org/dc/terms/title"
_RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
_XSD_DECIMAL = "http://www.w3.org/2001/XMLSchema#decimal"
_DECIMAL_TEXT = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)$")


@dataclass(frozen=True, order=True)
class Finding:
    """One thing wrong (or worth a look) in the data.

    Attributes
    ----------
    focus : str
        The node at fault: an IRI, or ``_:id`` for a blank node.
    shape : str
        The rule it breaks: the IRI of a node shape in ``shapes.ttl``, the name of a
        hygiene check such as ``check-holdings-after-dissolution``, or of a time-model
        check of :mod:`groupkg.graph.validate.consistency` such as ``over-100-percent``.
    message : str
        What is wrong, in words.
    severity : str
        ``"Violation"`` (the data is invalid), ``"Warning"`` or ``"Info"``.
    path : str or None
        The property at fault, where the rule is about one property.
    sources : tuple of str
        The sources the focus node cites (``prov:wasDerivedFrom``), if any.
    """

    focus: str
    shape: str
    message: str
    severity: str = "Violation"
    path: str | None = None
    sources: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = f" ({self.path})" if self.path else ""
        return f"{self.severity}: {self.focus}{where}: {self.message} [{self.shape}]"


@dataclass
class ValidationReport:
    """The outcome of a validation: whether the data conforms, and every finding.

    Data conforms when no finding is a violation; warnings do not count.
    """

    conforms: bool
    findings: list[Finding] = field(default_factory=list)

    def text(self) -> str:
        """The report for a terminal: a verdict, then one line a finding."""
        head = "The data conforms." if self.conforms else "The data does not conform."
        return "\n".join([head, *map(str, self.findings)])

    def to_json(self) -> dict[str, Any]:
        """The report as plain JSON values (``groupkg validate --json``)."""
        findings = [{**asdict(f), "sources": list(f.sources)} for f in self.findings]
        return {"conforms": self.conforms, "findings": findings}

    def __str__(self) -> str:
        return self.text()


def parse_rdf_file(path: str | Path) -> Graph:
    """Read one RDF file (Turtle, N-Triples, N-Quads, TriG, JSON-LD or RDF/XML).

    The syntax follows the file's extension. The named graphs of a TriG or N-Quads
    file are merged into one graph; blank nodes are kept apart from those of any
    other file.

    Parameters
    ----------
    path : str or Path
        The file to read.

    Returns
    -------
    rdflib.Graph
        The file's triples.

    Raises
    ------
    InputError
        When the file cannot be read or is not valid RDF; the message names the file
        and, where the parser knows it, the line, e.g.
        ``data/x.ttl, line 12: The prefix ex: has not been declared``.
    """
    return _to_rdflib_graph(_read_triples(Path(path)))


def validate_graph(data_graph: Graph, shapes: Graph | None = None) -> ValidationReport:
    """Check a graph against the groupkg shapes (or other shapes).

    Parameters
    ----------
    data_graph : rdflib.Graph
        The data. It is not modified; the ontology is mixed into a copy.
    shapes : rdflib.Graph, optional
        SHACL shapes; ``ontology/shapes.ttl`` by default.

    Returns
    -------
    ValidationReport
        A finding for every SHACL result, naming the node shape the result comes from
        (the owner of a property shape, not the property shape itself).

    Raises
    ------
    InputError
        When the shapes themselves are not valid SHACL.

    Examples
    --------
    >>> from rdflib import Graph
    >>> data = Graph().parse(format="turtle", data='''
    ...     @prefix gk: <https://w3id.org/groupkg/ontology#> .
    ...     <https://example.org/acme> a gk:LegalEntity .
    ... ''')
    >>> report = validate_graph(data)
    >>> report.conforms
    False
    >>> print(report.findings[0].message)
    An entity needs exactly one rdfs:label, the name it is shown by.
    """
    shapes = _bundled_shapes() if shapes is None else shapes
    _, results, text = pyshacl.validate(
        data_graph,
        shacl_graph=shapes,
        ont_graph=_bundled_ontology(),
        inference="none",
        allow_warnings=True,
        allow_infos=True,
    )
    if not isinstance(results, Graph):
        raise InputError(f"the shapes cannot be used: {text}")
    found = {
        _shacl_finding(results, r, shapes, data_graph) for r in results.objects(None, SH.result)
    }
    return _report(sorted(found))


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
    triples = [triple for path in files for triple in _read_triples(path)]
    return _validate_triples(triples, threshold)


def validate_store(store: Store, threshold: float = 50.0) -> ValidationReport:
    """Validate the data a store holds (not its ontology), as :func:`validate_files` does.

    This is what ``groupkg validate`` checks: exactly the data every other command
    reads with the same ``--store``, ``--data`` and ``--no-default-data`` options.

    Parameters
    ----------
    store : Store
        A memory, ``oxigraph:`` or ``sparql:`` store, or a union of one with ``--data``
        files.
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
    shacl = validate_graph(_to_rdflib_graph(triples))
    store = _with_ontology(triples)
    checks = sorted(set(_hygiene_findings(store.store)))
    over_time = sorted(set(_consistency_findings(store, checks, threshold)))
    return _report(shacl.findings + checks + over_time)


# ---- bundled files ----


@cache
def _bundled_ontology() -> Graph:
    return parse_rdf_file(_ontology_path("groupkg.ttl"))


@cache
def _bundled_shapes() -> Graph:
    return parse_rdf_file(_ontology_path("shapes.ttl"))


# The SPARQL checks the time model computes for validation (from the rules every
# answer uses): over-100-percent and same-day-records.
_BY_THE_TIME_MODEL = {"check-over-100-percent", "check-conflicting-holdings"}


@cache
def _hygiene_queries() -> dict[str, str]:
    folder = resources.files("groupkg.ontology").joinpath("queries")
    return {
        item.name.removesuffix(".rq"): item.read_text(encoding="utf-8")
        for item in sorted(folder.iterdir(), key=lambda item: item.name)
        if item.name.startswith("check-")
        and item.name.endswith(".rq")
        and item.name.removesuffix(".rq") not in _BY_THE_TIME_MODEL
    }


def _bundled_data_files() -> list[Path]:
    root = resources.files("groupkg.data")
    return sorted(
        Path(str(item))
        for dataset in root.iterdir()
        if dataset.is_dir()
        for item in dataset.iterdir()
        if item.name.endswith(".ttl")
    )


def _ontology_path(name: str) -> Path:
    return Path(str(resources.files("groupkg.ontology").joinpath(name)))


# ---- parsing ----


def _read_triples(path: Path) -> list[ox.Triple]:
    """The triples of one file, with blank nodes no other file shares."""
    found = format_of(path)
    syntax = found.syntax if found is not None else None
    if syntax is None:
        known = ", ".join(sorted(rdf_suffixes()))
        what = f" (a {found.title} file, not RDF)" if found is not None else ""
        raise InputError(
            f"{path}: cannot tell the RDF syntax from the extension{what}; use one of {known}"
        )
    try:
        check_rdf(path, syntax)
        quads = list(ox.parse(path=path, format=syntax))
    except MemoryError as exc:
        raise parse_failure(path, exc) from None
    except SyntaxError as exc:
        raise InputError(_syntax_error_message(path, exc)) from None
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    # Parsers keep the labels a file gives its blank nodes (_:b0); two files may both
    # use _:b0 for different things.
    fresh: dict[str, ox.BlankNode] = {}

    def rename(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple):
        if isinstance(term, ox.BlankNode):
            return fresh.setdefault(term.value, ox.BlankNode())
        if isinstance(term, ox.Triple):
            raise InputError(f"{path}: RDF-star quoted triples are not supported")
        return term

    return [ox.Triple(rename(q.subject), q.predicate, rename(q.object)) for q in quads]


def _syntax_error_message(path: Path, exc: SyntaxError) -> str:
    # Oxigraph's message starts with the position ("Parser error at line 3 between
    # columns 11 and 17: ..."); the position is given once, in our own words.
    reason = re.sub(r"^Parser error [^:]*:\s*", "", exc.msg or str(exc))
    if exc.lineno:
        return f"{path}, line {exc.lineno}: {reason}"
    return f"{path}: {reason}"


def _to_rdflib_graph(triples: Iterable[ox.Triple]) -> Graph:
    graph = Graph()
    blank_nodes: dict[str, BNode] = {}
    with _ill_typed_literals_left_to_the_shapes():
        for t in triples:
            graph.add(
                (
                    _to_rdflib(t.subject, blank_nodes),
                    URIRef(t.predicate.value),
                    _to_rdflib(t.object, blank_nodes),
                )
            )
    return graph


def _to_rdflib(term: object, blank_nodes: dict[str, BNode]) -> Node:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return blank_nodes.setdefault(term.value, BNode())
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == str(XSD.string):
            # rdflib reads "abc" as a plain literal; so must we, or sh:in ("abc") misses it.
            return Literal(term.value)
        literal = Literal(term.value, datatype=URIRef(term.datatype.value))
        not_decimal = term.datatype.value == _XSD_DECIMAL and not _DECIMAL_TEXT.match(term.value)
        if not_decimal or _is_nan(literal.value):
            # rdflib reads "NaN"^^xsd:decimal as Decimal("NaN"), and a Decimal compared
            # with a NaN (decimal or double) raises, which breaks the comparisons pySHACL
            # makes (sh:minInclusive, the SPARQL constraints). No figure of ownership
            # data is NaN: make it ill-typed and valueless, as rdflib makes text it
            # cannot read, and the shapes report it.
            literal._ill_typed = True
            literal._value = None
        return literal
    raise TypeError(
        f"not an RDF term groupkg reads: {term!r}"
    )  # quoted triples are refused on reading


def _is_nan(value: object) -> bool:
    if isinstance(value, Decimal):
        return value.is_nan()
    return isinstance(value, float) and math.isnan(value)


@contextmanager
def _ill_typed_literals_left_to_the_shapes() -> Iterator[None]:
    # rdflib logs a traceback for every literal whose text does not fit its datatype
    # ("2013-13-45"^^xsd:date). The shapes report such a literal as a finding instead.
    logger = logging.getLogger("rdflib.term")
    was_disabled = logger.disabled
    logger.disabled = True
    try:
        yield
    finally:
        logger.disabled = was_disabled


# ---- findings ----


def _report(findings: list[Finding]) -> ValidationReport:
    conforms = not any(finding.severity == "Violation" for finding in findings)
    return ValidationReport(conforms=conforms, findings=findings)


def _shacl_finding(results: Graph, result: Node, shapes: Graph, data: Graph) -> Finding:
    focus = results.value(result, SH.focusNode)
    shape = results.value(result, SH.sourceShape)
    owner = shapes.value(None, SH.property, shape)
    if isinstance(shape, BNode) and owner is not None:
        shape = owner
    path = results.value(result, SH.resultPath)
    message = results.value(result, SH.resultMessage)
    sources = data.objects(focus, URIRef(_PROV_DERIVED_FROM)) if focus is not None else ()
    return Finding(
        focus=_text(focus),
        shape=_text(shape),
        message=str(message) if message is not None else "constraint not met",
        severity=_text(results.value(result, SH.resultSeverity)).removeprefix(str(SH)),
        path=_text(path) if path is not None else None,
        sources=tuple(sorted(map(_text, sources))),
    )


def _with_ontology(triples: list[ox.Triple]) -> OxigraphStore:
    # The checks walk rdfs:subClassOf (a gk:Holding is a gk:Fact), so they read the
    # data together with the ontology. Oxigraph answers them in milliseconds where
    # rdflib takes seconds.
    store = OxigraphStore()
    store.store.extend(ox.Quad(*triple) for triple in triples)
    ontology = _read_triples(_ontology_path("groupkg.ttl"))
    store.store.extend(ox.Quad(*triple) for triple in ontology)
    return store


def _hygiene_findings(store: ox.Store) -> Iterator[Finding]:
    derived_from = ox.NamedNode(_PROV_DERIVED_FROM)

    def sources_of(node: object) -> tuple[str, ...]:
        quads = store.quads_for_pattern(node, derived_from, None)  # type: ignore[arg-type]
        return tuple(sorted(_text(quad.object) for quad in quads))

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
                    f" {_text(row['other'])} cites {_cited(store, sources_of(row['other']))}."
                )
            yield Finding(
                focus=_text(focus),
                shape=name,
                message=message,
                severity=severity.value if severity is not None else "Violation",
                sources=sources_of(focus),
            )


def _cited(store: ox.Store, sources: tuple[str, ...]) -> str:
    return ", ".join(_source_name(store, source) for source in sources) or "no source"


def _source_name(store: ox.Store, source: str) -> str:
    """A source as a reader knows it: its IRI, with its title or label where it has one."""
    if source.startswith("_:"):
        return source
    node = ox.NamedNode(source)
    for prop in (_DCTERMS_TITLE, _RDFS_LABEL):
        for quad in store.quads_for_pattern(node, ox.NamedNode(prop), None):
            return f'{source} ("{_text(quad.object)}")'
    return source


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
    for found in check_consistency(load_dataset(store), threshold):
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


def _text(term: object) -> str:
    """An IRI as itself, a blank node as ``_:id``, a literal as its text."""
    if term is None:
        return ""
    if isinstance(term, BNode):
        return f"_:{term}"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.NamedNode | ox.Literal):
        return term.value
    return str(term)
