"""The cost of knowledge time: ``python -m benchmarks.knowledge --sizes 10k,100k``.

For each size: a synthetic register (``groupkg synth``) whose holdings are given a
knowledge time each (``gk:knownFrom``, spread over 2000-2019, so that as known on
2010-06-30 about half of them are visible), imported into ``oxigraph:PATH``; then the
same question, ``owners`` of sampled entities at a date, asked of the store's time model
without ``--known-at`` and as known on 2010-06-30 (the model of that day, built once and
cached beside the store): the build of each model, the median hot answer, and their
ratio (the issue's target: within 2x). The machine's load average is printed with it.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import latencies, timed
from benchmarks.run import parse_size

__all__ = ["knowledge_figures", "main"]

GK = "https://w3id.org/groupkg/ontology#"
HOLDING = f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{GK}Holding> ."
KNOWN_AT = _dt.date(2010, 6, 30)
DAY = _dt.date(2020, 6, 30)


def _with_knowledge_time(source: Path, target: Path) -> None:
    """``source`` with a ``gk:knownFrom`` on every holding, 2000-01-01 to 2019-12-31."""
    days = (_dt.date(2019, 12, 31) - _dt.date(2000, 1, 1)).days
    rng = random.Random(0)
    with source.open(encoding="utf-8") as read, target.open("w", encoding="utf-8") as out:
        for line in read:
            out.write(line)
            if line.rstrip().endswith(HOLDING):
                known = _dt.date(2000, 1, 1) + _dt.timedelta(days=rng.randrange(days))
                subject = line.split(" ", 1)[0]
                out.write(f'{subject} <{GK}knownFrom> "{known.isoformat()}"'
                          '^^<http://www.w3.org/2001/XMLSchema#date> .\n')  # fmt: skip


def _groupkg(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "groupkg.graph.cli", *args], check=True,
                   stdout=subprocess.DEVNULL)  # fmt: skip


def knowledge_figures(n: int, folder: Path) -> dict[str, float]:
    """Build times and median hot ``owners`` answers, without and with a known day."""
    from groupkg.graph.group import Group
    from groupkg.graph.store import open_store

    plain, stamped, path = folder / f"s{n}.nt", folder / f"k{n}.nt", folder / f"store{n}"
    _groupkg("synth", "-n", str(n), "-o", str(plain), "-q")
    _with_knowledge_time(plain, stamped)
    _groupkg("--store", f"oxigraph:{path}", "--no-default-data", "import", "--quiet",
             str(stamped))  # fmt: skip
    store = open_store(f"oxigraph:{path}")
    built = {}
    groups = {}
    for label, known_at in (("everything", None), ("known_at", KNOWN_AT)):
        built[label], groups[label] = timed(Group.whole, store, known_at=known_at)
    every = groups["everything"]
    entities = sorted({s.owned for s in every.snapshot(DAY).stakes})
    calls = [(e,) for e in random.Random(1).sample(entities, min(200, len(entities)))]
    hot = {
        label: statistics.median(latencies(lambda e, g=group: g.owners(e, DAY), calls))
        for label, group in groups.items()
    }
    return {
        "build_everything": built["everything"],
        "build_known_at": built["known_at"],
        "owners_everything": hot["everything"],
        "owners_known_at": hot["known_at"],
        "ratio": hot["known_at"] / hot["everything"],
    }


def main(argv: list[str] | None = None) -> None:
    """Print a RESULTS.md line per size."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10k,100k")
    given = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="groupkg-known-") as work:
        for n in [parse_size(s) for s in given.sizes.split(",")]:
            f = knowledge_figures(n, Path(work))
            load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
            print(
                f"| {n:,} entities | owners at {DAY}: {f['owners_everything'] * 1e3:.2f} ms"
                f" without --known-at, {f['owners_known_at'] * 1e3:.2f} ms as known on"
                f" {KNOWN_AT} ({f['ratio']:.2f}x; target <= 2x) | model built in"
                f" {f['build_everything']:.2f} s / {f['build_known_at']:.2f} s |"
                f" load average {load} |"
            )


if __name__ == "__main__":
    main()
