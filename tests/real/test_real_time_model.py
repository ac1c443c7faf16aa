"""The time-model rules of docs/rules.md on real public rows, through the command line.

Each test loads a sample of ``tests/data/real`` as a user would (``groupkg import`` into
an on-disk store) and asks ``owners`` / ``paths`` with ``--json``. The expected answers
are the ones its README reads off the source rows by hand, numbered there; nothing here
is copied from groupkg's own output.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.real.asking import ask

GLEIF_CSV = (
    Path(__file__).parents[1] / "data" / "real" / "gleif-rr-csv-2019" / "rr-golden-copy-excerpt.csv"
)
LEI = "https://w3id.org/groupkg/data/lei/"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("real-gleif") / "store"
    spec = f"oxigraph:{path}"
    result = CliRunner().invoke(
        cli,
        ["--store", spec, "--no-default-data", "import", str(GLEIF_CSV), "--format", "gleif-rr"],
    )
    assert result.exit_code == 0, result.output
    return spec


def owner_ids(answer: dict[str, Any]) -> list[str]:
    return sorted(o["id"] for o in answer["owners"])


def path_ids(answer: dict[str, Any]) -> list[list[str]]:
    return sorted([r["id"] for r in path] for path in answer["paths"])


def ids_in(value: Any) -> Iterator[str]:
    """Every entity id anywhere inside a JSON value."""
    if isinstance(value, dict):
        if isinstance(value.get("id"), str):
            yield value["id"]
        for item in value.values():
            yield from ids_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from ids_in(item)


def under_keys(answer: Any, word: str) -> set[str]:
    """The entity ids under any key whose name contains ``word`` (``reported``...)."""
    found: set[str] = set()
    if isinstance(answer, dict):
        for key, value in answer.items():
            if word in key.lower():
                found |= set(ids_in(value))
            found |= under_keys(value, word)
    elif isinstance(answer, list):
        for item in answer:
            found |= under_keys(item, word)
    return found


# ---- rule (i): an INACTIVE relationship with no stated end is not current on any day ----


@pytest.mark.parametrize("day", ["2018-01-01", "2019-09-01", "2024-06-30"])
@pytest.mark.parametrize(
    ("child", "parents"),
    [
        # README answer 1: rows 23/24
        ("0SNZ6NZHXP80GTNTXJ94", ["6X064LF7Y6B4DKF2GZ26"]),
        # README answer 2: rows 20/21
        ("0K2O1XC37F10ZPJDXF86", ["VB7RXNZGO6KVDABYB880", "IGJSJL3JD5P30I6NJZ34"]),
        # README answer 3: rows 25/26, 12, 28
        ("11M859G5ZIRYY2J30125", ["UURSSPIRN7ED1RZEJM71"]),
        ("06LJQCOVPRXOPDHFC707", ["549300NXSY15DRY2R511"]),
        ("1854E5RGGAWDV226YD90", ["ZXLTQRYIK6IJH3R0IK66"]),
    ],
)
def test_an_inactive_relationship_without_a_period_holds_on_no_day(store, child, parents, day):
    owners = ask(store, "owners", child, "--at", day)
    assert owner_ids(owners) == []
    paths = ask(store, "paths", child, "--at", day)
    assert paths["ultimate_parent"]["id"] == LEI + child
    assert path_ids(paths) == [[LEI + child]]
    assert not {LEI + p for p in parents} & set(ids_in(paths))


@pytest.mark.parametrize(
    ("child", "parent"),
    [  # README answer 4: rows 15, 18, 19, 22, 27
        ("0C0SZC7H22UWI2NA3R46", "5493000CUYMFHHCQ0H21"),
        ("0FJ5X7MVCTSE8OEPQE56", "WPTL2Z3FIYTHSP5V2253"),
        ("0FX76LN882T75M57Y381", "0M6M8M9HXLW8D3AU0N32"),
        ("0LC1OXN013FUKQASJB58", "ES7IP3U3RHIGC71XBU11"),
        ("13Y3SXL8Z04FPZVDWE47", "MSFSBD3QN1GSN7Q6C537"),
    ],
)
def test_an_inactive_ultimate_relationship_reports_no_ultimate_parent(store, child, parent):
    paths = ask(store, "paths", child, "--at", "2019-09-01")
    assert paths["ultimate_parent"]["id"] == LEI + child
    assert LEI + parent not in set(ids_in(paths))


# ---- computed and reported agree ----


def test_computed_and_reported_ultimate_parent_agree(store):
    # README answer 6: rows 2/3, from 2018-06-15
    child, parent = LEI + "001GPB6A9XPE8XJICC14", LEI + "C7J4FOV6ELAVE39B7M82"
    assert owner_ids(ask(store, "owners", child, "--at", "2019-09-01")) == [parent]
    paths = ask(store, "paths", child, "--at", "2019-09-01")
    assert paths["ultimate_parent"]["id"] == parent
    assert path_ids(paths) == [[parent, child]]
    before = ask(store, "paths", child, "--at", "2018-06-14")
    assert before["ultimate_parent"]["id"] == child and path_ids(before) == [[child]]


def test_a_direct_chain_with_its_reported_parent_agreeing(store):
    # README answer 11: rows 8/9
    child, parent = LEI + "029200364B8N6X9F1I18", LEI + "ZAYQDKTCATIXF9OQY690"
    paths = ask(store, "paths", child, "--at", "2019-09-01")
    assert paths["ultimate_parent"]["id"] == parent
    assert path_ids(paths) == [[parent, child]]


# ---- rule (iii): a reported ultimate parent completes an open chain; differences shown ----


@pytest.mark.parametrize(
    ("child", "chain"),
    [
        # README answer 7: rows 4-7
        ("029200302D4K9BC3E535", ["CYSD4L2598RQ9BPPCB72", "029200343C4N7D2E6H83"]),
        # README answer 8: rows 13/14 and 16/17
        ("073LKXEKEP6T62NK2G42", ["CYSD4L2598RQ9BPPCB72"]),
        ("0C45RG70GW42XSBLJ131", ["5493008ZCTXK2URRYU29"]),
    ],
)
def test_a_reported_ultimate_parent_completes_the_open_direct_chain(store, child, chain):
    reported = LEI + "6SHGI4ZSSLCXXQSBB395"
    paths = ask(store, "paths", child, "--at", "2019-09-01")
    assert paths["ultimate_parent"]["id"] == reported
    assert reported in under_keys(paths, "reported")
    tail = [LEI + c for c in chain] + [LEI + child]
    assert paths["paths"], "a path from the reported parent down to the entity"
    for path in path_ids(paths):
        assert path[0] == reported and path[-len(tail) :] == tail


def test_before_the_relationship_period_there_is_no_parent(store):
    # README answer 9: rows 4/5 start 2019-06-27
    child = LEI + "029200302D4K9BC3E535"
    assert owner_ids(ask(store, "owners", child, "--at", "2019-06-26")) == []
    paths = ask(store, "paths", child, "--at", "2019-06-26")
    assert paths["ultimate_parent"]["id"] == child


def test_a_computed_ultimate_parent_differing_from_the_reported_one_shows_both(store):
    # README answer 10: rows 8, 10, 11
    child = LEI + "0292003678F3M2X5I579"
    middle, top = LEI + "029200364B8N6X9F1I18", LEI + "ZAYQDKTCATIXF9OQY690"
    assert owner_ids(ask(store, "owners", child, "--at", "2019-09-01")) == [middle]
    paths = ask(store, "paths", child, "--at", "2019-09-01")
    assert [top, middle, child] in path_ids(paths)
    reported = under_keys(paths, "reported")
    computed = under_keys(paths, "computed") | {paths["ultimate_parent"]["id"]}
    assert middle in reported, "the reported ultimate parent is shown, marked as reported"
    assert top in computed, "the computed ultimate parent is shown as computed"
    assert top not in reported
