"""BODS 0.2 and 0.3, read through the mapping onto 0.4 (docs/bods-versions.md), on Open
Ownership's own examples of those versions (vendored in ``tests/data/bods-0.2`` and
``tests/data/bods-0.3``, origin and licence in their READMEs). The expected answers
were read off the statements by hand.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import RDF, RDFS, Graph, Literal

from groupkg.graph.cli import cli
from groupkg.graph.errors import BadInput
from groupkg.graph.formats.bods import bods_to_graph, open_bods, read_bods, validate_bods
from groupkg.graph.vocab import GK
from tests.formats.test_bods import facts

DATA = Path(__file__).parents[1] / "data"
VERSIONS = ["0.2", "0.3"]
HOLDING, INDIRECT = str(GK.Holding), str(GK.IndirectInterest)
BENEFICIAL = "BODS beneficialOwnershipOrControl: true"


def sample(version: str, name: str) -> Path:
    return DATA / f"bods-{version}" / name


def statements(version: str, name: str) -> list[dict[str, Any]]:
    return json.loads(sample(version, name).read_text(encoding="utf-8"))


@pytest.mark.parametrize("version", VERSIONS)
def test_a_single_direct_owner(version):
    # Christopher Taggart holds 100% of the shares of CHRINON LTD (GB-COH 07444723),
    # directly, since 2016-04-06, as stated on 2017-11-18.
    graph = read_bods(sample(version, "1-single-direct.json"))
    assert facts(graph) == [
        (HOLDING, "Christopher Taggart", "CHRINON LTD", "100", None, None, None, None,
         "2016-04-06", None, "2017-11-18", "shareholding", (BENEFICIAL,)),
    ]  # fmt: skip
    (company,) = graph.subjects(RDFS.label, Literal("CHRINON LTD"))
    assert (company, RDF.type, GK.LegalEntity) in graph
    assert str(graph.value(company, GK.incorporationDate)) == "2010-11-18"
    identifier = graph.value(company, GK.hasIdentifier)
    assert str(graph.value(identifier, GK.identifierScheme)) == "GB-COH"
    assert str(graph.value(identifier, GK.identifierValue)) == "07444723"
    (person,) = graph.subjects(RDFS.label, Literal("Christopher Taggart"))
    assert (person, RDF.type, GK.NaturalPerson) in graph
    assert str(graph.value(person, GK.alias)) == "Chris Taggart"


@pytest.mark.parametrize("version", VERSIONS)
def test_an_update_splits_the_holding_with_an_unspecified_owner(version):
    # On 2018-01-05 two statements replace the 100% statement: Christopher Taggart
    # holds 50%, and an owner who has not provided information holds the other 50%.
    graph = read_bods(sample(version, "2-single-update.json"))
    found = facts(graph)
    assert [f[:4] + f[8:12] for f in found] == [
        (HOLDING, "Christopher Taggart", "CHRINON LTD", "50",
         "2016-04-06", None, "2018-01-05", "shareholding"),
        (HOLDING, "Unspecified interested party in CHRINON LTD", "CHRINON LTD", "50",
         "2016-04-06", None, "2018-01-05", "shareholding"),
    ]  # fmt: skip
    reason = {"0.2": "interested-party-has-not-provided-information",
              "0.3": "interestedPartyHasNotProvidedInformation"}[version]  # fmt: skip
    assert any(reason in note for note in found[1][12])


@pytest.mark.parametrize("version", VERSIONS)
def test_indirect_ownership_through_a_company(version):
    # Person 1 holds 30% of Company A indirectly (since 2017-11-01), through Company B:
    # B holds A directly, Person 1 holds B (how directly, unknown); no shares given.
    graph = read_bods(sample(version, "os-03-dr-03.json"))
    assert [f[:4] + f[8:9] + f[11:12] for f in facts(graph)] == [
        (HOLDING, "Company B", "Company A", None, None, "unknownInterest"),
        (HOLDING, "Person 1", "Company B", None, None, "unknownInterest"),
        (INDIRECT, "Person 1", "Company A", "30", "2017-11-01", "shareholding"),
    ]


@pytest.mark.parametrize("version", VERSIONS)
def test_the_published_joint_ownership_example_reuses_a_statement_id(version):
    # The standard's own example gives two different statements one statementID.
    with pytest.raises(BadInput) as caught:
        read_bods(sample(version, "3-joint-ownership.json"))
    (problem,) = caught.value.problems
    assert (problem.location, problem.field) == ("/6/statementID", "statementID")
    assert "also used by /5" in problem.reason


@pytest.mark.parametrize("version", VERSIONS)
def test_the_version_is_named_in_the_import_summary(version, tmp_path):
    path = sample(version, "1-single-direct.json")
    assert open_bods(path).summary == f"BODS {version}, 3 statements"
    args = ["--no-default-data", "--store", f"oxigraph:{tmp_path / 'store'}", "--json"]
    result = CliRunner().invoke(cli, [*args, "import", str(path)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout.splitlines()[0])
    assert (answer["bods_version"], answer["statements"]) == (version, 3)
    assert f"({'BODS ' + version}, 3 statements)" in result.stderr


def test_a_0_2_statement_is_checked_against_the_0_2_schema():
    statements_02 = statements("0.2", "1-single-direct.json")
    statements_02[2]["interests"][0]["interestLevel"] = "sideways"
    (problem,) = validate_bods(statements_02, "x.json")
    assert (problem.location, problem.field) == ("/2/interests/0/interestLevel", "interestLevel")
    assert "'sideways' is not one of" in problem.reason


def test_a_file_mixing_versions_is_refused_naming_the_statement():
    mixed = statements("0.2", "1-single-direct.json")
    mixed[1]["publicationDetails"]["bodsVersion"] = "0.3"
    (problem,) = validate_bods(mixed, "mixed.json")
    assert (problem.location, problem.field) == ("/1/publicationDetails/bodsVersion", "bodsVersion")
    assert "BODS 0.3 in a file of BODS 0.2" in problem.reason


def test_a_version_that_is_not_read_is_refused():
    later = statements("0.2", "1-single-direct.json")
    for st in later:
        st["publicationDetails"]["bodsVersion"] = "1.0"
    problems = validate_bods(later, "later.json")
    assert {p.field for p in problems} == {"bodsVersion"}
    assert "BODS 1.0 is not read" in problems[0].reason


def test_statements_that_name_no_version_are_read_as_the_file_s_version():
    # The first statement names 0.2: the others, naming none, are read as 0.2 too.
    quiet = statements("0.2", "1-single-direct.json")
    for st in quiet[1:]:
        del st["publicationDetails"]["bodsVersion"]
    problems = validate_bods(quiet, "quiet.json")
    # 0.2 requires bodsVersion: each statement without it is told so, by the 0.2 schema.
    assert [(p.location, p.field) for p in problems] == [
        ("/1/publicationDetails", "bodsVersion"),
        ("/2/publicationDetails", "bodsVersion"),
    ]


def test_a_0_2_file_naming_no_version_at_all_is_read_by_its_shape():
    quiet = statements("0.2", "1-single-direct.json")
    for st in quiet:
        del st["publicationDetails"]
    problems = validate_bods(quiet, "quiet.json")
    assert {p.field for p in problems} == {"publicationDetails"}  # 0.2 requires it
    assert all("schema rule: required" in p.reason for p in problems)


def test_exclusive_bounds_of_0_2_become_0_4_ranges():
    ranged = statements("0.2", "1-single-direct.json")
    ranged[2]["interests"][0]["share"] = {
        "minimum": 25,
        "maximum": 50,
        "exclusiveMinimum": True,
        "exclusiveMaximum": False,
    }
    graph = bods_to_graph(ranged)
    (fact,) = graph.subjects(RDF.type, GK.Holding)
    assert (str(graph.value(fact, GK.percentMin)), str(graph.value(fact, GK.percentMax))) == (
        "25",
        "50",
    )
    assert graph.value(fact, GK.percentMinExclusive) == Literal(True)
    assert graph.value(fact, GK.percentMaxExclusive) is None


def test_json_lines_of_0_2_read_as_the_array(tmp_path):
    lines = tmp_path / "register.jsonl"
    rows = statements("0.2", "os-03-dr-03.json")
    lines.write_text("".join(json.dumps(st) + "\n" for st in rows), encoding="utf-8")
    whole = read_bods(sample("0.2", "os-03-dr-03.json"))

    def kept(graph: Graph) -> list[Any]:
        return sorted(t for t in graph if t[1] != GK.fileName)  # the file's own name

    assert kept(read_bods(lines)) == kept(whole)
    assert open_bods(lines).summary == "BODS 0.2 as JSON Lines, 6 statements"
