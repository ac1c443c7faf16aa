"""Views in a notebook: a short repr, a static SVG picture in a MIME bundle, no script.

Public API only (``groupkg.graph``, ``groupkg.viz``). The bundled IIJ data and
tests/data/viz/merger.ttl, whose entity ``<img src=x onerror="window.__xss=1">``
tries to run a script wherever its name is written.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from pathlib import Path

import pytest
from defusedxml import ElementTree

import groupkg.viz
from groupkg.graph import Group, InputError, add_files, open_store
from groupkg.viz import (
    LegendItem,
    TimelineViews,
    View,
    ViewEdge,
    ViewNode,
    mime_bundle,
    to_svg,
    view_at,
    view_diff,
    view_timeline,
)
from tests.browser import GuardedPage

SVG = "{http://www.w3.org/2000/svg}"
MERGER = Path(__file__).parents[1] / "data" / "viz" / "merger.ttl"
HOSTILE = "<script>window.__xss=1</script> & \"Q\" 'S' </svg>\x00\x1b\ud800"


@pytest.fixture(scope="module")
def iij() -> Group:
    return Group(open_store("memory"))


@pytest.fixture(scope="module")
def merger() -> Group:
    store = open_store("memory", default_data=False)
    add_files(store, [MERGER])
    return Group(store)


def hostile_view() -> View:
    """A view with a hostile string in every place a string from data can go."""
    nodes = [
        ViewNode("a", HOSTILE, HOSTILE, "listed", 0, 0.0, 0.0, ultimate_parent=True),
        ViewNode("b", "B\n" + HOSTILE, HOSTILE, "person", 1, 0.0, 170.0),
    ]
    edges = [ViewEdge("a -> b", "a", "b", HOSTILE + "\n1 share", HOSTILE)]
    legend = [LegendItem("node", "listed", HOSTILE), LegendItem("edge", "holding", HOSTILE)]
    return View(HOSTILE, nodes, edges, legend, [HOSTILE], dt.date(2014, 1, 1))


def parsed(svg: str):
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def texts(root) -> str:
    return "".join(root.itertext())


# -- the text repr -------------------------------------------------------------------------


def test_a_view_says_what_it_shows_in_one_short_line(iij):
    view = view_at(iij, dt.date(2014, 1, 1), root="IIJ")
    text = repr(view)
    assert text == (
        "<View 'Internet Initiative Japan Inc. group on 2014-01-01': 11 entities, 11 holdings>"
    )
    timeline = view_timeline(iij, root="IIJ")
    assert repr(timeline) == (
        "<TimelineViews 'Internet Initiative Japan Inc. group from 2010-02-04 to 2014-01-01': "
        "13 states from 2010-02-04 to 2014-01-01>"
    )


def test_a_long_title_is_cut_so_the_repr_stays_short():
    view = View("x" * 5000, [], [])
    assert len(repr(view)) < 200 and repr(view).endswith("…': 0 entities, 0 holdings>")
    days = TimelineViews([(dt.date(2014, 1, 1), view)])
    days.title = "y" * 5000
    assert len(repr(days)) < 200
    assert repr(TimelineViews()) == "<TimelineViews 'Timeline': no states>"


def test_a_view_comes_from_a_group_in_one_call_with_days_as_analysts_hold_them(iij):
    by_date = view_at(iij, dt.date(2014, 1, 1), root="IIJ")
    numpy = pytest.importorskip("numpy")
    for day in ("2014-01-01", dt.datetime(2014, 1, 1, 9, 30), numpy.datetime64("2014-01-01")):
        assert view_at(iij, day, root="IIJ") == by_date
    assert view_diff(iij, "2013-12-31", "2014-01-01", root="IIJ") == view_diff(
        iij, dt.date(2013, 12, 31), dt.date(2014, 1, 1), root="IIJ"
    )
    for bad in (None, "2014-13-01", 2014):
        with pytest.raises(InputError, match="day"):
            view_at(iij, bad)
    with pytest.raises(InputError, match="before"):
        view_diff(iij, "yesterday", "2014-01-01")


# -- the MIME bundle -------------------------------------------------------------------------


def test_a_view_displays_as_an_image_of_its_svg_and_runs_nothing(iij):
    view = view_at(iij, dt.date(2013, 12, 31), path_to="IIJ Exlayer")
    bundle = view._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/svg+xml", "text/plain"}
    assert bundle == mime_bundle(view) and bundle["text/plain"] == repr(view)
    found = re.fullmatch(r'<img src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)" [^<>]*>',
                         bundle["text/html"])  # fmt: skip
    assert found, bundle["text/html"][:200]
    assert base64.b64decode(found.group(1)).decode("utf-8") == bundle["image/svg+xml"]
    assert view._repr_html_() == bundle["text/html"]
    for entry in bundle.values():
        assert "<script" not in entry and "<iframe" not in entry and "vis-network" not in entry
    # a picture of 40 entities costs tens of kilobytes, not the 760 KiB of a page
    assert sum(len(entry) for entry in bundle.values()) < 100_000


def test_a_timeline_displays_every_state_in_one_picture(iij):
    timeline = view_timeline(iij, root="IIJ")
    root = parsed(timeline._repr_mimebundle_()["image/svg+xml"])
    shown = texts(root)
    for index, (day, _view) in enumerate(timeline):
        assert f"{index + 1} / {len(timeline)}: {day.isoformat()}" in shown
    drawn = [g for g in root.iter(f"{SVG}g") if g.get("class") == "gk-node"]
    assert len(drawn) == sum(len(view.nodes) for _day, view in timeline)
    # the states share their positions: IIJ stays in its column from state to state
    # (its box is wider in the states that note a split or an issue under its name)
    columns = set()
    for chart in root.iter(f"{SVG}g"):
        if shift := re.fullmatch(r"translate\(([-\d.]+),[-\d.]+\)", chart.get("transform", "")):
            for node in chart:
                if node.find(f"{SVG}title").text.startswith("Internet Initiative Japan Inc.\n"):
                    rect = node.find(f"{SVG}rect")
                    middle = float(rect.get("x")) + float(rect.get("width")) / 2
                    columns.add(float(shift.group(1)) + middle)
    assert max(columns) - min(columns) < 0.5  # the SVG's numbers are rounded


def test_the_picture_draws_every_entity_and_holding_where_the_layout_put_them(merger):
    view = view_diff(merger, dt.date(2020, 6, 30), dt.date(2020, 7, 1))
    root = parsed(to_svg(view))
    groups = {cls: [g for g in root.iter(f"{SVG}g") if g.get("class") == cls]
              for cls in ("gk-node", "gk-edge")}  # fmt: skip
    assert [g.find(f"{SVG}title").text for g in groups["gk-node"]] == [n.title for n in view.nodes]
    assert [g.find(f"{SVG}title").text for g in groups["gk-edge"]] == [e.title for e in view.edges]
    # each entity is centred where the layout placed it (up to the picture's margins)
    centres = []
    for group in groups["gk-node"]:
        shape = group.find(f"{SVG}rect")
        if shape is not None:
            x = float(shape.get("x")) + float(shape.get("width")) / 2
            y = float(shape.get("y")) + float(shape.get("height")) / 2
        else:
            shape = group.find(f"{SVG}ellipse")
            x, y = float(shape.get("cx")), float(shape.get("cy"))
        centres.append((x, y))
    (x0, y0), first = centres[0], view.nodes[0]
    for (x, y), node in zip(centres, view.nodes, strict=True):
        assert x - x0 == pytest.approx(node.x - first.x, abs=0.1)
        assert y - y0 == pytest.approx(node.y - first.y, abs=0.1)
    assert "holding added" in texts(root) and "2 added, 2 removed" in texts(root)
    # a listed company's name is white on its dark box, whatever the shared style says
    (listed,) = [g for g in groups["gk-node"] if g.find(f"{SVG}title").text.startswith("Hold Co")]
    assert "fill:#ffffff" in listed.find(f"{SVG}text").get("style")


def test_every_string_from_data_is_escaped_in_the_picture():
    view = hostile_view()
    svg = to_svg(view)
    root = parsed(svg)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) not in SAFE_TAGS]
    readable = HOSTILE.replace("\x00", "\ufffd").replace("\x1b", "\ufffd")
    readable = readable.replace("\ud800", "\ufffd")
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles.count(readable) == 4  # the view's, both entities', the holding's
    assert readable in texts(root)
    for attribute in (value for e in root.iter() for value in e.attrib.values()):
        assert "script" not in attribute and "<" not in attribute
    bundle = mime_bundle(view)
    assert "<script" not in bundle["text/html"] and bundle["text/html"].count("<") == 1


SAFE_TAGS = {"svg", "title", "style", "defs", "marker", "path", "rect", "ellipse", "line", "g",
             "text", "tspan"}  # fmt: skip


def test_a_hostile_name_in_real_data_stays_text(merger):
    view = view_at(merger, dt.date(2020, 6, 30))
    root = parsed(to_svg(view))
    assert '<img src=x onerror="window.__xss=1">' in texts(root)
    assert not [e for e in root.iter() if e.tag.removeprefix(SVG) not in SAFE_TAGS]


def test_the_interactive_page_is_still_one_call_away(merger):
    frame = groupkg.viz.notebook_html(view_at(merger, dt.date(2020, 6, 30)))
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame


# -- in a browser ----------------------------------------------------------------------------


def test_the_picture_loads_in_a_browser_and_runs_nothing(browser, merger, iij):
    items = [hostile_view(), view_at(merger, dt.date(2020, 6, 30)), view_timeline(iij, root="IIJ")]
    page = GuardedPage(browser, lambda url: False, width=1000, height=700)
    try:
        body = "".join(f"<div>{mime_bundle(item)['text/html']}</div>" for item in items)
        page.page.set_content(f"<!DOCTYPE html><html><body>{body}</body></html>")
        page.page.wait_for_load_state("load")
        sizes = page.js(
            "() => Array.from(document.images, i => [i.complete, i.naturalWidth, i.naturalHeight])"
        )
        assert len(sizes) == 3 and all(done and w > 100 and h > 100 for done, w, h in sizes)
        page.assert_clean()
    finally:
        page.close()
