"""Every picture of the IIJ group, drawn in Chromium: no label over another label or over a
node it does not belong to, and nothing outside the visible canvas.

The boxes are vis-network's own (see :mod:`tests.viz.boxes`), read after the state is
drawn; a timeline is checked in every state.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from groupkg.viz.command import render
from tests.viz.boxes import measure, problems
from tests.viz.test_viz_browser import Visit

MERGERS = [
    "ev-merger-iij-technology-2010",
    "ev-merger-iij-financial-systems-2010",
    "ev-merger-iij-exlayer-2014",
    "ev-merger-iij-america-iij-exlayer-usa",
]

VIEWS: dict[str, dict[str, Any]] = {
    "at-2010-03-31": {"at": dt.date(2010, 3, 31)},
    "at-2013-12-31": {"at": dt.date(2013, 12, 31)},
    "at-2014-01-01": {"at": dt.date(2014, 1, 1)},
    "at-today": {"at": dt.date.today()},
    "path-exlayer-usa": {"at": dt.date(2013, 12, 31), "path": "IIJ Exlayer USA"},
    "root-iij": {"at": dt.date(2013, 12, 31), "root": "IIJ"},
    "before-after-2014": {"before": dt.date(2013, 12, 31), "after": dt.date(2014, 1, 1)},
    "before-after-2014-root": {
        "before": dt.date(2013, 12, 31),
        "after": dt.date(2014, 1, 1),
        "root": "IIJ",
    },
    **{f"event-{event}": {"event": event} for event in MERGERS},
    "timeline": {"timeline": True},
    "timeline-root": {"timeline": True, "root": "IIJ"},
}


@pytest.fixture(scope="module")
def iij_pages(iij, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("iij-pages")
    return {
        name: render(iij, folder / f"{name}.html", **options) for name, options in VIEWS.items()
    }


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_no_label_overlaps_and_nothing_is_cut_off(browser, iij_pages, name):
    page = Visit(browser, iij_pages[name])
    try:
        found = []
        for state in range(page.js("() => window.groupkgNetwork.states")):
            page.js("(i) => window.groupkgNetwork.show(i)", state)
            found += [f"state {state}: {problem}" for problem in problems(measure(page))]
        assert found == [], "\n".join(found)
        page.assert_clean()
    finally:
        page.close()
