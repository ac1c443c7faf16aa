"""Every parser and importer, fed mutated and generated input.

Each target starts from a valid seed (the toy group in Turtle, JSON-LD, N-Triples
and RDF/XML; a CSV holdings file; the BODS 0.4 examples; the GLEIF sample) and
mutates it, or generates its input outright (dates, percentages, names). A case
passes when the call returns or raises a GroupkgError with a message; where it
returns, what it returns must still obey the model (percentages within 0-100).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Literal

from groupkg.graph import Group, GroupkgError, OxigraphStore, add_files, open_store, parse_date
from groupkg.graph.dates import parse_partial_date
from groupkg.graph.facts.names import NameTable
from groupkg.graph.facts.storenames import lookup, resolve_in_store
from groupkg.graph.formats.bods import read_bods
from groupkg.graph.formats.csvholdings import read_csv
from groupkg.graph.formats.gleif import read_gleif
from groupkg.graph.formats.inputs import convert_rdf, resolver
from groupkg.graph.validate import parse_rdf_file
from groupkg.graph.vocab import GK
from tests.fuzz.harness import ends_cleanly, fuzz_case, fuzz_settings
from tests.fuzz.strategies import (
    date_texts,
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
TOY = (TESTS / "data" / "toygroup.ttl").read_bytes()
_TOY_QUADS = list(ox.parse(TOY, format=ox.RdfFormat.TURTLE))
RDF_SEEDS = {
    ".ttl": (TOY, ox.RdfFormat.TURTLE),
    ".jsonld": (ox.serialize(_TOY_QUADS, format=ox.RdfFormat.JSON_LD), ox.RdfFormat.JSON_LD),
    ".nt": (ox.serialize(_TOY_QUADS, format=ox.RdfFormat.N_TRIPLES), ox.RdfFormat.N_TRIPLES),
    ".rdf": (ox.serialize(_TOY_QUADS, format=ox.RdfFormat.RDF_XML), ox.RdfFormat.RDF_XML),
}
CSV_SEED = """\
owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source,\
percent_min_exclusive,percent_max_exclusive,share_class,as_of,interest_type
Parent Co,Beta,60,,,600,2019-01-01,,Toy register,,,,,
Alpha,Gamma,,50,75,800,2019-06,2021,Annual report 2019,true,,common,,shareholding
Xavier,Parent Co,10%,,,100,,,,,,,2020-01-01,
New Holder Ltd.,Gamma,20,,,,,,,,,,,
"""
BODS_SEEDS = {
    path.name: json.loads(path.read_text(encoding="utf-8"))
    for path in sorted(BODS_EXAMPLES.glob("*.json"))
}
GLEIF_SEED = (TESTS / "data" / "gleif" / "sample.csv").read_text(encoding="utf-8")
TOY_NAMES = ["Parent Co", "P", "Alpha", "Beta", "Gamma", "Xavier", "https://example.org/toy/a",
             "a", "parent co", "PARENT CO.", "Gamma Inc.", "Gamm"]  # fmt: skip


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-inputs")


@pytest.fixture(scope="module")
def toy_store() -> OxigraphStore:
    store = open_store("memory", default_data=False)
    add_files(store, [TESTS / "data" / "toygroup.ttl"])
    assert isinstance(store, OxigraphStore)
    return store


def _write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    path.write_bytes(data)
    return path


def _percents_in_range(graph) -> None:  # noqa: ANN001 - an rdflib Graph
    """Whatever an importer accepted is a percentage from 0 to 100."""
    for prop in (GK.percent, GK.percentMin, GK.percentMax):
        for value in graph.objects(None, prop):
            assert isinstance(value, Literal)
            number = Decimal(str(value))
            assert number.is_finite() and 0 <= number <= 100, (prop, value)


# ---- RDF: Turtle, JSON-LD, N-Triples, RDF/XML ----


@st.composite
def _rdf_inputs(draw: st.DrawFn) -> tuple[str, bytes, ox.RdfFormat]:
    suffix = draw(st.sampled_from(sorted(RDF_SEEDS)))
    seed, syntax = RDF_SEEDS[suffix]
    if suffix == ".jsonld" and draw(st.booleans()):
        return suffix, draw(mutated_json(json.loads(seed))).encode("utf-8", "surrogatepass"), syntax
    return suffix, draw(mutated_bytes(seed)), syntax


@fuzz_settings(weight=3)
@given(case=_rdf_inputs())
def test_rdf_files_parse_or_fail_cleanly(workdir: Path, case: tuple[str, bytes, ox.RdfFormat]):
    suffix, data, syntax = case
    path = _write(workdir, "data" + suffix, data)
    with fuzz_case("rdf"):
        answer = ends_cleanly(convert_rdf, path, syntax, workdir / "converted.nt")
        if isinstance(answer, int):
            # What convert_rdf accepted is N-Triples any store takes whole.
            added = ends_cleanly(add_files, OxigraphStore(), [path])
            assert isinstance(added, int)
        ends_cleanly(parse_rdf_file, path)


@fuzz_settings(weight=1)
@given(data=st.binary(max_size=300), suffix=st.sampled_from(sorted(RDF_SEEDS)))
def test_rdf_files_of_random_bytes_fail_cleanly(workdir: Path, data: bytes, suffix: str):
    path = _write(workdir, "random" + suffix, data)
    with fuzz_case("rdf-random"):
        ends_cleanly(convert_rdf, path, RDF_SEEDS[suffix][1], workdir / "converted.nt")
        ends_cleanly(parse_rdf_file, path)


# ---- the CSV holdings format ----


@st.composite
def _csv_inputs(draw: st.DrawFn) -> bytes:
    if draw(st.integers(0, 3)) == 0:
        return draw(mutated_bytes(CSV_SEED.encode()))
    return draw(mutated_table(CSV_SEED)).encode("utf-8", "surrogatepass")


@fuzz_settings(weight=3)
@given(data=_csv_inputs(), resolve=st.booleans())
def test_csv_holdings_read_or_fail_cleanly(workdir: Path, toy_store, data: bytes, resolve: bool):
    path = _write(workdir, "holdings.csv", data)
    with fuzz_case("csv"):
        graph = ends_cleanly(read_csv, path, resolver(toy_store) if resolve else None)
        if not isinstance(graph, GroupkgError):
            _percents_in_range(graph)


# ---- BODS 0.4 ----


@st.composite
def _bods_inputs(draw: st.DrawFn) -> bytes:
    seed = BODS_SEEDS[draw(st.sampled_from(sorted(BODS_SEEDS)))]
    if draw(st.integers(0, 3)) == 0:
        return draw(mutated_bytes(json.dumps(seed, indent=1).encode()))
    return draw(mutated_json(seed)).encode("utf-8", "surrogatepass")


@fuzz_settings(weight=3)
@given(data=_bods_inputs())
def test_bods_files_read_or_fail_cleanly(workdir: Path, data: bytes):
    path = _write(workdir, "statements.json", data)
    with fuzz_case("bods"):
        graph = ends_cleanly(read_bods, path)
        if not isinstance(graph, GroupkgError):
            _percents_in_range(graph)


# ---- GLEIF relationship records ----


@st.composite
def _gleif_inputs(draw: st.DrawFn) -> tuple[str, bytes]:
    if draw(st.integers(0, 3)) == 0:
        text = draw(mutated_bytes(GLEIF_SEED.encode()))
    else:
        text = draw(mutated_table(GLEIF_SEED)).encode("utf-8", "surrogatepass")
    packing = draw(st.sampled_from(["csv", "csv", "csv", "zip", "zip-two", "zip-broken"]))
    if packing == "csv":
        return "20240201-gleif-rr.csv", text
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("rr.csv", text)
        if packing == "zip-two":
            archive.writestr("other.csv", text)
    packed = out.getvalue()
    if packing == "zip-broken":
        packed = draw(mutated_bytes(packed, max_edits=2))
    return "gleif-rr.zip", packed


@fuzz_settings(weight=3)
@given(case=_gleif_inputs())
def test_gleif_files_read_or_fail_cleanly(workdir: Path, case: tuple[str, bytes]):
    name, data = case
    path = _write(workdir, name, data)
    with fuzz_case("gleif"):
        graph = ends_cleanly(read_gleif, path)
        if not isinstance(graph, GroupkgError):
            _percents_in_range(graph)


# ---- dates ----


@fuzz_settings(weight=4)
@given(text=st.one_of(date_texts(), nasty_text()), what=st.sampled_from(["--at", "date"]))
def test_dates_parse_or_fail_cleanly(text: str, what: str):
    with fuzz_case("dates", seconds=5):
        day = ends_cleanly(parse_date, text, what)
        if not isinstance(day, GroupkgError):
            assert parse_date(day.isoformat()) == day
        partial = ends_cleanly(parse_partial_date, text)
        if not isinstance(partial, GroupkgError):
            # A period is half-open; one that ends on the last day Python has, 9999-12-31,
            # ends there (graph.dates: the day itself is the one empty period).
            assert partial.start < partial.end or partial.end == dt.date.max
            assert parse_partial_date(str(partial)) == partial


# ---- percentages, wherever a file gives one ----

_CSV_HEADER = "owner,owned,percent,percent_min,percent_max\n"
_GLEIF_HEADER = GLEIF_SEED.splitlines()[0].split(",")


def _gleif_row(amount: str) -> str:
    row = next(csv.reader(io.StringIO(GLEIF_SEED.splitlines()[1])))
    row[_GLEIF_HEADER.index("Relationship.Quantifiers.1.QuantifierAmount")] = amount
    out = io.StringIO()
    csv.writer(out).writerows([_GLEIF_HEADER, row])
    return out.getvalue()


@fuzz_settings(weight=3)
@given(
    percent=number_texts() | st.just(""),
    low=number_texts() | st.just(""),
    high=number_texts() | st.just(""),
)
def test_percentages_are_read_within_0_to_100_or_refused(
    workdir: Path, percent: str, low: str, high: str
):
    out = io.StringIO()
    csv.writer(out).writerow(["Acme", "Acme Sub", percent, low, high])
    holdings = _write(workdir, "percent.csv", _CSV_HEADER + out.getvalue())
    gleif = _write(workdir, "percent-rr.csv", _gleif_row(percent))
    bods_seed = json.loads(json.dumps(BODS_SEEDS["bods-package.json"]))
    for statement in bods_seed:
        for interest in (statement.get("recordDetails") or {}).get("interests") or []:
            interest["share"] = {"exact": _json_number(percent), "minimum": _json_number(low)}
    bods = _write(workdir, "percent.json", json.dumps(bods_seed))
    with fuzz_case("percentages"):
        for read, path in ((read_csv, holdings), (read_gleif, gleif), (read_bods, bods)):
            graph = ends_cleanly(read, path)
            if not isinstance(graph, GroupkgError):
                _percents_in_range(graph)


def _json_number(text: str) -> object:
    try:
        return json.loads(text)
    except ValueError:
        return text


# ---- names ----


@pytest.fixture(scope="module")
def toy_names(toy_store: OxigraphStore) -> NameTable:
    return NameTable.from_dataset(Group(toy_store).dataset)


@fuzz_settings(weight=3)
@given(name=st.one_of(st.sampled_from(TOY_NAMES), nasty_text(), st.text(max_size=60)))
def test_names_resolve_or_fail_cleanly(toy_store, toy_names: NameTable, name: str):
    with fuzz_case("names"):
        found = ends_cleanly(toy_names.resolve, name)
        assert isinstance(found, GroupkgError | str)
        listed = ends_cleanly(lookup, toy_store, name)
        assert isinstance(listed, GroupkgError | list)
        resolved = ends_cleanly(resolve_in_store, toy_store, name)
        if isinstance(resolved, str):
            # The store and the loaded index agree on what a name means.
            assert resolved == toy_names.resolve(name)
