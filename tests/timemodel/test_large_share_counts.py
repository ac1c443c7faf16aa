"""Share counts are whole numbers end to end: a count past 2**53 (a float's exact
integers) is shown as it was written, in the text and the JSON of every answer, read
from a CSV of holdings or from Turtle, with the percentage derived from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.turtle import prefixes

SHARES = 12345678901234567890  # a float makes it 12,345,678,901,234,567,168
ISSUED = 2 * SHARES

TURTLE = (
    prefixes(e="https://example.org/big/")
    + f"""
e:register a gk:Source ; rdfs:label "Big register" .
e:owner a gk:LegalEntity ; rdfs:label "Big Owner Inc" .
e:target a gk:LegalEntity ; rdfs:label "Big Target Inc" .
e:h a gk:Holding ; gk:owner e:owner ; gk:owned e:target ;
    gk:shares "{SHARES}"^^xsd:integer ; gk:validFrom "2020-01-01"^^xsd:date ;
    gk:factStatus gk:Stated ; prov:wasDerivedFrom e:register .
e:issued a gk:ShareCapitalObservation ; gk:subject e:target ; gk:measure gk:IssuedShares ;
    gk:value "{ISSUED}"^^xsd:integer ; gk:asOf "2020-01-01"^^xsd:date ;
    prov:wasDerivedFrom e:register .
"""
)

CSV = f"""owner,owned,percent,shares,start_date,source
Big Owner Inc,Big Target Inc,,{SHARES},2020-01-01,Big register
"""


@pytest.fixture(params=["ttl", "csv"])
def data(request, tmp_path) -> Path:
    path = tmp_path / f"big.{request.param}"
    path.write_text(TURTLE if request.param == "ttl" else CSV, encoding="utf-8")
    return path


def run(data: Path, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--no-default-data", "--data", str(data), *args, "--at", "2021-01-01"]
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_a_share_count_past_a_floats_precision_is_shown_whole(data):
    text = run(data, "holdings", "Big Owner Inc")
    assert "12,345,678,901,234,567,890" in text and "567,168" not in text
    [holding] = json.loads(run(data, "holdings", "Big Owner Inc", "--json"))["holdings"]
    assert holding["shares"] == SHARES and isinstance(holding["shares"], int)
    [owner] = json.loads(run(data, "owners", "Big Target Inc", "--json"))["owners"]
    assert owner["shares"] == SHARES
    if data.suffix == ".ttl":  # the issued shares, observed in Turtle, and the percentage
        assert owner["percent"] == 50
        assert owner["basis"] == (
            "stated; percent derived: 12,345,678,901,234,567,890"
            " of 24,691,357,802,469,135,780 issued shares"
        )
        entity = json.loads(run(data, "entity", "Big Target Inc", "--json"))
        assert entity["issued_shares"] == ISSUED
