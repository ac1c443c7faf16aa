"""One company in several sources is one entity: real BODS and GLEIF records of the same
companies, imported side by side, answer as one group; the import order never matters.

The GLEIF records of Home Credit are published as golden-copy JSON, which groupkg does
not read: the test writes them out as the GLEIF CSV files groupkg imports, column for
column. The AstraZeneca relationship record is written for the test (DESIGN.md's own
example): the parent's LEI is made up.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from groupkg.graph import Group, add_files, open_store
from groupkg.graph.cli import cli
from tests.real.asking import imported

REAL = Path(__file__).parents[1] / "data" / "real" / "gleif-bods-homecredit-replace"
AZ_BODS = Path(__file__).parents[1] / "data" / "bods-0.4" / "examples" / "plc-entity-statement.json"
AZ_LEI, AZ_PARENT = "PY6ZZQWO2IZFZC3IOL08", "5493000AZPARENT0GR67"
SLOVAKIA = "097900CAKA0000147706"


def _answer(args: list[str], *files: Path, store: str | None = None) -> dict:
    data = [arg for f in files for arg in ("--data", str(f))]
    where = ["--store", store] if store else data
    result = CliRunner().invoke(cli, [*where, "--no-default-data", "--json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _group(*files: Path) -> Group:
    store = open_store("memory", default_data=False)
    add_files(store, list(files))
    return Group(store)


@pytest.fixture(scope="module")
def az_relationship(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("az") / "rr.csv"
    path.write_text(
        "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,Relationship.RelationshipType,"
        "Relationship.RelationshipStatus,Relationship.Period.1.startDate,"
        "Relationship.Period.1.periodType\n"
        f"{AZ_LEI},{AZ_PARENT},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2020-01-01T00:00:00Z,"
        "RELATIONSHIP_PERIOD\n",
        encoding="utf-8",
    )
    return path


@pytest.fixture(scope="module")
def homecredit_level1(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The GLEIF Level 1 records of the sample (the latest version of each LEI) as CSV."""
    records = json.loads((REAL / "relationship_replace_relationship.json").read_text("utf-8"))
    latest = {r["LEI"]: r for r in records if "LEI" in r}  # in update order
    path = tmp_path_factory.mktemp("homecredit") / "lei.csv"
    columns = ["LEI", "Entity.LegalName", "Entity.LegalJurisdiction", "Entity.EntityStatus",
               "Entity.RegistrationAuthority.RegistrationAuthorityID",
               "Entity.RegistrationAuthority.RegistrationAuthorityEntityID"]  # fmt: skip
    with path.open("w", newline="", encoding="utf-8") as stream:
        out = csv.writer(stream)
        out.writerow(columns)
        for lei, r in sorted(latest.items()):
            e = r["Entity"]
            authority = e["RegistrationAuthority"]
            out.writerow([lei, e["LegalName"], e["LegalJurisdiction"], e["EntityStatus"],
                          authority["RegistrationAuthorityID"],
                          authority["RegistrationAuthorityEntityID"]])  # fmt: skip
    return path


def test_a_gleif_relationship_of_an_lei_names_the_parent_of_the_bods_company(
    az_relationship: Path,
) -> None:
    # The example: BODS gives AstraZeneca PLC with its LEI, GLEIF says that LEI
    # is consolidated by a parent: one company, whose ultimate parent is that parent.
    answer = _answer(["paths", "AstraZeneca PLC", "--at", "2024-01-01"], AZ_BODS, az_relationship)
    assert answer["ultimate_parent"]["id"].endswith(AZ_PARENT)
    entity = _answer(["entity", AZ_LEI, "--at", "2024-01-01"], AZ_BODS, az_relationship)
    assert entity["entity"]["name"] == "AstraZeneca PLC"
    assert {(i["scheme"], i["value"]) for i in entity["identifiers"]} == {
        ("GB-COH", "02723534"),
        ("XI-LEI", AZ_LEI),
    }
    assert [r["sources"] for r in entity["records"]] == [
        ["BODS statement openo-es-00006565580581270044236"],
        [f"GLEIF Level 2 relationship records ({az_relationship.name})"],
    ]
    assert entity["aliases"] == []  # the LEI standing in for a name is no name


def test_the_same_companies_from_gleif_and_bods_are_one_entity_each(
    homecredit_level1: Path,
) -> None:
    bods = REAL / "bods_relationship_replace_relationship.json"
    alone = _group(bods)
    both = _group(homecredit_level1, bods)
    assert len(alone.dataset.entities) == len(both.dataset.entities) == 3
    # each GLEIF record into the BODS record of its LEI (the least IRI of the two)
    assert both.dataset.merged_into == {
        f"https://w3id.org/groupkg/data/lei/{lei}": f"https://w3id.org/groupkg/data/bods/{lei}"
        for lei in (SLOVAKIA, "31570010000000049662", "31570030000000000647")
    }
    entity = _answer(["entity", "Home Credit Slovakia, a.s.", "--at", "2024-07-01"],
                     homecredit_level1, bods)  # fmt: skip
    assert ("RA000526", "36234176") in {(i["scheme"], i["value"]) for i in entity["identifiers"]}
    assert len(entity["records"]) == 2
    assert entity["facts"]["jurisdiction"] == ["SK"]  # from GLEIF Level 1 only
    # the BODS relationships now hold between the merged entities, as BODS alone says
    owners = _answer(["owners", SLOVAKIA, "--at", "2024-07-01"], homecredit_level1, bods)
    assert owners == _answer(["owners", SLOVAKIA, "--at", "2024-07-01"], bods)
    assert [o["name"] for o in owners["owners"]] == ["Air Bank a.s.", "Home Credit N.V."]


def test_records_with_two_leis_joined_by_a_company_number_are_reported(tmp_path: Path) -> None:
    path = tmp_path / "two.ttl"
    path.write_text(
        """@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
<urn:x:s1> a gk:Source ; dcterms:title "Register one" .
<urn:x:s2> a gk:Source ; dcterms:title "Register two" .
<urn:x:a> a gk:LegalEntity ; rdfs:label "Alpha" ; gk:lei "PY6ZZQWO2IZFZC3IOL08" ;
    gk:hasIdentifier [ gk:identifierScheme "GB-COH" ; gk:identifierValue "123" ] ;
    prov:wasDerivedFrom <urn:x:s1> .
<urn:x:b> a gk:LegalEntity ; rdfs:label "Alpha Ltd" ; gk:lei "529900T8BM49AURSDO55" ;
    gk:hasIdentifier [ gk:identifierScheme "GB-COH" ; gk:identifierValue "00000123" ] ;
    prov:wasDerivedFrom <urn:x:s2> .
""",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--no-default-data", "--json", "validate", str(path)])
    findings = [f for f in json.loads(result.stdout)["findings"]
                if f["shape"] == "identifier-conflict"]  # fmt: skip
    assert [(f["focus"], f["severity"]) for f in findings] == [("urn:x:a", "Warning")]
    message = findings[0]["message"]
    assert "2 XI-LEI values (529900T8BM49AURSDO55, PY6ZZQWO2IZFZC3IOL08)" in message
    assert "urn:x:a cites 'Register one'; urn:x:b cites 'Register two'" in message


QUESTIONS = [
    ["entity", "AstraZeneca PLC", "--at", "2024-01-01"],
    ["paths", "AstraZeneca PLC", "--at", "2024-01-01"],
    ["perimeter", AZ_PARENT, "--at", "2024-01-01"],
    ["owners", SLOVAKIA, "--at", "2024-07-01"],
    ["paths", "Home Credit Slovakia, a.s.", "--at", "2024-07-01"],
    ["entity", "Air Bank a.s.", "--at", "2024-07-01"],
]


@settings(
    max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(order=st.permutations(range(4)))
def test_the_import_order_never_changes_an_answer(
    order: list[int], az_relationship: Path, homecredit_level1: Path, tmp_path_factory
) -> None:
    files = [AZ_BODS, az_relationship, homecredit_level1,
             REAL / "bods_relationship_replace_relationship.json"]  # fmt: skip
    first = [_answer(q, *files) for q in QUESTIONS]
    ordered = [files[i] for i in order]
    assert [_answer(q, *ordered) for q in QUESTIONS] == first
    store = imported(tmp_path_factory.mktemp("order"), *ordered)
    assert [_answer(q, store=store) for q in QUESTIONS] == first


def test_rdf_exports_keep_the_records_and_csv_writes_one_entity_each(
    az_relationship: Path, tmp_path: Path
) -> None:
    ttl, table = tmp_path / "out.ttl", tmp_path / "out.csv"
    for path in (ttl, table):
        args = ["--no-default-data", "--data", str(AZ_BODS), "--data", str(az_relationship),
                "export", "--format", path.suffix[1:], "--lossy", "-o", str(path)]  # fmt: skip
        assert CliRunner().invoke(cli, args).exit_code == 0
    # RDF: every source record with its own IRI, merged again when read back
    question = ["paths", "AstraZeneca PLC", "--at", "2024-01-01"]
    assert _answer(question, ttl) == _answer(question, AZ_BODS, az_relationship)
    # CSV: one entity a cluster, by its name
    assert table.read_text("utf-8").splitlines()[1].startswith(f"{AZ_PARENT},AstraZeneca PLC,")
