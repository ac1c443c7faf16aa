"""Interest kinds on real UK PSC records, through the command line.

The rows of ``tests/data/real/uk-psc-snapshot-2024`` (Companies House's snapshot, as
published) are turned into groupkg's CSV holdings format by the published meaning of
each nature of control: a band ``X-to-Y-percent`` is "more than X%" (75-to-100: "75% or
more") up to Y%; ``ownership-of-shares-*`` is a shareholding, ``voting-rights-*`` voting
rights, ``right-to-appoint-and-remove-directors`` a right to appoint the board,
``significant-influence-or-control`` other influence or control. The expected answers
are those the sample's README reads off the rows by hand.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli

PSC = Path(__file__).parents[1] / "data" / "real" / "uk-psc-snapshot-2024"
BAND = re.compile(r"^(ownership-of-shares|voting-rights)-(\d+)-to-(\d+)-percent$")
KINDS = {"ownership-of-shares": "shareholding", "voting-rights": "votingRights"}
OTHER = {
    "right-to-appoint-and-remove-directors": "appointmentOfBoard",
    "significant-influence-or-control": "otherInfluenceOrControl",
}


def _rows(record: dict[str, Any]) -> list[dict[str, str]]:
    data = record["data"]
    common = {
        "owner": data["name"],
        "owned": f"GB-COH {record['company_number']}",
        "start_date": data["notified_on"],
        "end_date": data.get("ceased_on", ""),
        "source": f"UK PSC snapshot 2024, company {record['company_number']}",
    }
    rows = []
    for nature in data["natures_of_control"]:
        band = BAND.match(nature)
        if band:
            low, high = band.group(2), band.group(3)
            rows.append({**common, "interest_type": KINDS[band.group(1)], "percent_min": low,
                         "percent_max": high,
                         "percent_min_exclusive": "false" if low == "75" else "true"})  # fmt: skip
        else:
            rows.append({**common, "interest_type": OTHER[nature]})
    return rows


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = []
    for name in ("psc-data-10.json", "psc-data-8.json", "psc-data-11.json", "psc-data-1.json"):
        for record in json.loads((PSC / name).read_text("utf-8")):
            if "company_number" in record and record["data"].get("natures_of_control"):
                rows += _rows(record)
    path = tmp_path_factory.mktemp("psc") / "psc.csv"
    fields = ["owner", "owned", "percent_min", "percent_max", "percent_min_exclusive",
              "start_date", "end_date", "interest_type", "source"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fields)
        writer.writeheader()
        writer.writerows(rows)
    return path


def ask(data: Path, *args: str) -> dict[str, Any]:
    result = CliRunner().invoke(cli, ["--no-default-data", "--data", str(data), "--json", *args])
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.output)


def kinds(answer: dict[str, Any]) -> dict[tuple[str, str], tuple[Any, Any, Any]]:
    return {
        (o["name"], o["interest"]): (o["percent"], o["percent_min"], o["percent_max"])
        for o in answer["owners"]
    }


def test_shares_and_votes_bands_stay_apart(data):
    # README answer 1: shares 75-100 %, votes more than 25 % up to 50 %: never 100 %, never a sum
    owners = ask(data, "owners", "GB-COH 06452920", "--at", "2024-11-22")
    assert kinds(owners) == {
        ("Wpp Rocky Ltd", "shareholding"): (None, 75, 100),
        ("Wpp Rocky Ltd", "votingRights"): (None, 25, 50),
    }
    # control weighs the votes stated for the pair: at most 50 %, so no control
    paths = ask(data, "paths", "GB-COH 06452920", "--at", "2024-11-22")
    assert paths["ultimate_parent"]["name"] == "GB-COH 06452920"
    # ownership weighs the shares
    effective = ask(data, "effective", "Wpp Rocky Ltd", "GB-COH 06452920", "--at", "2024-11-22")
    assert (effective["percent_min"], effective["percent_max"]) == (75, 100)


def test_three_kinds_each_listed_and_the_votes_control(data):
    # README answer 3: shares 75-100 %, votes 75-100 %, right to appoint the board
    owners = ask(data, "owners", "GB-COH 04120481", "--at", "2024-11-22")
    assert kinds(owners) == {
        ("Clientlogic Holding Limited", "shareholding"): (None, 75, 100),
        ("Clientlogic Holding Limited", "votingRights"): (None, 75, 100),
        ("Clientlogic Holding Limited", "appointmentOfBoard"): (None, None, None),
    }
    paths = ask(data, "paths", "GB-COH 04120481", "--at", "2024-11-22")
    assert paths["ultimate_parent"]["name"] == "Clientlogic Holding Limited"


def test_a_ceased_psc_holds_until_the_day_it_ceased(data):
    # README answer 6: from 2016-08-02, not on or after 2018-02-27; four kinds
    during = ask(data, "owners", "GB-COH 10308742", "--at", "2018-02-26")
    assert sorted(k for _, k in kinds(during)) == [
        "appointmentOfBoard",
        "otherInfluenceOrControl",
        "shareholding",
        "votingRights",
    ]
    assert ask(data, "owners", "GB-COH 10308742", "--at", "2018-02-27")["owners"] == []


def test_shares_alone_with_votes_unknown(data):
    # README answer 7: no PSC on 2021-12-12; from 2021-12-13 shares 75-100 %, votes not stated
    assert ask(data, "owners", "GB-COH 08209948", "--at", "2021-12-12")["owners"] == []
    owners = ask(data, "owners", "GB-COH 08209948", "--at", "2021-12-13")
    assert kinds(owners) == {("Mr Marc Anthony Feldman", "shareholding"): (None, 75, 100)}
    # with no votes stated, control weighs the shares: 75 % or more controls
    paths = ask(data, "paths", "GB-COH 08209948", "--at", "2021-12-13")
    assert paths["ultimate_parent"]["name"] == "Mr Marc Anthony Feldman"


def test_a_range_with_one_bound_reads_the_same_in_text_and_json(tmp_path):
    # A stake of "at least 100 %" is 100 %: JSON and text give the same figure.
    path = tmp_path / "bound.csv"
    path.write_text(
        "owner,owned,percent_min,start_date,source\nP,A,100,2020-01-01,s\nP,B,25,2020-01-01,s\n",
        encoding="utf-8",
    )
    owners = ask(path, "owners", "A", "--at", "2021-01-01")["owners"]
    assert [(o["percent"], o["percent_min"], o["percent_max"]) for o in owners] == [(100, 100, 100)]
    owners = ask(path, "owners", "B", "--at", "2021-01-01")["owners"]
    assert [(o["percent"], o["percent_min"], o["percent_max"]) for o in owners] == [(None, 25, 100)]
    text = (
        CliRunner()
        .invoke(
            cli, ["--no-default-data", "--data", str(path), "owners", "A", "--at", "2021-01-01"]
        )
        .output
    )
    assert "100%" in text and "100-100%" not in text
    text = (
        CliRunner()
        .invoke(
            cli, ["--no-default-data", "--data", str(path), "owners", "B", "--at", "2021-01-01"]
        )
        .output
    )
    assert "25-100%" in text
