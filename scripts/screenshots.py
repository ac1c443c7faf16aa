"""Screenshots of the IIJ pictures for docs/pictures.md: ``make screenshots``.

Each picture is rendered from the bundled IIJ data with ``groupkg.viz`` (as ``groupkg
render`` writes it), opened in headless Chromium (Debian's ``chromium``, driven by
Playwright, as the browser tests do: nothing downloads a browser), and its drawing
area saved as a PNG under docs/pictures/. The same data gives the same pictures:
positions are computed in Python, the page draws with physics off, the window has a
fixed size, and every view is of a fixed day.

Usage: ``python scripts/screenshots.py [OUT_DIR]`` (default docs/pictures).
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from groupkg.graph import Group, open_store
from groupkg.viz.command import render

__all__ = ["SHOTS", "main"]

WIDTH, HEIGHT = 1100, 760
SETTLE = 30.0  # seconds a page may take to draw before the script gives up

#: file name, what it shows (for docs/pictures.md), options of ``render``, timeline state
SHOTS: list[tuple[str, str, dict[str, Any], str | None]] = [
    (
        "iij-2013-12-31.png",
        "The IIJ group on 2013-12-31: `groupkg render --at 2013-12-31 --root IIJ`",
        {"at": dt.date(2013, 12, 31), "root": "IIJ"},
        None,
    ),
    (
        "iij-exlayer-usa-paths.png",
        "Consolidation paths to IIJ Exlayer USA: "
        '`groupkg render --at 2013-12-31 --path "IIJ Exlayer USA"`',
        {"at": dt.date(2013, 12, 31), "path": "IIJ Exlayer USA"},
        None,
    ),
    (
        "iij-2010-04-01.png",
        "IIJ absorbs IIJ Technology and IIJ Financial Systems: "
        "`groupkg render --before 2010-03-31 --after 2010-04-01 --root IIJ`",
        {"before": dt.date(2010, 3, 31), "after": dt.date(2010, 4, 1), "root": "IIJ"},
        None,
    ),
    (
        "iij-2014-01-01.png",
        "IIJ absorbs IIJ Exlayer; IIJ America and IIJ Exlayer USA merge: "
        "`groupkg render --before 2013-12-31 --after 2014-01-01 --root IIJ`",
        {"before": dt.date(2013, 12, 31), "after": dt.date(2014, 1, 1), "root": "IIJ"},
        None,
    ),
    (
        "iij-timeline-2014-01-01.png",
        "The timeline on 2014-01-01, both mergers drawn: `groupkg render --timeline --root IIJ`",
        {"timeline": True, "root": "IIJ"},
        "2014-01-01",
    ),
]


def _wait_until_drawn(page: Any) -> None:
    started = time.monotonic()
    while time.monotonic() - started < SETTLE:
        if page.evaluate("() => Boolean(window.groupkgNetwork && window.groupkgNetwork.ready)"):
            return
        page.wait_for_timeout(100)
    raise RuntimeError(f"{page.url} drew nothing within {SETTLE} s")


def _shoot(browser: Any, html: Path, state: str | None, target: Path) -> None:
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    try:
        page = context.new_page()
        page.goto(html.resolve().as_uri())
        _wait_until_drawn(page)
        if state is not None:  # the timeline's state of that day
            page.evaluate(
                """(day) => {
                    const names = JSON.parse(document.getElementById("gk-data").textContent)
                        .states.map((s) => s.name);
                    window.groupkgNetwork.show(names.indexOf(day));
                    window.groupkgNetwork.network.redraw();
                }""",
                state,
            )
        page.screenshot(path=str(target), full_page=False)
    finally:
        context.close()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else Path(__file__).parents[1] / "docs" / "pictures"
    chromium = shutil.which("chromium")
    if chromium is None:
        print("screenshots need Debian's chromium: apt-get install -y chromium", file=sys.stderr)
        return 1
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    group = Group(open_store("memory"))
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        try:
            for name, _what, options, state in SHOTS:
                html = render(group, Path(folder) / f"{Path(name).stem}.html", **options)
                _shoot(browser, html, state, out / name)
                print(f"wrote {out / name}", file=sys.stderr)
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
