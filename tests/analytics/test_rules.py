"""Hand-worked tests of the rule sets: each expected figure is worked out in a comment."""

from __future__ import annotations

import networkx as nx
import pytest

from groupkg.graph.analytics.interests import Interest
from groupkg.graph.analytics.rules import qualifying_holders
from groupkg.graph.formats.rulesets import rule_sets

PERSON = {"kind": "person"}


def graph(*edges: tuple, persons: tuple[str, ...] = ("P", "Q"), **nodes: dict) -> nx.DiGraph:
    """``(owner, owned, {kind: (low, high[, low_exclusive])})`` edges; percents."""
    G = nx.DiGraph()
    for person in persons:
        G.add_node(person, **PERSON)
    for name, attributes in nodes.items():
        G.add_node(name, **attributes)
    for owner, owned, kinds in edges:
        G.add_edge(
            owner,
            owned,
            interests={
                k: Interest(
                    v[0] / 100, v[1] / 100, *(v[2:] or (False,)), sources=(f"{owner}>{owned}",)
                )
                for k, v in kinds.items()
            },
        )
    return G


def shares(low: float, high: float | None = None, exclusive: bool = False) -> dict:
    return {"shareholding": (low, low if high is None else high, exclusive)}


def answers(G: nx.DiGraph, target: str, *names: str) -> dict[str, dict]:
    return {a["rule_set"]["name"]: a for a in qualifying_holders(G, target, rule_sets(list(names)))}


def owners(answer: dict) -> dict[str, tuple]:
    return {o["entity"]: (o["status"], round(o["percent_min"], 6), round(o["percent_max"], 6))
            for o in answer["beneficial_owners"]}  # fmt: skip


def entities(answer: dict) -> dict[str, str]:
    return {o["entity"]: o["status"] for o in answer["controlling_entities"]}


def test_multiplied_and_passed_whole_disagree_on_a_chain() -> None:
    # P holds 80% of B, which holds 30% of X.
    G = graph(("P", "B", shares(80)), ("B", "X", shares(30)))
    found = answers(G, "X", "eu-amld", "uk-psc", "us-cta")
    # EU AMLD multiplies: 0.8 * 0.3 = 24%, not more than 25%: no beneficial owner;
    # B itself holds 30% and is the entity that qualifies.
    assert owners(found["eu-amld"]) == {}
    assert entities(found["eu-amld"]) == {"B": "certain"}
    # US CTA multiplies too: 24% is not 25% or more.
    assert owners(found["us-cta"]) == {}
    # UK PSC: P controls B (80% > 50%), so B's whole 30% passes to P: 30% > 25%.
    assert owners(found["uk-psc"]) == {"P": ("certain", 30, 30)}
    chain = found["uk-psc"]["beneficial_owners"][0]["paths"][0]
    assert [(s["owner"], s["owned"]) for s in chain["steps"]] == [("P", "B"), ("B", "X")]
    assert chain["low"] == pytest.approx(0.3)  # passed whole: the last link's 30%
    eu_chain = found["eu-amld"]["controlling_entities"][0]["paths"][0]
    assert eu_chain["steps"][0]["sources"] == ["B>X"]


def test_a_holder_that_qualifies_elsewhere_keeps_its_figures() -> None:
    # P holds 80% of B, which holds 30% of X; Q holds 5% of X.
    G = graph(("P", "B", shares(80)), ("B", "X", shares(30)), ("Q", "X", shares(5)))
    found = answers(G, "X", "eu-amld", "uk-psc")

    def short(answer: dict) -> dict[str, tuple]:
        return {h["entity"]: (round(h["percent_min"], 6), round(h["percent_max"], 6))
                for h in answer["not_qualifying"]}  # fmt: skip

    # P qualifies under UK PSC (30% passed whole through B) and falls short under EU
    # AMLD with 0.8 * 0.3 = 24%. B qualifies under both; Q (5%) under neither, so it is
    # not compared anywhere.
    assert short(found["eu-amld"]) == {"P": (24, 24)}
    assert short(found["uk-psc"]) == {}
    (p,) = found["eu-amld"]["not_qualifying"]
    assert round(p["measures"]["shareholding"]["percent_min"], 6) == 24
    assert p["kind"] == "person"


def test_interests_of_one_person_through_several_paths_add_up() -> None:
    # P holds 20% of X directly and 60% of B, which holds 10% of X.
    G = graph(("P", "X", shares(20)), ("P", "B", shares(60)), ("B", "X", shares(10)))
    found = answers(G, "X", "eu-amld", "uk-psc")
    # Multiplied: 20% + 0.6 * 10% = 26% > 25%.
    assert owners(found["eu-amld"]) == {"P": ("certain", 26, 26)}
    assert len(found["eu-amld"]["beneficial_owners"][0]["paths"]) == 2
    # Passed whole: P controls B, so 20% + 10% = 30% > 25%.
    assert owners(found["uk-psc"]) == {"P": ("certain", 30, 30)}


def test_an_uncontrolled_entity_passes_nothing_whole() -> None:
    # P holds 15% of X directly and 40% of C, which holds 30% of X.
    G = graph(("P", "X", shares(15)), ("P", "C", shares(40)), ("C", "X", shares(30)))
    found = answers(G, "X", "eu-amld", "uk-psc")
    # Multiplied: 15% + 0.4 * 30% = 27% > 25%.
    assert owners(found["eu-amld"]) == {"P": ("certain", 27, 27)}
    # UK PSC: P does not control C (40%), so only P's own 15% counts.
    assert owners(found["uk-psc"]) == {}
    assert entities(found["uk-psc"]) == {"C": "certain"}


def test_cross_holdings_use_effective_ownership() -> None:
    # P holds 40% of A; A holds 50% of X and X holds 50% of A back. P's walks to X:
    # 0.4 * 0.5 * (1 + 0.25 + 0.25^2 + ...) = 0.2 / 0.75 = 26.666...%, more than 25%
    # (the simple path alone gives 20%).
    G = graph(("P", "A", shares(40)), ("A", "X", shares(50)), ("X", "A", shares(50)))
    found = answers(G, "X", "eu-amld", "uk-psc")
    assert owners(found["eu-amld"]) == {"P": ("certain", round(20 / 0.75, 6), round(20 / 0.75, 6))}
    # P does not control A (40%): nothing passes whole.
    assert owners(found["uk-psc"]) == {}


def test_ranges_give_possible_and_certain() -> None:
    # P holds 20-40% of X: over 25% possibly, not certainly. Q holds "more than 25%"
    # (25 exclusive, up to 50): certainly more than 25%.
    G = graph(("P", "X", shares(20, 40)), ("Q", "X", shares(25, 50, True)))
    found = answers(G, "X", "eu-amld", "uk-psc", "us-cta")
    for name in ("eu-amld", "uk-psc", "us-cta"):
        assert {k: v[0] for k, v in owners(found[name]).items()} == {
            "P": "possible",
            "Q": "certain",
        }


def test_exactly_25_percent_is_inclusive_only_for_us_cta() -> None:
    # 25% is "25% or more" (US CTA) but not "more than 25%" (EU AMLD, UK PSC).
    G = graph(("P", "X", shares(25)))
    found = answers(G, "X", "eu-amld", "uk-psc", "us-cta")
    assert owners(found["us-cta"]) == {"P": ("certain", 25, 25)}
    assert owners(found["eu-amld"]) == owners(found["uk-psc"]) == {}
    dispersed = [r for r in found["eu-amld"]["reasons"] if r["reason"] == "dispersed ownership"]
    assert dispersed == [{"reason": "dispersed ownership", "entities": ["P"], "percent": 25.0}]


def test_ifrs_10_and_ias_28_bands() -> None:
    # H holds 60% of X (control), K 30% of Y (significant influence), L exactly 50% of
    # Z (not more than half: no control; the top of the 20-50% band, inclusive).
    G = graph(("H", "X", shares(60)), ("K", "Y", shares(30)), ("L", "Z", shares(50)))
    x, y, z = (answers(G, t, "ifrs-10", "ias-28") for t in ("X", "Y", "Z"))
    assert entities(x["ifrs-10"]) == {"H": "certain"} and entities(x["ias-28"]) == {}
    assert [r["reason"] for r in x["ias-28"]["reasons"]] == ["above the ceiling"]
    assert entities(y["ifrs-10"]) == {} and entities(y["ias-28"]) == {"K": "certain"}
    assert entities(z["ifrs-10"]) == {} and entities(z["ias-28"]) == {"L": "certain"}


def test_ias_28_counts_what_subsidiaries_hold() -> None:
    # H holds 60% of S (controls it); S holds 25% of Y: H holds 25% through S (para 5).
    G = graph(("H", "S", shares(60)), ("S", "Y", shares(25)))
    found = answers(G, "Y", "ias-28")["ias-28"]
    assert entities(found) == {"H": "certain", "S": "certain"}


def test_voting_rights_where_stated_are_measured_apart_from_shares() -> None:
    # P holds 10% of the shares of X and 30% of its votes: over 25% by votes only.
    G = graph(("P", "X", {"shareholding": (10, 10), "votingRights": (30, 30)}))
    found = answers(G, "X", "uk-psc")["uk-psc"]
    (owner,) = found["beneficial_owners"]
    assert owner["interests"] == [{"kind": "votingRights", "status": "certain"}]
    assert owner["measures"]["shareholding"]["percent_max"] == pytest.approx(10)


def test_control_by_other_means_directly_and_through_a_controlled_entity() -> None:
    # P may appoint X's board; Q controls B (70%), which has other influence over Y.
    G = graph(
        ("P", "X", {"appointmentOfBoard": (0, 100)}),
        ("Q", "B", shares(70)),
        ("B", "Y", {"otherInfluenceOrControl": (0, 100)}),
    )
    x = answers(G, "X", "uk-psc", "ias-28")
    assert owners(x["uk-psc"])["P"][0] == "certain"
    assert x["uk-psc"]["beneficial_owners"][0]["interests"] == [
        {"kind": "appointmentOfBoard", "status": "certain"}
    ]
    y = answers(G, "Y", "uk-psc", "eu-amld")
    assert set(owners(y["uk-psc"])) == set(owners(y["eu-amld"])) == {"Q"}
    steps = y["uk-psc"]["beneficial_owners"][0]["paths"][0]["steps"]
    assert [s["interest"] for s in steps] == ["shareholding", "otherInfluenceOrControl"]


def test_reasons_when_nobody_qualifies() -> None:
    # X is listed; a bucket of unnamed holders holds 70%, Co (no known owners) 30%.
    G = graph(
        ("others", "X", shares(70)),
        ("Co", "X", shares(30)),
        X={"listed": True},
        others={"unnamed": True, "kind": "unnamed"},
    )
    found = answers(G, "X", "eu-amld", "ifrs-10")
    eu = {r["reason"]: r["entities"] for r in found["eu-amld"]["reasons"]}
    assert eu == {"listed": ["X"], "holders unknown": ["others"], "ends at a legal entity": ["Co"]}
    assert entities(found["eu-amld"]) == {"Co": "certain"}  # a registrable legal entity
    # The bucket is many holders: it never controls, so nobody controls X.
    ifrs = [r["reason"] for r in found["ifrs-10"]["reasons"]]
    assert ifrs == ["listed", "holders unknown", "dispersed ownership"]
