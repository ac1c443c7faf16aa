"""Knowledge time: which records are visible as known on a day, on every kind of store.

``tests/data/knowledge/chain.ttl``: a chain of corrections of one holding. A is known
from its source (2020-01-01); B (``gk:knownFrom`` 2020-02-01, a dateTime counting on
its date) supersedes A; C (citing two sources: known from the later, 2020-03-01)
supersedes B. Beside them a holding whose knowledge time is not recorded (no dated
source): visible at every day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyoxigraph as ox
import pytest

from groupkg.graph import Group, open_store
from groupkg.graph.facts.loader import load_dataset
from groupkg.graph.timemodel.knowledge import settled, visible
from groupkg.graph.timemodel.register import Register
from tests.turtle import prefixes

CHAIN = (Path(__file__).parents[1] / "data" / "knowledge" / "chain.ttl").read_text()
EX = "https://example.org/k/"
# Known as of each day: the percent Parent holds (None: no record yet) and whether
# the unrecorded holding of Other shows.
EXPECTED = [
    (dt.date(2019, 12, 31), None),  # nothing of the chain known yet
    (dt.date(2020, 1, 1), 40),  # A, from its source's date
    (dt.date(2020, 1, 31), 40),
    (dt.date(2020, 2, 1), 45),  # B supersedes A from its own knownFrom
    (dt.date(2020, 2, 29), 45),
    (dt.date(2020, 3, 1), 50),  # C: its later source's date, not the earlier
    (dt.date(2030, 1, 1), 50),
    (None, 50),  # everything known: what nothing supersedes
]


def _store(kind: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    target = "memory" if kind == "memory" else f"oxigraph:{tmp_path / 'store'}"
    store = open_store(target, default_data=False, writable=True)
    store.add_rdf(CHAIN.encode(), ox.RdfFormat.TURTLE)
    return store


def _percents(group: Group) -> dict[str, float | None]:
    answer = group.owners("Sub", dt.date(2020, 6, 1))
    return {o["name"]: o["percent"] for o in answer["owners"]}


def test_the_loader_reads_knowledge_time_and_corrections():
    store = _store("memory", Path())
    records = {h.id.removeprefix(EX): h for h in load_dataset(store).holdings}
    assert {k: h.known_from for k, h in records.items()} == {
        "a": dt.date(2020, 1, 1), "b": dt.date(2020, 2, 1), "c": dt.date(2020, 3, 1), "d": None,
    }  # fmt: skip
    assert records["c"].supersedes == [EX + "b"] and records["a"].supersedes == []


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
@pytest.mark.parametrize(("known_at", "percent"), EXPECTED)
def test_a_chain_of_corrections_as_known_on_each_day(kind, known_at, percent, tmp_path):
    store = _store(kind, tmp_path)
    groups = [Group(store, known_at=known_at), Group.around(store, ["Sub"], known_at=known_at)]
    if kind == "oxigraph":
        groups.append(Group.model(store, ["Sub"], known_at=known_at))
    for group in groups:
        found = _percents(group)
        assert found.get("Parent") == percent, group
        assert found["Other"] == 10  # not recorded: known at every day


def test_the_register_of_a_day_is_cached_beside_the_store(tmp_path):
    store = _store("oxigraph", tmp_path)
    whole = Register.from_store(store)
    assert whole.known_days == [dt.date(2020, 1, 1), dt.date(2020, 2, 1), dt.date(2020, 3, 1)]
    # From the last knowledge day on, the register of everything known.
    later = Register.from_store(store, known_at=dt.date(2021, 1, 1))
    assert later.owners_at(EX + "s", "2020-06-01") == whole.owners_at(EX + "s", "2020-06-01")
    Register.from_store(store, known_at=dt.date(2020, 2, 15))
    Register.from_store(store, known_at=dt.date(2020, 2, 20))  # the same day's register
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "store", "store.model", "store.model.known-2020-02-01",
    ]  # fmt: skip


def test_settled_day_before_every_knowledge_day():
    days = [dt.date(2020, 1, 1)]
    assert settled(days, dt.date(2019, 1, 1)) == dt.date.min
    assert settled([], dt.date(2019, 1, 1)) is None


def test_an_event_known_before_it_takes_effect_is_scheduled():
    store = open_store("memory", default_data=False)
    store.add_rdf(
        (
            prefixes(ex=EX)
            + """
    ex:p a gk:LegalEntity ; rdfs:label "Parent" .
    ex:s a gk:LegalEntity ; rdfs:label "Sub" .
    ex:m a gk:AbsorptionMerger ; gk:survivor ex:p ; gk:absorbed ex:s ;
        gk:participant ex:p, ex:s ; gk:effectiveDate "2020-04-01"^^xsd:date ;
        gk:knownFrom "2020-02-01"^^xsd:date .
    ex:m2 a gk:AbsorptionMerger ; gk:survivor ex:p ; gk:absorbed ex:s ;
        gk:participant ex:p, ex:s ; gk:effectiveDate "2020-04-01"^^xsd:date ;
        gk:knownFrom "2020-04-02"^^xsd:date ; gk:supersedes ex:m .
    """
        ).encode(),
        ox.RdfFormat.TURTLE,
    )
    records = load_dataset(store)
    assert [e.status for e in visible(records, dt.date(2020, 3, 1)).events] == ["scheduled"]
    assert [e.status for e in visible(records, None).events] == ["stated"]
    group = Group(store, known_at=dt.date(2020, 3, 1))
    assert [e["status"] for e in group.events("Sub")] == ["scheduled"]
    assert group.status(EX + "s", dt.date(2020, 4, 1)) == "dissolved"
    assert Group(store, known_at=dt.date(2020, 1, 1)).events("Sub") == []
