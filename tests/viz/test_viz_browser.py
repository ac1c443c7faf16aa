"""The pages of groupkg.viz in a real browser, with every network request blocked.

Chromium is Debian's (``apt-get install -y chromium``), driven by Playwright; nothing
downloads a browser. Each page is opened from a file; any request for anything other
than that file is aborted and fails the test, as does any console error, failed
request or dialog. Data for the pages: tests/data/viz/merger.ttl (see
tests/viz/test_viz_model.py), and a synthetic group of 5,000 companies built here.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import time
import zlib
from pathlib import Path

import numpy as np
import pytest

from groupkg.graph import Group, add_files, open_store
from groupkg.viz import View, view_at, view_diff, view_timeline, write_html
from groupkg.viz.command import render as render_command
from groupkg.viz.styles import node_modifiers
from tests.browser import GuardedPage
from tests.turtle import prefixes

FIXTURE = Path(__file__).parents[1] / "data" / "viz" / "merger.ttl"
V = "https://example.org/viz/"
BEFORE, AFTER = dt.date(2020, 6, 30), dt.date(2020, 7, 1)
LARGE = 5000
SETTLE_CEILING = 60.0  # seconds; speed targets belong to the benchmarks, not here


def load(path: Path) -> Group:
    store = open_store("memory", default_data=False)
    add_files(store, [path])
    return Group(store)


def synthetic_group(path: Path, size: int = LARGE) -> Group:
    """A group of ``size`` companies under one listed parent, with a few cross-holdings."""
    rng = random.Random(5000)
    lines = [
        prefixes(s="https://example.org/synthetic/"),
        's:c0 a gk:LegalEntity ; rdfs:label "Company 0" ;',
        '    gk:hasListing [ a gk:Listing ; gk:exchange "Example Exchange" ; gk:ticker "0" ] .',
    ]
    for i in range(1, size):
        lines.append(f's:c{i} a gk:LegalEntity ; rdfs:label "Company {i}" .')
        owner = rng.randrange(max(1, i // 3))
        percent = rng.choice([100, 100, 90, 75, 60, 51, 40])
        lines.append(
            f"s:h{i} a gk:Holding ; gk:owner s:c{owner} ; gk:owned s:c{i} ; "
            f'gk:percent {percent} ; gk:validFrom "2000-01-01"^^xsd:date .'
        )
    for k in range(25):  # small stakes back up the tree
        low, high = sorted(rng.sample(range(size), 2))
        lines.append(
            f"s:x{k} a gk:Holding ; gk:owner s:c{high} ; gk:owned s:c{low} ; "
            f'gk:percent 2 ; gk:validFrom "2000-01-01"^^xsd:date .'
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load(path)


# -- pages ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> dict[str, tuple[Path, list[View]]]:
    """Each page under test, with the views its states must show."""
    folder = tmp_path_factory.mktemp("viz-pages")
    group = load(FIXTURE)
    timeline = view_timeline(group)
    large = view_at(synthetic_group(folder / "synthetic.ttl"), dt.date(2020, 1, 1))
    assert len(large.nodes) == LARGE
    found = {
        "at": (write_html(view_at(group, BEFORE), folder / "at.html"), [view_at(group, BEFORE)]),
        "before-after": (
            write_html(view_diff(group, BEFORE, AFTER), folder / "before-after.html"),
            [view_diff(group, BEFORE, AFTER)],
        ),
        "event": (
            render_command(group, folder / "event.html", event="m1"),
            [view_diff(group, BEFORE, AFTER)],
        ),
        "path": (
            render_command(group, folder / "path.html", at=BEFORE, path="Gamma"),
            [view_at(group, BEFORE, path_to="Gamma")],
        ),
        "timeline": (write_html(timeline, folder / "timeline.html"), [v for _, v in timeline]),
        "large": (write_html(large, folder / "large.html"), [large]),
    }
    return found


class Visit(GuardedPage):
    """One page opened from its file, which may ask for nothing outside itself."""

    def __init__(self, browser, path: Path):
        self.url = path.resolve().as_uri()
        super().__init__(browser, lambda url: url == self.url, width=1000, height=700)
        started = time.monotonic()
        self.page.goto(self.url)
        self.ready_after = self._wait_until_ready(started)

    def _wait_until_ready(self, started: float) -> float:
        # Polled from here: the page's policy forbids eval, which wait_for_function uses.
        while time.monotonic() - started < SETTLE_CEILING:
            if self.js("() => Boolean(window.groupkgNetwork && window.groupkgNetwork.ready)"):
                return time.monotonic() - started
            self.page.wait_for_timeout(100)
        pytest.fail(f"{self.url} drew nothing within {SETTLE_CEILING} s; errors: {self.errors}")

    def drawn(self) -> tuple[list[str], list[str]]:
        """The ids in the page's vis-network DataSets."""
        return tuple(  # type: ignore[return-value]
            self.js(f"() => window.groupkgNetwork.{which}.getIds().map(String).sort()")
            for which in ("nodes", "edges")
        )


@pytest.fixture
def visit(browser):
    opened: list[Visit] = []

    def open_page(path: Path) -> Visit:
        opened.append(Visit(browser, path))
        return opened[-1]

    yield open_page
    for page in opened:
        page.close()


def on_screen(page: Visit, node: str, scale: float) -> dict[str, float]:
    """Centre the picture on ``node`` at ``scale``; where the node is in the window."""
    page.js(
        "([id, scale]) => window.groupkgNetwork.network.focus(id, {scale, animation: false})",
        [node, scale],
    )
    return page.js(
        """(id) => {
            const network = window.groupkgNetwork.network;
            const at = network.canvasToDOM(network.getPositions([id])[id]);
            const box = document.getElementById("gk-network").getBoundingClientRect();
            return {x: box.left + at.x, y: box.top + at.y};
        }""",
        node,
    )


def expected(view: View) -> tuple[list[str], list[str]]:
    return sorted(n.id for n in view.nodes), sorted(e.id for e in view.edges)


# -- what every page must do ---------------------------------------------------------------


@pytest.mark.parametrize("name", ["at", "before-after", "event", "path", "timeline"])
def test_page_draws_every_state_of_the_view_offline(pages, visit, name):
    path, views = pages[name]
    page = visit(path)
    assert page.js("() => window.groupkgNetwork.states") == len(views)
    for index, view in enumerate(views):
        assert page.js("(i) => window.groupkgNetwork.show(i)", index) == index
        assert page.drawn() == expected(view), f"state {index}"
        counts = page.js("() => [groupkgNetwork.nodes.length, groupkgNetwork.edges.length]")
        assert counts == [len(view.nodes), len(view.edges)]
        # each state's own look and words, not the last state's left in place
        looks = page.js("() => groupkgNetwork.nodes.get().map((n) => [n.id, n.group])")
        fade = any(n.on_path for n in view.nodes)
        want = [[n.id, "+".join([n.kind, *node_modifiers(n, fade)])] for n in view.nodes]
        assert sorted(looks) == sorted(want), f"state {index}"
        labels = page.js("() => groupkgNetwork.edges.get().map((e) => [e.id, e.label])")
        assert sorted(labels) == sorted([e.id, e.label] for e in view.edges), f"state {index}"
    page.assert_clean()


@pytest.mark.parametrize("name", ["at", "before-after", "timeline"])
def test_payload_is_shown_as_text_and_runs_nothing(pages, visit, name):
    page = visit(pages[name][0])
    node = V + "xss"
    where = on_screen(page, node, 1.2)
    page.page.mouse.move(where["x"] - 40, where["y"] - 40)
    page.page.mouse.move(where["x"], where["y"], steps=4)
    tooltip = page.page.locator(".vis-tooltip")
    tooltip.wait_for(state="visible", timeout=10_000)
    shown = tooltip.text_content()
    assert shown is not None
    assert '<img src=x onerror="window.__xss=1">' in shown
    assert "<script>window.__xss=2</script>" in shown  # the legal name, as text
    assert "<script>window.__xss=3</script>" in shown  # the source title, as text
    assert page.js("() => document.querySelectorAll('img, .vis-tooltip script, b').length") == 0
    page.page.wait_for_timeout(300)
    page.assert_clean()


@pytest.mark.parametrize("name", ["at", "before-after", "path", "timeline"])
def test_screenshot_is_not_blank(pages, visit, name):
    page = visit(pages[name][0])
    assert_not_blank(page)
    page.assert_clean()


def assert_not_blank(page: Visit) -> None:
    width, height, pixels = decode_png(page.page.locator("#gk-network").screenshot())
    assert width > 600 and height > 300
    colours = {pixels[i : i + 3] for i in range(0, len(pixels), 3)}
    background = pixels[:3]
    drawn = sum(1 for i in range(0, len(pixels), 3) if pixels[i : i + 3] != background)
    assert len(colours) >= 8, "the picture has hardly any colours"
    assert drawn / (width * height) > 0.005, "almost nothing is drawn"


# -- a large group ----------------------------------------------------------------------------


def test_large_group_opens_on_its_control_tree_drawn_stable_at_once(pages, visit):
    path, (view,) = pages["large"]
    page = visit(path)  # opened once: the checks below share one load of 5,000 nodes
    assert page.ready_after < SETTLE_CEILING
    nodes, edges = page.drawn()
    summaries = [n for n in nodes if n.startswith("+")]
    assert 20 < len(nodes) < 300 and summaries  # the tree first, long lists summarised
    first = page.js("() => window.groupkgNetwork.network.getPositions()")
    page.page.wait_for_timeout(1000)
    assert page.js("() => window.groupkgNetwork.network.getPositions()") == first
    # the picture is the layout computed in Python: no physics moved anything
    placed = {n.id: n for n in view.nodes}
    for node in nodes[:: max(1, len(nodes) // 40)]:
        if node in placed:
            assert first[node]["x"] == pytest.approx(placed[node].x, abs=0.01)
            assert first[node]["y"] == pytest.approx(placed[node].y, abs=0.01)
    assert_not_blank(page)
    page.assert_clean()


def summary_members(page: Visit, summary: str) -> list[str]:
    """The entities a summary node stands for, from the page's own data."""
    return page.js(
        """(id) => {
            const detail = JSON.parse(document.getElementById("gk-data").textContent)
                .states[0].detail;
            const index = detail.summaries.findIndex((s) => s.id === id);
            return detail.links.filter((l) => l[2] === index).map((l) => l[0]).sort();
        }""",
        summary,
    )


def click_node(page: Visit, node: str, count: int = 1) -> None:
    where = on_screen(page, node, 1)
    page.page.mouse.click(where["x"], where["y"], click_count=count)
    page.page.wait_for_timeout(400)  # past vis-network's double-click window


def test_large_group_expands_a_summary_in_place_and_folds_it_back(pages, visit):
    path, (view,) = pages["large"]
    page = visit(path)
    before, _ = page.drawn()
    summary = "+subsidiary https://example.org/synthetic/c0"  # the parent's long list
    assert summary in before
    members = summary_members(page, summary)
    assert len(members) > 8 and not set(members) & set(before)
    was = page.js("() => window.groupkgNetwork.network.getPositions()")
    click_node(page, summary)
    after, _ = page.drawn()
    assert set(members) <= set(after) and summary not in after
    moved = page.js("() => window.groupkgNetwork.network.getPositions()")
    assert all(moved[n] == was[n] for n in before if n != summary)  # nothing jumped
    click_node(page, members[0], count=2)  # a double click folds the list back
    assert page.drawn()[0] == before
    page.page.click("#gk-expand")
    assert page.drawn() == expected(view)  # every entity and holding, as the view has them
    page.page.click("#gk-collapse")
    assert page.drawn()[0] == before
    page.assert_clean()


def test_large_group_search_focuses_the_entity_and_its_path(pages, visit):
    path, (view,) = pages["large"]
    page = visit(path)
    target = "https://example.org/synthetic/c4999"
    assert target not in page.drawn()[0]
    page.page.fill("#gk-search", "company 499")
    items = page.page.locator("#gk-matches li")
    assert items.first.text_content() == "Company 499"  # names starting so come first
    assert "Company 4999" in items.all_text_contents()
    page.page.fill("#gk-search", "ANY 4999")  # any part of the name, any case
    assert items.all_text_contents() == ["Company 4999"]
    page.page.keyboard.press("Enter")
    assert target in page.drawn()[0]
    network = "window.groupkgNetwork.network"
    chosen = page.js(f"() => {network}.getSelectedNodes()")
    assert chosen[0] == target and chosen[-1] == "https://example.org/synthetic/c0"
    assert len(page.js(f"() => {network}.getSelectedEdges()")) == len(chosen) - 1
    centre = page.js(f"() => {network}.getViewPosition()")
    at = page.js(f"(id) => {network}.getPositions([id])[id]", target)
    assert centre == pytest.approx(at, abs=1)
    assert page.js(f"() => {network}.getScale()") >= 1
    label_visible = f"(id) => {network}.body.nodes[id].labelModule.visible()"
    assert page.js(label_visible, target) is True
    page.page.check("#gk-focus")  # only the paths from the top to it
    nodes, edges = page.drawn()
    assert set(chosen) <= set(nodes) and len(nodes) < 40
    assert not [n for n in nodes if n.startswith("+")]
    page.page.uncheck("#gk-focus")
    assert len(page.drawn()[0]) > len(nodes)
    page.assert_clean()


def test_large_group_expanded_whole_thins_its_labels(pages, visit):
    path, (view,) = pages["large"]
    page = visit(path)
    page.js("() => window.groupkgNetwork.expandAll()")
    page.js("() => window.groupkgNetwork.network.fit({animation: false})")
    label_visible = "(id) => window.groupkgNetwork.network.body.nodes[id].labelModule.visible()"
    some = view.nodes[1].id
    page.page.wait_for_timeout(200)
    assert page.js("() => window.groupkgNetwork.network.getScale()") < 0.3  # the whole group
    assert page.js(label_visible, some) is False  # too small to read: not drawn
    page.js("(id) => window.groupkgNetwork.network.focus(id, {scale: 1, animation: false})", some)
    assert page.js(label_visible, some) is True
    page.assert_clean()


# -- the timeline controls ----------------------------------------------------------------------


def test_timeline_steps_with_buttons_slider_and_keys(pages, visit):
    path, views = pages["timeline"]
    page = visit(path)
    last = len(views) - 1

    def state() -> int:
        index = page.js("() => window.groupkgNetwork.state")
        assert page.drawn() == expected(views[index])
        return index

    assert state() == 0
    page.page.click("#gk-next")
    assert state() == 1
    page.page.locator("#gk-slider").press("End")
    assert state() == last
    assert page.page.locator("#gk-step").text_content() == f"{last + 1} / {last + 1}: 2021-01-01"
    page.page.click("#gk-next")  # already at the end
    assert state() == last
    page.page.click("#gk-prev")
    assert state() == last - 1
    page.page.locator("h1").click()
    page.page.keyboard.press("ArrowLeft")
    assert state() == last - 2
    page.js("() => window.groupkgNetwork.show(3)")
    assert page.page.locator("#gk-caption").text_content() == "events: Hold Co absorbs Alpha"
    page.assert_clean()


# -- reading a screenshot ---------------------------------------------------------------


def decode_png(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of an 8-bit, non-interlaced PNG (what Chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    position, chunks = 8, []
    header = b""
    while position < len(data):
        length, kind = struct.unpack(">I4s", data[position : position + 8])
        body = data[position + 8 : position + 8 + length]
        position += 12 + length
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        elif kind == b"IEND":
            break
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    assert depth == 8 and interlace == 0 and colour in (2, 6), "unexpected PNG format"
    step = 3 if colour == 2 else 4
    raw = np.frombuffer(zlib.decompress(b"".join(chunks)), dtype=np.uint8)
    rows = raw.reshape(height, width * step + 1)
    image = np.zeros((height, width * step), dtype=np.uint8)
    above = np.zeros(width * step, dtype=np.uint8)
    for y in range(height):
        image[y] = above = _unfilter(int(rows[y, 0]), rows[y, 1:], above, step)
    return width, height, image.reshape(height, width, step)[:, :, :3].tobytes()


def _unfilter(kind: int, line: np.ndarray, above: np.ndarray, step: int) -> np.ndarray:
    """Undo one PNG row filter (PNG spec, section 9.2); byte arithmetic is modulo 256."""
    if kind == 0:
        return line
    if kind == 1:  # Sub: a running sum along each channel
        return np.cumsum(line.reshape(-1, step), axis=0, dtype=np.uint8).reshape(-1)
    if kind == 2:  # Up
        return line + above
    out, up = bytearray(line.tobytes()), above.tobytes()
    for i in range(len(out)):
        left = out[i - step] if i >= step else 0
        if kind == 3:  # Average
            out[i] = (out[i] + (left + up[i]) // 2) & 0xFF
            continue
        corner = up[i - step] if i >= step else 0  # Paeth
        guess = left + up[i] - corner
        far_left, far_up, far_corner = abs(guess - left), abs(guess - up[i]), abs(guess - corner)
        if far_left <= far_up and far_left <= far_corner:
            out[i] = (out[i] + left) & 0xFF
        elif far_up <= far_corner:
            out[i] = (out[i] + up[i]) & 0xFF
        else:
            out[i] = (out[i] + corner) & 0xFF
    if kind not in (3, 4):
        raise AssertionError(f"bad PNG filter {kind}")
    return np.frombuffer(bytes(out), dtype=np.uint8)


def test_png_reader_reads_a_chromium_screenshot(browser):
    context = browser.new_context(viewport={"width": 300, "height": 200})
    try:
        page = context.new_page()
        page.set_content(
            '<body style="margin:0;background:#fff">'
            '<div style="height:60px;background:linear-gradient(90deg,#123456,#fedcba)"></div>'
            '<div style="width:100px;height:60px;background:#ff0000"></div>'
            '<div style="width:100px;height:60px;background:#0000ff;margin-left:150px"></div>'
            "</body>"
        )
        width, height, pixels = decode_png(page.screenshot())
    finally:
        context.close()

    def pixel(x: int, y: int) -> bytes:
        start = (y * width + x) * 3
        return pixels[start : start + 3]

    assert (width, height) == (300, 200)
    assert pixel(50, 90) == b"\xff\x00\x00" and pixel(250, 90) == b"\xff\xff\xff"
    assert pixel(200, 150) == b"\x00\x00\xff" and pixel(20, 190) == b"\xff\xff\xff"
    assert len({pixel(x, 30) for x in range(width)}) > 50  # the gradient


def test_png_reader_reads_a_known_image():
    # 2x1 RGB, red then blue, stored with the Sub filter (each byte minus the one to its left)
    sub = bytes([1, 255, 0, 0, (0 - 255) & 0xFF, 0, 255])
    header = struct.pack(">IIBBBBB", 2, 1, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + body))
        return struct.pack(">I", len(body)) + kind + body + crc

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(sub))
    png += chunk(b"IEND", b"")
    assert decode_png(png) == (2, 1, bytes([255, 0, 0, 0, 0, 255]))
