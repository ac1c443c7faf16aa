"""GLEIF golden-copy import at register size: generated Level 1 (LEI-CDF) and Level 2
relationship-record (RR-CDF) files, CSV and XML
(:mod:`groupkg.graph.formats.synth.gleiffiles`), each imported by ``groupkg import``
into a new ``oxigraph:PATH`` store, Level 1 first, in a new process each: time,
processor time and peak memory of each import.

The golden copy holds about 2.5M Level 1 and 400,000 relationship records; issue 17's
size is 1M and 300,000. Part of each size's run of :mod:`benchmarks.run` up to
:data:`GLEIF_MAX` Level 1 records; alone: ``python -m benchmarks.gleifimport --sizes 100k,1M``
(a size is Level 1 records; relationship records are 30% of it).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import run_command
from benchmarks.report import Figure

__all__ = ["GLEIF_MAX", "RELATIONSHIP_SHARE", "gleif_imports"]

#: The most Level 1 records the harness measures (the full size takes many minutes).
GLEIF_MAX = 100_000
#: Relationship records per Level 1 record: 300,000 of 1M, as issue 17 asks.
RELATIONSHIP_SHARE = 0.3
CLI = [sys.executable, "-c", "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"]


def _files(folder: Path, entities: int, syntax: str) -> tuple[Path, Path]:
    from groupkg.graph.formats.synth.gleiffiles import write_gleif

    where = folder / f"gleif-{syntax}-{entities}"
    level1, level2 = where / f"lei.{syntax}", where / f"rr.{syntax}"
    if not (level1.is_file() and level2.is_file()):
        where.mkdir(parents=True, exist_ok=True)
        write_gleif(where, entities, round(entities * RELATIONSHIP_SHARE), seed=1, syntax=syntax)
    return level1, level2


def gleif_imports(entities: int, syntax: str, work: Path, timeout: float) -> list[Figure]:
    """The imports of generated Level 1 and relationship-record files of ``entities``
    Level 1 records into one new store, one figure a file."""
    store = work / f"store-gleif-{syntax}-{entities}"
    model = store.with_name(store.name + ".model")
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(model, ignore_errors=True)
    figures = []
    try:
        kinds = (("lei", "Level 1"), ("rr", "RR"))
        for path, (kind, what) in zip(_files(work, entities, syntax), kinds, strict=True):
            records = entities if kind == "lei" else round(entities * RELATIONSHIP_SHARE)
            command = [*CLI, "--store", f"oxigraph:{store}", "--no-default-data", "import"]
            child = run_command([*command, str(path)], timeout)
            seconds = None if child.error else child.seconds
            rate = f"{records / seconds:,.0f} records/s; " if seconds else ""
            figures.append(
                Figure(
                    f"gleif-import-{syntax}-{kind}",
                    f"GLEIF {what} {syntax.upper()}, {records:,} records"
                    f" ({path.stat().st_size / 2**20:,.0f} MB; `groupkg import`, new process)",
                    seconds,
                    f"{rate}{child.cpu_seconds:.1f} s of processor time;"
                    f" peak {child.peak_bytes / 2**30:.2f} GB"
                    + (f"; failed: {child.error}" if child.error else ""),
                    extra={"records": records, "peak": child.peak_bytes, "cpu": child.cpu_seconds},
                )
            )
    finally:
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(model, ignore_errors=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    from benchmarks.run import parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100k,1M", help="Level 1 records, comma-separated")
    parser.add_argument("--syntaxes", default="csv,xml", help="csv, xml or both")
    parser.add_argument("--timeout", type=float, default=7200.0)
    given = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="groupkg-gleif-") as folder:
        for text in given.sizes.split(","):
            for syntax in given.syntaxes.split(","):
                for figure in gleif_imports(parse_size(text), syntax, Path(folder), given.timeout):
                    print(f"{figure.key}: {figure.seconds} s; {figure.name}; {figure.detail}",
                          flush=True)  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
