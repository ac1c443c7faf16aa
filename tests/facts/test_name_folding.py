"""Loose names (level 4 of the rules) on real samples, alike on every kind of store.

The names of issue 17: "Home Credit Slovakia" finds "Home Credit Slovakia, a.s." (Open
Ownership's BODS statements of GLEIF data); a name typed without its accents finds the
accented one (GLEIF Level 1: "Corporate Business Solutions Partners S.à r.l.", and the
Brazilian "Indústria e Comércio" of a small CSV file); a straight apostrophe finds a
curly one and the other way round ("The Brink’s Company" of the CSV file, "Patrick
O'Donohue" of the BODS 0.4 examples). Each is asked of a memory store, an
``oxigraph:PATH`` store (by its queries and by its time model's name index), a
``sparql:URL`` store (an Oxigraph server), a batch of names as a CSV import looks them
up, and the viewer's search.
"""

from __future__ import annotations

import urllib.parse
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, Register, import_file, open_store
from groupkg.graph.cli import cli
from groupkg.graph.facts.batchnames import StoreNames
from groupkg.graph.facts.namekeys import without_legal_form
from groupkg.graph.facts.search import LabelIndex, search_in_store
from groupkg.graph.facts.storenames import resolve_in_store
from groupkg.graph.serve.source import search_entities

DATA = Path(__file__).parents[1] / "data"
HOLDINGS = """owner,owned,percent,start_date
Natura Cosméticos S.A.,Natura Indústria e Comércio de Cosméticos Ltda.,100,2020-01-01
The Brink’s Company,"Brink’s Global Services USA, Inc.",100,2020-01-01
"""
BODS = "https://w3id.org/groupkg/data/bods/"
LEI = "https://w3id.org/groupkg/data/lei/"

#: name asked -> the local id of the entity it names.
EXPECTED = {
    "Home Credit Slovakia": BODS + "097900CAKA0000147706",
    "home credit slovakia a.s.": BODS + "097900CAKA0000147706",
    "Corporate Business Solutions Partners S.a r.l.": LEI + "9845002B9874D50A4531",
    "Corporate Business Solutions Partners": LEI + "9845002B9874D50A4531",
    "Vseobecna uverova banka": LEI + "549300JB1P61FUTPEZ75",
    "Natura Industria e Comercio de Cosmeticos": "natura-industria-e-comercio-de-cosmeticos-ltda",
    "NATURA INDUSTRIA E COMERCIO DE COSMETICOS LTDA": (
        "natura-industria-e-comercio-de-cosmeticos-ltda"
    ),
    "The Brink's Company": "the-brinks-company",
    "The Brinks Company": "the-brinks-company",
    "Brink's Global Services USA": "brinks-global-services-usa-inc",
    "Patrick O’Donohue": BODS + "per-41c0bb0cef246f7c",
}


def _files(folder: Path) -> list[tuple[Path, str]]:
    holdings = folder / "holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    return [
        (DATA / "real/gleif-bods-homecredit-replace/bods_relationship_replace_relationship.json",
         "bods"),
        (DATA / "real/gleif-rr-2023-11-06/lei-updates-data2.xml", "gleif"),
        (DATA / "bods-0.4/examples/fermcat.json", "bods"),
        (holdings, "csv"),
    ]  # fmt: skip


def _invoke(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def stores(oxigraph_server, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The samples in a memory store, an ``oxigraph:PATH`` store and a server."""
    folder = tmp_path_factory.mktemp("folding")
    files = _files(folder)
    memory = open_store("memory", default_data=False)
    disk = open_store(f"oxigraph:{folder / 'db'}", default_data=False, writable=True)
    for path, fmt in files:
        import_file(memory, path, fmt)
        import_file(disk, path, fmt)
    update = oxigraph_server[: -len("query")] + "update"
    body = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    urllib.request.urlopen(urllib.request.Request(update, data=body), timeout=30).close()
    remote = f"sparql:{oxigraph_server}"
    _invoke("init", "--store", remote, "--no-default-data")
    for path, fmt in files:
        _invoke("import", str(path), "--format", fmt, "--store", remote, "--no-default-data")
    yield {"memory": memory, "disk": disk, "remote": open_store(remote)}
    del disk


def _resolvers(stores) -> dict[str, Callable[[str], str]]:  # type: ignore[no-untyped-def]
    group = Group(stores["memory"])
    model = Register.from_store(stores["disk"], cache=False)
    return {
        "memory": group.resolve,
        "oxigraph:PATH": lambda name: resolve_in_store(stores["disk"], name),
        "oxigraph:PATH, its time model": lambda name: resolve_in_store(stores["disk"], name, model),
        "sparql:URL": lambda name: resolve_in_store(stores["remote"], name),
    }


def _local(entity: str, expected: str) -> str:
    return entity if "/" in expected else entity.rsplit("/", 1)[-1]


@pytest.mark.parametrize("name", list(EXPECTED))
def test_a_loose_name_finds_its_entity_on_every_store(stores, name):
    for kind, resolve in _resolvers(stores).items():
        assert _local(resolve(name), EXPECTED[name]) == EXPECTED[name], kind


def test_a_csv_import_finds_loose_names_in_one_batch(stores):
    batch = StoreNames(stores["disk"])
    batch.look_up(list(EXPECTED))
    for name, expected in EXPECTED.items():
        found = batch.find(name)
        assert found is not None and _local(found, expected) == expected, name


@pytest.mark.parametrize("name", list(EXPECTED))
def test_the_search_puts_the_entity_a_loose_name_finds_first(stores, name):
    group = Group(stores["memory"])
    assert _local(search_entities(group.dataset, name)[0]["id"], EXPECTED[name]) == EXPECTED[name]
    model = Register.from_store(stores["disk"], cache=False)
    labels = LabelIndex(
        (model.ids[i], label, kind) for i, (label, kind) in enumerate(model.entity_info) if kind
    )
    found = search_in_store(stores["disk"], name, labels)
    assert _local(found[0][0].id, EXPECTED[name]) == EXPECTED[name]


def test_accents_apostrophes_and_legal_forms_of_other_countries_fold_away():
    assert without_legal_form("Indústria e Comércio Ltda.") == "industria e comercio"
    assert without_legal_form("Brink’s") == without_legal_form("Brinkʼs") == "brinks"
    assert without_legal_form("Sp. z o.o. Kowalski, Sp. z o.o.") == "sp z oo kowalski"
    assert without_legal_form("Müller-Lüdenscheidt GmbH & Co. KG") == "muller ludenscheidt"
    assert without_legal_form("Acme S.A. de C.V.") == "acme"
    assert without_legal_form("㈱インターネットイニシアティブ") == "インターネットイニシアティブ"
    assert without_legal_form("Straße Kabushiki Kaisha") == "strasse"
