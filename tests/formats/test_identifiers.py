"""Identifiers checked against their scheme as every reader reads them: a value whose
check digits are wrong is refused on its record (file, place, field; exit 2, nothing
imported); one without the scheme's shape is imported and ``validate`` warns."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.graph.formats.identifiers import CHECKED_SCHEMES, identifier_problem

DATA = Path(__file__).parents[1] / "data"
ASTRAZENECA = DATA / "bods-0.4" / "examples" / "plc-entity-statement.json"
LEI_CSV = DATA / "real" / "gleif-rr-csv-2019" / "lei-golden-copy-excerpt.csv"
NO_DATA = ["--no-default-data"]


def run(*args: str):
    return CliRunner().invoke(cli, [*NO_DATA, *args])


@pytest.mark.parametrize(
    ("scheme", "good", "typo"),
    [
        ("XI-LEI", "PY6ZZQWO2IZFZC3IOL08", "PY6ZZQWO2IZFZC3IOL09"),
        ("LEI", "PY6ZZQWO2IZFZC3IOL08", "PY6ZZQWO2IZFZC3IOL80"),
        ("JP-JCN", "7010401022916", "8010401022916"),
        ("US-EIN", "04-2103594", None),
        ("FI-PRO", "2077474-0", "2077474-1"),
        ("DK-CVR", "13585628", "13585627"),
        ("GB-COH", "02723534", None),
        ("GB-COH", "SC123456", None),
    ],
)
def test_schemes_are_checked_by_their_rules(scheme, good, typo):
    assert identifier_problem(scheme, good) is None
    if typo:
        problem = identifier_problem(scheme, typo)
        assert problem is not None and problem.typo, problem


def test_a_value_without_the_scheme_shape_is_not_a_typo():
    problem = identifier_problem("GB-COH", "XE9999")
    assert problem is not None and not problem.typo
    assert identifier_problem("ZZ-NOT-A-SCHEME", "anything") is None
    assert {"XI-LEI", "GB-COH", "JP-JCN"} <= set(CHECKED_SCHEMES)


def test_bods_identifier_with_wrong_check_digits_is_refused_naming_file_and_field(tmp_path):
    statements = json.loads(ASTRAZENECA.read_text())
    for st in statements:
        for ident in st.get("recordDetails", {}).get("identifiers", []):
            if ident.get("scheme") == "XI-LEI":
                ident["id"] = "PY6ZZQWO2IZFZC3IOL09"
    bad = tmp_path / "astrazeneca.json"
    bad.write_text(json.dumps(statements))
    result = run("--data", str(bad), "entity", "AstraZeneca PLC")
    assert result.exit_code == 2, result.output
    line = result.stderr.strip()
    assert str(bad) in line and "/identifiers/" in line and ": identifiers: " in line
    assert "'PY6ZZQWO2IZFZC3IOL09' is not a valid XI-LEI identifier" in line
    assert "check digits" in line


def test_gleif_lei_with_wrong_check_digits_is_refused_with_its_line(tmp_path):
    with LEI_CSV.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    lei = rows[0]["LEI"]
    rows[0]["LEI"] = lei[:-2] + f"{(int(lei[-2:]) + 1) % 100:02d}"
    bad = tmp_path / "lei.csv"
    with bad.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    result = run("--data", str(bad), "entity", lei)
    assert result.exit_code == 2, result.output
    assert f"{bad}:2: LEI: " in result.stderr


def test_real_samples_import_and_the_standard_placeholders_are_warnings():
    assert run("--data", str(ASTRAZENECA), "entity", "AstraZeneca PLC").exit_code == 0
    assert run("--data", str(LEI_CSV), "validate").exit_code == 0
    example = DATA / "bods-0.4" / "examples" / "indirect-ownership.json"
    result = run("--data", str(example), "validate", "--json")
    assert result.exit_code == 0, result.output
    found = [f for f in json.loads(result.stdout)["findings"] if f["shape"] == "identifier-check"]
    assert found and {f["severity"] for f in found} == {"Warning"}
    assert any("'XE9999' is not a valid GB-COH identifier" in f["message"] for f in found)


def test_turtle_identifier_with_wrong_check_digits_is_a_violation(tmp_path):
    ttl = tmp_path / "bad.ttl"
    ttl.write_text(
        "@prefix gk: <https://w3id.org/groupkg/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        '<https://e.org/a> a gk:LegalEntity ; rdfs:label "A" ;\n'
        "  gk:hasIdentifier <https://e.org/a/id> .\n"
        '<https://e.org/a/id> a gk:Identifier ; gk:identifierScheme "JP-JCN" ;\n'
        '  gk:identifierValue "8010401022916" .\n'
    )
    result = run("validate", "--json", str(ttl))
    assert result.exit_code == 1, result.output
    found = [f for f in json.loads(result.stdout)["findings"] if f["shape"] == "identifier-check"]
    assert [(f["focus"], f["severity"]) for f in found] == [("https://e.org/a", "Violation")]


def test_csv_identifier_columns_give_identifiers_and_refuse_wrong_check_digits(tmp_path):
    good = tmp_path / "holdings.csv"
    good.write_text(
        "owner,owned,percent,start_date,owner_identifier,owned_identifier\n"
        "Parent PLC,AstraZeneca PLC,100,2020-01-01,GB-COH:SC123456,XI-LEI:PY6ZZQWO2IZFZC3IOL08\n",
        encoding="utf-8",
    )
    result = run("--data", str(good), "entity", "AstraZeneca PLC", "--json")
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    assert got["identifiers"] == [{"scheme": "XI-LEI", "value": "PY6ZZQWO2IZFZC3IOL08"}]
    assert got["facts"]["lei"] == ["PY6ZZQWO2IZFZC3IOL08"]
    # an identifier is a name too: the LEI finds the entity
    result = run("--data", str(good), "entity", "SC123456", "--json")
    assert json.loads(result.stdout)["entity"]["name"] == "Parent PLC"
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "owner,owned,percent,owned_identifier,owner_identifier\n"
        "Other,Sub,50,XI-LEI:PY6ZZQWO2IZFZC3IOL09,\n"
        "Other2,Sub2,50,,nocolon\n",
        encoding="utf-8",
    )
    result = run("--data", str(bad), "entity", "Sub")
    assert result.exit_code == 2, result.output
    assert f"{bad}:2: owned_identifier: 'PY6ZZQWO2IZFZC3IOL09' is not a valid XI-LEI" in (
        result.stderr
    )
    assert f"{bad}:3: owner_identifier: 'nocolon' is not SCHEME:ID" in result.stderr
