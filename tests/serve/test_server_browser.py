"""The viewer of ``groupkg serve`` in headless Chromium, as a person would use it.

Chromium is Debian's (``apt-get install -y chromium``), driven by Playwright; every
request that is not to 127.0.0.1 is blocked, and any console error fails the test.
"""

import re
import urllib.parse

import pytest
from playwright.sync_api import expect

from tests.browser import GuardedPage

# Generous ceilings for waiting, not timings: the machine may be busy.
expect.set_options(timeout=30_000)
PAYLOAD = "<img src=x onerror=alert(1)><script>alert(2)</script>"


@pytest.fixture(scope="module")
def url(start_server):
    return start_server()


class Visit(GuardedPage):
    """One page in a fresh context that may ask the local server only."""

    def __init__(self, browser):
        # Tall enough that nothing needs scrolling: right after a scroll, Chromium may
        # route a click by the old layout into the picture's frame.
        super().__init__(browser, _local, width=1280, height=2400)
        self.page.set_default_timeout(30_000)

    def assert_clean(self, failed_loads: bool = True) -> None:
        # Choosing another entity or day replaces the picture's frame, cancelling the
        # load of the one before: a failed request, and no fault.
        super().assert_clean(failed_loads)


def _local(url: str) -> bool:
    return urllib.parse.urlsplit(url).hostname == "127.0.0.1"


def picture_loaded(page):
    """Wait until the graph frame has loaded the picture it shows.

    Its script is large; the tests let it finish before they go on, as a person would.
    """
    graph = page.locator("#graph")
    shown = graph.get_attribute("src")
    assert shown and shown.startswith("/view?")
    expect(graph).to_have_attribute("data-loaded", shown)


@pytest.fixture
def visit(browser):
    opened = Visit(browser)
    yield opened
    opened.context.close()


def test_choose_an_entity_and_a_date(visit, url):
    page = visit.page
    page.goto(url + "/")
    page.locator("#date").fill("2014-01-01")
    page.locator("#search").press_sequentially("IIJ Exl", delay=40)
    suggestion = page.locator("#suggestions li", has_text="IIJ Exlayer Inc.").first
    expect(suggestion).to_be_visible()
    suggestion.click()
    # absorbed on 2014-01-01: no paths to draw, so the picture is the whole group
    expect(page.locator("#graph-note")).to_have_text(
        "IIJ Exlayer Inc. is dissolved on 2014-01-01: the whole group is shown."
    )
    expect(page.locator("#graph")).to_have_attribute("src", "/view?at=2014-01-01")
    picture_loaded(page)
    page.locator("#date").fill("2013-12-31")

    graph = page.locator("#graph")
    expect(graph).to_be_visible()
    expect(graph).to_have_attribute("src", re.compile(r"^/view\?.*at=2013-12-31"))
    picture_loaded(page)
    picture = page.frame_locator("#graph")
    expect(picture.locator("canvas").first).to_be_attached()
    expect(picture.locator("h1")).to_contain_text("2013-12-31")

    expect(page.locator("#graph-note")).to_be_empty()
    owners = page.locator("#owners tbody tr", has_text="Internet Initiative Japan")
    # two kinds of interest, two rows: the shares and the reported consolidation
    expect(owners).to_have_count(2)
    expect(owners.filter(has_text="shareholding")).to_contain_text("99.9%")
    expect(owners.filter(has_text="directConsolidation")).to_contain_text("(consolidated)")
    expect(page.locator("#entity-name")).to_have_text("IIJ Exlayer Inc.")
    expect(page.locator("#parent")).to_contain_text("Ultimate parent:")
    expect(page.locator("#paths li").first).to_contain_text("IIJ Exlayer Inc.")
    expect(page.locator("#events")).to_contain_text("2014-01-01")
    expect(page).to_have_url(re.compile(r"entity=.*iij-exlayer.*at=2013-12-31"))
    visit.assert_clean()


def test_keyboard_choice_and_a_link_to_the_state(visit, url):
    page = visit.page
    page.goto(url + "/?at=2013-12-31")
    expect(page.locator("#date")).to_have_value("2013-12-31")
    page.locator("#search").press_sequentially("exlayer", delay=40)
    expect(page.locator("#suggestions li").first).to_contain_text("IIJ Exlayer Inc.")
    page.locator("#search").press("Enter")
    expect(page.locator("#owners")).to_contain_text("Internet Initiative Japan Inc.")
    picture_loaded(page)
    # an owner's name opens that owner
    page.locator("#owners button", has_text="Internet Initiative Japan Inc.").first.click()
    expect(page.locator("#entity-name")).to_have_text("Internet Initiative Japan Inc.")
    expect(page.locator("#holdings")).to_contain_text("IIJ Exlayer Inc.")
    # the address reopens the same state
    page.goto(page.url)
    expect(page.locator("#entity-name")).to_have_text("Internet Initiative Japan Inc.")
    expect(page.locator("#date")).to_have_value("2013-12-31")
    visit.assert_clean()


def test_sparql_box_runs_a_named_query_and_shows_a_table(visit, url):
    page = visit.page
    page.goto(url + "/?" + urllib.parse.urlencode({"entity": "IIJ-Exlayer", "at": "2013-12-31"}))
    # the tables above the box fill in first: wait, so that the button stays put
    expect(page.locator("#owners")).to_contain_text("Internet Initiative Japan Inc.")
    expect(page.locator("#events")).to_contain_text("2014-01-01")
    picture_loaded(page)
    expect(page.locator("#examples option").first).to_be_attached()
    page.locator("#examples").select_option(label="owners-at")
    expect(page.locator("#example-description")).to_contain_text("Filled in: $entity = ")
    # the entity as the IRIs of its records (one here)
    expect(page.locator("#query")).to_have_value(
        re.compile(re.escape("VALUES ?entity { <https://"))
    )
    # the chosen example, not the one shown at start whose answer came back later
    expect(page.locator("#query")).to_have_value(re.compile(r"SELECT DISTINCT \?owner "))
    page.locator("#run").click()
    expect(page.locator("#sparql-status")).to_contain_text(re.compile(r"\d+ rows? in"))
    expect(page.locator("#sparql-result th").first).to_have_text("owner")
    row = page.locator("#sparql-result tr", has_text="Internet Initiative Japan Inc.")
    expect(row).to_contain_text("99.9")
    visit.assert_clean()


def test_sparql_box_shows_data_as_text_never_as_markup(visit, url):
    page = visit.page
    page.goto(url + "/")
    expect(page.locator("#example-description")).not_to_be_empty()
    literal = PAYLOAD.replace('"', '\\"')
    page.locator("#query").fill(f'SELECT ?x WHERE {{ BIND("{literal}" AS ?x) }}')
    page.locator("#run").click()
    expect(page.locator("#sparql-result td")).to_have_text(PAYLOAD)
    assert page.locator("#sparql-result img, #sparql-result script").count() == 0
    page.locator("#query").fill("SELECT WHERE {")
    page.locator("#run").click()
    expect(page.locator("#sparql-status")).to_contain_text("400: SPARQL syntax error")
    # a failed query is answered 400: the browser logs the status, nothing else may
    assert all("400" in error for error in visit.errors), visit.errors
    visit.errors.clear()
    visit.assert_clean()


HOSTILE = str(__import__("pathlib").Path(__file__).parents[1] / "data" / "hostile" / "payloads.ttl")


def test_script_payloads_in_names_and_sources_run_nothing(visit, start_server):
    base = start_server("--no-default-data", "--data", HOSTILE)
    page = visit.page
    page.goto(base + "/?" + urllib.parse.urlencode({"entity": "hostile-child", "at": "2020-06-01"}))
    owner = page.locator("#owners tbody tr").first
    expect(owner).to_contain_text("Parent <img src=x onerror=")
    expect(owner).to_contain_text("75")
    expect(page.locator("#entity-name")).to_contain_text("</script><script>")
    expect(page.locator("#events")).to_contain_text("2020-02-01")
    picture_loaded(page)
    page.locator("#search").fill("")
    page.locator("#search").press_sequentially("hostile", delay=20)
    expect(page.locator("#suggestions li").first).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.frame_locator("#graph").locator("img, iframe, svg, b").count() == 0
    assert page.locator("#owners img, #owners script, #owners b").count() == 0
    visit.assert_clean()


def test_slider_over_the_days_of_change_and_before_after(visit, url):
    page = visit.page
    page.goto(url + "/?at=2013-12-31")
    page.locator("#search").press_sequentially("exlayer", delay=40)
    expect(page.locator("#suggestions li").first).to_contain_text("IIJ Exlayer Inc.")
    page.locator("#search").press("Enter")
    expect(page.locator("#graph")).to_have_attribute("src", re.compile(r"at=2013-12-31"))
    picture_loaded(page)
    expect(page.locator("#changes")).to_be_visible()
    expect(page.locator("#change-day")).to_contain_text("2013-12-31")
    # what one event changed: the day before it against its day
    page.locator("#events button", has_text="2014-01-01").first.click()
    expect(page.locator("#date")).to_have_value("2014-01-01")
    expect(page.locator("#before-after")).to_be_checked()
    expect(page.locator("#graph")).to_have_attribute(
        "src", re.compile(r"before=2013-12-31&after=2014-01-01")
    )
    picture_loaded(page)
    picture = page.frame_locator("#graph")
    expect(picture.locator("h1")).to_contain_text("changes from 2013-12-31 to 2014-01-01")
    expect(picture.locator("#gk-search")).to_be_visible()  # the picture's own controls
    expect(page.locator("#change-day")).to_contain_text("a change on 2014-01-01")
    page.locator("#before-after").uncheck()
    expect(page.locator("#graph")).to_have_attribute("src", re.compile(r"at=2014-01-01"))
    # the slider steps through the days on which the group changes
    slider = page.locator("#change-slider")
    last = int(slider.get_attribute("max") or 0)
    assert last > 1
    slider.press("Home")
    expect(page.locator("#change-day")).to_contain_text(f"1 / {last + 1} · a change on")
    first = page.locator("#date").input_value()
    assert first < "2014-01-01"
    expect(page.locator("#graph")).to_have_attribute("src", re.compile("at=" + first))
    picture_loaded(page)
    visit.assert_clean()


def test_a_second_date_asks_every_answer_as_known_on_it(visit, url):
    # The 2013-11-07 release announced IIJ Exlayer's absorption on 2014-01-01: as known
    # the day before it, nothing says the company ends.
    page = visit.page
    exlayer = "https://w3id.org/groupkg/data/iij/iij-exlayer"
    page.goto(url + "/?" + urllib.parse.urlencode({"entity": exlayer, "at": "2014-06-30"}))
    expect(page.locator("#known-at")).to_have_value("")
    expect(page.locator("#entity-facts")).to_contain_text("status on 2014-06-30: dissolved")
    expect(page.locator("#entity-facts")).to_contain_text("dissolved 2014-01-01")
    picture_loaded(page)
    page.locator("#known-at").fill("2013-11-06")
    expect(page.locator("#entity-facts")).to_contain_text("status on 2014-06-30: active")
    expect(page.locator("#entity-facts")).not_to_contain_text("dissolved")
    expect(page.locator("#graph")).to_have_attribute("src", re.compile(r"known_at=2013-11-06"))
    expect(page).to_have_url(re.compile(r"known_at=2013-11-06"))
    picture_loaded(page)
    # the address keeps the knowledge date
    page.goto(page.url)
    expect(page.locator("#known-at")).to_have_value("2013-11-06")
    expect(page.locator("#entity-facts")).to_contain_text("status on 2014-06-30: active")
    # cleared: everything known again
    page.locator("#known-at").fill("")
    expect(page.locator("#entity-facts")).to_contain_text("dissolved 2014-01-01")
    picture_loaded(page)
    visit.assert_clean()


def test_answers_resting_on_scheduled_mergers_say_so(visit, url):
    # No release of the set is dated on or after 2014-01-01: IIJ Exlayer's absorption
    # by IIJ and IIJ Exlayer USA's merger into IIJ America are only announced.
    page = visit.page
    usa = "https://w3id.org/groupkg/data/iij/iij-exlayer-usa"
    page.goto(url + "/?" + urllib.parse.urlencode({"entity": usa, "at": "2014-01-01"}))
    expect(page.locator("#owners-scheduled")).to_have_text(
        "Rests on events known only as announced (scheduled): 2014-01-01 Merger of IIJ"
        " America and IIJ Exlayer USA; 2014-01-01 IIJ absorbs IIJ Exlayer"
    )
    expect(page.locator("#paths-scheduled")).to_contain_text("IIJ absorbs IIJ Exlayer")
    picture_loaded(page)
    # the day before, nothing has taken effect yet
    page.locator("#date").fill("2013-12-31")
    expect(page.locator("#entity-facts")).to_contain_text("status on 2013-12-31: active")
    expect(page.locator("#owners-scheduled")).to_be_empty()
    expect(page.locator("#holdings-scheduled")).to_be_empty()
    expect(page.locator("#paths-scheduled")).to_be_empty()
    picture_loaded(page)
    visit.assert_clean()
