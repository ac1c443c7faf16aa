"""Answers before and after a source's correction: a BODS statement replacing another, a
GLEIF record update, read by the format readers and honoured by ``--known-at``.

Every expected answer is read off the files by hand (their origins are in the READMEs
of tests/data/knowledge and tests/data/real/gleif-bods-homecredit-replace).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli

DATA = Path(__file__).resolve().parents[1] / "data"
TWO_VERSIONS = DATA / "knowledge" / "bods-two-versions.json"
HOME_CREDIT = (
    DATA / "real" / "gleif-bods-homecredit-replace" / "bods_relationship_replace_relationship.json"
)
GLEIF_OLD = DATA / "knowledge" / "gleif-rr-2019-06-18.csv"
GLEIF_NEW = DATA / "knowledge" / "gleif-rr-2020-07-01.csv"


def _owners(*args: str) -> list[tuple[str, float | None, str]]:
    result = CliRunner().invoke(cli, [*args, "--json"])
    assert result.exit_code in (0, 1), result.output  # 1: no owners
    answer = json.loads(result.output)
    return sorted((o["name"], o["percent"], o["interest"]) for o in answer["owners"])


@pytest.mark.parametrize(
    ("known_at", "on", "expected"),
    [
        # Statement 1 (2020-01-10): Birch holds 60% of Alder from 2019-01-01.
        ("2020-12-31", "2021-06-01", 60.0),
        ("2020-12-31", "2020-06-01", 60.0),
        # Statement 2 (2021-03-01, the record updated): 40% from 2021-02-15; the 60%
        # still answers for the days before.
        ("2021-03-01", "2021-06-01", 40.0),
        ("2021-03-01", "2020-06-01", 60.0),
        (None, "2021-06-01", 40.0),
    ],
)
def test_a_bods_record_updated_answers_as_known_before_and_after_the_update(known_at, on, expected):
    known = ["--known-at", known_at] if known_at else []
    owners = _owners(
        "--no-default-data", "--data", str(TWO_VERSIONS), *known, "owners", "Alder Ltd", "--at", on
    )
    assert owners == [("Birch Holdings Ltd", expected, "shareholding")]


@pytest.mark.parametrize(
    ("known_at", "expected"),
    [
        # Statement of 2024-06-06: directly consolidated by Home Credit N.V. since
        # 2014-01-20; Air Bank's relationship is stated only on 2024-07-07.
        ("2024-07-06", "Home Credit N.V."),
        # 2024-07-07: the Home Credit N.V. record closed (replaced), Air Bank a.s.'s
        # relationship from 2023-03-11 new.
        ("2024-07-07", "Air Bank a.s."),
        (None, "Air Bank a.s."),
    ],
)
def test_a_closed_bods_record_replaced_by_another_answers_as_known_on_each_side(known_at, expected):
    known = ["--known-at", known_at] if known_at else []
    owners = _owners(
        "--no-default-data", "--data", str(HOME_CREDIT), *known,
        "owners", "Home Credit Slovakia, a.s.", "--at", "2024-07-10",
    )  # fmt: skip
    assert owners == [(expected, None, "directConsolidation")]


@pytest.mark.parametrize("order", [(GLEIF_OLD, GLEIF_NEW), (GLEIF_NEW, GLEIF_OLD)])
def test_a_gleif_update_answers_as_known_before_and_after_it(tmp_path, order):
    # 2019-06-18: 001GPB6A9XPE8XJICC14 directly consolidated by C7J4FOV6ELAVE39B7M82
    # from 2018-06-15, ACTIVE. The update of 2020-07-01: INACTIVE, period ended
    # 2020-06-30. As known in 2019 the consolidation goes on; as known after the update
    # it has ended by 2020-12-31.
    store = f"oxigraph:{tmp_path / 'db'}"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "init", "--no-default-data"]).exit_code == 0
    for path in order:
        result = runner.invoke(cli, ["--store", store, "import", str(path)])
        assert result.exit_code == 0, result.output
    lei = "001GPB6A9XPE8XJICC14"
    parent = [("C7J4FOV6ELAVE39B7M82", None, "directConsolidation")]

    def owners(known_at: str | None, on: str) -> list:
        known = ["--known-at", known_at] if known_at else []
        return _owners("--store", store, *known, "owners", lei, "--at", on)

    assert owners("2019-12-31", "2020-12-31") == parent
    assert owners("2020-07-01", "2020-12-31") == []
    assert owners(None, "2020-12-31") == []
    assert owners("2020-07-01", "2020-03-31") == parent
    # Before the first record nothing names the company: said so, exit 2.
    result = runner.invoke(cli, ["--store", store, "--known-at", "2019-06-17", "owners", lei])
    assert result.exit_code == 2
    assert (
        f"'{lei}' ({'https://w3id.org/groupkg/data/lei/'}{lei}) is not known as of 2019-06-17"
        in (result.output)
    )
