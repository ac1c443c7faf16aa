"""The benchmark harness runs end to end on a tiny register and writes its table.

The figures themselves are not checked (no timing assertions here): the targets live
in the harness and in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import sys
from pathlib import Path

# The harness lives beside the package, not in it: run from a checkout.
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.run import main, parse_size  # noqa: E402


def test_sizes_read_as_people_write_them():
    assert [parse_size(s) for s in ("2000", "10k", "1M", "2.5k")] == [2000, 10_000, 1_000_000, 2500]


def test_the_harness_measures_a_tiny_register_and_writes_its_results(tmp_path):
    printed: list[str] = []
    results = tmp_path / "RESULTS.md"
    code = main(
        [
            "--sizes",
            "200",
            "--workdir",
            str(tmp_path / "work"),
            "--results",
            str(results),
            "--quick",
            "--quiet",
            "--peer-budget",
            "0.2",
            "--path-cap",
            "0.1",
        ],
        out=printed.append,
    )
    assert code == 0
    table = "\n".join(printed)
    for figure in (
        "load into oxigraph:PATH",
        "reopen",
        "owners at a date",
        "paths at a date",
        "ultimate parents of all entities",
        "effective stakes of all top parents",
        "render the largest group",
        "cold `groupkg owners",
        "hot API answer over HTTP (owners/paths at a date; oxigraph:PATH)",
        "hot API answer over HTTP (owners/paths at a date; the bundled IIJ data",
    ):
        assert figure in table, figure
    for peer in (
        "rdflib string SPARQL",
        "rdflib prepared query",
        "plain dict of lists",
        "networkx all_simple_paths",
        "HTTP round trip to the same server, no worker",
    ):
        assert peer in table, peer
    assert "failed" not in table
    written = results.read_text()
    assert written.startswith("# groupkg benchmark results")
    assert "## Machine" in written and "## Targets" in written and "200 entities" in written
