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

from groupkg.graph import Group, GroupkgError, open_store
from groupkg.graph.cli import cli
from groupkg.viz.command import render

DAYS = [dt.date.fromisoformat(d) for d in ("2009-03-31", "2010-04-01", "2012-10-01",
                                            "2013-07-18", "2013-08-05", "2014-01-01")]  # fmt: skip
PAIRS = list(zip(DAYS, DAYS[1:], strict=False))


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
