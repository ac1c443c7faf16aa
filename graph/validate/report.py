"""The outcome of a validation: :class:`Finding` objects and the :class:`ValidationReport`.

Every check (the shapes, the hygiene queries, the time model) reports findings of
one form, naming the node at fault, the rule, and the sources the node cites; the
report holds them with the verdict and writes them for a terminal or as JSON.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import BNode

__all__ = ["Finding", "ValidationReport", "report_of", "term_text"]


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


def report_of(findings: list[Finding]) -> ValidationReport:
    """The report of ``findings``: the data conforms when none is a violation."""
    conforms = not any(finding.severity == "Violation" for finding in findings)
    return ValidationReport(conforms=conforms, findings=findings)


def term_text(term: object) -> str:
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
