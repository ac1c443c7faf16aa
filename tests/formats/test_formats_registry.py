"""One meaning per file: ``import``, ``--data`` and ``validate`` read every suffix the
same way, as the format registry says (by suffix, and by content where a suffix is
shared)."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from rdflib import XSD

from groupkg.graph import FORMATS, InputError, format_of
from groupkg.graph.cli import cli
from groupkg.graph.formats.registry import by_media_type, by_name, readable_suffixes
from groupkg.graph.validate import parse_rdf_file
from groupkg.graph.vocab import GK
from tests.turtle import prefixes

DATA = Path(__file__).parents[1] / "data"
GLEIF_CSV = DATA / "gleif" / "sample.csv"
BODS_JSON = DATA / "bods-0.4" / "valid-statements" / "relationship.json"
GLEIF_XML = DATA / "real" / "gleif-rr-2023-11-06" / "rr-updates-data2.xml"
HOLDINGS = "owner,owned,percent,start_date,source\nAcme Holdings,Acme Trading,60,2020-01-01,notes\n"
TURTLE = (
    prefixes(ex="https://example.org/g/")
    + """\
ex:parent a gk:LegalEntity ; rdfs:label "Parent Co" .
ex:child a gk:LegalEntity ; rdfs:label "Child Co" .
ex:h a gk:Holding ; gk:owner ex:parent ; gk:owned ex:child ;
    gk:percent 60.0 ; gk:factStatus gk:Stated .
"""
)
RDF_SYNTAX = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS,
    ".trig": ox.RdfFormat.TRIG,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}


def invoke(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def _rdf_file(folder: Path, suffix: str) -> Path:
    triples = ox.parse(TURTLE.encode(), format=ox.RdfFormat.TURTLE)
    path = folder / f"group{suffix}"
    path.write_bytes(ox.serialize(triples, format=RDF_SYNTAX[suffix]) or b"")
    return path


def _sample(folder: Path, case: str) -> Path:
    """A small file of each kind a suffix may hold."""
    if case in RDF_SYNTAX:
        return _rdf_file(folder, case)
    if case == ".csv holdings":
        path = folder / "holdings.csv"
        path.write_text(HOLDINGS, encoding="utf-8")
        return path
    if case == ".csv gleif":
        return Path(shutil.copy(GLEIF_CSV, folder / "relationships.csv"))
    if case == ".json bods":
        return Path(shutil.copy(BODS_JSON, folder / "statements.json"))
    if case == ".jsonl bods":
        lines = [json.dumps(st) for st in json.loads(BODS_JSON.read_text(encoding="utf-8"))]
        path = folder / "statements.jsonl"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path
    assert case == ".zip"
    path = folder / "golden-copy.csv.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.write(GLEIF_CSV, "golden-copy.csv")
    return path


CASES = [*RDF_SYNTAX, ".csv holdings", ".csv gleif", ".json bods", ".jsonl bods", ".zip"]


def _triples(result: Result) -> list[str]:
    """Exported N-Triples, blank node labels left out (each run draws new ones)."""
    assert result.exit_code == 0, result.output
    return sorted(re.sub(r"_:\w+", "_:b", line) for line in result.output.splitlines())


def test_every_readable_suffix_has_a_sample_here():
    assert {case.split()[0] for case in CASES} == set(readable_suffixes())


@pytest.mark.parametrize("case", CASES)
def test_import_data_and_validate_read_a_file_alike(tmp_path: Path, case: str):
    path = _sample(tmp_path, case)
    store = f"oxigraph:{tmp_path / 'db'}"
    imported = invoke("--no-default-data", "--store", store, "import", str(path))
    assert imported.exit_code == 0, imported.output
    from_store = _triples(invoke("--store", store, "export", "--format", "nt"))
    from_data = _triples(
        invoke("--no-default-data", "--data", str(path), "export", "--format", "nt")
    )
    # The import gives the import time to the records without a knowledge time of
    # their own; a file read with --data is not imported, and keeps none.
    stamps = [t for t in from_store if t not in from_data]
    assert all(f"<{GK.knownFrom}>" in t and f"<{XSD.dateTime}>" in t for t in stamps)
    assert [t for t in from_store if t not in stamps] == from_data
    assert from_data
    checked = invoke("validate", str(path))
    assert checked.exit_code in (0, 1), checked.output
    assert "Error" not in checked.output


def test_a_json_ld_json_file_is_json_ld_to_import_as_to_validate(tmp_path: Path):
    # Import took every .json for BODS ("statementId is a required property"), the
    # validator for JSON-LD.
    path = _rdf_file(tmp_path, ".json")
    assert format_of(path) == by_name("jsonld")
    result = invoke("--no-default-data", "--store", "memory", "import", str(path))
    assert result.exit_code == 0, result.output
    assert f"imported {len(parse_rdf_file(path))} triples" in result.output


def test_a_bods_json_file_is_bods_to_validate_as_to_import(tmp_path: Path):
    path = Path(shutil.copy(BODS_JSON, tmp_path / "statements.json"))
    assert format_of(path) == by_name("bods")
    with pytest.raises(InputError, match=r"BODS statements file, not RDF"):
        parse_rdf_file(path)
    assert invoke("validate", str(path)).exit_code in (0, 1)


def test_an_xml_file_is_rdf_xml_to_data_as_to_validate(tmp_path: Path):
    # --data refused .xml as an unknown file type; the validator read it as RDF/XML.
    path = _rdf_file(tmp_path, ".xml")
    result = invoke("--no-default-data", "--data", str(path), "export", "--format", "nt")
    assert result.exit_code == 0, result.output
    assert len(result.output.splitlines()) == len(parse_rdf_file(path))


def test_gleif_xml_is_read_alike_by_every_command(tmp_path: Path):
    # GLEIF XML was refused with a pointer to the CSV; it is told by its root element.
    path = Path(shutil.copy(GLEIF_XML, tmp_path / "rr.xml"))
    assert format_of(path) == by_name("gleif-rr")
    imported = invoke("--no-default-data", "--store", "memory", "import", str(path))
    assert imported.exit_code == 0, imported.output
    exported = invoke("--no-default-data", "--data", str(path), "export", "--format", "nt")
    assert exported.exit_code == 0, exported.output
    assert "is-directly-consolidated-by" in exported.output
    assert invoke("validate", str(path)).exit_code in (0, 1)


def test_a_csv_file_is_told_by_its_header_not_its_name(tmp_path: Path):
    # A name holding "rr" made any CSV a GLEIF file, and a GLEIF file named otherwise
    # was read as holdings ("unknown column").
    holdings = tmp_path / "harrods-holdings.csv"
    holdings.write_text(HOLDINGS, encoding="utf-8")
    gleif = Path(shutil.copy(GLEIF_CSV, tmp_path / "level2.csv"))
    assert format_of(holdings) == by_name("csv")
    assert format_of(gleif) == by_name("gleif-rr")
    for path in (holdings, gleif):
        result = invoke("--no-default-data", "--store", "memory", "import", str(path))
        assert result.exit_code == 0, result.output


def test_unknown_suffixes_and_names():
    assert format_of(Path("notes.txt")) is None
    assert format_of(Path("group.n3")) is None  # Oxigraph reads N3; groupkg does not
    with pytest.raises(InputError, match="'graphml' is not one of"):
        by_name("graphml")
    assert by_name("graphml", writing=True).writable


def test_each_format_once_and_rdf_media_types_from_oxigraph():
    assert len({f.name for f in FORMATS}) == len(FORMATS)
    for found in FORMATS:
        for media_type in found.media_types:
            assert by_media_type(media_type) is not None
        if found.syntax is not None:
            assert by_media_type(found.syntax.media_type) == found
