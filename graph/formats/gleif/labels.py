"""Keeping an entity to one name across GLEIF files: a label a GLEIF file gives an
entity the store already names is left out.

A relationship record knows an entity only by its LEI, and labels it so; a Level 1
record labels it with its legal name. Whichever is imported first names the entity:
Level 1 first, the LEI label of a later relationship file is left out; relationship
records first, the Level 1 file still gives ``gk:legalName``, which answers show
instead of a label that is the entity's own LEI
(:func:`~groupkg.graph.facts.records.entities_of`). So an entity never has two
``rdfs:label``\\ s, as the shapes require.
"""

from __future__ import annotations

from rdflib import RDFS

from groupkg.graph.formats.gleif.mapping import Triple
from groupkg.graph.store import Store

__all__ = ["unnamed_only"]

_CHUNK = 1_000  # subjects per query


def unnamed_only(batch: list[Triple], store: Store) -> list[Triple]:
    """``batch`` without the ``rdfs:label`` of subjects ``store`` already labels."""
    labelled = list(dict.fromkeys(s for s, p, _ in batch if p == RDFS.label))
    named: set[str] = set()
    for start in range(0, len(labelled), _CHUNK):
        values = " ".join(f"<{s}>" for s in labelled[start : start + _CHUNK])
        rows = store.select(
            f"SELECT DISTINCT ?s WHERE {{ VALUES ?s {{ {values} }} ?s <{RDFS.label}> ?l }}"
        )
        named |= {str(row["s"]) for row in rows}
    if not named:
        return batch
    return [t for t in batch if not (t[1] == RDFS.label and str(t[0]) in named)]
