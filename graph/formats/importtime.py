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
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from groupkg.graph.formats.minting import utc_text
from groupkg.graph.store import Store
from groupkg.graph.vocab import DCTERMS, GK, PROV

__all__ = ["import_moment", "import_stamps", "stamp_import_time"]

_CHUNK = 2_000  # records asked about in one query
_SMALL = 20_000  # a store with at most this many subjects is asked for them all
_DERIVED, _KNOWN = ox.NamedNode(str(PROV.wasDerivedFrom)), ox.NamedNode(str(GK.knownFrom))
_DATE, _PART_OF = ox.NamedNode(str(DCTERMS.date)), ox.NamedNode(str(DCTERMS.isPartOf))
_DATE_TIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


def import_moment(now: dt.datetime | None = None) -> str:
    """An import time as ``gk:knownFrom`` holds it: an xsd:dateTime in UTC, to the second.

    >>> import_moment(dt.datetime(2026, 1, 2, 3, 4, 5, 678, tzinfo=dt.UTC))
    '2026-01-02T03:04:05Z'
    """
    return utc_text((now or dt.datetime.now(dt.UTC)).replace(microsecond=0))


def _undated(triples: Iterable[tuple[str, str, str]]) -> list[str]:
    """The records among ``triples`` (subject, predicate and object as N-Triples terms)
    with no knowledge time of their own among them."""
    derived, known, date, part_of = (str(term) for term in (_DERIVED, _KNOWN, _DATE, _PART_OF))
    cites: dict[str, list[str]] = defaultdict(list)
    has_known: set[str] = set()
    dated: set[str] = set()
    parts: dict[str, list[str]] = defaultdict(list)
    for s, p, o in triples:
        if p == derived and s[0] == "<":
            cites[s].append(o)
        elif p == known:
            has_known.add(s)
        elif p == date:
            dated.add(s)
        elif p == part_of:
            parts[s].append(o)

    def is_dated(source: str) -> bool:
        return source in dated or any(whole in dated for whole in parts.get(source, ()))

    return [
        record
        for record, sources in cites.items()
        if record not in has_known and not any(map(is_dated, sources))
    ]


def _file_triples(path: Path) -> Iterator[tuple[str, str, str]]:
    """The triples of an N-Triples file that :func:`_undated` looks at, each term as
    N-Triples text."""
    wanted = {_DERIVED, _KNOWN, _DATE, _PART_OF}
    for quad in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES):
        if quad.predicate in wanted:
            yield str(quad.subject), str(quad.predicate), str(quad.object)


def _new(store: Store, records: list[str]) -> list[str]:
    """Those of ``records`` (N-Triples IRIs) that ``store`` does not hold yet: a small
    store (a new one holding the ontology, say) is asked for all its subjects at once,
    a larger one about a chunk of records at a time."""
    if not records:
        return records
    rows = store.select(f"SELECT DISTINCT ?r WHERE {{ ?r ?p ?o }} LIMIT {_SMALL + 1}")
    if len(rows) > _SMALL:
        rows = []
        for start in range(0, len(records), _CHUNK):
            values = " ".join(records[start : start + _CHUNK])
            query = f"SELECT DISTINCT ?r WHERE {{ VALUES ?r {{ {values} }} ?r ?p ?o }}"
            rows += store.select(query)
    held = {f"<{row['r']}>" for row in rows}
    return [r for r in records if r not in held]


def import_stamps(
    path: Path,
    store: Store,
    moment: str | None = None,
    written: Iterable[tuple[str, str, str]] | None = None,
) -> list[tuple[str, str, str]]:
    """The ``gk:knownFrom`` triples (as N-Triples terms) that give each new record of the
    N-Triples file ``path`` without a knowledge time the import time. ``written`` are
    the file's triples as N-Triples terms, when the reader still holds them: then they
    are looked at instead of the file, which is not read again."""
    triples = written if written is not None else _file_triples(path)
    records = _new(store, _undated(triples))
    if not records:
        return []
    when = str(ox.Literal(moment or import_moment(), datatype=_DATE_TIME))
    known = str(_KNOWN)
    return [(record, known, when) for record in records]


def stamp_import_time(
    path: Path,
    store: Store,
    moment: str | None = None,
    written: Iterable[tuple[str, str, str]] | None = None,
) -> list[tuple[str, str, str]]:
    """Add to the N-Triples file ``path`` (an import into ``store``) the import time as
    ``gk:knownFrom`` of each new record without a knowledge time (see
    :func:`import_stamps`); return the triples added."""
    stamps = import_stamps(path, store, moment, written) if path.stat().st_size else []
    if stamps:
        with path.open("a", encoding="utf-8") as out:
            out.writelines(f"{s} {p} {o} .\n" for s, p, o in stamps)
    return stamps
