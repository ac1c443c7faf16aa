"""What ``groupkg links NAME`` shows of one entity: the source records merged into it,
each with the identifiers that joined it to the others; the judgements about its
records; and its *look-alikes*, entities never merged with it whose name and
jurisdiction suggest they may be the same.

A look-alike of an entity is another entity one of whose names, folded and without its
legal form (the name keys of :mod:`groupkg.graph.facts.namekeys`: ``"Acme Holdings
Ltd"`` and ``"ACME HOLDINGS plc"`` are both ``"acme holdings"``), is one of the
entity's, in the same jurisdiction (or where neither states one). A look-alike is only a
suggestion: names never merge records; a ``links --same`` judgement does.

>>> from groupkg.graph.model import Entity
>>> acme = Entity("urn:a", "Acme Holdings Ltd", facts={"jurisdiction": ["GB"]})
>>> twin = Entity("urn:b", "ACME HOLDINGS PLC", facts={"jurisdiction": ["GB"]})
>>> other = Entity("urn:c", "Acme Holdings Inc.", facts={"jurisdiction": ["US"]})
>>> [(found["id"], found["why"]) for found in lookalikes([acme], [twin, other])]
[('urn:b', "the same name without legal form ('acme holdings') and jurisdiction (GB)")]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any

from groupkg.graph.facts.identity import identifiers_of
from groupkg.graph.facts.judgements import Judgement, read_judgements
from groupkg.graph.facts.namekeys import fold, without_legal_form
from groupkg.graph.facts.records import entities_from_rows
from groupkg.graph.facts.storenames import short_name_candidates
from groupkg.graph.model import Dataset, Entity
from groupkg.graph.store import Store, iter_rows, sparql_iri

__all__ = [
    "entity_links",
    "jurisdictions",
    "lookalikes",
    "name_keys_of",
    "record_json",
    "stored_records",
]


def names_of(entity: Entity) -> list[str]:
    """The names of a record, its label first, each once."""
    names = [entity.label, *([entity.legal_name] if entity.legal_name else []), *entity.aliases]
    return list(dict.fromkeys(names))


def name_keys_of(entities: Iterable[Entity]) -> set[str]:
    """The names of ``entities`` folded and without legal form."""
    return {without_legal_form(fold(n)) for e in entities for n in names_of(e) if n.strip()}


def jurisdictions(entities: Iterable[Entity]) -> set[str]:
    """The jurisdictions ``entities`` state, upper case."""
    return {j.strip().upper() for e in entities for j in e.facts.get("jurisdiction", [])}


def record_json(
    record: Entity, others: Sequence[Entity], judged: Sequence[Judgement], sources: list[str]
) -> dict[str, Any]:
    """One source record of a merged entity: its IRI, names, sources and identifiers,
    the identifiers it shares with the entity's other records (``joined_by``) and the
    records a judgement says it is one entity with (``judged_same_as``)."""
    shared = set().union(*(identifiers_of(o) for o in others)) if others else set()
    joined = sorted(identifiers_of(record) & shared)
    same_as = sorted(
        {j.record_b if j.record_a == record.id else j.record_a for j in judged if j.same}
        & {o.id for o in others}
    )
    return {
        "id": record.id,
        "name": record.label,
        "names": names_of(record),
        "sources": sources,
        "identifiers": [{"scheme": s, "value": v} for s, v in sorted(record.identifiers)],
        "joined_by": [{"scheme": s, "value": v} for s, v in joined],
        "judged_same_as": same_as,
    }


def lookalikes(records: Sequence[Entity], candidates: Iterable[Entity]) -> list[dict[str, Any]]:
    """The ``candidates`` that look like the entity of ``records`` (see the module's
    docstring), each with why, in IRI order; ``candidates`` are other entities (not
    records of this one, nor records a judgement keeps apart from it)."""
    keys, places = name_keys_of(records), jurisdictions(records)
    found = []
    for candidate in sorted(candidates, key=lambda c: c.id):
        common = sorted(keys & name_keys_of([candidate]))
        theirs = jurisdictions([candidate])
        if not common or theirs != places and not (theirs & places):
            continue
        where = f"jurisdiction ({', '.join(sorted(theirs & places))})" if theirs else (
            "no jurisdiction stated")  # fmt: skip
        found.append(
            {
                "id": candidate.id,
                "name": candidate.label,
                "jurisdiction": ", ".join(sorted(theirs)) or None,
                "why": f"the same name without legal form ({common[0]!r}) and {where}",
            }
        )
    return found


def stored_records(store: Store, ids: Iterable[str]) -> dict[str, Entity]:
    """The records of ``ids`` as the store holds them, each on its own (not merged)."""
    wanted = sorted(i for i in set(ids) if not i.startswith("_:"))
    found: dict[str, Entity] = {}
    for start in range(0, len(wanted), 500):
        chunk = " ".join(sparql_iri(i) for i in wanted[start : start + 500])
        found.update(entities_from_rows(iter_rows(store, "scope-entities", entities=chunk)))
    return found


def entity_links(
    store: Store, dataset: Dataset, entity_id: str, source_label: Callable[[str], str]
) -> dict[str, Any]:
    """The links of the entity ``entity_id`` of ``dataset`` (read from ``store``): its
    ``records``, the ``judgements`` about them and its ``lookalikes`` (see
    ``docs/json.md``, ``links``)."""
    members = {entity_id} | {m for m, c in dataset.merged_into.items() if c == entity_id}
    stored = stored_records(store, members)
    records = [stored.get(m) or dataset.entities[m] for m in sorted(members)
               if m in stored or m in dataset.entities]  # fmt: skip
    judgements = read_judgements(store)
    about = [j for j in judgements if {j.record_a, j.record_b} & members]
    apart = {j.record_a if j.record_b in members else j.record_b for j in about if not j.same}
    found: set[str] = set()
    for key in sorted(name_keys_of(records)):
        found.update(short_name_candidates(store, key))
    others = [
        e for iri, e in stored_records(store, found - members).items()
        if dataset.canonical(iri) != entity_id and iri not in apart
    ]  # fmt: skip
    return {
        "entity": dataset.ref(entity_id).to_json(),
        "records": [
            record_json(
                r,
                [o for o in records if o.id != r.id],
                about,
                [source_label(s) for s in r.sources],
            )
            for r in records
        ],
        "judgements": [j.to_json() for j in about],
        "lookalikes": lookalikes(records, others),
    }
