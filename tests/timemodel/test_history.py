"""``groupkg history NAME``, ``Group.history`` and ``/api/history/{name}``: every record
about an entity on both time axes, worked out by hand from the IIJ releases and the
chain of corrections of tests/data/knowledge/chain.ttl."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, open_store
from groupkg.graph.cli import cli
from tests.servers import call, launch, stop

IIJ = "https://w3id.org/groupkg/data/iij/"
CHAIN = Path(__file__).parents[1] / "data" / "knowledge" / "chain.ttl"


def _records(answer: dict) -> dict[str, dict]:
    return {r["id"].removeprefix(IIJ): r for r in answer["records"]}


def test_history_of_iij_shows_the_announced_issues_superseded_on_2013_11_07():
    records = _records(Group(open_store("memory")).history("IIJ"))
    offering = records["ev-public-offering-2013-announced"]
    allotment = records["ev-third-party-allotment-2013-announced"]
    for announced, confirmed in ((offering, "ev-public-offering-2013"),
                                 (allotment, "ev-third-party-allotment-2013")):  # fmt: skip
        assert (announced["known_from"], announced["known_by"]) == ("2013-07-02", "stated")
        assert announced["superseded_by"] == [IIJ + confirmed]
        assert announced["superseded_from"] == "2013-11-07"
        assert records[confirmed]["supersedes"] == [announced["id"]]
        assert (records[confirmed]["known_from"], records[confirmed]["known_by"]) == (
            "2013-11-07",
            "sources",
        )
    # Paid on 2013-08-05, known on 2013-07-02, up to 700,000 shares: scheduled.
    assert (allotment["valid_from"], allotment["status"]) == ("2013-08-05", "scheduled")
    assert "up to 700,000 new shares" in allotment["what"]
    # Its own record first, then by knowledge time, then valid time.
    assert answer_order(records) == sorted(answer_order(records))


def answer_order(records: dict[str, dict]) -> list[str]:
    return [r["known_from"] or "" for r in list(records.values())[1:]]


def test_history_of_iij_exlayer_shows_its_absorption_known_from_2013_11_07_scheduled():
    answer = Group(open_store("memory")).history("IIJ Exlayer")
    assert answer["entity"] == {"id": IIJ + "iij-exlayer", "name": "IIJ Exlayer Inc."}
    first = answer["records"][0]
    assert (first["kind"], first["known_by"], first["known_from"]) == (
        "entity",
        "not recorded",
        None,
    )
    merger = _records(answer)["ev-merger-iij-exlayer-2014"]
    fields = ("kind", "role", "known_from", "valid_from", "status")
    assert [merger[f] for f in fields] == [
        "event", "absorbed", "2013-11-07", "2014-01-01", "scheduled"]  # fmt: skip
    assert merger["sources"][0].startswith("2013-11-07 release")
    # As known on 2013-11-06 only its entity record is.
    early = Group(open_store("memory"), known_at=dt.date(2013, 11, 6)).history("IIJ Exlayer")
    assert [r["kind"] for r in early["records"]] == ["entity"]


def test_the_command_line_prints_the_history_as_a_table_and_as_json():
    runner = CliRunner()
    result = runner.invoke(cli, ["history", "IIJ Exlayer"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("History of IIJ Exlayer Inc.:\n")
    line = next(x for x in result.output.splitlines() if "IIJ absorbs IIJ Exlayer" in x)
    assert line.startswith("2013-11-07  sources") and "scheduled" in line
    result = runner.invoke(cli, ["history", "IIJ", "--json", "--known-at", "2013-07-03"])
    answer = json.loads(result.output)
    assert answer["knownAt"] == "2013-07-03"
    announced = _records(answer)["ev-public-offering-2013-announced"]
    assert announced["superseded_by"] == [] and announced["superseded_from"] is None
    assert "ev-public-offering-2013" not in _records(answer)


@pytest.mark.parametrize("known_at", ["", "2020-01-15", "2020-02-01", "2020-03-01"])
def test_the_chain_of_corrections_on_the_command_line_and_the_server(known_at, tmp_path):
    option = ["--known-at", known_at] if known_at else []
    result = CliRunner().invoke(cli, ["--no-default-data", "--data", str(CHAIN), *option,
                                      "history", "Sub", "--json"])  # fmt: skip
    answer = json.loads(result.output)
    holdings = {r["id"].rsplit("/", 1)[-1]: r for r in answer["records"] if r["kind"] == "holding"}
    expected = {
        "": {"a": ("sources", "2020-02-01"), "b": ("stated", "2020-03-01"),
             "c": ("sources", None), "d": ("not recorded", None)},
        "2020-01-15": {"a": ("sources", None), "d": ("not recorded", None)},
        "2020-02-01": {"a": ("sources", "2020-02-01"), "b": ("stated", None),
                       "d": ("not recorded", None)},
        "2020-03-01": {"a": ("sources", "2020-02-01"), "b": ("stated", "2020-03-01"),
                       "c": ("sources", None), "d": ("not recorded", None)},
    }[known_at]  # fmt: skip
    assert {k: (r["known_by"], r["superseded_from"]) for k, r in holdings.items()} == expected
    # Not recorded first, then by knowledge time.
    assert list(holdings) == ["d", *(k for k in "abc" if k in holdings)]


def test_the_server_answers_the_history_as_the_command_line(tmp_path):
    base, process = launch(
        "--no-default-data", "--data", str(CHAIN), "--workers", "1", cwd=tmp_path
    )
    try:
        status, _, body = call("GET", base + "/api/history/Sub?known_at=2020-02-01")
        assert status == 200
        answer = json.loads(body)
        result = CliRunner().invoke(cli, ["--no-default-data", "--data", str(CHAIN),
                                          "--known-at", "2020-02-01", "history", "Sub",
                                          "--json"])  # fmt: skip
        assert answer == json.loads(result.output)
        status, _, body = call("GET", base + "/api/history/Sub?at=2020-02-01")
        assert status == 400
    finally:
        stop(process)


def _known_diff(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(
        cli, ["diff", "--known-before", "2013-11-06", "--known-after", "2013-11-07", *args]
    )
    return result.exit_code, result.output


def test_known_diff_of_iij_exlayer_on_2014_06_30_it_ends_its_absorption_known():
    code, out = _known_diff("--at", "2014-06-30", "--json")
    assert code == 0, out
    answer = json.loads(out)
    assert (answer["known_before"], answer["known_after"], answer["at"]) == (
        "2013-11-06", "2013-11-07", "2014-06-30")  # fmt: skip
    assert "IIJ Exlayer Inc." in [e["name"] for e in answer["ended"]]
    known = {r["id"].removeprefix(IIJ) for r in answer["became_known"]}
    # IIJ's holding in it was not known on 2013-11-06: it becomes known, ended.
    assert {"ev-merger-iij-exlayer-2014", "h-iij-iij-exlayer-2013-11-07"} <= known
    assert not answer["removed"] and "before" not in answer
    # On 2013-12-31, the day before the merger, IIJ's holding is what became known.
    code, out = _known_diff("--at", "2013-12-31", "--json", "IIJ Exlayer")
    added = [(e["owner"]["name"], e["percent"]) for e in json.loads(out)["added"]]
    assert ("Internet Initiative Japan Inc.", 99.9) in added


def test_known_diff_of_iij_issued_shares_on_2013_08_06_a_range_then_confirmed():
    code, out = _known_diff("--at", "2013-08-06", "IIJ")
    assert code == 0, out
    assert out.splitlines()[0] == (
        "Changes on 2013-08-06 from as known on 2013-11-06 to as known on 2013-11-07:"
    )
    assert ("  issued shares of Internet Initiative Japan Inc.: 45,997,800 to 46,697,800"
            " (scheduled) => 46,697,800") in out.splitlines()  # fmt: skip
    assert "  superseded: event ev-third-party-allotment-2013-announced" in out.splitlines()


@pytest.mark.parametrize(
    "extra",
    [
        ["--before", "2013-01-01"],
        ["--after", "2013-01-01"],
        ["--event", "x"],
        ["--known-at", "2013-01-01"],
    ],  # fmt: skip
)
def test_known_diff_refuses_valid_days_and_known_at(extra):
    code, out = _known_diff("--at", "2013-08-06", *extra)
    assert code == 2, out
    code, out = CliRunner().invoke(cli, ["diff", "--known-before", "2013-11-06"]).exit_code, ""
    assert code == 2
