"""Rule sets as data: the shipped files of ontology/rules/, and a user's, checked."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph.cli import cli
from groupkg.graph.errors import InputError
from groupkg.graph.formats.rulesets import read_rule_file, rule_sets, shipped_rule_sets

RULE = """
@prefix gk: <https://w3id.org/groupkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://example.org/rules/mine> a gk:RuleSet ;
    gk:ruleSetName "mine" ;
    rdfs:label "Mine: 10% or more" ;
    gk:thresholdPercent {threshold} ;
    gk:thresholdInclusive true ;
    gk:countsInterest "shareholding" ;
    gk:aggregation "{aggregation}" ;
    gk:qualifyingHolders "naturalPersons" .
"""


def test_the_shipped_rule_sets() -> None:
    shipped = shipped_rule_sets()
    assert list(shipped) == ["eu-amld", "uk-psc", "us-cta", "ifrs-10", "ias-28", "groupkg-default"]
    summary = {
        name: (r.threshold, r.inclusive, r.ceiling, r.aggregation, r.qualifying)
        for name, r in shipped.items()
    }
    assert summary == {
        "eu-amld": (25.0, False, None, "multiplied", "naturalPersons"),
        "uk-psc": (25.0, False, None, "passedWhole", "naturalPersons"),
        "us-cta": (25.0, True, None, "multiplied", "naturalPersons"),
        "ifrs-10": (50.0, False, None, "passedWhole", "anyEntity"),
        "ias-28": (20.0, True, 50.0, "passedWhole", "anyEntity"),
        "groupkg-default": (50.0, False, None, "passedWhole", "anyEntity"),
    }
    assert shipped["uk-psc"].other_means == (
        "appointmentOfBoard",
        "directConsolidation",
        "otherInfluenceOrControl",
    )
    # Each regime's rule file cites its text.
    assert "Art. 3(6)(a)(i)" in shipped["eu-amld"].comment
    assert "Sch. 1A" in shipped["uk-psc"].comment
    assert "5336(a)(3)" in shipped["us-cta"].comment


def test_a_users_rule_file(tmp_path: Path) -> None:
    path = tmp_path / "mine.ttl"
    path.write_text(RULE.format(threshold="10.0", aggregation="multiplied"), encoding="utf-8")
    (rule,) = rule_sets(["eu-amld", str(path)])[1:]
    assert (rule.name, rule.threshold, rule.inclusive, rule.counts) == (
        "mine",
        10.0,
        True,
        ("shareholding",),
    )
    assert rule.source == str(path)


@pytest.mark.parametrize(
    ("threshold", "aggregation", "said"),
    [
        ("120.0", "multiplied", "gk:thresholdPercent, an xsd:decimal from 0 to 100"),
        ("10.0", "summed", 'gk:aggregation, "multiplied" or "passedWhole"'),
    ],
)
def test_a_bad_rule_file_is_named_with_what_is_wrong(
    tmp_path: Path, threshold: str, aggregation: str, said: str
) -> None:
    path = tmp_path / "bad.ttl"
    path.write_text(RULE.format(threshold=threshold, aggregation=aggregation), encoding="utf-8")
    with pytest.raises(InputError) as raised:
        read_rule_file(path)
    assert str(path) in str(raised.value) and said in str(raised.value)
    assert raised.value.file == str(path)


def test_a_file_that_is_no_rule_set(tmp_path: Path) -> None:
    empty = tmp_path / "empty.ttl"
    empty.write_text("<https://example.org/a> <https://example.org/b> 1 .\n", encoding="utf-8")
    with pytest.raises(InputError, match="empty.ttl: holds no gk:RuleSet"):
        read_rule_file(empty)
    broken = tmp_path / "broken.ttl"
    broken.write_text("this is not turtle", encoding="utf-8")
    with pytest.raises(InputError, match="broken.ttl, line 1, columns 1-5: "):
        read_rule_file(broken)
    with pytest.raises(InputError, match="missing.ttl: cannot read the rule set"):
        read_rule_file(tmp_path / "missing.ttl")


def test_a_turtle_syntax_error_is_told_by_file_and_line(tmp_path: Path) -> None:
    # A statement missing its final dot, on line 4: the message names the file, the
    # line and what is wrong, in words (rdflib's own quoted bytes around a caret,
    # "b'...'^b'...'", were shown before).
    path = tmp_path / "typo.ttl"
    path.write_text(
        "@prefix gk: <https://w3id.org/groupkg/ontology#> .\n"
        "<https://example.org/r> a gk:RuleSet ;\n"
        '    gk:ruleSetName "typo"\n'
        "    gk:thresholdPercent 25.0 .\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as raised:
        read_rule_file(path)
    assert str(raised.value) == (
        f"{path}, line 4, columns 5-24: A dot is expected at the end of statements"
    )
    assert (raised.value.file, raised.value.line) == (str(path), 4)
    result = CliRunner().invoke(cli, ["control", "IIJ", "--rules", str(path)])
    assert result.exit_code == 2
    assert (
        result.output
        == f"Error: {path}, line 4, columns 5-24: A dot is expected at the end of statements\n"
    )
