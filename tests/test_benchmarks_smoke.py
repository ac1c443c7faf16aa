"""The benchmark harness runs end to end on a tiny register and writes its table.

The figures themselves are not checked (no timing assertions here): the targets live
in the harness and in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

# The harness lives beside the package, not in it: run from a checkout.
ROOT = str(Path(__file__).resolve().parents[1])
if ROOT not in sys.path:
    sys.path.insert(0, ROOT)

from benchmarks.report import Figure, Previous, results_json  # noqa: E402
from benchmarks.run import SEED, Bench, main, options, parse_size, plan  # noqa: E402

# The figures issue 14 asks for, by the key results.json keeps them under.
NEW_FIGURES = [
    *(
        f"cli-{c}-{g}"
        for g in ("small", "largest")
        for c in ("owners", "holdings", "paths", "entity")
    ),
    "cli-effective",
    "cli-perimeter",
    "cli-render",
    "viewer",
    "picture-first",
    "first-owners",
    "first-answer",
]


def test_sizes_read_as_people_write_them():
    assert [parse_size(s) for s in ("2000", "10k", "1M", "2.5k")] == [2000, 10_000, 1_000_000, 2500]


def test_the_harness_measures_a_tiny_register_and_writes_its_results(tmp_path):
    printed: list[str] = []
    results = tmp_path / "RESULTS.md"
    # An earlier run's figures, as results.json keeps them: shown beside this run's.
    earlier = tmp_path / "earlier.json"
    earlier.write_text(
        json.dumps(
            {
                "date": "2026-01-02 03:04",
                "command": "python -m benchmarks.run --sizes 200",
                "figures": {"cli-owners-largest": {"200": {"seconds": 12.345}}},
            }
        )
    )
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
            "--previous",
            str(earlier),
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
        "first stable picture of the largest group's page",
        "cold `groupkg owners",
        "cold `groupkg holdings",
        "cold `groupkg paths",
        "cold `groupkg entity",
        "an entity of a small group",
        "an entity of the largest group",
        "cold `groupkg effective TOP NAME`",
        "cold `groupkg perimeter TOP`",
        "cold `groupkg render --root TOP -o FILE`",
        "the viewer's answer for the largest group's top parent",
        "the first `groupkg owners NAME` after the import",
        "time to the first answer after importing the file",
        "CSV holdings import, 200 rows of new names",
        "GLEIF Level 1 CSV, 200 records",
        "GLEIF RR CSV, 60 records",
        "GLEIF Level 1 XML, 200 records",
        "GLEIF RR XML, 60 records",
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
    assert "failed" not in written
    # Each figure beside the previous one: the earlier run's where it had one, "—" else.
    assert "| figure | groupkg | target | previous |" in written
    assert "the run of 2026-01-02 03:04" in written
    largest = next(line for line in written.splitlines() if "`groupkg owners NAME" in line
                   and "largest group" in line)  # fmt: skip
    assert "| <= 1.00 s | 12.35 s |" in largest
    small = next(line for line in written.splitlines() if "`groupkg paths NAME" in line
                 and "small group" in line)  # fmt: skip
    assert "| <= 600.0 ms | — |" in small
    for target in ("of the largest group <= 1.0 s", "of a small group <= 0.6 s",
                   "`effective`", "`perimeter`", "`render --root TOP`",
                   "The viewer's answer", "<= 2x the bulk loader alone"):  # fmt: skip
        assert target in written, target
    # ... and the figures for the next run, by key and size.
    figures = json.loads((tmp_path / "results.json").read_text())
    assert figures["command"].startswith("python -m benchmarks.run --sizes 200")
    gleif = [f"gleif-import-{syntax}-{kind}" for syntax in ("csv", "xml") for kind in ("lei", "rr")]
    cross = ["cross-import-register", "cross-import-bods", "cross-read", "cross-resolve"]
    for key in ["load", "load-floor", "owners", "serve", "serve-iij", "csv-import", *gleif, *cross,
                *NEW_FIGURES]:  # fmt: skip
        entry = figures["figures"][key]["200"]
        assert isinstance(entry["seconds"], float) and entry["seconds"] > 0, key
    assert set(figures["elapsed"]) == {"200"}


def test_the_figures_before_the_first_results_json_name_their_source():
    seeded = Previous.read(SEED)
    assert seeded.seconds("cli-owners-largest", 1_000_000) == 11.1
    assert seeded.seconds("load-floor", 1_000_000) == 59.48
    assert seeded.text("viewer", 1_000_000) == "—"
    for key, sizes in seeded.figures.items():
        for size, entry in sizes.items():
            assert entry["source"], (key, size)


def test_a_server_that_does_not_start_in_time_is_a_failed_figure(tmp_path):
    bench = Bench(options(["--workdir", str(tmp_path), "--quiet", "--serve-start", "0.05"]))
    figures = bench.served(0, None)
    assert [f.key for f in figures] == ["serve-iij"]
    assert figures[0].seconds is None
    assert figures[0].detail.startswith("failed: groupkg serve did not answer /api/info within")


def test_the_run_says_how_long_it_should_take_from_the_previous_run_time(tmp_path):
    previous = Previous({"figures": {}, "elapsed": {"10000": 120.0}})
    said = plan([10_000, 100_000], previous, options(["--workdir", str(tmp_path)]))
    assert "about 22 min (scaled: 100,000 from 10,000)" in said[-1]
    said = plan([10_000], Previous(), options(["--workdir", str(tmp_path)]))
    assert said[-1].startswith("no estimate of the time")


def test_a_slow_server_bounds_the_hot_answers_by_their_budget():
    from benchmarks.serve import IIJ_CALLS, hot_api, paths_of, serving

    with serving([]) as base:
        found = hot_api(base, paths_of(IIJ_CALLS), requests=500, budget=0.0)
    # No time left after the first question: it alone is asked, and one request measured.
    assert (found["asked"], found["n"]) == (1, 1)


def test_a_run_of_one_size_keeps_the_previous_figures_of_the_others():
    import datetime as dt

    previous = Previous(
        {
            "date": "2026-11-21 21:51",
            "elapsed": {"1000000": 1800.0},
            "figures": {
                "load": {"1000000": {"seconds": 185.92}, "10000": {"seconds": 1.89}},
                "cli-render": {"1000000": {"seconds": 13.68, "run": "2026-10-01 10:00"}},
            },
        }
    )
    runs = [(10_000, 106_130, [Figure("load", "load", 3.0, target=45.0)])]
    kept = results_json({}, "python -m benchmarks.run --sizes 10k", runs, {10_000: 120.0},
                        dt.datetime(2026, 12, 7, 6, 30), previous)  # fmt: skip
    assert kept["figures"]["load"]["10000"] == {"name": "load", "seconds": 3.0, "target": 45.0}
    assert kept["figures"]["load"]["1000000"] == {"run": "2026-11-21 21:51", "seconds": 185.92}
    assert kept["figures"]["cli-render"]["1000000"]["run"] == "2026-10-01 10:00"
    assert kept["elapsed"] == {"1000000": 1800.0, "10000": 120.0}
    assert Previous(kept).runs(1_000_000) == {"2026-11-21 21:51", "2026-10-01 10:00"}
    assert Previous(kept).runs(10_000) == set()


def test_the_cross_source_import_merges_every_second_company(tmp_path: Path):
    from benchmarks.crosssource import cross_source

    figures = cross_source(60, tmp_path)
    # every BODS record joins the register's record of its LEI
    assert figures["clusters_of_several"] == figures["bods_records"]
    assert figures["merged_entities"] == figures["records"] - figures["bods_records"]


def test_the_knowledge_time_benchmark_runs_on_a_tiny_register(tmp_path: Path) -> None:
    from benchmarks.knowledge import knowledge_figures

    figures = knowledge_figures(1000, tmp_path)
    assert figures["ratio"] > 0 and figures["build_known_at"] > 0
