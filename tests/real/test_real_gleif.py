"""GLEIF files as published, every vintage, imported through the command line: the
answers each sample's README reads off the source records by hand, numbered there.

Nothing here is copied from groupkg's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.real.asking import ask

REAL = Path(__file__).parents[1] / "data" / "real"
EPOCH_CSV = REAL / "gleif-rr-csv-2019" / "rr-golden-copy-epoch-excerpt.csv"
LEI = "https://w3id.org/groupkg/data/lei/"


def imported(tmp_path: Path, *files: Path) -> str:
    """An on-disk store holding ``files``, each imported as a user would, by content."""
    spec = f"oxigraph:{tmp_path / 'store'}"
    for path in files:
        result = CliRunner().invoke(
            cli, ["--store", spec, "--no-default-data", "import", str(path)]
        )
        assert result.exit_code == 0, result.output
    return spec


def owners(store: str, child: str, day: str) -> list[str]:
    answer = ask(store, "owners", child, "--at", day)
    return sorted(o["id"].removeprefix(LEI) for o in answer["owners"])


@pytest.fixture(scope="module")
def epoch_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return imported(tmp_path_factory.mktemp("gleif-epoch"), EPOCH_CSV)


@pytest.mark.parametrize(
    ("child", "parent", "first_day"),
    [
        ("00TV1D5YIV5IDUGWBW29", "549300J4MR4TMTZPUP92", "2017-06-22"),  # README 13: E2
        ("097900BEMJ0000006171", "31570074F1TFBSNYJM10", "2017-06-22"),  # README 14: E3
        ("0L6CM7SPOSGAEQJK0J73", "549300MWIOC0W2Z2ZM36", "2017-07-13"),  # README 15: E5
        ("0XOOAY5P5J7Q734SEC89", "5493000C01ZX7D35SD85", "2017-10-02"),  # README 17: E7
    ],
)
def test_the_2019_rows_with_epoch_dates_and_many_periods_import(
    epoch_store, child, parent, first_day
):
    assert owners(epoch_store, child, "2019-09-01") == [parent]
    assert owners(epoch_store, child, first_day) == [parent]
    day_before = {"2017-06-22": "2017-06-21", "2017-07-13": "2017-07-12"}.get(
        first_day, "2017-10-01"
    )
    assert owners(epoch_store, child, day_before) == []


def test_a_period_ending_before_it_starts_is_kept_and_the_row_imports(epoch_store):
    # README 18: E4
    paths = ask(epoch_store, "paths", "0A6MFVCO7B244F0UGO76", "--at", "2019-09-01")
    assert LEI + "RGUZHJ05YTITL6D76949" in json.dumps(paths)
    paths = ask(epoch_store, "paths", "0A6MFVCO7B244F0UGO76", "--at", "2017-11-07")
    assert LEI + "RGUZHJ05YTITL6D76949" not in json.dumps(paths)


def test_a_reported_ultimate_parent_from_an_epoch_date(epoch_store):
    # README 16: E6, ultimate only, from 1988-07-07
    child = "0XKTQGPTA3P542CII630"
    assert owners(epoch_store, child, "2019-09-01") == []
    paths = ask(epoch_store, "paths", child, "--at", "2019-09-01")
    assert LEI + "VGRQXHF3J8VDLUA7XE92" in json.dumps(paths)
    paths = ask(epoch_store, "paths", child, "--at", "1988-07-06")
    assert LEI + "VGRQXHF3J8VDLUA7XE92" not in json.dumps(paths)


def test_every_period_of_a_2019_row_is_kept_with_its_type_and_days():
    from rdflib import URIRef

    from groupkg.graph.formats.gleif import read_gleif
    from groupkg.graph.vocab import GK

    graph = read_gleif(EPOCH_CSV)
    (relation,) = graph.subjects(GK.child, URIRef(LEI + "0L6CM7SPOSGAEQJK0J73"))  # README 15: E5
    periods = sorted(
        tuple(str(graph.value(p, term) or "") for term in (GK.periodType, GK.startDate, GK.endDate))
        for p in graph.objects(relation, GK.reportedPeriod)
    )
    assert periods == [
        ("ACCOUNTING_PERIOD", "2017-01-01", "2017-12-31"),
        ("ACCOUNTING_PERIOD", "2018-07-06", "2018-08-02"),
        ("RELATIONSHIP_PERIOD", "2017-07-13", ""),
        ("RELATIONSHIP_PERIOD", "2017-07-13", ""),
    ]
    (relation,) = graph.subjects(GK.child, URIRef(LEI + "097900BEMJ0000006171"))  # README 14
    days = {
        (str(graph.value(p, GK.startDate)), str(graph.value(p, GK.endDate)))
        for p in graph.objects(relation, GK.reportedPeriod)
        if str(graph.value(p, GK.periodType)) != "RELATIONSHIP_PERIOD"
    }
    assert days == {("2017-12-31", "2018-12-30"), ("2018-09-09", "2018-10-09")}
