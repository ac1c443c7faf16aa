"""``groupkg history NAME --html FILE``: a self-contained timeline of one entity's
records, opened in Chromium: the IIJ announcements struck through as superseded, the
IIJ Exlayer absorption shown scheduled, and hostile names shown as text, running
nothing, under a policy that lets nothing load."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.viz.historypage import history_html
from tests.browser import GuardedPage

IIJ = "https://w3id.org/groupkg/data/iij/"
HOSTILE = "</script><script>window.__xss=1</script><img src=x onerror=window.__xss=2>"


class HistoryPage(GuardedPage):
    """A history page opened from its file, which may ask for nothing outside itself."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        super().__init__(browser, lambda url: url == self.url, width=1100, height=700)
        self.page.goto(self.url)

    def rows(self) -> list[dict]:
        return self.js(
            """() => [...document.querySelectorAll('.gk-row')].map(r => ({
                id: r.dataset.id, classes: r.className,
                what: r.querySelector('.gk-what').textContent,
                bars: r.querySelectorAll('.gk-bar').length}))"""
        )


def _write(tmp_path: Path, name: str, *options: str) -> Path:
    path = tmp_path / "history.html"
    result = CliRunner().invoke(cli, [*options, "history", name, "--html", str(path)])
    assert result.exit_code == 0, result.output
    return path


def test_iij_history_page_strikes_the_superseded_announcements(tmp_path, browser):
    page = HistoryPage(browser, _write(tmp_path, "IIJ"))
    try:
        rows = {r["id"].removeprefix(IIJ): r for r in page.rows()}
        announced = rows["ev-third-party-allotment-2013-announced"]
        assert "gk-superseded" in announced["classes"] and "gk-scheduled" in announced["classes"]
        assert announced["what"].endswith("superseded from 2013-11-07")
        assert "gk-superseded" not in rows["ev-third-party-allotment-2013"]["classes"]
        assert rows["ev-third-party-allotment-2013"]["bars"] == 1
        page.assert_clean()
    finally:
        page.close()


def test_iij_exlayer_history_page_shows_its_absorption_scheduled(tmp_path, browser):
    page = HistoryPage(browser, _write(tmp_path, "IIJ Exlayer", "--known-at", "2013-11-07"))
    try:
        rows = {r["id"].removeprefix(IIJ): r for r in page.rows()}
        assert "gk-scheduled" in rows["ev-merger-iij-exlayer-2014"]["classes"]
        assert page.page.locator("h1").inner_text() == "History of IIJ Exlayer Inc."
        assert "as known on 2013-11-07" in page.page.locator(".gk-note").first.inner_text()
        page.assert_clean()
    finally:
        page.close()


def test_hostile_names_are_text_and_run_nothing(tmp_path, browser):
    answer = {
        "entity": {"id": "urn:x", "name": HOSTILE},
        "records": [
            {"id": "urn:r", "kind": "holding", "role": "owned", "what": HOSTILE,
             "valid_from": "2020-01-01", "valid_to": None, "as_of": None,
             "known_from": "2020-01-02", "known_by": "stated", "status": "stated",
             "supersedes": [], "superseded_by": [], "superseded_from": None,
             "sources": [HOSTILE]},
        ],
    }  # fmt: skip
    text = history_html(answer)
    assert "<script>window.__xss" not in text and "<img" not in text
    path = tmp_path / "hostile.html"
    path.write_text(text, encoding="utf-8")
    page = HistoryPage(browser, path)
    try:
        assert [r["what"] for r in page.rows()] == [HOSTILE]
        assert page.js("() => window.__xss === undefined && !document.querySelector('img')")
        assert json.loads(page.js("() => document.getElementById('gk-history').textContent"))
        page.assert_clean()
    finally:
        page.close()
