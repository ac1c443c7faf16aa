"""Every command of the command line, with generated and mutated arguments and data.

Each case runs ``groupkg`` in-process through click's runner, mostly on the toy group
(``--no-default-data --data toygroup.ttl``) so that it is fast, sometimes on the
bundled IIJ data, on a persistent store, on a broken store specification or on a
mutated data file. Whatever the arguments, the command exits 0, 1 or 2, never with a
traceback, and says why when it exits 2 (see :func:`tests.fuzz.harness.run_cli`).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

# pyvis pulls in jedi, which raises the recursion limit when first imported: imported
# here, before hypothesis records the limit it restores after each case.
import groupkg.viz.command  # noqa: F401
from groupkg.graph import OxigraphStore, import_file, open_store
from tests.fuzz.harness import fuzz_case, fuzz_settings, run_cli
from tests.fuzz.strategies import (
    NASTY,
    date_texts,
    group_turtle,
    mutated_bytes,
    mutated_json,
    mutated_table,
    nasty_text,
    number_texts,
)

# A failing case holding a 140,000-character cell is reported all the same.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Generating overly large repr:hypothesis.errors.HypothesisWarning"
)

TESTS = Path(__file__).resolve().parents[1]
BODS_EXAMPLES = TESTS / "data" / "bods-0.4" / "examples"
TOY = TESTS / "data" / "toygroup.ttl"
TOY_BYTES = TOY.read_bytes()
GLEIF = (TESTS / "data" / "gleif" / "sample.csv").read_text(encoding="utf-8")
BODS = json.loads((BODS_EXAMPLES / "bods-package.json").read_text("utf-8"))
CSV = """\
owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source
Parent Co,Beta,60,,,600,2019-01-01,,Toy register
Alpha,Gamma,,50,75,800,2019-06,2021,Annual report 2019
New Holder Ltd.,Gamma,20,,,,,,
"""
TOY_NAMES = ["Parent Co", "P", "Alpha", "Beta", "Gamma", "Xavier", "https://example.org/toy/a",
             "x", "parent co.", "Gamm", "IIJ", "Internet Initiative Japan"]  # fmt: skip
TOY_DATES = ["2019-12-31", "2020-01-01", "2020-06-30", "2020-07-01", "2021-06-01", "2013-12-31"]
TOY_EVENTS = ["https://example.org/toy/m", "https://example.org/toy/s", "m", "s", "i"]
QUERIES = [
    "SELECT ?s ?p ?o WHERE { ?s ?p ?o } LIMIT 5",
    "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
    "ASK { ?s a <https://w3id.org/groupkg/ontology#Holding> }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 3",
    "DESCRIBE <https://example.org/toy/p>",
    "PREFIX gk: <https://w3id.org/groupkg/ontology#> SELECT ?h ?pc WHERE { ?h gk:percent ?pc }",
]
NAMED = {
    "ancestors-at": ["entity", "date"],
    "dissolved-between": ["from", "to"],
    "events-of": ["entity"],
    "holdings-at": ["entity", "date"],
    "owners-at": ["entity", "date"],
    "sources-of": ["entity"],
}


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-cli")


@pytest.fixture(scope="module")
def toy_store(workdir: Path) -> str:
    """A persistent store holding the ontology and the toy group, for read-only cases."""
    path = workdir / "toy-store"
    store = open_store(f"oxigraph:{path}", default_data=False, writable=True)
    assert isinstance(store, OxigraphStore)
    import_file(store, TOY)
    store.close()
    return f"oxigraph:{path}"


names = st.one_of(st.sampled_from(TOY_NAMES), nasty_text())
dates = st.one_of(st.sampled_from(TOY_DATES), date_texts())


@st.composite
def _data_options(draw: st.DrawFn) -> tuple[list[str], tuple[str, bytes] | None]:
    """Where the data comes from: ``(options, file to write first or None)``."""
    kind = draw(st.sampled_from(["toy"] * 8 + ["iij", "mutated", "csv", "missing", "folder"]))
    if kind == "toy":
        return ["--no-default-data", "--data", str(TOY)], None
    if kind == "iij":
        return [], None
    if kind == "missing":
        return ["--data", "no-such-file.ttl"], None
    if kind == "folder":
        return ["--data", str(TESTS)], None
    options = ["--no-default-data", "--data", "@FILE"]
    if kind == "csv":
        return options, ("data.csv", draw(mutated_table(CSV)).encode("utf-8", "surrogatepass"))
    suffix = draw(st.sampled_from([".ttl", ".nt", ".jsonld"]))
    return options, ("data" + suffix, draw(mutated_bytes(TOY_BYTES)))


@st.composite
def _global_options(draw: st.DrawFn) -> list[str]:
    options = []
    if draw(st.booleans()):
        options.append("--json")
    if draw(st.integers(0, 5)) == 0:
        options += ["--threshold", draw(st.one_of(number_texts(), st.just("50")))]
    return options


def _materialise(workdir: Path, options: list[str], file: tuple[str, bytes] | None) -> list[str]:
    if file is None:
        return options
    path = workdir / file[0]
    path.write_bytes(file[1])
    return [str(path) if o == "@FILE" else o for o in options]


def _run(target: str, args: list[str], seconds: float = 30.0) -> None:
    with fuzz_case(target, seconds):
        run_cli(args)


# ---- questions about one entity or a pair ----


@st.composite
def _question(draw: st.DrawFn) -> list[str]:
    command = draw(st.sampled_from(["entity", "owners", "holdings", "paths", "effective",
                                    "perimeter"]))  # fmt: skip
    args = [command, draw(names)]
    if command == "effective":
        args.append(draw(names))
    if draw(st.integers(0, 4)):
        args += ["--at", draw(dates)]
    if command == "perimeter" and draw(st.booleans()):
        args += ["--affiliate-min", draw(number_texts())]
    return args


@fuzz_settings(weight=3)
@given(question=_question(), data=_data_options(), options=_global_options())
def test_cli_questions(workdir: Path, question, data, options):
    _run("cli-questions", [*question, *options, *_materialise(workdir, *data)])


@fuzz_settings(weight=1)
@given(question=_question(), options=_global_options())
def test_cli_questions_on_a_persistent_store(workdir: Path, toy_store: str, question, options):
    _run("cli-questions-oxigraph", [*question, *options, "--store", toy_store])


# ---- diff and events ----


@st.composite
def _changes(draw: st.DrawFn) -> list[str]:
    if draw(st.booleans()):
        args = ["events"]
        for option, values in (("--entity", names), ("--from", dates), ("--to", dates)):
            if draw(st.booleans()):
                args += [option, draw(values)]
        return args
    args = ["diff"]
    for option, values in (
        ("--before", dates),
        ("--after", dates),
        ("--event", st.one_of(st.sampled_from(TOY_EVENTS), nasty_text())),
        ("--root", names),
    ):
        if draw(st.integers(0, 2)):
            args += [option, draw(values)]
    return args


@fuzz_settings(weight=2)
@given(args=_changes(), data=_data_options(), options=_global_options())
def test_cli_diff_and_events(workdir: Path, args, data, options):
    _run("cli-diff-events", [*args, *options, *_materialise(workdir, *data)])


# ---- sparql ----


@st.composite
def _sparql(draw: st.DrawFn) -> tuple[list[str], str | None]:
    """``(arguments, query file text or None)``."""
    kind = draw(st.sampled_from(["text", "text", "file", "named", "list"]))
    fmt = ["--format", draw(st.sampled_from(["table", "json", "csv", "tsv", "xml"]))]
    if kind == "list":
        return ["sparql", "--list", *fmt], None
    if kind == "named":
        name = draw(st.one_of(st.sampled_from(sorted(NAMED)), nasty_text()))
        params = []
        for key in NAMED.get(name, []):
            if draw(st.integers(0, 5)):
                value = draw(names) if key == "entity" else draw(dates)
                params += ["--param", f"{key}={value}"]
        if draw(st.integers(0, 4)) == 0:
            params += ["--param", draw(nasty_text())]
        return ["sparql", "--name", name, *params, *fmt], None
    base = draw(st.sampled_from(QUERIES)).encode()
    query = draw(st.one_of(mutated_bytes(base, max_edits=3), st.just(base))).decode(
        "utf-8", "surrogateescape"
    )
    if kind == "file":
        return ["sparql", "-f", "@QUERY", *fmt], query
    return ["sparql", query, *fmt], None


@fuzz_settings(weight=2)
@given(case=_sparql(), data=_data_options())
def test_cli_sparql(workdir: Path, case, data):
    args, query = case
    if query is not None:
        path = workdir / "query.rq"
        path.write_text(query, encoding="utf-8", errors="surrogateescape")
        args = [str(path) if a == "@QUERY" else a for a in args]
    _run("cli-sparql", [*args, *_materialise(workdir, *data)])


# ---- validate ----


@st.composite
def _validate_files(draw: st.DrawFn) -> list[tuple[str, bytes]]:
    files = []
    for i in range(draw(st.integers(0, 2))):
        suffix = draw(st.sampled_from([".ttl", ".ttl", ".nt", ".jsonld", ".csv", ""]))
        data = draw(st.one_of(st.just(TOY_BYTES), mutated_bytes(TOY_BYTES)))
        files.append((f"v{i}{suffix}", data))
    return files


@fuzz_settings(weight=0.5)
@given(files=_validate_files(), as_json=st.booleans())
def test_cli_validate(workdir: Path, files, as_json: bool):
    paths = []
    for name, data in files:
        (workdir / name).write_bytes(data)
        paths.append(str(workdir / name))
    if not paths:
        paths = [str(TOY)]
    _run("cli-validate", ["validate", *paths, *(["--json"] if as_json else [])], seconds=60)


# ---- render ----


@st.composite
def _render(draw: st.DrawFn) -> list[str]:
    mode = draw(st.sampled_from(["at", "diff", "event", "timeline", "none", "all"]))
    args = ["render"]
    if mode in ("at", "all"):
        args += ["--at", draw(dates)]
    if mode in ("diff", "all"):
        args += ["--before", draw(dates), "--after", draw(dates)]
    if mode in ("event", "all"):
        args += ["--event", draw(st.one_of(st.sampled_from(TOY_EVENTS), nasty_text()))]
    if mode in ("timeline", "all"):
        args.append("--timeline")
    for option in ("--root", "--path"):
        if draw(st.integers(0, 3)) == 0:
            args += [option, draw(names)]
    return args


@fuzz_settings(weight=1)
@given(args=_render(), data=_data_options(), output=st.sampled_from(["v.html", "no/dir/v.html"]))
def test_cli_render(workdir: Path, args, data, output: str):
    _run("cli-render", [*args, "-o", str(workdir / output), *_materialise(workdir, *data)], 60)


# ---- import and export ----


@st.composite
def _import(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    kind = draw(st.sampled_from(["csv", "bods", "gleif-rr", "ttl", "jsonld", "nt"]))
    if kind == "csv":
        name, data = "holdings.csv", draw(mutated_table(CSV)).encode("utf-8", "surrogatepass")
    elif kind == "bods":
        name, data = "statements.json", draw(mutated_json(BODS)).encode("utf-8", "surrogatepass")
    elif kind == "gleif-rr":
        name, data = "gleif-rr.csv", draw(mutated_table(GLEIF)).encode("utf-8", "surrogatepass")
    else:
        name, data = "data." + kind, draw(mutated_bytes(TOY_BYTES))
    fmt = draw(st.one_of(st.none(), st.just(kind), st.sampled_from(["rdf", "trig", "zip"]),
                         nasty_text()))  # fmt: skip
    options = ["--format", fmt] if fmt is not None else []
    return name, data, options


@fuzz_settings(weight=2)
@given(case=_import(), persistent=st.integers(0, 3))
def test_cli_import(workdir: Path, case, persistent: int):
    name, data, options = case
    path = workdir / name
    path.write_bytes(data)
    store = ["--store", f"oxigraph:{workdir / 'import-store'}"] if persistent == 0 else []
    _run("cli-import", ["import", str(path), "--quiet", "--no-default-data", *options, *store])


@fuzz_settings(weight=1)
@given(
    fmt=st.one_of(
        st.sampled_from(["ttl", "nt", "jsonld", "trig", "bods", "csv", "graphml"]), nasty_text()
    ),  # fmt: skip
    at=st.one_of(st.none(), dates),
    to_file=st.booleans(),
    data=_data_options(),
)
def test_cli_export(workdir: Path, fmt: str, at: str | None, to_file: bool, data):
    args = ["export", "--format", fmt]
    if at is not None:
        args += ["--at", at]
    if to_file:
        args += ["-o", str(workdir / "export.out")]
    _run("cli-export", [*args, *_materialise(workdir, *data)])


# ---- info and synth ----


@fuzz_settings(weight=1)
@given(data=_data_options(), options=_global_options())
def test_cli_info(workdir: Path, data, options):
    _run("cli-info", ["info", *options, *_materialise(workdir, *data)])


@fuzz_settings(weight=1)
@given(
    entities=st.one_of(st.integers(-3, 80).map(str), nasty_text()),
    seed=st.one_of(st.integers(-3, 2**70).map(str), nasty_text()),
    output=st.sampled_from(["s.nt", "s.nt.gz", "s.ttl", "no/such/dir/s.nt", ""]),
)
def test_cli_synth(workdir: Path, entities: str, seed: str, output: str):
    target = str(workdir / output) if output else str(workdir)
    _run("cli-synth", ["synth", "--quiet", "--entities", entities, "--seed", seed, "-o", target])


# ---- any arguments at all, and any store ----

# serve is left out: it would start a server (its hardening is its own issue).
_COMMANDS = ["init", "info", "entity", "owners", "holdings", "paths", "effective",
             "perimeter", "diff", "events", "sparql", "validate", "render", "import",
             "export", "synth"]  # fmt: skip
_OPTIONS = ["--at", "--json", "--store", "--data", "--no-default-data", "--threshold",
            "--format", "--before", "--after", "--event", "--root", "-o", "--name", "--param",
            "-h", "--help", "--version", "--from", "--to", "--entity", "--timeline", "--list",
            "--", "-"]  # fmt: skip


@fuzz_settings(weight=2)
@given(
    argv=st.lists(
        st.one_of(
            st.sampled_from(_COMMANDS),
            st.sampled_from(_OPTIONS),
            names,
            dates,
            st.sampled_from(NASTY),
        ),  # fmt: skip
        max_size=7,
    )
)
def test_cli_any_arguments(argv: list[str]):
    # Nothing may write outside the test's folders: no -o, --store or synth target.
    if any(a in ("-o", "--store", "--output", "synth", "import") for a in argv):
        argv = [a for a in argv if a not in ("-o", "--store", "--output", "synth", "import")]
    _run("cli-argv", ["--no-default-data", "--data", str(TOY), *argv])


@fuzz_settings(weight=1)
@given(
    spec=st.one_of(
        st.sampled_from(["memory", "oxigraph:", "sparql:", "sparql:http://127.0.0.1:9/sparql",
                         "sparql:ftp://x", "sparql:not a url", "oxigraph:@DIR/", "disk:/x"]),
        st.text(alphabet=st.characters(blacklist_characters="/\\\x00", codec="utf-8"),
                min_size=1, max_size=12).filter(lambda s: s not in (".", "..")).map(
            lambda s: "oxigraph:@DIR/" + s),
        nasty_text().filter(lambda s: not s.startswith("oxigraph:")),
    ),
    question=_question(),
)  # fmt: skip
def test_cli_store_specifications(workdir: Path, spec: str, question):
    spec = spec.replace("@DIR", str(workdir / "stores"))
    (workdir / "stores").mkdir(exist_ok=True)
    _run("cli-stores", [*question, "--no-default-data", "--store", spec])
    if spec.startswith("oxigraph:") or not spec.startswith("sparql:http"):
        _run("cli-stores", ["init", "--no-default-data", "--store", spec])


# ---- odd groups: the analytics on data that is valid, borderline or wrong ----


@st.composite
def _group_question(draw: st.DrawFn, names_: list[str]) -> list[str]:
    entity = st.one_of(st.sampled_from(names_), st.sampled_from([f"e{i}" for i in range(6)]))
    day = st.sampled_from(["2009-12-31", "2010-01-01", "2013-06-30", "2013-12-31",
                           "2014-01-01", "2020-01-01", "0001-01-01", "9999-12-31"])  # fmt: skip
    command = draw(st.sampled_from(["owners", "holdings", "paths", "effective", "perimeter",
                                    "entity", "diff", "events", "info", "export", "render",
                                    "validate"]))  # fmt: skip
    if command in ("owners", "holdings", "paths", "perimeter", "entity"):
        return [command, draw(entity), "--at", draw(day)]
    if command == "effective":
        return [command, draw(entity), draw(entity), "--at", draw(day)]
    if command == "diff":
        return [command, "--before", draw(day), "--after", draw(day)]
    if command == "export":
        fmt = draw(st.sampled_from(["ttl", "bods", "csv", "graphml", "jsonld"]))
        return [command, "--format", fmt, "--at", draw(day)]
    if command == "render":
        mode = draw(st.sampled_from([["--at", draw(day)], ["--timeline"],
                                     ["--before", draw(day), "--after", draw(day)]]))  # fmt: skip
        return [command, *mode, "-o", "@OUT"]
    return [command]


@st.composite
def _odd_group(draw: st.DrawFn) -> tuple[str, list[str]]:
    turtle, names_ = draw(group_turtle())
    return turtle, draw(_group_question(names_))


@fuzz_settings(weight=4)
@given(case=_odd_group(), options=_global_options())
def test_cli_on_odd_groups(workdir: Path, case, options):
    turtle, question = case
    path = workdir / "odd.ttl"
    path.write_text(turtle, encoding="utf-8", errors="surrogatepass")
    question = [str(workdir / "odd.html") if a == "@OUT" else a for a in question]
    if question[0] == "validate":
        args = ["validate", str(path), *options]
    else:
        args = [*question, *options, "--no-default-data", "--data", str(path)]
    _run("cli-odd-groups", args, seconds=60)
