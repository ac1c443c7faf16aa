"""Holdings and reported consolidations of a graph written as a CSV holdings file."""

from __future__ import annotations

import csv
import os
from pathlib import Path
from typing import TextIO

from rdflib import RDF, RDFS, XSD, Graph, Literal, URIRef
from rdflib.term import Node

from groupkg.graph.formats.csvholdings.cells import spreadsheet_safe
from groupkg.graph.formats.csvholdings.columns import (
    CONSOLIDATION_TYPES,
    CSV_COLUMNS,
    CSV_EXTRA_COLUMNS,
    fold,
)
from groupkg.graph.formats.csvholdings.identifiers import entity_identifier
from groupkg.graph.formats.graphvalues import ENTITY_CLASSES, first_value
from groupkg.graph.store.terms import XSD_BOOLEAN, literal_value
from groupkg.graph.vocab import DCTERMS, GK, PROV

__all__ = ["write_csv"]


def _source_name(graph: Graph, source: Node) -> str:
    for prop in (DCTERMS.title, RDFS.label, GK.fileName):
        value = first_value(graph, source, prop)
        if value is not None:
            return str(value)
    parent = first_value(graph, source, DCTERMS.isPartOf)
    if parent is not None:
        locator = first_value(graph, source, GK.locator)
        return _source_name(graph, parent) + (f", {locator}" if locator is not None else "")
    return str(source)


def write_csv(graph: Graph, out: str | os.PathLike[str] | TextIO) -> int:
    """Write every ``gk:Holding`` of ``graph`` as a row of the CSV holdings format, and
    every ``gk:DirectConsolidation`` / ``gk:UltimateConsolidation`` as a row with that
    ``interest_type`` (parent as owner, child as owned), so the file reads back to the
    same facts. Other reported relations (branches, funds) have no CSV form.

    Owners and owned are written by ``rdfs:label``, or by IRI where an entity has no
    label or shares it with another entity and has no LEI (so the file reads back to
    the same entities through a resolver that knows IRIs); ``owner_identifier`` and
    ``owned_identifier`` hold each one's LEI, else its first identifier
    (:mod:`~groupkg.graph.formats.csvholdings.identifiers`). ``source`` is the title of each
    source the holding is derived from, joined by ``"; "``. The optional columns are
    written only when some holding uses them, so a plain graph gives the plain format;
    ``known_from`` holds a holding's ``gk:knownFrom``. A record another supersedes
    (``gk:supersedes``) is not written: a row cannot say what it was replaced by, so the
    file holds what is known now (``groupkg export`` names such records as lost).
    Rows are sorted by owner, owned and dates.

    Returns
    -------
    int
        The number of rows written.
    """
    entities = set(graph.objects(None, GK.owner)) | set(graph.objects(None, GK.owned))
    entities |= set(graph.objects(None, GK.parent)) | set(graph.objects(None, GK.child))
    for kind in ENTITY_CLASSES:
        entities.update(graph.subjects(RDF.type, kind))
    labels: dict[Node, str] = {}
    by_label: dict[str, set[Node]] = {}
    for entity in entities:
        found = first_value(graph, entity, RDFS.label)
        if found is not None:
            labels[entity] = str(found)
    for entity, label in labels.items():
        by_label.setdefault(fold(label), set()).add(entity)

    def name(entity: Node) -> str:
        label = labels.get(entity)
        if label and (len(by_label[fold(label)]) == 1 or (entity, GK.lei, None) in graph):
            return label  # unique, or told apart by the LEI beside it
        return str(entity)

    def text(holding: Node, prop: URIRef) -> str:
        value = first_value(graph, holding, prop)
        if value is None:
            return ""
        if isinstance(value, Literal) and value.datatype == XSD.boolean:
            return "true" if literal_value(str(value), XSD_BOOLEAN) is True else ""
        return str(value)

    facts: list[tuple[Node, URIRef, URIRef, str]] = [
        (holding, GK.owner, GK.owned, "") for holding in set(graph.subjects(RDF.type, GK.Holding))
    ]
    for interest, cls in CONSOLIDATION_TYPES.items():
        facts += [
            (rel, GK.parent, GK.child, interest) for rel in set(graph.subjects(RDF.type, cls))
        ]
    superseded = set(graph.objects(None, GK.supersedes))
    rows = []
    identifiers: dict[Node, str] = {}
    for holding, owner_p, owned_p, relation_type in facts:
        if holding in superseded:
            continue
        owner, owned = first_value(graph, holding, owner_p), first_value(graph, holding, owned_p)
        if owner is None or owned is None:
            continue
        sources = sorted(
            {_source_name(graph, s) for s in graph.objects(holding, PROV.wasDerivedFrom)}
        )
        row = {
            "owner": name(owner),
            "owned": name(owned),
            "percent": text(holding, GK.percent),
            "percent_min": text(holding, GK.percentMin),
            "percent_max": text(holding, GK.percentMax),
            "shares": text(holding, GK.shares),
            "start_date": text(holding, GK.validFrom),
            "end_date": text(holding, GK.validTo),
            "source": "; ".join(sources),
            "percent_min_exclusive": text(holding, GK.percentMinExclusive),
            "percent_max_exclusive": text(holding, GK.percentMaxExclusive),
            "share_class": text(holding, GK.shareClass),
            "as_of": text(holding, GK.asOf),
            "interest_type": relation_type or text(holding, GK.interestType),
            "owner_identifier": identifiers.setdefault(owner, entity_identifier(graph, owner)),
            "owned_identifier": identifiers.setdefault(owned, entity_identifier(graph, owned)),
            "known_from": text(holding, GK.knownFrom),
        }
        rows.append(row)
    rows.sort(key=lambda r: (r["owner"], r["owned"], r["start_date"], r["as_of"], str(r)))
    columns = list(CSV_COLUMNS) + [c for c in CSV_EXTRA_COLUMNS if any(r.get(c) for r in rows)]
    if isinstance(out, str | os.PathLike):
        with open(Path(out), "w", encoding="utf-8", newline="") as stream:
            _write_rows(stream, columns, rows)
    else:
        _write_rows(out, columns, rows)
    return len(rows)


def _write_rows(stream: TextIO, columns: list[str], rows: list[dict[str, str]]) -> None:
    writer = csv.DictWriter(stream, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows({k: spreadsheet_safe(v) for k, v in row.items()} for row in rows)
