"""A loaded group and the questions users ask of it, answered as JSON-ready dicts.

Each method answers one command of the command line (and, later, one API route) in
exactly the shape DESIGN.md gives; the command line only prints what comes back.
"""

from __future__ import annotations

import datetime as _dt
import math
from functools import lru_cache
from typing import Any

from groupkg.graph.dates import day_before
from groupkg.graph.errors import InputError
from groupkg.graph.facts.loader import load_dataset, neighbourhood
from groupkg.graph.facts.names import NameTable, resolve_in_store
from groupkg.graph.model import Dataset, Entity, Event, Holding, Relation
from groupkg.graph.store import Store, iter_rows
from groupkg.graph.timemodel.register import Register, completion
from groupkg.graph.timemodel.stakes import Snapshot, Stake, status_at
from groupkg.graph.timemodel.timeline import IssuedShares, Timeline

__all__ = ["Group", "store_info"]


def _num(value: float | None) -> float | None:
    if value is None or not math.isfinite(value):
        return None
    rounded = round(value, 6)
    return int(rounded) if rounded == int(rounded) and abs(rounded) < 1e15 else rounded


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


class Group:
    """The facts of a store, their time model and the analytics over them."""

    def __init__(
        self,
        store: Store,
        threshold: float = 50.0,
        dataset: Dataset | None = None,
        register: Register | None = None,
        scope: list[str] | None = None,
    ):
        self.store = store
        self.threshold = threshold
        self.dataset: Dataset = dataset if dataset is not None else load_dataset(store)
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

    @classmethod
    def around(cls, store: Store, names: list[str], threshold: float = 50.0) -> Group:
        """The part of ``store`` a question about ``names`` needs: their neighbourhood.

        Names are resolved by the store, then only the facts of the entities linked to
        them by holdings, relations or mergers are read, in a few queries.
        """
        ids = {name: resolve_in_store(store, name) for name in names}
        group = cls(store, threshold, load_dataset(store, neighbourhood(store, ids.values())))
        group.resolved.update(ids)
        return group

    @classmethod
    def model(
        cls, store: Store, names: list[str], threshold: float = 50.0,
        register: Register | None = None,
    ) -> Group:  # fmt: skip
        """A question about ``names`` answered from the time model of the whole store,
        cached beside an ``oxigraph:PATH`` store (:meth:`Register.from_store`; or
        ``register``, that model already opened): each day's state is read for the group
        of the named entities on that day; only the named entities' own facts are read
        from the store (for ``entity``)."""
        register = register if register is not None else Register.from_store(store)
        ids = {name: resolve_in_store(store, name, register) for name in names}
        scope = sorted(set(ids.values()))
        group = cls(store, threshold, load_dataset(store, scope, own=True), register, scope)
        group.resolved.update(ids)
        return group

    # -- helpers ---------------------------------------------------------------------

    def _state(self, day: _dt.date) -> Snapshot:
        if self.scope is None:
            return self.register.snapshot(day)
        members = self.register.group_on(self.scope, day)
        self._know(members)
        return self.register.snapshot(day, members)

    def members(self, days: list[_dt.date]) -> list[str] | None:
        """The entities a question over several ``days`` needs, when only the group of
        the named entities is read (:meth:`model`): everything linked to them on any of
        the days, and what is linked to that on any of them in turn (an entity that
        joins the group on one day brings its links of the other days). None when the
        whole store is read."""
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

    def pair(self, before: _dt.date, after: _dt.date) -> tuple[Snapshot, Snapshot]:
        """The states on two days, over the same entities (:meth:`members`), so that an
        entity in the group on one day only is compared with itself on the other."""
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
        """Make sure the entities' own facts are read: legal names, identifiers,
        listings, sources and issued shares. From the cached model (:meth:`model`),
        those not read yet are read from the store in one scoped read."""
        if self.scope is None:
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
        found = load_dataset(self.store, missing, own=True)
        shares = Timeline(Dataset(observations=found.observations, events=found.events))
        for entity_id in missing:
            if entity_id in found.entities:
                self.dataset.entities[entity_id] = found.entities[entity_id]
            self._described[entity_id] = shares
        self.dataset.sources = {**found.sources, **self.dataset.sources}

    def issued_shares(self, entity_id: str, day: _dt.date) -> int | None:
        """Issued shares of an entity on ``day`` (see :meth:`describe`)."""
        return self._described.get(entity_id, self.timeline).issued_shares(entity_id, day)

    def status(self, entity_id: str, day: _dt.date) -> str:
        return status_at(*self.register.lifetime(entity_id), day)

    def lifetime(self, entity_id: str) -> tuple[_dt.date | None, _dt.date | None]:
        return self.register.lifetime(entity_id)

    def resolve(self, name: str) -> str:
        """The entity ``name`` names, by the rules of :mod:`groupkg.graph.facts.names`."""
        if name in self.resolved:
            return self.resolved[name]
        return self.names.resolve(name)

    def snapshot(self, day: _dt.date) -> Snapshot:
        return self._snapshot(day)

    def ref(self, entity_id: str) -> dict[str, str]:
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
        return store_info(self.store)

    def entity(self, name: str, day: _dt.date) -> dict[str, Any]:
        entity_id = self.resolve(name)
        entity = self.dataset.entities[entity_id]
        dissolved = self.lifetime(entity_id)[1]
        end_reasons = self.register.assumed_ends.get(entity_id, [])
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
        return {
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
            "assumptions": [
                {"fact": "dissolved", "entity": entity_id, "reason": r} for r in end_reasons
            ],
            "issued_shares": self.timeline.issued_shares(entity_id, day),
            "facts": facts,
            "facts_as_of": {k: str(v) for k, v in entity.facts_since.items() if k in facts},
            "sources": self._sources(entity.sources),
        }

    def owners(self, name: str, day: _dt.date) -> dict[str, Any]:
        entity_id = self.resolve(name)
        snap = self._near(day)
        return {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "owners": [self._stake_json(s, s.owner) for s in snap.owners_of(entity_id)],
        }

    def holdings(self, name: str, day: _dt.date) -> dict[str, Any]:
        entity_id = self.resolve(name)
        snap = self._near(day)
        return {
            "entity": self.ref(entity_id),
            "at": day.isoformat(),
            "status": self.status(entity_id, day),
            "holdings": [self._stake_json(s, s.owned) for s in snap.holdings_of(entity_id)],
        }

    def consolidation_paths(self, snap: Snapshot, entity_id: str) -> list[list[str]]:
        from groupkg.graph.analytics import control

        graph = snap.graph(unnamed=False)  # built once a state: diff asks every entity
        if entity_id not in graph:
            return []
        return control.consolidation_paths(graph, entity_id, threshold=self.threshold)

    def paths(self, name: str, day: _dt.date) -> dict[str, Any]:
        """Ultimate parent and consolidation paths, computed and reported.

        The direct records give the computed ultimate parent. Where a source reports
        an ultimate parent (GLEIF ``IS_ULTIMATELY_CONSOLIDATED_BY``) valid that day,
        ``ultimate_parent_basis`` says how the two stand: ``computed`` (none
        reported), ``agrees``, ``completed`` (the computed chain stops short, and the
        one reported parent completes it: the answer is that parent's own ultimate
        parent, and ``reported_links`` names the link that rests on the report) or
        ``differs`` (the computed chain runs past the reported parent, or several are
        reported: the computed answer stands, the reported one is shown beside it).
        """
        from groupkg.graph.analytics import control

        entity_id = self.resolve(name)
        snap = self.snapshot(day)
        graph = snap.graph(unnamed=False)
        status = self.status(entity_id, day)
        if entity_id in graph:
            parent = control.ultimate_parent(graph, entity_id, threshold=self.threshold)
            found = control.consolidation_paths(graph, entity_id, threshold=self.threshold)
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
            return control.ultimate_parent(graph, entity, threshold=self.threshold)

        present = computed if entity_id in graph else None
        basis, completed = completion(reported, present, parent_of)
        if basis == "completed":
            upper = control.consolidation_paths(graph, reported[0], threshold=self.threshold)
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
        }

    def effective(self, owner: str, target: str, day: _dt.date) -> dict[str, Any]:
        from groupkg.graph.analytics.effective import effective_ownership

        owner_id, target_id = self.resolve(owner), self.resolve(target)
        graph = self.snapshot(day).graph(measure="ownership")
        if owner_id in graph and target_id in graph and owner_id != target_id:
            low, high = effective_ownership(graph, owner_id, target_id)
        else:
            low = high = 0.0
        return {
            "owner": self.ref(owner_id),
            "target": self.ref(target_id),
            "at": day.isoformat(),
            "percent": _pct(low) if _pct(low) == _pct(high) else None,
            "percent_min": _pct(low),
            "percent_max": _pct(high),
        }

    def perimeter(self, name: str, day: _dt.date, affiliate_min: float = 20.0) -> dict[str, Any]:
        from groupkg.graph.analytics import control

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
        found = control.perimeter(
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

    def diff(self, before: _dt.date, after: _dt.date, root: str | None = None) -> dict[str, Any]:
        from groupkg.graph.timemodel.diff import diff_snapshots, group_members

        old, new = self.pair(before, after)
        scope = group_members(old, new, self.resolve(root)) if root else None
        found = diff_snapshots(old, new, scope, paths=self.consolidation_paths)

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

        # A pair first recorded between the two days is no acquisition: the sources
        # simply say nothing of it before (an observation is never carried back).
        facts = self._pair_facts(found.added)
        first = [s for s in found.added if self._first_recorded(s, before, facts)]
        added = [s for s in found.added if s not in first]
        return {
            "before": before.isoformat(),
            "after": after.isoformat(),
            "root": self.ref(self.resolve(root)) if root else None,
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

    def _pair_facts(self, stakes: list[Stake]) -> dict[str, Holding | Relation]:
        """The holdings and relations behind ``stakes`` and every other one of their
        pairs: of the facts read, or (from the cached model) read from the store for
        the entities held."""
        dataset = self.dataset
        if self.scope is not None and stakes:
            dataset = load_dataset(self.store, sorted({s.owned for s in stakes}))
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
        """An event by IRI or local id. From the cached model (:meth:`model`), an event
        the named entities took no part in is read from the store with the facts of
        those that did."""
        for event in self.dataset.events:
            if event_id in (event.id, event.id.rsplit("/", 1)[-1]):
                return event
        if self.scope is not None:
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
            found = load_dataset(self.store, sorted(taking_part[event_id_found]))
            for event in found.events:
                if event.id == event_id_found:
                    return event
        return None

    def event_days(self, event_id: str) -> tuple[_dt.date, _dt.date]:
        """The last day before an event and its effective day."""
        event = self.event(event_id)
        if event.effective is None:
            raise InputError(f"event {event_id!r} has no known effective date")
        day = event.effective.start if event.effective.precision == "day" else event.effective.end
        return day_before(day), day

    def events(
        self,
        name: str | None = None,
        start: _dt.date | None = None,
        end: _dt.date | None = None,
    ) -> list[dict[str, Any]]:
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
            found.append(
                {
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
            )
        return found


def store_info(store: Store) -> dict[str, Any]:
    """Counts, date range and sources of a whole store, asked of the store."""
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


def _status(statuses: list[str]) -> str:
    """One word for how the facts behind an answer are known: the weakest of them."""
    for word in ("assumed", "derived"):
        if word in statuses:
            return word
    return "stated"


def _iso(day: _dt.date | None) -> str | None:
    return day.isoformat() if day else None
