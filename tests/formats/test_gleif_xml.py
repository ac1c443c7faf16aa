"""GLEIF relationship records as XML: read as their CSV is, record for record, streamed
with flat memory."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from rdflib import RDF, Graph, URIRef
from rdflib.term import Node

from groupkg.graph.formats.gleif import read_gleif
from groupkg.graph.formats.gleif.files import opened_records
from groupkg.graph.vocab import GK

RR = "http://www.gleif.org/data/schema/rr/2016"


def check_digits(base18: str) -> str:
    number = int("".join(str(int(c, 36)) for c in base18 + "00"))
    return base18 + f"{98 - number % 97:02d}"


RECORD = """<rr:RelationshipRecord>
   <rr:Relationship>
      <rr:StartNode><rr:NodeID>{child}</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:StartNode>
      <rr:EndNode><rr:NodeID>5493000PARENT0GRP062</rr:NodeID><rr:NodeIDType>LEI</rr:NodeIDType></rr:EndNode>
      <rr:RelationshipType>IS_DIRECTLY_CONSOLIDATED_BY</rr:RelationshipType>
      <rr:RelationshipPeriods>
         <rr:RelationshipPeriod>
            <rr:StartDate>2022-01-01T00:00:00Z</rr:StartDate>
            <rr:EndDate>2022-12-31T00:00:00Z</rr:EndDate>
            <rr:PeriodType>ACCOUNTING_PERIOD</rr:PeriodType>
         </rr:RelationshipPeriod>
         <rr:RelationshipPeriod>
            <rr:StartDate>2015-04-01T00:00:00+02:00</rr:StartDate>
            <rr:PeriodType>RELATIONSHIP_PERIOD</rr:PeriodType>
         </rr:RelationshipPeriod>
      </rr:RelationshipPeriods>
      <rr:RelationshipStatus>ACTIVE</rr:RelationshipStatus>
      <rr:RelationshipQuantifiers>
         <rr:RelationshipQuantifier>
            <rr:MeasurementMethod>ACCOUNTING_CONSOLIDATION</rr:MeasurementMethod>
            <rr:QuantifierAmount>60.00</rr:QuantifierAmount>
            <rr:QuantifierUnits>PERCENTAGE</rr:QuantifierUnits>
         </rr:RelationshipQuantifier>
      </rr:RelationshipQuantifiers>
   </rr:Relationship>
   <rr:Registration>
      <rr:RegistrationStatus>PUBLISHED</rr:RegistrationStatus>
      <rr:ValidationSources>FULLY_CORROBORATED</rr:ValidationSources>
   </rr:Registration>
</rr:RelationshipRecord>
"""
CSV_HEADER = (
    "Relationship.StartNode.NodeID,Relationship.StartNode.NodeIDType,"
    "Relationship.EndNode.NodeID,Relationship.EndNode.NodeIDType,"
    "Relationship.RelationshipType,Relationship.RelationshipStatus,"
    "Registration.RegistrationStatus,Registration.ValidationSources,"
    "Relationship.Period.1.startDate,Relationship.Period.1.endDate,"
    "Relationship.Period.1.periodType,Relationship.Period.2.startDate,"
    "Relationship.Period.2.endDate,Relationship.Period.2.periodType,"
    "Relationship.Quantifiers.1.MeasurementMethod,Relationship.Quantifiers.1.QuantifierAmount,"
    "Relationship.Quantifiers.1.QuantifierUnits\n"
)
CSV_ROW = (
    "{child},LEI,5493000PARENT0GRP062,LEI,IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,PUBLISHED,"
    "FULLY_CORROBORATED,2022-01-01T00:00:00Z,2022-12-31T00:00:00Z,ACCOUNTING_PERIOD,"
    "2015-04-01T00:00:00+02:00,,RELATIONSHIP_PERIOD,ACCOUNTING_CONSOLIDATION,60.00,PERCENTAGE\n"
)


def children(count: int) -> list[str]:
    return [check_digits(f"5493{i:014d}") for i in range(count)]


def write_xml(path: Path, count: int) -> Path:
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(
            f'<?xml version="1.0" encoding="UTF-8"?>\n<rr:RelationshipData xmlns:rr="{RR}">\n'
        )
        stream.write("<rr:RelationshipRecords>\n")
        for child in children(count):
            stream.write(RECORD.format(child=child))
        stream.write("</rr:RelationshipRecords>\n</rr:RelationshipData>\n")
    return path


def facts(graph: Graph) -> set[tuple[Node, Node, Node]]:
    """The triples of a file but those of its source (named after the file)."""
    (source,) = graph.subjects(RDF.type, GK.Source)
    return {(s, p, URIRef("urn:source") if o == source else o) for s, p, o in graph if s != source}


def test_an_xml_file_gives_the_triples_its_csv_gives(tmp_path):
    xml = write_xml(tmp_path / "20240101-rr.xml", 3)
    csv = tmp_path / "20240101-rr.csv"
    csv.write_text(CSV_HEADER + "".join(CSV_ROW.format(child=c) for c in children(3)))
    assert facts(read_gleif(xml)) == facts(read_gleif(csv))


def test_a_zip_holding_one_xml_file_reads_as_the_file(tmp_path):
    xml = write_xml(tmp_path / "rr.xml", 3)
    with zipfile.ZipFile(tmp_path / "rr.zip", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(xml, "rr.xml")
    assert facts(read_gleif(tmp_path / "rr.zip")) == facts(read_gleif(xml))


def test_each_record_tells_the_line_it_starts_on(tmp_path):
    xml = write_xml(tmp_path / "rr.xml", 3)
    with opened_records(xml, "rr", "xml") as records:
        lines = [line for line, _ in records]
    record_lines = RECORD.count("\n")
    assert lines == [4 + n * record_lines for n in range(3)]


PEAK = """
import resource, sys
from groupkg.graph.formats.gleif import iter_gleif_triples
for batch in iter_gleif_triples(sys.argv[1], batch_size=2000):
    del batch
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(path: Path) -> int:
    """The peak resident memory of a process streaming ``path`` (lxml's C allocations
    included, which tracemalloc does not see)."""
    done = subprocess.run(
        [sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_memory_stays_flat_as_the_xml_grows(tmp_path):
    small = peak_kib(write_xml(tmp_path / "small.xml", 2_000))
    large = peak_kib(write_xml(tmp_path / "large.xml", 40_000))  # 20 times the records
    assert large < small + 40_000, (small, large)  # a kept tree would take ~100 MB more
