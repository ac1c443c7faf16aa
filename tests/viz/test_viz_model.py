"""The view model and the page it renders to, without a browser.

tests/data/viz/merger.ttl: Hold Co (listed) is held by Fiona Founder (30%, 300
shares) and by its unnamed other shareholders (45%); it holds Alpha 100%, Beta 60%
and reportedly consolidates Zeta; Alpha holds Gamma 80% (800 shares); Beta holds
more than 25% and at most 50% of Epsilon, which holds 5% of Beta back, and 10% of an
entity named ``<img src=x onerror="window.__xss=1">``. Sol Solo holds 55% of Loner
Corp, apart from the rest. On 2020-07-01 Hold Co absorbs Alpha (Gamma passes to it),
holds 75% of Beta and founds Delta; Hold Co splits 1:2 on 2021-01-01.
"""

from __future__ import annotations

import ast
import datetime as dt
import doctest
import html.parser
import json
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest

import groupkg.viz
from groupkg.graph import Group, InputError, add_files, open_store
from groupkg.viz import (
    layout,
    model,
    render,
    styles,
    text,
    to_html,
    view_at,
    view_diff,
    view_timeline,
)
from groupkg.viz.command import render as render_command

V = "https://example.org/viz/"
FIXTURE = Path(__file__).parents[1] / "data" / "viz" / "merger.ttl"
BEFORE, AFTER = dt.date(2020, 6, 30), dt.date(2020, 7, 1)
PAYLOAD = '<img src=x onerror="window.__xss=1">'


def load_group() -> Group:
    store = open_store("memory", default_data=False)
    add_files(store, [FIXTURE])
    return Group(store)


@pytest.fixture(scope="module")
def group() -> Group:
    return load_group()


def short(entity_id: str) -> str:
    return entity_id.removeprefix(V)


def edges_by_pair(view):
    return {(short(e.source), short(e.target)): e for e in view.edges}


def nodes_by_id(view):
    return {short(n.id): n for n in view.nodes}


def page_data(page: str) -> dict:
    """The JSON block a page embeds: the states and their vis-network nodes and edges."""
    found = re.search(r'<script type="application/json" id="gk-data">(.*?)</script>', page, re.S)
    assert found is not None
    return json.loads(found.group(1))


# -- at a date -----------------------------------------------------------------------


def test_at_a_date_every_active_entity_and_holding_is_drawn(group):
    view = view_at(group, BEFORE)
    assert set(nodes_by_id(view)) == {
        "hold", "founder", "others", "alpha", "beta", "gamma", "eps", "zeta", "xss",
        "loner", "solo",
    }  # fmt: skip
    assert set(edges_by_pair(view)) == {
        ("founder", "hold"), ("others", "hold"), ("hold", "alpha"), ("hold", "beta"),
        ("hold", "zeta"), ("alpha", "gamma"), ("beta", "eps"), ("eps", "beta"),
        ("beta", "xss"), ("solo", "loner"),
    }  # fmt: skip
    assert view.day == BEFORE and view.title == "Ownership on 2020-06-30"


def test_nodes_are_styled_by_kind(group):
    kinds = {n: node.kind for n, node in nodes_by_id(view_at(group, BEFORE)).items()}
    assert kinds == {
        "hold": "listed",
        "founder": "person",
        "others": "unnamed",
        "alpha": "subsidiary",
        "beta": "subsidiary",
        "gamma": "subsidiary",  # through Alpha
        "zeta": "subsidiary",  # a reported consolidation is control
        "eps": "company",  # a range up to 50% is not control
        "xss": "company",
        "loner": "subsidiary",
        "solo": "person",
    }


def test_edges_are_labelled_with_percent_range_or_consolidation_and_shares(group):
    edges = edges_by_pair(view_at(group, BEFORE))
    assert edges[("alpha", "gamma")].label == "80%\n800 shares"
    assert edges[("founder", "hold")].label == "30%\n300 shares"
    assert edges[("hold", "alpha")].label == "100%"
    assert edges[("beta", "eps")].label == ">25–50%"
    assert edges[("hold", "zeta")].label == "consolidated, % unknown"
    assert edges[("hold", "zeta")].kind == "consolidation"
    assert {e.kind for pair, e in edges.items() if pair != ("hold", "zeta")} == {"holding"}


def test_tooltips_give_facts_and_sources_as_plain_text(group):
    view = view_at(group, BEFORE)
    hold = view.node(V + "hold")
    assert "legal name: Hold Co Holdings Inc." in hold.title
    assert "TSE: 9999" in hold.title
    assert "issued shares: 1,000" in hold.title
    assert "source: Invented register <script>window.__xss=3</script>" in hold.title
    assert "ultimate parent: Hold Co" in view.node(V + "gamma").title
    edge = view.edge(V + "alpha", V + "gamma")
    assert "basis: observed 2019-06-30" in edge.title
    assert "source: Invented register" in edge.title


def test_the_ultimate_parent_is_at_level_0_and_its_holders_above(group):
    view = view_at(group, BEFORE)
    nodes = nodes_by_id(view)
    levels = {n: node.level for n, node in nodes.items()}
    assert levels["hold"] == 0 and nodes["hold"].ultimate_parent
    assert levels["founder"] == levels["others"] == -1
    assert levels["alpha"] == levels["beta"] == levels["zeta"] == 1
    assert levels["gamma"] == levels["xss"] == 2
    # the cross-holding Beta <-> Epsilon is broken at its weaker stake (5%)
    assert levels["eps"] == 2
    # Loner Corp's group has its own ultimate parent, also at level 0
    assert levels["solo"] == 0 and nodes["solo"].ultimate_parent and levels["loner"] == 1
    assert [n for n, node in nodes.items() if node.ultimate_parent] == ["hold", "solo"]
    # the canvas y axis points down: higher levels are drawn higher up
    assert nodes["founder"].y < nodes["hold"].y < nodes["alpha"].y < nodes["gamma"].y
    assert len({(node.x, node.y) for node in view.nodes}) == len(view.nodes)


def test_root_keeps_only_the_group_around_one_entity(group):
    view = view_at(group, BEFORE, root="Loner Corp")
    assert set(nodes_by_id(view)) == {"loner", "solo"}
    assert set(edges_by_pair(view)) == {("solo", "loner")}
    assert view.title == "Loner Corp group on 2020-06-30"
    view = view_at(group, BEFORE, root="gamma")
    assert "loner" not in nodes_by_id(view) and "hold" in nodes_by_id(view)


def test_root_that_does_not_exist_yet_is_shown_alone(group):
    view = view_at(group, BEFORE, root="Delta")
    assert [(short(n.id), n.kind) for n in view.nodes] == [("delta", "dissolved")]
    assert view.edges == []


# -- paths -----------------------------------------------------------------------------


def test_path_highlights_the_consolidation_paths(group):
    view = view_at(group, BEFORE, path_to="Gamma")
    assert {n for n, node in nodes_by_id(view).items() if node.on_path} == {
        "hold", "alpha", "gamma",
    }  # fmt: skip
    assert {pair for pair, e in edges_by_pair(view).items() if e.on_path} == {
        ("hold", "alpha"), ("alpha", "gamma"),
    }  # fmt: skip
    assert view.notes == ["1 consolidation path(s) from Hold Co to Gamma"]
    assert ("edge", "path") in {(i.target, i.style) for i in view.legend}
    assert "loner" not in nodes_by_id(view)  # the picture is Gamma's group
    assert view.title == "Consolidation paths to Gamma on 2020-06-30"


def test_path_after_the_merger_runs_through_the_survivor(group):
    view = view_at(group, AFTER, path_to="Gamma")
    assert {pair for pair, e in edges_by_pair(view).items() if e.on_path} == {("hold", "gamma")}


def test_path_to_an_entity_nobody_controls(group):
    view = view_at(group, BEFORE, path_to="Epsilon")
    assert [n for n, node in nodes_by_id(view).items() if node.on_path] == ["eps"]
    assert not any(e.on_path for e in view.edges)
    assert view.notes == ["nobody controls Epsilon on 2020-06-30"]


def test_path_to_an_entity_that_does_not_exist_on_that_day_is_an_input_error(group):
    with pytest.raises(InputError, match="Delta is not active on 2020-06-30"):
        view_at(group, BEFORE, path_to="Delta")
    with pytest.raises(InputError, match="Gamma is not in the Loner Corp group"):
        view_at(group, BEFORE, root="Loner Corp", path_to="Gamma")


# -- before/after ---------------------------------------------------------------------


def test_diff_styles_added_removed_changed_began_ended(group):
    view = view_diff(group, BEFORE, AFTER)
    changes = {pair: e.change for pair, e in edges_by_pair(view).items() if e.kind != "merger"}
    assert changes == {
        ("hold", "gamma"): "added",  # passed to the survivor
        ("hold", "delta"): "added",
        ("hold", "alpha"): "removed",
        ("alpha", "gamma"): "removed",
        ("hold", "beta"): "changed",
        ("founder", "hold"): None,
        ("others", "hold"): None,
        ("hold", "zeta"): None,
        ("beta", "eps"): None,
        ("eps", "beta"): None,
        ("beta", "xss"): None,
        ("solo", "loner"): None,
    }
    nodes = nodes_by_id(view)
    assert {n: node.change for n, node in nodes.items() if node.change} == {
        "delta": "began",
        "alpha": "ended",
    }
    assert nodes["alpha"].kind == "dissolved" and nodes["delta"].kind == "subsidiary"
    edges = edges_by_pair(view)
    assert edges[("hold", "beta")].label == "60% →\n75%"
    assert "before:" in edges[("hold", "beta")].title and "after:" in edges[("hold", "beta")].title
    assert edges[("alpha", "gamma")].label == "80%\n800 shares"
    assert view.notes == ["2 added, 2 removed, 1 changed holdings; 1 began, 1 ended"]
    legend = {(i.target, i.style) for i in view.legend}
    assert {("edge", "added"), ("edge", "removed"), ("edge", "changed")} <= legend
    assert {("node", "began"), ("node", "ended"), ("node", "dissolved")} <= legend
    assert nodes["hold"].level == 0 and nodes["alpha"].level == nodes["delta"].level == 1


def test_a_merger_is_drawn_as_the_absorbed_company_flowing_into_the_survivor(group):
    view = view_diff(group, BEFORE, AFTER)
    mergers = [e for e in view.edges if e.kind == "merger"]
    assert [(short(e.source), short(e.target)) for e in mergers] == [("alpha", "hold")]
    (merger,) = mergers
    assert merger.label == "merged into\n2020-07-01"
    assert merger.title == "Hold Co absorbs Alpha\neffective 2020-07-01"
    assert merger.change is None and merger.id == f"{V}alpha merged into {V}hold"
    assert nodes_by_id(view)["alpha"].kind == "dissolved"  # kept, greyed
    assert ("edge", "merger") in {(i.target, i.style) for i in view.legend}
    assert repr(view).endswith("12 entities, 12 holdings>")  # a merger is not a holding
    # a view that does not span the merger draws none
    assert not [
        e for e in view_diff(group, AFTER, dt.date(2020, 12, 31)).edges if e.kind == "merger"
    ]
    assert not [e for e in view_at(group, AFTER).edges if e.kind == "merger"]


def test_the_timeline_draws_each_event_on_the_state_of_its_day(group):
    states = dict(view_timeline(group))
    merged = states[dt.date(2020, 7, 1)]
    assert [e.id for e in merged.edges if e.kind == "merger"] == [f"{V}alpha merged into {V}hold"]
    assert merged.node(V + "alpha").kind == "dissolved"
    split = states[dt.date(2021, 1, 1)]
    assert split.node(V + "hold").notes == ("1:2 split 2021-01-01",)
    assert split.node(V + "hold").drawn_label == "Hold Co\n1:2 split 2021-01-01"
    assert ("node", "noted") in {(i.target, i.style) for i in split.legend}
    for day, view in states.items():
        if day not in (dt.date(2020, 7, 1), dt.date(2021, 1, 1)):
            assert not [e for e in view.edges if e.kind == "merger"]
            assert not any(n.notes for n in view.nodes)


def test_event_strings_reach_the_page_only_as_escaped_json(group):
    page = to_html(view_timeline(group))
    last = page_data(page)["states"][-1]
    assert "Hold Co\n1:2 split 2021-01-01" in [n["label"] for n in last["nodes"]]
    merged = page_data(page)["states"][3]
    assert "merged into\n2020-07-01" in [e["label"] for e in merged["edges"]]
    assert "<img src=x" not in page  # the entity named by a payload, escaped


def test_diff_with_a_root_leaves_other_groups_out(group):
    view = view_diff(group, BEFORE, AFTER, root="Hold Co")
    assert "loner" not in nodes_by_id(view) and "solo" not in nodes_by_id(view)
    assert {"alpha", "delta", "gamma"} <= set(nodes_by_id(view))
    assert view.title == "Hold Co group: changes from 2020-06-30 to 2020-07-01"


def test_diff_needs_the_days_in_order(group):
    with pytest.raises(InputError, match="must be earlier"):
        view_diff(group, AFTER, BEFORE)


# -- timeline -------------------------------------------------------------------------


def test_timeline_has_a_state_per_change_and_one_layout(group):
    states = view_timeline(group)
    days = [day for day, _ in states]
    assert days == [
        dt.date(2000, 1, 1),  # the first recorded holding
        dt.date(2019, 1, 1),
        dt.date(2019, 6, 30),
        dt.date(2020, 7, 1),  # the merger
        dt.date(2021, 1, 1),  # the split
    ]
    notes = {day: view.notes[-1] for day, view in states}
    assert notes[dt.date(2000, 1, 1)] == "first recorded holdings"
    assert notes[dt.date(2020, 7, 1)] == "events: Hold Co absorbs Alpha"
    assert notes[dt.date(2021, 1, 1)] == "events: Hold Co splits 1:2"
    for day, view in states:
        active = {e for e, s in group.snapshot(day).status.items() if s == "active"}
        absorbed = {V + "alpha"} if day == dt.date(2020, 7, 1) else set()  # kept, greyed
        assert {n.id for n in view.nodes} == active | absorbed
    where: dict[str, set] = {}
    for _, view in states:
        for node in view.nodes:
            where.setdefault(node.id, set()).add((node.x, node.y, node.level))
    assert all(len(places) == 1 for places in where.values())  # nothing jumps
    last = dict(states)[dt.date(2021, 1, 1)]
    assert last.edge(V + "founder", V + "hold").label == "30%\n600 shares"
    assert states.title == "Ownership from 2000-01-01 to 2021-01-01"


def test_timeline_page_embeds_every_state(group):
    states = view_timeline(group, root="Hold Co")
    data = page_data(to_html(states))
    assert [s["name"] for s in data["states"]] == [day.isoformat() for day, _ in states]
    for state, (_, view) in zip(data["states"], states, strict=True):
        assert [n["id"] for n in state["nodes"]] == [n.id for n in view.nodes]
        assert [e["id"] for e in state["edges"]] == [e.id for e in view.edges]


# -- the page ---------------------------------------------------------------------------


class Resources(html.parser.HTMLParser):
    """Every tag and every attribute that could make a browser fetch something."""

    def __init__(self):
        super().__init__()
        self.tags: list[str] = []
        self.references: list[str] = []
        self.policy = ""

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "meta" and ("http-equiv", "Content-Security-Policy") in attrs:
            self.policy = dict(attrs)["content"]
        for name, value in attrs:
            if name in ("src", "href", "srcset", "action", "poster", "data") and value:
                self.references.append(value)


def test_page_loads_nothing_from_the_network(group):
    page = to_html(view_at(group, BEFORE))
    parser = Resources()
    parser.feed(page)
    assert parser.references == []
    assert "link" not in parser.tags and "img" not in parser.tags and "iframe" not in parser.tags
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page, re.I)
    assert not re.search(r"@import", page)
    assert set(re.findall(r"url\(\s*[\"']?([a-z]+):", page)) <= {"data"}
    directives = dict(d.strip().split(" ", 1) for d in parser.policy.split(";"))
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert "'unsafe-inline'" not in directives["script-src"]  # only the hashed scripts
    assert len(re.findall(r"'sha256-[A-Za-z0-9+/=]+'", directives["script-src"])) == 3
    assert "vis.Network" in page and "DataSet" in page  # vis-network is inlined


def test_page_escapes_every_string_from_data(group):
    page = to_html(view_at(group, BEFORE, root=PAYLOAD))
    for raw in (PAYLOAD, "<img", "<script>window", "</script><b>", "<b>bold"):
        assert raw not in page
    assert "&lt;img src=x onerror=&#34;window.__xss=1&#34;&gt; group on 2020-06-30" in page
    data = page_data(page)
    labels = [n["label"] for n in data["states"][0]["nodes"]]
    assert PAYLOAD in labels  # the JSON still carries the name itself, as text
    assert "\\u003cimg src=x" in page


def test_page_styles_follow_the_view(group):
    data = page_data(to_html(view_diff(group, BEFORE, AFTER)))
    nodes = {short(n["id"]): n for n in data["states"][0]["nodes"]}
    edges = {e["id"]: e for e in data["states"][0]["edges"]}
    assert nodes["alpha"]["group"] == "dissolved+ended"
    assert nodes["delta"]["group"] == "subsidiary+began"
    assert nodes["hold"]["group"] == "listed+ultimate-parent"
    groups = data["options"]["groups"]
    assert groups["dissolved+ended"]["shapeProperties"]["borderDashes"]
    assert groups["subsidiary+began"]["color"]["border"] == render.NODE_STYLES["began"]["border"]
    removed = edges[f"{V}alpha -> {V}gamma"]
    assert removed["dashes"] and removed["color"]["color"] == render.EDGE_STYLES["removed"]["color"]
    added = edges[f"{V}hold -> {V}delta"]
    assert added["color"]["color"] == render.EDGE_STYLES["added"]["color"]
    assert data["options"]["physics"] == {"enabled": False}


def test_page_is_the_same_every_time():
    first = to_html(view_diff(load_group(), BEFORE, AFTER))
    second = to_html(view_diff(load_group(), BEFORE, AFTER))
    assert first == second
    assert view_timeline(load_group()) == view_timeline(load_group())


def test_the_interactive_page_fits_in_an_iframe_for_a_trusted_notebook(group):
    frame = groupkg.viz.notebook_html(view_at(group, BEFORE))
    assert frame.startswith('<iframe srcdoc="') and 'sandbox="allow-scripts"' in frame
    srcdoc = frame.split('srcdoc="', 1)[1].split('" sandbox=', 1)[0]
    assert "<" not in srcdoc and '"' not in srcdoc
    assert "&lt;!DOCTYPE html&gt;" in srcdoc
    assert groupkg.viz.notebook_html(view_timeline(group)).startswith('<iframe srcdoc="')


# -- the command -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"at": BEFORE, "timeline": True},
        {"at": BEFORE, "before": BEFORE, "after": AFTER},
        {"before": BEFORE},
        {"after": AFTER},
        {"event": "m1", "timeline": True},
        {"before": BEFORE, "after": AFTER, "path": "Gamma"},
        {"timeline": True, "path": "Gamma"},
        {"at": "2020-06-30"},
        {"at": dt.datetime(2020, 6, 30, 12, 0)},
        {"event": "no-such-event"},
        {"at": BEFORE, "root": "Nobody Inc"},
    ],
)
def test_render_rejects_bad_combinations(group, tmp_path, options):
    with pytest.raises(InputError):
        render_command(group, tmp_path / "out.html", **options)
    assert not (tmp_path / "out.html").exists()


@pytest.mark.parametrize(
    ("options", "states", "title"),
    [
        ({"at": BEFORE}, 1, "Ownership on 2020-06-30"),
        ({"at": BEFORE, "path": "Gamma"}, 1, "Consolidation paths to Gamma on 2020-06-30"),
        ({"before": BEFORE, "after": AFTER}, 1, "changes from 2020-06-30 to 2020-07-01"),
        (
            {"event": "m1", "root": "Hold Co"},
            1,
            "Hold Co absorbs Alpha, effective 2020-07-01: "
            "Hold Co group: changes from 2020-06-30 to 2020-07-01",
        ),
        ({"timeline": True}, 5, "Ownership from 2000-01-01 to 2021-01-01"),
    ],
)
def test_render_writes_one_page_per_view(group, tmp_path, options, states, title):
    written = render_command(group, tmp_path / "sub" / "view.html", **options)
    assert written == tmp_path / "sub" / "view.html"
    page = written.read_text(encoding="utf-8")
    assert f"<title>{title}</title>" in page
    assert len(page_data(page)["states"]) == states


def test_event_view_is_the_diff_across_the_event(group, tmp_path):
    by_event = page_data(render_command(group, tmp_path / "a.html", event="m1").read_text())
    by_days = page_data(to_html(view_diff(group, BEFORE, AFTER)))
    assert by_event["options"] == by_days["options"]
    for key in ("nodes", "edges", "caption"):
        assert by_event["states"][0][key] == by_days["states"][0][key]


# -- layout and layering -------------------------------------------------------------------


def test_levels_of_a_group_with_no_controller_start_at_its_top_holders():
    graph = nx.DiGraph([("a", "b"), ("b", "c"), ("x", "c")])
    assert layout.hierarchy_levels(graph, []) == {"a": 0, "b": 1, "c": 2, "x": 0}


def test_levels_survive_a_cycle_through_the_ultimate_parent():
    graph = nx.DiGraph()
    graph.add_edge("top", "sub", high=0.9)
    graph.add_edge("sub", "subsub", high=0.9)
    graph.add_edge("subsub", "top", high=0.02)  # a few shares of the parent
    assert layout.hierarchy_levels(graph, ["top"]) == {"sub": 1, "subsub": 2, "top": 0}


def test_positions_keep_separate_groups_apart():
    graph = nx.DiGraph([("a", "b"), ("c", "d")])
    graph.add_node("lonely")
    levels = layout.hierarchy_levels(graph, ["a", "c"])
    xy = layout.positions(graph, levels)
    assert len(set(xy.values())) == 5
    assert max(xy["a"][0], xy["b"][0]) < min(xy["c"][0], xy["d"][0]) < xy["lonely"][0]


@pytest.mark.parametrize("module", [layout, text, styles, model])
def test_docstring_examples(module):
    result = doctest.testmod(module)
    assert result.attempted > 0 and result.failed == 0


def test_public_api():
    assert sorted(groupkg.viz.__all__) == [
        "LegendItem",
        "TimelineViews",
        "View",
        "ViewEdge",
        "ViewNode",
        "mime_bundle",
        "notebook_html",
        "to_html",
        "to_svg",
        "view_at",
        "view_diff",
        "view_timeline",
        "write_html",
    ]
    assert all(hasattr(groupkg.viz, name) for name in groupkg.viz.__all__)


def test_layers_depend_one_way():
    script = (
        "import sys\n"
        "import groupkg.graph, groupkg.graph.cli\n"
        "assert not [m for m in sys.modules if m.startswith('groupkg.viz')], 'graph imports viz'\n"
        "assert 'pyvis' not in sys.modules, 'the core imports pyvis'\n"
        "print('ok')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.stdout.strip() == "ok", done.stderr


@pytest.mark.parametrize("module", ["model", "views", "layout", "text", "styles", "svg"])
def test_the_view_model_does_not_draw(module):
    source = Path(groupkg.viz.__file__).with_name(f"{module}.py").read_text(encoding="utf-8")
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            imported.add(node.module)
    assert imported and not {m for m in imported if m.split(".")[0] in ("pyvis", "jinja2")}
    if module != "model":  # a view reaches the renderer only to display in a notebook
        assert "groupkg.viz.render" not in imported


def test_every_edge_of_a_before_after_view_has_its_own_id(iij):
    # IIJ held 99.9% of IIJ Exlayer and reported it consolidated; the merger ended
    # both, and the two removed edges shared one id: the page refused the second. A
    # picture draws one edge per pair (the day's snapshot edge), so the pair has one.
    view = view_diff(iij, dt.date(2013, 12, 31), dt.date(2014, 1, 1), root="IIJ")
    ids = [e.id for e in view.edges]
    assert len(ids) == len(set(ids))
    pair = "https://w3id.org/groupkg/data/iij/iij -> https://w3id.org/groupkg/data/iij/iij-exlayer"
    assert sorted(e.id for e in view.edges if e.id.startswith(pair)) == [pair]
