"""The viewer's Control section (``groupkg serve``) in headless Chromium: who controls
and who beneficially owns the chosen entity on the chosen day, the rule sets compared
in a table and one rule set at a time in detail.

Chromium is Debian's, driven by Playwright; every request that is not to 127.0.0.1 is
blocked, and any console error fails the test.
"""

import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import GuardedPage
from tests.rulesets import SHIPPED_LABELS
from tests.turtle import prefixes

expect.set_options(timeout=30_000)
HOSTILE = str(Path(__file__).parents[1] / "data" / "hostile" / "payloads.ttl")


def _local(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname == "127.0.0.1"


@pytest.fixture
def visit(browser):
    opened = GuardedPage(browser, _local, width=1280, height=2400)
    opened.page.set_default_timeout(30_000)
    yield opened
    opened.context.close()


def open_entity(page, base: str, entity: str, at: str) -> None:
    page.goto(base + "/?" + urllib.parse.urlencode({"entity": entity, "at": at}))
    expect(page.locator("#control-rules option").first).to_be_attached()


def table(page) -> list[list[str]]:
    """The Control section's comparison table as text, row by row, the header first."""
    return page.evaluate(
        """() => [...document.querySelectorAll('#control-table tr')].map(
            tr => [...tr.children].map(cell => cell.textContent))"""
    )


# Ann holds 80% of Beta, which holds 30% of Target; Bob holds 20% to 30% of Target. EU
# AMLD multiplies Ann's chain to 24% (not more than 25%); UK PSC passes Beta's 30% whole
# to Ann, who controls Beta. Bob's range straddles 25%: possible under both. Beta, a
# legal entity with 30%, meets both. No votes are stated, so votes are the shares.
DISAGREEING = """
ex:src a gk:Source ; dcterms:title "Hand-worked register" ; dcterms:date "2024-01-01"^^xsd:date .
ex:ann a gk:NaturalPerson ; rdfs:label "Ann" ; prov:wasDerivedFrom ex:src .
ex:bob a gk:NaturalPerson ; rdfs:label "Bob" ; prov:wasDerivedFrom ex:src .
ex:beta a gk:LegalEntity ; rdfs:label "Beta" ; prov:wasDerivedFrom ex:src .
ex:target a gk:LegalEntity ; rdfs:label "Target" ; prov:wasDerivedFrom ex:src .
ex:h1 a gk:Holding ; gk:owner ex:ann ; gk:owned ex:beta ; gk:percent 80 ;
    gk:validFrom "2020-01-01"^^xsd:date ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .
ex:h2 a gk:Holding ; gk:owner ex:beta ; gk:owned ex:target ; gk:percent 30 ;
    gk:validFrom "2020-01-01"^^xsd:date ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .
ex:h3 a gk:Holding ; gk:owner ex:bob ; gk:owned ex:target ; gk:percentMin 20 ; gk:percentMax 30 ;
    gk:validFrom "2020-01-01"^^xsd:date ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .
"""


def test_control_table_where_the_rule_sets_disagree(visit, start_server, tmp_path_factory):
    data = tmp_path_factory.mktemp("disagreeing") / "disagreeing.ttl"
    data.write_text(prefixes(ex="https://example.org/hand/") + DISAGREEING, encoding="utf-8")
    page = visit.page
    open_entity(
        page, start_server("--no-default-data", "--data", str(data)), "Target", "2024-01-01"
    )
    expect(page.locator("#control-table tbody tr")).to_have_count(3)
    header, *rows = table(page)
    assert header == ["holder", *SHIPPED_LABELS]
    both = "30%; by shareholding, votingRights"
    bob = "possible: 20–30%; by shareholding (possible), votingRights (possible)"
    # EU AMLD and US CTA multiply Ann's chain to 24% (80% x 30%): not more than 25%, not
    # 25% or more; UK PSC passes Beta's 30% whole to Ann, who controls Beta. IFRS 10 and
    # groupkg (passed whole): nobody holds more than 50%. IAS 28 (20% to 50% of votes,
    # passed whole): Ann's 30%, Bob's 20-30% (both bounds in the band) and Beta's 30%.
    assert rows[0][:4] == ["Ann", "no: 24%", f"certain: {both}", "no: 24%"]
    assert rows[1][:4] == ["Bob", bob, bob, bob]
    assert rows[2][:4] == ["Beta", f"certain: {both}", f"certain: {both}", f"certain: {both}"]
    assert [row[4] for row in rows] == ["no: 30%", "no: 20–30%", "no: 30%"]
    assert [row[5] for row in rows] == [
        "certain: 30%; by votingRights",
        "certain: 20–30%; by votingRights",
        "certain: 30%; by votingRights",
    ]
    assert [row[6] for row in rows] == ["no: 30%", "no: 20–30%", "no: 30%"]
    classes = page.evaluate(
        "() => [...document.querySelectorAll('#control-table tbody tr:first-child td')]"
        ".slice(0, 3).map(td => td.className)"
    )
    assert classes == ["", "no", "certain"]
    # The holder's name picks it, as everywhere in the viewer.
    page.locator("#control-table tbody tr:first-child button").click()
    expect(page.locator("#entity-name")).to_have_text("Ann")
    visit.assert_clean(failed_loads=True)


def test_control_of_iij_under_each_rule_set(visit, start_server):
    page = visit.page
    open_entity(page, start_server(), "IIJ", "2013-12-31")
    # Compared: nobody but NTT qualifies under any rule set, and NTT only under IAS 28.
    expect(page.locator("#control-table tbody tr")).to_have_count(1)
    (ntt,) = table(page)[1:]
    assert ntt[0] == "Nippon Telegraph and Telephone Corporation"
    # NTT holds 21.62% of IIJ directly and controls nobody above IIJ: 21.62% under each.
    assert ntt[1:5] == ["no: 21.62%"] * 4 and ntt[6] == "no: 21.62%"
    assert ntt[5].startswith("certain: 21.62%")
    rules = page.locator("#control-rules")
    expect(rules).to_have_value("eu-amld")
    expect(page.locator("#control-listed")).to_contain_text(
        "Internet Initiative Japan Inc. is listed: NASDAQ since 1999"
    )
    expect(page.locator("#control-nobody")).to_have_text("no beneficial owner identified")
    expect(page.locator("#control-reasons")).to_contain_text(
        "the largest is Koichi Suzuki with at most 5.59%"
    )
    rules.select_option("ias-28")
    holder = page.locator("#control-holders > li")
    expect(holder).to_have_count(1)
    expect(holder).to_have_class("certain")
    expect(holder).to_contain_text("Nippon Telegraph and Telephone Corporation")
    expect(holder).to_contain_text("qualifying entity, 21.62%")
    expect(holder.locator("ul li")).to_contain_text(
        "Nippon Telegraph and Telephone Corporation → 21.62% shareholding → "
        "Internet Initiative Japan Inc."
    )
    expect(page.locator("#control-nobody")).to_be_empty()
    # The rule set chosen stays chosen on another day, and for another entity.
    page.locator("#date").fill("2014-01-01")
    expect(page.locator("#control-holders > li")).to_contain_text("21.62%")
    expect(rules).to_have_value("ias-28")
    holder.locator("button").click()
    expect(page.locator("#entity-name")).to_have_text("Nippon Telegraph and Telephone Corporation")
    expect(rules).to_have_value("ias-28")
    expect(page.locator("#control-nobody")).to_have_text("no qualifying entity")
    visit.assert_clean(failed_loads=True)


def test_control_shows_hostile_names_as_text(visit, start_server):
    base = start_server("--no-default-data", "--data", HOSTILE)
    page = visit.page
    open_entity(page, base, "hostile-child", "2020-06-01")
    page.locator("#control-rules").select_option("ifrs-10")
    holder = page.locator("#control-holders > li")
    expect(holder).to_contain_text('Parent <img src=x onerror="window.__xss=1;alert(1)">')
    expect(holder).to_contain_text("</script><script>window.__xss=1</script>")
    names = [row[0] for row in table(page)[1:]]
    assert 'Parent <img src=x onerror="window.__xss=1;alert(1)">' in names
    assert page.locator("#control img, #control script, #control b").count() == 0
    assert page.evaluate("window.__xss") is None
    visit.assert_clean(failed_loads=True)
