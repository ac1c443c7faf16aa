"""The register's fast paths give the answers of the straightforward implementations.

Speed never changes an answer: on random registers (invented here, with the awkward
cases on purpose: ranges, unknown stakes, observations superseded on the same day and
later, partial dates, mergers in chains, unnamed holders, one-to-one control cycles,
joint control, cross-holdings and cycles whose walk sums diverge) and on the synthetic
GLEIF-like register, at several dates, the :class:`Register` built straight from the
store equals the one built from :class:`Timeline` spans, and its answers equal
``Timeline.snapshot`` (owners, holdings), :mod:`groupkg.graph.analytics.control` (ultimate
parents, consolidation paths) and :mod:`groupkg.graph.analytics.effective` (effective stakes).
"""

from __future__ import annotations

import datetime as dt
import os
import pty
import subprocess
import sys
from pathlib import Path

import numpy as np
import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from groupkg.graph import (
    Group,
    OxigraphStore,
    Register,
    Timeline,
    load_dataset,
    open_store,
    write_synth,
)
from groupkg.graph.analytics import effective
from groupkg.graph.analytics import parents as control
from groupkg.graph.cli import cli
from groupkg.graph.timemodel.columns import HIGH_EXCLUSIVE, HOLDING, LOW_EXCLUSIVE
from groupkg.graph.timemodel.edges import Edges, day_stakes, pair_edge
from groupkg.graph.timemodel.register import BASES, completion
from groupkg.graph.timemodel.stakes import pair_stakes
from groupkg.graph.vocab import GK
from tests.registers import BASE, XSD, A, RandomRegister, iri

TESTS = Path(__file__).parents[1]


def _arrays_equal(a: Register, b: Register) -> None:
    assert a.ids == b.ids
    for name in (
        "born",
        "ended",
        "kinds",
        "owner",
        "owned",
        "start",
        "end",
        "low",
        "high",
        "flags",
        "owned_offsets",
        "owner_order",
        "owner_offsets",
    ):
        assert np.array_equal(a._arrays[name], b._arrays[name]), name


def _stakes(stakes) -> list[tuple[str, float, float, str]]:  # noqa: ANN001
    return sorted((s[0], round(s[1], 12), round(s[2], 12), s[3]) for s in stakes)


def _check_day(register: Register, timeline: Timeline, day: dt.date) -> None:
    snap = timeline.snapshot(day)
    for entity in register.ids:
        want = _stakes((s.owner, s.low, s.high, s.interest) for s in snap.owners_of(entity))
        assert _stakes(register.owners_at(entity, day)) == want, (entity, day)
        want = _stakes((s.owned, s.low, s.high, s.interest) for s in snap.holdings_of(entity))
        assert _stakes(register.holdings_at(entity, day)) == want, (entity, day)
    named = snap.graph(unnamed=False)
    parents = register.ultimate_parents_at(day)
    found = {register.ids[i]: register.ids[p] for i, p in enumerate(parents.tolist()) if p >= 0}
    assert found == control.ultimate_parents(named), day
    # Paths on a sample: every entity with a parent above it, and some without.
    controlled = sorted(e for e, p in found.items() if e != p and e in named)
    alone = sorted(e for e, p in found.items() if e == p and e in named)
    for entity in controlled[:120] + alone[:30]:
        top, paths = register.paths_at(entity, day)
        assert top == control.ultimate_parent(named, entity), (entity, day)
        assert paths == control.consolidation_paths(named, entity), (entity, day)
    everything = snap.graph(measure="ownership")
    stakes = register.effective_from_top_parents(day)
    holds = {u for u, v in everything.edges if u != v}
    assert [register.ids[t] for t in stakes.tops] == sorted(
        e for e, p in found.items() if e == p and e in holds
    )
    for row, top in enumerate(stakes.tops.tolist()):
        low, high = stakes.low[[row], :].toarray()[0], stakes.high[[row], :].toarray()[0]
        got = {register.ids[j]: (low[j], high[j]) for j in np.flatnonzero(high)}
        want = effective.effective_ownership_from(everything, register.ids[top])
        assert set(got) == set(want), (register.ids[top], day)
        for target, (lo, hi) in want.items():
            assert got[target] == pytest.approx((lo, hi), abs=1e-9), (target, day)
    matrices = register.graph_at(day)
    for u, v, data in everything.edges(data=True):
        i, j = register.position(u), register.position(v)
        assert matrices.low[i, j] == pytest.approx(data["low"], abs=1e-12)
        assert matrices.high[i, j] == pytest.approx(data["high"], abs=1e-12)
    assert matrices.high.nnz == everything.number_of_edges()


@pytest.mark.parametrize("seed", range(8))
def test_random_registers_answer_as_the_time_model_and_the_analytics(seed):
    drawn = RandomRegister(seed)
    store = drawn.store()
    timeline = Timeline(load_dataset(store))
    register = Register.from_store(store)
    _arrays_equal(register, Register.from_timeline(timeline))
    for day in drawn.sample_days():
        _check_day(register, timeline, day)


@pytest.mark.parametrize("seed", range(8))
def test_random_registers_complete_parents_as_the_paths_answer(seed):
    # Reported ultimate parents (a fifth of the drawn consolidations) complete open
    # chains: the register's whole-day answer and each entity's `paths` agree.
    drawn = RandomRegister(seed)
    store = drawn.store()
    group = Group(store)
    register = Register.from_store(store)
    bases_seen = set()
    for day in [*drawn.sample_days(), dt.date(2001, 6, 1)]:
        parents, basis = register.completed_parents_at(day)
        for i, entity in enumerate(register.ids):
            if entity not in group.dataset.entities:
                continue
            answer = group.paths(entity, day)
            if parents[i] >= 0:
                assert register.ids[parents[i]] == answer["ultimate_parent"]["id"], (entity, day)
            assert BASES[basis[i]] == answer["ultimate_parent_basis"], (entity, day)
            bases_seen.add(answer["ultimate_parent_basis"])
    assert bases_seen & {"completed", "differs"}, bases_seen


# -- one rule for a day's rows --------------------------------------------------------------


def test_a_whole_day_of_edges_is_the_per_pair_rule_on_every_pair():
    # Edges.of is day_stakes and pair_edge over every pair at once: compared here
    # pair by pair, not only through the answers built on them.
    seen = {"several rows": 0, "several kinds": 0, "no weighing kind": 0}
    for seed in range(8):
        _compare_edges_pair_by_pair(RandomRegister(seed), seen)
    assert all(seen.values()), seen


def _compare_edges_pair_by_pair(drawn: RandomRegister, seen: dict[str, int]) -> None:
    store = drawn.store()
    register = Register.from_store(store)
    snapshots = Timeline(load_dataset(store))
    rows = register._records.tolist()
    for day in drawn.sample_days(12):
        d = day.toordinal()
        pairs: dict[tuple[int, int], dict[int, list]] = {}
        for (owner, owned, kind), held in day_stakes(rows, d).items():
            pairs.setdefault((owner, owned), {})[kind] = held
            seen["several rows"] += len(held[3]) > 1
        seen["several kinds"] += sum(len(kinds) > 1 for kinds in pairs.values())
        snap = snapshots.snapshot(day)
        for measure in ("control", "ownership"):
            ranks = register._ranks[measure].tolist()
            edges = Edges.of(register, d, register._ranks[measure], measure == "control")
            whole = {
                (int(s), int(t)): (lo, hi, lex, hx, cons, hold, named)
                for s, t, lo, hi, lex, hx, cons, hold, named in zip(*edges, strict=True)
            }
            assert list(whole) == sorted(whole, key=lambda p: (p[1], p[0])), (day, measure)
            want = {}
            for (owner, owned), kinds in pairs.items():
                edge = pair_edge(kinds, ranks, measure == "control")
                # The kind it picks is the one the time model's pair_stakes weighs.
                stakes = {
                    s.interest: s
                    for s in snap.owners_of(register.ids[owned])
                    if s.owner == register.ids[owner]
                }
                weighed = pair_stakes(stakes)[0 if measure == "ownership" else 1]
                if edge is None:
                    assert weighed is None, (owner, owned, day, measure)
                    seen["no weighing kind"] += 1
                    continue
                kind, low, high, flags, cons = edge
                assert weighed is not None
                assert register.interests[kind] == weighed.interest, (owner, owned, day)
                want[(owner, owned)] = (
                    low, high, bool(flags & LOW_EXCLUSIVE), bool(flags & HIGH_EXCLUSIVE),
                    cons, bool(flags & HOLDING), not register.kinds[owner] & 2,
                )  # fmt: skip
            assert set(whole) == set(want), (day, measure)
            for pair, (low, high, *rest) in want.items():
                got_low, got_high, *got_rest = whole[pair]
                assert (got_low, got_high) == pytest.approx((low, high), abs=1e-12), pair
                assert [bool(x) for x in got_rest] == rest, (pair, day, measure)


def test_owners_and_holdings_and_the_snapshot_group_rows_by_one_rule():
    # The rows of one pair and kind on a day: two distinct records of one day add up
    # (capped at 100%), an exclusive bound added to another becomes inclusive, kinds
    # never add; owners_at, holdings_at and the snapshot all say so.
    h = _ntriple_holding
    lines = [
        *h("h1", "P", "A", "70", day="2010-01-01"),
        *h("h2", "P", "A", "45", day="2010-01-01"),  # with h1: 115%, capped
        *h("h3", "P", "A", "30", day="2010-01-01", interest="votingRights"),
        *h("h4", "Q", "A", None, day="2010-01-01", low="10", exclusive=True),
        *h("h5", "Q", "A", None, day="2010-01-01", low="15", exclusive=True),
        *h("h6", "R", "A", None, day="2010-01-01", low="5", exclusive=True),
    ]
    store = open_store("memory", default_data=False)
    assert isinstance(store, OxigraphStore)
    store.add_rdf("\n".join(lines).encode(), ox.RdfFormat.N_TRIPLES)
    register = Register.from_store(store)
    day = dt.date(2011, 1, 1)
    e = f"{BASE}".__add__
    assert [(s.entity, round(s.low, 9), round(s.high, 9), s.interest)
            for s in register.owners_at(e("A"), day)] == [
        (e("P"), 1.0, 1.0, "shareholding"),
        (e("P"), 0.3, 0.3, "votingRights"),
        (e("Q"), 0.25, 1.0, "shareholding"),
        (e("R"), 0.05, 1.0, "shareholding"),
    ]  # fmt: skip
    assert register.holdings_at(e("P"), day) == [
        s._replace(entity=e("A")) for s in register.owners_at(e("A"), day) if s.entity == e("P")
    ]
    snap = Register.from_dataset(load_dataset(store), provenance=True).snapshot(day)
    kept = {(s.owner, s.interest): s for s in snap.owners_of(e("A"))}
    assert len(kept) == 4
    assert kept[(e("P"), "shareholding")].percent == 100.0
    assert sorted(kept[(e("P"), "shareholding")].facts) == [e("h1"), e("h2")]
    both = kept[(e("Q"), "shareholding")]
    assert (both.percent_min, both.min_exclusive) == (25.0, False)
    assert kept[(e("R"), "shareholding")].min_exclusive
    graph = snap.graph()
    assert graph.edges[e("R"), e("A")]["low_exclusive"]
    assert not graph.edges[e("Q"), e("A")]["low_exclusive"]
    edges = register.edges_at(day)
    q = np.flatnonzero(edges.src == register.position(e("Q")))
    r = np.flatnonzero(edges.src == register.position(e("R")))
    assert not edges.lex[q].any() and edges.lex[r].all()


def _ntriple_holding(
    name: str,
    owner: str,
    owned: str,
    percent: str | None,
    day: str,
    low: str | None = None,
    exclusive: bool = False,
    interest: str | None = None,
) -> list[str]:
    h = f"<{BASE}{name}>"
    lines = [
        f"{h} {A} {iri(GK.Holding)} .",
        f"{h} {iri(GK.owner)} <{BASE}{owner}> .",
        f"{h} {iri(GK.owned)} <{BASE}{owned}> .",
        f'{h} {iri(GK.validFrom)} "{day}"^^<{XSD}date> .',
    ]
    if percent is not None:
        lines.append(f'{h} {iri(GK.percent)} "{percent}"^^<{XSD}decimal> .')
    if low is not None:
        lines.append(f'{h} {iri(GK.percentMin)} "{low}"^^<{XSD}decimal> .')
    if exclusive:
        lines.append(f'{h} {iri(GK.percentMinExclusive)} "true"^^<{XSD}boolean> .')
    if interest is not None:
        lines.append(f'{h} {iri(GK.interestType)} "{interest}" .')
    return lines


# -- reported ultimate parents ---------------------------------------------------------------


def _completion_store() -> OxigraphStore:
    """On 2011-01-01: Q holds P, B holds A, P holds C, Q holds E (60-70%); reported
    ultimate parents: A -> P (completes A's open chain: Q), C -> P (C's chain runs
    through P: differs), E -> Q (agrees), F -> P and Q (two: differs), G -> X (X has no
    record, absent: differs), K -> P (K has no record, absent: differs); H alone."""
    lines = [
        *_ntriple_holding("h1", "Q", "P", "60", day="2010-01-01"),
        *_ntriple_holding("h2", "B", "A", "60", day="2010-01-01"),
        *_ntriple_holding("h3", "P", "C", "60", day="2010-01-01"),
        *_ntriple_holding("h4", "Q", "E", "70", day="2010-01-01"),
    ]
    for name in "QPBACEFGH":
        e = f"<{BASE}{name}>"
        lines += [f"{e} {A} {iri(GK.LegalEntity)} .",
                  f'{e} <http://www.w3.org/2000/01/rdf-schema#label> "{name}" .']  # fmt: skip
    for k, (child, parent) in enumerate(
        [("A", "P"), ("C", "P"), ("E", "Q"), ("F", "P"), ("F", "Q"), ("G", "X"), ("K", "P")]
    ):
        r = f"<{BASE}u{k}>"
        lines += [
            f"{r} {A} {iri(GK.UltimateConsolidation)} .",
            f"{r} {iri(GK.parent)} <{BASE}{parent}> .",
            f"{r} {iri(GK.child)} <{BASE}{child}> .",
            f'{r} {iri(GK.validFrom)} "2010-01-01"^^<{XSD}date> .',
        ]
    store = open_store("memory", default_data=False)
    assert isinstance(store, OxigraphStore)
    store.add_rdf("\n".join(lines).encode(), ox.RdfFormat.N_TRIPLES)
    return store


def test_reported_parents_complete_the_same_way_for_one_entity_and_the_whole_register():
    store = _completion_store()
    register, group = Register.from_store(store), Group(store)
    day = dt.date(2011, 1, 1)
    parents, basis = register.completed_parents_at(day)
    expected = {
        "A": ("Q", "completed"), "C": ("Q", "differs"), "E": ("Q", "agrees"),
        "F": ("F", "differs"), "G": ("G", "differs"), "H": ("H", "computed"),
        "B": ("B", "computed"), "P": ("Q", "computed"), "Q": ("Q", "computed"),
        "K": (None, "differs"), "X": (None, "computed"),
    }  # fmt: skip
    for name, (parent, how) in expected.items():
        i = register.position(BASE + name)
        got = register.ids[parents[i]].removeprefix(BASE) if parents[i] >= 0 else None
        assert (got, BASES[basis[i]]) == (parent, how), name
        if parent is not None:
            answer = group.paths(BASE + name, day)
            assert answer["ultimate_parent"]["id"] == BASE + parent, name
            assert answer["ultimate_parent_basis"] == how, name
    completed = group.paths(BASE + "A", day)
    assert completed["computed_ultimate_parent"]["id"] == BASE + "B"
    assert completed["reported_links"] == [[group.ref(BASE + "P"), group.ref(BASE + "B")]]
    assert completed["paths"] == [[group.ref(BASE + e) for e in "QPBA"]]
    assert [r["id"] for r in group.paths(BASE + "F", day)["reported_ultimate_parents"]] == [
        BASE + "P", BASE + "Q",
    ]  # fmt: skip


def test_paths_asks_each_ultimate_parent_once(monkeypatch):
    store = _completion_store()
    group = Group(store)
    asked: list[str] = []
    real = control.ultimate_parent

    def counted(graph, entity, **kwargs):  # noqa: ANN001, ANN202
        asked.append(entity)
        return real(graph, entity, **kwargs)

    monkeypatch.setattr(control, "ultimate_parent", counted)
    day = dt.date(2011, 1, 1)
    assert group.paths(BASE + "A", day)["ultimate_parent"]["id"] == BASE + "Q"
    assert sorted(asked) == [BASE + "A", BASE + "P"]


def test_completion_is_one_rule_over_positions_or_names():
    tops = {"A": "B", "P": "Q", "C": "Q"}
    assert completion([], "A", tops.get) == ("computed", "A")
    assert completion(["B"], "B", tops.get) == ("agrees", "B")
    assert completion(["P"], "B", tops.get) == ("completed", "Q")
    assert completion(["P"], "Q", tops.get) == ("differs", "Q")  # the chain runs past P
    assert completion(["P", "R"], "B", tops.get) == ("differs", "B")
    assert completion(["X"], "B", tops.get) == ("differs", "B")  # X absent
    assert completion(["P"], None, tops.get) == ("differs", None)  # the entity absent
    positions = {0: 1, 2: 3}
    assert completion([2], 1, positions.get) == ("completed", 3)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory) -> tuple[OxigraphStore, Timeline]:
    path = tmp_path_factory.mktemp("synth") / "register.nt"
    write_synth(path, 1200, seed=11)
    store = open_store("memory", default_data=False)
    assert isinstance(store, OxigraphStore)
    store.import_ntriples(path)
    return store, Timeline(load_dataset(store))


@pytest.mark.parametrize("day", ["1996-03-01", "2008-07-01", "2019-12-31", "2024-06-30"])
def test_synthetic_register_answers_as_the_time_model_and_the_analytics(synthetic, day):
    store, timeline = synthetic
    register = Register.from_store(store)
    _arrays_equal(register, Register.from_timeline(timeline))
    _check_day(register, timeline, dt.date.fromisoformat(day))


def test_the_bundled_data_reads_the_same_from_the_store_and_the_timeline():
    # Partial dates, mergers, unnamed holders and share counts as real sources give them.
    store = open_store("memory")
    _arrays_equal(Register.from_store(store), Register.from_dataset(load_dataset(store)))


def _store_with_one_register(tmp_path: Path) -> tuple[OxigraphStore, Path]:
    """A writable store beside ``tmp_path/store.model`` holding one random register
    (imported), and a second register's file, with other IRIs, not yet imported."""
    first, second = tmp_path / "a.nt", tmp_path / "b.nt"
    first.write_text("\n".join(RandomRegister(1).lines) + "\n")
    second.write_text("\n".join(RandomRegister(2).lines).replace(BASE, BASE + "b/") + "\n")
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    store.import_ntriples(first)
    return store, second


def test_a_cache_beside_the_store_is_reused_until_an_import_changes_it(tmp_path):
    store, second = _store_with_one_register(tmp_path)
    built = Register.from_store(store)
    cache = tmp_path / "store.model"
    assert cache.is_dir() and (cache / "owner.npy").is_file()
    again = Register.from_store(store)
    assert again.key and not again.owner.flags.writeable  # mapped from the files
    _arrays_equal(again, built)
    store.import_ntriples(second)
    rebuilt = Register.from_store(store)
    assert len(rebuilt) > len(built) and rebuilt.key != again.key
    _arrays_equal(rebuilt, Register.from_dataset(load_dataset(store)))
    store.close()


@pytest.mark.parametrize(
    "damage", ["array missing", "array cut short", "bad key file", "no key file"]
)
def test_a_damaged_cache_beside_the_store_is_built_again(tmp_path, damage):
    store, _ = _store_with_one_register(tmp_path)
    built = Register.from_store(store)
    cache = tmp_path / "store.model"
    if damage == "array missing":
        (cache / "owner.npy").unlink()
    elif damage == "array cut short":
        low = cache / "low.npy"
        low.write_bytes(low.read_bytes()[:-8])
    elif damage == "bad key file":
        (cache / "model.json").write_text('{"key": ', encoding="utf-8")
    else:
        (cache / "model.json").unlink()
    with pytest.raises((OSError, ValueError, KeyError)):
        Register.load(cache)
    _arrays_equal(Register.from_store(store), built)
    again = Register.from_store(store)
    assert again.key  # the cache written again, and mapped
    _arrays_equal(again, built)
    # Written under a temporary name and renamed into place: nothing else is left.
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.nt", "b.nt", "store", "store.model"]
    store.close()


def test_a_cache_replaced_while_it_is_read_is_read_again(tmp_path, monkeypatch):
    from groupkg.graph.timemodel import cache

    store, _ = _store_with_one_register(tmp_path)
    folder = Register.from_store(store).save(tmp_path / "saved.model", "first")
    newer = Register.load(folder)
    read = cache._read
    replaced = []

    def read_then_replace(path: Path) -> tuple[dict[str, np.ndarray], str]:
        found = read(path)
        if not replaced:  # another process renames a newer register into place
            replaced.append(newer.save(path, "second"))
        return found

    monkeypatch.setattr(cache, "_read", read_then_replace)
    assert Register.load(folder).key == "second" and replaced == [folder]
    store.close()


def test_an_entity_with_no_facts_or_no_place_has_no_stakes():
    register = Register.from_store(RandomRegister(3).store())
    assert register.owners_at("https://example.org/nobody", dt.date(2005, 1, 1)) == []
    assert register.holdings_at("https://example.org/nobody", 732000) == []
    assert register.paths_at("https://example.org/nobody", dt.date(2005, 1, 1)) == (
        "https://example.org/nobody",
        [],
    )


# -- progress ------------------------------------------------------------------------------


def test_building_a_register_reports_facts_read(synthetic):
    store, _ = synthetic
    seen: list[int] = []
    Register.from_store(store, progress=seen.append)
    # triples read: several for each of the 1,200 entities
    assert seen and seen == sorted(seen) and seen[-1] > 4 * 1200


def _import(args: list[str], tty: bool) -> str:
    """Run ``groupkg import`` with standard error on a pseudo-terminal or a pipe."""
    code = "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"
    command = [sys.executable, "-c", code, *args]
    if not tty:
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closed with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    assert process.wait(timeout=120) == 0
    return b"".join(chunks).decode()


def test_import_shows_progress_on_a_terminal_and_not_when_quiet_or_piped(tmp_path):
    sample = TESTS / "data" / "gleif" / "sample.csv"
    args = ["import", str(sample), "--format", "gleif-rr", "--store", "memory", "--no-default-data"]
    assert "\r9 rows" in _import(args, tty=True)
    quiet = _import([*args, "--quiet"], tty=True)
    assert "rows" not in quiet and "imported" in quiet
    piped = CliRunner().invoke(cli, args)  # the runner's standard error is no terminal
    assert piped.exit_code == 0 and "rows" not in piped.stderr and "imported" in piped.stderr


def test_an_ntriples_import_draws_a_bar_of_bytes_loaded(tmp_path):
    source = tmp_path / "synth.nt"
    write_synth(source, 300, seed=5)
    store = tmp_path / "store"
    args = ["import", str(source), "--store", f"oxigraph:{store}", "--no-default-data"]
    shown = _import(args, tty=True)
    assert "loading [" in shown and "100% of" in shown and "imported" in shown
    quiet = _import([*args[:3], f"oxigraph:{tmp_path / 'other'}", *args[4:], "--quiet"], tty=True)
    assert "loading" not in quiet and "imported" in quiet


def test_a_cache_beside_the_store_is_not_reused_after_an_update_writes_a_named_graph(tmp_path):
    # A graph an update wrote is part of what queries (and so the register) read.
    store, second = _store_with_one_register(tmp_path)
    Register.from_store(store)
    again = Register.from_store(store)
    assert again.key  # mapped from the cache
    text = second.read_text()
    store.update(f"INSERT DATA {{ GRAPH <https://example.org/written> {{ {text} }} }}")
    rebuilt = Register.from_store(store)
    assert len(rebuilt) > len(again) and rebuilt.key != again.key
    _arrays_equal(rebuilt, Register.from_dataset(load_dataset(store)))
    store.close()


def test_a_cache_beside_the_store_is_not_reused_after_an_update_that_keeps_the_count(tmp_path):
    # An update that moves a stake to another owner leaves the number of triples as it
    # was; the register (and groupkg parents) must still answer from the new state.
    store, _ = _store_with_one_register(tmp_path)
    built = Register.from_store(store)
    again = Register.from_store(store)
    assert again.key  # mapped from the cache
    (row,) = store.select(
        "SELECT ?h ?o WHERE { ?h <https://w3id.org/groupkg/ontology#owner> ?o } ORDER BY ?h LIMIT 1"
    )
    others = [e for e in built.ids if e != row["o"]]
    size = len(store)
    store.update(
        f"DELETE {{ GRAPH ?g {{ <{row['h']}> <https://w3id.org/groupkg/ontology#owner> ?o }} }}"
        f" INSERT {{ GRAPH ?g {{ <{row['h']}> <https://w3id.org/groupkg/ontology#owner>"
        f" <{others[0]}> }} }}"
        f" WHERE {{ GRAPH ?g {{ <{row['h']}> <https://w3id.org/groupkg/ontology#owner> ?o }} }}"
    )
    assert len(store) == size
    rebuilt = Register.from_store(store)
    assert rebuilt.key != again.key
    _arrays_equal(rebuilt, Register.from_dataset(load_dataset(store)))
    store.close()
