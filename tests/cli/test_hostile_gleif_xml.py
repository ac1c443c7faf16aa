"""Hostile GLEIF XML files: refused with one line naming the file, exit 2, nothing
written to the store; the XML is checked by the hardened parser before lxml streams it."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from groupkg.graph import open_store
from tests.cli.test_hostile_inputs import NO_DATA, one_line_error, run

RR = 'xmlns:rr="http://www.gleif.org/data/schema/rr/2016"'
RECORD = (
    "<rr:RelationshipRecord><rr:Relationship>"
    "<rr:StartNode><rr:NodeID>{child}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>"
    "<rr:EndNode><rr:NodeID>5493000PARENT0GRP062</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType>"
    "</rr:EndNode><rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>"
    "<rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus></rr:Relationship>"
    "</rr:RelationshipRecord>"
)


def document(records: str, prolog: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
        f"<rr:RelationshipData {RR}>\n<rr:RelationshipRecords>\n{records}\n"
        "</rr:RelationshipRecords></rr:RelationshipData>\n"
    )


def laughs(levels: int) -> str:
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, levels + 1)
    ]
    prolog = f"<!DOCTYPE rr:RelationshipData [{''.join(entities)}]>\n"
    return document(RECORD.format(child=f"&a{levels};"), prolog)


def imported(tmp_path: Path, path: Path):
    store = tmp_path / "store"
    return run(*NO_DATA, "--store", f"oxigraph:{store}", "import", str(path)), store


def nothing_written(store: Path) -> None:
    """No data in the store: at most the ontology a new store is made with."""
    if store.exists():
        query = (
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o "
            'FILTER(STRSTARTS(STR(?s), "https://w3id.org/groupkg/data/")) }'
        )
        (row,) = open_store(f"oxigraph:{store}", default_data=False).select(query)
        assert int(row["n"]) == 0


def test_a_billion_laughs_gleif_xml_is_refused_and_nothing_written(tmp_path: Path):
    path = tmp_path / "laughs-rr.xml"
    path.write_text(laughs(9), encoding="utf-8")
    assert path.stat().st_size < 2000  # asks for 10**9 "lol"s
    result, store = imported(tmp_path, path)
    one_line_error(result, "laughs-rr.xml", "entity declarations are refused")
    nothing_written(store)


def test_a_billion_laughs_level_1_xml_is_refused_and_nothing_written(tmp_path: Path):
    lei = 'xmlns:lei="http://www.gleif.org/data/schema/leidata/2016"'
    entities = ['<!ENTITY a0 "lol">'] + [
        f'<!ENTITY a{i} "{f"&a{i - 1};" * 10}">' for i in range(1, 10)
    ]
    path = tmp_path / "laughs-lei.xml"
    path.write_text(
        f'<?xml version="1.0"?>\n<!DOCTYPE lei:LEIData [{"".join(entities)}]>\n'
        f"<lei:LEIData {lei}><lei:LEIRecords><lei:LEIRecord><lei:LEI>001GPB6A9XPE8XJICC14</lei:LEI>"
        "<lei:Entity><lei:LegalName>&a9;</lei:LegalName></lei:Entity></lei:LEIRecord>"
        "</lei:LEIRecords></lei:LEIData>\n",
        encoding="utf-8",
    )
    result, store = imported(tmp_path, path)
    one_line_error(result, "laughs-lei.xml", "entity declarations are refused")
    nothing_written(store)


def test_an_external_entity_in_gleif_xml_is_refused_and_not_read(tmp_path: Path):
    secret = tmp_path / "secret.txt"
    secret.write_text("5493000SUBSIDIARYA31", encoding="utf-8")
    prolog = f'<!DOCTYPE rr:RelationshipData [<!ENTITY x SYSTEM "file://{secret}">]>\n'
    path = tmp_path / "ext-rr.xml"
    path.write_text(document(RECORD.format(child="&x;"), prolog), encoding="utf-8")
    result, store = imported(tmp_path, path)
    one_line_error(result, "ext-rr.xml", "refused")
    nothing_written(store)


def test_a_huge_text_node_in_gleif_xml_is_refused_by_line(tmp_path: Path):
    # lxml without huge_tree refuses a text node over 10 MB instead of holding it.
    path = tmp_path / "huge-rr.xml"
    path.write_text(document(RECORD.format(child="A" * 11_000_000)), encoding="utf-8")
    result, store = imported(tmp_path, path)
    line = one_line_error(result, "huge-rr.xml", "Text node too long")
    assert "XML_PARSE_HUGE" not in line
    nothing_written(store)


@pytest.mark.parametrize("zipped", [False, True])
def test_a_gleif_xml_that_is_not_well_formed_is_one_line(tmp_path: Path, zipped: bool):
    text = document(RECORD.format(child="5493000SUBSIDIARYA31")).replace(
        "</rr:RelationshipData>", ""
    )
    path = tmp_path / "broken-rr.xml"
    path.write_text(text, encoding="utf-8")
    if zipped:
        with zipfile.ZipFile(tmp_path / "broken-rr.zip", "w") as archive:
            archive.write(path, "broken-rr.xml")
        path = tmp_path / "broken-rr.zip"
    result, store = imported(tmp_path, path)
    one_line_error(result, path.name, "not well-formed")
    nothing_written(store)


def test_a_zipped_gleif_xml_imports(tmp_path: Path):
    path = tmp_path / "rr.xml"
    path.write_text(document(RECORD.format(child="5493000SUBSIDIARYA31")), encoding="utf-8")
    with zipfile.ZipFile(tmp_path / "rr.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(path, "20231106-gleif-concatenated-file-rr.xml")
    result, store = imported(tmp_path, tmp_path / "rr.zip")
    assert result.exit_code == 0, result.output
    owners = run(*NO_DATA, "--store", f"oxigraph:{store}", "owners", "5493000SUBSIDIARYA31")
    assert "5493000PARENT0GRP062" in owners.output
    with pytest.raises(AssertionError):
        nothing_written(store)  # the check sees what an import writes
