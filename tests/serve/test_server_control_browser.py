"""The viewer's Control section (``groupkg serve``) in headless Chromium: who controls
and who beneficially owns the chosen entity on the chosen day, one rule set at a time.

Chromium is Debian's, driven by Playwright; every request that is not to 127.0.0.1 is
blocked, and any console error fails the test.
"""

import urllib.parse
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import GuardedPage

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


def test_control_of_iij_under_each_rule_set(visit, start_server):
    page = visit.page
    open_entity(page, start_server(), "IIJ", "2013-12-31")
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
    assert page.locator("#control img, #control script, #control b").count() == 0
    assert page.evaluate("window.__xss") is None
    visit.assert_clean(failed_loads=True)
