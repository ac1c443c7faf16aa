"""Identity judgements as data: a person's decision that two entity records are, or are
not, one entity, whatever their identifiers say (``gk:IdentityJudgement``).

A judgement names its two records (``gk:judgedRecord``, twice), whether they are one
entity (``gk:sameEntity``), who decided (``gk:judgedBy``), on which day
(``gk:judgedOn``) and, optionally, why (``rdfs:comment``). Its IRI is minted from all of
these, so the same judgement written twice is one. Of several judgements about the same
two records, the one of the latest day counts (of one day, the last in IRI order):
:func:`as_pairs` gives them in that order, the ``(iri_a, iri_b, same)`` tuples
:func:`groupkg.graph.facts.identity.clusters` takes.

>>> import datetime as dt
>>> j = Judgement("https://e.org/a", "https://e.org/b", False, "ana", dt.date(2026, 1, 5))
>>> j.iri
'https://w3id.org/groupkg/data/judgement/c4bf525e1f8b57a2'
>>> as_pairs([j])
[('https://e.org/a', 'https://e.org/b', False)]
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from groupkg.graph.dates import parse_date
from groupkg.graph.errors import InputError
from groupkg.graph.store import Store, iter_rows
from groupkg.graph.store.ntriples import as_ntriples
from groupkg.graph.vocab import GK

__all__ = ["JUDGEMENT_BASE", "Judgement", "as_pairs", "judgement_ntriples", "read_judgements"]

JUDGEMENT_BASE = "https://w3id.org/groupkg/data/judgement/"
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_COMMENT = ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment")
_XSD_BOOLEAN = ox.NamedNode("http://www.w3.org/2001/XMLSchema#boolean")
_XSD_DATE = ox.NamedNode("http://www.w3.org/2001/XMLSchema#date")


@dataclass(frozen=True)
class Judgement:
    """Two records are (``same``) or are not one entity, as ``by`` decided on ``on``."""

    record_a: str
    record_b: str
    same: bool
    by: str
    on: dt.date
    note: str = ""

    @property
    def records(self) -> tuple[str, str]:
        """The two records, in code-point order."""
        a, b = sorted((self.record_a, self.record_b))
        return a, b

    @property
    def iri(self) -> str:
        parts = (*self.records, self.same, self.by, self.on, self.note)
        key = hashlib.sha1("\x1f".join(map(str, parts)).encode()).hexdigest()
        return JUDGEMENT_BASE + key[:16]

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.iri,
            "records": list(self.records),
            "same": self.same,
            "by": self.by,
            "on": self.on.isoformat(),
            "note": self.note or None,
        }


def judgement_ntriples(judgement: Judgement) -> bytes:
    """The triples of ``judgement`` as N-Triples: every text escaped, every IRI checked
    (an IRI that is not one is a ``ValueError`` from the RDF library)."""
    node = ox.NamedNode(judgement.iri)
    same = "true" if judgement.same else "false"
    values: list[tuple[ox.NamedNode, ox.NamedNode | ox.Literal]] = [
        (_RDF_TYPE, ox.NamedNode(str(GK.IdentityJudgement))),
        *((ox.NamedNode(str(GK.judgedRecord)), ox.NamedNode(r)) for r in judgement.records),
        (ox.NamedNode(str(GK.sameEntity)), ox.Literal(same, datatype=_XSD_BOOLEAN)),
        (ox.NamedNode(str(GK.judgedBy)), ox.Literal(judgement.by)),
        (ox.NamedNode(str(GK.judgedOn)), ox.Literal(judgement.on.isoformat(), datatype=_XSD_DATE)),
    ]
    if judgement.note:
        values.append((_COMMENT, ox.Literal(judgement.note)))
    return as_ntriples(ox.Triple(node, p, o) for p, o in values)


def read_judgements(store: Store) -> list[Judgement]:
    """The judgements ``store`` holds, in the order they count (see :func:`as_pairs`);
    one without two records, a day or a clear yes or no is left out (validation names
    it)."""
    found: dict[str, dict[str, Any]] = {}
    for row in iter_rows(store, "facts-judgements"):
        seen = found.setdefault(row["j"], {"records": set()})
        seen["records"].add(row["record"])
        for key in ("same", "by", "on", "note"):
            if row.get(key) is not None:
                seen.setdefault(key, row[key])
    judgements = []
    for _, seen in sorted(found.items()):
        day = _day(seen.get("on"))
        same = seen.get("same")
        if len(seen["records"]) != 2 or day is None or not isinstance(same, bool):
            continue
        a, b = sorted(seen["records"])
        judgements.append(Judgement(a, b, same, str(seen.get("by") or ""), day,
                                    str(seen.get("note") or "")))  # fmt: skip
    return sorted(judgements, key=lambda j: (j.on, j.iri))


def _day(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return parse_date(str(value)) if value is not None else None
    except InputError:
        return None


def as_pairs(judgements: Iterable[Judgement]) -> list[tuple[str, str, bool]]:
    """``(record_a, record_b, same)`` of each judgement, the one that counts last."""
    ordered = sorted(judgements, key=lambda j: (j.on, j.iri))
    return [(j.record_a, j.record_b, j.same) for j in ordered]
