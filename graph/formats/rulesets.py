"""Rule sets of control and beneficial ownership, read from Turtle and checked by SHACL.

The shipped rule sets are the files of ``ontology/rules/`` (EU AMLD, UK PSC, US CTA,
IFRS 10, IAS 28 and groupkg's own control rule); a user's rule set is a file of the
same shape, a ``gk:RuleSet`` node with the properties of ``ontology/groupkg.ttl``,
checked against ``gksh:RuleSetShape`` of ``ontology/shapes.ttl``. A file that cannot
be read, does not conform, or holds no rule set raises
:class:`~groupkg.graph.errors.InputError` naming the file and what is wrong.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox
import pyshacl
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH
from rdflib.term import Node

from groupkg.graph.analytics.ruleset import RuleSet
from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import syntax_error
from groupkg.graph.vocab import GK

__all__ = ["rule_sets", "shipped_rule_sets", "read_rule_file"]


def _text(graph: Graph, node: Node, prop: URIRef) -> str:
    value = graph.value(node, prop)
    return str(value) if value is not None else ""


def _number(graph: Graph, node: Node, prop: URIRef) -> float | None:
    value = graph.value(node, prop)
    return float(value.toPython()) if isinstance(value, Literal) else None


def _flag(graph: Graph, node: Node, prop: URIRef, default: bool) -> bool:
    value = graph.value(node, prop)
    return bool(value.toPython()) if isinstance(value, Literal) else default


@cache
def _shapes() -> Graph:
    path = resources.files("groupkg.ontology").joinpath("shapes.ttl")
    return Graph().parse(data=path.read_text(encoding="utf-8"), format="turtle")


def _check(graph: Graph, where: str) -> None:
    conforms, results, _ = pyshacl.validate(graph, shacl_graph=_shapes(), inference="none")
    if conforms:
        return
    problems = sorted(
        f"  {results.value(r, SH.focusNode)}: {results.value(r, SH.resultMessage)}"
        for r in results.objects(None, SH.result)
    )
    raise InputError(f"{where}: the rule set is not valid:\n" + "\n".join(problems), file=where)


def read_rule_file(path: str | Path, where: str | None = None) -> list[RuleSet]:
    """The rule sets of one Turtle file, checked.

    Raises
    ------
    InputError
        When the file cannot be read, is not Turtle (``FILE, line N, columns A-B:
        what is wrong``), does not conform to
        ``gksh:RuleSetShape`` (each problem named with its node) or holds no
        ``gk:RuleSet``.
    """
    where = where or str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise InputError(f"{where}: cannot read the rule set: {e}", file=where) from e
    try:
        # Oxigraph first, as every other file groupkg reads: its error names the line
        # and columns in plain words (rdflib's quotes bytes around a caret).
        for _ in ox.parse(text, format=ox.RdfFormat.TURTLE, base_iri=Path(path).resolve().as_uri()):
            pass
    except SyntaxError as e:
        plain = syntax_error(Path(where), e, 1)
        raise InputError(str(plain), file=where, location=e.lineno) from None
    try:
        graph = Graph().parse(data=text, format="turtle")
    except Exception as e:  # rdflib raises many kinds for bad Turtle
        raise InputError(f"{where}: not a Turtle rule set: {e}", file=where) from e
    nodes = sorted(graph.subjects(RDF.type, GK.RuleSet), key=str)
    if not nodes:
        raise InputError(f"{where}: holds no gk:RuleSet", file=where)
    _check(graph, where)
    found = []
    for node in nodes:
        found.append(
            RuleSet(
                name=_text(graph, node, GK.ruleSetName),
                label=_text(graph, node, RDFS.label),
                threshold=_number(graph, node, GK.thresholdPercent) or 0.0,
                inclusive=_flag(graph, node, GK.thresholdInclusive, False),
                ceiling=_number(graph, node, GK.ceilingPercent),
                ceiling_inclusive=_flag(graph, node, GK.ceilingInclusive, True),
                counts=tuple(sorted(map(str, graph.objects(node, GK.countsInterest)))),
                other_means=tuple(sorted(map(str, graph.objects(node, GK.controlByOtherMeans)))),
                aggregation=_text(graph, node, GK.aggregation),
                qualifying=_text(graph, node, GK.qualifyingHolders),
                comment=_text(graph, node, RDFS.comment),
                source=where,
            )
        )
    return found


# The order answers give the shipped rule sets in: beneficial ownership, then accounts.
SHIPPED = ("eu-amld", "uk-psc", "us-cta", "ifrs-10", "ias-28", "groupkg-default")


@cache
def shipped_rule_sets() -> dict[str, RuleSet]:
    """The rule sets of ``ontology/rules/``, by name, in :data:`SHIPPED` order."""
    folder = resources.files("groupkg.ontology").joinpath("rules")
    found: dict[str, RuleSet] = {}
    for name in SHIPPED:
        with resources.as_file(folder.joinpath(f"{name}.ttl")) as path:
            for rule in read_rule_file(path, where=f"ontology/rules/{name}.ttl"):
                found[rule.name] = rule
    return found


def rule_sets(names: list[str] | None = None) -> list[RuleSet]:
    """The rule sets asked for: shipped names or Turtle files; all shipped ones by default.

    >>> [r.name for r in rule_sets(["uk-psc", "eu-amld"])]
    ['uk-psc', 'eu-amld']
    >>> rule_sets(["uk-pcs"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: unknown rule set 'uk-pcs': give a rule file (.ttl) or ...
    """
    shipped = shipped_rule_sets()
    if not names:
        return list(shipped.values())
    found: list[RuleSet] = []
    for name in names:
        if name in shipped:
            found.append(shipped[name])
        elif name.endswith(".ttl") or Path(name).is_file():
            found.extend(read_rule_file(name))
        else:
            raise InputError(
                f"unknown rule set {name!r}: give a rule file (.ttl) or one of "
                + ", ".join(shipped)
            )
    return found
