"""The named queries answer what the time model answers, on every IIJ event's eve and day.

The queries read recorded facts only (no merger passes anything on), so they are
compared with the time model's holdings and consolidations that were not passed to a
survivor; on the IIJ data that is all of them. Each step of a query must be valid on
the date: a holding observed later, ended, superseded, or with a party that no longer
(or does not yet) exist is no step.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import pytest

from groupkg.graph import Group, open_store
from groupkg.graph.facts.queries import prepare

IIJ = "https://w3id.org/groupkg/data/iij/"


@pytest.fixture(scope="module")
def iij_store():
    return open_store("memory")


@pytest.fixture(scope="module")
def group(iij_store) -> Group:
    return Group(iij_store)


def _event_days() -> list[dt.date]:
    days: set[dt.date] = set()
    for event in Group(open_store("memory")).dataset.events:
        if event.effective is not None:
            day = event.effective.start
            days |= {day - dt.timedelta(days=1), day}
    return sorted(days)


EVENT_DAYS = _event_days()


def select(store, name, **params):
    return store.select(prepare(store, name, params))


def _recorded(stakes):
    return [s for s in stakes if not any(b.startswith("passed") for b in s.basis)]


def test_the_event_days_cover_every_iij_event():
    # 2010-04-01 mergers, 2012-10-01 split, 2013-06-26 articles, 2013-07-10 lock-up,
    # 2013-07-11 options, 2013-07-18 offering, 2013-07-19 over-allotment, 2013-08-05
    # allotment, 2014-01-01 mergers and treasury delivery
    effective = {"2010-04-01", "2012-10-01", "2013-06-26", "2013-07-10", "2013-07-11",
                 "2013-07-18", "2013-07-19", "2013-08-05", "2014-01-01"}  # fmt: skip
    assert effective <= {str(d) for d in EVENT_DAYS}
    assert len(EVENT_DAYS) == 16  # 2013-07-10 and 2013-07-18 are also eves


@pytest.mark.parametrize("day", EVENT_DAYS, ids=str)
def test_owners_and_holdings_at_agree_with_the_time_model(iij_store, group, day):
    snap = group.snapshot(day)
    for entity in group.dataset.entities:
        owners = {r["owner"] for r in select(iij_store, "owners-at", entity=entity, date=str(day))}
        held = {r["owned"] for r in select(iij_store, "holdings-at", entity=entity, date=str(day))}
        stakes = _recorded(snap.stakes)
        assert owners == {s.owner for s in stakes if s.owned == entity and s.holding}, entity
        assert held == {s.owned for s in stakes if s.owner == entity and s.holding}, entity


@pytest.mark.parametrize("day", EVENT_DAYS, ids=str)
def test_ancestors_at_agrees_with_the_time_model(iij_store, group, day):
    graph = group.snapshot(day).graph()
    held = {h.owned for h in group.dataset.holdings} | {r.child for r in group.dataset.relations}
    for entity in sorted(held):
        found = {r["ancestor"] for r in select(iij_store, "ancestors-at", entity=entity,
                                                date=str(day))}  # fmt: skip
        expected = nx.ancestors(graph, entity) if entity in graph else set()
        assert found == expected, entity


@pytest.mark.parametrize("day", EVENT_DAYS, ids=str)
def test_dissolved_between_agrees_with_the_time_model(iij_store, group, day):
    start = day - dt.timedelta(days=1)
    found = {r["entity"] for r in select(iij_store, "dissolved-between", **{
        "from": str(start), "to": str(day + dt.timedelta(days=1))})}  # fmt: skip
    ends = {e: group.timeline.lifetime(e)[1] for e in group.dataset.entities}
    ended = {e for e, end in ends.items() if end is not None and start <= end <= day}
    assert found == ended


def test_ancestors_at_drops_a_dissolved_parent_and_its_later_shareholders(iij_store):
    # 2010-02-04 release: IIJ Technology absorbed 2010-04-01; IIJ's 2013 shareholders
    # (2013-11-07 release, 4 (10)) are no ancestors of it before or after
    for day in ("2010-03-31", "2013-09-30"):
        found = {r["ancestor"] for r in select(iij_store, "ancestors-at",
                                                entity="IIJ Technology", date=day)}  # fmt: skip
        assert found == ({IIJ + "iij"} if day == "2010-03-31" else set())


def test_ancestors_at_finds_iij_exlayer_usa_s_parent_on_the_release_eve(iij_store):
    # 2013-11-07 release, 1: IIJ Exlayer USA is a subsidiary of IIJ-Exlayer, IIJ's 99.9%
    # subsidiary on the registry of 2013-09-30; the relation is recorded as of 2013-11-07
    rows = select(iij_store, "ancestors-at", entity="IIJ Exlayer USA", date="2013-11-07")
    found = {r["ancestor"] for r in rows}
    assert {IIJ + "iij-exlayer", IIJ + "iij", IIJ + "ntt"} <= found
    before = select(iij_store, "ancestors-at", entity="IIJ Exlayer USA", date="2013-11-06")
    assert before == []


def test_dissolved_between_marks_the_assumed_us_merger(iij_store):
    # 2013-11-07 release, 1: the merger of IIJ America and IIJ Exlayer USA names no
    # survivor and no date; IIJ Exlayer's absorption (2 (1), (2)) is stated
    found = select(iij_store, "dissolved-between", **{"from": "2014-01-01", "to": "2014-01-02"})
    rows = {r["entity"]: r for r in found}
    assert set(rows) == {IIJ + "iij-exlayer", IIJ + "iij-exlayer-usa"}
    assert str(rows[IIJ + "iij-exlayer-usa"]["assumed"]).lower() == "true"
    assert "not stated" in str(rows[IIJ + "iij-exlayer-usa"]["reason"])
    assert str(rows[IIJ + "iij-exlayer"]["assumed"]).lower() == "false"
