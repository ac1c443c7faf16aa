"""``groupkg render`` draws the same page from an ``oxigraph:PATH`` store's cached time
model (:meth:`Group.model`, as the command line asks it with ``--root``/``--path``) as
from a memory store holding the same data: the bundled IIJ group, every entity as the
root at a date, across pairs of days and across events, and the consolidation paths to
it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, GroupkgError, Register, add_files, load_dataset, open_store
from groupkg.graph.cli import cli
from groupkg.viz.command import render
from tests.viz.test_viz_model import page_data

DAYS = [dt.date.fromisoformat(d) for d in ("2009-03-31", "2010-04-01", "2012-10-01",
                                            "2013-07-18", "2013-08-05", "2014-01-01")]  # fmt: skip
PAIRS = list(zip(DAYS, DAYS[1:], strict=False))
TOY = Path(__file__).parents[1] / "data" / "toygroup.ttl"
MERGER = Path(__file__).parents[1] / "data" / "viz" / "merger.ttl"


@pytest.fixture(scope="module")
def stores(tmp_path_factory) -> tuple[Group, str]:
    folder = tmp_path_factory.mktemp("iij")
    disk = f"oxigraph:{folder / 'db'}"
    result = CliRunner().invoke(cli, ["init", "--store", disk])
    assert result.exit_code == 0, result.output
    return Group(open_store("memory")), disk


def _page(group: Group, folder: Path, draw: Callable[[Group, Path], object]) -> bytes | str:
    target = folder / "page.html"
    try:
        draw(group, target)
    except GroupkgError as exc:  # the same refusal, word for word
        return f"error: {exc}"
    return target.read_bytes()


def test_render_from_the_cached_model_gives_the_memory_stores_page(stores, tmp_path):
    memory, disk = stores
    store = open_store(disk)
    entities = sorted(memory.dataset.entities)
    questions: list[tuple[str, tuple[str, ...], Callable[[Group, Path], object]]] = []
    for number, entity in enumerate(entities):
        day = DAYS[number % len(DAYS)]
        before, after = PAIRS[number % len(PAIRS)]
        questions += [
            ("--at --root", (entity,), lambda g, p, e=entity, d=day: render(g, p, at=d, root=e)),
            ("--at --path", (entity,), lambda g, p, e=entity, d=day: render(g, p, at=d, path=e)),
            ("--before --after --root", (entity,),
             lambda g, p, e=entity, b=before, a=after: render(g, p, before=b, after=a, root=e)),
        ]  # fmt: skip
    # --event: the events are named by local id and by IRI, with a root that took part
    # in them or not (read from the store then)
    for number, event in enumerate(memory.dataset.events):
        name = event.id if number % 2 else event.id.rsplit("/", 1)[-1]
        for entity in (event.participants[0], entities[number * 5 % len(entities)]):
            questions.append(
                (
                    "--event --root",
                    (entity,),
                    lambda g, p, e=entity, n=name: render(g, p, event=n, root=e),
                )
            )
    differences, drawn = [], 0
    for what, names, draw in questions:
        want = _page(memory, tmp_path, draw)
        got = _page(Group.model(store, list(names)), tmp_path, draw)
        drawn += isinstance(want, bytes)
        if got != want:
            differences.append((what, names))
    assert drawn > len(questions) // 2  # most are pictures, not refusals
    assert not differences, f"{len(differences)} pages differ, first: {differences[0]}"


def test_the_timeline_from_the_cached_model_gives_the_pages_of_the_facts(stores, tmp_path):
    # Without a root, the whole store's timeline as the memory store draws it; with one,
    # as the facts of its neighbourhood across all time draw it (Group.around).
    memory, disk = stores
    store = open_store(disk)
    whole = _page(memory, tmp_path, lambda g, p: render(g, p, timeline=True))
    assert isinstance(whole, bytes)
    assert _page(Group.whole(store), tmp_path, lambda g, p: render(g, p, timeline=True)) == whole
    differences, drawn = [], 0
    for entity in sorted(memory.dataset.entities):

        def draw(g: Group, p: Path, e: str = entity) -> object:
            return render(g, p, timeline=True, root=e)

        want = _page(Group.around(store, [entity]), tmp_path, draw)
        drawn += isinstance(want, bytes)
        if _page(Group.model(store, [entity]), tmp_path, draw) != want:
            differences.append(entity)
    assert drawn == len(memory.dataset.entities)
    assert not differences, f"{len(differences)} timelines differ, first: {differences[0]}"


def _imported(folder: Path, data: Path) -> str:
    disk = f"oxigraph:{folder / 'db'}"
    result = CliRunner().invoke(cli, ["--store", disk, "--no-default-data", "import",
                                      "--quiet", str(data)])  # fmt: skip
    assert result.exit_code == 0, result.output
    return disk


def test_a_timeline_with_a_root_leaves_the_days_of_other_groups_out(tmp_path):
    # merger.ttl: Sol Solo's 55% of Loner Corp (observed 2019-01-01) is apart from Hold
    # Co's group, which changes on 2000-01-01, 2019-01-01, 2019-06-30 (Alpha's 80% of
    # Gamma observed), 2020-07-01 (the merger) and 2021-01-01 (the split); the model's
    # timeline of either group is the one its own facts draw.
    store = open_store(_imported(tmp_path, MERGER))
    pages = {}
    for root in ("Sol Solo", "Hold Co"):

        def draw(g: Group, p: Path, r: str = root) -> object:
            return render(g, p, timeline=True, root=r)

        got = _page(Group.model(store, [root]), tmp_path, draw)
        assert isinstance(got, bytes)
        assert got == _page(Group.around(store, [root]), tmp_path, draw)
        pages[root] = page_data(got.decode())
    assert [s["name"] for s in pages["Sol Solo"]["states"]] == ["2019-01-01"]
    assert [s["name"] for s in pages["Hold Co"]["states"]] == [
        "2000-01-01",
        "2019-01-01",
        "2019-06-30",
        "2020-07-01",
        "2021-01-01",
    ]


def test_render_timeline_reads_the_cached_time_model(tmp_path):
    disk = _imported(tmp_path, TOY)
    # A time model in which Parent Co has held 75% of Beta since 2018-05-01 (the store
    # says 60% from 2019-01-01), saved as the cache of the store as it is: the timeline's
    # days and labels show which of the two it is read from.
    doctored = tmp_path / "doctored.ttl"
    doctored.write_text(
        TOY.read_text(encoding="utf-8").replace(
            'gk:owned t:b ; gk:percent 60 ; gk:asOf "2019-01-01"',
            'gk:owned t:b ; gk:percent 75 ; gk:asOf "2018-05-01"',
        ),
        encoding="utf-8",
    )
    memory = open_store("memory", default_data=False)
    add_files(memory, [doctored])
    model = Register.from_dataset(load_dataset(memory), provenance=True)
    assert model.attach(open_store(disk, default_data=False)) is not None
    for root in (["--root", "Beta"], []):
        page = tmp_path / "timeline.html"
        result = CliRunner().invoke(cli, ["--store", disk, "render", "--timeline", *root,
                                          "-o", str(page)])  # fmt: skip
        assert result.exit_code == 0, result.output
        states = {s["name"]: s for s in page_data(page.read_text(encoding="utf-8"))["states"]}
        # Parent Co's 100% of Alpha (from 2000-01-01) comes first; then the doctored day
        assert list(states)[:2] == ["2000-01-01", "2018-05-01"]
        assert "2019-01-01" not in states
        labels = [e["label"] for e in states["2018-05-01"]["edges"]]
        assert "75%" in labels and "60%" not in labels


def test_the_days_a_group_changes_are_read_from_the_model(tmp_path):
    # toygroup.ttl, by hand: Parent Co holds Alpha from 2000-01-01 (Alpha's first day
    # too; Parent Co's, 1990, is before any holding), Beta observed 2019-01-01 and
    # 2022-01-01, Alpha's Gamma 2019-06-30, Xavier's Parent Co 2020-01-01; the merger
    # 2020-07-01, the split 2021-01-01, the issue 2021-06-01. Beta's group is all of it
    # (the viewer's slider for Beta, /api/changes?entity=Beta).
    store = open_store(_imported(tmp_path, TOY))
    days = ["2000-01-01", "2019-01-01", "2019-06-30", "2020-01-01", "2020-07-01",
            "2021-01-01", "2021-06-01", "2022-01-01"]  # fmt: skip
    for group in (Group.model(store, ["Beta"]), Group.whole(store)):
        assert [d.isoformat() for d in group.change_days()] == days
