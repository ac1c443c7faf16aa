"""Virtuoso beside oxigraph:PATH: ``python -m benchmarks.virtuoso --sizes 10k,100k``.

For each size, in one run: the synthetic register (the file :mod:`benchmarks.run`
writes and caches) imported by ``groupkg import`` into ``oxigraph:PATH`` and into a
throwaway Virtuoso (Debian's ``virtuoso-t``, started on 127.0.0.1 with its database in
the work folder, as the tests start it, with a page cache of ``--buffers`` pages), each
in a new process; then cold ``groupkg owners|holdings|paths|entity NAME`` calls on each
store, about an entity of a small group and of the largest group (the entities
:mod:`benchmarks.run` asks about). Prints a Markdown table and the load average while
it ran.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path
from typing import Any

from benchmarks.measure import LoadSampler, run_command
from benchmarks.report import format_seconds
from benchmarks.run import CLI, DAY, Bench, options, parse_size

__all__ = ["main", "measure"]

COMMANDS = ("owners", "holdings", "paths", "entity")
GRAPH = "urn:groupkg:bench"
# Virtuoso's page cache (NumberOfBuffers, 8 KiB pages) for a machine of 24 GiB that
# also runs groupkg: the sample virtuoso.ini's figure for 16 GB of free memory.
BUFFERS = 1_360_000


def _register(bench: Bench, n: int) -> Path:
    from groupkg.graph import write_synth

    source = bench.work / f"synth-{n}-{bench.options.seed}.nt"
    if not source.is_file():
        bench.say(n, "writing the synthetic register")
        write_synth(source, n, bench.options.seed)
    return source


def _focus(bench: Bench, store_path: Path) -> dict[str, Any]:
    from groupkg.graph import OxigraphStore, Register

    store = OxigraphStore(store_path, read_only=True)
    register = Register.from_store(store)
    parents = register.ultimate_parents_at(DAY.toordinal())
    try:
        return bench.choose(register, store, parents)
    finally:
        store.close()


def _imported(bench: Bench, source: Path, spec: str) -> str:
    child = run_command([*CLI, "import", str(source), "--store", spec, "--quiet"],
                        bench.options.timeout)  # fmt: skip
    if child.error:
        return f"failed: {child.error}"
    return f"{format_seconds(child.seconds)} (peak {child.peak_bytes / 2**30:.2f} GB)"


def measure(bench: Bench, n: int) -> list[tuple[str, str, str]]:
    """``(what, oxigraph:PATH, Virtuoso)`` rows of one size."""
    from tests.servers import start_virtuoso

    source = _register(bench, n)
    disk = bench.work / f"virtuoso-bench-oxigraph-{n}"
    shutil.rmtree(disk, ignore_errors=True)
    bench.say(n, "groupkg import into oxigraph:PATH")
    rows = [("load (`groupkg import`)", _imported(bench, source, f"oxigraph:{disk}"), "")]
    focus = _focus(bench, disk)
    # an import's last update adds everything it sent in one transaction: at 1M more
    # than Virtuoso's default 600 s of MaxQueryExecutionTime on a busy machine, and more
    # than its default 50 MB of TransactionAfterImageLimit
    server = start_virtuoso(bench.work / f"virtuoso-bench-{n}", max_rows=10_000_000,
                            buffers=bench.options.buffers, seconds=7200,
                            after_image=2_000_000_000)  # fmt: skip
    try:
        spec = server.store(GRAPH)
        # the bundled IIJ data too, as a new oxigraph:PATH store holds it
        init = run_command([*CLI, "init", "--store", spec], 600)
        assert not init.error, init.error
        bench.say(n, "groupkg import into Virtuoso")
        rows[0] = (rows[0][0], rows[0][1], _imported(bench, source, spec))
        groups = [
            ("small", f"a small group ({focus.get('small_size', 0):,} entities)"),
            ("largest", f"the largest group ({focus.get('top_size', 0):,} entities)"),
        ]
        for group, words in groups:
            if not focus.get(group):
                continue
            for command in COMMANDS:
                bench.say(n, f"cold groupkg {command}, {words}")
                answers = []
                for store in (f"oxigraph:{disk}", spec):
                    seconds, detail = bench.cold(
                        [command, focus[group + "_label"], "--store", store,
                         "--at", DAY.isoformat(), "--json"]
                    )  # fmt: skip
                    answers.append(detail if seconds is None else format_seconds(seconds))
                rows.append((f"cold `{command}`, an entity of {words}", *answers))
    finally:
        server.stop()
        shutil.rmtree(disk, ignore_errors=True)
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.virtuoso")
    parser.add_argument("--sizes", default="10k", help="comma-separated: 2000, 10k, 100k")
    parser.add_argument("--buffers", type=int, default=BUFFERS,
                        help="Virtuoso's NumberOfBuffers (8 KiB pages)")  # fmt: skip
    given, rest = parser.parse_known_args(argv)
    bench = Bench(options(rest))
    bench.options.buffers = given.buffers
    for n in [parse_size(s) for s in given.sizes.split(",")]:
        with LoadSampler() as load:
            rows = measure(bench, n)
        print(f"\n{n:,} entities (Virtuoso's NumberOfBuffers {given.buffers:,})\n")
        print("| | oxigraph:PATH | sparql:URL (Virtuoso 7.2.5) |\n| --- | --- | --- |")
        for row in rows:
            print("| " + " | ".join(row) + " |")
        seen = load.summary()
        print(f"\nLoad average (1-minute, every 5 s): min {seen['min']:.2f}, "
              f"mean {seen['mean']:.2f}, max {seen['max']:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
