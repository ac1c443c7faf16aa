"""CSV holdings import in rows a second: ``groupkg import FILE.csv`` into a new
``oxigraph:PATH`` store without the bundled data, in a new process, on a generated
file of new names (an owner for every three rows, each owned named once).

Part of each size's run of :mod:`benchmarks.run` up to :data:`CSV_MAX` rows; alone:
``python -m benchmarks.csvimport --sizes 10k,100k``.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from pathlib import Path

from benchmarks.measure import run_command
from benchmarks.report import Figure

__all__ = ["CSV_MAX", "ROWS_A_SECOND", "csv_import", "write_holdings"]

#: The largest file measured: larger ones take minutes and say nothing more.
CSV_MAX = 100_000
#: The target of issue 17, at 100,000 rows.
ROWS_A_SECOND = 20_000
CLI = [sys.executable, "-c", "import sys; from groupkg.graph.cli import main; main(sys.argv[1:])"]


def write_holdings(path: Path, rows: int, seed: int = 1) -> None:
    """``rows`` holdings of 60% from 2020, owners drawn among ``rows // 3`` names."""
    pick = random.Random(seed).randrange
    owners = max(1, rows // 3)
    with path.open("w", encoding="utf-8") as out:
        out.write("owner,owned,percent,start_date\n")
        for i in range(rows):
            out.write(f"Company {pick(owners)},Company {owners + i},60,2020-01-01\n")


def csv_import(rows: int, work: Path, timeout: float) -> Figure:
    """The import of a generated file of ``rows`` rows, timed with its peak memory."""
    source = work / f"holdings-{rows}.csv"
    if not source.is_file():
        write_holdings(source, rows)
    store = work / f"store-csv-{rows}"
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".model"), ignore_errors=True)
    command = [*CLI, "--store", f"oxigraph:{store}", "--no-default-data", "import", "--quiet"]
    child = run_command([*command, str(source)], timeout)
    shutil.rmtree(store, ignore_errors=True)
    shutil.rmtree(store.with_name(store.name + ".model"), ignore_errors=True)
    seconds = None if child.error else child.seconds
    rate = f"{rows / seconds:,.0f} rows/s; " if seconds else ""
    return Figure(
        "csv-import",
        f"CSV holdings import, {rows:,} rows of new names (`groupkg import FILE.csv`, new process)",
        seconds,
        f"{rate}{child.cpu_seconds:.1f} s of processor time; peak {child.peak_bytes / 2**30:.2f} GB"
        + (f"; failed: {child.error}" if child.error else ""),
        extra={"rows": rows, "peak": child.peak_bytes, "cpu": child.cpu_seconds},
        target=rows / ROWS_A_SECOND,
    )


def main(argv: list[str] | None = None) -> int:
    from benchmarks.run import parse_size

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k", help="rows, comma-separated")
    parser.add_argument("--timeout", type=float, default=1800.0)
    given = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="groupkg-csv-") as folder:
        for text in given.sizes.split(","):
            figure = csv_import(parse_size(text), Path(folder), given.timeout)
            print(f"{figure.name}: {figure.seconds} s; {figure.detail}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
