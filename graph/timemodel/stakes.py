"""Stakes and the state of a group on one day, and the rules by which stakes add up.

A :class:`Span` is the days over which one holding or reported consolidation holds
(laid out by :class:`~groupkg.graph.timemodel.timeline.Timeline`); a :class:`Stake` is
one owner's interest in one owned entity on one day, with how it is known; a
:class:`Snapshot` is a group on one day. Interest kinds are never added together;
stakes of one pair and kind on one day add up (:func:`combine`, over the
:func:`distinct_records`), and per pair the kind :data:`WEIGHING` puts first weighs the
edge the analytics read (:func:`pair_stakes`).
"""

from __future__ import annotations

import datetime as _dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

# Interest kinds the analytics read (BODS interest types; a reported direct
# consolidation is a kind of its own). They are never added together.
from groupkg.graph.analytics.interests import BOARD, CONSOLIDATION, SHARES, UNKNOWN, VOTES
from groupkg.graph.model import Holding, Relation

if TYPE_CHECKING:
    import networkx as nx

__all__ = [
    "Span",
    "Stake",
    "Snapshot",
    "status_at",
    "interest_of",
    "distinct_records",
    "pair_stakes",
    "combine",
    "SHARES",
    "VOTES",
    "BOARD",
    "CONSOLIDATION",
    "UNKNOWN",
    "WEIGHING",
]

# Per measure, the kinds that weigh a pair's edge, first present first: ownership reads
# shares, else a reported consolidation, else an interest of unknown kind (which may be
# shares); control reads voting rights where stated, else that, else a right to appoint
# the board. Other kinds weigh in neither.
WEIGHING = {
    "ownership": (SHARES, CONSOLIDATION, UNKNOWN),
    "control": (VOTES, SHARES, CONSOLIDATION, UNKNOWN, BOARD),
}


@dataclass
class Span:
    """The days over which one holding or reported consolidation holds.

    ``natural_end`` is the end before the owner's own end is applied: what a survivor
    inherits when a merger ends the owner.
    """

    owner: str
    owned: str
    start: _dt.date | None
    end: _dt.date | None
    natural_end: _dt.date | None
    holding: Holding | None = None
    relation: Relation | None = None
    via: list[str] = field(default_factory=list)

    @property
    def sources(self) -> list[str]:
        fact = self.holding or self.relation
        return list(fact.sources) if fact else []

    @property
    def fact_id(self) -> str:
        fact = self.holding or self.relation
        return fact.id if fact else ""


@dataclass
class Stake:
    """One owner's interest in one owned entity on one day, with how it is known."""

    owner: str
    owned: str
    percent: float | None
    percent_min: float | None
    percent_max: float | None
    min_exclusive: bool = False
    max_exclusive: bool = False
    shares: int | None = None
    consolidated: bool = False
    holding: bool = True
    interest: str = SHARES
    """The interest kind: a BODS interest type, or ``directConsolidation``."""
    basis: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    facts: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)
    """How the facts behind the stake are known: stated, derived, assumed."""
    assumptions: list[dict[str, str]] = field(default_factory=list)
    """What in them is assumed: ``{"fact", "property", "reason"}``."""

    @property
    def assumed(self) -> bool:
        return bool(self.assumptions)

    @property
    def low(self) -> float:
        """Lower bound as a fraction; 0 when the percent is unknown."""
        value = self.percent if self.percent is not None else self.percent_min
        return (value or 0.0) / 100

    @property
    def high(self) -> float:
        """Upper bound as a fraction; 1 when the percent is unknown."""
        value = self.percent if self.percent is not None else self.percent_max
        return 1.0 if value is None else value / 100


@dataclass
class Snapshot:
    """A group on one day: who exists, and who holds or consolidates whom."""

    day: _dt.date
    status: dict[str, str]
    stakes: list[Stake]
    reported: list[tuple[Relation, Span]]
    unnamed: frozenset[str] = frozenset()
    _graphs: dict[tuple[bool, str], nx.DiGraph] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def active(self, entity_id: str) -> bool:
        return self.status.get(entity_id) == "active"

    def owners_of(self, entity_id: str) -> list[Stake]:
        return sorted((s for s in self.stakes if s.owned == entity_id), key=_stake_order)

    def holdings_of(self, entity_id: str) -> list[Stake]:
        return sorted((s for s in self.stakes if s.owner == entity_id), key=_stake_order)

    def graph(self, unnamed: bool = True, measure: str = "control") -> nx.DiGraph:
        """The graph of this day, in the shape the analytics take.

        One edge per owner and owned, from the stakes :func:`pair_stakes` picks:
        ``measure="control"`` weighs it by voting rights where stated, else shares
        (what :mod:`groupkg.graph.analytics.control` reads), ``measure="ownership"`` by shares
        (what :mod:`groupkg.graph.analytics.effective` reads). Edge attributes:
        ``low``/``high`` (fractions), ``low_exclusive``, ``high_exclusive``,
        ``consolidated`` (a reported consolidation or a right to appoint the board;
        control only), ``holding``, the ``stake`` weighed and all ``stakes`` of the
        pair. A bucket of unnamed holders is a node with ``unnamed=True``: it stands
        for many holders, so the control analytics leave its stakes out (it neither
        controls nor is anyone's parent); with ``unnamed=False`` the buckets and their
        stakes are left out of the graph itself.

        Each graph is built once per state and frozen (copy it to change it).
        """
        if measure not in ("control", "ownership"):
            raise ValueError(f"measure must be 'control' or 'ownership', not {measure!r}")
        graph = self._graphs.get((unnamed, measure))
        if graph is None:
            graph = self._graphs[(unnamed, measure)] = self._graph(unnamed, measure)
        return graph

    def _graph(self, unnamed: bool, measure: str) -> nx.DiGraph:
        import networkx as nx

        graph = nx.DiGraph()
        graph.add_nodes_from(
            e for e, s in sorted(self.status.items())
            if s == "active" and (unnamed or e not in self.unnamed)
        )  # fmt: skip
        pairs: dict[tuple[str, str], dict[str, Stake]] = defaultdict(dict)
        for stake in self.stakes:
            if unnamed or stake.owner not in self.unnamed:
                pairs[(stake.owner, stake.owned)][stake.interest] = stake
        for (owner, owned), kinds in pairs.items():
            ownership, control = pair_stakes(kinds)
            weighed = control if measure == "control" else ownership
            if weighed is None:
                continue
            consolidated = measure == "control" and (CONSOLIDATION in kinds or BOARD in kinds)
            graph.add_edge(
                owner,
                owned,
                low=weighed.low,
                high=weighed.high,
                low_exclusive=weighed.min_exclusive and weighed.percent is None,
                high_exclusive=weighed.max_exclusive and weighed.percent is None,
                consolidated=consolidated,
                holding=weighed.holding,
                stake=weighed,
                stakes=[kinds[k] for k in sorted(kinds)],
            )
        # The analytics know a bucket by this flag: its stakes never count towards control.
        graph.add_nodes_from(sorted(self.unnamed.intersection(graph)), unnamed=True)
        return nx.freeze(graph)


def _stake_order(stake: Stake) -> tuple[float, str, str, str]:
    return (-(stake.percent if stake.percent is not None else stake.low * 100), stake.owner,
            stake.owned, stake.interest)  # fmt: skip


def status_at(start: _dt.date | None, end: _dt.date | None, day: _dt.date) -> str:
    """``active``, ``dissolved`` or ``not yet incorporated`` for a lifetime ``[start, end)``.

    >>> import datetime as dt
    >>> status_at(dt.date(2009, 10, 1), dt.date(2014, 1, 1), dt.date(2013, 12, 31))
    'active'
    >>> status_at(dt.date(2009, 10, 1), dt.date(2014, 1, 1), dt.date(2014, 1, 1))
    'dissolved'
    """
    if start is not None and day < start:
        return "not yet incorporated"
    if end is not None and day >= end:
        return "dissolved"
    return "active"


def interest_of(fact: Holding | Relation) -> str:
    """The interest kind of a fact: a BODS interest type, or a reported relation's kind.

    >>> interest_of(Holding("h", "P", "A"))
    'shareholding'
    >>> interest_of(Relation("r", "direct", "P", "A"))
    'directConsolidation'
    """
    if isinstance(fact, Relation):
        return CONSOLIDATION if fact.kind == "direct" else f"{fact.kind}Consolidation"
    return fact.interest_type or SHARES


def distinct_records(facts: list) -> list:
    """The records of one pair and kind, an exact repeat of another counted once.

    Records that differ in any value or source are distinct, and distinct records of
    one day add up (a subsidiary listed at 92% and at 8% is held 100%); validation
    warns about both.
    """
    if len(facts) < 2:
        return list(facts)
    seen: dict[tuple, object] = {}
    for fact in sorted(facts, key=lambda f: f.id):
        values = {k: v for k, v in vars(fact).items() if k not in ("id", "sources")}
        key = (repr(sorted(values.items())), tuple(sorted(fact.sources)))
        seen.setdefault(key, fact)
    return list(seen.values())


def combine(first: Stake, second: Stake) -> Stake:
    """Two stakes of one owner in one entity, of one kind, on one day: they add up.

    Distinct records of one day (a subsidiary listed at 92% and 8%), or a stake the
    owner holds beside one inherited by merger, capped at 100%.
    """

    def add(a: float | None, b: float | None) -> float | None:
        return None if a is None or b is None else min(a + b, 100.0)

    low_a = first.percent if first.percent is not None else first.percent_min
    low_b = second.percent if second.percent is not None else second.percent_min
    high_a = first.percent if first.percent is not None else first.percent_max
    high_b = second.percent if second.percent is not None else second.percent_max
    both_exact = first.percent is not None and second.percent is not None
    return Stake(
        first.owner,
        first.owned,
        add(first.percent, second.percent) if both_exact else None,
        None if both_exact else add(low_a or 0.0, low_b or 0.0),
        None if both_exact else add(high_a, high_b),
        shares=(first.shares + second.shares)
        if first.shares is not None and second.shares is not None
        else None,
        consolidated=first.consolidated or second.consolidated,
        holding=first.holding or second.holding,
        interest=first.interest,
        basis=list(dict.fromkeys(first.basis + second.basis)),
        sources=sorted(set(first.sources + second.sources)),
        facts=first.facts + second.facts,
        status=list(dict.fromkeys(first.status + second.status)),
        assumptions=first.assumptions + second.assumptions,
    )


def pair_stakes(stakes: dict[str, Stake]) -> tuple[Stake | None, Stake | None]:
    """The stakes of one owner in one entity on one day that the analytics read.

    ``stakes`` maps interest kind -> the stake of that kind. Returns the stake
    ownership figures use (shares; else a reported consolidation, with its
    percentage or as an unknown stake; else an interest of unknown kind, which may
    be shares) and the stake control uses (voting rights where stated, else the
    ownership stake, else a right to appoint the board, an unknown stake). Kinds
    are never added together; other kinds (other influence, trusteeship...) are
    listed by ``owners`` but weigh in neither figure.
    """
    ownership, control = (
        next((stakes[k] for k in WEIGHING[m] if k in stakes), None)
        for m in ("ownership", "control")
    )
    return ownership, control
