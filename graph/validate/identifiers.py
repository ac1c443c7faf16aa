"""The identifier check of validation: every ``gk:Identifier`` and ``gk:lei`` of the
data against its scheme (:mod:`groupkg.graph.formats.identifiers`).

A value whose check digits are wrong is a violation (the readers refuse it); a value
without the scheme's shape at all is a warning (the readers take it as written).
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from groupkg.graph.formats.identifiers import identifier_problem
from groupkg.graph.validate.report import Finding, term_text
from groupkg.graph.vocab import GK, PROV

__all__ = ["IDENTIFIER_CHECK", "identifier_findings"]

IDENTIFIER_CHECK = "identifier-check"

_QUERY = f"""
SELECT ?entity ?scheme ?value ?path WHERE {{
  {{ ?entity <{GK.hasIdentifier}> ?node .
     ?node <{GK.identifierScheme}> ?scheme ; <{GK.identifierValue}> ?value .
     BIND(<{GK.identifierValue}> AS ?path) }}
  UNION
  {{ ?entity <{GK.lei}> ?value . BIND("XI-LEI" AS ?scheme) BIND(<{GK.lei}> AS ?path) }}
}}
"""


def identifier_findings(store: ox.Store) -> Iterator[Finding]:
    """One finding an identifier of the data that is not one of its scheme."""
    derived_from = ox.NamedNode(str(PROV.wasDerivedFrom))
    result = store.query(_QUERY)
    assert isinstance(result, ox.QuerySolutions)
    for row in result:
        problem = identifier_problem(term_text(row["scheme"]), term_text(row["value"]))
        if problem is None:
            continue
        entity = row["entity"]
        quads = store.quads_for_pattern(entity, derived_from, None)
        yield Finding(
            focus=term_text(entity),
            shape=IDENTIFIER_CHECK,
            message=f"{problem}.",
            severity="Violation" if problem.typo else "Warning",
            path=term_text(row["path"]),
            sources=tuple(sorted(term_text(quad.object) for quad in quads)),
        )
