"""The facts of a corporate group as plain Python values, read from the store.

These records mirror the RDF patterns of ``ontology/README.md`` one to one; the time
model (:mod:`groupkg.graph.timemodel.timeline`) turns them into the state at a date.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field

from groupkg.graph.dates import PartialDate

__all__ = [
    "EntityRef",
    "Entity",
    "SourceRecord",
    "Holding",
    "Relation",
    "Event",
    "Observation",
    "Dataset",
    "local_id",
]

ENTITY_KINDS = ("legal", "person", "trust", "fund", "unnamed")

#: The IRI namespace of the groupkg ontology (``gk:``); :mod:`groupkg.graph.vocab`
#: names its terms. Kept here, free of rdflib, for readers that only need the text.
NAMESPACE = "https://w3id.org/groupkg/ontology#"


def local_id(iri: str) -> str:
    """The last segment of an IRI: what a user may type instead of the whole IRI.

    >>> local_id("https://w3id.org/groupkg/data/iij/iij-exlayer")
    'iij-exlayer'
    """
    for sep in ("#", "/", ":"):
        if sep in iri.rstrip(sep):
            return iri.rstrip(sep).rsplit(sep, 1)[1]
    return iri


@dataclass(frozen=True)
class EntityRef:
    """An entity as answers name it: its IRI and its label."""

    id: str
    name: str

    def to_json(self) -> dict[str, str]:
        return {"id": self.id, "name": self.name}


@dataclass(frozen=True)
class SourceRecord:
    """One source record of an entity merged from several (see
    :mod:`groupkg.graph.facts.identity`): its own IRI, its label and its sources."""

    id: str
    label: str
    sources: tuple[str, ...] = ()


@dataclass
class Entity:
    """A company, person, trust, fund or bucket of unnamed holders."""

    id: str
    label: str
    kind: str = "legal"
    legal_name: str | None = None
    aliases: list[str] = field(default_factory=list)
    incorporated: PartialDate | None = None
    dissolved: PartialDate | None = None
    identifiers: list[tuple[str, str]] = field(default_factory=list)
    listings: list[str] = field(default_factory=list)
    listed_since: dict[str, PartialDate] = field(default_factory=dict)
    """Listing text -> the date it starts, for listings that give one."""
    ticker_since: dict[str, PartialDate] = field(default_factory=dict)
    """Ticker of a dated listing -> the listing's date: an identifier with that value
    (an exchange's code for the stock) is not shown before it."""
    facts: dict[str, list[str]] = field(default_factory=dict)
    facts_since: dict[str, PartialDate] = field(default_factory=dict)
    """Fact key -> the date a source states it as of (not shown for earlier days)."""
    sources: list[str] = field(default_factory=list)
    records: list[SourceRecord] = field(default_factory=list)
    """The source records merged into this entity, when there are several."""
    #: When the entity's record became known (``gk:knownFrom``); None: always.
    known_from: _dt.date | None = None

    @property
    def ref(self) -> EntityRef:
        return EntityRef(self.id, self.label)

    @property
    def listed(self) -> bool:
        return bool(self.listings)


@dataclass
class Holding:
    """A recorded holding: an owner's stake in an owned entity, as the source gives it.

    ``percent`` or the range (``percent_min``/``percent_max``) may be unknown; an
    observed holding has ``as_of`` and is carried forward from it, a stated one has
    ``valid_from``/``valid_to``.
    """

    id: str
    owner: str
    owned: str
    percent: float | None = None
    percent_min: float | None = None
    percent_max: float | None = None
    min_exclusive: bool = False
    max_exclusive: bool = False
    shares: int | None = None
    share_class: str | None = None
    interest_type: str | None = None
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    as_of: PartialDate | None = None
    status: str = "stated"
    sources: list[str] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    #: When the record became known (``gk:knownFrom``, else its latest source's date);
    #: None: not recorded (:mod:`groupkg.graph.timemodel.knowledge`).
    known_from: _dt.date | None = None
    #: The records this one corrects (``gk:supersedes``), from its ``known_from`` on.
    supersedes: list[str] = field(default_factory=list)
    #: Whether ``known_from`` is the latest date of its sources, not stated.
    known_from_sources: bool = False
    """Assumed property (local name) -> the reason; ``"fact"`` for a wholly assumed fact."""


@dataclass
class Relation:
    """A reported relation without a shareholding percent (GLEIF Level 2 style)."""

    id: str
    kind: str  # "direct", "ultimate", "branch", "fund-management", "sub-fund", "feeder"
    parent: str
    child: str
    percent: float | None = None
    valid_from: PartialDate | None = None
    valid_to: PartialDate | None = None
    as_of: PartialDate | None = None
    status: str = "stated"
    sources: list[str] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    relationship_status: str | None = None
    #: When the record became known (``gk:knownFrom``, else its latest source's date);
    #: None: not recorded (:mod:`groupkg.graph.timemodel.knowledge`).
    known_from: _dt.date | None = None
    #: The records this one corrects (``gk:supersedes``), from its ``known_from`` on.
    supersedes: list[str] = field(default_factory=list)
    #: Whether ``known_from`` is the latest date of its sources, not stated.
    known_from_sources: bool = False
    """The status the source gives the relation (GLEIF ``ACTIVE``/``INACTIVE``)."""


@dataclass
class Event:
    """A dated corporate event: merger, split, issuance, grant, amendment, lock-up."""

    id: str
    type: str
    label: str | None = None
    announced: PartialDate | None = None
    effective: PartialDate | None = None
    participants: list[str] = field(default_factory=list)
    survivor: str | None = None
    absorbed: list[str] = field(default_factory=list)
    issuer: str | None = None
    split_ratio: float | None = None
    new_shares: int | None = None
    status: str = "stated"
    assumed: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    assumptions: dict[str, str] = field(default_factory=dict)
    #: When the record became known (``gk:knownFrom``, else its latest source's date);
    #: None: not recorded (:mod:`groupkg.graph.timemodel.knowledge`).
    known_from: _dt.date | None = None
    #: The records this one corrects (``gk:supersedes``), from its ``known_from`` on.
    supersedes: list[str] = field(default_factory=list)
    #: Whether ``known_from`` is the latest date of its sources, not stated.
    known_from_sources: bool = False
    #: At most this many new shares (``gk:newSharesIssuedMax``): "up to" a figure.
    new_shares_max: int | None = None


@dataclass
class Observation:
    """A figure about an entity as of a date or for a period."""

    id: str
    subject: str
    measure: str
    value: float
    unit: str | None = None
    as_of: PartialDate | None = None
    period_start: PartialDate | None = None
    period_end: PartialDate | None = None
    basis: str | None = None
    kind: str | None = None
    status: str = "stated"
    sources: list[str] = field(default_factory=list)
    #: When the record became known (``gk:knownFrom``, else its latest source's date);
    #: None: not recorded (:mod:`groupkg.graph.timemodel.knowledge`).
    known_from: _dt.date | None = None
    #: The records this one corrects (``gk:supersedes``), from its ``known_from`` on.
    supersedes: list[str] = field(default_factory=list)
    #: Whether ``known_from`` is the latest date of its sources, not stated.
    known_from_sources: bool = False
    #: A figure stated as a range (``gk:valueMin``/``gk:valueMax``); ``value`` is its
    #: upper end.
    value_min: float | None = None
    value_max: float | None = None


@dataclass
class Dataset:
    """Everything the analytics need, read from a store in a few queries."""

    entities: dict[str, Entity] = field(default_factory=dict)
    holdings: list[Holding] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    merged_into: dict[str, str] = field(default_factory=dict)
    """IRI of a source record merged into another entity -> that entity's IRI."""

    def canonical(self, entity_id: str) -> str:
        """The IRI answers name the entity of ``entity_id`` by (itself unless merged)."""
        return self.merged_into.get(entity_id, entity_id)

    def ref(self, entity_id: str) -> EntityRef:
        """The reference of an entity; an id with no entity record is named by its id."""
        entity = self.entities.get(self.canonical(entity_id))
        return entity.ref if entity else EntityRef(entity_id, local_id(entity_id))

    def source_label(self, source_id: str) -> str:
        return self.sources.get(source_id, source_id)
