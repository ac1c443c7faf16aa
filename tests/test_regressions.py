"""One test per bug found by fuzzing or the hardening work, named after what broke.

Each test holds its data inline and checks that the input now ends in an answer or
in a GroupkgError with a message, never another exception.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import InputError, add_files, open_store, validate_files
from groupkg.graph.cli import cli
from groupkg.graph.dates import day_before, parse_partial_date
from groupkg.graph.facts.names import UnknownName
from groupkg.graph.facts.storenames import resolve_in_store
from groupkg.graph.formats.bods import read_bods
from groupkg.graph.formats.csvholdings import BadInput, read_csv
from groupkg.graph.formats.gleif import read_gleif
from tests.turtle import prefixes

TESTS = Path(__file__).parent
TOY = TESTS / "data" / "toygroup.ttl"
GLEIF_HEADER = (
    "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType\n"
)
GLEIF_ROW = "5493000SUBSIDIARYA31,5493000PARENT0GRP062,IS_DIRECTLY_CONSOLIDATED_BY\n"
PREFIXES = (
    prefixes(ex="https://example.org/r/")
    + """\
ex:src a gk:Source ; dcterms:title "Register" ; dcterms:date "2020-01-01"^^xsd:date .
ex:a a gk:LegalEntity ; rdfs:label "Alpha" ; prov:wasDerivedFrom ex:src .
ex:b a gk:LegalEntity ; rdfs:label "Beta" ; prov:wasDerivedFrom ex:src .
"""
)
BODS_STATEMENTS = [
    {
        "statementId": "c3f2a8f4-0e1d-4a79-9c0c-000000000001",
        "declarationSubject": "acme",
        "statementDate": "2020-01-01",
        "recordId": "acme",
        "recordType": "entity",
        "recordStatus": "new",
        "recordDetails": {
            "isComponent": False,
            "entityType": {"type": "registeredEntity"},
            "name": "Acme Ltd",
        },
        "publicationDetails": {
            "publicationDate": "2020-01-02",
            "bodsVersion": "0.4",
            "publisher": {"name": "Register"},
        },
    },
    {
        "statementId": "c3f2a8f4-0e1d-4a79-9c0c-000000000002",
        "declarationSubject": "acme",
        "statementDate": "2020-01-01",
        "recordId": "jane",
        "recordType": "person",
        "recordStatus": "new",
        "recordDetails": {
            "isComponent": False,
            "personType": "knownPerson",
            "names": [{"type": "legal", "fullName": "Jane Doe"}],
        },
        "publicationDetails": {
            "publicationDate": "2020-01-02",
            "bodsVersion": "0.4",
            "publisher": {"name": "Register"},
        },
    },
    {
        "statementId": "c3f2a8f4-0e1d-4a79-9c0c-000000000003",
        "declarationSubject": "acme",
        "statementDate": "2020-01-01",
        "recordId": "jane-acme",
        "recordType": "relationship",
        "recordStatus": "new",
        "recordDetails": {
            "isComponent": False,
            "subject": "acme",
            "interestedParty": "jane",
            "interests": [
                {"type": "shareholding", "directOrIndirect": "direct", "share": {"exact": 60}}
            ],
        },
        "publicationDetails": {
            "publicationDate": "2020-01-02",
            "bodsVersion": "0.4",
            "publisher": {"name": "Register"},
        },
    },
]


def _write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_bods_statements_inline_are_valid(tmp_path: Path):
    # The base the BODS regressions mutate loads as it is.
    graph = read_bods(_write(tmp_path, "ok.json", json.dumps(BODS_STATEMENTS)))
    assert len(graph) > 10


# ---- importers ----


def test_gleif_file_that_is_not_utf8_is_refused_with_its_line(tmp_path: Path):
    path = _write(tmp_path, "rr.csv", (GLEIF_HEADER + GLEIF_ROW).encode() + b"\xd2\xff,x,y\n")
    with pytest.raises(BadInput, match=r"rr\.csv:\d+: \(file\): not UTF-8"):
        read_gleif(path)


def test_gleif_field_past_the_csv_size_limit_is_refused(tmp_path: Path):
    path = _write(tmp_path, "rr.csv", GLEIF_HEADER + GLEIF_ROW + '"' + "x" * 140_000 + '",a,b\n')
    with pytest.raises(BadInput, match=r"rr\.csv:3: \(file\): field larger than field limit"):
        read_gleif(path)


def test_gleif_zip_that_is_corrupt_is_refused(tmp_path: Path):
    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rr.csv", GLEIF_HEADER + GLEIF_ROW * 50)
    data = bytearray(packed.getvalue())
    data[60:70] = b"\x00" * 10  # inside the compressed member: the CRC no longer matches
    path = _write(tmp_path, "rr.zip", bytes(data))
    with pytest.raises(InputError, match=r"rr\.zip"):
        read_gleif(path)


def test_csv_field_past_the_size_limit_is_refused(tmp_path: Path):
    path = _write(tmp_path, "h.csv", "owner,owned,percent\nA,B,10\n" + "x" * 140_000 + ",C,5\n")
    with pytest.raises(BadInput) as info:
        read_csv(path)
    (problem,) = info.value.problems
    assert (problem.location, problem.field) == (3, "(file)")
    assert "field larger than field limit" in problem.reason


def test_bods_share_that_is_nan_is_refused(tmp_path: Path):
    statements = json.loads(json.dumps(BODS_STATEMENTS))
    statements[2]["recordDetails"]["interests"][0]["share"] = {"exact": float("nan")}
    path = _write(tmp_path, "nan.json", json.dumps(statements))  # writes NaN, as Python reads it
    with pytest.raises(BadInput, match=r"/2/recordDetails/interests/0/share/exact: share: exact"):
        read_bods(path)


def test_bods_number_with_thousands_of_digits_is_refused(tmp_path: Path):
    path = _write(tmp_path, "big.json", "[" + "9" * 5000 + "]")
    with pytest.raises(BadInput, match=r"big\.json:1: \(json\): cannot be read: Exceeds the limit"):
        read_bods(path)


def test_bods_arrays_nested_past_the_recursion_limit_are_refused(tmp_path: Path):
    path = _write(tmp_path, "deep.json", "[" * 100_000 + "]" * 100_000)
    with pytest.raises(BadInput, match=r"deep\.json:1: \(json\): cannot be read"):
        read_bods(path)


# ---- dates at the ends of the calendar ----


def test_partial_date_on_the_last_representable_day():
    # 9999-12-31 is a real day (often written for "no end"): its period, and those of
    # 9999-12 and 9999, end on the last day Python has instead of past it.
    for text, start in (("9999-12-31", (9999, 12, 31)), ("9999-12", (9999, 12, 1)),
                        ("9999", (9999, 1, 1))):  # fmt: skip
        found = parse_partial_date(text)
        assert found.start == dt.date(*start) and found.end == dt.date.max
        assert str(found) == text


def test_merger_effective_on_the_first_representable_day(tmp_path: Path):
    data = _write(
        tmp_path,
        "m.ttl",
        PREFIXES + "ex:m a gk:AbsorptionMerger ; gk:survivor ex:a ; gk:absorbed ex:b ; "
        'gk:effectiveDate "0001-01-01"^^xsd:date ; prov:wasDerivedFrom ex:src .\n',
    )
    base = ["--no-default-data", "--data", str(data)]
    result = CliRunner().invoke(cli, ["owners", "Beta", "--at", "2000-01-01", *base])
    assert result.exit_code == 1  # nothing found: Beta was absorbed on the first day
    assert "dissolved" in result.output
    result = CliRunner().invoke(cli, ["diff", "--event", "m", *base])
    assert result.exit_code == 2
    assert "there is no day before 0001-01-01" in result.stderr


def test_day_before_the_first_day_is_an_input_error():
    with pytest.raises(InputError, match="no day before 0001-01-01"):
        day_before(dt.date.min)


# ---- names ----


def test_very_long_name_is_refused_quickly():
    store = open_store("memory", default_data=False)
    add_files(store, [TOY])
    started = time.monotonic()
    with pytest.raises(UnknownName, match=r"140,000 characters; a name has at most 4,096"):
        resolve_in_store(store, '"' * 140_000)
    assert time.monotonic() - started < 2


# ---- validation ----


def test_validate_reports_a_nan_decimal_instead_of_crashing(tmp_path: Path):
    data = _write(
        tmp_path,
        "nan.ttl",
        PREFIXES
        + 'ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:percent "NaN"^^xsd:decimal ; '
        "gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .\n",
    )
    report = validate_files([data])
    assert not report.conforms
    (finding,) = report.findings
    assert finding.focus == "https://example.org/r/h"
    assert finding.path == "https://w3id.org/groupkg/ontology#percent"


def test_name_of_an_ontology_term_is_no_entity():
    # "percent" is the rdfs:label of gk:percent: the store-side look-up took it for an
    # entity, where the in-memory index (entities only) did not.
    store = open_store("memory", default_data=False)
    add_files(store, [TOY])
    with pytest.raises(UnknownName, match="no entity is called 'percent'"):
        resolve_in_store(store, "percent")
    with pytest.raises(UnknownName):
        resolve_in_store(store, "https://w3id.org/groupkg/ontology#percent")
    assert resolve_in_store(store, "Alpha") == "https://example.org/toy/a"


def test_name_with_bytes_that_are_not_utf8_is_an_input_error():
    # A command-line argument with such bytes reaches Python as a lone surrogate.
    store = open_store("memory", default_data=False)
    add_files(store, [TOY])
    with pytest.raises(UnknownName, match="not valid UTF-8"):
        resolve_in_store(store, "Alpha\udcff")
    with pytest.raises(InputError, match="not valid UTF-8"):
        store.select('SELECT * WHERE { ?s ?p "\udcff" }')


# ---- the persistent store ----


def test_uncommitted_staging_graph_is_not_counted(tmp_path: Path):
    import pyoxigraph as ox

    from groupkg.graph import OxigraphStore

    path = tmp_path / "store"
    writer = open_store(f"oxigraph:{path}", default_data=False, writable=True)
    assert isinstance(writer, OxigraphStore)
    before = len(writer)
    staging = ox.NamedNode("urn:groupkg:import:killed-before-its-commit")
    triple = (ox.NamedNode("https://example.org/a"), ox.NamedNode("https://example.org/p"))
    writer.store.add(ox.Quad(*triple, ox.Literal("x"), staging))
    writer.close()
    reader = OxigraphStore(path, read_only=True)
    assert len(reader) == before
    reader.close()


def test_files_of_a_killed_bulk_load_are_removed_by_the_next_writer(tmp_path: Path):
    from groupkg.graph import OxigraphStore

    path = tmp_path / "store"

    def writer() -> None:
        store = open_store(f"oxigraph:{path}", default_data=False, writable=True)
        assert isinstance(store, OxigraphStore)
        store.close()

    writer()
    leftover = path / "bulk-123456789.sst"
    leftover.write_bytes(b"\0" * 4096)
    reader = open_store(f"oxigraph:{path}", default_data=False)  # readers leave it alone
    assert leftover.exists() and len(reader) > 0
    writer()
    assert not leftover.exists()


# ---- the command line ----


def test_sparql_query_file_that_is_not_utf8_is_an_input_error(tmp_path: Path):
    query = _write(tmp_path, "q.rq", b"\xd3SELECT * WHERE { ?s ?p ?o }")
    result = CliRunner().invoke(cli, ["sparql", "-f", str(query), "--no-default-data"])
    assert result.exit_code == 2
    assert f"{query}: not UTF-8" in result.stderr


@pytest.mark.parametrize("spec", ["sparql:not a url", "sparql:ftp://example.org/sparql"])
def test_sparql_store_that_is_no_http_url_is_an_input_error(spec: str):
    result = CliRunner().invoke(cli, ["info", "--store", spec])
    assert result.exit_code == 2
    assert "is not an http:// or https:// URL" in result.stderr


def test_synth_with_more_entities_than_a_disk_holds_is_refused(tmp_path: Path):
    result = CliRunner().invoke(
        cli, ["synth", "--entities", "9" * 40, "-o", str(tmp_path / "s.nt"), "--quiet"]
    )
    assert result.exit_code == 2
    assert "is not in the range 1<=x<=100000000" in result.stderr
    assert not (tmp_path / "s.nt").exists()


def test_validate_compares_a_nan_double_with_a_decimal_without_crashing(tmp_path: Path):
    # The shapes compare percentMin with percentMax in SPARQL; rdflib compared
    # Decimal(10) with float("nan") and raised decimal.InvalidOperation.
    data = _write(
        tmp_path,
        "nan.ttl",
        PREFIXES + "ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:percentMin 10 ; "
        'gk:percentMax "NaN"^^xsd:double ;\n'
        "    gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .\n",
    )
    report = validate_files([data])
    assert not report.conforms
    assert "https://w3id.org/groupkg/ontology#percentMax" in {f.path for f in report.findings}
    assert {f.focus for f in report.findings} == {"https://example.org/r/h"}


# ---- figures that are no numbers ----

ODD_FIGURES = (
    PREFIXES
    + """\
ex:o a gk:ShareCapitalObservation ; gk:subject ex:b ; gk:measure gk:IssuedShares ;
    gk:value 1000 ; gk:asOf "2013-01-01"^^xsd:date .
"""
)


def _answers(tmp_path: Path, turtle: str, *question: str):
    data = _write(tmp_path, "odd.ttl", ODD_FIGURES + turtle)
    as_json = [] if question[0] == "export" else ["--json"]  # export writes its own format
    return CliRunner().invoke(cli, [*question, *as_json, "--no-default-data", "--data", str(data)])


def test_holding_with_a_nan_percent_is_answered_as_unknown(tmp_path: Path):
    result = _answers(
        tmp_path,
        'ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:percent "NaN"^^xsd:double ; '
        'gk:asOf "2013-01-01"^^xsd:date .\n',
        *("owners", "Beta", "--at", "2013-06-30"),
    )
    assert result.exit_code == 0, result.output
    (owner,) = json.loads(result.stdout)["owners"]
    assert owner["name"] == "Alpha" and owner["percent"] is None


def test_split_past_any_number_leaves_the_share_count_unknown(tmp_path: Path):
    result = _answers(
        tmp_path,
        "ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:shares 600 ; "
        'gk:asOf "2013-01-01"^^xsd:date .\n'
        "ex:s a gk:StockSplit ; gk:issuer ex:b ; gk:splitRatio 1E308 ; "
        'gk:effectiveDate "2014-01-01"^^xsd:date .\n',
        *("owners", "Beta", "--at", "2014-06-30"),
    )
    assert result.exit_code == 0, result.output
    (owner,) = json.loads(result.stdout)["owners"]
    assert owner["shares"] is None and owner["percent"] is None


def test_share_count_that_is_nan_is_no_count(tmp_path: Path):
    result = _answers(
        tmp_path,
        "ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:percent 10 ; "
        'gk:shares "NaN"^^xsd:decimal ; gk:asOf "2013-01-01"^^xsd:date .\n'
        "ex:i a gk:PublicOffering ; gk:issuer ex:b ; "
        'gk:newSharesIssued "Infinity"^^xsd:decimal ; gk:effectiveDate "2014-01-01"^^xsd:date .\n',
        *("owners", "Beta", "--at", "2014-06-30"),
    )
    assert result.exit_code == 0, result.output
    (owner,) = json.loads(result.stdout)["owners"]
    assert owner["percent"] == 10 and owner["shares"] is None


def test_validate_compares_a_nan_decimal_with_a_decimal_without_crashing(tmp_path: Path):
    # Marked ill-typed, "NaN"^^xsd:decimal still carried Decimal("NaN") as its value,
    # and rdflib compares two literals of one datatype by value.
    data = _write(
        tmp_path,
        "nan.ttl",
        PREFIXES + "ex:h a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; "
        'gk:percentMin "NaN"^^xsd:decimal ;\n'
        "    gk:percentMax 50 ; gk:factStatus gk:Stated ; prov:wasDerivedFrom ex:src .\n",
    )
    report = validate_files([data])
    assert not report.conforms
    assert "https://w3id.org/groupkg/ontology#percentMin" in {f.path for f in report.findings}


# ---- import ----


def test_csv_cell_with_a_line_break_imports_into_a_store(tmp_path: Path):
    # The importer wrote rdflib's n3() of the source title, a triple-quoted Turtle
    # string, into its N-Triples staging file, and the store refused the file.
    from groupkg.graph import import_file

    holdings = _write(
        tmp_path, "h.csv", 'owner,owned,percent,source\nAcme,Acme Sub,60,"Annual report\n2020"\n'
    )
    store = open_store(f"oxigraph:{tmp_path / 'store'}", default_data=False, writable=True)
    assert import_file(store, holdings) > 0
    rows = store.select("SELECT ?t WHERE { ?s <http://purl.org/dc/terms/title> ?t }")
    assert {row["t"] for row in rows} == {"Annual report\n2020"}


# ---- export ----

ILL_TYPED = """\
ex:h0 a gk:Holding ; gk:owner ex:b ; gk:owned ex:a ; gk:percent "Infinity"^^xsd:decimal ;
    gk:asOf "2013-01-01"^^xsd:date .
ex:h1 a gk:Holding ; gk:owner ex:a ; gk:owned ex:b ; gk:percentMin "NaN"^^xsd:decimal ;
    gk:percentMax "abc"^^xsd:decimal ; gk:asOf "2013-01-01"^^xsd:date .
"""


def test_bods_export_leaves_out_a_percent_that_is_no_number(tmp_path: Path):
    result = _answers(tmp_path, ILL_TYPED, "export", "--format", "bods", "--lossy")
    assert result.exit_code == 0, result.output
    statements = json.loads(result.stdout)
    interests = [
        interest
        for st in statements
        if st["recordType"] == "relationship"
        for interest in st["recordDetails"]["interests"]
    ]
    assert len(interests) == 2 and all("share" not in interest for interest in interests)


def test_export_of_ill_typed_literals_logs_no_traceback(tmp_path: Path, caplog):
    result = _answers(tmp_path, ILL_TYPED, "export", "--format", "csv", "--lossy")
    assert result.exit_code == 0, result.output
    assert [r for r in caplog.records if r.exc_info] == []
