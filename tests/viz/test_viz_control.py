"""``groupkg render --control``: who controls and who beneficially owns an entity under
each rule set, the rule sets side by side (a panel each, one layout, a table comparing
them), in a real browser with every network request blocked.

Two groups: the IIJ data on 2013-12-31 (nobody qualifies as a beneficial owner, IIJ is
listed, NTT's 21.62% is significant influence under IAS 28 only), and a small group
worked by hand: Ann holds 80% of Beta, which holds 30% of Target; Bob holds 20% to
30% of Target. Under the UK PSC rules Ann's 30% passes whole through Beta, which she
controls (a certain PSC), and Bob's range straddles 25% (a possible one); EU AMLD
multiplies Ann's chain to 24% (80% x 30%, not more than 25%) and finds only Bob,
possibly. Under both, Beta, a legal entity holding 30%, meets the conditions. No
interest in the small group states votes, so votes are read from the shares
(docs/definitions.md) and qualify alike.
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
from tests.rulesets import SHIPPED_LABELS, SHIPPED_RULE_SETS
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
    # One layout: every entity at the same place under each rule set.
    assert {n.id: (n.x, n.y) for n in uk.nodes} == {n.id: (n.x, n.y) for n in eu.nodes}
    assert {e.id: e.bend for e in uk.edges} == {e.id: e.bend for e in eu.edges}
    assert uk_panel["named"] == ("beneficial owners: Ann, Bob (possible); qualifying entity: Beta")
    assert eu_panel["named"] == "beneficial owner: Bob (possible); qualifying entity: Beta"


def test_table_compares_the_rule_sets_holder_by_holder():
    view = view_control(small_group(), "Target", DAY, ["eu-amld", "uk-psc"])
    table = view.table
    assert [c["name"] for c in table["columns"]] == ["eu-amld", "uk-psc"]
    rows = {r["name"]: r["cells"] for r in table["rows"]}
    # Persons first, then the legal entity.
    assert [r["name"] for r in table["rows"]] == ["Ann", "Bob", "Beta"]
    both = "shares, votes"
    # Ann's 24% under EU AMLD: 80% of Beta times Beta's 30%.
    assert rows["Ann"] == [
        {"status": "no", "percent": "24%"},
        {"status": "certain", "role": "beneficial owner", "interests": both, "percent": "30%"},
    ]
    possible = "shares (possible), votes (possible)"
    bob = {"status": "possible", "role": "beneficial owner", "interests": possible,
           "percent": "20–30%"}  # fmt: skip
    assert rows["Bob"] == [bob, bob]
    beta = {"status": "certain", "role": "qualifying entity", "interests": both, "percent": "30%"}
    assert rows["Beta"] == [beta, beta]


def test_table_is_empty_when_nobody_qualifies():
    # Ann's 24% multiplied is all she has under EU AMLD; Beta is left out of the group.
    names = {
        "ann": Entity("ann", "Ann", kind="person"),
        "beta": Entity("beta", "Beta"),
        "target": Entity("target", "Target"),
    }
    holdings = [Holding("h1", "ann", "beta", 80.0), Holding("h2", "beta", "target", 20.0)]
    group = Group(open_store("memory", default_data=False), dataset=Dataset(names, holdings))
    view = view_control(group, "Target", DAY, ["eu-amld"])
    assert view.table["rows"] == []
    (panel,) = view.panels
    assert panel["named"] == "no beneficial owner identified"


def test_iij_view_says_why_nobody_qualifies(iij):
    view = view_control(iij, "IIJ", IIJ_DAY)
    panels = {p["name"]: p for p in view.panels}
    assert panels["eu-amld"]["holders"] == []
    assert panels["eu-amld"]["nobody"] == "no beneficial owner identified"
    assert any("at most 5.59%" in r for r in panels["eu-amld"]["reasons"])
    (ntt,) = panels["ias-28"]["holders"]
    assert (ntt["name"], ntt["percent"]) == ("Nippon Telegraph and Telephone Corporation", "21.62%")
    (row,) = view.table["rows"]
    assert row["name"] == "Nippon Telegraph and Telephone Corporation"
    assert [c["status"] for c in row["cells"]] == ["no", "no", "no", "no", "certain", "no"]
    # NTT holds 21.62% of IIJ directly and controls nobody above IIJ: 21.62% under each.
    assert {c["percent"] for c in row["cells"]} == {"21.62%"}


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

ORANGE = "#e8590c"


class ControlPage(GuardedPage):
    """A control page opened from its file, which may ask for nothing outside itself."""

    def __init__(self, browser, path: Path, width: int = 1200):
        self.url = path.resolve().as_uri()
        super().__init__(browser, lambda url: url == self.url, width=width, height=760)
        started = time.monotonic()
        self.page.goto(self.url)
        # Polled from here: the page's policy forbids eval, which wait_for_function uses.
        while not self.js("() => Boolean(window.groupkgControl && groupkgControl.ready)"):
            if time.monotonic() - started > SETTLE_CEILING:
                pytest.fail(f"{self.url} drew nothing; errors: {self.errors}")
            self.page.wait_for_timeout(100)

    def panel(self, rule_set: str) -> str:
        """The selector of one rule set's panel."""
        return f'.gk-panel[data-rule="{rule_set}"]'

    def text(self, selector: str) -> str:
        return self.page.locator(selector).inner_text()

    def holders(self, rule_set: str) -> list[tuple[str, str]]:
        """The holder cards of a panel: name and classes (certain or possible)."""
        found = self.js(
            """(panel) => [...document.querySelectorAll(panel + ' .gk-holders > li')].map(
                li => [li.querySelector('.gk-name').textContent, li.className])""",
            self.panel(rule_set),
        )
        return [(name, classes) for name, classes in found]

    def edge(self, rule_set: str, edge_id: str) -> dict:
        """An edge as a panel's picture draws it."""
        return self.js(
            """([rule, id]) => groupkgControl.panels[groupkgControl.rules.indexOf(rule)]
                .edges.get(id)""",
            [rule_set, edge_id],
        )

    def table(self) -> list[list[str]]:
        """The comparison table as text, row by row, the header first."""
        return self.js(
            """() => [...document.querySelectorAll('#gk-table tr')].map(
                tr => [...tr.children].map(cell => cell.innerText.replace(/\\n/g, ' | ')))"""
        )

    def places(self) -> list[dict[str, list[float]]]:
        """Where each panel draws each entity, in pixels from its picture's corner."""
        return self.js(
            """() => groupkgControl.panels.map((one) => {
                const at = {};
                const drawn = one.network.getPositions();
                for (const id of Object.keys(drawn)) {
                    const p = one.network.canvasToDOM(drawn[id]);
                    at[id] = [Math.round(p.x * 10) / 10, Math.round(p.y * 10) / 10];
                }
                return at;
            })"""
        )


@pytest.fixture
def control_page(browser):
    opened: list[ControlPage] = []

    def open_page(path: Path, width: int = 1200) -> ControlPage:
        opened.append(ControlPage(browser, path, width))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def test_small_group_rule_sets_side_by_side(tmp_path, control_page):
    path = render_command(small_group(), tmp_path / "small.html", at=DAY, control="Target",
                          rules=["eu-amld", "uk-psc"])  # fmt: skip
    page = control_page(path)
    assert page.js("() => groupkgControl.rules") == ["eu-amld", "uk-psc"]
    assert page.page.locator(".gk-panel").count() == 2
    # Side by side: the two panels share a row.
    eu_box = page.page.locator(page.panel("eu-amld")).bounding_box()
    uk_box = page.page.locator(page.panel("uk-psc")).bounding_box()
    assert eu_box["y"] == uk_box["y"] and eu_box["x"] < uk_box["x"]
    # UK PSC: Ann's chain through Beta, which she controls, is highlighted; she is named.
    assert page.text(page.panel("uk-psc") + " .gk-named") == (
        "beneficial owners: Ann, Bob (possible); qualifying entity: Beta"
    )
    assert page.holders("uk-psc") == [
        ("Ann", "gk-holder gk-certain"),
        ("Bob", "gk-holder gk-possible"),
        ("Beta", "gk-holder gk-certain"),
    ]
    chains = page.text(page.panel("uk-psc") + " .gk-certain:first-child .gk-chains")
    assert chains == "Ann → 80% shares → Beta → 30% shares → Target (carries 30%)"
    for edge_id in ("ann -> beta", "beta -> target"):
        edge = page.edge("uk-psc", edge_id)
        assert (edge["color"]["color"], edge["dashes"]) == (ORANGE, False)
    assert page.edge("uk-psc", "bob -> target")["dashes"] == [8, 5]
    # EU AMLD: 24% multiplied; Ann is not named and her link to Beta is not highlighted.
    assert page.text(page.panel("eu-amld") + " .gk-named") == (
        "beneficial owner: Bob (possible); qualifying entity: Beta"
    )
    assert page.holders("eu-amld") == [
        ("Bob", "gk-holder gk-possible"),
        ("Beta", "gk-holder gk-certain"),
    ]
    assert page.edge("eu-amld", "ann -> beta")["color"]["color"] != ORANGE
    assert page.edge("eu-amld", "beta -> target")["color"]["color"] == ORANGE
    assert page.edge("eu-amld", "bob -> target")["dashes"] == [8, 5]
    # The table says so.
    assert page.table() == [
        ["holder", "EU AMLD: beneficial owners (more than 25%)",
         "UK PSC: persons with significant control (more than 25%)"],
        ["Ann | person", "no | 24%", "certain | 30%; by shares, votes"],
        ["Bob | person", "possible | 20–30%; by shares (possible), votes (possible)",
         "possible | 20–30%; by shares (possible), votes (possible)"],
        ["Beta | legal", "certain | 30%; by shares, votes", "certain | 30%; by shares, votes"],
    ]  # fmt: skip
    classes = page.js(
        "() => [...document.querySelectorAll('#gk-table tbody tr:first-child td')]"
        ".map(td => td.className)"
    )
    assert classes == ["gk-cell gk-no", "gk-cell gk-certain"]
    # One layout: every entity at the same pixel in both panels.
    eu_places, uk_places = page.places()
    assert set(eu_places) == {"ann", "bob", "beta", "target"}
    assert eu_places == uk_places
    page.assert_clean()


def test_all_rule_sets_wrap_in_a_grid_with_one_layout(tmp_path, control_page):
    path = render_command(small_group(), tmp_path / "all.html", at=DAY, control="Target")
    page = control_page(path)
    assert page.page.locator(".gk-panel").count() == 6
    boxes = [b.bounding_box() for b in page.page.locator(".gk-panel").all()]
    rows = sorted({round(b["y"]) for b in boxes})
    assert 1 < len(rows) < 6  # wrapped: more than one row, more than one panel a row
    assert all(b["width"] == boxes[0]["width"] for b in boxes)
    places = page.places()
    assert all(drawn == places[0] for drawn in places)
    assert len(page.table()[0]) == 7  # the holder and six rule sets
    page.assert_clean()


def test_one_rule_set_is_one_panel(tmp_path, control_page):
    path = render_command(small_group(), tmp_path / "one.html", at=DAY, control="Target",
                          rules=["eu-amld"])  # fmt: skip
    page = control_page(path)
    assert page.page.locator(".gk-panel").count() == 1
    assert page.holders("eu-amld") == [
        ("Bob", "gk-holder gk-possible"),
        ("Beta", "gk-holder gk-certain"),
    ]
    assert [row[0] for row in page.table()] == ["holder", "Bob | person", "Beta | legal"]
    assert page.edge("eu-amld", "beta -> target")["color"]["color"] == ORANGE
    page.assert_clean()


def test_iij_no_beneficial_owner_in_any_panel_and_ntt_under_ias_28(tmp_path, iij, control_page):
    page = control_page(render_command(iij, tmp_path / "iij.html", at=IIJ_DAY, control="IIJ"))
    assert page.js("() => groupkgControl.rules") == [name for name, _ in SHIPPED_RULE_SETS]
    assert "Internet Initiative Japan Inc. is listed: NASDAQ since 1999" in page.text("#gk-listed")
    listed = "Internet Initiative Japan Inc. is a listed company"
    for rule_set in ("eu-amld", "uk-psc", "us-cta"):
        assert page.text(page.panel(rule_set) + " .gk-named") == "no beneficial owner identified"
        assert page.holders(rule_set) == []
        reasons = page.text(page.panel(rule_set) + " .gk-reasons")
        assert listed in reasons
        assert "the largest is Koichi Suzuki with at most 5.59%" in reasons
    for rule_set in ("ifrs-10", "groupkg-default"):
        assert page.text(page.panel(rule_set) + " .gk-named") == "no qualifying entity"
        assert listed in page.text(page.panel(rule_set) + " .gk-reasons")
    ntt_name = "Nippon Telegraph and Telephone Corporation"
    assert page.text(page.panel("ias-28") + " .gk-named") == f"qualifying entity: {ntt_name}"
    assert page.holders("ias-28") == [(ntt_name, "gk-holder gk-certain")]
    ntt = "https://w3id.org/groupkg/data/iij/ntt"
    iij_id = "https://w3id.org/groupkg/data/iij/iij"
    edge = page.edge("ias-28", f"{ntt} -> {iij_id}")
    assert edge["color"]["color"] == ORANGE and edge["dashes"] is False
    assert page.edge("ifrs-10", f"{ntt} -> {iij_id}")["color"]["color"] != ORANGE
    # The table: NTT alone, and only under IAS 28 (20% to 50% of votes).
    header, *rows = page.table()
    assert header == ["holder", *SHIPPED_LABELS]
    assert len(rows) == 1
    assert rows[0][0] == f"{ntt_name} | legal"
    assert rows[0][1:5] == ["no | 21.62%"] * 4 and rows[0][6] == "no | 21.62%"
    assert rows[0][5].startswith("certain | 21.62%")
    places = page.places()
    assert all(drawn == places[0] for drawn in places)
    page.assert_clean()


def test_hostile_names_are_text_and_run_nothing(tmp_path, control_page):
    rules = hostile_rules(tmp_path)
    path = render_command(small_group(bob=HOSTILE), tmp_path / "hostile.html", at=DAY,
                          control="Target", rules=[str(rules), "uk-psc"])  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert "<script>window.__xss" not in text and "<img" not in text
    page = control_page(path)
    label = "Hostile <script>window.__xss=2</script>"
    panel = page.panel("hostile")
    assert page.text(panel + " .gk-panel-label") == label
    assert page.text(panel + " .gk-comment") == "</script><script>window.__xss=3</script>"
    assert page.text(panel + " .gk-named") == (
        f"beneficial owners: Ann, {HOSTILE} (possible); qualifying entity: Beta"
    )
    assert [name for name, _ in page.holders("hostile")] == ["Ann", HOSTILE, "Beta"]
    header, *rows = page.table()
    assert header[1] == label
    # Persons by name ("<" sorts before "a"), then the legal entity.
    assert [row[0] for row in rows] == [f"{HOSTILE} | person", "Ann | person", "Beta | legal"]
    assert page.js("() => document.querySelectorAll('#gk-control img, #gk-control script')"
                   ".length") == 0  # fmt: skip
    page.page.wait_for_timeout(300)
    page.assert_clean()
