"""One real-world entity across sources: records that carry the same identifier.

Every source record of an entity keeps its own IRI in the store; the answers see one
entity per *cluster* of records. Two records are in one cluster when they carry the
same identifier, once normalised (:func:`normalise`): a scheme and a value as BODS and
org-id.guide write them (``XI-LEI``, ``GB-COH``...), read from ``gk:hasIdentifier``
and ``gk:lei`` (:func:`identifiers_of`). Names never join records.

- :func:`clusters` builds the clusters (a union-find over the records' identifiers)
  and returns :class:`Clusters`: member IRI -> canonical IRI, the members of each
  cluster, and the :class:`Conflict` records of clusters holding two values of a
  scheme an entity has one of (two LEIs, two Companies House numbers).
- Judgements, ``(iri_a, iri_b, same)`` tuples, are the hook for what a person decides:
  ``same=True`` joins the two records' clusters; ``same=False`` keeps them apart even
  where identifiers join them (the joining identifier links between the two sides are
  left out, deterministically: see :func:`clusters`). The last judgement of a pair
  counts.
- :func:`merge_dataset` rewrites a :class:`~groupkg.graph.model.Dataset` to the
  clusters: every holding, relation, event and observation names canonical IRIs, and
  the canonical entity carries the union of its members' names, aliases, identifiers,
  facts and sources, with the list of its member records (:attr:`Entity.records`).

The canonical IRI of a cluster does not depend on the order records were imported in:
it is the IRI of the member that carries an LEI, of several the least in code-point
order; in a cluster without an LEI, the least member IRI. The merged entity's label is
the label of the record so chosen; the other records' labels and legal names are its
aliases.

>>> from groupkg.graph.model import Entity
>>> gleif = Entity("https://x/lei/PY6ZZQWO2IZFZC3IOL08", "ASTRAZENECA PLC",
...                identifiers=[("LEI", "py6zzqwo2izfzc3iol08 ")])
>>> bods = Entity("https://x/bods/1", "AstraZeneca PLC",
...               identifiers=[("GB-COH", "2723534"), ("XI-LEI", "PY6ZZQWO2IZFZC3IOL08")])
>>> other = Entity("https://x/bods/2", "AstraZeneca PLC")
>>> found = clusters({e.id: e for e in (gleif, bods, other)})
>>> found.canonical_of("https://x/lei/PY6ZZQWO2IZFZC3IOL08")  # both have the LEI
'https://x/bods/1'
>>> found.canonical_of("https://x/bods/2")  # the same name alone joins nothing
'https://x/bods/2'
>>> clusters({e.id: e for e in (gleif, bods)},
...          [(gleif.id, bods.id, False)]).canonical_of(bods.id)
'https://x/bods/1'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import TypeVar

from groupkg.graph.model import Dataset, Entity, Holding, Relation, SourceRecord

__all__ = [
    "ONE_PER_ENTITY",
    "Clusters",
    "Conflict",
    "Identifier",
    "Judgement",
    "clusters",
    "identifiers_of",
    "merge_dataset",
    "merged_entity",
    "normalise",
]

F = TypeVar("F", Holding, Relation)
Identifier = tuple[str, str]
"""A normalised ``(scheme, value)``."""
Judgement = tuple[str, str, bool]
"""``(iri_a, iri_b, same)``: two records are (``True``) or are not one entity."""

LEI = "XI-LEI"
#: Schemes an entity has one value of: a cluster holding two is a :class:`Conflict`.
ONE_PER_ENTITY = frozenset({LEI, "GB-COH"})
# Scheme spellings of the same register: GLEIF writes "LEI" and registration-authority
# codes (RA000585 is Companies House), BODS the org-id.guide codes.
_SCHEMES = {"LEI": LEI, "XI-LEI": LEI, "RA000585": "GB-COH", "GB-COH": "GB-COH"}


def normalise(scheme: str, value: str) -> Identifier | None:
    """The identifier ``scheme``/``value`` as every format's records of it compare;
    None for an empty value.

    >>> normalise("LEI", " py6zzqwo2izfzc3iol08")
    ('XI-LEI', 'PY6ZZQWO2IZFZC3IOL08')
    >>> normalise("RA000585", "2723534")  # Companies House numbers have 8 characters
    ('GB-COH', '02723534')
    >>> normalise("jp-jcn", "1010001132150")
    ('JP-JCN', '1010001132150')
    """
    scheme = "".join(scheme.split()).upper()
    scheme = _SCHEMES.get(scheme, scheme)
    value = "".join(value.split()).upper()
    if not value:
        return None
    if scheme == "GB-COH" and value.isdigit():
        value = value.zfill(8)
    return scheme, value


def identifiers_of(entity: Entity) -> set[Identifier]:
    """The normalised identifiers a record carries (``gk:hasIdentifier``, ``gk:lei``)."""
    pairs = [*entity.identifiers, *((LEI, lei) for lei in entity.facts.get("lei", []))]
    return {found for scheme, value in pairs if (found := normalise(scheme, value))}


@dataclass(frozen=True)
class Conflict:
    """A cluster holding two values of a scheme an entity has one of: the records that
    carry them and their sources."""

    scheme: str
    values: tuple[str, ...]
    members: tuple[str, ...]
    sources: tuple[tuple[str, tuple[str, ...]], ...]
    """Each member IRI with the sources of its record."""

    def message(self) -> str:
        records = "; ".join(
            f"{iri} ({', '.join(sources) or 'no source'})" for iri, sources in self.sources
        )
        return (
            f"records joined as one entity carry {len(self.values)} {self.scheme} values "
            f"({', '.join(self.values)}): {records}"
        )


@dataclass
class Clusters:
    """Which records are one entity."""

    canonical: dict[str, str] = field(default_factory=dict)
    """Member IRI -> the canonical IRI, for the members of clusters of two or more."""
    members: dict[str, list[str]] = field(default_factory=dict)
    """Canonical IRI -> its member IRIs in code-point order, for clusters of two or more."""
    conflicts: list[Conflict] = field(default_factory=list)

    def canonical_of(self, iri: str) -> str:
        return self.canonical.get(iri, iri)

    def members_of(self, iri: str) -> list[str]:
        """Every record of the entity of ``iri`` (a member or its canonical IRI)."""
        return self.members.get(self.canonical_of(iri), [iri])

    def __bool__(self) -> bool:
        return bool(self.canonical)


class _Components:
    """A union-find over record IRIs that refuses a union joining a ``not same`` pair."""

    def __init__(self, apart: Iterable[tuple[str, str]]) -> None:
        self.parent: dict[str, str] = {}
        self.apart: dict[str, set[str]] = {}
        for a, b in apart:
            self.apart.setdefault(a, set()).add(b)
            self.apart.setdefault(b, set()).add(a)
        # root -> its members kept apart from someone, to check a union quickly
        self.marked: dict[str, set[str]] = {iri: {iri} for iri in self.apart}

    def find(self, iri: str) -> str:
        root = iri
        while (up := self.parent.get(root, root)) != root:
            root = up
        while iri != root:
            self.parent[iri], iri = root, self.parent.get(iri, iri)
        return root

    def union(self, a: str, b: str) -> bool:
        """Join ``a``'s and ``b``'s components; False when a judgement keeps them apart."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ma, mb = self.marked.get(ra, set()), self.marked.get(rb, set())
        if any(self.find(other) == rb for iri in ma for other in self.apart[iri]):
            return False
        if rb < ra:
            ra, rb, ma, mb = rb, ra, mb, ma
        self.parent[rb] = ra
        if mb:
            self.marked[ra] = ma | mb
            self.marked.pop(rb, None)
        return True


def _last_judgements(judgements: Iterable[Judgement]) -> dict[tuple[str, str], bool]:
    last: dict[tuple[str, str], bool] = {}
    for a, b, same in judgements:
        if a != b:
            last[(min(a, b), max(a, b))] = bool(same)
    return last


def clusters(entities: Mapping[str, Entity], judgements: Iterable[Judgement] = ()) -> Clusters:
    """The clusters of ``entities`` (IRI -> record) by their identifiers and judgements.

    Joins are made in one fixed order, whatever order the records come in: first the
    ``same`` judgements, pair by pair in code-point order, then the identifiers in
    code-point order, each joining its records (in IRI order) to the first before them
    they may join. A join that would put the two records of a ``not same`` judgement
    in one cluster is not made, so the records stay apart and the rest of each side
    still joins.
    """
    decided = _last_judgements(judgements)
    parts = _Components(pair for pair, same in decided.items() if not same)
    for a, b in sorted(pair for pair, same in decided.items() if same):
        if a in entities and b in entities:
            parts.union(a, b)
    carriers: dict[Identifier, list[str]] = {}
    carried: dict[str, set[Identifier]] = {}
    for iri, entity in entities.items():
        carried[iri] = identifiers_of(entity)
        for ident in carried[iri]:
            carriers.setdefault(ident, []).append(iri)
    for ident in sorted(carriers):
        members = sorted(carriers[ident])
        for i, iri in enumerate(members[1:], 1):
            any(parts.union(earlier, iri) for earlier in members[:i])
    grouped: dict[str, list[str]] = {}
    for iri in entities:
        if carried[iri] or iri in parts.parent or iri in parts.apart:
            grouped.setdefault(parts.find(iri), []).append(iri)
    found = Clusters()
    for members in grouped.values():
        if len(members) < 2:
            continue
        members.sort()
        with_lei = [m for m in members if any(s == LEI for s, _ in carried[m])]
        canonical = (with_lei or members)[0]
        found.members[canonical] = members
        found.canonical.update((m, canonical) for m in members)
        found.conflicts += _conflicts(members, carried, entities)
    found.members = dict(sorted(found.members.items()))
    found.conflicts.sort(key=lambda c: (c.members, c.scheme))
    return found


def _conflicts(
    members: list[str], carried: dict[str, set[Identifier]], entities: Mapping[str, Entity]
) -> list[Conflict]:
    conflicts = []
    for scheme in sorted(ONE_PER_ENTITY):
        values = {v for m in members for s, v in carried[m] if s == scheme}
        if len(values) < 2:
            continue
        holders = [m for m in members if any(s == scheme for s, _ in carried[m])]
        conflicts.append(
            Conflict(
                scheme=scheme,
                values=tuple(sorted(values)),
                members=tuple(holders),
                sources=tuple((m, tuple(entities[m].sources)) for m in holders),
            )
        )
    return conflicts


def merge_dataset(dataset: Dataset, found: Clusters) -> Dataset:
    """``dataset`` with every record of a cluster made its canonical entity (in place;
    returned for convenience). Entities of a cluster not in ``dataset`` are skipped."""
    if not found:
        return dataset
    to = found.canonical_of
    named = {h.id: (h.owner, h.owned) for h in dataset.holdings}
    named |= {r.id: (r.parent, r.child) for r in dataset.relations}
    for h in dataset.holdings:
        h.owner, h.owned = to(h.owner), to(h.owned)
    for r in dataset.relations:
        r.parent, r.child = to(r.parent), to(r.child)
    dataset.holdings = _one_fact_each(dataset.holdings, named)
    dataset.relations = _one_fact_each(dataset.relations, named)
    for e in dataset.events:
        e.participants = sorted({to(p) for p in e.participants})
        e.absorbed = sorted({to(p) for p in e.absorbed})
        e.survivor = to(e.survivor) if e.survivor else None
        e.issuer = to(e.issuer) if e.issuer else None
    for o in dataset.observations:
        o.subject = to(o.subject)
    entities: dict[str, Entity] = {}
    for iri, entity in dataset.entities.items():
        canonical = to(iri)
        if canonical == iri and iri not in found.members:
            entities[iri] = entity
        elif canonical not in entities:
            records = [dataset.entities[m] for m in found.members[canonical]
                       if m in dataset.entities]  # fmt: skip
            entities[canonical] = merged_entity(canonical, records)
    dataset.entities = entities
    dataset.merged_into.update((m, c) for m, c in found.canonical.items() if m != c)
    return dataset


def _one_fact_each(facts: list[F], named: dict[str, tuple[str, str]]) -> list[F]:
    """``facts`` (rewritten to canonical IRIs) with the reports of one fact by sources
    that name its parties by records of their own made one record.

    Records with the same values (parties, kind, figures, dates, status) whose parties
    were named by different records before the merge come from sources that could not
    know of each other: they state one fact, which counts once (the record first by
    IRI, citing every source). Records that named the same records stay as they are
    (:func:`~groupkg.graph.timemodel.stakes.distinct_records` adds them up unless they
    repeat one another exactly).
    """
    alike: dict[str, list[F]] = {}
    for fact in facts:
        values = {k: v for k, v in vars(fact).items() if k not in ("id", "sources")}
        alike.setdefault(repr(sorted(values.items())), []).append(fact)
    kept: list[F] = []
    for group in alike.values():
        if len({named[f.id] for f in group}) < 2:
            kept += group
            continue
        first = min(group, key=lambda f: f.id)
        first.sources = sorted({s for f in group for s in f.sources})
        kept.append(first)
    return sorted(kept, key=lambda f: f.id)


def merged_entity(canonical: str, records: list[Entity]) -> Entity:
    """One entity of the ``records`` of a cluster (in IRI order), named ``canonical``."""
    first = next((r for r in records if r.id == canonical), records[0])
    names = {r.label for r in records} | {r.legal_name for r in records if r.legal_name}
    # A record that knows the entity by an identifier only (a GLEIF Level 2 record's
    # LEI stands in for a name) adds no name.
    names -= {value for r in records for _, value in r.identifiers}
    names -= {lei for r in records for lei in r.facts.get("lei", [])}
    merged = replace(
        first,
        id=canonical,
        aliases=sorted({a for r in records for a in r.aliases} | names - {first.label}),
        identifiers=sorted({i for r in records for i in r.identifiers}),
        listings=sorted({x for r in records for x in r.listings}),
        sources=sorted({s for r in records for s in r.sources}),
        facts={key: list(values) for key, values in first.facts.items()},
        facts_since=dict(first.facts_since),
        listed_since=dict(first.listed_since),
        ticker_since=dict(first.ticker_since),
        records=[SourceRecord(r.id, r.label, tuple(r.sources)) for r in records],
    )
    for r in records:
        merged.incorporated = merged.incorporated or r.incorporated
        merged.dissolved = merged.dissolved or r.dissolved
        merged.legal_name = merged.legal_name or r.legal_name
        for key, values in r.facts.items():
            merged.facts[key] = sorted({*merged.facts.get(key, []), *values})
        for table, other in ((merged.listed_since, r.listed_since),
                             (merged.ticker_since, r.ticker_since),
                             (merged.facts_since, r.facts_since)):  # fmt: skip
            for key, day in other.items():
                table.setdefault(key, day)
    return merged
