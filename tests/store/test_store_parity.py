"""Every question gives the same JSON on memory, oxigraph:PATH and sparql:URL.

Each dataset (the bundled IIJ group, the vendored real samples, random registers) is
loaded into four stores: a memory store (``groupkg import`` into it, as ``--data`` does
for the formats it takes), an ``oxigraph:PATH`` store written by ``groupkg import``, and
two SPARQL servers written by ``groupkg init`` and ``groupkg import`` through
``sparql:URL``: a real Oxigraph server (the ``oxigraph`` PyPI package, one for the
module, started by the ``oxigraph_server`` fixture of tests/conftest.py) emptied first,
and Debian's Virtuoso (one for the session, ``virtuoso_server``), a named graph of the
dataset's own. Then every command is asked of every entity
on several dates, the way the command line asks it: of a memory store the whole group
(:class:`Group`), of the other two the neighbourhood of the names the question gives
(:meth:`Group.around`); the JSON texts must be identical, order included. A
representative subset also goes through the command line itself (CliRunner).

``info`` differs legitimately in one field only, ``store`` (the store's own
description: ``memory``, ``oxigraph:PATH``, ``sparql:URL``); every count, the date range
and the sources are the same by definition.
"""

from __future__ import annotations

import datetime as dt
import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from groupkg.graph import Group, GroupkgError, Store, import_file, open_store
from groupkg.graph.cli import cli
from groupkg.graph.formats import importtime
from groupkg.graph.group import store_info
from tests.registers import RandomRegister, SeveralGroups

DATA = Path(__file__).parents[1] / "data"
REAL = DATA / "real"
EXAMPLES = DATA / "bods-0.4" / "examples"


REGISTERS: dict[str, Callable[[], RandomRegister]] = {
    "random-1": lambda: RandomRegister(1, entities=24),
    "groups-0": lambda: SeveralGroups(0),
    "groups-7": lambda: SeveralGroups(7, entities=24),
}

# name -> (files with their import format, whether the bundled IIJ data is loaded)
DATASETS: dict[str, tuple[list[tuple[Path, str]], bool]] = {
    "iij": ([], True),
    "gleif-rr-csv-2019": ([(REAL / "gleif-rr-csv-2019" / "rr-golden-copy-excerpt.csv",
                            "gleif-rr")], False),
    "homecredit-bods": ([(REAL / "gleif-bods-homecredit-replace"
                          / "bods_relationship_replace_relationship.json", "bods")], False),
    "bods-0.4-examples": ([(p, "bods") for p in sorted(EXAMPLES.glob("*.json"))], False),
    "parity-edges": ([(DATA / "parity-edges.ttl", "ttl")], False),
    **{name: ([], False) for name in REGISTERS},
}  # fmt: skip

# The datasets the command line is asked about entities of (of the others, through it,
# only the questions about the whole store: diff, events, info, sparql).
CLI_DATASETS = ["iij", "gleif-rr-csv-2019", "homecredit-bods", "bods-0.4-examples",
                "parity-edges", "groups-0"]  # fmt: skip

IIJ_DAYS = ["2009-03-31", "2010-03-31", "2010-04-01", "2012-10-01", "2013-07-18",
            "2013-08-05", "2013-12-31", "2014-01-01"]  # fmt: skip


@dataclass
class Loaded:
    """One dataset in every store."""

    name: str
    memory: Store
    disk: str  # oxigraph:PATH
    remotes: dict[str, str]  # which server -> its sparql:URL
    data: list[str]  # the options that load it into the command line's memory store
    days: list[dt.date] = field(default_factory=list)


def _invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.output


def _empty(url: str) -> None:
    """Remove everything from the server (its update endpoint is beside /query)."""
    update = url[: -len("query")] + "update"
    body = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    urllib.request.urlopen(urllib.request.Request(update, data=body), timeout=30).close()


def _days_of(group: Group, count: int) -> list[dt.date]:
    """Up to ``count`` days spread over the facts' starts, ends and effective days,
    each with the day before."""
    found: set[dt.date] = set()
    for fact in [*group.dataset.holdings, *group.dataset.relations]:
        for value in (fact.valid_from, fact.valid_to, fact.as_of):
            if value is not None:
                found |= {value.start, value.start - dt.timedelta(days=1)}
    for event in group.dataset.events:
        if event.effective is not None:
            found |= {event.effective.start, event.effective.start - dt.timedelta(days=1)}
    days = sorted(found)
    if len(days) <= count:
        return days
    step = (len(days) - 1) / (count - 1)
    return sorted({days[round(i * step)] for i in range(count)})


@pytest.fixture(scope="module", params=list(DATASETS))
def loaded(request, oxigraph_server, virtuoso_server, tmp_path_factory) -> Loaded:
    name = request.param
    # Every store's import stamps one time on the records without a knowledge time, so
    # their triples compare equal whichever second each import ran in.
    patch = pytest.MonkeyPatch()
    patch.setattr(importtime, "import_moment", lambda now=None: "2026-01-01T00:00:00Z")
    request.addfinalizer(patch.undo)
    folder = tmp_path_factory.mktemp(name)
    files, default_data = DATASETS[name]
    if name in REGISTERS:
        drawn = REGISTERS[name]()
        register = folder / "register.nt"
        register.write_text("\n".join(drawn.lines) + "\n", encoding="utf-8")
        files = [(register, "nt")]
    options = [] if default_data else ["--no-default-data"]
    # memory: what `groupkg import` writes, in a memory store
    memory = open_store("memory", default_data=default_data)
    for path, fmt in files:
        import_file(memory, path, fmt)
    # oxigraph:PATH and the server: `groupkg import` (the server emptied and initialised)
    disk = f"oxigraph:{folder / 'db'}"
    remotes = {
        "sparql:URL (Oxigraph)": f"sparql:{oxigraph_server}",
        "sparql:URL (Virtuoso)": virtuoso_server.store(f"urn:groupkg:test:parity:{name}"),
    }
    _empty(oxigraph_server)
    for remote in remotes.values():
        assert _invoke("init", "--store", remote, *options)[0] == 0
    for path, fmt in files:
        code, output = _invoke("import", str(path), "--format", fmt, "--store", disk, *options)
        assert code == 0, output
    exported = folder / "data.nt"
    code, output = _invoke("export", "--format", "nt", "-o", str(exported), "--store", disk)
    assert code == 0, output
    # many files (the BODS examples) go to the server as the on-disk store exports them
    for path, fmt in files if len(files) < 4 else [(exported, "nt")]:
        for remote in remotes.values():
            code, output = _invoke("import", str(path), "--format", fmt, "--store", remote,
                                   *options)  # fmt: skip
            assert code == 0, output
    # the command line's memory store takes RDF with --data: the data as exported
    data = [*options, *(["--data", str(exported)] if files else [])]
    if name in REGISTERS:
        days = REGISTERS[name]().sample_days(4)
    elif name == "iij":
        days = [dt.date.fromisoformat(d) for d in IIJ_DAYS]
    else:
        days = _days_of(Group(memory), 5)
    return Loaded(name, memory, disk, remotes, data, days)


# -- the questions, asked of Group objects as the command line builds them ------------------


Question = tuple[str, tuple[str, ...], Callable[[Group], Any]]


def _questions(loaded: Loaded, group: Group) -> Iterator[Question]:
    """(command, the names whose neighbourhood the command line reads, the question)."""
    entities = sorted(group.dataset.entities)
    days = loaded.days
    pairs = list(zip(days, days[1:], strict=False))
    for number, entity in enumerate(entities):
        yield "events", (entity,), lambda g, e=entity: g.events(e)
        for day in days:
            for command in ("entity", "owners", "holdings", "paths", "perimeter"):
                yield command, (entity,), \
                    lambda g, c=command, e=entity, d=day: getattr(g, c)(e, d)  # fmt: skip
        if number % 3 == 0:  # diff --root: every third entity, across one pair of days
            before, after = pairs[number // 3 % len(pairs)]
            yield "diff", (entity,), lambda g, e=entity, b=before, a=after: g.diff(b, a, e)
    middle = days[len(days) // 2]
    yield "events", (), lambda g: g.events()
    yield "events", (), lambda g: g.events(None, middle, None)
    yield "events", (), lambda g: g.events(None, None, middle)
    for before, after in pairs:
        yield "diff", (), lambda g, b=before, a=after: g.diff(b, a)
    # effective: each direct owner and each ultimate parent in the entity below it (as
    # the memory store answers), and a few pairs with nothing between them
    found: set[tuple[str, str]] = set()
    for day in days:
        for entity in entities:
            found |= {(s["id"], entity) for s in group.owners(entity, day)["owners"]}
            found.add((group.paths(entity, day)["ultimate_parent"]["id"], entity))
    found |= set(zip(entities[::5], entities[::-7], strict=False))
    chosen = sorted((o, t) for o, t in found if o != t and o in group.dataset.entities)
    for owner, target in chosen[:: max(1, len(chosen) // 8)]:
        for day in days[::2]:
            yield "effective", (owner, target), \
                lambda g, o=owner, t=target, d=day: g.effective(o, t, d)  # fmt: skip


def _answer(group: Group, question: Callable[[Group], Any]) -> str:
    try:
        return json.dumps(question(group), indent=2, ensure_ascii=False)
    except GroupkgError as exc:  # the same refusal, word for word
        return f"error: {exc}"


class Around:
    """Groups built on a store as the command line builds them: of the neighbourhood of
    the names a question gives (:meth:`Group.around`), or of the whole store without
    one. Built once per set of names; one that read the same facts as an earlier one
    (the same group, asked about by another of its members) gives way to it, so that
    the time model is worked out once per neighbourhood."""

    def __init__(self, store: Store):
        self.store = store
        self.groups: dict[tuple[str, ...], Group] = {}
        self.built: list[Group] = []

    def __call__(self, names: tuple[str, ...]) -> Group:
        if names not in self.groups:
            group = Group.around(self.store, list(names)) if names else Group(self.store)
            same = next((g for g in self.built if g.dataset == group.dataset), None)
            if same is None:
                self.built.append(group)
            else:
                same.resolved.update(group.resolved)
            self.groups[names] = same or group
        return self.groups[names]


# The questions the command line answers from an oxigraph: store's cached time model.
MODELLED = {"entity", "owners", "holdings", "paths", "perimeter", "effective", "diff", "events"}


class Modelled:
    """Groups answered from the store's cached time model (``Group.model``; of the whole
    store, ``Group.whole``, when a question names no entity), as the command line asks
    them of an ``oxigraph:PATH`` store."""

    def __init__(self, store: Store):
        self.store = store
        self.groups: dict[tuple[str, ...], Group] = {}

    def __call__(self, names: tuple[str, ...]) -> Group:
        if names not in self.groups:
            self.groups[names] = (
                Group.model(self.store, list(names)) if names else Group.whole(self.store)
            )
        return self.groups[names]


def test_every_question_has_one_answer_on_every_store(loaded):
    group = Group(loaded.memory)
    disk = open_store(loaded.disk)
    stores = {"oxigraph:PATH": Around(disk),
              "oxigraph:PATH (cached time model)": Modelled(disk),
              **{where: Around(open_store(s)) for where, s in loaded.remotes.items()}}  # fmt: skip
    differences, asked = [], set()
    for command, names, question in _questions(loaded, group):
        want = _answer(group, question)
        for where, around in stores.items():
            if where.endswith("model)") and command not in MODELLED:
                continue
            got = _answer(around(names), question)
            if got != want:
                differences.append((where, command, names, want, got))
        asked.add(command)
    assert asked == {"entity", "owners", "holdings", "paths", "perimeter", "effective",
                     "diff", "events"}  # fmt: skip
    assert not differences, _explain(differences)


def _explain(differences: list[tuple[Any, ...]]) -> str:
    import difflib

    where, command, names, want, got = differences[0]
    lines = difflib.unified_diff(want.splitlines(), got.splitlines(), "memory", where,
                                 lineterm="", n=2)  # fmt: skip
    kinds = sorted({(d[0], d[1]) for d in differences})
    return f"{len(differences)} differences {kinds}; first: {command} {names}\n" + "\n".join(lines)


# -- info --------------------------------------------------------------------------------

# Differs by definition: the store's own description (memory, oxigraph:PATH, sparql:URL).
INFO_OWN = {"store"}


def test_info_agrees_but_for_the_store_description(loaded):
    remotes = list(loaded.remotes.values())
    answers = [store_info(s) for s in (loaded.memory, open_store(loaded.disk),
                                       *map(open_store, remotes))]  # fmt: skip
    assert [a["store"] for a in answers] == ["memory", loaded.disk, *remotes]
    same = [{k: v for k, v in a.items() if k not in INFO_OWN} for a in answers]
    assert same[1:] == [same[0]] * len(same[1:])
    assert same[0]["entities"] > 0


# -- through the command line ---------------------------------------------------------------


def _cli_questions(loaded: Loaded, group: Group) -> Iterator[list[str]]:
    """A representative subset: the questions about the whole store, and of the
    datasets in CLI_DATASETS the two entities with the most holdings, asked by name (a
    label where it names the entity), each command once, on days in turn."""

    def name(entity_id: str) -> str:
        label = group.dataset.entities[entity_id].label
        try:
            return label if group.resolve(label) == entity_id else entity_id
        except GroupkgError:
            return entity_id

    weight = dict.fromkeys(group.dataset.entities, 0)
    for holding in group.dataset.holdings:
        for entity in (holding.owner, holding.owned):
            if entity in weight:
                weight[entity] += 1
    busy = sorted(weight, key=lambda e: (-weight[e], e))[: 2 if loaded.name in CLI_DATASETS else 0]
    days = [d.isoformat() for d in loaded.days]
    before, after = days[len(days) // 2 - 1], days[len(days) // 2]
    commands = ("entity", "owners", "holdings", "paths", "perimeter")
    for number, entity in enumerate(busy):
        for turn, command in enumerate(commands):
            yield [command, name(entity), "--at", days[(number + 2 * turn) % len(days)]]
        yield ["diff", "--before", before, "--after", after, "--root", name(entity)]
        yield ["events", "--entity", name(entity)]
    if busy:
        yield ["effective", name(busy[-1]), name(busy[0]), "--at", after]
    yield ["diff", "--before", before, "--after", after]
    yield ["events", "--from", days[0], "--to", days[-1]]
    yield ["info"]


# Every triple without a blank node (whose labels are each store's own), in one order.
TRIPLES = ("SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(!isBlank(?s) && !isBlank(?o)) } "
           "ORDER BY ?s ?p ?o")  # fmt: skip


def test_the_command_line_answers_alike(loaded):
    group = Group(loaded.memory)
    differences = []
    for args in _cli_questions(loaded, group):
        memory = _invoke(*loaded.data, *args, "--json")
        assert memory[0] in (0, 1), (args, memory[1])
        want = json.loads(memory[1])
        for store in (loaded.disk, *loaded.remotes.values()):
            code, output = _invoke("--store", store, *args, "--json")
            got = json.loads(output) if code in (0, 1) else output
            if args == ["info"] and isinstance(got, dict):
                got = {**got, "store": want["store"]}  # the one field that differs
            if (code, got) != (memory[0], want):
                text = json.dumps(got, indent=2) if code in (0, 1) else f"exit {code}: {got}"
                differences.append((store, args[0], tuple(args), json.dumps(want, indent=2), text))
    # the whole content, as `groupkg sparql` lists it
    want_rows = _invoke(*loaded.data, "sparql", TRIPLES, "--format", "csv")
    for store in (loaded.disk, *loaded.remotes.values()):
        rows = _invoke("--store", store, "sparql", TRIPLES, "--format", "csv")
        if rows != want_rows:
            differences.append((store, "sparql", (TRIPLES,), want_rows[1], rows[1]))
    assert not differences, _explain(differences)


# -- through the server ----------------------------------------------------------------------

# The datasets every API route is asked about on a server over the memory store and on one
# over the oxigraph:PATH store (answered from its cached time model).
SERVED_DATASETS = ["iij", "random-1", "groups-0", "parity-edges"]


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=120) as answer:
            return answer.status, answer.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _api_questions(loaded: Loaded, group: Group) -> Iterator[str]:
    """Every route of the API, as paths with their query strings: each entity on some of
    the days, the questions about the whole store, the search for names and parts of
    them, unknown names, and the picture the viewer shows."""
    quote = urllib.parse.quote
    entities = sorted(group.dataset.entities)
    days = [d.isoformat() for d in loaded.days]
    chosen = days[:: max(1, len(days) // 3)]
    for number, entity in enumerate(entities):
        label = group.dataset.entities[entity].label
        for turn, day in enumerate(chosen):
            name = quote(entity if turn % 2 else label, safe="")
            for route in ("entity", "owners", "holdings", "paths", "perimeter"):
                yield f"/api/{route}/{name}?at={day}"
            yield f"/view?{urllib.parse.urlencode({'entity': entity, 'at': day})}"
        yield f"/api/events?{urllib.parse.urlencode({'entity': entity})}"
        yield f"/api/events?{urllib.parse.urlencode({'entity': label, 'from': days[0]})}"
        yield f"/api/entities?{urllib.parse.urlencode({'q': label})}"
        yield f"/api/entities?{urllib.parse.urlencode({'q': label[: 1 + len(label) // 2]})}"
        yield f"/api/entities?{urllib.parse.urlencode({'q': label.upper().replace(' ', '')})}"
        if number % 3 == 0 and len(days) > 1:
            turn = number // 3 % (len(days) - 1)
            before, after = days[turn], days[turn + 1]
            yield "/api/diff?" + urllib.parse.urlencode(
                {"before": before, "after": after, "root": entity}
            )
        if number % 4 == 0:
            target = entities[(number * 7 + 3) % len(entities)]
            yield "/api/effective?" + urllib.parse.urlencode(
                {"owner": entity, "target": target, "at": days[-1]}
            )
    for day in days[:2]:
        yield f"/view?at={day}"
    yield "/api/diff?" + urllib.parse.urlencode({"before": days[0], "after": days[-1]})
    for event in group.dataset.events[:4]:
        yield "/api/diff?" + urllib.parse.urlencode({"event": event.id})
        # a root that took part in the event, and one that may not have
        for root in [*event.participants[:1], entities[len(entities) // 2]]:
            yield "/api/diff?" + urllib.parse.urlencode({"event": event.id, "root": root})
    yield "/api/events"
    yield f"/api/events?to={days[len(days) // 2]}"
    yield "/api/entities?q="
    yield "/api/entities?q=" + quote("-")
    yield "/api/entities?q=" + quote("Ltd.")
    yield "/api/owners/" + quote("no such entity, surely", safe="") + f"?at={days[0]}"
    yield "/api/queries/owners-at?" + urllib.parse.urlencode({"entity": entities[0], "at": days[0]})


@pytest.mark.parametrize("loaded", SERVED_DATASETS, indirect=True)
def test_every_api_route_answers_alike_on_the_cached_time_model(loaded, start_server):
    group = Group(loaded.memory)
    memory = start_server(*loaded.data, "--workers", "1")
    disk = start_server("--store", loaded.disk, "--workers", "1")
    differences, asked = [], 0
    for path in _api_questions(loaded, group):
        want, got = _get(memory + path), _get(disk + path)
        assert want[0] < 500, (path, want)
        if got != want:
            differences.append(("oxigraph:PATH (server)", path, (), want[1], got[1]))
        asked += 1
    info = [json.loads(_get(url + "/api/info")[1]) for url in (memory, disk)]
    assert info[1]["store"] == loaded.disk
    assert {**info[1], "store": "memory"} == info[0]
    assert asked > 50
    assert not differences, _explain(differences)
