"""GLEIF record updates on import: a relationship record the store already holds,
read again with other content, becomes a new version of the record that supersedes
the older one (or is superseded by it, when it was updated earlier), nothing deleted.

A relationship record is minted at ``base/rr/CHILD-type-PARENT``; its content is every
triple of it and of its periods and assumption, but for the source it is derived from
and the time it became known (``gk:knownFrom``, its ``Registration.LastUpdateDate``).
Read again with the same content (the same file, or a later file that changed only
registration dates), it adds nothing but the new file as one more source. With other
content it is a new version at ``base/rr/CHILD-type-PARENT/v/DIGEST`` (the digest of its
content, so the same update read twice is one version), and the versions of one record,
ordered by ``gk:knownFrom``, each ``gk:supersedes`` the one before it. A version with no
update date is taken to be known last.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rdflib import RDF, XSD, Literal, URIRef
from rdflib.term import Node

from groupkg.graph.formats.gleif.mapping import Triple
from groupkg.graph.formats.minting import digest
from groupkg.graph.store import Store
from groupkg.graph.vocab import GK, PROV

__all__ = ["updated_records"]

_CHUNK = 500  # records asked about in one query
# Not content: where a version was read and when it became known.
_NOT_CONTENT = {str(PROV.wasDerivedFrom), str(GK.knownFrom), str(GK.supersedes)}
Content = frozenset[tuple[str, str, str, str]]


def _record_of(subject: Node, rr_base: str) -> str | None:
    """The relationship record a subject belongs to (itself, or its period or
    assumption), or None."""
    text = str(subject)
    if not isinstance(subject, URIRef) or not text.startswith(rr_base):
        return None
    rest = text[len(rr_base) :].split("/")
    if len(rest) > 2 and rest[1] == "v":  # a stored version's own part
        return rr_base + "/".join(rest[:3])
    return rr_base + rest[0]


def _kind(term: Node) -> str:
    """An IRI's kind, ``iri``, or a literal's datatype (as SPARQL's ``DATATYPE`` says)."""
    if not isinstance(term, Literal):
        return "iri"
    if term.language:
        return str(RDF.langString)
    return str(term.datatype or XSD.string)


def _content(record: str, triples: Iterable[tuple[str, str, str, str]]) -> Content:
    """What a version says (subject, property, kind, value), its own IRI left out, so
    versions compare by what they say."""
    out = set()
    for s, p, kind, value in triples:
        if p in _NOT_CONTENT:
            continue
        if kind == "iri":
            value = value.replace(record + "/", "./")
        out.add((s[len(record) :], p, kind, value))
    return frozenset(out)


def _spelt(triples: Iterable[Triple]) -> list[tuple[str, str, str, str]]:
    return [(str(s), str(p), _kind(o), str(o)) for s, p, o in triples]


def _renamed(triples: list[Triple], record: str, version: URIRef) -> list[Triple]:
    def rename(node: Node) -> Node:
        text = str(node)
        if isinstance(node, URIRef) and (text == record or text.startswith(record + "/")):
            return URIRef(str(version) + text[len(record) :])
        return node

    return [(rename(s), p, rename(o)) for s, p, o in triples]


class _Stored:
    """The versions the store holds of some records: each version's content and
    knownFrom, by record."""

    def __init__(self, store: Store, records: list[str]):
        self.versions: dict[str, dict[str, tuple[Content, str | None]]] = defaultdict(dict)
        present = self._present(store, records)
        if not present:
            return
        triples: dict[str, list[tuple[str, str, str, str]]] = defaultdict(list)
        for start in range(0, len(present), _CHUNK):
            values = " ".join(f"<{r}>" for r in present[start : start + _CHUNK])
            rows = store.select(
                "SELECT ?r ?v ?s ?p ?kind ?value WHERE { VALUES ?r { " + values + " } "
                f"?v (<{GK.supersedes}>|^<{GK.supersedes}>)* ?r . "
                "{ ?v ?p ?o . BIND(?v AS ?s) } UNION "
                f"{{ ?v ?q ?s . FILTER(?q != <{GK.supersedes}>) "
                "FILTER(STRSTARTS(STR(?s), CONCAT(STR(?v), '/'))) ?s ?p ?o } "
                'BIND(IF(isIRI(?o), "iri", STR(DATATYPE(?o))) AS ?kind) BIND(STR(?o) AS ?value) }'
            )
            for row in rows:
                version = str(row["v"])
                triples[version].append((row["s"], row["p"], row["kind"], row["value"]))
                self.versions[row["r"]].setdefault(version, (frozenset(), None))
        for versions in self.versions.values():
            for version in versions:
                found = triples[version]
                known = [v for s, p, _, v in found if p == str(GK.knownFrom) and s == version]
                versions[version] = (_content(version, found), min(known, default=None))

    @staticmethod
    def _present(store: Store, records: list[str]) -> list[str]:
        present = []
        for start in range(0, len(records), _CHUNK):
            values = " ".join(f"<{r}>" for r in records[start : start + _CHUNK])
            rows = store.select(f"SELECT DISTINCT ?r WHERE {{ VALUES ?r {{ {values} }} ?r ?p ?o }}")
            present += [str(row["r"]) for row in rows]
        return present


def updated_records(batch: list[Triple], store: Store, rr_base: str) -> list[Triple]:
    """``batch`` with each relationship record ``store`` already holds either left out
    (the same content: only its new source is added) or written as a new version,
    linked by ``gk:supersedes`` to the stored versions before and after it."""
    rows: dict[str, list[Triple]] = defaultdict(list)
    others: list[Triple] = []
    for triple in batch:
        record = _record_of(triple[0], rr_base)
        (rows[record] if record is not None else others).append(triple)
    if not rows:
        return batch
    stored = _Stored(store, list(rows))
    if not stored.versions:
        return batch
    out = others
    for record, triples in rows.items():
        versions = stored.versions.get(record)
        if not versions:
            out += triples
            continue
        content = _content(record, _spelt(triples))
        known = next((str(o) for s, p, o in triples if p == GK.knownFrom), None)
        same = [v for v, (said, _) in versions.items() if said == content]
        if same:  # read before: the new file is one more source of it
            sources = [o for s, p, o in triples if p == PROV.wasDerivedFrom and str(s) == record]
            out += [(URIRef(same[0]), PROV.wasDerivedFrom, o) for o in sources]
            continue
        version = URIRef(f"{record}/v/{digest(*sorted(map(str, content)))[:12]}")
        out += _renamed(triples, record, version)
        out += _links(version, known, versions)
    return out


def _links(
    version: URIRef, known: str | None, versions: dict[str, tuple[Content, str | None]]
) -> list[Triple]:
    """``version`` superseding the latest stored version known before it, and
    superseded by the first known after it (no date: known last)."""

    def when(day: str | None) -> tuple[bool, str]:
        return (day is None, day or "")

    before = [v for v, (_, day) in versions.items() if when(day) <= when(known)]
    after = [v for v, (_, day) in versions.items() if when(day) > when(known)]
    out: list[Triple] = []
    if before:
        latest = max(before, key=lambda v: when(versions[v][1]))
        out.append((version, GK.supersedes, URIRef(latest)))
    if after:
        first = min(after, key=lambda v: when(versions[v][1]))
        out.append((URIRef(first), GK.supersedes, version))
    return out
