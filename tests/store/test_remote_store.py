"""The same answers from memory, oxigraph:PATH and real SPARQL servers (sparql:URL).

The servers are the `oxigraph` PyPI package's own binary and Debian's Virtuoso, started
on 127.0.0.1 by fixtures and stopped at the end; `groupkg init` writes the ontology and
the IIJ data into them over SPARQL Update.
"""

from __future__ import annotations

import datetime
import json
import re

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, SparqlStore, open_store
from groupkg.graph.cli import cli
from groupkg.graph.store import named_query
from tests.tools import free_port

QUESTIONS = [
    ["owners", "IIJ Exlayer", "--at", "2013-12-31"],
    ["owners", "IIJ", "--at", "2014-01-01"],
    ["holdings", "IIJ", "--at", "2010-03-31"],
    ["paths", "IIJ Exlayer USA", "--at", "2013-12-31"],
    ["paths", "IIJ America", "--at", "2014-01-01"],
    ["effective", "Koichi Suzuki", "IIJ", "--at", "2013-12-31"],
    ["perimeter", "IIJ", "--at", "2013-12-31"],
    ["entity", "IIJ", "--at", "2013-08-05"],
    ["diff", "--before", "2013-12-31", "--after", "2014-01-01", "--root", "IIJ"],
    ["events", "--entity", "IIJ Exlayer"],
    ["sparql", "--name", "owners-at", "--param", "entity=IIJ Exlayer", "--param", "date=2013-12-31",
     "--format", "csv"],
    ["sparql", "--name", "dissolved-between", "--param", "from=2010-01-01",
     "--param", "to=2015-01-01", "--format", "csv"],
]  # fmt: skip


@pytest.fixture(scope="module")
def on_disk(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("remote-compare") / "db"
    open_store(f"oxigraph:{path}").close()
    return f"oxigraph:{path}"


def _answer(args: list[str], store: str | None) -> tuple[int, str]:
    extra = ["--store", store] if store else []
    wants_json = args[0] != "sparql"
    result = CliRunner().invoke(cli, [*args, *extra, *(["--json"] if wants_json else [])])
    return result.exit_code, result.output


@pytest.mark.parametrize("args", QUESTIONS, ids=lambda a: "-".join(a[:2]))
def test_every_store_gives_the_same_answer(args, sparql_store, on_disk):
    memory = _answer(args, None)
    assert memory[0] == 0, memory[1]
    assert _answer(args, on_disk) == memory
    assert _answer(args, sparql_store) == memory


def test_import_writes_into_the_remote_store(sparql_store, tmp_path):
    csv = tmp_path / "extra.csv"
    csv.write_text(
        "owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source\n"
        "IIJ America,Remote Test LLC,100,,,,2015-01-01,,Test sheet\n"
    )
    store = sparql_store
    result = CliRunner().invoke(cli, ["import", str(csv), "--store", store])
    assert result.exit_code == 0, result.output
    paths = json.loads(CliRunner().invoke(
        cli, ["paths", "Remote Test LLC", "--at", "2015-06-01", "--store", store, "--json"]
    ).output)  # fmt: skip
    assert [s["name"] for s in paths["paths"][0]] == [
        "Internet Initiative Japan Inc.", "IIJ America Inc.", "Remote Test LLC",
    ]  # fmt: skip


def test_a_question_takes_a_few_round_trips_whatever_the_store_holds(sparql_store):
    class Counting(SparqlStore):
        calls = 0
        sent: list[str] = []

        def select(self, query):  # noqa: ANN001, ANN201
            Counting.calls += 1
            Counting.sent.append(query)
            return super().select(query)

    store = open_store(sparql_store)
    store.__class__ = Counting
    group = Group.around(store, ["IIJ Exlayer"])
    # The identity judgements (1); the name's candidates and their records (2); the
    # records carrying their identifiers (1; docs/identity.md); the neighbourhood (1),
    # its records and the records carrying their identifiers (2), each record read once
    # per question; the facts touching them, then their properties (2), and the names
    # and dates of the sources they cite (1): a number independent of the store.
    assert Counting.calls <= 10
    # each record asked for once, in one of the reads of entity records
    lines = named_query("scope-entities").splitlines()
    records = next(line for line in lines if line.startswith("SELECT"))
    asked = [
        re.findall(r"<([^>]*)>", q.split("VALUES ?s {")[1].split("}")[0])
        for q in Counting.sent
        if records in q
    ]
    every = [iri for iris in asked for iri in iris]
    assert len(asked) >= 2 and len(every) == len(set(every))
    assert set(group.dataset.entities) <= set(every)
    # the neighbourhood only: the IIJ group, not the whole store
    assert len(group.dataset.entities) < 30
    # As known on a day: the same reads, the visible records chosen from them.
    Counting.calls = 0
    known = Group.around(store, ["IIJ Exlayer"], known_at=datetime.date(2013, 11, 6))
    assert Counting.calls <= 10
    day = datetime.date(2013, 11, 6)
    assert all(h.known_from is None or h.known_from <= day for h in known.dataset.holdings)
    assert len(known.dataset.holdings) < len(group.dataset.holdings)


def test_unreachable_endpoint_is_an_input_error():
    port = free_port()
    result = CliRunner().invoke(
        cli, ["owners", "IIJ", "--store", f"sparql:http://127.0.0.1:{port}/query"]
    )
    assert result.exit_code == 2
    assert "cannot reach the SPARQL endpoint" in result.output
