"""The named query library: every user query runs and answers what the data says."""

import pytest
from click.testing import CliRunner

from groupkg.graph import InputError, open_store
from groupkg.graph.cli import cli
from groupkg.graph.facts.queries import named_queries, prepare, user_queries

IIJ = "https://w3id.org/groupkg/data/iij/"


@pytest.fixture(scope="module")
def store():
    return open_store("memory")


def select(store, name, **params):
    return store.select(prepare(store, name, params))


def test_every_query_has_a_description_and_declared_parameters():
    for query in named_queries().values():
        assert query.description, query.name
        for param in query.params:
            assert "$" + param in query.text, (query.name, param)


def test_the_library_covers_what_users_ask():
    assert {
        "owners-at", "holdings-at", "ancestors-at", "events-of", "sources-of",
        "dissolved-between",
    } <= set(user_queries())  # fmt: skip
    assert not any(name.startswith(("facts-e", "scope-", "names-")) for name in user_queries())


def test_owners_at(store):
    rows = select(store, "owners-at", entity="IIJ Exlayer", date="2013-12-31")
    assert {(r["owner"], float(r["percent"]), r.get("shares")) for r in rows} == {
        (IIJ + "iij", 99.9, 3996),
        (IIJ + "other-shareholders-iij-exlayer", 0.1, 4),
    }


def test_owners_at_respects_dissolution(store):
    assert select(store, "owners-at", entity="IIJ Exlayer", date="2014-01-01") == []


def test_holdings_at(store):
    rows = select(store, "holdings-at", entity="IIJ", date="2010-03-31")
    assert {r["owned"] for r in rows} == {IIJ + "iij-technology", IIJ + "iij-financial-systems"}


def test_ancestors_at(store):
    rows = select(store, "ancestors-at", entity="IIJ Exlayer USA", date="2013-12-31")
    found = {r["ancestor"] for r in rows}
    assert {IIJ + "iij-exlayer", IIJ + "iij", IIJ + "ntt", IIJ + "koichi-suzuki"} <= found


def test_events_of(store):
    rows = select(store, "events-of", entity="IIJ America")
    assert [r["type"].rsplit("#", 1)[1] for r in rows] == ["Merger"]


def test_facts_with_sources(store):
    rows = select(store, "sources-of", entity="KS Holdings")
    assert rows and all(r["source"].startswith(IIJ + "src-") for r in rows)


def test_dissolved_between(store):
    rows = select(store, "dissolved-between", **{"from": "2010-01-01", "to": "2011-01-01"})
    assert {r["entity"] for r in rows} == {IIJ + "iij-technology", IIJ + "iij-financial-systems"}


@pytest.mark.parametrize(
    "name, params, message",
    [
        ("nope", {}, "no named query"),
        ("owners-at", {"entity": "IIJ"}, "needs --param date"),
        ("owners-at", {"entity": "IIJ", "date": "2013-02-30"}, "not a real day"),
        ("owners-at", {"entity": "Nobody", "date": "2013-01-01"}, "no entity is called"),
        ("owners-at", {"entity": "IIJ", "date": "2013-01-01", "x": "1"}, "takes no parameter x"),
    ],
)
def test_bad_parameters(store, name, params, message):
    with pytest.raises(InputError, match=message):
        prepare(store, name, params)


def test_cli_named_query_and_list():
    runner = CliRunner()
    listing = runner.invoke(cli, ["sparql", "--list"])
    assert listing.exit_code == 0 and "owners-at" in listing.output
    result = runner.invoke(
        cli, ["sparql", "--name", "owners-at", "--param", "entity=IIJ-Exlayer",
              "--param", "date=2013-12-31", "--format", "csv"],
    )  # fmt: skip
    assert result.exit_code == 0 and "3996" in result.output
    bad = runner.invoke(cli, ["sparql", "--name", "owners-at", "--param", "entity"])
    assert bad.exit_code == 2 and "KEY=VALUE" in bad.output
