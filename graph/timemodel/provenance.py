"""What the time model knows of each row of a register, kept beside its columns.

A :class:`~groupkg.graph.timemodel.register.Register` built with provenance holds, for each row,
the time model's :class:`~groupkg.graph.timemodel.stakes.Stake` (sources, basis, status,
assumptions, share count), the reported relations other than direct consolidations,
the entities' labels and kinds, the sources' titles and the reasons of assumed ends:
everything an answer prints. Saved beside an ``oxigraph:PATH`` store, these are
packed as JSON texts in a few byte arrays with offsets, memory-mapped with the
columns, so a question decodes only the rows it reads.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Iterator, Sequence
from typing import Any, Generic, NamedTuple, TypeVar, overload

import numpy as np

from groupkg.graph.dates import parse_partial_date
from groupkg.graph.model import Entity, Relation, SourceRecord
from groupkg.graph.timemodel.stakes import Span, Stake
from groupkg.graph.timemodel.timeline import IssuedShares

__all__ = ["EntityRecord", "Packed", "Provenance", "pack", "unpack"]

#: An entity's own facts and the count of its issued shares over time (None: no
#: record of the entity, only facts that name it).
EntityRecord = tuple[Entity | None, IssuedShares]

T = TypeVar("T")


class Provenance(NamedTuple):
    """What a register built with provenance knows beyond its columns."""

    #: The time model's stake of each row (by the row's ``origin``).
    stakes: Sequence[Stake]
    #: Reported relations other than direct consolidations, with their spans.
    reported: Sequence[Span]
    #: ``(label, kind)`` of each entity by position ('' kind: no entity record).
    entities: Sequence[tuple[str, str]]
    #: Each entity's own facts and issued shares, by position (None: not kept).
    records: Sequence[EntityRecord] | None
    #: Source IRI -> its title.
    sources: dict[str, str]
    #: Entity -> why its end is assumed (an assumed merger).
    assumed_ends: dict[str, list[str]]


_RELATION_DATES = ("valid_from", "valid_to", "as_of")


def _blob(texts: list[str], name: str) -> dict[str, np.ndarray]:
    encoded = [t.encode("utf-8") for t in texts]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    if encoded:
        offsets[1:] = np.cumsum([len(e) for e in encoded])
    data = np.frombuffer(b"".join(encoded), dtype=np.uint8) if encoded else np.zeros(0, np.uint8)
    return {f"{name}_blob": data, f"{name}_offsets": offsets}


class Packed(Sequence[T], Generic[T]):
    """A read-only sequence of values decoded, when first read, from a packed blob."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, decode: Any):
        self._blob, self._offsets, self._decode = blob, offsets, decode
        self._cache: dict[int, T] = {}

    def __len__(self) -> int:
        return int(self._offsets.shape[0]) - 1

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> list[T]: ...

    def __getitem__(self, index: int | slice) -> T | list[T]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError(index)
        found = self._cache.get(index)
        if found is None:
            first, last = int(self._offsets[index]), int(self._offsets[index + 1])
            found = self._cache[index] = self._decode(bytes(self._blob[first:last]))
        return found

    def __iter__(self) -> Iterator[T]:
        return (self[i] for i in range(len(self)))


def _stake_json(stake: Stake) -> str:
    return json.dumps(vars(stake), ensure_ascii=False, separators=(",", ":"))


def _stake(text: bytes) -> Stake:
    return Stake(**json.loads(text))


def _day(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None


def _span_json(span: Span) -> str:
    relation = span.relation
    assert relation is not None
    fields = {k: v for k, v in vars(relation).items() if k not in _RELATION_DATES}
    fields.update({k: str(getattr(relation, k)) for k in _RELATION_DATES if getattr(relation, k)})
    fields["known_from"] = _day(relation.known_from)
    return json.dumps(
        {"relation": fields, "start": _day(span.start), "end": _day(span.end), "via": span.via},
        ensure_ascii=False, separators=(",", ":"),
    )  # fmt: skip


def _span(text: bytes) -> Span:
    found = json.loads(text)
    fields = found["relation"]
    for key in _RELATION_DATES:
        if key in fields:
            fields[key] = parse_partial_date(fields[key])
    if fields.get("known_from"):
        fields["known_from"] = _dt.date.fromisoformat(fields["known_from"])
    relation = Relation(**fields)
    start, end = (_dt.date.fromisoformat(d) if d else None for d in (found["start"], found["end"]))
    return Span(relation.parent, relation.child, start, end, end, relation=relation,
                via=found["via"])  # fmt: skip


def _entity(text: bytes) -> tuple[str, str]:
    label, kind = json.loads(text)
    return label, kind


_ENTITY_DATES = ("incorporated", "dissolved")
_ENTITY_DATED = ("listed_since", "ticker_since", "facts_since")


def _record_json(record: EntityRecord) -> str:
    """An entity's record as JSON: the fields other than their defaults; '' for none."""
    entity, issued = record
    fields: dict[str, Any] = {}
    if entity is not None:
        for key, value in vars(entity).items():
            if value is None or value == [] or value == {}:
                continue
            if key in _ENTITY_DATES:
                value = str(value)
            elif key == "known_from":
                value = value.isoformat()
            elif key in _ENTITY_DATED:
                value = {k: str(v) for k, v in value.items()}
            elif key == "records":
                value = [[r.id, r.label, list(r.sources)] for r in value]
            fields[key] = value
    if issued.points:
        fields["issued"] = [[d.isoformat(), n] for d, n in issued.points]
    text = json.dumps(fields, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return text if fields else ""


def _record(text: bytes) -> EntityRecord:
    fields = json.loads(text) if text else {}
    issued = IssuedShares([(_dt.date.fromisoformat(d), n) for d, n in fields.pop("issued", [])])
    if "id" not in fields:
        return None, issued
    for key in _ENTITY_DATES:
        if key in fields:
            fields[key] = parse_partial_date(fields[key])
    if "known_from" in fields:
        fields["known_from"] = _dt.date.fromisoformat(fields["known_from"])
    for key in _ENTITY_DATED:
        if key in fields:
            fields[key] = {k: parse_partial_date(v) for k, v in fields[key].items()}
    if "identifiers" in fields:
        fields["identifiers"] = [tuple(pair) for pair in fields["identifiers"]]
    if "records" in fields:
        fields["records"] = [SourceRecord(i, label, tuple(s)) for i, label, s in fields["records"]]
    return Entity(**fields), issued


def pack(provenance: Provenance) -> dict[str, np.ndarray]:
    """The provenance of a register as arrays to save with its columns (entities and
    records in the order of the register's ids)."""
    meta = {"sources": provenance.sources, "assumed_ends": provenance.assumed_ends}
    return {
        **_blob([_stake_json(s) for s in provenance.stakes], "stake"),
        **_blob([_span_json(s) for s in provenance.reported], "reported"),
        **_blob([json.dumps(list(e), ensure_ascii=False) for e in provenance.entities], "entity"),
        **_blob([_record_json(r) for r in provenance.records or ()], "record"),
        **_blob([json.dumps(meta, ensure_ascii=False, sort_keys=True)], "meta"),
    }


def unpack(arrays: dict[str, np.ndarray]) -> Provenance | None:
    """The provenance saved with a register's columns (None when it has none)."""
    if "stake_blob" not in arrays:
        return None
    meta = json.loads(bytes(arrays["meta_blob"]).decode("utf-8"))
    return Provenance(
        stakes=Packed(arrays["stake_blob"], arrays["stake_offsets"], _stake),
        reported=Packed(arrays["reported_blob"], arrays["reported_offsets"], _span),
        entities=Packed(arrays["entity_blob"], arrays["entity_offsets"], _entity),
        records=(
            Packed(arrays["record_blob"], arrays["record_offsets"], _record)
            if "record_blob" in arrays
            else None
        ),
        sources=meta["sources"],
        assumed_ends=meta["assumed_ends"],
    )
