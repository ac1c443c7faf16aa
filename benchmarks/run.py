"""Run the benchmarks: ``python -m benchmarks.run --sizes 10k,100k,1M``.

For each size: a synthetic register (``groupkg synth``, cached in the work folder),
``groupkg import`` of it into ``oxigraph:PATH`` and the first ``groupkg owners`` after
it (each a process of its own: time and peak memory), the import of a generated CSV
holdings file of as many rows (up to 100,000: :mod:`benchmarks.csvimport`) and of generated
GLEIF Level 1 and relationship-record files of as many records (up to 100,000:
:mod:`benchmarks.gleifimport`), a cross-source import (the register and BODS statements
about every second of its companies, and the cost of resolving them into one entity
each: :mod:`benchmarks.crosssource`), the register
index (built from the store's SPARQL, and from the file as an import could), reopening,
owners and paths at a date, ultimate parents and effective stakes of the whole register
at a date, rendering the largest group (and its page in Chromium: first picture, expand,
search), cold command-line calls as a user types them
(``owners``/``holdings``/``paths``/``entity`` in a small group and in the largest one;
``effective``, ``perimeter`` and ``render --root`` from the largest group's top parent),
and ``groupkg serve`` on 127.0.0.1: the viewer's answer for that top parent, and hot API
answers (on the store, and once on the bundled IIJ data). Beside each figure: its
target, the peers and the limit measured in the same run, and the figure of the previous
run (``results.json`` written beside ``RESULTS.md``; before the first run, the hand-made
``previous.json``). Big files go to ``--workdir`` (under /tmp by default), never into
the repository.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import math
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.crosssource import cross_source_figures
from benchmarks.csvimport import CSV_MAX, csv_import
from benchmarks.gleifimport import GLEIF_MAX, gleif_imports
from benchmarks.measure import (
    Child,
    LoadSampler,
    latencies,
    machine,
    run_child,
    run_command,
    spread,
    timed,
)
from benchmarks.report import (
    TARGETS,
    Figure,
    Other,
    Previous,
    format_seconds,
    results_json,
    results_markdown,
    table,
)

DAY = _dt.date(2024, 6, 30)
ANALYSIS = "## Analysis (written by hand"
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "RESULTS.md"
SEED = HERE / "previous.json"  # the figures before results.json existed, by hand
# The command line as a user types it, in a new process (``groupkg`` itself).
CLI = [sys.executable, "-c", "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"]
# What a size's run does, in order (the progress lines name these).
STEPS = (
    "pyoxigraph's bulk loader alone (limit)",
    "groupkg import, then the first groupkg owners",
    "the register index from the store and from the file",
    "questions in-process (owners, paths, parents, effective, render)",
    "cold command-line calls",
    "groupkg serve: the viewer's answer and hot API answers",
)


def parse_size(text: str) -> int:
    """``10k`` -> 10,000; ``1M`` -> 1,000,000; ``2000`` -> 2,000."""
    text = text.strip().lower().replace("_", "")
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text[:-1] if scale > 1 else text) * scale)


class Bench:
    """One run of the harness."""

    def __init__(self, options: argparse.Namespace):
        self.options = options
        self.work = Path(options.workdir)
        self.work.mkdir(parents=True, exist_ok=True)
        self.notes: list[str] = []
        self.show = not options.quiet
        self.repeat = 1 if options.quick else 3
        self.samples = 100 if options.quick else 1000
        self.requests = 100 if options.quick else 500
        self.served_iij = False
        self.began = time.monotonic()
        # Per size: the largest group's top parent and entities to ask about (IRIs).
        self.focus: dict[int, dict[str, Any]] = {}

    def say(self, size: int, what: str) -> None:
        """A progress line on standard error, with the time since the run began;
        nothing with --quiet."""
        if self.show:
            minutes, seconds = divmod(int(time.monotonic() - self.began), 60)
            hours, minutes = divmod(minutes, 60)
            clock = f"{hours}:{minutes:02d}:{seconds:02d}"
            print(f"[{clock}] [{size:,}] {what}...", file=sys.stderr, flush=True)

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)

    # -- one size -------------------------------------------------------------------

    def size(self, n: int) -> tuple[int, list[Figure]]:
        from groupkg.graph import write_synth

        options = self.options
        source = self.work / f"synth-{n}-{options.seed}.nt"
        if not source.is_file():
            self.say(n, "writing the synthetic register")
            counts = write_synth(source, n, options.seed)
            triples = counts["triples"]
        else:
            with source.open("rb") as stream:
                triples = sum(
                    chunk.count(b"\n") for chunk in iter(lambda: stream.read(1 << 24), b"")
                )
        store = self.work / f"store-{n}-{options.seed}"
        figures: list[Figure | None] = list(self.load(n, source, store))
        figures += self.registers(n, source, store)
        figures += self.questions(n, source, store)
        if n <= CSV_MAX:
            self.say(n, "CSV holdings import")
            figures.append(csv_import(n, self.work, options.timeout))
        if n <= GLEIF_MAX:
            self.say(n, "GLEIF imports")
            for syntax in ("csv", "xml"):
                figures += gleif_imports(n, syntax, self.work, options.timeout)
        self.say(n, "cross-source import and resolution")
        figures += cross_source_figures(n, self.work, options.timeout)
        if n <= options.serve_max:
            figures += self.served(n, store)
        else:
            self.note(
                f"groupkg serve was measured up to {options.serve_max:,} entities (--serve-max)."
            )
        if not self.served_iij:
            figures += self.served(0, None)
            self.served_iij = True
        return triples, [f for f in figures if f is not None]

    def served(self, n: int, store: Path | None) -> list[Figure]:
        """``groupkg serve`` on 127.0.0.1: on ``oxigraph:STORE`` the viewer's answer for
        the largest group's top parent (its first answer, then hot) and hot API answers;
        (``store`` None) hot API answers on the bundled IIJ data in memory. A server
        that does not start, or answers an error, gives figures that say so."""
        from benchmarks.serve import IIJ_CALLS, hot_api, paths_of, serving, synth_calls

        self.say(n, "groupkg serve: viewer and hot API answers" + ("" if store else " (IIJ data)"))
        options = ["--store", f"oxigraph:{store}"] if store else []
        where = "oxigraph:PATH" if store else "the bundled IIJ data, memory store"
        name = f"hot API answer over HTTP (owners/paths at a date; {where})"
        key = "serve" if store else "serve-iij"
        focus = self.focus.get(n, {}) if store else {}
        view_name = (
            "the viewer's answer for the largest group's top parent (groupkg serve, "
            "its JSON: entity, owners, holdings, paths, events; first answer)"
        )
        try:
            calls = synth_calls(store, seed=self.options.seed) if store else IIJ_CALLS
        except Exception as exc:  # noqa: BLE001 - reported as the figure
            calls, problem = [], f"failed: reading questions: {exc}"
        else:
            problem = "no entity with owners" if not calls else ""
        figures: list[Figure] = []
        server = serving(options, start_timeout=self.options.serve_start)
        try:
            with server as base:
                self.say(n, f"the server answered after {format_seconds(server.started)}")
                if focus.get("top"):
                    figures += self.viewer(n, base, focus, view_name, server.started)
                if calls:
                    self.say(n, f"hot API answers ({self.requests} requests at most)")
                    budget = self.options.serve_budget
                    found = hot_api(base, paths_of(calls), self.requests, budget)
                    floor = hot_api(base, ["/static/viewer.css"], self.requests, budget)
        except (RuntimeError, OSError) as exc:
            reason = f"failed: {' '.join(str(exc).split())[:400]}"
            done = {f.key for f in figures}
            if focus.get("top") and "viewer" not in done:
                figures.append(Figure("viewer", view_name, None, reason, target=1.0))
            return figures + [Figure(key, name, None, reason, target=5e-3)]
        if problem:
            return figures + [Figure(key, name, None, problem, target=5e-3)]
        figure = Figure(
            key,
            name,
            found["median"],
            f"median of {found['n']} (cycling through {found['asked']} questions, each "
            f"asked once first); p90 {format_seconds(found['p90'])}; a question's first answer "
            f"{format_seconds(found['first'])} (median); the server started in "
            f"{format_seconds(server.started)}",
            extra={"p90": found["p90"], "first": found["first"], "size": n},
            target=5e-3,
        )
        figure.others.append(
            Other(
                "HTTP round trip to the same server, no worker (GET /static/viewer.css)",
                floor["median"],
                f"median of {floor['n']}; p90 {format_seconds(floor['p90'])}",
                limit=True,
            )
        )
        return figures + [figure]

    def viewer(
        self, n: int, base: str, focus: dict[str, Any], name: str, started: float
    ) -> list[Figure]:
        """What the viewer's page fetches for an entity at a date (``show()`` in
        viewer.js: five JSON answers at once, then the picture, ``/view``), first right
        after the server started, then hot; the repetitions stop at --serve-budget
        seconds, and a request that fails ends its figure as "failed: ..."."""
        from benchmarks.serve import viewer

        top, day = focus["top"], DAY.isoformat()
        budget = time.monotonic() + self.options.serve_budget
        self.say(n, "the viewer's answer for the largest group's top parent")
        first = viewer(base, top, day)

        def repeat(count: int, picture: bool) -> tuple[list[float], str]:
            found: list[float] = []
            try:
                while len(found) < count and (not found or time.monotonic() < budget):
                    found.append(viewer(base, top, day, picture=picture))
            except (RuntimeError, OSError) as exc:
                return found, f"; failed: {' '.join(str(exc).split())[:300]}"
            return found, ""

        hot, hot_failed = repeat(max(3, 2 * self.repeat + 1), picture=False)
        pictures, picture_failed = repeat(self.repeat + 1, picture=True)
        again = spread(hot)
        picture_hot = statistics.median(pictures[1:]) if len(pictures) > 1 else math.nan
        return [
            Figure(
                "viewer",
                name,
                first,
                f"the five requests at once, as the page sends them, right after the "
                f"server answered its first request ({format_seconds(started)} after "
                f"its start); hot: {format_seconds(again['median'])} (median of "
                f"{again['n']}); {focus['top_size']:,} entities in the group",
                extra={"hot": again["median"]},
                target=1.0,
            ),
            Figure(
                "viewer-hot",
                "the viewer's answer for the largest group's top parent, hot",
                again["median"] if hot else None,
                f"median of {again['n']}, the same five requests again" + hot_failed,
            ),
            Figure(
                "viewer-picture",
                "the viewer's picture of the largest group (GET /view?entity=TOP&at=DAY), "
                "first answer",
                pictures[0] if pictures else None,
                f"HTML of the group; hot: {format_seconds(picture_hot)} "
                f"(median of {max(0, len(pictures) - 1)})" + picture_failed,
                extra={"hot": picture_hot},
            ),
        ]

    def load(self, n: int, source: Path, store: Path) -> list[Figure]:
        """``groupkg import FILE --store oxigraph:STORE`` in a new process (time, peak
        memory), then the first ``groupkg owners`` on the new store (it builds what
        the store's questions need), beside pyoxigraph's bulk loader alone."""
        options = self.options
        cache = store.with_name(store.name + ".model")
        if options.reuse and store.is_dir() and any(store.iterdir()):
            self.note(
                f"{n:,}: the store of an earlier run was reused (--reuse); no import, and "
                "no first answer after an import, measured."
            )
            return [
                Figure(
                    "load",
                    "load into oxigraph:PATH (reused)",
                    None,
                    "not measured: the store of an earlier run was reused (--reuse)",
                )
            ]
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(cache, ignore_errors=True)
        self.say(n, STEPS[0])
        floor_store = store.with_name(store.name + "-floor")
        shutil.rmtree(floor_store, ignore_errors=True)
        floor = run_child(["load-floor", str(source), str(floor_store)], options.timeout)
        shutil.rmtree(floor_store, ignore_errors=True)
        floor_seconds = floor.seconds if not floor.error else None

        def bulk_load() -> Other:
            return Other(
                "pyoxigraph bulk_load, one call, default graph",
                floor_seconds,
                f"peak {floor.peak_bytes / 2**30:.2f} GB; no staging graph, no commit"
                + (f"; failed: {floor.error}" if floor.error else ""),
                limit=True,
                key="load-floor",
            )

        self.say(n, STEPS[1])
        imported = run_command(
            [*CLI, "import", str(source), "--store", f"oxigraph:{store}", "--quiet"],
            options.timeout,
        )
        figure = Figure(
            "load",
            "load into oxigraph:PATH (`groupkg import FILE`, new process)",
            _seconds(imported),
            f"peak {imported.peak_bytes / 2**30:.2f} GB" + _failure(imported),
            extra={"peak": imported.peak_bytes},
            target=45.0,
        )
        figure.others.append(bulk_load())
        name = _first_label(source)
        first = (
            run_command(
                [*CLI, "owners", name, "--store", f"oxigraph:{store}", "--at", DAY.isoformat(),
                 "--json"],
                options.timeout,
                ok=(0, 1),
            )
            if not imported.error
            else Child(0.0, 0, error="the import failed")
        )  # fmt: skip
        owners = Figure(
            "first-owners",
            "the first `groupkg owners NAME` after the import (new process)",
            _seconds(first),
            f"{name!r}; peak {first.peak_bytes / 2**30:.2f} GB; it builds the indexes "
            "every later question of the store reads" + _failure(first),
        )
        total = imported.seconds + first.seconds if not (imported.error or first.error) else None
        answer = Figure(
            "first-answer",
            "time to the first answer after importing the file (`groupkg import`, then "
            "`groupkg owners`)",
            total,
            f"import {format_seconds(_seconds(imported))} + first owners "
            f"{format_seconds(_seconds(first))}; target: twice the bulk loader alone"
            + _failure(imported)
            + _failure(first),
            target=2 * floor_seconds if floor_seconds else None,
        )
        answer.others.append(bulk_load())
        if n <= options.rdflib_max:
            self.say(n, "loading into rdflib (peer)")
            peer = run_child(["load-rdflib", str(source)], options.timeout)
            figure.others.append(
                Other(
                    "rdflib Graph().parse (in memory)",
                    peer.seconds if not peer.error else None,
                    f"peak {peer.peak_bytes / 2**30:.2f} GB"
                    + (f"; {peer.error}" if peer.error else ""),
                )
            )
        else:
            self.note(
                f"rdflib was measured up to {options.rdflib_max:,} entities only "
                "(--rdflib-max): beyond, parsing into its in-memory graph takes too long "
                "and too much memory to be a useful peer."
            )
        return [figure, owners, answer]

    def registers(self, n: int, source: Path, store: Path) -> list[Figure]:
        options = self.options
        figures = []
        if n <= options.sparql_max:
            self.say(n, STEPS[2])
            built = run_child(["register-store", str(store)], options.timeout)
            figures.append(
                Figure(
                    "register-store",
                    "register index from the store (SPARQL), first open",
                    built.seconds if not built.error else None,
                    f"peak {built.peak_bytes / 2**30:.2f} GB; {built.answer.get('rows', 0):,} spans"
                    + (f"; failed: {built.error}" if built.error else ""),
                )
            )
        else:
            self.note(
                f"The register was built from the store's SPARQL up to {options.sparql_max:,}"
                " entities (--sparql-max); above, from the file only: an on-disk Oxigraph "
                "store looks every IRI a query returns up on disk, so reading a million "
                "entities' facts back out takes minutes."
            )
        from groupkg.graph import Register

        if not hasattr(Register, "from_ntriples"):
            return figures
        self.say(n, "building the register from the file")
        built = run_child(["register-file", str(source), str(store)], options.timeout)
        figures.append(
            Figure(
                "register-file",
                "register index from the N-Triples file (one pass)",
                built.seconds if not built.error else None,
                f"peak {built.peak_bytes / 2**30:.2f} GB"
                + (f"; failed: {built.error}" if built.error else ""),
            )
        )
        return figures

    def questions(self, n: int, source: Path, store_path: Path) -> list[Figure | None]:
        from groupkg.graph import OxigraphStore, Register

        store = OxigraphStore(store_path, read_only=True)
        register = Register.from_store(store)
        figures: list[Figure | None] = [self.reopen(n, store_path)]
        calls = self.sample_calls(register, self.samples)
        rdflib_peer = None
        if n <= self.options.rdflib_max:
            from benchmarks.peers import RdflibOwners

            self.say(n, "parsing into rdflib for the query peers")
            rdflib_peer = RdflibOwners(str(source))
        figures.append(self.owners(n, register, store, calls, rdflib_peer))
        del rdflib_peer
        figures.append(self.paths(n, register, store, calls))
        parents, figure = self.parents(n, register)
        figures.append(figure)
        figures.append(self.effective(n, register, parents))
        figures.append(self.rule_sets(n, register, store, parents, figure))
        figures += self.render(n, register, store, parents)
        focus = self.choose(register, store, parents)
        store.close()
        if focus:
            self.focus[n] = focus
            figures += self.cold_cli(n, store_path, focus)
            figures += self.group_cli(n, store_path, focus)
        return figures

    def choose(self, register: Any, store: Any, parents: np.ndarray) -> dict[str, Any]:
        """The entities the cold calls and the viewer ask about, at ``DAY``: the largest
        group's top parent, and in that group and in a small one (2 to 5 entities) an
        entity with owners and holdings (else with owners), with their exact labels."""
        present = parents[parents >= 0]
        if present.size == 0:
            return {}
        sizes = np.bincount(present, minlength=len(parents))
        top = int(np.argmax(sizes))
        edges = register.edges_at(DAY.toordinal())
        owned = np.zeros(len(parents), dtype=bool)
        owned[edges.dst] = True
        holds = np.zeros(len(parents), dtype=bool)
        holds[edges.src] = True
        below = (parents >= 0) & (parents != np.arange(len(parents)))

        def pick(members: np.ndarray) -> int | None:
            for wanted in (members & owned & holds, members & owned, members):
                found = np.flatnonzero(wanted)
                if found.size:
                    return int(found[0])
            return None

        small_tops = np.flatnonzero((sizes >= 2) & (sizes <= 5))
        small = pick(below & np.isin(parents, small_tops)) if small_tops.size else None
        largest = pick(below & (parents == top))
        entities = {"top": top, "largest": largest, "small": small}
        focus: dict[str, Any] = {"top_size": int(sizes[top])}
        for role, position in entities.items():
            if position is None:
                continue
            iri = register.entity(position)
            focus[role] = iri
            focus[role + "_label"] = _label(store, iri)
        if small is not None:
            focus["small_size"] = int(sizes[parents[small]])
        return focus

    def sample_calls(self, register: Any, count: int = 1000) -> list[tuple[str, int]]:
        """Entities that have owners, each with a day inside one of its stakes."""
        rng = np.random.default_rng(self.options.seed)
        if register.rows == 0:
            return []
        rows = rng.choice(register.rows, size=min(count, register.rows), replace=False)
        lowest, highest = _dt.date(1990, 1, 1).toordinal(), _dt.date(2025, 12, 31).toordinal()
        calls = []
        for r in rows.tolist():
            first = max(int(register.start[r]), lowest)
            last = min(int(register.end[r]), highest + 1)
            day = int(rng.integers(first, max(first + 1, last)))
            calls.append((register.entity(int(register.owned[r])), day))
        return calls

    def reopen(self, n: int, store_path: Path) -> Figure:
        from groupkg.graph import OxigraphStore, Register

        self.say(n, "reopening")
        whole, opening = [], []
        for _ in range(2 * self.repeat + 1):
            start = time.perf_counter()
            store = OxigraphStore(store_path, read_only=True)
            opened = time.perf_counter()
            Register.from_store(store)
            whole.append(time.perf_counter() - start)
            opening.append(opened - start)
            store.close()
        return Figure(
            "reopen",
            "reopen: store + register (memory-mapped cache)",
            statistics.median(whole),
            f"median of {len(whole)}; store open {format_seconds(statistics.median(opening))}",
        )

    def owners(self, n: int, register: Any, store: Any, calls: list, rdflib_peer: Any) -> Figure:
        from benchmarks.peers import OwnersDict, OwnersIntervals
        from groupkg.graph.store import named_query

        self.say(n, "owners at a date")
        # First touch: each entity's pages of the memory-mapped register read from
        # the page cache. Hot: the same calls again, as a service answering them would.
        first = spread(latencies(register.owners_at, calls, warm=0))
        found = spread(latencies(register.owners_at, calls, warm=len(calls)))
        figure = Figure(
            "owners",
            "owners at a date (hot, in-process)",
            found["median"],
            f"median of {found['n']}; p90 {format_seconds(found['p90'])}; "
            f"first call for each entity {format_seconds(first['median'])}",
            extra={"p90": found["p90"]},
        )
        iso = [(e, _dt.date.fromordinal(d).isoformat()) for e, d in calls]
        text = named_query("owners-at")

        def oxigraph(entity: str, day: str) -> list:
            return store.select(text.replace("$entity", f"<{entity}>").replace("$date", f'"{day}"'))

        sparql = spread(latencies(oxigraph, iso[:200], warm=3, budget=self.options.peer_budget))
        figure.others.append(
            Other(
                "oxigraph SPARQL owners-at.rq (same store)",
                sparql["median"],
                f"median of {sparql['n']}",
            )
        )
        if rdflib_peer is not None:
            for name, fn in (
                ("rdflib string SPARQL (owners-at.rq)", rdflib_peer.string),
                ("rdflib prepared query (prepareQuery)", rdflib_peer.prepared_query),
            ):
                got = spread(latencies(fn, iso[:100], warm=2, budget=self.options.peer_budget))
                figure.others.append(
                    Other(
                        name,
                        got["median"],
                        f"median of {got['n']}; p90 {format_seconds(got['p90'])}",
                    )
                )
            figure.extra["rdflib"] = figure.others[-2].seconds
        for name, index in (
            ("plain dict of lists", OwnersDict(register)),
            ("interval index (bisect)", OwnersIntervals(register)),
        ):
            got = spread(latencies(index.owners_at, calls, warm=len(calls)))
            figure.others.append(Other(name, got["median"], f"median of {got['n']}", limit=True))
        return figure

    def paths(self, n: int, register: Any, store: Any, calls: list) -> Figure:
        from groupkg.graph import Group

        self.say(n, "paths at a date")
        found = spread(latencies(register.paths_at, calls[:300], warm=10))
        figure = Figure(
            "paths",
            "paths at a date (ultimate parent + consolidation paths)",
            found["median"],
            f"median of {found['n']}; p90 {format_seconds(found['p90'])}",
        )

        def library(entity: str, day: int) -> Any:
            return Group.around(store, [entity]).paths(entity, _dt.date.fromordinal(day))

        got = spread(latencies(library, calls[:30], warm=1, budget=self.options.peer_budget))
        figure.others.append(
            Other(
                "Group.around(store).paths (what the CLI runs)",
                got["median"],
                f"median of {got['n']}",
            )
        )
        return figure

    def parents(self, n: int, register: Any) -> tuple[np.ndarray, Figure]:
        from benchmarks.peers import majority_parents

        self.say(n, "ultimate parents of everyone")
        day = DAY.toordinal()
        register._day_edges.clear()
        cold, parents = timed(register.ultimate_parents_at, day)
        hot = min(timed(register.ultimate_parents_at, day)[0] for _ in range(2 * self.repeat - 1))
        figure = Figure(
            "parents",
            "ultimate parents of all entities at a date",
            hot,
            f"best of {2 * self.repeat - 1}, the day's stakes read; "
            f"{format_seconds(cold)} reading them first",
            extra={"cold": cold},
        )
        if n <= self.options.nx_max:
            from groupkg.graph.analytics.parents import ultimate_parents

            build, graph = timed(register.networkx_at, day, False)
            compute, _ = timed(ultimate_parents, graph)
            figure.others.append(
                Other(
                    "networkx graph + parents.ultimate_parents",
                    build + compute,
                    f"graph build {format_seconds(build)}, compute {format_seconds(compute)}",
                )
            )
            del graph
        limit = min(timed(majority_parents, register, day)[0] for _ in range(self.repeat))
        figure.others.append(
            Other(
                "numpy: largest holder > 50% + pointer jumping (inexact)",
                limit,
                f"best of {self.repeat}",
                limit=True,
            )
        )
        return parents, figure

    def rule_sets(
        self, n: int, register: Any, store: Any, parents: np.ndarray, single: Figure
    ) -> Figure | None:
        """All rule sets for every top parent (:mod:`benchmarks.rules`), up to
        ``--rules-max`` entities, beside the single rule of ``parents``."""
        if n > self.options.rules_max:
            self.note(
                f"The rule sets were measured up to {self.options.rules_max:,} entities "
                "(--rules-max): they are answered one entity at a time, in Python."
            )
            return None
        from benchmarks.rules import rule_sets_figure

        self.say(n, "all rule sets for every top parent")
        return rule_sets_figure(register, store, parents, DAY, single.seconds or 0.0)

    def effective(self, n: int, register: Any, parents: np.ndarray) -> Figure:
        from benchmarks.peers import one_solve, path_products
        from groupkg.graph import effective_ownership_from

        self.say(n, "effective stakes of every top parent")
        day = DAY.toordinal()
        seconds, stakes = timed(register.effective_from_top_parents, day)
        tops = stakes.tops
        figure = Figure(
            "effective",
            "effective stakes of all top parents at a date",
            seconds,
            f"{tops.size:,} top parents, {stakes.high.nnz:,} stakes; one sparse solve per bound",
        )
        rng = np.random.default_rng(self.options.seed)
        held = np.diff(stakes.high.indptr)
        # A stratified sample: the ten top parents holding the most, timed all, and random
        # others standing for the rest; the estimate for all adds the two strata.
        biggest = np.argsort(-held)[:10].tolist()
        others = [r for r in np.argsort(rng.random(tops.size)).tolist() if r not in biggest][:40]
        if biggest:
            graph = _reachable_graph(register, day, [int(tops[r]) for r in biggest + others])

            def estimate(fn: Callable[[int], Any]) -> tuple[float, int]:
                times = {r: timed(fn, int(tops[r]))[0] for r in biggest + others}
                rest = statistics.fmean(times[r] for r in others) if others else 0.0
                total = sum(times[r] for r in biggest) + rest * (tops.size - len(biggest))
                return total, len(times)

            capped = [0]

            def paths_of(top: int) -> None:
                capped[0] += path_products(graph, top, self.options.path_cap)[1]

            total, sampled = estimate(paths_of)
            figure.others.append(
                Other(
                    "networkx all_simple_paths, path products",
                    total,
                    f"the 10 largest top parents and {sampled - len(biggest)} random others "
                    f"timed, scaled to all; {capped[0]} stopped at {self.options.path_cap:g} s "
                    "(a lower bound; path sums also miss the walks round cycles)",
                )
            )
            total, _ = estimate(lambda top: effective_ownership_from(graph, top))
            figure.others.append(
                Other(
                    "groupkg.graph.analytics.effective, one owner at a time",
                    total,
                    "same sample, scaled to all",
                )
            )
        figure.others.append(
            Other(
                "scipy: one LU factorisation of I - Aᵀ + one solve",
                one_solve(register, day),
                "high bound",
                limit=True,
            )
        )
        return figure

    def render(self, n: int, register: Any, store: Any, parents: np.ndarray) -> list[Figure]:
        """The largest group rendered, then its page in Chromium (:mod:`benchmarks.pictures`)."""
        from benchmarks.pictures import picture_figures
        from groupkg.graph import Group
        from groupkg.viz import view_at, write_html

        self.say(n, "rendering the largest group")
        present = parents[parents >= 0]
        if present.size == 0:
            return []
        counts = np.bincount(present)
        top = int(np.argmax(counts))
        root = register.entity(top)
        loading, group = timed(Group.around, store, [root])
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "group.html"

            def draw() -> int:
                view = view_at(group, DAY, root=root)
                write_html(view, page)
                return len(view.nodes)

            seconds, nodes = timed(draw)
            self.say(n, "the largest group's page in Chromium")
            pictures = picture_figures(page, nodes)
        return [
            Figure(
                "render",
                f"render the largest group ({nodes:,} nodes, "
                f"{int(counts[top]):,} entities under its top parent)",
                seconds,
                f"view_at + write_html; reading its neighbourhood first took "
                f"{format_seconds(loading)}",
                extra={"nodes": nodes, "loading": loading},
            ),
            *pictures,
        ]

    def cold_cli(self, n: int, store_path: Path, focus: dict[str, Any]) -> list[Figure]:
        """``groupkg owners|holdings|paths|entity NAME`` in a new process each, as a user
        types them (by exact label): an entity of a small group, then of the largest."""
        self.say(n, STEPS[4] + ": owners, holdings, paths, entity")
        figures = []
        groups = [
            ("small", 0.6, f"a small group ({focus.get('small_size', 0):,} entities)"),
            ("largest", 1.0, f"the largest group ({focus['top_size']:,} entities)"),
        ]
        for group, target, words in groups:
            if not focus.get(group):
                continue
            for command in ("owners", "holdings", "paths", "entity"):
                seconds, detail = self.cold(
                    [command, focus[group + "_label"], "--store", f"oxigraph:{store_path}",
                     "--at", DAY.isoformat(), "--json"]
                )  # fmt: skip
                figures.append(
                    Figure(
                        f"cli-{command}-{group}",
                        f"cold `groupkg {command} NAME --store oxigraph:PATH` (new process), "
                        f"an entity of {words}",
                        seconds,
                        detail,
                        target=target,
                    )
                )
        owners = next((f for f in figures if f.key == "cli-owners-small"), None)
        if owners is None:
            return figures

        def floor(code: str) -> float:
            start = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=120)
            return time.perf_counter() - start

        owners.others.append(
            Other(
                "python -c 'import groupkg.graph.cli'",
                statistics.median(floor("import groupkg.graph.cli") for _ in range(self.repeat)),
                "the imports alone",
                limit=True,
            )
        )
        if not self.options.quick:
            owners.others.append(
                Other(
                    "python -c 'import groupkg.graph.group'",
                    statistics.median(floor("import groupkg.graph.group") for _ in range(3)),
                    "what `owners` imports to answer (numpy, networkx, rdflib)",
                    limit=True,
                )
            )
            owners.others.append(
                Other(
                    "python -c pass",
                    statistics.median(floor("pass") for _ in range(3)),
                    "the interpreter alone",
                    limit=True,
                )
            )
        return figures

    def group_cli(self, n: int, store_path: Path, focus: dict[str, Any]) -> list[Figure]:
        """``groupkg effective TOP MEMBER``, ``groupkg perimeter TOP`` and ``groupkg render
        --root TOP -o FILE`` from the largest group's top parent, each in a new process."""
        self.say(n, STEPS[4] + ": effective, perimeter, render --root")
        store = ["--store", f"oxigraph:{store_path}", "--at", DAY.isoformat()]
        top = focus["top_label"]
        words = f"the largest group's top parent ({focus['top_size']:,} entities)"
        figures = []
        if focus.get("largest"):
            seconds, detail = self.cold(
                ["effective", top, focus["largest_label"], *store, "--json"]
            )
            figures.append(
                Figure(
                    "cli-effective",
                    f"cold `groupkg effective TOP NAME` (new process), from {words}",
                    seconds,
                    detail,
                    target=1.5,
                )
            )
        seconds, detail = self.cold(["perimeter", top, *store, "--json"])
        figures.append(
            Figure(
                "cli-perimeter",
                f"cold `groupkg perimeter TOP` (new process), {words}",
                seconds,
                detail,
                target=1.5,
            )
        )
        with tempfile.TemporaryDirectory() as folder:
            page = Path(folder) / "group.html"
            seconds, detail = self.cold(["render", "--root", top, *store, "-o", str(page)])
            if seconds is not None and not (page.is_file() and page.stat().st_size):
                seconds, detail = None, "failed: no HTML file written"
            elif seconds is not None:
                detail += f"; {page.stat().st_size / 2**20:.1f} MB of HTML"
        figures.append(
            Figure(
                "cli-render",
                f"cold `groupkg render --root TOP -o FILE` (new process, end to end), {words}",
                seconds,
                detail,
                target=3.0,
            )
        )
        return figures

    def cold(self, args: list[str]) -> tuple[float | None, str]:
        """The median seconds of ``groupkg ARGS`` in a new process (``--repeat`` times),
        and a detail; None and "failed: ..." when it fails (exit code 1, nothing to
        show, is an answer)."""
        times, empty = [], False
        for _ in range(self.repeat):
            child = run_command([*CLI, *args], self.options.timeout, ok=(0, 1))
            if child.error:
                return None, f"failed: {child.error}"
            times.append(child.seconds)
            empty = child.code == 1
        detail = f"median of {len(times)}" if len(times) > 1 else "one call"
        return statistics.median(times), detail + ("; nothing to show (exit 1)" if empty else "")


def _seconds(child: Child) -> float | None:
    return None if child.error else child.seconds


def _failure(child: Child) -> str:
    return f"; failed: {child.error}" if child.error else ""


def _label(store: Any, iri: str) -> str:
    """The exact label a user types for ``iri``."""
    rows = store.select(
        f"SELECT ?label WHERE {{ <{iri}> <http://www.w3.org/2000/01/rdf-schema#label> "
        "?label } ORDER BY ?label LIMIT 1"
    )
    if rows:
        return str(rows[0]["label"])
    return "Synthetic entity " + iri.rsplit("/e", 1)[-1]


def _first_label(source: Path) -> str:
    """The first entity's label in a synthetic register (for the first question after
    an import, before any index of the store exists)."""
    marker = b'rdf-schema#label> "'
    with source.open("rb") as stream:
        for line in stream:
            at = line.find(marker)
            if at >= 0:
                text = line[at + len(marker) :].rsplit(b'"', 1)[0]
                return str(json.loads(b'"' + text + b'"'))
    return "Synthetic entity 0"


def _reachable_graph(register: Any, day: int, owners: list[int]) -> Any:
    """The networkx graph of the stakes of ``day`` reachable from ``owners``."""
    edges = register.edges_at(day)
    order = np.argsort(edges.src, kind="stable")
    src = edges.src[order]
    seen = np.zeros(len(register), dtype=bool)
    seen[owners] = True
    frontier = np.array(owners, dtype=np.int64)
    while frontier.size:
        first = np.searchsorted(src, frontier, side="left")
        last = np.searchsorted(src, frontier, side="right")
        spans = zip(first.tolist(), last.tolist(), strict=True)
        picks = np.concatenate([order[a:b] for a, b in spans] or [np.zeros(0, dtype=np.int64)])
        reached = edges.dst[picks.astype(np.int64)]
        reached = np.unique(reached[~seen[reached]])
        seen[reached] = True
        frontier = reached
    # Every holder of a reached entity too: the caps of upper bounds need them.
    holders = np.zeros(len(register), dtype=bool)
    holders[edges.src[seen[edges.dst]]] = True
    return register.networkx_at(day, True, seen | holders)


# -- verdicts --------------------------------------------------------------------------------


def verdicts(
    runs: list[tuple[int, int, list[Figure]]], previous: Previous | None = None
) -> list[tuple[str, str, str, str]]:
    """Each target of the issue, judged on the largest size measured, beside the
    previous run's figure at that size."""
    if not runs:
        return []
    before = previous or Previous()
    size, _, figures = runs[-1]
    by_key = {f.key: f for f in figures}
    at = f"at {size:,} entities"
    found: list[tuple[str, str, str, str]] = []

    def was(*keys: str) -> str:
        return "; ".join(before.text(k, size) for k in keys)

    def judge(key: str, measured: str, ok: bool, missed: str, previous: str = "—") -> None:
        verdict = "met" if ok else f"missed: {missed}"
        if size < 1_000_000:
            verdict += f" ({at}; the target is for 1M)"
        found.append((TARGETS[key], measured, previous, verdict))

    def seconds(key: str) -> float:
        f = by_key.get(key)
        return f.seconds if f is not None and f.seconds is not None else math.nan

    def failed(key: str) -> str:
        f = by_key.get(key)
        if f is None:
            return "not measured"
        return f.detail if f.seconds is None else ""

    load = seconds("load")
    peak = by_key["load"].extra.get("peak", 0) / 2**30 if "load" in by_key else math.nan
    if math.isnan(load):
        reason = failed("load") or "not measured"
        verdict = "missed: the import failed" if "failed" in reason else "not judged"
        found.append((TARGETS["load"], reason, was("load"), verdict))
    else:
        judge(
            "load",
            f"{format_seconds(load)}, peak {peak:.2f} GB",
            load <= 45 and peak <= 2,
            f"{load / 45:.1f}x the time, peak {peak:.2f} GB. {_load_reason(runs)}",
            was("load"),
        )
    reopen = seconds("reopen")
    judge("reopen", format_seconds(reopen), reopen <= 0.1, f"{reopen / 0.1:.1f}x", was("reopen"))
    owners = seconds("owners")
    rdflib = _rdflib_ratio(runs)
    judge(
        "owners",
        f"{format_seconds(owners)} median; vs rdflib string SPARQL: {rdflib}",
        owners <= 2e-5 and _rdflib_ok(runs),
        f"{owners / 2e-5:.1f}x the time",
        was("owners"),
    )
    parents = seconds("parents")
    judge(
        "parents",
        format_seconds(parents),
        parents <= 0.1,
        f"{parents / 0.1:.1f}x: numpy passes over every entity and stake of the day",
        was("parents"),
    )
    effective = seconds("effective")
    judge(
        "effective",
        format_seconds(effective) + "; equal to groupkg.graph.analytics.effective in the tests",
        effective <= 5,
        f"{effective / 5:.1f}x",
        was("effective"),
    )
    cli = seconds("cli-owners-small")
    judge(
        "cli",
        format_seconds(cli) + " (`owners`, an entity of a small group)",
        cli <= 1,
        failed("cli-owners-small")
        or f"{cli:.2f} s: the command imports what it answers with (numpy, networkx, "
        f"rdflib: {format_seconds(_other(by_key.get('cli-owners-small'), 'groupkg.graph.group'))})"
        " before its first query",
        was("cli-owners-small"),
    )
    commands = ("owners", "holdings", "paths", "entity")
    for group, limit in (("largest", 1.0), ("small", 0.6)):
        keys = [f"cli-{c}-{group}" for c in commands]
        times = [seconds(k) for k in keys]
        pairs = list(zip(commands, times, strict=True))
        measured = ", ".join(f"{c} {format_seconds(t)}" for c, t in pairs)
        slow = [
            f"{c} {failed(k) or format_seconds(t)}"
            for c, k, t in zip(commands, keys, times, strict=True)
            if not t <= limit
        ]
        judge(
            f"cli-{group}",
            measured,
            not slow,
            "; ".join(slow),
            ", ".join(f"{c} {before.text(k, size)}" for c, k in zip(commands, keys, strict=True)),
        )
    for key, limit in (("cli-effective", 1.5), ("cli-perimeter", 1.5), ("cli-render", 3.0)):
        value = seconds(key)
        judge(
            key,
            format_seconds(value),
            value <= limit,
            failed(key) or f"{value / limit:.2f}x",
            was(key),
        )
    viewer = by_key.get("viewer")
    if viewer is not None or "serve" in by_key:
        value = seconds("viewer")
        hot = viewer.extra.get("hot") if viewer is not None else None
        judge(
            "viewer",
            f"{format_seconds(value)} first answer, {format_seconds(hot)} hot",
            value <= 1.0,
            failed("viewer") or f"{value:.2f}x",
            was("viewer"),
        )
    first = by_key.get("first-answer")
    if first is not None:
        value = seconds("first-answer")
        floor = _other(first, "bulk_load")
        ratio = value / floor if floor else math.nan
        judge(
            "first-answer",
            f"{format_seconds(value)} (import {format_seconds(seconds('load'))} + first "
            f"owners {format_seconds(seconds('first-owners'))}) = {ratio:.1f}x the bulk "
            f"loader alone ({format_seconds(floor)})",
            ratio <= 2.0,
            failed("first-answer") or f"{ratio:.1f}x the bulk loader, not 2x",
            f"{before.text('first-answer', size)} (import {before.text('load', size)} + "
            f"first owners {before.text('first-owners', size)}; bulk loader "
            f"{before.text('load-floor', size)})",
        )
    else:
        found.append(
            (
                TARGETS["first-answer"],
                "not measured: the store of an earlier run was reused (--reuse)",
                before.text("first-answer", size),
                "not judged",
            )
        )
    served = [f for _, _, fs in runs for f in fs if f.key in ("serve", "serve-iij")]
    if served:
        worst = max((f for f in served if f.seconds is not None),
                    key=lambda f: f.seconds or 0.0, default=None)  # fmt: skip
        measured = "; ".join(
            (f"{format_seconds(f.seconds)} median, p90 {format_seconds(f.extra.get('p90'))} "
             if f.seconds is not None else f"{f.detail} ")
            + (f"({f.extra['size']:,}-entity register, oxigraph:PATH)" if f.extra.get("size")
               else "(IIJ data)" if f.key == "serve-iij" else "(oxigraph:PATH)")
            for f in served
        )  # fmt: skip
        ok = (
            worst is not None
            and all(f.seconds is not None for f in served)
            and (worst.seconds or math.inf) <= 5e-3
        )
        missing = [f.detail for f in served if f.seconds is None]
        slowest = f"{format_seconds(worst.seconds if worst else None)} median at worst"
        verdict = "met" if ok else "missed: " + ("; ".join(missing) if missing else slowest)
        found.append((TARGETS["serve"], measured, was("serve"), verdict))
    render = by_key.get("render")
    if render is not None:
        nodes = render.extra.get("nodes", 0)
        judge(
            "render",
            f"{format_seconds(render.seconds)} for {nodes:,} entities",
            (render.seconds or math.inf) <= 5,
            f"{(render.seconds or 0) / 5:.1f}x",
            was("render"),
        )
    pictures = [by_key.get(k) for k in ("picture-first", "picture-expand", "picture-search")]
    if pictures[0] is not None:
        shown = [f for f in pictures if f is not None]
        judge(
            "picture",
            ", ".join(f"{format_seconds(f.seconds)}" for f in shown) + f" ({pictures[0].detail})",
            all((f.seconds or math.inf) <= (f.target or 0) for f in shown),
            "over: " + ", ".join(f.key for f in shown if (f.seconds or math.inf) > (f.target or 0)),
            was(*(f.key for f in shown)),
        )
    return found


def _other(figure: Figure | None, word: str) -> float | None:
    if figure is None:
        return None
    return next((o.seconds for o in figure.others if word in o.name), None)


def _load_reason(runs: list[tuple[int, int, list[Figure]]]) -> str:
    """Why a load took what it took: the bulk loader's own time beside it."""
    size, triples, figures = runs[-1]
    load = next((f for f in figures if f.key == "load"), None)
    if load is None or not load.seconds:
        return ""
    rate = triples / load.seconds
    text = (
        f"{triples:,} triples at {rate:,.0f} triples/s; about 8M triples would take "
        f"{8e6 / rate:.0f} s."
    )
    floor = _other(load, "bulk_load")
    if floor:
        text += (
            f" pyoxigraph's bulk loader alone, one call into the default graph, took "
            f"{format_seconds(floor)} ({triples / floor:,.0f} triples/s): the floor on this "
            "machine, one core sorting most of the time. groupkg loads into a staging "
            "named graph (six indexes to build where the default graph has three) so that "
            "an import is all or nothing; that is the rest."
        )
    return text


def _rdflib_pairs(runs: list[tuple[int, int, list[Figure]]]) -> list[tuple[int, float]]:
    pairs = []
    for size, _, figures in runs:
        for f in figures:
            if f.key == "owners" and f.extra.get("rdflib") and f.seconds:
                pairs.append((size, f.extra["rdflib"] / f.seconds))
    return pairs


def _rdflib_ratio(runs: list[tuple[int, int, list[Figure]]]) -> str:
    pairs = _rdflib_pairs(runs)
    if not pairs:
        return "not measured"
    size, ratio = pairs[-1]
    return f"{ratio:,.0f}x faster (rdflib measured at {size:,})"


def _rdflib_ok(runs: list[tuple[int, int, list[Figure]]]) -> bool:
    pairs = _rdflib_pairs(runs)
    return bool(pairs) and pairs[-1][1] >= 500


# -- the command ---------------------------------------------------------------------------------


def options(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.run", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--sizes", default="10k,100k", help="comma-separated: 2000, 10k, 1M")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", default=str(Path(tempfile.gettempdir()) / "groupkg-bench"))
    parser.add_argument("--results", default=str(RESULTS), help="where to write RESULTS.md")
    parser.add_argument(
        "--rdflib-max",
        type=parse_size,
        default=100_000,
        help="largest size the rdflib peer is measured at",
    )
    parser.add_argument(
        "--nx-max",
        type=parse_size,
        default=1_000_000,
        help="largest size networkx builds the whole graph at",
    )
    parser.add_argument(
        "--sparql-max",
        type=parse_size,
        default=1_000_000,
        help="largest size the register is built from the store's SPARQL",
    )
    parser.add_argument(
        "--peer-budget",
        type=float,
        default=30.0,
        help="seconds a slow peer may spend on one latency figure",
    )
    parser.add_argument(
        "--path-cap",
        type=float,
        default=2.0,
        help="seconds networkx may enumerate paths for one top parent",
    )
    parser.add_argument(
        "--serve-max",
        type=parse_size,
        default=1_000_000,
        help="largest size groupkg serve (viewer and hot API answers) is measured at",
    )
    parser.add_argument(
        "--serve-start",
        type=float,
        default=900.0,
        help="seconds groupkg serve may take to answer its first request",
    )
    parser.add_argument(
        "--serve-budget",
        type=float,
        default=120.0,
        help="seconds the hot API answers of one server may take (fewer requests then)",
    )
    parser.add_argument(
        "--previous",
        default=None,
        help="the figures to show beside this run's (default: results.json beside "
        "--results, else benchmarks/previous.json)",
    )
    parser.add_argument(
        "--rules-max",
        type=int,
        default=1_000_000,
        help="largest size at which all rule sets are answered for every top parent",
    )
    parser.add_argument("--timeout", type=float, default=3600.0, help="per child process")
    parser.add_argument("--reuse", action="store_true", help="reuse stores of an earlier run")
    parser.add_argument("--quiet", action="store_true", help="no progress lines")
    parser.add_argument(
        "--quick", action="store_true", help="fewer repetitions and samples (the smoke test)"
    )
    return parser.parse_args(argv)


def previous_path(given: argparse.Namespace) -> Path:
    """The figures to compare with: ``--previous``, else the ``results.json`` an earlier
    run wrote beside ``--results``, else the hand-made ``benchmarks/previous.json``."""
    if given.previous:
        return Path(given.previous)
    written = Path(given.results).with_name("results.json")
    return written if written.is_file() else SEED


def plan(sizes: list[int], previous: Previous, given: argparse.Namespace) -> list[str]:
    """What the run will do and, from the previous run's time for each size (scaled
    linearly from the nearest size it measured), roughly how long it will take."""
    lines = [
        f"python -m benchmarks.run: sizes {', '.join(f'{n:,}' for n in sizes)}; "
        f"work folder {given.workdir}; previous figures: {previous.describe()}",
        "each size: " + "; ".join(STEPS),
    ]
    known = {n: previous.elapsed(n) for n in sizes}
    measured = {
        int(k): float(v)
        for k, v in previous.data.get("elapsed", {}).items()
        if isinstance(v, (int, float))
    }
    total, guessed = 0.0, []
    for n in sizes:
        seconds = known[n]
        if seconds is None and measured:
            nearest = min(measured, key=lambda m: abs(math.log(m / n)))
            seconds = measured[nearest] * n / nearest
            guessed.append(f"{n:,} from {nearest:,}")
        if seconds is None:
            return lines + [_lower_bound(sizes, previous, given)]
        total += seconds
    note = f" (scaled: {', '.join(guessed)})" if guessed else ""
    lines.append(
        f"estimate from the previous run's time: about {total / 60:.0f} min{note}; "
        "each step prints a line with the time since the start"
    )
    return lines


def _lower_bound(sizes: list[int], previous: Previous, given: argparse.Namespace) -> str:
    """Without the previous run's time: at least the previous figures of the steps that
    run once, and of the cold commands run ``repeat`` times."""
    once = ("load", "load-floor", "first-owners", "register-store", "register-file")
    repeat = 1 if given.quick else 3
    total, missing = 0.0, []
    for n in sizes:
        found = [previous.seconds(k, n) for k in once]
        cold = [previous.seconds(k, n) for k in previous.figures if k.startswith("cli-")]
        if not any(v is not None for v in found):
            missing.append(f"{n:,}")
        total += sum(v for v in found if v) + repeat * sum(v for v in cold if v)
    if missing and len(missing) == len(sizes):
        return (
            "no estimate of the time: the previous figures hold no run time; each step "
            "prints a line with the time since the start"
        )
    unknown = f" (nothing known of {', '.join(missing)})" if missing else ""
    return (
        f"estimate: more than {total / 60:.0f} min, the previous run's figures of the "
        f"imports, index builds and cold commands alone{unknown}; each step prints a "
        "line with the time since the start"
    )


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    given = options(argv)
    sizes = [parse_size(s) for s in given.sizes.split(",") if s.strip()]
    previous = Previous.read(previous_path(given))
    bench = Bench(given)
    if bench.show:
        for line in plan(sizes, previous, given):
            print(line, file=sys.stderr, flush=True)
    runs = []
    elapsed: dict[int, float] = {}
    with LoadSampler() as load:
        for size in sizes:
            began = time.monotonic()
            triples, figures = bench.size(size)
            elapsed[size] = time.monotonic() - began
            runs.append((size, triples, figures))
            out(table(size, triples, figures, previous))
            out("")
    found = verdicts(runs, previous)
    out("== targets ==")
    for goal, measured, before, verdict in found:
        out(f"{goal}: {measured} (previous: {before}) -> {verdict}")
    command = "python -m benchmarks.run " + " ".join(argv if argv is not None else sys.argv[1:])
    when = _dt.datetime.now()
    about = machine()
    text = results_markdown(
        about, command.strip(), load.summary(), runs, found, bench.notes, previous, when
    )
    written = Path(given.results)
    # A hand-written analysis at the end of the file outlives the figures it discusses.
    if written.is_file():
        old = written.read_text(encoding="utf-8")
        if ANALYSIS in old:
            text += "\n" + old[old.index(ANALYSIS) :]
    kept = results_json(about, command.strip(), runs, elapsed, when, previous)
    data = written.with_name("results.json")
    data.parent.mkdir(parents=True, exist_ok=True)
    data.write_text(json.dumps(kept, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    written.write_text(text, encoding="utf-8")
    out(f"wrote {given.results} and {data}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
