"""Answers from Python through the public API alone: the dicts ``Group`` returns equal
the command line's JSON, and ``frame`` makes a DataFrame of any of them, with proper
dtypes, one answer or several days stacked; without pandas every other call works.

Expected figures are read off the data by hand: the small CSV written here, or the
IIJ answers printed in docs/json.md."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from groupkg.graph import Group, frame, load

HOLDINGS_CSV = """owner,owned,percent,percent_min,percent_max,shares,start_date,end_date
Parent Co,Alpha Ltd,60,,,600,2020-01-01,
Parent Co,Beta Ltd,45.5,,,,2020-01-01,2023-01-01
Fund LP,Beta Ltd,,10,20,,2021-06-01,
"""
IIJ_DAY = date(2013, 12, 31)


@pytest.fixture(scope="module")
def holdings_csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("frames") / "holdings.csv"
    path.write_text(HOLDINGS_CSV, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def group(holdings_csv: Path) -> Group:
    return load(holdings_csv)


@pytest.fixture(scope="module")
def iij() -> Group:
    return load()


def cli_json(*args: str) -> object:
    done = subprocess.run(
        [sys.executable, "-m", "groupkg.graph.cli", *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_answers_are_the_dicts_the_command_line_prints_and_frame_the_same_of_both(iij):
    asked = iij.owners("IIJ Exlayer", IIJ_DAY)
    printed = cli_json("owners", "IIJ Exlayer", "--at", "2013-12-31")
    assert type(asked) is dict
    assert asked == printed
    pd.testing.assert_frame_equal(frame(asked), frame(printed))


def test_a_frame_of_owners_has_a_row_per_owner_with_proper_dtypes(group):
    table = frame(group.owners("Beta Ltd", date(2022, 12, 31)))
    assert list(table["name"]) == ["Parent Co", "Fund LP"]
    assert list(table["entity_name"]) == ["Beta Ltd", "Beta Ltd"]
    assert table["percent"].tolist()[0] == 45.5 and pd.isna(table["percent"].tolist()[1])
    assert table["percent_min"].tolist() == [45.5, 10.0]
    assert table["percent_max"].tolist() == [45.5, 20.0]
    assert table["at"].tolist() == [pd.Timestamp("2022-12-31")] * 2
    dtypes = {column: str(table[column].dtype) for column in table.columns}
    assert dtypes["percent"] == dtypes["percent_min"] == "float64"
    assert dtypes["at"] == "datetime64[ns]"
    assert dtypes["id"] == dtypes["name"] == dtypes["entity_id"] == "string"
    assert dtypes["consolidated"] == dtypes["assumed"] == "bool"
    assert dtypes["sources"] == "object"
    assert dtypes["shares"] == "Int64"  # no share count recorded: <NA>
    assert table["shares"].isna().all()
    holdings = frame(group.holdings("Parent Co", date(2020, 6, 30)))
    shares = holdings.set_index("name")["shares"]
    assert str(shares.dtype) == "Int64"
    assert shares["Alpha Ltd"] == 600 and pd.isna(shares["Beta Ltd"])


def test_answers_of_several_days_stack_into_one_frame_told_apart_by_their_day(group):
    days = [date(2020, 6, 30), date(2022, 12, 31), date(2023, 1, 1)]
    table = frame(*(group.owners("Beta Ltd", day) for day in days))
    # 2020-06-30: Parent Co alone (Fund LP from 2021-06-01); 2023-01-01: Parent Co gone.
    assert [(row.at.date(), row.name) for row in table.itertuples()] == [
        (date(2020, 6, 30), "Parent Co"),
        (date(2022, 12, 31), "Parent Co"),
        (date(2022, 12, 31), "Fund LP"),
        (date(2023, 1, 1), "Fund LP"),
    ]
    assert str(table["at"].dtype) == "datetime64[ns]"


def test_a_perimeter_frame_says_which_list_each_row_comes_from(iij):
    # docs/json.md: perimeter "Koichi Suzuki" --at 2013-12-31 --affiliate-min 5.
    table = frame(iij.perimeter("Koichi Suzuki", IIJ_DAY, affiliate_min=5))
    rows = [(r.section, r.name, r.effective_percent, r.effective_percent_max)
            for r in table.itertuples()]  # fmt: skip
    assert rows == [
        ("subsidiaries", "KS Holdings", 100.0, 100.0),
        ("affiliates", "Internet Initiative Japan Inc.", 5.59, 5.59),
        ("affiliates", "IIJ America Inc.", 0.0, 5.59),
        ("affiliates", "IIJ Exlayer Inc.", 5.58441, 5.58441),
        ("affiliates", "IIJ Exlayer USA LLC", 0.0, 5.58441),
    ]
    assert table["control"].tolist()[0] == "certain" and pd.isna(table["control"].tolist()[1])


def test_single_answers_are_one_row_and_events_a_row_each(iij):
    effective = frame(iij.effective("Koichi Suzuki", "IIJ", IIJ_DAY))
    assert len(effective) == 1
    assert (effective.loc[0, "owner_name"], effective.loc[0, "percent"]) == ("Koichi Suzuki", 5.59)
    # docs/json.md: the IIJ events of 2012, one 1:200 stock split effective 2012-10-01.
    events = frame(iij.events("IIJ", date(2012, 1, 1), date(2012, 12, 31)))
    assert events[["type", "date", "announced"]].values.tolist() == [
        ["StockSplit", pd.Timestamp("2012-10-01"), pd.Timestamp("2012-09-06")]
    ]
    assert str(events["survivor_id"].dtype) == "string"  # no survivor: null
    assert events["survivor_id"].isna().all()


def test_a_date_given_only_as_a_year_stays_text_and_no_day_is_invented(iij):
    years = frame([{"id": "e1", "date": "2012"}, {"id": "e2", "date": "2013-05-01"}])
    assert str(years["date"].dtype) == "string"
    assert years["date"].tolist() == ["2012", "2013-05-01"]


def test_paths_are_a_row_per_path_from_the_ultimate_parent_down(iij):
    table = frame(iij.paths("IIJ Exlayer USA", IIJ_DAY))
    assert set(table["ultimate_parent_name"]) == {"Internet Initiative Japan Inc."}
    assert all(path[0] == "Internet Initiative Japan Inc." for path in table["path_names"])
    assert all(path[-1] == "IIJ Exlayer USA LLC" for path in table["path_names"])


def test_without_pandas_everything_but_frames_works_and_frame_names_the_extra(holdings_csv):
    code = f"""
import sys
sys.modules["pandas"] = None  # as if pandas were not installed
import datetime
import groupkg.graph as gk
group = gk.load({str(holdings_csv)!r})
answer = group.owners("Alpha Ltd", datetime.date(2024, 1, 1))
print(answer["owners"][0]["percent"])
try:
    gk.frame(answer)
except ImportError as error:
    print(error)
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "60",
        "groupkg.graph.frame needs pandas: pip install 'groupkg[frames]'",
    ]


def test_a_diff_frame_has_the_stakes_and_entities_that_changed(iij):
    # data/iij/holdings.ttl: IIJ held 99.9% of IIJ Exlayer until IIJ absorbed it on
    # 2014-01-01 (data/iij/events.ttl), which ended IIJ Exlayer and its subsidiary.
    table = frame(iij.diff(IIJ_DAY, date(2014, 1, 1), "IIJ"))
    removed = table[table["section"] == "removed"]
    assert ("Internet Initiative Japan Inc.", "IIJ Exlayer Inc.", 99.9) in list(
        zip(removed["owner_name"], removed["owned_name"], removed["percent"], strict=True)
    )
    ended = table[table["section"] == "ended"]
    assert set(ended["name"]) == {"IIJ Exlayer Inc.", "IIJ Exlayer USA LLC"}
    assert set(table["before"]) == {pd.Timestamp("2013-12-31")}


def test_an_info_answer_is_one_row_of_its_counts(group):
    table = frame(group.info())
    assert len(table) == 1
    # holdings.csv: four entities, three holdings.
    assert (table.loc[0, "entities"], table.loc[0, "holdings"]) == (4, 3)
    assert str(table["entities"].dtype) == "Int64"
