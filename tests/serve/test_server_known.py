"""``--known-at`` on the command line and ``known_at`` on the server: every question
answers from the records visible on the day asked, on a memory store (``--data``) and
on an ``oxigraph:PATH`` store answered from its cached time models; a bad day is an
input error, and an answer says which day it is known on."""

from __future__ import annotations

import json
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.servers import call, launch, stop

CHAIN = Path(__file__).parents[1] / "data" / "knowledge" / "chain.ttl"
# The percent Parent holds in Sub on 2020-06-01 as known on each day (None: not yet
# known); see tests/timemodel/test_knowledge.py.
KNOWN = {"2019-12-31": None, "2020-01-15": 40, "2020-02-01": 45, "2020-03-02": 50, "": 50}


def _owners(answer: dict) -> dict[str, float]:
    return {o["name"]: o["percent"] for o in answer["owners"]}


def _cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


@pytest.mark.parametrize(("known_at", "percent"), KNOWN.items())
def test_the_command_line_answers_as_known_on_a_day(known_at, percent):
    option = ["--known-at", known_at] if known_at else []
    code, out = _cli("--no-default-data", "--data", str(CHAIN), "owners", "Sub",
                     "--at", "2020-06-01", "--json", *option)  # fmt: skip
    assert code == 0, out
    answer = json.loads(out)
    assert _owners(answer).get("Parent") == percent
    assert answer.get("knownAt") == (known_at or None)
    code, text = _cli("--no-default-data", "--data", str(CHAIN), *option,
                      "owners", "Sub", "--at", "2020-06-01")  # fmt: skip
    assert text.startswith(f"As known on {known_at}:\n") == bool(known_at)


def test_a_bad_known_at_is_a_usage_error_and_not_every_command_takes_it():
    code, out = _cli("owners", "IIJ", "--known-at", "2013-02-30")
    assert code == 2 and "--known-at" in out
    for command in (["info"], ["validate"], ["sparql", "ASK {}"], ["links", "IIJ"]):
        code, out = _cli(*command, "--known-at", "2013-01-01")
        assert code == 2 and "--known-at does not apply" in out, command


def _get(base: str, path: str) -> tuple[int, dict]:
    status, _, body = call("GET", base + path)
    return status, json.loads(body)


def _chain_options(kind: str, tmp_path: Path) -> list[str]:
    """The options that give the chain's records: as ``--data`` on a memory store, or
    imported into a new ``oxigraph:PATH`` store."""
    if kind == "memory":
        return ["--no-default-data", "--data", str(CHAIN)]
    store = tmp_path / "store"
    code, out = _cli("--store", f"oxigraph:{store}", "--no-default-data",
                     "import", "--quiet", str(CHAIN))  # fmt: skip
    assert code == 0, out
    return ["--store", f"oxigraph:{store}"]


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_the_server_answers_as_known_on_the_day_each_request_asks(kind, tmp_path):
    options = _chain_options(kind, tmp_path)
    base, process = launch(*options, "--workers", "1", cwd=tmp_path)
    try:
        for known_at, percent in KNOWN.items():
            query = urllib.parse.urlencode(
                {"at": "2020-06-01", **({"known_at": known_at} if known_at else {})}
            )
            status, answer = _get(base, f"/api/owners/Sub?{query}")
            assert status == 200, answer
            assert _owners(answer).get("Parent") == percent, known_at
            assert answer.get("knownAt") == (known_at or None)
        status, answer = _get(base, "/api/paths/Sub?known_at=2020-13-01")
        assert status == 400 and "known_at" in answer["error"]
        status, answer = _get(base, "/api/info?known_at=2020-01-01")
        assert status == 400 and "known_at" in answer["error"]
        status, answer = _get(
            base, "/api/diff?before=2019-01-01&after=2020-06-01&known_at=2020-01-15"
        )
        assert status == 200 and answer["knownAt"] == "2020-01-15"
        assert [
            a["percent"] for a in answer["first_recorded"] if a["owner"]["name"] == "Parent"
        ] == [40]
    finally:
        stop(process)


@pytest.mark.parametrize("kind", ["memory", "oxigraph"])
def test_the_server_diffs_two_days_of_knowledge_as_the_command_line(kind, tmp_path):
    """``/api/diff?known_before&known_after&at`` answers ``groupkg diff --known-before
    --known-after --at``: Parent's stake in Sub on 2020-06-01 was known as 40% on
    2020-01-15 and as 50% on 2020-03-02 (the chain's records)."""
    options = _chain_options(kind, tmp_path)
    days = {"known_before": "2020-01-15", "known_after": "2020-03-02", "at": "2020-06-01"}
    asked = [f"--{key.replace('_', '-')}={day}" for key, day in days.items()]
    code, out = _cli(*options, "diff", *asked, "--json")
    assert code == 0, out
    expected = json.loads(out)
    base, process = launch(*options, "--workers", "1", cwd=tmp_path)
    try:
        status, answer = _get(base, "/api/diff?" + urllib.parse.urlencode(days))
        assert status == 200, answer
        assert answer == expected
        (changed,) = [c for c in answer["changed"] if c["owned"]["name"] == "Sub"]
        assert (changed["percent_before"], changed["percent"]) == (40, 50)
        refused = {
            "known_before=2020-01-15": "needs both",
            "known_before=2020-01-15&known_after=2020-03-02&before=2020-01-01": "either",
            "known_before=2020-01-15&known_after=2020-03-02&known_at=2020-02-01": "known_at",
            "known_before=2020-02-30&known_after=2020-03-02": "known_before",
            "before=2020-01-01&after=2020-06-01&at=2020-06-01": "at goes with",
        }
        for query, words in refused.items():
            status, answer = _get(base, "/api/diff?" + query)
            assert status == 400 and words in answer["error"], (query, answer)
    finally:
        stop(process)


def test_the_command_line_refuses_what_does_not_go_with_two_days_of_knowledge():
    data = ("--no-default-data", "--data", str(CHAIN))
    refused = {
        ("diff", "--known-before", "2020-01-15"): "diff needs both --known-before and",
        ("diff", "--known-before", "2020-01-15", "--known-after", "2020-03-02",
         "--before", "2020-01-01"): "give either --known-before/--known-after or",
        ("--known-at", "2020-02-01", "diff", "--known-before", "2020-01-15",
         "--known-after", "2020-03-02"): "--known-at does not apply with --known-before",
        ("diff", "--known-before", "2020-02-30", "--known-after", "2020-03-02"):
            "--known-before: 2020-02-30 is not a real day",
    }  # fmt: skip
    for args, words in refused.items():
        code, out = _cli(*data, *args)
        assert code == 2 and words in out, (args, out)
