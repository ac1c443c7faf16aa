"""The import time as knowledge time: what ``groupkg import`` writes from a BODS, CSV or
GLEIF file and that says nothing of when it became known is known from the import on.

A record (a subject derived from a source, ``prov:wasDerivedFrom``) has a knowledge time
of its own when it has a ``gk:knownFrom`` or cites a dated source (a ``gk:Source`` with a
``dcterms:date``, directly or through a section that is ``dcterms:isPartOf`` it); every
other record the import adds is given ``gk:knownFrom`` the import time, an
``xsd:dateTime`` in UTC. A record the store holds already keeps what it has: importing
the same file again changes nothing. RDF files are loaded as they are written, and a
file read with ``--data`` is not imported: their records without a knowledge time are
known always.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.formats.minting import utc_text
from groupkg.graph.store import Store
from groupkg.graph.vocab import DCTERMS, GK, PROV

__all__ = ["import_moment", "stamp_import_time"]

_CHUNK = 2_000  # records asked about in one query
_DERIVED, _KNOWN = ox.NamedNode(str(PROV.wasDerivedFrom)), ox.NamedNode(str(GK.knownFrom))
_DATE, _PART_OF = ox.NamedNode(str(DCTERMS.date)), ox.NamedNode(str(DCTERMS.isPartOf))
_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def import_moment(now: dt.datetime | None = None) -> str:
    """An import time as ``gk:knownFrom`` holds it: an xsd:dateTime in UTC, to the second.

    >>> import_moment(dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC))
    '2026-01-02T03:04:05Z'
    """
    return utc_text((now or dt.datetime.now(dt.UTC)).replace(microsecond=0))


def _undated(path: Path) -> list[ox.NamedNode]:
    """The records of an N-Triples file with no knowledge time of their own in it."""
    cites: dict[ox.NamedNode, list[Any]] = defaultdict(list)
    known: set[Any] = set()
    dated: set[Any] = set()
    part_of: dict[Any, list[Any]] = defaultdict(list)
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        s, p, o = quad.subject, quad.predicate, quad.object
        if p == _DERIVED and isinstance(s, ox.NamedNode):
            cites[s].append(o)
        elif p == _KNOWN:
            known.add(s)
        elif p == _DATE:
            dated.add(s)
        elif p == _PART_OF:
            part_of[s].append(o)

    def is_dated(source: Any) -> bool:
        return source in dated or any(whole in dated for whole in part_of.get(source, ()))

    return [
        record
        for record, sources in cites.items()
        if record not in known and not any(map(is_dated, sources))
    ]


def _new(store: Store, records: list[ox.NamedNode]) -> list[ox.NamedNode]:
    """Those of ``records`` that ``store`` does not hold yet."""
    held: set[str] = set()
    for start in range(0, len(records), _CHUNK):
        values = " ".join(str(r) for r in records[start : start + _CHUNK])
        rows = store.select(f"SELECT DISTINCT ?r WHERE {{ VALUES ?r {{ {values} }} ?r ?p ?o }}")
        held |= {str(row["r"]) for row in rows}
    return [r for r in records if r.value not in held]


def stamp_import_time(path: Path, store: Store, moment: str | None = None) -> int:
    """Add to the N-Triples file ``path`` (an import into ``store``) the import time as
    ``gk:knownFrom`` of each new record without a knowledge time; return how many."""
    records = _new(store, _undated(path)) if path.stat().st_size else []
    if not records:
        return 0
    when = ox.Literal(moment or import_moment(), datatype=_DATE_TIME)
    with path.open("a", encoding="utf-8") as out:
        out.writelines(f"{record} {_KNOWN} {when} .\n" for record in records)
    return len(records)
