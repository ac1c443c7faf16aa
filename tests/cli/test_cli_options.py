"""The global options, before or after a command's name: honoured, or refused with exit 2.

``--store``, ``--data``, ``--no-default-data``, ``--json`` and ``--threshold`` belong to
every command. A command that reads data reads exactly what the others read with the
same options (``validate`` once checked the bundled IIJ data whatever it was given); one
that has no use for an option says so rather than dropping it.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.graph.cli.options import NOT_FOR
from tests.turtle import prefixes

TOY = str(Path(__file__).parents[1] / "data" / "toygroup.ttl")
GK = "https://w3id.org/groupkg/ontology#"

# Two holders with 60% each of one company: over 100% on 2020-06-30.
OVER_OWNED_CSV = """\
owner,owned,percent,start_date,source
Holder One,Target Co,60,2020-01-01,Register extract
Holder Two,Target Co,60,2020-01-01,Register extract
"""
# An entity with no label: a SHACL violation on https://example.org/bad/nameless.
NAMELESS_TTL = (
    prefixes()
    + """\
<https://example.org/bad/nameless> a gk:LegalEntity .
"""
)


def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def findings(result) -> list[dict]:
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)["findings"]


@pytest.fixture
def over_owned(tmp_path: Path) -> str:
    path = tmp_path / "holdings.csv"
    path.write_text(OVER_OWNED_CSV, encoding="utf-8")
    return str(path)


@pytest.fixture
def nameless(tmp_path: Path) -> str:
    path = tmp_path / "nameless.ttl"
    path.write_text(NAMELESS_TTL, encoding="utf-8")
    return str(path)


def _foci(result) -> set[str]:
    return {f["focus"] for f in findings(result)}


# ---- validate checks what the other commands read ----


@pytest.mark.parametrize("where", ["before", "after"])
def test_validate_checks_the_data_files_and_leaves_the_bundled_data_out(nameless, where):
    options = ["--no-default-data", "--data", nameless, "--json"]
    result = run(*options, "validate") if where == "before" else run("validate", *options)
    assert result.exit_code == 1
    assert _foci(result) == {"https://example.org/bad/nameless"}


@pytest.mark.parametrize("where", ["before", "after"])
def test_validate_with_data_adds_it_to_the_bundled_data(nameless, where):
    options = ["--data", nameless, "--json"]
    result = run(*options, "validate") if where == "before" else run("validate", *options)
    foci = _foci(result)
    assert "https://example.org/bad/nameless" in foci
    # the IIJ data's own warning (two FY2013/3 income figures) is there too
    assert any(f.startswith("https://w3id.org/groupkg/data/iij/") for f in foci)


def test_validate_without_options_checks_the_bundled_data():
    result = run("--json", "validate")
    foci = _foci(result)
    assert foci and all(not f.startswith("https://example.org/") for f in foci)


def test_validate_reads_a_csv_file_given_as_files(over_owned):
    result = run("--json", "validate", over_owned)
    assert result.exit_code == 1, result.output
    over = [f for f in findings(result) if f["severity"] == "Violation"]
    assert [f["message"].split(" owned")[0] for f in over] == ["Target Co is 120%"]
    # the CSV names its source by title alone: an unknown date is a warning, not a fault
    (undated,) = [f for f in findings(result) if f["severity"] == "Warning"]
    assert "without a date" in undated["message"]


def test_validate_reads_the_store_given(tmp_path, over_owned):
    store = f"oxigraph:{tmp_path / 'store'}"
    imported = run("--store", store, "--no-default-data", "import", over_owned)
    assert imported.exit_code == 0, imported.output
    in_store = run("validate", "--store", store, "--json")
    assert in_store.exit_code == 1
    assert any("120% owned" in f["message"] for f in findings(in_store))
    # the same store without the import conforms: nothing else is read
    empty = f"oxigraph:{tmp_path / 'empty'}"
    assert run("--store", empty, "--no-default-data", "init").exit_code == 0
    assert run("--store", empty, "validate").exit_code == 2  # no data to validate


def test_validate_names_a_bad_data_file(tmp_path):
    bad = tmp_path / "broken.ttl"
    bad.write_text("<a> <b> .\n", encoding="utf-8")
    result = run("--no-default-data", "--data", str(bad), "validate")
    assert result.exit_code == 2
    assert "broken.ttl" in result.stderr and "Traceback" not in result.output


# ---- every other command: each global option honoured or refused ----

COMMANDS = {
    "info": ["info"],
    "entity": ["entity", "Alpha", "--at", "2020-06-30"],
    "owners": ["owners", "Gamma", "--at", "2020-06-30"],
    "holdings": ["holdings", "Alpha", "--at", "2020-06-30"],
    "paths": ["paths", "Gamma", "--at", "2020-06-30"],
    "effective": ["effective", "Parent Co", "Gamma", "--at", "2020-06-30"],
    "perimeter": ["perimeter", "Parent Co", "--at", "2020-06-30"],
    "control": ["control", "Gamma", "--at", "2020-06-30"],
    "parents": ["parents", "--at", "2020-06-30", "--quiet"],
    "diff": ["diff", "--before", "2020-06-30", "--after", "2020-07-01"],
    "events": ["events"],
    "sparql": ["sparql", f"SELECT (COUNT(*) AS ?n) WHERE {{ ?h a <{GK}Holding> }}"],
    "validate": ["validate"],
    "export": ["export", "--format", "nt"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("where", ["before", "after"])
def test_data_options_choose_what_every_command_reads(command, where):
    """Without the bundled data and with the toy group, no IIJ name appears anywhere."""
    options = ["--no-default-data", "--data", TOY]
    args = COMMANDS[command]
    result = run(*options, *args) if where == "before" else run(*args, *options)
    assert result.exit_code in (0, 1), result.output
    assert "groupkg/data/iij" not in result.output and "Internet Initiative" not in result.output
    everything = run(*args)
    # with the bundled data instead, a command that reads data answers otherwise
    if command not in ("effective", "owners", "holdings", "entity", "paths", "perimeter"):
        assert everything.output != result.output


@pytest.mark.parametrize("command", sorted(set(COMMANDS) - {"export"}))
@pytest.mark.parametrize("where", ["before", "after"])
def test_json_is_honoured_by_every_command_that_answers(command, where):
    options = ["--no-default-data", "--data", TOY]
    args = COMMANDS[command]
    result = run(*options, "--json", *args) if where == "before" else run(*options, *args, "--json")
    assert result.exit_code in (0, 1), result.output
    json.loads(result.stdout)


def test_sparql_json_and_an_other_format_conflict():
    result = run("sparql", "ASK {}", "--json", "--format", "csv")
    assert result.exit_code == 2 and "--json" in result.stderr


@pytest.mark.parametrize("where", ["before", "after"])
def test_threshold_changes_paths(where):
    # Parent Co holds 60% of Beta on 2020-06-30: controlled at 50, not at 70.
    base = ["--no-default-data", "--data", TOY]
    args = ["paths", "Beta", "--at", "2020-06-30", "--json"]
    at_70 = (
        run(*base, "--threshold", "70", *args)
        if where == "before"
        else run(*base, *args, "--threshold", "70")
    )
    at_50 = run(*base, *args)
    assert json.loads(at_50.stdout)["ultimate_parent"]["name"] == "Parent Co"
    assert json.loads(at_70.stdout)["ultimate_parent"]["name"] == "Beta"


@pytest.mark.parametrize(
    "args",
    [
        # serve started and answered every analytic call 400 (here: no address to bind)
        ["--threshold", "nan", "serve", "--host", "192.0.2.1"],
        ["--threshold", "150", "validate"],  # "conforms"
        ["--threshold", "nan", "paths", "Beta"],  # an answer, the threshold unused
        ["parents", "--at", "2020-06-30", "--threshold", "-inf"],
    ],
)
def test_a_threshold_that_is_no_percent_is_refused_before_or_after_the_name(args):
    result = run("--no-default-data", "--data", TOY, *args)
    assert result.exit_code == 2, result.output
    (line,) = result.stderr.splitlines()
    assert "--threshold" in line and "is not a percent between 0 and 100" in line


@pytest.mark.parametrize(
    ("command", "option"),
    sorted((c, o) for c, options in NOT_FOR.items() for o in options if c in COMMANDS),
)
@pytest.mark.parametrize("where", ["before", "after"])
def test_an_option_a_command_has_no_use_for_is_refused(command, option, where):
    value = {"--store": ["memory"], "--data": [TOY], "--threshold": ["40"],
             "--known-at": ["2020-01-01"]}.get(option, [])  # fmt: skip
    args = COMMANDS[command]
    given = [option, *value]
    result = run(*given, *args) if where == "before" else run(*args, *given)
    assert result.exit_code == 2
    assert f"{option} does not apply" in result.stderr


SHARED = ["--store", "--data", "--no-default-data", "--json", "--threshold", "--known-at"]


@pytest.mark.parametrize(
    "command", sorted({*COMMANDS, "render", "init", "import", "serve", "synth"})
)
def test_a_commands_help_lists_the_shared_options_it_takes_and_no_other(command):
    # synth listed none and refused them all; serve refused --json as an unknown option
    shown = run(command, "--help")
    assert shown.exit_code == 0, shown.output
    listed = {o for o in SHARED if f"\n  {o} " in shown.stdout}
    assert listed == set(SHARED) - NOT_FOR.get(command, set())


@pytest.mark.parametrize("option", ["--store", "--data", "--no-default-data", "--json"])
def test_synth_refuses_store_options_given_before_its_name(tmp_path, option):
    value = {"--store": ["memory"], "--data": [TOY]}.get(option, [])
    result = run(option, *value, "synth", "--entities", "10", "-o", str(tmp_path / "x.nt"))
    assert result.exit_code == 2 and f"{option} does not apply" in result.stderr
    assert not (tmp_path / "x.nt").exists()


def test_import_and_init_answer_json(tmp_path, over_owned):
    store = f"oxigraph:{tmp_path / 'store'}"
    init = run("--json", "--store", store, "--no-default-data", "init")
    assert init.exit_code == 0 and json.loads(init.stdout)["triples"] > 0
    imported = run("--store", store, "import", over_owned, "--json")
    assert imported.exit_code == 0
    answer = json.loads(imported.stdout)
    assert answer["file"] == over_owned and answer["triples"] > 0


def test_validate_of_the_bundled_data_through_the_store_conforms():
    # Blank nodes (listings, assumptions) are data too: a reader that dropped them made
    # the IIJ data break its own shapes.
    result = run("--json", "validate")
    assert result.exit_code == 0, result.output
    assert [f for f in findings(result) if f["severity"] == "Violation"] == []


def test_export_writes_the_bundled_data_whole(tmp_path):
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from groupkg.graph.store import default_data_files

    out = tmp_path / "all.nt"
    result = run("export", "--format", "nt", "-o", str(out))
    assert result.exit_code == 0, result.output
    exported = Graph().parse(out, format="nt")
    expected = Graph()
    for path in default_data_files():
        expected.parse(path, format="turtle")
    # The store keeps a decimal by its value: "100.0" comes back as "100".
    assert len(exported) == len(expected) > 1000
    assert isomorphic(_decimals_by_value(exported), _decimals_by_value(expected))


def _decimals_by_value(graph):
    from decimal import Decimal

    from rdflib import XSD, Graph, Literal

    def canonical(term):
        if isinstance(term, Literal) and term.datatype == XSD.decimal:
            return Literal(format(Decimal(str(term)).normalize(), "f"), datatype=XSD.decimal)
        return term

    return Graph().addN((s, p, canonical(o), graph) for s, p, o in graph)


@pytest.mark.parametrize("value", ["500", "-1", "nan", "inf"])
@pytest.mark.parametrize("where", ["before", "after"])
@pytest.mark.parametrize("command", ["validate", "paths", "parents", "diff"])
def test_a_threshold_that_is_no_percent_is_refused_by_every_command(command, where, value):
    # validate once took --threshold 500 and answered "conforms"
    args = COMMANDS[command]
    given = ["--threshold", value]
    result = run(*given, *args) if where == "before" else run(*args, *given)
    assert result.exit_code == 2, result.output
    assert "--threshold" in result.stderr and "between 0 and 100" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["500", "nan"])
def test_serve_refuses_an_impossible_threshold_given_before_its_name(monkeypatch, value):
    # serve checked only its own --threshold: given first, 500 started a server
    import groupkg.graph.cli.serve as server

    started: list[object] = []
    monkeypatch.setattr(server, "run", lambda *a, **k: started.append(a))
    result = run("--threshold", value, "serve", "--port", "0")
    assert result.exit_code == 2, result.output
    assert "--threshold" in result.stderr and started == []


@pytest.mark.parametrize("fmt", ["ttl", "nt", "jsonld", "trig", "bods", "csv"])
def test_export_refuses_at_for_a_format_that_has_every_date(fmt, tmp_path):
    # --at was dropped in silence by every format but graphml
    out = tmp_path / "out"
    result = run("export", "--format", fmt, "--at", "2013-01-01", "-o", str(out))
    assert result.exit_code == 2 and "--at" in result.stderr
    assert not out.exists()


def test_export_graphml_takes_at():
    result = run("--no-default-data", "--data", TOY, "export", "--format", "graphml",
                 "--at", "2020-06-30")  # fmt: skip
    assert result.exit_code == 0 and "<graphml" in result.stdout


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--json"], "--json"),
        (["--format", "csv"], "--format"),
        (["--name", "ancestors-at"], "--name"),
        (["--param", "entity=iij"], "--param"),
        (["ASK {}"], "QUERY"),
        (["--store", "memory"], "--store"),
        (["--data", TOY], "--data"),
        (["--no-default-data"], "--no-default-data"),
    ],
)
def test_sparql_list_refuses_what_it_would_drop(extra, named):
    result = run("sparql", "--list", *extra)
    assert result.exit_code == 2, result.output
    assert named in result.stderr and result.stdout == ""


def test_sparql_param_needs_a_named_query():
    result = run("sparql", "--param", "entity=iij", "ASK {}")
    assert result.exit_code == 2 and "--param" in result.stderr


# ---- --data beside a persistent store: a name the store knows is that entity ----

ADDED_CSV = "owner,owned,percent,start_date\nGamma,New Sub,60,2021-01-01\n"


def test_data_names_the_stores_entities(tmp_path):
    """``--data`` matches a CSV's names against the store as ``import`` does: Gamma of the
    added file is the store's Gamma (an example.org IRI), not a new local entity."""
    (tmp_path / "added.csv").write_text(ADDED_CSV, encoding="utf-8")
    store = f"oxigraph:{tmp_path / 'store'}"
    assert run("--store", store, "--no-default-data", "import", TOY).exit_code == 0
    gamma = json.loads(run("--store", store, "entity", "Gamma", "--json").stdout)["entity"]
    assert not gamma["id"].startswith("https://w3id.org/groupkg/data/local/")
    added = ("--store", store, "--data", str(tmp_path / "added.csv"))
    owners = run(*added, "owners", "New Sub", "--at", "2021-06-30", "--json")
    assert owners.exit_code == 0, owners.output
    (owner,) = json.loads(owners.stdout)["owners"]
    assert (owner["id"], owner["percent"]) == (gamma["id"], 60)
    held = run(*added, "holdings", "Gamma", "--at", "2021-06-30", "--json")
    assert held.exit_code == 0, held.output  # one Gamma, not two of one name
    assert "New Sub" in [h["name"] for h in json.loads(held.stdout)["holdings"]]
    # the Python API's load(store, file) reads the file's names against the store too
    from groupkg.graph import load

    group = load(store, str(tmp_path / "added.csv"))
    (owner,) = group.owners("New Sub", "2021-06-30")["owners"]
    assert owner["id"] == gamma["id"]
