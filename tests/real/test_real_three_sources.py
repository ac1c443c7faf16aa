"""One company from three sources at once: AstraZeneca PLC in Open Ownership's BODS 0.4
example (plc-entity-statement.json, real: company number GB-COH 02723534 and LEI
PY6ZZQWO2IZFZC3IOL08), a GLEIF Level 1 record of that LEI (written for the test from
GLEIF's public record: legal name ASTRAZENECA PLC, jurisdiction GB, registration
authority RA000585, Companies House, id 02723534) with a Level 2 relationship record
(DESIGN.md's example; the parent's LEI is made up), and CSV holdings written for the
test: a share register naming AstraZeneca "AZ PLC" (a name no other record has, so
that no import joins it by name) and by its company number without the leading zero
(2723534), and an annual filing naming it by its LEI and stating the same holding.

Worked out by hand:

- records: the BODS record (bods/70044236), GLEIF's (lei/PY6ZZ...; the filing, which
  names it through the LEI, is one of its sources too), and the register CSV's
  (local/az-plc). The canonical IRI is the least of those with an LEI:
  ``.../bods/70044236`` < ``.../lei/...``; its name is the BODS label.
- what joined them: the BODS and GLEIF records each carry the LEI and the company
  number (GLEIF's as RA000585 02723534); the register's record the company number
  alone (2723534 read as 02723534).
- owners on 2022-01-01: Example Pension Fund 5% (the register names AstraZeneca by its
  own record, the filing by GLEIF's: one fact from two sources, 5% citing both, not
  10%), and the GLEIF parent by direct consolidation (from 2020-01-01).
- paths: the ultimate parent is the GLEIF parent (the pension fund's 5% controls
  nothing).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.real.asking import imported

TESTS = Path(__file__).parents[1]
BODS = TESTS / "data" / "bods-0.4" / "examples" / "plc-entity-statement.json"
LEI, PARENT = "PY6ZZQWO2IZFZC3IOL08", "5493000AZPARENT0GR67"
DATA = "https://w3id.org/groupkg/data/"

FILES = {
    "lei.csv": (
        "LEI,Entity.LegalName,Entity.LegalJurisdiction,Entity.EntityStatus,"
        "Entity.RegistrationAuthority.RegistrationAuthorityID,"
        "Entity.RegistrationAuthority.RegistrationAuthorityEntityID\n"
        f"{LEI},ASTRAZENECA PLC,GB,ACTIVE,RA000585,02723534\n"
    ),
    "rr.csv": (
        "Relationship.StartNode.NodeID,Relationship.EndNode.NodeID,"
        "Relationship.RelationshipType,Relationship.RelationshipStatus,"
        "Relationship.Period.1.startDate,Relationship.Period.1.periodType\n"
        f"{LEI},{PARENT},IS_DIRECTLY_CONSOLIDATED_BY,ACTIVE,2020-01-01T00:00:00Z,"
        "RELATIONSHIP_PERIOD\n"
    ),
    "register.csv": (
        "owner,owned,percent,start_date,source,owned_identifier\n"
        "Example Pension Fund,AZ PLC,5,2021-01-01,Example share register,GB-COH:2723534\n"
    ),
    "filing.csv": (
        "owner,owned,percent,start_date,source,owned_identifier\n"
        "Example Pension Fund,ASTRAZENECA PLC,5,2021-01-01,Example annual filing,"
        f"XI-LEI:{LEI}\n"
    ),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("three")
    written = [BODS]
    for name, text in FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
        written.append(folder / name)
    return written


@pytest.fixture(scope="module", params=["memory", "oxigraph:PATH"])
def where(request, files, tmp_path_factory) -> list[str]:
    """The options that give the command line the three sources."""
    if request.param == "memory":
        return ["--no-default-data", *(a for f in files for a in ("--data", str(f)))]
    return ["--store", imported(tmp_path_factory.mktemp("store"), *files)]


def answer(where: list[str], *args: str) -> dict:
    result = CliRunner().invoke(cli, [*where, *args, "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_one_entity_of_three_records(where):
    got = answer(where, "entity", "AstraZeneca", "--at", "2022-01-01")
    assert got["entity"] == {"id": DATA + "bods/70044236", "name": "AstraZeneca PLC"}
    assert [(r["id"], r["sources"]) for r in got["records"]] == [
        (DATA + "bods/70044236", ["BODS statement openo-es-00006565580581270044236"]),
        (DATA + f"lei/{LEI}", ["GLEIF Level 1 LEI records (lei.csv)",
                               "GLEIF Level 2 relationship records (rr.csv)",
                               "Example annual filing"]),
        (DATA + "local/az-plc", ["Example share register"]),
    ]  # fmt: skip


def test_links_name_the_identifiers_that_joined_each_record(where):
    both = [{"scheme": "GB-COH", "value": "02723534"}, {"scheme": "XI-LEI", "value": LEI}]
    got = answer(where, "links", "ASTRAZENECA PLC")
    assert [(r["id"], r["joined_by"]) for r in got["records"]] == [
        (DATA + "bods/70044236", both),
        (DATA + f"lei/{LEI}", both),
        (DATA + "local/az-plc", [both[0]]),
    ]


def test_owners_and_paths_hold_the_facts_of_all_three_one_fact_once(where):
    owners = answer(where, "owners", "AstraZeneca", "--at", "2022-01-01")["owners"]
    assert [(o["name"], o["percent"], o["interest"], o["sources"]) for o in owners] == [
        ("Example Pension Fund", 5, "shareholding",
         ["Example annual filing", "Example share register"]),
        (PARENT, None, "directConsolidation",
         ["GLEIF Level 2 relationship records (rr.csv)"]),
    ]  # fmt: skip
    paths = answer(where, "paths", "AstraZeneca", "--at", "2022-01-01")
    assert paths["ultimate_parent"] == {"id": DATA + f"lei/{PARENT}", "name": PARENT}
