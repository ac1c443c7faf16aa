"""A loaded group and the questions users ask of it, answered as JSON-ready dicts.

Each method of :class:`Group` answers one command of the command line and one route of
the server's API, in the shape ``docs/json.md`` gives; the command line and the server
only print or send what comes back.
"""

from __future__ import annotations

import datetime as _dt
import math
import os
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from groupkg.graph.dates import Day, as_day, day_before
from groupkg.graph.errors import InputError
from groupkg.graph.factrules import check_dataset
from groupkg.graph.facts.loader import load_dataset, neighbourhood
from groupkg.graph.facts.names import NameTable, UnknownName
from groupkg.graph.facts.storeidentity import read_once
from groupkg.graph.facts.storenames import resolve_in_store
from groupkg.graph.model import Dataset, Entity, Event, Holding, Relation
from groupkg.graph.store import Store, iter_rows
from groupkg.graph.timemodel.knowledge import visible
from groupkg.graph.timemodel.register import Register, completion
from groupkg.graph.timemodel.stakes import Snapshot, Stake, status_at
from groupkg.graph.timemodel.timeline import SHARE_ISSUES, IssuedShares, Timeline, effective_day

if TYPE_CHECKING:
    from collections.abc import Mapping

    import networkx as nx

    from groupkg.graph.frames import QueryRows
    from groupkg.graph.timemodel.diff import GroupDiff

__all__ = ["Group", "store_info"]

# The events that change an issuer's issued shares, which stakes are measured against.
_SHARE_EVENTS = frozenset({"StockSplit", *SHARE_ISSUES})


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 1e15 else rounded


def _bounds(low: float, high: float) -> dict[str, float | None]:
    """``percent`` (``None`` when the bounds differ), ``percent_min``, ``percent_max``."""
    low_, high_ = _num(low), _num(high)
    return {"percent": low_ if low_ == high_ else None, "percent_min": low_, "percent_max": high_}


def _percent_fields(stake: Stake) -> dict[str, float | None]:
    """``percent``, ``percent_min``, ``percent_max`` of a stake, the same figures the
    text shows: a range with one bound stated has the other at 0 or 100, and a range
    whose bounds meet (at least 100%) is that percent."""
    if stake.percent is not None:
        value = _num(stake.percent)
        return {"percent": value, "percent_min": value, "percent_max": value}
    if stake.percent_min is None and stake.percent_max is None:
        return {"percent": None, "percent_min": None, "percent_max": None}
    low = _num(stake.percent_min if stake.percent_min is not None else 0.0)
    high = _num(stake.percent_max if stake.percent_max is not None else 100.0)
    exact = low == high and not (stake.min_exclusive or stake.max_exclusive)
    return {"percent": low if exact else None, "percent_min": low, "percent_max": high}


def _pct(fraction: float) -> float | None:
    return _num(fraction * 100)


def not_yet_known(
    name: str, known_at: _dt.date, error: UnknownName, everything: Callable[[], str]
) -> UnknownName:
    """``error`` (``name`` names no entity as known on ``known_at``), or, when
    ``everything`` (the name resolved against everything known) finds the entity, that
    it was not yet known then, rather than closest names that include itself."""
    try:
        entity_id = everything()
    except InputError:
        return error
    return UnknownName(
        f"{name!r} ({entity_id}) is not known as of {known_at.isoformat()}: "
        "no record known by then names it",
        name,
    )


class Group:
    """The questions users ask of a corporate group, answered as JSON-ready dicts.

    A ``Group`` holds the facts of a store (:class:`~groupkg.graph.model.Dataset`), their
    time model (:class:`~groupkg.graph.timemodel.timeline.Timeline` and its columns,
    :class:`~groupkg.graph.timemodel.register.Register`) and the control threshold. Each
    answer method takes names (resolved as :meth:`resolve` does) and a day, and returns
    exactly what ``groupkg COMMAND --json`` prints and ``/api/COMMAND`` answers: the
    shapes are in ``docs/json.md``, the rules and definitions behind them in
    ``docs/rules.md`` and ``docs/definitions.md``.

    A day (:data:`~groupkg.graph.dates.Day`) may be an ISO string (``"2013-12-31"``), a
    :class:`datetime.date`, a :class:`datetime.datetime` or pandas ``Timestamp`` (its
    own calendar date) or a numpy ``datetime64``; anything else raises
    :class:`~groupkg.graph.errors.InputError` (:func:`~groupkg.graph.dates.as_day`).
    A name that is not text raises ``InputError`` too.

    Parameters
    ----------
    store : Store
        Where the facts are (``open_store("memory")``: the ontology and the IIJ data).
    threshold : float
        Control threshold in percent: control means strictly more (default 50).
    dataset : Dataset, optional
        The facts, when already read; by default all of ``store`` is read. A dataset
        given is checked first (:func:`~groupkg.graph.factrules.check_dataset`): a
        percent outside 0-100 or not finite, an owner that is no entity of it... raise
        a ``BadInput`` (an ``InputError``) naming each holding and field.
    register : Register, optional
        The time model of the whole store, when already built or opened (see
        :meth:`model`); by default it is built from ``dataset``.
    scope : list of str, optional
        The entities a question names, when only their group is read (:meth:`model`).
    check : bool
        Whether a ``dataset`` given is checked; a dataset read from a store is taken as
        the store holds it (``groupkg validate`` reports on a store's data).
    known_at : datetime.date, optional
        Answer from what was known on this day: the records visible then
        (:func:`~groupkg.graph.timemodel.knowledge.visible`); by default everything
        known. A ``register`` given must be the one of that day
        (:meth:`Register.from_store` with ``known_at``).

    Attributes
    ----------
    store : Store
        The store the facts come from.
    threshold : float
        The control threshold in percent.
    dataset : Dataset
        The facts read that are visible as known on :attr:`known_at`: entities,
        holdings, relations, events (scheduled ones marked so), observations, sources.
    records : Dataset
        Every record read, superseded or not yet known ones too.
    known_at : datetime.date or None
        The day whose knowledge the answers give; None: everything known.
    timeline : Timeline
        The time model of ``dataset``: lifetimes, spans, mergers applied, issued shares.
    register : Register
        The columns every answer is read from.
    scope : list of str or None
        The entities named, when only their group is read; None when all is.
    names : NameTable
        The names of the entities read, for :meth:`resolve`.
    resolved : dict of str to str
        Names already resolved by the whole store (:meth:`around`, :meth:`model`).
    complete : bool
        Whether :attr:`dataset` holds every fact of the store (not so of a group answered
        from the cached model, :meth:`model` and :meth:`whole`, which reads facts as the
        answers need them).

    Examples
    --------
    A toy group: Parent holds 60% of Alpha, which holds 30% of Beta.

    >>> from datetime import date
    >>> from groupkg.graph.model import Dataset, Entity, Holding
    >>> from groupkg.graph.store import open_store
    >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
    >>> toy = Dataset(
    ...     {e: Entity(e, e.title()) for e in ["parent", "alpha", "beta"]},
    ...     [Holding("h1", "parent", "alpha", 60.0), Holding("h2", "alpha", "beta", 30.0)],
    ... )
    >>> group = Group(empty, dataset=toy)
    >>> group.paths("Alpha", date(2024, 1, 1))["ultimate_parent"]
    {'id': 'parent', 'name': 'Parent'}
    >>> group.effective("Parent", "Beta", date(2024, 1, 1))["percent"]
    18
    """

    def __init__(
        self,
        store: Store,
        threshold: float = 50.0,
        dataset: Dataset | None = None,
        register: Register | None = None,
        scope: list[str] | None = None,
        *,
        check: bool = True,
        known_at: _dt.date | None = None,
    ):
        if dataset is not None and check:
            check_dataset(dataset)
        self.store = store
        self.threshold = threshold
        self.known_at = known_at
        self.records: Dataset = dataset if dataset is not None else load_dataset(store)
        self.dataset: Dataset = self._visible(self.records)
        self.timeline = Timeline(self.dataset)
        #: The columns every answer is read from: the time model of the whole store
        #: (:meth:`model`) or of the facts read here.
        self.register = register if register is not None else self.timeline.register()
        #: The entities a question names, when only their group is read (:meth:`model`).
        self.scope = scope
        if register is not None:
            self.dataset.sources = {**register.sources, **self.dataset.sources}
        self.names = NameTable.from_dataset(self.dataset)
        #: Names already resolved by the whole store (:meth:`around`).
        self.resolved: dict[str, str] = {}
        self._snapshot = lru_cache(maxsize=32)(self._state)
        #: Entities whose own facts (and issued shares) were read (:meth:`describe`),
        #: with the time model of their share counts.
        self._described: dict[str, Timeline | IssuedShares] = dict.fromkeys(
            scope or [], self.timeline
        )
        #: Whether :attr:`dataset` holds every fact of the store; not so for a group read
        #: from the cached model (:meth:`model`, :meth:`whole`), whose facts are read
        #: when an answer needs them.
        self.complete = scope is None and register is None
        self._timeline_members: list[str] | None = None
        self._member_events: dict[str, Event] = {}
        #: Entities whose events were read beside the named ones' (:meth:`_events_of`).
        self._events_read: set[str] = set(scope or [])
        self._events_by_id: dict[str, Event] = {}

    def __repr__(self) -> str:
        """What the group is read from and how much of it is read.

        Examples
        --------
        >>> from groupkg.graph.store import open_store
        >>> Group(open_store("memory"))
        <Group of memory: 15 entities, 20 holdings, 12 events read; threshold 50%>
        """
        d = self.dataset
        read = f"{len(d.entities)} entities, {len(d.holdings)} holdings, {len(d.events)} events"
        of = f"{self.store.description}, around {len(self.scope)} named" if self.scope else (
            self.store.description)  # fmt: skip
        return f"<Group of {of}: {read} read; threshold {self.threshold:g}%>"

    def _visible(self, read: Dataset) -> Dataset:
        """The records of ``read`` visible as known on :attr:`known_at`."""
        return visible(read, self.known_at)

    def known(self, known_at: _dt.date | None) -> Group:
        """The same facts answered as known on ``known_at`` (None: everything known),
        without reading them again: of a group that read the whole store.

        >>> from groupkg.graph.store import open_store
        >>> group = Group(open_store("memory"))
        >>> len(group.known(_dt.date(2010, 3, 1)).dataset.events)
        2
        """
        if known_at == self.known_at:
            return self
        if not self.complete:
            raise ValueError("only a group that read the whole store is asked again")
        return Group(self.store, self.threshold, self.records, check=False, known_at=known_at)

    @classmethod
    def around(
        cls, store: Store, names: list[str], threshold: float = 50.0,
        known_at: _dt.date | None = None,
    ) -> Group:  # fmt: skip
        """The group of ``store`` a question about ``names`` needs: their neighbourhood.

        The names are resolved by the store, then only the facts of the entities linked to
        them by holdings, relations or mergers (through any number of links) are read, in a
        few queries. The command line answers this way from a ``sparql:URL`` store.

        Parameters
        ----------
        store : Store
            The store to read from.
        names : list of str
            The names the question gives (IRIs, labels, aliases, local ids...).
        threshold : float
            Control threshold in percent.

        Returns
        -------
        Group
            A group holding those entities' neighbourhood, its names already resolved.

        Examples
        --------
        >>> import pyoxigraph as ox
        >>> from groupkg.graph.store import open_store
        >>> store = open_store("memory", default_data=False)
        >>> _ = store.add_rdf(b'''@prefix gk: <https://w3id.org/groupkg/ontology#> .
        ... @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
        ... <urn:toy:p> a gk:LegalEntity ; rdfs:label "Parent" .
        ... <urn:toy:a> a gk:LegalEntity ; rdfs:label "Alpha" .
        ... [] a gk:Holding ; gk:owner <urn:toy:p> ; gk:owned <urn:toy:a> ; gk:percent 60 .
        ... <urn:toy:z> a gk:LegalEntity ; rdfs:label "Zeta" .
        ... ''', ox.RdfFormat.TURTLE)
        >>> sorted(Group.around(store, ["Alpha"]).dataset.entities)  # Zeta is not linked
        ['urn:toy:a', 'urn:toy:p']
        """
        with read_once(store):
            ids = {name: resolve_in_store(store, name) for name in names}
            read = load_dataset(store, neighbourhood(store, ids.values()))
        group = cls(store, threshold, read, check=False, known_at=known_at)
        group.resolved.update(ids)
        return group

    @classmethod
    def model(
        cls, store: Store, names: list[str], threshold: float = 50.0,
        register: Register | None = None, known_at: _dt.date | None = None,
    ) -> Group:  # fmt: skip
        """A question about ``names`` answered from the time model of the whole store.

        The model is the one cached beside an ``oxigraph:PATH`` store
        (:meth:`Register.from_store`), or ``register`` when it is already open. Each day's
        state is read for the group of the named entities on that day; only the named
        entities' own facts are read from the store (for :meth:`entity`). The command line
        and the server answer this way from an ``oxigraph:PATH`` store.

        Parameters
        ----------
        store : Store
            The store to read from.
        names : list of str
            The names the question gives.
        threshold : float
            Control threshold in percent.
        register : Register, optional
            The store's time model as known on ``known_at``, already opened.
        known_at : datetime.date, optional
            Answer from what was known on this day (default: everything known).

        Returns
        -------
        Group
            A group whose :attr:`scope` is the named entities.

        Examples
        --------
        A store that holds a CSV holdings file, asked about Subco:

        >>> import pathlib, tempfile
        >>> from datetime import date
        >>> from groupkg.graph.formats.inputs import add_files
        >>> from groupkg.graph.store import open_store
        >>> csv = pathlib.Path(tempfile.mkdtemp()) / "holdings.csv"
        >>> _ = csv.write_text("owner,owned,percent,start_date\\nHoldco,Subco,75,2020-01-01\\n")
        >>> store = open_store("memory", default_data=False)
        >>> _ = add_files(store, [csv])
        >>> group = Group.model(store, ["Subco"])
        >>> [local.rsplit("/", 1)[-1] for local in group.scope]
        ['subco']
        >>> answer = group.owners("Subco", date(2024, 1, 1))
        >>> [(o["name"], o["percent"], o["basis"]) for o in answer["owners"]]
        [('Holdco', 75, 'stated')]
        """
        if register is None:
            register = Register.from_store(store, known_at=known_at)
        ids = {}
        for name in names:
            try:
                ids[name] = resolve_in_store(store, name, register)
            except UnknownName as error:
                if known_at is None:
                    raise
                everything = lambda: resolve_in_store(store, name, Register.from_store(store))  # noqa: E731, B023
                raise not_yet_known(name, known_at, error, everything) from None
        scope = sorted(set(ids.values()))
        read = load_dataset(store, scope, own=True)
        group = cls(store, threshold, read, register, scope, check=False, known_at=known_at)
        group.resolved.update(ids)
        return group

    @classmethod
    def whole(
        cls, store: Store, threshold: float = 50.0, register: Register | None = None,
        known_at: _dt.date | None = None,
    ) -> Group:  # fmt: skip
        """The whole store, answered from its cached time model without reading every fact.

        For the questions that name no entity (``diff`` without a root, ``events`` without
        an entity) of an ``oxigraph:PATH`` store: each day's state is read from the model,
        the entities' names from it too, and only the events (and the entities taking
        part in them) are read from the store; the facts an answer needs beyond those
        (the records behind an added stake, an entity's own facts) are read when asked.

        Parameters
        ----------
        store : Store
            The store to read from.
        threshold : float
            Control threshold in percent.
        register : Register, optional
            The store's time model as known on ``known_at``, already opened (by default
            the one cached beside it, :meth:`Register.from_store`).
        known_at : datetime.date, optional
            Answer from what was known on this day (default: everything known).

        Returns
        -------
        Group
            A group without :attr:`scope` whose :attr:`dataset` holds the store's events.

        Examples
        --------
        >>> import pathlib, tempfile
        >>> from datetime import date
        >>> from groupkg.graph.formats.inputs import add_files
        >>> from groupkg.graph.store import open_store
        >>> csv = pathlib.Path(tempfile.mkdtemp()) / "holdings.csv"
        >>> _ = csv.write_text("owner,owned,percent,start_date\\nHoldco,Subco,75,2020-01-01\\n")
        >>> store = open_store("memory", default_data=False)
        >>> _ = add_files(store, [csv])
        >>> group = Group.whole(store)
        >>> answer = group.diff(date(2019, 12, 31), date(2020, 1, 1))
        >>> [(a["owner"]["name"], a["owned"]["name"], a["percent"]) for a in answer["added"]]
        [('Holdco', 'Subco', 75)]
        """
        from groupkg.graph.facts.loader import load_events

        if register is None:
            register = Register.from_store(store, known_at=known_at)
        return cls(store, threshold, load_events(store), register, check=False,
                   known_at=known_at)  # fmt: skip

    # -- helpers ---------------------------------------------------------------------

    def _state(self, day: _dt.date) -> Snapshot:
        if self.scope is None:
            snap = self.register.snapshot(day)
            if not self.complete:
                self._know(list(snap.status))
            return snap
        members = self.register.group_on(self.scope, day)
        self._know(members)
        return self.register.snapshot(day, members)

    def members(self, days: list[Day]) -> list[str] | None:
        """The entities a question over several ``days`` needs.

        When only the group of the named entities is read (:meth:`model`): everything linked
        to them on any of the days, and what is linked to that on any of them in turn (an
        entity that joins the group on one day brings its links of the other days).

        Parameters
        ----------
        days : list of Day
            The days the question reads.

        Returns
        -------
        list of str or None
            Entity ids, sorted; None when the whole store is read (no :attr:`scope`).

        Examples
        --------
        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> whole = Group(empty, dataset=Dataset({"a": Entity("a", "A")}))
        >>> whole.members([date(2024, 1, 1)]) is None
        True
        """
        days = [as_day(d) for d in days]
        if self.scope is None:
            return None
        found = set(self.scope)
        while True:
            grown = found.union(*(self.register.group_on(sorted(found), d) for d in days))
            if grown == found:
                break
            found = grown
        members = sorted(found)
        self._know(members)
        return members

    def pair(self, before: Day, after: Day) -> tuple[Snapshot, Snapshot]:
        """The states of the group on two days, over the same entities.

        When only the group of the named entities is read, both states cover
        :meth:`members` of the two days, so that an entity in the group on one day only is
        compared with itself on the other (what :meth:`diff` needs).

        Parameters
        ----------
        before, after : Day
            The two days.

        Returns
        -------
        tuple of Snapshot
            The state on ``before`` and the state on ``after``.

        Examples
        --------
        Seller's 25% of Target passes to Buyer at the start of 2022:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> names = {e: Entity(e, e.title()) for e in ["seller", "buyer", "target"]}
        >>> sale = [Holding("h1", "seller", "target", 25.0, valid_to=day("2022-01-01")),
        ...         Holding("h2", "buyer", "target", 25.0, valid_from=day("2022-01-01"))]
        >>> toy = Dataset(names, sale)
        >>> old, new = Group(empty, dataset=toy).pair(
        ...     date(2021, 12, 31), date(2022, 1, 1))
        >>> [s.owner for s in old.stakes], [s.owner for s in new.stakes]
        (['seller'], ['buyer'])
        """
        before = as_day(before, "before")
        after = as_day(after, "after")
        members = self.members([before, after])
        if members is None:
            return self.snapshot(before), self.snapshot(after)
        return self.register.snapshot(before, members), self.register.snapshot(after, members)

    def _near(self, day: _dt.date) -> Snapshot:
        """The state on ``day`` of the named entities and their direct stakes only:
        enough for ``owners`` and ``holdings``."""
        if self.scope is None:
            return self.snapshot(day)
        snap = self.register.snapshot(day, self.scope, around=True)
        self._know([e for s in snap.stakes for e in (s.owner, s.owned)])
        return snap

    def _know(self, entity_ids: list[str]) -> None:
        """Names and kinds of entities a snapshot of the cached model brings in."""
        info = self.register.entity_info
        for entity_id in entity_ids:
            if entity_id not in self.dataset.entities and info is not None:
                label, kind = info[self.register.position(entity_id)]
                if kind:
                    self.dataset.entities[entity_id] = Entity(entity_id, label, kind)

    def describe(self, entity_ids: list[str]) -> None:
        """Make sure the entities' own facts are read.

        Legal names, identifiers, listings, sources and issued shares. A group that read the
        whole store has them all already; from the cached model (:meth:`model`), those not
        read yet are taken from the model or read from the store in one scoped read. The
        answers call it for the entities they describe; nothing is returned.

        Parameters
        ----------
        entity_ids : list of str
            The entities (ids, not names).

        Examples
        --------
        A group that read the whole store has every entity's facts already:

        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> owner = Entity("o", "Owner", legal_name="Owner Holdings Ltd.")
        >>> group = Group(open_store("memory", default_data=False), dataset=Dataset({"o": owner}))
        >>> group.describe(["o"])
        >>> group.dataset.entities["o"].legal_name
        'Owner Holdings Ltd.'
        """
        if self.complete:
            return
        missing = sorted(set(entity_ids) - self._described.keys())
        if not missing:
            return
        records = self.register.entity_records
        if records is not None:  # the model keeps them: nothing to read
            for entity_id in missing:
                entity, issued = records[self.register.position(entity_id)]
                if entity is not None:
                    self.dataset.entities[entity_id] = entity
                self._described[entity_id] = issued
            return
        found = self._visible(load_dataset(self.store, missing, own=True))
        shares = Timeline(Dataset(observations=found.observations, events=found.events))
        for entity_id in missing:
            if entity_id in found.entities:
                self.dataset.entities[entity_id] = found.entities[entity_id]
            self._described[entity_id] = shares
        self.dataset.sources = {**found.sources, **self.dataset.sources}

    def issued_shares(self, entity_id: str, day: Day) -> int | None:
        """How many shares a company has issued on ``day``.

        The last observed count on or before ``day``, moved forward through the splits and
        issuances since (see ``docs/rules.md``); never carried back before the first
        observation.

        Parameters
        ----------
        entity_id : str
            The issuing company's id (not a name).
        day : Day
            The day whose count is asked.

        Returns
        -------
        int or None
            The issued shares; None when no count is known on or before ``day``.

        Examples
        --------
        1,000 shares observed in 2020, then a 1:10 split dated 2021 only (it takes effect once
        that year is over):

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Event, Observation
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> split = Event("s", "StockSplit", effective=day("2021"), issuer="co", split_ratio=10)
        >>> toy = Dataset({"co": Entity("co", "Co")},
        ...     events=[split],
        ...     observations=[Observation("o", "co", "IssuedShares", 1000, as_of=day("2020"))])
        >>> group = Group(empty, dataset=toy)
        >>> [group.issued_shares("co", date(y, 6, 1)) for y in (2019, 2021, 2022)]
        [None, 1000, 10000]
        """
        day = as_day(day)
        return self._described.get(entity_id, self.timeline).issued_shares(entity_id, day)

    def status(self, entity_id: str, day: Day) -> str:
        """Whether an entity exists on ``day``.

        Parameters
        ----------
        entity_id : str
            The entity (an id, not a name).
        day : Day
            The day asked.

        Returns
        -------
        str
            ``"not yet incorporated"`` before its incorporation, ``"dissolved"`` on and after
            its end (a dissolution, or the merger that absorbed it), ``"active"`` otherwise.

        Examples
        --------
        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> shortlived = Entity("s", "Shortlived", incorporated=day("2010"), dissolved=day("2014"))
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> group = Group(empty, dataset=Dataset({"s": shortlived}))

        A dissolution dated by its year only takes effect once that year is over:

        >>> [group.status("s", date(y, 12, 31)) for y in (2009, 2014, 2015)]
        ['not yet incorporated', 'active', 'dissolved']
        """
        day = as_day(day)
        return status_at(*self.register.lifetime(entity_id), day)

    def lifetime(self, entity_id: str) -> tuple[_dt.date | None, _dt.date | None]:
        """The days an entity exists: ``[incorporated, ended)``.

        Parameters
        ----------
        entity_id : str
            The entity (an id, not a name).

        Returns
        -------
        tuple of (datetime.date or None, datetime.date or None)
            Its first day and the day it ended (its dissolution, or the effective day of the
            merger that absorbed it); None where unknown. A partial date starts on the first
            day of its period and ends on the day after it.

        Examples
        --------
        An entity founded in October 2009, with no end recorded:

        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> founded = Entity("f", "Founded", incorporated=day("2009-10"))
        >>> group = Group(empty, dataset=Dataset({"f": founded}))
        >>> group.lifetime("f")
        (datetime.date(2009, 10, 1), None)
        """
        return self.register.lifetime(entity_id)

    def resolve(self, name: str) -> str:
        """The entity a name names.

        By IRI, label, legal name, alias, LEI or local id, case-insensitively, with or
        without a legal form (the rules of :mod:`groupkg.graph.facts.namekeys`).

        Parameters
        ----------
        name : str
            The name as a user writes it.

        Returns
        -------
        str
            The entity's id (its IRI).

        Raises
        ------
        UnknownName, AmbiguousName
            No entity, or several, have that name (both list the closest candidates, in
            the message and as ``candidates``).
        InputError
            The name is not text (None, a number).

        Examples
        --------
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> acme = Entity("urn:toy:acme", "Acme Inc.", aliases=["ACME"])
        >>> group = Group(empty, dataset=Dataset({acme.id: acme}))
        >>> group.resolve("acme"), group.resolve("Acme"), group.resolve("urn:toy:acme")
        ('urn:toy:acme', 'urn:toy:acme', 'urn:toy:acme')
        """
        try:
            return self._resolve(name)
        except UnknownName as error:
            if self.known_at is None:
                raise
            raise self._not_yet_known(name, error) from None

    def _resolve(self, name: str) -> str:
        if isinstance(name, str) and name in self.resolved:
            return self.resolved[name]
        if self.scope is None and not self.complete:  # the whole store, from its model
            found = resolve_in_store(self.store, name, self.register)
            self.resolved[name] = found
            return found
        return self.names.resolve(name)

    def _not_yet_known(self, name: str, error: UnknownName) -> UnknownName:
        """``error``, or that ``name`` was not yet known on :attr:`known_at` when
        everything known names an entity so."""
        assert self.known_at is not None
        if self.complete:
            return not_yet_known(name, self.known_at, error, lambda: self.known(None).resolve(name))
        model = None if self.scope else Register.from_store(self.store)
        return not_yet_known(
            name, self.known_at, error, lambda: resolve_in_store(self.store, name, model)
        )

    def snapshot(self, day: Day) -> Snapshot:
        """The state of the group on ``day``: who exists and who holds whom, after the rules.

        Kept for the last 32 days asked.

        Parameters
        ----------
        day : Day
            The day asked.

        Returns
        -------
        Snapshot
            Entity statuses, the stakes in force (records of a day added up, superseded ones
            gone, mergers applied) and the reported relations of that day.

        Examples
        --------
        Two distinct records of one day, 92% and 8%, add up:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> twice = [Holding("h1", "p", "s", 92.0), Holding("h2", "p", "s", 8.0)]
        >>> toy = Dataset({"p": Entity("p", "P"), "s": Entity("s", "S")}, twice)
        >>> stakes = Group(empty, dataset=toy).snapshot(date(2024, 1, 1)).stakes
        >>> [(s.owner, s.owned, s.percent) for s in stakes]
        [('p', 's', 100.0)]
        """
        day = as_day(day)
        return self._snapshot(day)

    def graph_at(self, day: Day, measure: str = "control") -> nx.DiGraph:
        """The group on ``day`` as a networkx graph, ready for analysis and export.

        One node per entity present that day and one edge per owner and owned entity, the
        edge weighed as :meth:`Snapshot.graph` weighs it. Every attribute is a plain str,
        int, float or bool, so that ``networkx.write_graphml`` writes the graph and
        ``networkx.read_graphml`` reads it back equal; an unknown value is left out, not
        written as None. The analytics (``ultimate_parent``, ``controllers_of``,
        ``perimeter``...) take the graph as it is: a bucket of unnamed holders is flagged,
        and never controls nor is anyone's ultimate parent, as in :meth:`paths`.

        Parameters
        ----------
        day : Day
            The day asked.
        measure : {"control", "ownership"}
            What weighs an edge when a pair has interests of several kinds: ``"control"``
            (the default) voting rights where stated, else shares; ``"ownership"`` shares,
            what effective ownership reads (:meth:`effective`).

        Returns
        -------
        networkx.DiGraph
            Graph attributes ``day`` (ISO date), ``measure`` and ``threshold`` (percent).
            Node attributes ``label``, ``kind`` (``legal``, ``person``, ``trust``, ``fund``
            or ``unnamed``), ``status``, ``unnamed`` (True for a bucket of unnamed
            holders), ``identifiers`` (``"SCHEME:value"`` joined by ``"; "``, those valid
            that day) and ``lei``. Edge attributes, from the stake that weighs the edge:
            ``percent``, ``percent_min``, ``percent_max`` (the figures :meth:`owners`
            gives), ``shares``, ``interest`` (its kind), ``interests`` (every kind the pair
            has, joined by ``"; "``), ``consolidated`` (a reported consolidation or a
            right to appoint the board), ``status``, ``basis``, ``assumed``; and what the
            analytics read (``groupkg.graph.analytics.graph``): ``low`` and ``high``
            (fractions), ``low_exclusive``, ``high_exclusive`` and ``holding``.

        Raises
        ------
        InputError
            If ``measure`` is neither ``"control"`` nor ``"ownership"``.

        Examples
        --------
        Parent holds 40% of Opco; the other 60% is held by many shareholders nobody names:

        >>> from datetime import date
        >>> from groupkg.graph import ultimate_parent
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> names = {"parent": Entity("parent", "Parent", identifiers=[("LEI", "P00")]),
        ...          "opco": Entity("opco", "Opco"),
        ...          "others": Entity("others", "Other shareholders", kind="unnamed")}
        >>> stakes = [Holding("h1", "parent", "opco", 40.0), Holding("h2", "others", "opco", 60.0)]
        >>> graph = Group(empty, dataset=Dataset(names, stakes)).graph_at(date(2024, 1, 1))
        >>> graph.nodes["parent"]  # doctest: +NORMALIZE_WHITESPACE
        {'label': 'Parent', 'kind': 'legal', 'status': 'active', 'unnamed': False,
         'identifiers': 'LEI:P00', 'lei': 'P00'}
        >>> graph.edges["others", "opco"]["percent"], graph.nodes["others"]["unnamed"]
        (60.0, True)
        >>> ultimate_parent(graph, "opco")  # the 60% is many holders, not one parent
        'opco'
        """
        import networkx as nx

        if measure not in ("control", "ownership"):
            raise InputError(f"measure must be 'control' or 'ownership', got {measure!r}")
        day = as_day(day)
        snap = self.snapshot(day)
        source = snap.graph(measure=measure)
        self.describe(list(source))
        graph = nx.DiGraph(day=day.isoformat(), measure=measure, threshold=float(self.threshold))
        for node in source:
            entity = self.dataset.entities.get(node)
            found: dict[str, Any] = {"label": self.ref(node)["name"]}
            shown: list[tuple[str, str]] = []
            if entity is not None:
                found["kind"] = entity.kind
                # A ticker identifier belongs to its listing: not shown before it.
                since = entity.ticker_since
                shown = [(s, v) for s, v in entity.identifiers
                         if v not in since or since[v].start <= day]  # fmt: skip
            found |= {"status": self.status(node, day), "unnamed": node in snap.unnamed}
            if shown:
                found["identifiers"] = "; ".join(f"{s}:{v}" for s, v in shown)
            lei = [v for s, v in shown if s.upper() == "LEI"]
            if lei:
                found["lei"] = lei[0]
            graph.add_node(node, **found)
        for owner, owned, data in source.edges(data=True):
            stake: Stake = data["stake"]
            figures = {k: float(v) for k, v in _percent_fields(stake).items() if v is not None}
            if stake.shares is not None:
                figures["shares"] = int(stake.shares)
            graph.add_edge(
                owner,
                owned,
                **figures,
                interest=stake.interest,
                interests="; ".join(s.interest for s in data["stakes"]),
                consolidated=any(s.consolidated for s in data["stakes"]),
                status=_status(stake.status),
                basis="; ".join(stake.basis),
                assumed=stake.assumed,
                **{k: data[k] for k in
                   ("low", "high", "low_exclusive", "high_exclusive", "holding")},
            )  # fmt: skip
        return graph

    def query(
        self, name: str, params: Mapping[str, Any] | None = None, /, **values: Any
    ) -> QueryRows:
        """Run a named SPARQL query of the library on this group's store.

        The queries are the files of ``ontology/queries/``: ``user_queries()`` lists those
        for users, each with what it answers and its parameters. They read the facts as
        recorded (no events applied), where the answer methods (:meth:`owners`...) read
        the time model. See :func:`groupkg.graph.query`.

        Parameters
        ----------
        name : str
            The query: ``owners-at``, ``holdings-at``, ``ancestors-at``, ``events-of``,
            ``sources-of``, ``dissolved-between``, or a ``check-*`` query.
        params : mapping, optional
            Parameters by name, for a name Python cannot take as a keyword.
        **values
            Parameters by name: an ``entity`` a name or an IRI, a ``date`` any
            :data:`~groupkg.graph.dates.Day`; ``from_=`` gives ``from``.

        Returns
        -------
        QueryRows
            A list of dicts of plain values (str, int, float, bool, ``datetime.date``, a
            year or a month as ISO text, None where unbound); ``.to_frame()`` makes a
            DataFrame.

        Raises
        ------
        InputError
            For an unknown query, a parameter missing, unknown or given twice, or a bad
            value (``field`` names the parameter); ``UnknownName`` or ``AmbiguousName``
            for an entity no name or several fit.

        Examples
        --------
        >>> from datetime import date
        >>> from groupkg.graph import load
        >>> iij = load()
        >>> rows = iij.query("holdings-at", entity="IIJ", date=date(2013, 12, 31))
        >>> [(r["ownedName"], r["percent"], r["shares"]) for r in rows]
        [('IIJ Exlayer Inc.', 99.9, 3996)]
        """
        from groupkg.graph.facts.querying import query

        return query(self.store, name, params, **values)

    def sparql(self, text: str) -> QueryRows | bool:
        """Run a SPARQL query on this group's store; its answer as plain values.

        See :func:`groupkg.graph.sparql`: an update is refused, and so is a text nested
        too deep for the parser.

        Parameters
        ----------
        text : str
            A SELECT, ASK, CONSTRUCT or DESCRIBE query.

        Returns
        -------
        QueryRows or bool
            A SELECT's rows (a list of dicts of plain values, ``.to_frame()`` a
            DataFrame), a CONSTRUCT's or DESCRIBE's triples as rows of ``subject``,
            ``predicate`` and ``object``, or an ASK's answer.

        Raises
        ------
        InputError
            For a syntax error, an update, or a text nested too deep.

        Examples
        --------
        >>> from groupkg.graph import load
        >>> rows = load().sparql(
        ...     "SELECT (COUNT(*) AS ?n) { ?h a <https://w3id.org/groupkg/ontology#Holding> }"
        ... )
        >>> rows[0]["n"] > 0, rows.variables
        (True, ('n',))
        """
        from groupkg.graph.facts.querying import sparql

        return sparql(self.store, text)

    def ref(self, entity_id: str) -> dict[str, str]:
        """An entity as every answer names it.

        Parameters
        ----------
        entity_id : str
            The entity's id, its IRI.

        Returns
        -------
        dict
            ``{"id": IRI, "name": label}``; an id with no entity record is named by its local
            id.

        Examples
        --------
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> group = Group(empty, dataset=Dataset({"urn:toy:q": Entity("urn:toy:q", "Q Ltd")}))
        >>> group.ref("urn:toy:q")
        {'id': 'urn:toy:q', 'name': 'Q Ltd'}
        >>> group.ref("https://example.org/unrecorded")
        {'id': 'https://example.org/unrecorded', 'name': 'unrecorded'}
        """
        return self.dataset.ref(entity_id).to_json()

    def _sources(self, ids: list[str]) -> list[str]:
        return [self.dataset.source_label(s) for s in ids]

    def _stake_json(self, stake: Stake, who: str) -> dict[str, Any]:
        return {
            **self.ref(who),
            **_percent_fields(stake),
            "shares": stake.shares,
            "interest": stake.interest,
            "consolidated": stake.consolidated,
            "basis": "; ".join(stake.basis),
            "status": _status(stake.status),
            "assumed": stake.assumed,
            "assumptions": stake.assumptions,
            "sources": self._sources(stake.sources),
        }

    def _end_assumptions(self, entity_id: str, day: _dt.date) -> list[dict[str, str]]:
        """Why an entity's end (when it has come by ``day``) is assumed, if it is."""
        end = self.lifetime(entity_id)[1]
        if end is None or day < end:
            return []
        return [
            {"fact": "dissolved", "entity": entity_id, "reason": reason}
            for reason in self.register.assumed_ends.get(entity_id, [])
        ]

    # -- answers ---------------------------------------------------------------------

    def info(self) -> dict[str, Any]:
        """Counts, date range and sources of the whole store (``groupkg info``).

        Returns
        -------
        dict
            ``store``, ``triples``, ``entities``, ``holdings``, ``relations``, ``events``,
            ``observations``, ``date_range`` (first and last date, or None) and ``sources``
            (titles); see :func:`store_info`.

        Examples
        --------
        The counts are asked of the store, not of the facts the group read:

        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> read = Dataset({"a": Entity("a", "A")})
        >>> group = Group(open_store("memory", default_data=False), dataset=read)
        >>> group.info()["store"], group.info()["entities"], len(group.dataset.entities)
        ('memory', 0, 1)
        """
        return store_info(self.store)

    def export(
        self,
        fmt: str,
        path: str | os.PathLike[str] | None = None,
        day: Day | None = None,
        lossy: bool = False,
    ) -> bytes:
        """The data of the store in ``fmt``, written to ``path`` when given
        (``groupkg export``).

        Parameters
        ----------
        fmt : str
            A format the registry writes: ``ttl``, ``nt``, ``jsonld``, ``trig``, ``bods``,
            ``csv`` (CSV holdings) or ``graphml``.
        path : str or path, optional
            The file to write, whole or not at all.
        day : Day, optional
            For ``graphml``, the day of the ownership graph (default: today).
        lossy : bool
            Write ``csv`` or ``bods`` even when the format cannot carry every fact of the
            store (``--lossy``); without it such an export is refused.

        Returns
        -------
        bytes
            The data (not the ontology), as written to ``path``.

        Raises
        ------
        InputError
            For a format that is not written, a path that cannot be written, or (unless
            ``lossy``) a format that cannot carry every fact, naming what it would lose.

        Examples
        --------
        The IIJ data as CSV holdings, one holding a row, leaving out what CSV cannot carry:

        >>> from groupkg.graph.store import open_store
        >>> group = Group(open_store("memory"))
        >>> print(group.export("csv", lossy=True).decode().splitlines()[0])
        owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source,share_class,as_of,interest_type,owner_identifier,owned_identifier
        >>> group.export("csv")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        groupkg.graph.errors.InputError: the CSV holdings format cannot carry 14 events, ...
        """
        from groupkg.graph.formats.exporter import export
        from groupkg.graph.output import write_output

        data = export(self.store, fmt, None if day is None else as_day(day), lossy)
        if path is not None:
            write_output(path, data, option="path")
        return data

    def entity(self, name: str, day: Day) -> dict[str, Any]:
        """Facts about one entity on ``day`` (``groupkg entity``).

        Parameters
        ----------
        name : str
            The entity's name.
        day : Day
            The day asked: listings, identifiers and facts stated as of a later day are left
            out, and the status and issued shares are those of that day.

        Returns
        -------
        dict
            ``entity`` (``{"id", "name"}``), ``at``, ``status``, ``status_assumed``, ``kind``,
            ``legal_name``, ``aliases``, ``identifiers`` (``[{"scheme", "value"}]``),
            ``listings``, ``incorporated``, ``dissolved``, ``dissolved_assumed``,
            ``assumptions``, ``issued_shares``, ``facts``, ``facts_as_of`` and ``sources``;
            ``None`` where unknown (see ``docs/json.md``); ``records`` (``[{"id", "name",
            "sources"}]``) for an entity merged from several source records.

        Examples
        --------
        Kappa K.K., incorporated in December 1996, as it stands in 2024:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> kk = Entity("kk", "Kappa", legal_name="Kappa K.K.", incorporated=day("1996-12"))
        >>> group = Group(empty, dataset=Dataset({"kk": kk}))
        >>> answer = group.entity("Kappa K.K.", date(2024, 1, 1))
        >>> [answer[key] for key in ("status", "incorporated", "dissolved", "issued_shares")]
        ['active', '1996-12', None, None]
        """
        day = as_day(day)
        entity_id = self.resolve(name)
        entity = self.dataset.entities[entity_id]
        dissolved = self.lifetime(entity_id)[1]
        end_reasons = self.register.assumed_ends.get(entity_id, [])
        issued = self.timeline.issued_range(entity_id, day)
        # A fact with its own date (a listing, the representatives a source names as of a
        # day) is shown only from that date.
        listings = [
            text for text in entity.listings
            if text not in entity.listed_since or entity.listed_since[text].start <= day
        ]  # fmt: skip
        # A ticker identifier (TSE 3774) belongs to its listing: not shown before it.
        identifiers = [
            {"scheme": s, "value": v} for s, v in entity.identifiers
            if v not in entity.ticker_since or entity.ticker_since[v].start <= day
        ]  # fmt: skip
        facts = {
            key: values for key, values in entity.facts.items()
            if key not in entity.facts_since or entity.facts_since[key].start <= day
        }  # fmt: skip
        answer = {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "status_assumed": bool(self._end_assumptions(entity_id, day)),
            "kind": entity.kind,
            "legal_name": entity.legal_name,
            "aliases": entity.aliases,
            "identifiers": identifiers,
            "listings": listings,
            "incorporated": str(entity.incorporated) if entity.incorporated else None,
            "dissolved": _iso(dissolved),
            "dissolved_assumed": bool(end_reasons),
            "dissolved_scheduled": self._end_scheduled(entity_id, dissolved),
            "assumptions": [
                {"fact": "dissolved", "entity": entity_id, "reason": r} for r in end_reasons
            ],
            "issued_shares": self.timeline.issued_shares(entity_id, day),
            "issued_shares_min": issued[0] if issued else None,
            "issued_shares_max": issued[1] if issued else None,
            "issued_shares_scheduled": bool(issued and issued[2]),
            "facts": facts,
            "facts_as_of": {k: str(v) for k, v in entity.facts_since.items() if k in facts},
            "sources": self._sources(entity.sources),
        }
        if entity.records:  # merged from the records of several sources
            answer["records"] = [
                {"id": r.id, "name": r.label, "sources": self._sources(list(r.sources))}
                for r in entity.records
            ]
        return answer

    def _end_scheduled(self, entity_id: str, end: _dt.date | None) -> bool:
        """Whether the end of ``entity_id`` on ``end`` rests on a scheduled merger: one
        that absorbs it then, known only from before it takes effect."""
        return end is not None and any(
            e.status == "scheduled" and entity_id in e.absorbed
            and e.effective is not None and e.effective.start == end
            for e in self.dataset.events
        )  # fmt: skip

    def links(self, name: str) -> dict[str, Any]:
        """The source records merged into one entity, the judgements about them and
        the entities that look like it (``groupkg links``).

        Parameters
        ----------
        name : str
            The entity's name.

        Returns
        -------
        dict
            ``entity``; ``records``, each with its ``id``, ``name``, ``names``,
            ``sources``, ``identifiers``, the identifiers it shares with the other
            records (``joined_by``) and the records a judgement joins it to
            (``judged_same_as``); ``judgements`` (``id``, ``records``, ``same``, ``by``,
            ``on``, ``note``); ``lookalikes`` (``id``, ``name``, ``jurisdiction``,
            ``why``), never merged (see :mod:`groupkg.graph.facts.links` and
            ``docs/json.md``).
        """
        from groupkg.graph.facts.links import entity_links

        entity_id = self.resolve(name)
        return entity_links(self.store, self.dataset, entity_id, self.dataset.source_label)

    def owners(self, name: str, day: Day) -> dict[str, Any]:
        """The direct owners of an entity on ``day`` (``groupkg owners``).

        One entry per owner and interest kind (kinds are never added), largest first.

        Parameters
        ----------
        name : str
            The owned entity's name.
        day : Day
            The day asked.

        Returns
        -------
        dict
            ``{"entity", "at", "status", "owners": [stake]}``, where a stake is the owner's
            ``id`` and ``name`` with ``percent`` (None for a range or an unknown stake),
            ``percent_min``, ``percent_max``, ``shares``, ``interest``, ``consolidated``,
            ``basis``, ``status``, ``assumed``, ``assumptions`` and ``sources``.

        Examples
        --------
        Founder holds 40% of the shares and 60% of the votes of Omega; a register shows
        between 10% and 20% for a fund:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> stakes = [
        ...     Holding("s", "founder", "omega", 40.0),
        ...     Holding("v", "founder", "omega", 60.0, interest_type="votingRights"),
        ...     Holding("f", "fund", "omega", None, 10.0, 20.0),
        ... ]
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["founder", "fund", "omega"]}, stakes)
        >>> answer = Group(empty, dataset=toy).owners("Omega", date(2024, 1, 1))
        >>> for o in answer["owners"]:
        ...     print(o["name"], o["interest"], o["percent"], o["percent_min"], o["percent_max"])
        Founder votingRights 60 60 60
        Founder shareholding 40 40 40
        Fund shareholding None 10 20
        """
        day = as_day(day)
        entity_id = self.resolve(name)
        snap = self._near(day)
        stakes = snap.owners_of(entity_id)
        return {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "owners": [self._stake_json(s, s.owner) for s in stakes],
            "scheduled_events": self.scheduled_under(
                [entity_id],
                day,
                up=True,
                issuers=[entity_id] if any(s.shares is not None for s in stakes) else [],
            ),  # fmt: skip
        }

    def holdings(self, name: str, day: Day) -> dict[str, Any]:
        """What an entity directly holds on ``day`` (``groupkg holdings``).

        One entry per owned entity and interest kind, largest first.

        Parameters
        ----------
        name : str
            The owner's name.
        day : Day
            The day asked.

        Returns
        -------
        dict
            ``{"entity", "at", "status", "holdings": [stake]}``, a stake as in :meth:`owners`
            with the owned entity's ``id`` and ``name``.

        Examples
        --------
        A holding observed as of a day is carried forward from it, never back:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> seen = [Holding("h", "investor", "target", 15.0, as_of=day("2013-09-30"))]
        >>> names = {e: Entity(e, e.title()) for e in ["investor", "target"]}
        >>> group = Group(open_store("memory", default_data=False), dataset=Dataset(names, seen))
        >>> [h["basis"] for h in group.holdings("Investor", date(2014, 3, 31))["holdings"]]
        ['observed 2013-09-30']
        >>> group.holdings("Investor", date(2013, 9, 29))["holdings"]
        []
        """
        day = as_day(day)
        entity_id = self.resolve(name)
        snap = self._near(day)
        stakes = snap.holdings_of(entity_id)
        return {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "holdings": [self._stake_json(s, s.owned) for s in stakes],
            "scheduled_events": self.scheduled_under(
                [entity_id],
                day,
                up=False,
                issuers=[s.owned for s in stakes if s.shares is not None],
            ),  # fmt: skip
        }

    def consolidation_paths(self, snap: Snapshot, entity_id: str) -> list[list[str]]:
        """The consolidation paths down to an entity in a given state, as ids.

        The paths of :meth:`paths` without the reported ultimate parents: every simple path
        from the computed ultimate parent down to the entity through entities it controls
        (``docs/definitions.md``). :meth:`diff` asks it of every entity of both days.

        Parameters
        ----------
        snap : Snapshot
            The state of one day (:meth:`snapshot`).
        entity_id : str
            The entity (an id, not a name).

        Returns
        -------
        list of list of str
            Paths from the ultimate parent down to the entity, shortest first; ``[[entity]]``
            when it is its own ultimate parent; empty when it does not exist that day.

        Examples
        --------
        Top controls Left and Right (60% each), which hold 30% of Leaf each:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> links = [("top", "left", 60.0), ("top", "right", 60.0),
        ...          ("left", "leaf", 30.0), ("right", "leaf", 30.0)]
        >>> toy = Dataset({e: Entity(e, e) for e in ["top", "left", "right", "leaf"]},
        ...               [Holding(f"h{k}", *link) for k, link in enumerate(links)])
        >>> group = Group(empty, dataset=toy)
        >>> group.consolidation_paths(group.snapshot(date(2024, 1, 1)), "leaf")
        [['top', 'left', 'leaf'], ['top', 'right', 'leaf']]
        """
        from groupkg.graph.analytics import parents

        graph = snap.graph(unnamed=False)  # built once a state: diff asks every entity
        if entity_id not in graph:
            return []
        return parents.consolidation_paths(graph, entity_id, threshold=self.threshold)

    def paths(self, name: str, day: Day) -> dict[str, Any]:
        """The ultimate parent of an entity and its consolidation paths (``groupkg paths``).

        The direct records give the computed ultimate parent. Where a source reports an
        ultimate parent (GLEIF ``IS_ULTIMATELY_CONSOLIDATED_BY``) valid that day,
        ``ultimate_parent_basis`` says how the two stand: ``computed`` (none reported),
        ``agrees``, ``completed`` (the computed chain stops short, and the one reported
        parent completes it: the answer is that parent's own ultimate parent, and
        ``reported_links`` names the link that rests on the report) or ``differs`` (the
        computed chain runs past the reported parent, or several are reported: the computed
        answer stands, the reported one is shown beside it).

        Parameters
        ----------
        name : str
            The entity's name.
        day : Day
            The day asked.

        Returns
        -------
        dict
            ``entity``, ``at``, ``status``, ``ultimate_parent``, ``computed_ultimate_parent``,
            ``reported_ultimate_parent`` (None unless exactly one is reported),
            ``reported_ultimate_parents``, ``ultimate_parent_basis``, ``reported_links``,
            ``paths`` (lists of ``{"id", "name"}`` from the ultimate parent down), ``assumed``
            and ``assumptions``.

        Examples
        --------
        Holdco holds 51% of Opco, which holds 100% of Plant:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> chain = [Holding("h1", "holdco", "opco", 51.0), Holding("h2", "opco", "plant", 100.0)]
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["holdco", "opco", "plant"]}, chain)
        >>> answer = Group(empty, dataset=toy).paths("Plant", date(2024, 1, 1))
        >>> answer["ultimate_parent"]["name"], answer["ultimate_parent_basis"]
        ('Holdco', 'computed')
        >>> [[step["name"] for step in path] for path in answer["paths"]]
        [['Holdco', 'Opco', 'Plant']]

        With a threshold of 60, 51% is no control and Opco is its own top:

        >>> strict = Group(empty, threshold=60, dataset=toy)
        >>> strict.paths("Plant", date(2024, 1, 1))["ultimate_parent"]["name"]
        'Opco'
        """
        from groupkg.graph.analytics import parents

        day = as_day(day)
        entity_id = self.resolve(name)
        snap = self.snapshot(day)
        graph = snap.graph(unnamed=False)
        status = self.status(entity_id, day)
        if entity_id in graph:
            parent = parents.ultimate_parent(graph, entity_id, threshold=self.threshold)
            found = parents.consolidation_paths(graph, entity_id, threshold=self.threshold)
        else:
            parent, found = entity_id, []
        computed, links = parent, []
        reported = sorted({
            rel.parent for rel, _ in snap.reported
            if rel.kind == "ultimate" and rel.child == entity_id and rel.parent != entity_id
        })  # fmt: skip

        def parent_of(entity: str) -> str | None:
            if entity not in graph:
                return None
            return parents.ultimate_parent(graph, entity, threshold=self.threshold)

        present = computed if entity_id in graph else None
        basis, completed = completion(reported, present, parent_of)
        if basis == "completed":
            upper = parents.consolidation_paths(graph, reported[0], threshold=self.threshold)
            parent = completed or parent  # the reported parent's own, asked once
            found = [up + low for up in upper or [[reported[0]]] for low in found]
            links = [[self.ref(reported[0]), self.ref(computed)]]
        # The answer rests on what is assumed in the links of its paths and in the end of
        # the entity, when its status is "dissolved" by an assumed merger.
        assumptions = self._end_assumptions(entity_id, day)
        for path in found:
            for upper_id, lower_id in zip(path, path[1:], strict=False):
                if graph.has_edge(upper_id, lower_id):
                    assumptions += graph.edges[upper_id, lower_id]["stake"].assumptions
        unique = list({(a["fact"], a.get("property"), a["reason"]): a
                       for a in assumptions}.values())  # fmt: skip
        return {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": status,
            "ultimate_parent": self.ref(parent),
            "computed_ultimate_parent": self.ref(computed),
            "reported_ultimate_parent": self.ref(reported[0]) if len(reported) == 1 else None,
            "reported_ultimate_parents": [self.ref(r) for r in reported],
            "ultimate_parent_basis": basis,
            "reported_links": links,
            "paths": [[self.ref(e) for e in path] for path in found],
            "assumed": bool(unique),
            "assumptions": unique,
            "scheduled_events": self.scheduled_under(
                {entity_id, *(e for path in found for e in path)},
                day,
                up=True,
                issuers={e for path in found for e in path[1:]},
            ),  # fmt: skip
        }

    def effective(self, owner: str, target: str, day: Day) -> dict[str, Any]:
        """The effective (look-through) stake of one entity in another (``groupkg effective``).

        The sum, over every walk from the owner to the target in the ownership graph that does
        not pass through the owner again, of the products of the stakes along it; exact with
        cross-holdings, and bounded below and above where stakes are ranges or unknown
        (``docs/definitions.md``). The control threshold plays no part.

        Parameters
        ----------
        owner, target : str
            The names of the owner and of the target.
        day : Day
            The day asked.

        Returns
        -------
        dict
            ``{"owner", "target", "at", "percent", "percent_min", "percent_max",
            "reason"}``; ``percent`` is None when the bounds differ. When the owner has no
            stake at all in the target (no chain of holdings leads to it, or either does
            not exist on ``day``) the three figures are None and ``reason`` says why;
            otherwise ``reason`` is None (and 0 is a stake of exactly 0%).

        Raises
        ------
        InputError
            When ``owner`` and ``target`` name the same entity: the effective ownership of
            an entity in itself is not defined.

        Examples
        --------
        Parent holds 60% of Alpha; Alpha holds 50% of Beta, which holds 10% of Alpha back:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> cross = [Holding("h1", "parent", "alpha", 60.0), Holding("h2", "alpha", "beta", 50.0),
        ...          Holding("h3", "beta", "alpha", 10.0)]
        >>> names = {e: Entity(e, e.title()) for e in ["parent", "alpha", "beta"]}
        >>> group = Group(open_store("memory", default_data=False), dataset=Dataset(names, cross))
        >>> group.effective("Parent", "Beta", date(2024, 1, 1))["percent"]  # 0.6 * 0.5 / 0.95
        31.578947
        >>> group.effective("Alpha", "Beta", date(2024, 1, 1))["percent"]  # not back through Alpha
        50

        Beta holds nothing of Parent: no figure, and why:

        >>> answer = group.effective("Beta", "Parent", date(2024, 1, 1))
        >>> answer["percent_max"], answer["reason"]
        (None, 'no chain of holdings leads from the owner to the target')
        """
        from groupkg.graph.analytics.effective import effective_ownership

        day = as_day(day)
        import networkx as nx

        owner_id, target_id = self.resolve(owner), self.resolve(target)
        if owner_id == target_id:
            raise InputError(
                f"{owner!r} and {target!r} are the same entity: the effective ownership of "
                "an entity in itself is not defined"
            )
        graph = self.snapshot(day).graph(measure="ownership")
        reason = _no_stake_reason(
            self.status(owner_id, day), self.status(target_id, day),
            owner_id in graph and target_id in graph
            and nx.has_path(graph, owner_id, target_id),
        )  # fmt: skip
        low = high = None
        if reason is None:
            low, high = (_pct(b) for b in effective_ownership(graph, owner_id, target_id))
        return {
            "owner": self.ref(owner_id),
            "target": self.ref(target_id),
            "at": day.isoformat(),
            "percent": low if low == high else None,
            "percent_min": low,
            "percent_max": high,
            "reason": reason,
        }

    def perimeter(self, name: str, day: Day, affiliate_min: float = 20.0) -> dict[str, Any]:
        """The subsidiaries and equity-method affiliates of an entity (``groupkg perimeter``).

        Subsidiaries are the entities it controls, certainly or possibly; affiliates the other
        entities in which its effective stake may reach ``affiliate_min``.

        Parameters
        ----------
        name : str
            The reporting entity's name.
        day : Day
            The day asked.
        affiliate_min : float
            The lowest effective percent of an affiliate (default 20).

        Returns
        -------
        dict
            ``{"entity", "at", "subsidiaries": [{"id", "name", "effective_percent",
            "effective_percent_max", "control"}], "affiliates": [{"id", "name",
            "effective_percent", "effective_percent_max"}]}``, both lists in id order.

        Examples
        --------
        Parent holds 60% of Alpha, which holds between 20% and 40% of Beta:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> ranged = [Holding("h1", "parent", "alpha", 60.0),
        ...           Holding("h2", "alpha", "beta", None, 20.0, 40.0)]
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["parent", "alpha", "beta"]}, ranged)
        >>> answer = Group(empty, dataset=toy).perimeter("Parent", date(2024, 1, 1))
        >>> [(s["name"], s["control"], s["effective_percent"]) for s in answer["subsidiaries"]]
        [('Alpha', 'certain', 60)]
        >>> [(a["name"], a["effective_percent"], a["effective_percent_max"])
        ...  for a in answer["affiliates"]]
        [('Beta', 12, 24)]
        """
        from groupkg.graph.analytics.perimeter import perimeter

        day = as_day(day)
        entity_id = self.resolve(name)
        snap = self.snapshot(day)
        graph = snap.graph(unnamed=False)
        result: dict[str, Any] = {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "subsidiaries": [],
            "affiliates": [],
        }
        if entity_id not in graph:
            return result
        found = perimeter(
            graph,
            entity_id,
            threshold=self.threshold,
            affiliate_min=affiliate_min,
            ownership=snap.graph(unnamed=False, measure="ownership"),
        )
        for item in found["subsidiaries"]:
            result["subsidiaries"].append(
                {
                    **self.ref(item["entity"]),
                    "effective_percent": _pct(item["low"]),
                    "effective_percent_max": _pct(item["high"]),
                    "control": item["control"],
                }
            )
        for item in found["affiliates"]:
            result["affiliates"].append(
                {
                    **self.ref(item["entity"]),
                    "effective_percent": _pct(item["low"]),
                    "effective_percent_max": _pct(item["high"]),
                }
            )
        return result

    def control(self, name: str, day: Day, rules: list[str] | None = None) -> dict[str, Any]:
        """Controllers and beneficial owners of an entity under each rule set (``groupkg
        control``), side by side.

        Each rule set (``ontology/rules/``: ``eu-amld``, ``uk-psc``, ``us-cta``, ``ifrs-10``,
        ``ias-28``, ``groupkg-default``; or a Turtle file of the same shape) gives the
        holders that qualify, each ``certain`` or ``possible``, with the interest kinds
        that qualify them, their aggregated percent and every chain of evidence, and
        says why when nobody qualifies (``docs/definitions.md``, "Rule sets").

        Parameters
        ----------
        name : str
            The entity's name.
        day : Day
            The day asked.
        rules : list of str, optional
            Rule set names or files; all shipped rule sets by default.

        Returns
        -------
        dict
            ``{"entity", "at", "status", "listed", "rule_sets": [{"rule_set",
            "beneficial_owners", "controlling_entities", "reasons", "not_qualifying"}]}``
            (``docs/json.md``); ``not_qualifying`` gives the figures, under one rule
            set, of the holders that qualify under another one asked and not this one.

        Examples
        --------
        A person holds 80% of Beta, which holds 30% of Target:

        >>> from datetime import date
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> names = {"ann": Entity("ann", "Ann", kind="person"), "beta": Entity("beta", "Beta"),
        ...          "target": Entity("target", "Target")}
        >>> chain = [Holding("h1", "ann", "beta", 80.0), Holding("h2", "beta", "target", 30.0)]
        >>> answer = Group(empty, dataset=Dataset(names, chain)).control(
        ...     "Target", date(2024, 1, 1), ["eu-amld", "uk-psc"])
        >>> for r in answer["rule_sets"]:
        ...     owners = r["beneficial_owners"]
        ...     print(r["rule_set"]["name"], [(o["name"], o["percent"]) for o in owners])
        eu-amld []
        uk-psc [('Ann', 30)]

        Under EU AMLD Ann's chain multiplies to 24%, short of more than 25%:

        >>> [(o["name"], o["percent"]) for o in answer["rule_sets"][0]["not_qualifying"]]
        [('Ann', 24)]
        """
        from groupkg.graph.analytics.rules import qualifying_holders
        from groupkg.graph.formats.rulesets import rule_sets
        from groupkg.graph.timemodel.interestgraph import interest_graph, label_nodes

        chosen = rule_sets(rules)
        day = as_day(day)
        entity_id = self.resolve(name)
        import networkx as nx

        snap = self.snapshot(day)
        graph = interest_graph(snap, self.dataset.entities)
        # The listings and kinds of the entity and of those above it: what the answer reads.
        read = sorted({entity_id, *nx.ancestors(graph, entity_id)} if entity_id in graph else ())
        self.describe(read)
        label_nodes(graph, snap, self.dataset.entities, read)
        entity = self.dataset.entities.get(entity_id)
        result: dict[str, Any] = {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "listed": bool(entity_id in graph and graph.nodes[entity_id]["listed"]),
            "listings": list(entity.listings) if entity is not None else [],
            "rule_sets": [],
        }
        if entity_id not in graph:
            graph.add_node(entity_id, kind=entity.kind if entity else "legal")
        for answer in qualifying_holders(graph, entity_id, chosen):
            result["rule_sets"].append({
                "rule_set": answer["rule_set"],
                "beneficial_owners": [self._holder_json(h) for h in answer["beneficial_owners"]],
                "controlling_entities": [
                    self._holder_json(h) for h in answer["controlling_entities"]],
                "reasons": [self._reason_json(r, entity_id) for r in answer["reasons"]],
                "not_qualifying": [self._figures_json(h) for h in answer["not_qualifying"]],
            })  # fmt: skip
        return result

    def _figures_json(self, found: dict[str, Any]) -> dict[str, Any]:
        """A holder's aggregated figures under a rule set, as :meth:`control` gives them."""
        return {
            **self.ref(found["entity"]),
            "kind": found["kind"],
            **_bounds(found["percent_min"], found["percent_max"]),
            "measures": {
                k: _bounds(f["percent_min"], f["percent_max"]) for k, f in found["measures"].items()
            },  # fmt: skip
        }

    def _holder_json(self, found: dict[str, Any]) -> dict[str, Any]:
        """A qualifying holder as :meth:`control` gives it: names, percents, sources."""

        def step(link: dict[str, Any]) -> dict[str, Any]:
            return {"owner": self.ref(link["owner"]), "owned": self.ref(link["owned"]),
                    "interest": link["interest"], **_bounds(link["low"] * 100, link["high"] * 100),
                    "sources": self._sources(link["sources"])}  # fmt: skip

        figures = self._figures_json(found)
        return {
            **{key: figures[key] for key in ("id", "name", "kind")},
            "status": found["status"],
            "interests": found["interests"],
            **{key: figures[key] for key in ("percent", "percent_min", "percent_max", "measures")},
            "paths": [
                {**_bounds(p["low"] * 100, p["high"] * 100), "steps": [step(s) for s in p["steps"]]}
                for p in found["paths"]
            ],  # fmt: skip
        }

    def _reason_json(self, reason: dict[str, Any], entity_id: str) -> dict[str, Any]:
        """Why nobody qualifies, with the entities named and a sentence saying it."""
        names = [self.ref(e) for e in reason["entities"]]
        said = ", ".join(n["name"] for n in names)
        kind = reason["reason"]
        if kind == "listed":
            entity = self.dataset.entities.get(entity_id)
            where = ", ".join(entity.listings) if entity is not None else ""
            message = f"{said} is a listed company ({where})"
        elif kind == "holders unknown":
            message = f"holders unknown: {said} stand for holders nobody names"
        elif kind == "ends at a legal entity":
            message = f"the chain ends at legal entities with no known owners: {said}"
        elif kind == "above the ceiling":
            message = (f"{said} holds up to {_num(reason['percent'])}%, above the band: "
                       "control, not influence")  # fmt: skip
        else:
            message = "dispersed ownership: no holder meets the threshold" + (
                f"; the largest is {said} with at most {_num(reason['percent'])}%" if names else ""
            )
        out = {"reason": kind, "entities": names, "message": message}
        if "percent" in reason:
            out["percent"] = _num(reason["percent"])
        return out

    def diff(self, before: Day, after: Day, root: str | None = None) -> dict[str, Any]:
        """What changed in the group between two days (``groupkg diff``).

        Stakes are compared per owner, owned entity and interest kind; entities by whether
        they exist; consolidation paths entity by entity (``docs/definitions.md``).

        Parameters
        ----------
        before, after : Day
            The two days (:meth:`event_days` gives those around an event).
        root : str, optional
            A name: only the entities linked to it on either day, and the stakes between
            them, are compared.

        Returns
        -------
        dict
            ``before``, ``after``, ``root`` (None without one), ``added``, ``first_recorded``,
            ``removed``, ``changed`` (edges ``{"owner", "owned", "percent", "interest",
            "consolidated", "status", "assumed", "assumptions"}``, ``changed`` with
            ``percent_before``), ``began``, ``ended`` and ``paths_changed``.

        Examples
        --------
        Parent raises its stake in Alpha from 30% to 70% at the start of 2022:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> raised = [Holding("h1", "parent", "alpha", 30.0, valid_from=day("2020")),
        ...           Holding("h2", "parent", "alpha", 70.0, valid_from=day("2022"))]
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["parent", "alpha"]}, raised)
        >>> answer = Group(empty, dataset=toy).diff(date(2021, 12, 31), date(2022, 1, 1))
        >>> [(c["owned"]["name"], c["percent_before"], c["percent"]) for c in answer["changed"]]
        [('Alpha', 30, 70)]
        >>> [[[s["name"] for s in p] for p in c["after"]] for c in answer["paths_changed"]]
        [[['Parent', 'Alpha']]]
        """
        from groupkg.graph.timemodel.diff import diff_snapshots, group_members

        before = as_day(before, "before")
        after = as_day(after, "after")
        old, new = self.pair(before, after)
        scope = group_members(old, new, self.resolve(root)) if root else None
        found = diff_snapshots(old, new, scope, paths=self.consolidation_paths)

        # A pair first recorded between the two days is no acquisition: the sources
        # simply say nothing of it before (an observation is never carried back).
        facts = self._pair_facts(found.added)
        first = [s for s in found.added if self._first_recorded(s, before, facts)]
        return {
            "before": before.isoformat(),
            "after": after.isoformat(),
            "root": self.ref(self.resolve(root)) if root else None,
            **self._changes_json(found, after, first),
        }

    def _changes_json(
        self, found: GroupDiff, after: _dt.date, first: list[Stake]
    ) -> dict[str, Any]:
        """The changes of a :meth:`diff` (``first``: the stakes first recorded, not
        added), as its answer gives them; ``after`` the later day."""

        def edge(stake: Stake) -> dict[str, Any]:
            return {
                "owner": self.ref(stake.owner),
                "owned": self.ref(stake.owned),
                "percent": _num(stake.percent),
                "interest": stake.interest,
                "consolidated": stake.consolidated,
                "status": _status(stake.status),
                "assumed": stake.assumed,
                "assumptions": stake.assumptions,
            }

        def ended(entity_id: str) -> dict[str, Any]:
            reasons = self._end_assumptions(entity_id, after)
            return {**self.ref(entity_id), "assumed": bool(reasons), "assumptions": reasons}

        added = [s for s in found.added if s not in first]
        return {
            "added": [edge(s) for s in added],
            "first_recorded": [edge(s) for s in first],
            "removed": [edge(s) for s in found.removed],
            "changed": [
                {**edge(new_s), "percent_before": _num(old_s.percent)}
                for old_s, new_s in found.changed
            ],
            "began": [self.ref(e) for e in found.began],
            "ended": [ended(e) for e in found.ended],
            "paths_changed": [
                {
                    "entity": self.ref(e),
                    "before": [[self.ref(n) for n in p] for p in old_p],
                    "after": [[self.ref(n) for n in p] for p in new_p],
                }
                for e, old_p, new_p in found.paths_changed
            ],
        }

    def diff_known(
        self, known_before: Day, known_after: Day, day: Day, root: str | None = None
    ) -> dict[str, Any]:
        """What changed in what was known between two days, for one day (``groupkg diff
        --known-before K1 --known-after K2 --at D``): the answers of the group on ``day``
        as known on ``known_before`` and as known on ``known_after``, compared as
        :meth:`diff` compares two days, the issued shares that differ, and the records
        that became known or were superseded in between (``docs/knowledge.md``). Of a
        group that read the whole store.

        Returns
        -------
        dict
            ``known_before``, ``known_after``, ``at``, ``root`` and :meth:`diff`'s changes
            (``first_recorded`` empty), ``issued_shares_changed`` (``entity``, ``before``
            and ``after``, each ``{"min", "max", "scheduled"}`` or None), ``became_known``
            and ``superseded`` (records ``{"id", "kind", "known_from"}``).
        """
        from groupkg.graph.timemodel.diff import diff_snapshots, group_members
        from groupkg.graph.timemodel.history import parties
        from groupkg.graph.timemodel.knowledge import superseded_from

        k1, k2 = as_day(known_before, "known_before"), as_day(known_after, "known_after")
        day = as_day(day, "at")
        old_group, new_group = self.known(k1), self.known(k2)
        old, new = old_group.snapshot(day), new_group.snapshot(day)
        scope = group_members(old, new, self.resolve(root)) if root else None
        found = diff_snapshots(old, new, scope, paths=self.consolidation_paths)
        changes = new_group._changes_json(found, day, [])
        shares = []
        for entity_id in sorted(scope if scope is not None else {*old.status, *new.status}):
            figures = [g.timeline.issued_range(entity_id, day) for g in (old_group, new_group)]
            if figures[0] != figures[1]:
                shares.append({"entity": self.ref(entity_id), **{
                    when: {"min": f[0], "max": f[1], "scheduled": f[2]} if f else None
                    for when, f in zip(("before", "after"), figures, strict=True)}})  # fmt: skip
        ends = superseded_from(self.records)
        kinds = (
            ("holding", self.records.holdings),
            ("relation", self.records.relations),
            ("event", self.records.events),
            ("observation", self.records.observations),
        )
        became, superseded = [], []
        for kind, records in kinds:  # fmt: skip
            for r in records:
                if scope is not None and not parties(r) & scope:
                    continue
                about = {"id": r.id, "kind": kind, "known_from": _iso(r.known_from)}
                if r.known_from is not None and k1 < r.known_from <= k2:
                    became.append(about)
                end = ends.get(r.id, False)
                if end is not None and end is not False and k1 < end <= k2:
                    superseded.append({**about, "superseded_from": end.isoformat()})
        return {
            "known_before": k1.isoformat(),
            "known_after": k2.isoformat(),
            "at": day.isoformat(),
            "root": self.ref(self.resolve(root)) if root else None,
            **changes,
            "issued_shares_changed": shares,
            "became_known": became,
            "superseded": superseded,
        }

    def _pair_facts(self, stakes: list[Stake]) -> dict[str, Holding | Relation]:
        """The holdings and relations behind ``stakes`` and every other one of their
        pairs: of the facts read, or (from the cached model) read from the store for
        the entities held."""
        dataset = self.dataset
        if not self.complete and stakes:
            dataset = self._visible(load_dataset(self.store, sorted({s.owned for s in stakes})))
        return {f.id: f for f in [*dataset.holdings, *dataset.relations]}

    def _first_recorded(
        self, stake: Stake, before: _dt.date, facts: dict[str, Holding | Relation]
    ) -> bool:
        """Whether every fact behind ``stake`` is an observation of a pair that no record
        dates on or before ``before``: it appears, it was not acquired."""
        behind = [facts[f] for f in stake.facts if f in facts]
        if not behind or any(b.startswith("passed") for b in stake.basis):
            return False
        for fact in behind:
            if fact.as_of is None or fact.valid_from is not None:
                return False
            owner, owned = (fact.owner, fact.owned) if isinstance(fact, Holding) else (
                fact.parent, fact.child)  # fmt: skip
            for other in facts.values():
                pair = (other.owner, other.owned) if isinstance(other, Holding) else (
                    other.parent, other.child)  # fmt: skip
                start = other.valid_from or other.as_of
                if pair == (owner, owned) and (start is None or start.start <= before):
                    return False
        return True

    def event(self, event_id: str) -> Event:
        """One event, by its IRI or local id.

        From the cached model (:meth:`model`), an event the named entities took no part in is
        read from the store with the facts of those that did.

        Parameters
        ----------
        event_id : str
            The event's IRI, or the last segment of it.

        Returns
        -------
        Event
            The event: type, dates, participants, survivor and absorbed companies of a merger,
            issuer, split ratio or new shares, status, sources.

        Raises
        ------
        InputError
            No such event.

        Examples
        --------
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Event
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> issue = Event("https://example.org/toy/ipo", "PublicOffering",
        ...               effective=day("2013-07-18"), issuer="co", new_shares=1500)
        >>> group = Group(empty, dataset=Dataset({"co": Entity("co", "Co")}, events=[issue]))
        >>> group.event("ipo").new_shares
        1500
        """
        for event in self.dataset.events:
            if event_id in (event.id, event.id.rsplit("/", 1)[-1]):
                return event
        if not self.complete:
            found = self._stored_event(event_id)
            if found is not None:
                return found
        raise InputError(f"no event {event_id!r}")

    def _stored_event(self, event_id: str) -> Event | None:
        from groupkg.graph.store import sparql_string

        def text(value: str) -> str:  # no "$" left for a placeholder
            return sparql_string(value).replace("$", "\\u0024")

        rows = iter_rows(self.store, "scope-event", iri=text(event_id),
                         local=text("/" + event_id))  # fmt: skip
        taking_part: dict[str, set[str]] = {}
        for row in rows:
            iri = str(row["event"])
            if event_id in (iri, iri.rsplit("/", 1)[-1]):
                taking_part.setdefault(iri, set()).add(str(row["e"]))
        for event_id_found in sorted(taking_part, key=lambda e: (e != event_id, e)):
            found = self._visible(load_dataset(self.store, sorted(taking_part[event_id_found])))
            for event in found.events:
                if event.id == event_id_found:
                    return event
        return None

    def event_days(self, event_id: str) -> tuple[_dt.date, _dt.date]:
        """The two days a question "across one event" compares.

        Parameters
        ----------
        event_id : str
            The event's IRI or local id (:meth:`event`).

        Returns
        -------
        tuple of datetime.date
            The last day before the event took effect, and its effective day (for a partial
            effective date, the day after its period).

        Raises
        ------
        InputError
            No such event, or one with no known effective date.

        Examples
        --------
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Event
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> merger = Event("https://example.org/toy/m", "AbsorptionMerger", effective=day("2014"))
        >>> Group(empty, dataset=Dataset(events=[merger])).event_days("m")  # a year: after it
        (datetime.date(2014, 12, 31), datetime.date(2015, 1, 1))
        """
        day = effective_day(self.event(event_id))
        if day is None:
            raise InputError(f"event {event_id!r} has no known effective date")
        return day_before(day), day

    def change_days(self) -> list[_dt.date]:
        """The days on which the state of the group changes, from the first recorded holding.

        Every event's effective day (:meth:`event_days`), and every day a recorded
        holding starts or ends (an observation's as-of date, a stated start or end) or
        an entity begins or ends: the states a timeline steps through, and the days
        the viewer's slider stops at. Read from the time model (:attr:`register`): of
        the whole store, or, when only the group of the named entities is read
        (:meth:`model`), of the entities linked to them on any day
        (:meth:`timeline_members`).

        Examples
        --------
        Parent holds Alpha from 2020 (a share count: its parts at Alpha's share days are
        one holding) and absorbs it in 2022:

        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Event, Holding, Observation
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> toy = Dataset(
        ...     {e: Entity(e, e.title()) for e in ["parent", "alpha"]},
        ...     [Holding("h", "parent", "alpha", shares=60, valid_from=day("2020-01-01"))],
        ...     events=[Event("m", "AbsorptionMerger", effective=day("2022-07-01"),
        ...                   survivor="parent", absorbed=["alpha"])],
        ...     observations=[Observation("o", "alpha", "IssuedShares", 100,
        ...                               as_of=day("2021-03-31"))])
        >>> [d.isoformat() for d in Group(empty, dataset=toy).change_days()]
        ['2020-01-01', '2022-07-01']
        """
        import numpy as np

        from groupkg.graph.timemodel.columns import OPEN_END, OPEN_START

        members = self.timeline_members()
        events = {effective_day(e) for e in self.dated_events()}
        first_days, end_days = self.register.span_days(members)
        if not first_days and not events:
            return []
        register = self.register
        if members is None:
            born, ended = register.born, register.ended
        else:
            at = np.array([p for p in map(register.position, members) if p >= 0], dtype=np.int64)
            born, ended = register.born[at], register.ended[at]
        numbers = first_days | end_days
        numbers |= set(born[born != OPEN_START].tolist()) | set(ended[ended != OPEN_END].tolist())
        changes = {_dt.date.fromordinal(d) for d in numbers}
        first = _dt.date.fromordinal(min(first_days)) if first_days else min(events)
        return sorted(events | {d for d in changes if d >= first})

    def dated_events(self) -> list[Event]:
        """The events with a known effective day of the whole store, or, when only the
        group of the named entities is read (:meth:`model`), those the entities linked
        to them on any day take part in (:meth:`timeline_members`), read from the store."""
        if self.scope is None:
            return self.timeline.events
        self.timeline_members()
        return [e for e in self._member_events.values() if effective_day(e) is not None]

    def timeline_members(self) -> list[str] | None:
        """The entities a question over every day needs (a timeline).

        When only the group of the named entities is read (:meth:`model`): every entity
        linked to them on any day by stakes, consolidations or reported relations
        (:meth:`~groupkg.graph.timemodel.register.Register.group_on`), or by a merger,
        through any number of links; sorted. None when the whole store is read.
        """
        if self.scope is None:
            return None
        if self._timeline_members is None:
            found: set[str] = set()
            new = set(self.register.group_on(self.scope, None)) | set(self.scope)
            events: dict[str, Event] = {}
            while new:
                found |= new
                for event in self._visible(load_dataset(self.store, sorted(new), own=True)).events:
                    events.setdefault(event.id, event)
                parties = {p for e in events.values() for p in (e.survivor, *e.absorbed) if p}
                linked = set(self.register.group_on(sorted(parties - found), None))
                new = (linked | parties) - found
            self._member_events = events
            self._timeline_members = sorted(found)
            self._know(self._timeline_members)
        return self._timeline_members

    def history(self, name: str) -> dict[str, Any]:
        """Every record about one entity on both time axes (``groupkg history``).

        Superseded records are listed too, with what superseded them and from when; as
        known on :attr:`known_at`, only the records known by then (``docs/knowledge.md``).

        Returns
        -------
        dict
            ``entity`` and ``records``, ordered by knowledge time then valid time, each
            ``{"id", "kind", "role", "what", "valid_from", "valid_to", "as_of",
            "known_from", "known_by", "status", "supersedes", "superseded_by",
            "superseded_from", "sources"}`` (``docs/json.md``).
        """
        from groupkg.graph.timemodel.history import describe, entity_history

        entity_id = self.resolve(name)
        records = self.records
        if not self.complete:  # the model keeps no records: read those about the entity
            records = load_dataset(self.store, [entity_id])

        def named(entity: str) -> str:
            return self.ref(entity)["name"]

        return {
            "entity": self.ref(entity_id),
            "records": [
                {
                    "id": r.id, "kind": r.kind, "role": r.role,
                    "what": describe(r.record, named),
                    "valid_from": r.valid_from, "valid_to": r.valid_to, "as_of": r.as_of,
                    "known_from": r.known_from, "known_by": r.known_by, "status": r.status,
                    "supersedes": r.supersedes, "superseded_by": r.superseded_by,
                    "superseded_from": r.superseded_from,
                    "sources": [records.source_label(s) for s in r.record.sources],
                }
                for r in entity_history(records, entity_id, self.known_at)
            ],
        }  # fmt: skip

    def events(
        self,
        name: str | None = None,
        start: Day | None = None,
        end: Day | None = None,
    ) -> list[dict[str, Any]]:
        """Dated events, optionally of one entity and within dates (``groupkg events``).

        Parameters
        ----------
        name : str, optional
            Only the events this entity took part in.
        start, end : Day, optional
            Only the events whose date (effective, else announced) meets ``[start, end]``; an
            event with no date at all is left out when either is given.

        Returns
        -------
        list of dict
            ``[{"id", "type", "label", "date", "announced", "participants", "survivor",
            "assumed", "status", "sources"}]`` in the order of the facts read; ``date`` is the
            effective date, ``assumed`` the assumed properties of the event.

        Examples
        --------
        Parent absorbs Alpha on 2020-07-01:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Event
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> merger = Event("https://example.org/toy/m", "AbsorptionMerger",
        ...                announced=day("2020-03-01"), effective=day("2020-07-01"),
        ...                participants=["parent", "alpha"], survivor="parent", absorbed=["alpha"])
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["parent", "alpha"]}, events=[merger])
        >>> group = Group(empty, dataset=toy)
        >>> [(e["type"], e["date"], e["survivor"]["name"]) for e in group.events("Alpha")]
        [('AbsorptionMerger', '2020-07-01', 'Parent')]
        >>> group.events("Alpha", start=date(2021, 1, 1))
        []
        >>> group.status("alpha", date(2020, 7, 1))
        'dissolved'
        """
        start = as_day(start, "start") if start is not None else None
        end = as_day(end, "end") if end is not None else None
        entity_id = self.resolve(name) if name else None
        found = []
        for event in self.dataset.events:
            when = event.effective or event.announced
            if entity_id and entity_id not in event.participants:
                continue
            if when is not None and start and when.end <= start:
                continue
            if when is not None and end and when.start > end:
                continue
            if when is None and (start or end):
                continue
            found.append(self._event_json(event))
        return found

    def _events_of(self, entity_ids: set[str]) -> list[Event]:
        """The events the entities take part in, among others: as known on
        :attr:`known_at`, scheduled ones marked. A group that read every event has them;
        one of some named entities (:meth:`model`) reads those of the others once."""
        if self.scope is None:
            return self.dataset.events
        missing = sorted(entity_ids - self._events_read)
        if missing:
            for event in self._visible(load_dataset(self.store, missing, own=True)).events:
                self._events_by_id.setdefault(event.id, event)
            self._events_read.update(missing)
        read = {event.id: event for event in self.dataset.events}
        return [*read.values(), *(e for e in self._events_by_id.values() if e.id not in read)]

    def _event_json(self, event: Event) -> dict[str, Any]:
        """One event as :meth:`events` lists it."""
        return {
            "id": event.id,
            "type": event.type,
            "label": event.label,
            "date": str(event.effective) if event.effective else None,
            "announced": str(event.announced) if event.announced else None,
            "participants": [self.ref(p) for p in event.participants],
            "survivor": self.ref(event.survivor) if event.survivor else None,
            "assumed": event.assumed,
            "status": event.status,
            "sources": self._sources(event.sources),
        }

    def scheduled_under(
        self, entity_ids: Iterable[str], day: Day, *, up: bool, issuers: Iterable[str] = ()
    ) -> list[dict[str, Any]]:
        """The scheduled events an answer on ``day`` about ``entity_ids`` rests on, as
        :meth:`events` lists them, by date: events in effect on ``day`` that are known
        only from before they took effect (``docs/knowledge.md``) and that shape the
        answer. A merger does when it absorbed one of the entities or, on any day, an
        entity on the side asked of one of their stakes (their owners and parents when
        ``up``, else what they hold): the absorbed company is gone, and what it held has
        passed to the survivor, only as announced. An issue or split does when its issuer is one
        of ``issuers``: the entities whose share counts a stake of the answer is measured
        against.

        Examples
        --------
        Parent holds 60% of Alpha and is to absorb it on 2020-07-01, known only from the
        announcement; what Parent holds from that day on rests on the merger:

        >>> from datetime import date
        >>> from groupkg.graph.dates import parse_partial_date as day
        >>> from groupkg.graph.model import Dataset, Entity, Event, Holding
        >>> from groupkg.graph.store import open_store
        >>> empty = open_store("memory", default_data=False)  # the ontology, no facts
        >>> merger = Event("https://example.org/toy/m", "AbsorptionMerger",
        ...                effective=day("2020-07-01"), participants=["parent", "alpha"],
        ...                survivor="parent", absorbed=["alpha"], status="scheduled")
        >>> toy = Dataset({e: Entity(e, e.title()) for e in ["parent", "alpha"]},
        ...               [Holding("h", "parent", "alpha", 60.0)], events=[merger])
        >>> group = Group(empty, dataset=toy)
        >>> [e["date"] for e in group.scheduled_under(["parent"], date(2020, 7, 1), up=False)]
        ['2020-07-01']
        >>> group.scheduled_under(["parent"], date(2020, 6, 30), up=False)
        []

        Parent's own owners do not rest on it:

        >>> group.scheduled_under(["parent"], date(2020, 7, 1), up=True)
        []
        """
        day = as_day(day)
        near = set(entity_ids)
        near |= self.register.parties(near, up)
        issuing = set(issuers)
        found = [
            event for event in self._events_of(near | issuing)
            if event.status == "scheduled" and event.effective is not None
            and event.effective.start <= day
            and (not near.isdisjoint(event.absorbed)
                 or event.issuer in issuing and event.type in _SHARE_EVENTS)
        ]  # fmt: skip
        found.sort(key=lambda e: (e.effective.start if e.effective else day, e.id))
        # their parties named as in every answer (read with the events beside a model)
        self._know([p for e in found for p in [*e.participants, e.survivor] if p])
        return [self._event_json(event) for event in found]


def store_info(store: Store) -> dict[str, Any]:
    """Counts, date range and sources of a whole store, asked of the store.

    What ``groupkg info`` prints and ``/api/info`` answers; it reads no facts into memory.

    Parameters
    ----------
    store : Store
        The store.

    Returns
    -------
    dict
        ``store`` (its description), ``triples``, ``entities``, ``holdings``,
        ``relations``, ``events``, ``observations`` (counts), ``date_range`` (the first
        and last date of any fact, or None) and ``sources`` (titles, sorted).

    Examples
    --------
    >>> from groupkg.graph.store import open_store
    >>> empty = store_info(open_store("memory", default_data=False))
    >>> empty["entities"], empty["date_range"], empty["sources"]
    (0, None, [])
    """
    counts = {str(r["kind"]): int(r["n"]) for r in iter_rows(store, "info-counts")}
    dates = list(iter_rows(store, "info-dates"))
    first = dates[0].get("first") if dates else None
    last = dates[0].get("last") if dates else None
    return {
        "store": store.description,
        "triples": len(store),
        **{
            k: counts.get(k, 0)
            for k in ("entities", "holdings", "relations", "events", "observations")
        },  # fmt: skip
        "date_range": [str(first)[:10], str(last)[:10]] if first and last else None,
        "sources": sorted({str(r["title"]) for r in iter_rows(store, "info-sources")}),
    }


def _no_stake_reason(owner_status: str, target_status: str, linked: bool) -> str | None:
    """Why the owner has no effective stake at all in the target (no figure, not 0%),
    or None when a chain of holdings links them."""
    if owner_status != "active":
        return f"the owner is {owner_status} on that day"
    if target_status != "active":
        return f"the target is {target_status} on that day"
    return None if linked else "no chain of holdings leads from the owner to the target"


def _status(statuses: list[str]) -> str:
    """One word for how the facts behind an answer are known: the weakest of them."""
    for word in ("assumed", "derived"):
        if word in statuses:
            return word
    return "stated"


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None
