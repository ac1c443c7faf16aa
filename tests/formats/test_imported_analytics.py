"""Owners, paths and effective ownership on imported BODS and GLEIF data.

Expected answers are worked out by hand from each file (tests/data/bods-0.4/examples and
tests/data/gleif/sample.csv); the arithmetic is in the comments.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from groupkg.graph import Group, import_file, open_store

D = dt.date.fromisoformat
GLEIF_SAMPLE = Path(__file__).parents[1] / "data" / "gleif" / "sample.csv"


def imported(path: Path, fmt: str) -> Group:
    store = open_store("memory", default_data=False)
    import_file(store, path, fmt)
    return Group(store)


@pytest.fixture(scope="module")
def examples() -> Path:
    return Path(__file__).parents[1] / "data" / "bods-0.4" / "examples"


def names(rows):
    return {r["name"]: r["percent"] for r in rows}


def path_names(answer):
    return [[step["name"] for step in path] for path in answer["paths"]]


def test_indirect_ownership(examples):
    # Company B holds 60% of Company A (from 2017-11-01); Person 1 has an interest of
    # unknown size in Company B; Person 1's reported 30% indirect interest in A is a
    # reported figure, not an edge.
    group = imported(examples / "indirect-ownership.json", "bods")
    day = D("2019-01-01")
    assert names(group.owners("Company A", day)["owners"]) == {"Company B": 60}
    # B controls A (60% > 50%); nobody certainly controls B: B is A's ultimate parent
    paths = group.paths("Company A", day)
    assert paths["ultimate_parent"]["name"] == "Company B"
    assert path_names(paths) == [["Company B", "Company A"]]
    # Person 1 in A: 60% x (0..100%) of B = 0..60%; the reported 30% lies inside
    effective = group.effective("Person 1", "Company A", day)
    assert (effective["percent_min"], effective["percent_max"]) == (0, 60)
    assert effective["percent"] is None


def test_multiple_indirect_ownership(examples):
    # Company C and Company D hold 50% each of Company B; Person 1 holds interests of
    # unknown size in C and D.
    group = imported(examples / "multiple-indirect-ownership.json", "bods")
    day = D("2019-06-01")
    assert names(group.owners("Company B", day)["owners"]) == {"Company C": 50, "Company D": 50}
    # 50% is not more than half: nobody controls B
    assert group.paths("Company B", day)["ultimate_parent"]["name"] == "Company B"
    # Person 1 in B: 50% x (0..100%) + 50% x (0..100%) = 0..100%
    effective = group.effective("Person 1", "Company B", day)
    assert (effective["percent_min"], effective["percent_max"]) == (0, 100)


def test_joint_ownership(examples):
    # The joint shareholding arrangement holds 100% of CHRINON LTD; Natalie Coleman and
    # Roberto Lopez hold 50% each of the arrangement.
    group = imported(examples / "joint-ownership.json", "bods")
    day = D("2018-06-01")
    (owner,) = group.owners("CHRINON LTD", day)["owners"]
    assert owner["percent"] == 100
    # each person: 50% x 100% = 50%
    for person in ("Natalie Coleman", "Roberto Lopez"):
        assert group.effective(person, "CHRINON LTD", day)["percent"] == 50
    # the arrangement controls CHRINON; neither person controls the arrangement
    paths = group.paths("CHRINON LTD", day)
    assert paths["ultimate_parent"]["id"] == owner["id"]
    assert len(paths["paths"]) == 1 and len(paths["paths"][0]) == 2


def test_entity_owning_entity_with_a_range(examples):
    # MVJ LIMITED holds between 75% and (exclusive) 100% of JENEX LIMITED, stated 2016-06-30
    group = imported(examples / "bods-package-entity-owning-entity.json", "bods")
    day = D("2017-01-01")
    (owner,) = group.owners("JENEX LIMITED", day)["owners"]
    assert owner["name"] == "MVJ LIMITED"
    assert (owner["percent"], owner["percent_min"], owner["percent_max"]) == (None, 75, 100)
    effective = group.effective("MVJ LIMITED", "JENEX LIMITED", day)
    assert (effective["percent_min"], effective["percent_max"]) == (75, 100)
    # at least 75%: control is certain
    assert path_names(group.paths("JENEX LIMITED", day)) == [["MVJ LIMITED", "JENEX LIMITED"]]
    subsidiaries = group.perimeter("MVJ LIMITED", day)["subsidiaries"]
    assert [(s["name"], s["control"]) for s in subsidiaries] == [("JENEX LIMITED", "certain")]
    # not carried back before the statement
    assert group.owners("JENEX LIMITED", D("2016-06-29"))["owners"] == []


GRP = "5493000PARENT0GRP062"


@pytest.mark.parametrize(
    "child, day, parent",
    [
        # directly consolidated from 2015-04-01 (its relationship period)
        ("5493000SUBSIDIARYA31", "2020-06-01", GRP),
        ("5493000SUBSIDIARYB28", "2020-06-01", GRP),
        # consolidated 2010-01-01 to 2019-12-31 (the end is the first day it no longer holds)
        ("5493000OLDSUBSIDY042", "2019-12-30", GRP),
        ("5493000OLDSUBSIDY042", "2020-06-01", "5493000OLDSUBSIDY042"),
        # a branch, a managed fund, a sub-fund and a feeder are not consolidated: no control
        ("5493000BRANCHOFFC086", "2020-06-01", "5493000BRANCHOFFC086"),
        ("5493000FUNDALPHA0043", "2020-06-01", "5493000FUNDALPHA0043"),
    ],
)
def test_gleif_ultimate_parents_from_direct_consolidations(child, day, parent):
    group = imported(GLEIF_SAMPLE, "gleif-rr")
    answer = group.paths(child, D(day))
    assert answer["ultimate_parent"]["id"].endswith(parent)


def test_gleif_reported_ultimate_parents_match_the_computed_ones():
    group = imported(GLEIF_SAMPLE, "gleif-rr")
    day = D("2020-06-01")
    snapshot = group.snapshot(day)
    reported = [(r.child, r.parent) for r, _ in snapshot.reported if r.kind == "ultimate"]
    assert len(reported) == 2
    for child, parent in reported:
        assert group.paths(child, day)["ultimate_parent"]["id"] == parent
