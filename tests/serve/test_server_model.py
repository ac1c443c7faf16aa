"""``groupkg serve`` on an ``oxigraph:PATH`` store answers from the store's cached time
model (``PATH.model``) and the facts of the entities a question names, as the
command line does; its search and the command line's name resolution agree."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

from click.testing import CliRunner

from groupkg.graph import Register, add_files, load_dataset, open_store
from groupkg.graph.cli import cli
from tests.servers import call, launch, stop
from tests.turtle import prefixes

TESTS = Path(__file__).parents[1]
TOY = TESTS / "data" / "toygroup.ttl"


def _json(base: str, path: str) -> tuple[int, dict]:
    status, _, body = call("GET", base + path)
    return status, json.loads(body)


def _imported(tmp_path: Path, *files: Path) -> Path:
    store = tmp_path / "store"
    for path in files:
        result = CliRunner().invoke(cli, ["--store", f"oxigraph:{store}", "--no-default-data",
                                          "import", "--quiet", str(path)])  # fmt: skip
        assert result.exit_code == 0, result.output
    return store


def _owners(base: str, name: str, day: str) -> dict[str, float]:
    status, answer = _json(base, f"/api/owners/{urllib.parse.quote(name)}?at={day}")
    assert status == 200, answer
    return {owner["name"]: owner["percent"] for owner in answer["owners"]}


def test_an_oxigraph_store_is_answered_from_its_cached_time_model(tmp_path):
    store = _imported(tmp_path, TOY)
    # A time model saying P holds 75% of Beta (the store says 60%), saved as the cache of
    # the store as it is: the server's answers show which of the two they are read from.
    doctored = tmp_path / "doctored.ttl"
    doctored.write_text(
        TOY.read_text(encoding="utf-8").replace(
            "gk:owned t:b ; gk:percent 60", "gk:owned t:b ; gk:percent 75"
        ),
        encoding="utf-8",
    )
    memory = open_store("memory", default_data=False)
    add_files(memory, [doctored])
    model = Register.from_dataset(load_dataset(memory), provenance=True)
    assert model.attach(open_store(f"oxigraph:{store}", default_data=False)) is not None
    base, process = launch("--store", f"oxigraph:{store}", "--workers", "1", cwd=tmp_path)
    try:
        assert _owners(base, "Beta", "2020-01-01") == {"Parent Co": 75}
        # so is a question naming no entity: a diff of the whole store
        status, answer = _json(base, "/api/diff?before=2021-12-31&after=2022-01-01")
        assert status == 200, answer
        assert [(c["owned"]["name"], c["percent_before"], c["percent"])
                for c in answer["changed"]] == [("Beta", 75, 40)]  # fmt: skip
        # what the store holds is still asked of the store
        status, answer = _json(base, "/api/entity/Beta?at=2020-01-01")
        assert status == 200 and answer["entity"]["name"] == "Beta"
        status, _, body = call("GET", base + "/sparql?query=" + urllib.parse.quote(
            "SELECT ?p WHERE { <https://example.org/toy/h-pb> "
            "<https://w3id.org/groupkg/ontology#percent> ?p }"))  # fmt: skip
        assert status == 200
        assert [b["p"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["60"]
    finally:
        stop(process)
    # the command line reads the same model
    diff = CliRunner().invoke(cli, ["--store", f"oxigraph:{store}", "--json", "diff",
                                    "--before", "2021-12-31", "--after", "2022-01-01"])  # fmt: skip
    assert diff.exit_code == 0, diff.output
    assert [c["percent_before"] for c in json.loads(diff.output)["changed"]] == [75]
    # the memory store reads the facts themselves
    memory_base, memory_process = launch("--no-default-data", "--data", str(TOY),
                                         "--workers", "1", cwd=tmp_path)  # fmt: skip
    try:
        assert _owners(memory_base, "Beta", "2020-01-01") == {"Parent Co": 60}
    finally:
        stop(memory_process)


def test_an_import_renews_the_time_model_the_answers_come_from(tmp_path):
    store = _imported(tmp_path, TOY)
    base, process = launch("--store", f"oxigraph:{store}", "--workers", "2", cwd=tmp_path)
    try:
        assert _owners(base, "Gamma", "2019-12-31") == {"Alpha": 80}
        more = tmp_path / "more.ttl"
        more.write_text(
            prefixes(t="https://example.org/toy/")
            + "t:h-xc a gk:Holding ; gk:owner t:x ; gk:owned t:c ; gk:percent 20 ;\n"
            '    gk:asOf "2019-09-30"^^xsd:date ; gk:factStatus gk:Stated .\n',
            encoding="utf-8",
        )
        _imported(tmp_path, more)
        assert _owners(base, "Gamma", "2019-12-31") == {"Alpha": 80, "Xavier": 20}
    finally:
        stop(process)


AMBIGUOUS = (
    prefixes(e="https://example.org/names/")
    + """\
e:acme-jp a gk:LegalEntity ; rdfs:label "Acme" ; gk:legalName "Acme K.K." .
e:acme-us a gk:LegalEntity ; rdfs:label "ACME" ; gk:alias "Acme Inc." .
e:acme-holdings a gk:LegalEntity ; rdfs:label "Acme Holdings Co., Ltd." .
e:beta a gk:LegalEntity ; rdfs:label "Beta-Acme Trading" ; gk:alias "BAT" .
e:h1 a gk:Holding ; gk:owner e:acme-holdings ; gk:owned e:acme-jp ; gk:percent 100 .
"""
)


def test_the_search_and_the_command_line_name_the_same_entity(tmp_path):
    data = tmp_path / "names.ttl"
    data.write_text(AMBIGUOUS, encoding="utf-8")
    store = _imported(tmp_path, data)
    base, process = launch("--store", f"oxigraph:{store}", "--workers", "1", cwd=tmp_path)
    runner = CliRunner()
    try:
        texts = [
            "Acme",
            "acme k.k.",
            "ACME INC",
            "Acme Holdings",
            "acme holdings co ltd",
            "acme-holdings",
            "BAT",
            "https://example.org/names/beta",
            "beta-acme trading",
        ]
        for text in texts:
            result = runner.invoke(cli, ["--store", f"oxigraph:{store}", "entity", text,
                                         "--json"])  # fmt: skip
            status, found = _json(base, "/api/entities?" + urllib.parse.urlencode({"q": text}))
            assert status == 200
            ids = [e["id"] for e in found["entities"]]
            if result.exit_code == 0:
                resolved = json.loads(result.output)["entity"]["id"]
                assert ids[0] == resolved, text
                status, answer = _json(base, "/api/entity/" + urllib.parse.quote(text, safe=""))
                assert (status, answer["entity"]["id"]) == (200, resolved)
            else:
                # "Acme" names two entities: the command line lists both, the search
                # puts both first, and the API refuses the name with the same words.
                assert result.exit_code == 2 and "names more than one entity" in result.output
                named = sorted(i for i in ids if i in result.output)
                assert sorted(ids[: len(named)]) == named and len(named) == 2, text
                status, answer = _json(base, "/api/entity/" + urllib.parse.quote(text, safe=""))
                assert status == 400 and answer["error"] in result.output
        assert {"Acme"} <= {
            t
            for t in texts
            if "names more than one"
            in runner.invoke(cli, ["--store", f"oxigraph:{store}", "entity", t]).output
        }
    finally:
        stop(process)


def test_a_cached_model_without_provenance_is_built_again(tmp_path):
    # A register of the store's facts saved without what an answer for a day needs (as
    # one built from N-Triples for an import's own use is): the first question builds
    # the model again instead of failing, on the command line and on the server.
    store = _imported(tmp_path, TOY)
    memory = open_store("memory", default_data=False)
    add_files(memory, [TOY])
    bare = Register.from_dataset(load_dataset(memory), provenance=False)
    assert bare.attach(open_store(f"oxigraph:{store}", default_data=False)) is not None
    result = CliRunner().invoke(cli, ["--store", f"oxigraph:{store}", "owners", "Beta",
                                      "--at", "2020-01-01", "--json"])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [o["name"] for o in json.loads(result.output)["owners"]] == ["Parent Co"]
    assert bare.attach(open_store(f"oxigraph:{store}", default_data=False)) is not None
    base, process = launch("--store", f"oxigraph:{store}", "--workers", "1", cwd=tmp_path)
    try:
        assert _owners(base, "Beta", "2020-01-01") == {"Parent Co": 60}
    finally:
        stop(process)
