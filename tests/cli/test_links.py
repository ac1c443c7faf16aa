"""``groupkg links``: the records merged into an entity, its look-alikes (never merged)
and identity judgements written as data (``--same``/``--not-same``), which export and
import like any other fact; the API route gives the same answer."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.servers import call, launch, stop

TESTS = Path(__file__).parents[1]
ASTRAZENECA = TESTS / "data" / "bods-0.4" / "examples" / "plc-entity-statement.json"

LOOKALIKES = """\
@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix e: <https://example.org/lk/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
e:acme-gb a gk:LegalEntity ; rdfs:label "Acme Holdings Ltd" ; gk:jurisdiction "GB" .
e:acme-gb2 a gk:LegalEntity ; rdfs:label "ACME HOLDINGS PLC" ; gk:jurisdiction "gb" .
e:acme-us a gk:LegalEntity ; rdfs:label "Acme Holdings Inc." ; gk:jurisdiction "US" .
e:beta a gk:LegalEntity ; rdfs:label "Beta Co" .
e:beta2 a gk:LegalEntity ; rdfs:label "beta" .
[] a gk:Holding ; gk:owner e:acme-gb ; gk:owned e:beta ; gk:percent 60 ;
   gk:startDate "2020-01-01"^^xsd:date .
"""


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def answer(*args: str) -> dict:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture
def lookalikes(tmp_path) -> Path:
    path = tmp_path / "lookalikes.ttl"
    path.write_text(LOOKALIKES, encoding="utf-8")
    return path


@pytest.fixture
def store(tmp_path, lookalikes) -> str:
    spec = f"oxigraph:{tmp_path / 'store'}"
    result = run("--store", spec, "--no-default-data", "import", "--quiet", str(lookalikes))
    assert result.exit_code == 0, result.output
    return spec


def test_an_entity_of_one_record_shows_it_with_its_sources_and_identifiers():
    got = answer("--no-default-data", "--data", str(ASTRAZENECA), "links", "AstraZeneca PLC")
    assert got["entity"]["name"] == "AstraZeneca PLC"
    [record] = got["records"]
    assert record["id"] == got["entity"]["id"] and record["names"] == ["AstraZeneca PLC"]
    assert {"scheme": "XI-LEI", "value": "PY6ZZQWO2IZFZC3IOL08"} in record["identifiers"]
    assert record["sources"] and record["joined_by"] == [] and record["judged_same_as"] == []
    assert got["judgements"] == [] and got["lookalikes"] == []


def test_lookalikes_share_a_name_without_legal_form_and_a_jurisdiction(lookalikes):
    got = answer("--no-default-data", "--data", str(lookalikes), "links", "Acme Holdings Ltd")
    assert [(x["id"], x["jurisdiction"]) for x in got["lookalikes"]] == [
        ("https://example.org/lk/acme-gb2", "GB")
    ]
    assert "'acme holdings'" in got["lookalikes"][0]["why"]
    assert "jurisdiction (GB)" in got["lookalikes"][0]["why"]
    # neither states a jurisdiction: still a look-alike, and said so
    got = answer("--no-default-data", "--data", str(lookalikes), "links", "Beta Co")
    [found] = got["lookalikes"]
    assert found["id"].endswith("/beta2") and "no jurisdiction stated" in found["why"]
    # never merged: the look-alike is an entity of its own, owning nothing
    result = run("--no-default-data", "--data", str(lookalikes), "owners", "beta",
                 "--at", "2021-01-01", "--json")  # fmt: skip
    assert result.exit_code == 1  # no owner
    owners = json.loads(result.stdout)
    assert owners["entity"]["id"].endswith("/beta2") and owners["owners"] == []


def test_the_table_names_records_judgements_and_lookalikes(lookalikes):
    result = run("--no-default-data", "--data", str(lookalikes), "links", "Acme Holdings Ltd")
    assert result.exit_code == 0, result.output
    for words in ("records:", "judgements:", "(none)", "look-alikes (never merged):",
                  "ACME HOLDINGS PLC"):  # fmt: skip
        assert words in result.stdout


def test_a_judgement_is_refused_by_the_memory_store_and_names_what_to_do():
    result = run("links", "--same", "IIJ", "IIJ Technology")
    assert result.exit_code == 2
    assert "persistent store" in result.stderr and "--data" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("links", "IIJ", "IIJ Technology"), "give one NAME"),
        (("links", "--same", "IIJ"), "two records"),
        (("links", "IIJ", "--by", "ana"), "give one NAME"),
        (("links", "--same", "IIJ", "IIJ", "--store", "oxigraph:{tmp}"), "one record"),
        (
            (
                "links",
                "--same",
                "IIJ",
                "IIJ Technology",
                "--on",
                "2026-02-30",
                "--store",
                "oxigraph:{tmp}",
            ),
            "--on",
        ),  # fmt: skip
    ],
)
def test_bad_uses_are_one_line_errors(tmp_path, args, words):
    result = run(*(a.replace("{tmp}", str(tmp_path / "s")) for a in args))
    assert result.exit_code == 2, result.output
    assert words in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_not_same_and_same_are_written_with_who_when_and_why(store):
    result = run("--store", store, "links", "--not-same", "Acme Holdings Ltd", "ACME HOLDINGS PLC",
                 "--by", "ana", "--on", "2026-01-05", "--note", "different officers")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "two entities (by ana on 2026-01-05)" in result.stderr
    got = answer("--store", store, "links", "Acme Holdings Ltd")
    [judgement] = got["judgements"]
    assert judgement["records"] == ["https://example.org/lk/acme-gb",
                                    "https://example.org/lk/acme-gb2"]  # fmt: skip
    assert (judgement["same"], judgement["by"], judgement["on"], judgement["note"]) == (
        False, "ana", "2026-01-05", "different officers")  # fmt: skip
    assert got["lookalikes"] == []  # a person parted them: no longer suggested
    # the same judgement written again is one; --same by default today, by the user
    written = answer("--store", store, "links", "--same", "https://example.org/lk/acme-gb",
                     "https://example.org/lk/acme-gb2", "--by", "bo")  # fmt: skip
    assert written["judgement"]["same"] is True and written["store"] == store
    got = answer("--store", store, "links", "Acme Holdings Ltd")
    assert [j["same"] for j in got["judgements"]] == [False, True]  # in the order they count


def test_a_hostile_judgement_is_written_safely_and_round_trips(store, tmp_path):
    by, note = "o\"brien <x> \\ ' }", 'a "quote" > <b> \n and a newline'
    result = run("--store", store, "links", "--not-same", "Acme Holdings Ltd",
                 "ACME HOLDINGS PLC", "--by", by, "--note", note)  # fmt: skip
    assert result.exit_code == 0, result.output
    # a record that is no IRI and no name: refused, nothing written
    hostile = "https://example.org/lk/acme-gb> ; <urn:x"
    result = run("--store", store, "links", "--same", hostile, "Beta Co")
    assert result.exit_code == 2 and "Traceback" not in result.output
    exported = tmp_path / "export.ttl"
    result = run("--store", store, "export", "--format", "ttl", "-o", str(exported))
    assert result.exit_code == 0, result.output
    assert "gk:IdentityJudgement" in exported.read_text(encoding="utf-8")
    again = f"oxigraph:{tmp_path / 'again'}"
    result = run("--store", again, "--no-default-data", "import", "--quiet", str(exported))
    assert result.exit_code == 0, result.output
    for spec in (store, again):
        [judgement] = answer("--store", spec, "links", "Acme Holdings Ltd")["judgements"]
        assert (judgement["by"], judgement["note"]) == (by, note)
    validated = json.loads(run("--store", again, "validate", "--json").stdout)
    assert not [f for f in validated["findings"] if "judgement" in f["focus"]]


def test_csv_and_bods_exports_name_judgements_as_left_out(store):
    result = run("--store", store, "links", "--same", "Acme Holdings Ltd", "ACME HOLDINGS PLC")
    assert result.exit_code == 0, result.output
    for fmt in ("csv", "bods"):
        result = run("--store", store, "export", "--format", fmt)
        assert result.exit_code == 2, result.output
        assert "1 identity judgements" in result.stderr


def test_the_api_route_gives_the_command_line_answer(store, tmp_path):
    expected = answer("--store", store, "links", "Acme Holdings Ltd")
    base, process = launch("--store", store, "--workers", "1", cwd=tmp_path)
    try:
        status, _, body = call(
            "GET", base + "/api/links/" + urllib.parse.quote("Acme Holdings Ltd")
        )
        assert status == 200, body
        assert json.loads(body) == expected
        status, _, body = call("GET", base + "/api/links/Acme%20Holdings%20Ltd?at=2020-01-01")
        assert status == 400, body
    finally:
        stop(process)
