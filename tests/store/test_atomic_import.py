"""Imports into ``oxigraph:PATH`` are all or nothing: killed at any moment, or read meanwhile.

``groupkg import`` bulk-loads a file into a staging graph that readers do not see,
then commits it with one quad (see :meth:`groupkg.graph.store.OxigraphStore.import_ntriples`).
The first test imports a synthetic register of a few hundred thousand triples in a
child process and kills it (SIGKILL) at random moments: half of them anywhere between
0 and the time an import takes (one in each third of it), half within the bulk load
and the commit after it. After each kill the store must hold exactly what it held
before, or, when the kill came after the commit, exactly that plus the import; and
the next writer must leave nothing of the killed import behind. The
second test reads the store from one thread while another imports into it: every
count a reader sees is the count before or the count after.

The kill test prints where its kills landed and writes it as JSON to
``$GROUPKG_KILL_STATS`` (default ``/tmp/groupkg-kill-stats.json``) for the README.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pyoxigraph as ox
import pytest

from groupkg.graph import OxigraphStore, open_store, write_synth

T = TypeVar("T")

ENTITIES = 20_000  # about 216,000 triples
KILLS = 6
SEED = int(os.environ.get("GROUPKG_KILL_SEED", "20251121"))
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
QUESTIONS = {
    "holdings": "PREFIX gk: <https://w3id.org/groupkg/ontology#> "
    "SELECT (COUNT(?h) AS ?n) WHERE { ?h a gk:Holding }",
    "labels": "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
    "SELECT ?label WHERE { ?e rdfs:label ?label } ORDER BY ?label LIMIT 5",
    "classes": "SELECT DISTINCT ?class WHERE { ?x a ?class } ORDER BY ?class",
    # Named graphs too: a staging graph is no more seen in GRAPH ?g than elsewhere.
    "in graphs": "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }",
}
META = ox.NamedNode("urn:groupkg:meta")


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("register") / "register.nt"
    counts = write_synth(path, ENTITIES, seed=1)
    assert counts["triples"] > 200_000
    return path


@pytest.fixture(scope="module")
def empty_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store as ``groupkg import`` first finds it: the ontology and nothing else."""
    path = tmp_path_factory.mktemp("base") / "store"
    store = open_store(f"oxigraph:{path}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    store.close()
    return path


def _state(path: Path) -> dict[str, Any]:
    """What a reader opening the store sees: its size and the answers to a few questions."""
    store = OxigraphStore(path, read_only=True)
    try:
        return {
            "triples": len(store),
            **{name: store.select(query) for name, query in QUESTIONS.items()},
        }
    finally:
        store.close()


def _graphs(path: Path) -> tuple[set[str], set[str]]:
    """The named graphs of the store, and those of them that are committed imports."""
    store = ox.Store.read_only(str(path))
    named = {g.value for g in store.named_graphs() if g != META}
    marked = store.quads_for_pattern(None, ox.NamedNode("urn:groupkg:committed"), None, META)
    committed = {q.subject.value for q in marked}
    del store
    return named, committed


def _import(register: Path, store: Path, scratch: Path) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-c", "from groupkg.graph.cli import main; main()",
               "import", str(register), "--store", f"oxigraph:{store}", "--quiet",
               "--no-default-data"]  # fmt: skip
    # N-Triples go straight to the bulk loader; other formats are converted into the
    # store's folder first. The temporary folder is the scratch one all the same.
    env = {**os.environ, "TMPDIR": str(scratch)}
    with (scratch / "import.log").open("ab") as log:
        return subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)


def _size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def _kill(process: subprocess.Popen[bytes], store: Path, base_size: int,
          delay: float | None, after_load: float) -> tuple[float, bool]:  # fmt: skip
    """SIGKILL ``process`` after ``delay`` seconds, or ``after_load`` seconds into its bulk
    load (``delay`` None); return when it was killed and whether its bulk load had begun.

    The bulk load writes its files into the store's folder, so the folder growing past
    a megabyte tells that it has begun.
    """
    started = time.monotonic()
    loading_since = None
    while process.poll() is None:
        now = time.monotonic()
        if loading_since is None and _size(store) > base_size + (1 << 20):
            loading_since = now
        if delay is not None and now - started >= delay:
            break
        if delay is None and loading_since is not None and now - loading_since >= after_load:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    return time.monotonic() - started, loading_since is not None


def test_a_killed_import_leaves_the_store_as_it_was(register, empty_store, tmp_path: Path):
    before = _state(empty_store)
    base_size = _size(empty_store)
    # An import that runs to the end: the state after, and when its bulk load begins.
    reference = tmp_path / "reference"
    shutil.copytree(empty_store, reference)
    started = time.monotonic()
    _, loaded = _kill(_import(register, reference, tmp_path), reference, base_size, 600, 0)
    took = time.monotonic() - started
    assert loaded
    after = _state(reference)
    assert after["triples"] > before["triples"] + 200_000, (tmp_path / "import.log").read_text()

    rng = random.Random(SEED)
    landed: list[dict[str, Any]] = []
    for run in range(KILLS):
        store = tmp_path / f"run{run}"
        shutil.copytree(empty_store, store)
        process = _import(register, store, tmp_path)
        if run % 2 == 0:  # anywhere in the import, one kill in each third of it
            delay: float | None = took * (run // 2 + rng.random()) / (KILLS // 2)
            after_load = 0.0
        else:  # within the bulk load and the commit that follows it
            delay, after_load = None, rng.uniform(0, took / 4)
        killed_at, loading = _kill(process, store, base_size, delay, after_load)
        named, committed = _graphs(store)
        staged = named - committed
        state = _state(store)  # read-only, as a reader finds it: before any clean-up
        assert state in (before, after), f"kill {run} at {killed_at:.2f} s left a store in between"
        if state == after:
            where = "after the commit"
        elif loading or staged:
            where = "during the bulk load"
        else:
            where = "before the bulk load"
        # The next writer removes what the killed import left, and nothing else.
        writer = open_store(f"oxigraph:{store}", default_data=False, writable=True)
        assert isinstance(writer, OxigraphStore)
        writer.close()
        named_now, committed_now = _graphs(store)
        assert named_now == committed_now == committed
        assert not list(store.glob("bulk-*.sst"))
        assert not list(store.glob("groupkg-import-*"))
        assert _state(store) == state
        landed.append({"killed_at_s": round(killed_at, 2), "where": where,
                       "staging_graphs": len(staged)})  # fmt: skip

    record = {
        "triples_imported": after["triples"] - before["triples"],
        "import_seconds": round(took, 2),
        "kills": len(landed),
        "survived": len(landed),
        "where": {w: sum(k["where"] == w for k in landed) for w in
                  ("before the bulk load", "during the bulk load", "after the commit")},
        "runs": landed,
        "seed": SEED,
    }  # fmt: skip
    print(json.dumps(record, indent=2))
    out = Path(os.environ.get("GROUPKG_KILL_STATS", "/tmp/groupkg-kill-stats.json"))
    try:
        out.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    except OSError:
        pass


def _read_while(
    work: Callable[[], object], read: Callable[[], T]
) -> tuple[list[tuple[float, T]], float, float]:
    """Run ``work`` while another thread calls ``read`` over and over; return every
    reading with the time it began, and when the work began and ended. The reader goes
    on until a reading begun after the work ended is in."""
    seen: list[tuple[float, T]] = []
    stop = threading.Event()

    def reader() -> None:
        while not stop.is_set():
            seen.append((time.monotonic(), read()))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        time.sleep(0.05)
        began = time.monotonic()
        work()
        ended = time.monotonic()
        # one reading begun after the work ended, however slow a reading is
        give_up = ended + 30
        while not any(t > ended for t, _ in seen) and time.monotonic() < give_up:
            time.sleep(0.01)
    finally:
        stop.set()
        thread.join()
    return seen, began, ended


def test_a_reader_never_sees_half_an_import(tmp_path: Path):
    small = tmp_path / "small.nt"
    write_synth(small, 6_000, seed=2)
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)

    def count() -> int:
        return int(store.select(COUNT)[0]["n"])

    old = count()
    seen, began, ended = _read_while(lambda: store.import_ntriples(small), count)
    new = count()
    store.close()
    assert new > old
    assert {n for _, n in seen} <= {old, new}
    during = [n for t, n in seen if began <= t <= ended]
    assert len(during) >= 3, f"the reader read {len(during)} times while the import ran"
    assert {n for _, n in seen} == {old, new}


def test_a_reader_of_named_graphs_never_sees_half_an_import(tmp_path: Path):
    # The same through GRAPH ?g, by the store and by the endpoint's run_query: only
    # the committed graphs are named graphs of the dataset.
    from groupkg.graph.serve.sparql import run_query

    small = tmp_path / "small.nt"
    write_synth(small, 6_000, seed=3)
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    in_graphs = QUESTIONS["in graphs"]

    def counts() -> tuple[int, int]:
        by_store = int(store.select(in_graphs)[0]["n"])
        body, _ = run_query(store, in_graphs)
        by_endpoint = int(json.loads(body)["results"]["bindings"][0]["n"]["value"])
        return by_store, by_endpoint

    assert counts() == (0, 0)
    seen, began, ended = _read_while(lambda: store.import_ntriples(small), counts)
    new = counts()
    store.close()
    assert new[0] == new[1] > 0
    # Each reading is the count before the import or the count after it, never between.
    assert {c[0] for _, c in seen} == {c[1] for _, c in seen} == {0, new[0]}
    during = [c for t, c in seen if began <= t <= ended]
    assert len(during) >= 3, f"the reader read {len(during)} times while the import ran"
