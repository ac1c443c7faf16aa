"""GLEIF Level 1 LEI records and reporting exceptions, CSV and XML: mapped to entities,
told by content, refused where a relationship file is asked for."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from rdflib import RDFS, XSD, Literal, URIRef

from groupkg.graph import InputError
from groupkg.graph.errors import BadInput
from groupkg.graph.formats.gleif import LEI_BASE, iter_gleif_triples, read_gleif
from groupkg.graph.formats.registry import by_name, format_of
from groupkg.graph.vocab import GK

REAL = Path(__file__).parents[1] / "data" / "real"
LEI_XML = REAL / "gleif-rr-2023-11-06" / "lei-updates-data2.xml"
LEI_CSV = REAL / "gleif-rr-csv-2019" / "lei-golden-copy-excerpt.csv"
REPEX = "http://www.gleif.org/data/schema/repex/2016"


def entity(lei: str) -> URIRef:
    return URIRef(LEI_BASE + lei)


def test_level_1_xml_gives_names_forms_statuses_and_identifiers():
    graph = read_gleif(LEI_XML)
    vub = entity("097900BHF50000076475")  # L1 2 of the sample's README
    assert graph.value(vub, RDFS.label) == Literal(
        "VÚB Generali dôchodková správcovská spoločnosť, a.s."
    )
    assert graph.value(vub, GK.jurisdiction) == Literal("SK")
    assert graph.value(vub, GK.legalForm) == Literal("2EEG")
    assert graph.value(vub, GK.entityStatus) == Literal("ACTIVE")
    assert set(graph.objects(vub, GK.alias)) == {
        Literal("VUB GENERALI DOCHODKOVA SPRAVCOVSKA SPOLOCNOST, AS")
    }
    schemes = {
        (str(graph.value(i, GK.identifierScheme)), str(graph.value(i, GK.identifierValue)))
        for i in graph.objects(vub, GK.hasIdentifier)
    }
    assert schemes == {("LEI", "097900BHF50000076475"), ("RA000526", "35903058")}
    moneytech = entity("984500501A1B1045PB30")  # L1 11: a lapsed LEI, an active entity
    assert graph.value(moneytech, GK.registrationStatus) == Literal("LAPSED")
    assert graph.value(moneytech, GK.dissolutionDate) is None


def test_level_1_csv_inactive_with_a_date_is_dissolved_without_none_invented():
    graph = read_gleif(LEI_CSV)
    assert graph.value(entity("00TR8NKAEL48RGTZEW89"), GK.dissolutionDate) == Literal(
        "2018-11-09", datatype=XSD.date
    )
    icon = entity("0292001436A4KDG0E577")
    assert graph.value(icon, GK.entityStatus) == Literal("INACTIVE")
    assert graph.value(icon, GK.dissolutionDate) is None
    # 8888 / 9999: no ELF code, the other legal form's words
    assert graph.value(icon, GK.legalForm) == Literal("LIMITED")


def test_level_1_files_are_told_by_content_and_refused_as_relationship_records(tmp_path):
    for path in (LEI_XML, LEI_CSV):
        assert format_of(path) == by_name("gleif")
    with zipfile.ZipFile(tmp_path / "lei.zip", "w") as archive:
        archive.write(LEI_XML, "lei.xml")
    assert format_of(tmp_path / "lei.zip") == by_name("gleif")
    assert len(read_gleif(tmp_path / "lei.zip")) == len(read_gleif(LEI_XML))
    with pytest.raises(InputError, match="Level 1 LEI records, not GLEIF Level 2 relationship"):
        list(iter_gleif_triples(LEI_CSV, expect="rr"))


def test_a_level_1_record_without_a_legal_name_is_a_problem_on_its_line(tmp_path):
    path = tmp_path / "lei.csv"
    path.write_text(
        "LEI,Entity.LegalName,Entity.EntityStatus\n"
        "001GPB6A9XPE8XJICC14,,ACTIVE\n"
        "00TR8NKAEL48RGTZEW8X,A name,ACTIVE\n"
    )
    with pytest.raises(BadInput) as caught:
        read_gleif(path)
    assert [(p.location, p.field) for p in caught.value.problems] == [
        (2, "Entity.LegalName"),
        (3, "LEI"),
    ]


def test_reporting_exceptions_csv_and_xml_are_kept_on_the_entity(tmp_path):
    csv_path = tmp_path / "repex.csv"
    csv_path.write_text(
        "LEI,ExceptionCategory,ExceptionReason.1,ExceptionReference.1\n"
        "001GPB6A9XPE8XJICC14,DIRECT_ACCOUNTING_CONSOLIDATION_PARENT,NATURAL_PERSONS,\n"
        "001GPB6A9XPE8XJICC14,ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT,NON_CONSOLIDATING,\n"
    )
    xml_path = tmp_path / "repex.xml"
    xml_path.write_text(
        f'<?xml version="1.0"?>\n<repex:ReportingExceptionsData xmlns:repex="{REPEX}">'
        "<repex:ReportingExceptions>"
        "<repex:Exception><repex:LEI>001GPB6A9XPE8XJICC14</repex:LEI>"
        "<repex:ExceptionCategory>DIRECT_ACCOUNTING_CONSOLIDATION_PARENT</repex:ExceptionCategory>"
        "<repex:ExceptionReason>NATURAL_PERSONS</repex:ExceptionReason></repex:Exception>"
        "<repex:Exception><repex:LEI>001GPB6A9XPE8XJICC14</repex:LEI>"
        "<repex:ExceptionCategory>ULTIMATE_ACCOUNTING_CONSOLIDATION_PARENT</repex:ExceptionCategory>"
        "<repex:ExceptionReason>NON_CONSOLIDATING</repex:ExceptionReason></repex:Exception>"
        "</repex:ReportingExceptions></repex:ReportingExceptionsData>\n"
    )
    expected = {
        Literal("direct parent: NATURAL_PERSONS"),
        Literal("ultimate parent: NON_CONSOLIDATING"),
    }
    for path in (csv_path, xml_path):
        assert format_of(path) == by_name("gleif")
        graph = read_gleif(path)
        assert set(graph.objects(entity("001GPB6A9XPE8XJICC14"), GK.reportingException)) == (
            expected
        )
