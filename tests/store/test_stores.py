"""The same answers from every store backend."""

import datetime as dt

import pyoxigraph as ox
import pytest

from groupkg.graph import Group, InputError, OxigraphStore, open_store

D = dt.date.fromisoformat
QUESTIONS = [
    ("owners", ("IIJ", D("2013-12-31"))),
    ("owners", ("IIJ-Exlayer", D("2013-12-31"))),
    ("holdings", ("IIJ", D("2010-03-31"))),
    ("paths", ("IIJ Exlayer USA", D("2013-12-31"))),
    ("paths", ("IIJ America", D("2014-01-01"))),
    ("effective", ("Koichi Suzuki", "IIJ", D("2013-12-31"))),
    ("perimeter", ("IIJ", D("2013-12-31"))),
    ("entity", ("IIJ", D("2013-08-05"))),
    ("diff", (D("2013-12-31"), D("2014-01-01"), "IIJ")),
    ("events", ()),
]


@pytest.fixture(scope="module")
def persistent(tmp_path_factory):
    path = tmp_path_factory.mktemp("store") / "oxi"
    store = open_store(f"oxigraph:{path}")
    yield path, store
    del store


@pytest.mark.parametrize("method, args", QUESTIONS, ids=[q[0] for q in QUESTIONS])
def test_memory_and_oxigraph_answer_alike(iij, persistent, method, args):
    _, store = persistent
    on_disk = Group(store)
    assert getattr(on_disk, method)(*args) == getattr(iij, method)(*args) or method == "info"


def test_new_persistent_store_is_initialised_once(persistent):
    path, store = persistent
    size = len(store)
    assert size > 1000
    reopened = OxigraphStore(path, read_only=True)
    assert len(reopened) == size and reopened.initialised
    again = open_store(f"oxigraph:{path}")  # opening again adds nothing
    assert len(again) == size


def test_memory_store_without_default_data_has_only_the_ontology():
    store = open_store("memory", default_data=False)
    group = Group(store)
    assert group.dataset.entities == {} and len(store) > 100


def test_add_rdf_is_all_or_nothing():
    store = OxigraphStore()
    before = len(store)
    with pytest.raises(SyntaxError):
        store.add_rdf(
            b"<http://x/a> <http://x/b> <http://x/c> .\n<http://x/a> <http://x/b> ",
            __import__("pyoxigraph").RdfFormat.N_TRIPLES,
        )
    assert len(store) == before


@pytest.mark.parametrize("spec", ["disk:/tmp/x", "oxigraph:", "sparql:", "nothing"])
def test_unknown_store_specs_are_input_errors(spec):
    with pytest.raises(InputError, match="not a store"):
        open_store(spec)


@pytest.mark.parametrize(
    "args",
    [
        ["owners", "IIJ Exlayer", "--at", "2013-12-31"],
        ["paths", "IIJ Exlayer USA", "--at", "2013-12-31"],
        ["effective", "Koichi Suzuki", "Internet Initiative Japan", "--at", "2013-12-31"],
        ["holdings", "iij", "--at", "2010-03-31"],
        ["events", "--entity", "IIJ America"],
        ["diff", "--before", "2013-12-31", "--after", "2014-01-01", "--root", "IIJ"],
        ["info"],
    ],
    ids=lambda a: a[0],
)
def test_cli_answers_alike_on_a_persistent_store(persistent, args):
    import json

    from click.testing import CliRunner

    from groupkg.graph.cli import cli

    path, _ = persistent
    memory = CliRunner().invoke(cli, [*args, "--json"])
    on_disk = CliRunner().invoke(cli, [*args, "--json", "--store", f"oxigraph:{path}"])
    assert memory.exit_code == on_disk.exit_code == 0, on_disk.output
    first, second = json.loads(memory.output), json.loads(on_disk.output)
    if args[0] == "info":
        first.pop("store"), second.pop("store")
    assert first == second


class _ImportStartsMeanwhile:
    """A pyoxigraph store in which an import's staging graph appears between the
    reader's look at the named graphs and its query."""

    def __init__(self, store, staging):
        self._store, self._staging = store, staging

    def named_graphs(self):
        return iter(())

    def query(self, *args, **kwargs):
        self._store.add(
            ox.Quad(
                ox.NamedNode("urn:x:s"), ox.NamedNode("urn:x:p"), ox.Literal("o"), self._staging
            )
        )
        return self._store.query(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self._store, name)


def test_a_graph_named_while_a_query_starts_is_not_seen(tmp_path):
    # An empty store left GRAPH ?g to Oxigraph: a staging graph that appeared before
    # the query ran was read, half an import (seen once in a CI run as a count of 1).
    from groupkg.graph.store.staging import _IMPORT_GRAPH

    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    staging = ox.NamedNode(f"{_IMPORT_GRAPH}race")
    store.store = _ImportStartsMeanwhile(store.store, staging)
    rows = store.select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert int(rows[0]["n"]) == 0
    store.store = store.store._store
    store.close()
