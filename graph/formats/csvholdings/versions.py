"""A CSV holdings file imported again: a row with other figures for a holding the store
holds from an earlier CSV import (the same owner, owned, kind and interest type, as of
the same date and from the same start) is a new record that supersedes the stored one
(``gk:supersedes``); nothing is deleted. The same figures again are the same record
(its IRI hashes what the row says), and add nothing.
"""

from __future__ import annotations

from collections import defaultdict

from rdflib import RDF

from groupkg.graph.store import Store
from groupkg.graph.store.ntriples import ntriples_iri
from groupkg.graph.vocab import GK

__all__ = ["superseding"]

_CHUNK = 1_000  # new records asked about in one query
_TYPE, _SUPERSEDES = ntriples_iri(RDF.type), ntriples_iri(GK.supersedes)
_PARTIES = {
    ntriples_iri(p): n for n, p in ((0, GK.owner), (0, GK.parent), (1, GK.owned), (1, GK.child))
}
# What makes two records one holding, but for its figures; absent is "".
_KEYS = {ntriples_iri(GK.interestType): 0, ntriples_iri(GK.asOf): 1, ntriples_iri(GK.validFrom): 2}

Triple = tuple[str, str, str]


def _lexical(term: str) -> str:
    """The text of an N-Triples literal (the few values a key holds: no escapes)."""
    return term[1 : term.rindex('"')] if term.startswith('"') else term


def superseding(triples: list[Triple], store: Store, base: str) -> list[Triple]:
    """``gk:supersedes`` from each new holding or relation of ``triples`` (minted under
    ``base``) to the records of the same holding an earlier import put in ``store``
    (a record already there is the same figures imported before: it supersedes
    nothing)."""
    if not _holds_records(store):  # a new store, say: nothing to supersede
        return []
    records: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for s, p, o in triples:
        if s.startswith(f"<{base}holding/") or s.startswith(f"<{base}relation/"):
            records[s][p].append(o)
    wanted = []
    for record, props in records.items():
        kinds = props[_TYPE]
        parties: list[str | None] = [None, None]
        for prop, where in _PARTIES.items():
            if props.get(prop):
                parties[where] = props[prop][0]
        if kinds and None not in parties:
            wanted.append((record, kinds[0], parties[0], parties[1]))
    out: list[Triple] = []
    for start in range(0, len(wanted), _CHUNK):
        chunk = wanted[start : start + _CHUNK]
        values = " ".join(f"({r} {k} {a} {b})" for r, k, a, b in chunk)
        rows = store.select(
            "SELECT ?new ?old ?interest ?asOf ?from WHERE { "
            f"VALUES (?new ?type ?a ?b) {{ {values} }} "
            f"?old a ?type ; ({ntriples_iri(GK.owner)}|{ntriples_iri(GK.parent)}) ?a ; "
            f"({ntriples_iri(GK.owned)}|{ntriples_iri(GK.child)}) ?b . "
            f'FILTER(?old != ?new && STRSTARTS(STR(?old), "{base}")) '
            f"OPTIONAL {{ ?old {ntriples_iri(GK.interestType)} ?i }} "
            f"OPTIONAL {{ ?old {ntriples_iri(GK.asOf)} ?d }} "
            f"OPTIONAL {{ ?old {ntriples_iri(GK.validFrom)} ?f }} "
            "FILTER NOT EXISTS { ?new ?x ?y } "
            'BIND(COALESCE(STR(?i), "") AS ?interest) BIND(COALESCE(STR(?d), "") AS ?asOf) '
            'BIND(COALESCE(STR(?f), "") AS ?from) }'
        )
        for row in rows:
            new = f"<{row['new']}>"
            props = records[new]
            key = ["", "", ""]
            for prop, where in _KEYS.items():
                if props.get(prop):
                    key[where] = _lexical(props[prop][0])
            if key == [row["interest"], row["asOf"], row["from"]]:
                out.append((new, _SUPERSEDES, f"<{row['old']}>"))
    return list(dict.fromkeys(out))


def _holds_records(store: Store) -> bool:
    """Whether ``store`` holds any holding or relation at all."""
    parties = f"{ntriples_iri(GK.owner)}|{ntriples_iri(GK.parent)}"
    return bool(store.select(f"SELECT ?s WHERE {{ ?s {parties} ?o }} LIMIT 1"))
