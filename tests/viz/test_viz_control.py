"""``groupkg render --control``: who controls and who beneficially owns an entity under
each rule set, as a picture beside a panel, in a real browser with every network
request blocked.

Two groups: the IIJ data on 2013-12-31 (nobody qualifies as a beneficial owner, IIJ is
listed, NTT's 21.62% is significant influence under IAS 28 only), and a small group
worked by hand: Ann holds 80% of Beta, which holds 30% of Target; Bob holds 20% to
30% of Target. Under the UK PSC rules Ann's 30% passes whole through Beta, which she
controls (a certain PSC), and Bob's range straddles 25% (a possible one); EU AMLD
multiplies Ann's chain to 24% and finds only Bob, possibly. Under both, Beta, a legal
entity holding 30%, meets the conditions.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, open_store
from groupkg.graph.cli import cli
from groupkg.graph.model import Dataset, Entity, Holding
from groupkg.viz.command import render as render_command
from groupkg.viz.controlview import view_control
from tests.browser import GuardedPage
from tests.turtle import prefixes

IIJ_DAY = dt.date(2013, 12, 31)
DAY = dt.date(2024, 1, 1)
HOSTILE = '<img src=x onerror="window.__xss=1">'
SETTLE_CEILING = 60.0


def small_group(bob: str = "Bob") -> Group:
    names = {
        "ann": Entity("ann", "Ann", kind="person"),
        "bob": Entity("bob", bob, kind="person"),
        "beta": Entity("beta", "Beta"),
        "target": Entity("target", "Target"),
    }
    holdings = [
        Holding("h1", "ann", "beta", 80.0),
        Holding("h2", "beta", "target", 30.0),
        Holding("h3", "bob", "target", percent_min=20.0, percent_max=30.0),
    ]
    return Group(open_store("memory", default_data=False), dataset=Dataset(names, holdings))


def hostile_rules(folder: Path) -> Path:
    path = folder / "hostile.ttl"
    path.write_text(
        prefixes()
        + """<https://example.org/rules/hostile> a gk:RuleSet ;
    gk:ruleSetName "hostile" ;
    rdfs:label "Hostile <script>window.__xss=2</script>" ;
    rdfs:comment "</script><script>window.__xss=3</script>" ;
    gk:thresholdPercent 25.0 ; gk:thresholdInclusive false ;
    gk:countsInterest "shareholding" ;
    gk:aggregation "passedWhole" ;
    gk:qualifyingHolders "naturalPersons" .
""",
        encoding="utf-8",
    )
    return path


# -- the view, before any browser ---------------------------------------------------------


def test_view_marks_the_chains_of_each_rule_set():
    view = view_control(small_group(), "Target", DAY, ["uk-psc", "eu-amld"])
    (uk_name, uk), (eu_name, eu) = view.views
    assert (uk_name, eu_name) == ("uk-psc", "eu-amld")
    uk_panel, eu_panel = view.panels
    assert [(h["name"], h["status"], h["percent"]) for h in uk_panel["holders"]] == [
        ("Ann", "certain", "30%"),
        ("Bob", "possible", "20–30%"),
        ("Beta", "certain", "30%"),
    ]
    (ann_chain,) = uk_panel["holders"][0]["chains"]
    assert [s["stake"] for s in ann_chain["steps"]] == ["80% shares", "30% shares"]
    assert ann_chain["carries"] == "30%"
    assert [(h["name"], h["status"]) for h in eu_panel["holders"]] == [
        ("Bob", "possible"),
        ("Beta", "certain"),
    ]
    assert eu_panel["holders"][1]["role"] == "qualifying entity"
    # Every link above Target is drawn under each rule set; the chains are marked.
    marked = {e.id: (e.on_path, e.possible) for e in uk.edges}
    assert marked == {
        "ann -> beta": (True, False),
        "beta -> target": (True, False),
        "bob -> target": (True, True),
    }
    assert {e.id: (e.on_path, e.possible) for e in eu.edges} == {
        "ann -> beta": (False, False),
        "beta -> target": (True, False),
        "bob -> target": (True, True),
    }
    assert {n.id for n in uk.nodes} == {"ann", "bob", "beta", "target"}
    assert uk.notes == ["UK PSC: persons with significant control (more than 25%): "
                        "2 beneficial owners, 1 qualifying entity"]  # fmt: skip


def test_iij_view_says_why_nobody_qualifies(iij):
    view = view_control(iij, "IIJ", IIJ_DAY)
    panels = {p["name"]: p for p in view.panels}
    assert panels["eu-amld"]["holders"] == []
    assert panels["eu-amld"]["nobody"] == "no beneficial owner identified"
    assert any("at most 5.59%" in r for r in panels["eu-amld"]["reasons"])
    (ntt,) = panels["ias-28"]["holders"]
    assert (ntt["name"], ntt["percent"]) == ("Nippon Telegraph and Telephone Corporation", "21.62%")


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--control", "IIJ"], "--control draws control on one day: it needs --at"),
        (["--control", "IIJ", "--at", "2013-12-31", "--root", "IIJ"], "--timeline, --root or"),
        (["--at", "2013-12-31", "--rules", "uk-psc"], "--rules chooses the rule sets of"),
        (["--control", "IIJ", "--at", "2013-12-31", "--rules", "nope"], "nope"),
    ],
)
def test_render_control_refuses_what_it_cannot_draw(tmp_path, args, message):
    result = run("render", *args, "-o", str(tmp_path / "x.html"))
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert not (tmp_path / "x.html").exists()


def test_render_control_writes_the_page(tmp_path):
    out = tmp_path / "iij.html"
    result = run("render", "--control", "IIJ", "--at", "2013-12-31", "--rules",
                 "eu-amld,ias-28", "-o", str(out))  # fmt: skip
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert "<title>Control of Internet Initiative Japan Inc. on 2013-12-31</title>" in text
    assert "https://" not in text.split("<script>")[0].split("<style>")[0]


# -- in the browser -----------------------------------------------------------------------


class ControlPage(GuardedPage):
    """A control page opened from its file, which may ask for nothing outside itself."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        super().__init__(browser, lambda url: url == self.url, width=1200, height=760)
        started = time.monotonic()
        self.page.goto(self.url)
        # Polled from here: the page's policy forbids eval, which wait_for_function uses.
        while not self.js("() => Boolean(window.groupkgNetwork && groupkgNetwork.ready)"):
            if time.monotonic() - started > SETTLE_CEILING:
                pytest.fail(f"{self.url} drew nothing; errors: {self.errors}")
            self.page.wait_for_timeout(100)

    def choose(self, rule_set: str) -> None:
        """Pick a rule set in the page's selector, as a user does."""
        index = self.js("(name) => groupkgControl.rules.indexOf(name)", rule_set)
        self.page.select_option("#gk-rules", str(index))
        assert self.js("() => groupkgControl.rule") == rule_set

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def holders(self) -> list[tuple[str, str]]:
        """The holder cards shown: name and classes (certain or possible)."""
        found = self.js(
            """() => [...document.querySelectorAll('#gk-holders > li')].map(
                li => [li.querySelector('.gk-name').textContent, li.className])"""
        )
        return [(name, classes) for name, classes in found]


@pytest.fixture
def control_page(browser):
    opened: list[ControlPage] = []

    def open_page(path: Path) -> ControlPage:
        opened.append(ControlPage(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def test_iij_page_shows_no_beneficial_owner_and_ntt_under_ias_28(tmp_path, iij, control_page):
    page = control_page(render_command(iij, tmp_path / "iij.html", at=IIJ_DAY, control="IIJ"))
    assert page.js("() => groupkgControl.rules") == [
        "eu-amld", "uk-psc", "us-cta", "ifrs-10", "ias-28", "groupkg-default"
    ]  # fmt: skip
    assert "Internet Initiative Japan Inc. is listed: NASDAQ since 1999" in page.text("#gk-listed")
    for rule_set in ("eu-amld", "uk-psc", "us-cta"):
        page.choose(rule_set)
        assert page.holders() == []
        assert page.text("#gk-nobody") == "no beneficial owner identified"
        reasons = page.text("#gk-reasons")
        assert "is a listed company" in reasons
        assert "the largest is Koichi Suzuki with at most 5.59%" in reasons
    page.choose("ifrs-10")
    assert page.holders() == []
    assert "Nippon Telegraph and Telephone Corporation with at most 21.62%" in page.text(
        "#gk-reasons"
    )
    page.choose("ias-28")
    assert page.text("#gk-rule-label") == "IAS 28: significant influence (20% to 50%)"
    assert page.holders() == [
        ("Nippon Telegraph and Telephone Corporation", "gk-holder gk-certain")
    ]
    assert "21.62%" in page.text("#gk-holders")
    ntt = "https://w3id.org/groupkg/data/iij/ntt"
    iij_id = "https://w3id.org/groupkg/data/iij/iij"
    edge = page.js("(id) => groupkgNetwork.edges.get(id)", f"{ntt} -> {iij_id}")
    assert edge["color"]["color"] == "#e8590c" and edge["dashes"] is False
    page.assert_clean()


def test_small_group_page_shows_the_uk_psc_owner(tmp_path, control_page):
    group = small_group()
    path = render_command(group, tmp_path / "small.html", at=DAY, control="Target",
                          rules=["eu-amld", "uk-psc"])  # fmt: skip
    page = control_page(path)
    page.choose("uk-psc")
    assert page.holders() == [
        ("Ann", "gk-holder gk-certain"),
        ("Bob", "gk-holder gk-possible"),
        ("Beta", "gk-holder gk-certain"),
    ]
    chains = page.text("#gk-holders .gk-certain:first-child .gk-chains")
    assert chains == "Ann → 80% shares → Beta → 30% shares → Target (carries 30%)"
    assert page.js("() => groupkgNetwork.edges.get('bob -> target').dashes") == [8, 5]
    assert page.js("() => groupkgNetwork.edges.get('ann -> beta').dashes") is False
    page.choose("eu-amld")
    assert page.holders() == [("Bob", "gk-holder gk-possible"), ("Beta", "gk-holder gk-certain")]
    assert page.js("() => groupkgNetwork.edges.get('ann -> beta').color.color") != "#e8590c"
    page.assert_clean()


def test_hostile_names_are_text_and_run_nothing(tmp_path, control_page):
    rules = hostile_rules(tmp_path)
    path = render_command(small_group(bob=HOSTILE), tmp_path / "hostile.html", at=DAY,
                          control="Target", rules=[str(rules), "uk-psc"])  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert "<script>window.__xss" not in text and "<img" not in text
    page = control_page(path)
    page.choose("hostile")
    assert page.text("#gk-rule-label") == "Hostile <script>window.__xss=2</script>"
    assert page.text("#gk-comment") == "</script><script>window.__xss=3</script>"
    assert [name for name, _ in page.holders()] == ["Ann", HOSTILE, "Beta"]
    page.choose("uk-psc")
    assert page.js("() => document.querySelectorAll('img, #gk-control script').length") == 0
    assert page.page.locator("#gk-rules option").all_inner_texts()[0].startswith("Hostile <")
    page.page.wait_for_timeout(300)
    page.assert_clean()
