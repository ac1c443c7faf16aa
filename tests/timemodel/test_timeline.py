"""The time model on a small invented group whose answers are worked out by hand.

tests/data/toygroup.ttl: P holds Alpha 100% (stated from 2000-01-01) and Beta 60%
(observed 2019-01-01, then 40% observed 2022-01-01); Alpha holds Gamma 80% (800 of
1,000 shares, observed 2019-06-30); Xavier holds 100 of P's 1,000 shares (10%,
observed 2020-01-01). P absorbs Alpha on 2020-07-01, splits 1:10 on 2021-01-01 and
issues 10,000 new shares on 2021-06-01.
"""

import datetime as dt

import pytest

T = "https://example.org/toy/"
D = dt.date.fromisoformat


def stakes(group, day):
    snap = group.snapshot(D(day))
    return {(s.owner[len(T) :], s.owned[len(T) :]): s for s in snap.stakes}


def test_absorbed_company_exists_the_day_before_and_not_on_the_effective_day(toy_group):
    assert toy_group.timeline.status(T + "a", D("2020-06-30")) == "active"
    assert toy_group.timeline.status(T + "a", D("2020-07-01")) == "dissolved"


def test_not_yet_incorporated_before_incorporation(toy_group):
    assert toy_group.timeline.status(T + "a", D("1999-12-31")) == "not yet incorporated"
    # a partial date (the year 1990) starts on the first day of its period
    assert toy_group.timeline.status(T + "p", D("1990-01-01")) == "active"
    assert toy_group.timeline.status(T + "p", D("1989-12-31")) == "not yet incorporated"


def test_merger_passes_the_absorbed_companys_holdings_to_the_survivor(toy_group):
    before, after = stakes(toy_group, "2020-06-30"), stakes(toy_group, "2020-07-01")
    assert ("a", "c") in before and ("p", "c") not in before
    assert ("a", "c") not in after and ("p", "a") not in after
    assert after[("p", "c")].percent == 80
    assert "passed to the survivor" in after[("p", "c")].basis[0]


def test_observation_is_carried_forward_not_back(toy_group):
    assert ("x", "p") not in stakes(toy_group, "2019-12-31")
    carried = stakes(toy_group, "2020-05-01")[("x", "p")]
    assert carried.percent == 10 and carried.basis == ["observed 2020-01-01"]


def test_a_later_observation_of_the_same_pair_supersedes_the_earlier(toy_group):
    assert stakes(toy_group, "2021-12-31")[("p", "b")].percent == 60
    assert stakes(toy_group, "2022-01-01")[("p", "b")].percent == 40


def test_split_multiplies_share_counts_and_keeps_percentages(toy_group):
    after_split = stakes(toy_group, "2021-01-01")[("x", "p")]
    assert after_split.shares == 1000 and after_split.percent == 10
    assert toy_group.timeline.issued_shares(T + "p", D("2021-01-01")) == 10_000


def test_issuance_changes_the_denominator_of_share_derived_percentages(toy_group):
    diluted = stakes(toy_group, "2021-06-01")[("x", "p")]
    # 1,000 shares of 10,000 + 10,000 issued = 5%
    assert diluted.percent == pytest.approx(5.0)
    assert toy_group.timeline.issued_shares(T + "p", D("2021-06-01")) == 20_000
    assert any("derived" in b for b in diluted.basis)


def test_issued_shares_are_not_carried_back(toy_group):
    assert toy_group.timeline.issued_shares(T + "p", D("2019-12-31")) is None


def test_snapshot_graph_has_fraction_bounds(toy_group):
    graph = toy_group.snapshot(D("2020-01-01")).graph()
    assert graph.edges[T + "p", T + "b"]["low"] == pytest.approx(0.6)
    assert graph.edges[T + "p", T + "b"]["high"] == pytest.approx(0.6)
