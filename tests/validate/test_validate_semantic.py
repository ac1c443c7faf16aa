"""The time-model checks of ``groupkg validate`` (groupkg.graph.validate.consistency).

Each check has a small inline graph it must report, naming the node at fault and the
sources, and a near miss it must not. Most bad graphs are ones the SPARQL hygiene
checks cannot see (a stake passed on in a merger, an incorporation date, a stated
end after a merger); where both could, the fault is reported once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import Dataset, Entity, Event, Holding, validate_files
from groupkg.graph.cli import cli
from groupkg.graph.dates import parse_partial_date
from groupkg.graph.validate import Finding
from groupkg.graph.validate.consistency import TOLERANCE_PERCENT, check_consistency
from tests.validation import BASE, holding

EX = "https://example.org/test/"
TIME_CHECKS = {"over-100-percent", "outside-lifetime", "merged-away", "control-cycle"}


def _merger(absorbed: str, survivor: str, day: str, name: str = "m") -> str:
    return (
        f'ex:{name} a gk:AbsorptionMerger, org:ChangeEvent ; rdfs:label "{survivor} absorbs '
        f'{absorbed}" ; gk:survivor ex:{survivor} ; gk:absorbed ex:{absorbed} ;\n'
        f"    org:originalOrganization ex:{survivor}, ex:{absorbed} ; "
        f"gk:participant ex:{survivor}, ex:{absorbed} ; "
        f"org:resultingOrganization ex:{survivor} ;\n"
        f'    gk:effectiveDate "{day}"^^xsd:date ; gk:factStatus gk:Stated ; '
        "prov:wasDerivedFrom ex:src .\n"
    )


def _validate(tmp_path: Path, turtle: str, **options) -> list[Finding]:
    path = tmp_path / "data.ttl"
    path.write_text(BASE + turtle, encoding="utf-8")
    return validate_files([path], **options).findings


def _time_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.shape in TIME_CHECKS]


# ---- more than 100% owned ----


def test_stake_passed_on_in_a_merger_makes_a_company_over_owned(tmp_path: Path):
    # Alpha's 60% of Gamma passes to Beta on 2014-01-01, where Beta holds 50% already.
    # The SPARQL check sums recorded holdings only and sees 50%.
    findings = _validate(
        tmp_path,
        holding("h1", "a", "c", 'gk:percent 60 ; gk:validFrom "2010-01-01"^^xsd:date')
        + holding(
            "h2", "b", "c", 'gk:percent 50 ; gk:validFrom "2010-01-01"^^xsd:date', "src2"
        )  # fmt: skip
        + _merger("a", "b", "2014-01-01"),
    )
    over = [f for f in findings if f.shape.endswith("over-100-percent")]
    # Before the merger the two stakes already add up to 110%: reported once, by the
    # time model, which validation uses in place of the SPARQL check.
    assert [(f.focus, f.shape) for f in over] == [(EX + "c", "over-100-percent")]
    assert over[0].message.startswith("Gamma is 110% owned on 2010-01-01 by shares: ")


def test_stake_passed_on_in_a_merger_is_counted_by_the_time_model(tmp_path: Path):
    # Beta's 50% starts on the merger day: only the inherited 60% makes it 110%.
    (finding,) = _time_findings(
        _validate(
            tmp_path,
            holding("h1", "a", "c", 'gk:percent 60 ; gk:validFrom "2010-01-01"^^xsd:date')
            + holding(
                "h2", "b", "c", 'gk:percent 50 ; gk:validFrom "2014-01-01"^^xsd:date', "src2"
            )  # fmt: skip
            + _merger("a", "b", "2014-01-01"),
        )
    )
    assert finding.focus == EX + "c"
    assert finding.shape == "over-100-percent" and finding.severity == "Violation"
    # The inherited stake and Beta's own add up: one owner, its sum, then each stake.
    assert finding.message.startswith(
        "Gamma is 110% owned on 2014-01-01 by shares: Beta 110% (60% + 50%)."
    )
    assert EX + "h1" in finding.message and EX + "h2" in finding.message
    assert finding.sources == (EX + "src", EX + "src2")


def _dataset(*holdings: Holding, **entities: Entity) -> Dataset:
    named = {e: Entity(e, e.capitalize(), sources=["reg"]) for e in ("a", "b", "c", "d")}
    return Dataset(entities={**named, **entities}, holdings=list(holdings))


def test_lower_bounds_of_ranges_count_and_the_exact_figures_are_named():
    (finding,) = check_consistency(
        _dataset(
            Holding("h1", "a", "c", percent_min=60, percent_max=70,
                    valid_from=parse_partial_date("2012-01-01"), sources=["s1"]),
            Holding("h2", "b", "c", percent=45, as_of=parse_partial_date("2013-03"),
                    sources=["s2"]),
        )
    )  # fmt: skip
    assert (finding.focus, finding.check) == ("c", "over-100-percent")
    assert finding.message == (
        "C is 105% owned on 2013-03-01 by shares: A 60-70%, B 45%. "
        "The exact figures alone add up to 45%."
    )
    assert finding.sources == ("s1", "s2") and finding.related == ("h1", "h2")


def test_rounding_within_the_tolerance_is_not_reported(tmp_path: Path):
    assert TOLERANCE_PERCENT == 0.01
    near = _validate(
        tmp_path,
        holding("h1", "a", "c", 'gk:percent 50.005 ; gk:asOf "2013-03-31"^^xsd:date')
        + holding("h2", "b", "c", 'gk:percent 50.004 ; gk:asOf "2013-03-31"^^xsd:date'),
    )
    assert [f for f in near if f.severity == "Violation"] == []  # nor by the SPARQL check
    day = parse_partial_date("2013-03-31")
    (over,) = check_consistency(
        _dataset(*(Holding(f"h{o}", o, "c", percent=33.34, as_of=day) for o in "abd"))
    )
    assert over.message.startswith("C is 100.02% owned on 2013-03-31 by shares: ")


def test_shares_and_votes_are_summed_apart():
    day = parse_partial_date("2013-03-31")
    dataset = Dataset(
        entities={e: Entity(e, e.upper()) for e in ("a", "b", "c")},
        holdings=[
            Holding("h1", "a", "c", percent=60, as_of=day, interest_type="shareholding"),
            Holding("h2", "a", "c", percent=60, as_of=day, interest_type="votingRights"),
            Holding("h3", "b", "c", percent=30, as_of=day, interest_type="votingRights"),
        ],
    )
    assert check_consistency(dataset) == []
    dataset.holdings.append(  # a later record of b's votes supersedes h3
        Holding("h4", "b", "c", percent=45, as_of=parse_partial_date("2013-06-30"),
                interest_type="votingRights")
    )  # fmt: skip
    (finding,) = check_consistency(dataset)
    assert finding.focus == "c" and "by votingRights" in finding.message


def test_figures_the_shapes_reject_are_left_to_the_shapes(tmp_path: Path):
    findings = _validate(
        tmp_path,
        holding("h1", "a", "c", 'gk:percent 150 ; gk:asOf "2013-03-31"^^xsd:date')
        + holding(
            "h2", "b", "c", 'gk:percent "NaN"^^xsd:decimal ; gk:asOf "2013-03-31"^^xsd:date'
        ),  # fmt: skip
    )
    assert _time_findings(findings) == []
    assert {f.focus for f in findings if f.shape.endswith("HoldingShape")} == {EX + "h1", EX + "h2"}


# ---- before incorporation, after dissolution ----


def test_holding_before_the_incorporation_of_the_owned_company(tmp_path: Path):
    turtle = (
        'ex:c gk:incorporationDate "2012-04-01"^^xsd:date .\n'
        + holding("h1", "a", "c", 'gk:percent 100 ; gk:validFrom "2010-01-01"^^xsd:date')
        + holding("h2", "b", "c", 'gk:percent 0 ; gk:asOf "2012"^^xsd:gYear')  # may be after
    )
    (finding,) = _time_findings(_validate(tmp_path, turtle))
    assert (finding.focus, finding.shape) == (EX + "h1", "outside-lifetime")
    assert finding.message == (
        "The holding starts 2010-01-01, before its owned entity Gamma was incorporated "
        f"(2012-04-01). Involves: {EX}c."
    )
    assert finding.sources == (EX + "src",)


def test_holding_after_a_dissolution_is_reported_once(tmp_path: Path):
    turtle = (
        'ex:a gk:dissolutionDate "2014"^^xsd:gYear .\n'
        + holding("h1", "a", "c", 'gk:percent 10 ; gk:asOf "2015-01-01"^^xsd:date')
        + holding("h2", "a", "c", 'gk:percent 10 ; gk:asOf "2014-05-01"^^xsd:date')
    )
    findings = [f for f in _validate(tmp_path, turtle) if f.focus.startswith(EX + "h")]
    assert [(f.focus, f.shape) for f in findings] == [
        (EX + "h1", "check-holdings-after-dissolution")
    ]


def test_dissolution_found_only_by_the_time_model():
    dataset = Dataset(
        entities={
            "a": Entity("a", "Alpha", dissolved=parse_partial_date("2014-03")),
            "c": Entity("c", "Gamma", sources=["reg"]),
        },
        holdings=[
            Holding(
                "h1",
                "a",
                "c",
                percent=10,
                valid_from=parse_partial_date("2014-04"),
                sources=["src"],
            )
        ],  # fmt: skip
    )
    (finding,) = check_consistency(dataset)
    assert finding.check == "outside-lifetime" and finding.related == ("a",)
    assert "on or after the dissolution of its owner Alpha (2014-03)" in finding.message


# ---- merger parties that keep holdings ----


def test_absorbed_company_recorded_to_hold_past_the_merger(tmp_path: Path):
    turtle = _merger("a", "b", "2014-01-01") + holding(
        "h1", "a", "c",
        'gk:percent 60 ; gk:validFrom "2010-01-01"^^xsd:date ; gk:validTo "2014-06-30"^^xsd:date',
        "src2",
    )  # fmt: skip
    (finding,) = _time_findings(_validate(tmp_path, turtle))
    assert (finding.focus, finding.shape) == (EX + "h1", "merged-away")
    assert "is recorded to last until 2014-06-30, but Alpha was absorbed by Beta on 2014-01-01" in (
        finding.message
    )
    assert finding.sources == (EX + "src", EX + "src2")  # the holding's and the merger's


def test_absorbed_company_held_after_a_merger_stated_without_gk_absorbed(tmp_path: Path):
    # The merger names its parties with ORG terms only: the SPARQL check reads
    # gk:absorbed and misses it.
    turtle = (
        'ex:m a org:ChangeEvent ; rdfs:label "Beta absorbs Alpha" ; org:originalOrganization '
        "ex:a, ex:b ;\n    org:resultingOrganization ex:b ; "
        'gk:effectiveDate "2014-01-01"^^xsd:date ; prov:wasDerivedFrom ex:src .\n'
        + holding("h1", "c", "a", 'gk:percent 5 ; gk:asOf "2014-03-31"^^xsd:date')
    )
    findings = _validate(tmp_path, turtle)
    assert [(f.focus, f.shape) for f in _time_findings(findings)] == [(EX + "h1", "merged-away")]


def test_holding_that_ends_on_the_merger_day_is_fine(tmp_path: Path):
    turtle = _merger("a", "b", "2014-01-01") + holding(
        "h1", "a", "c",
        'gk:percent 60 ; gk:validFrom "2010-01-01"^^xsd:date ; gk:validTo "2014-01-01"^^xsd:date',
    )  # fmt: skip
    assert _time_findings(_validate(tmp_path, turtle)) == []


def test_a_company_dissolved_by_its_merger_is_reported_once():
    day = parse_partial_date("2014-01-01")
    dataset = Dataset(
        entities={"a": Entity("a", "Alpha", dissolved=day), "b": Entity("b", "Beta"),
                  "c": Entity("c", "Gamma")},
        holdings=[Holding("h1", "a", "c", percent=10, as_of=parse_partial_date("2014-03-31"))],
        events=[Event("m", "AbsorptionMerger", survivor="b", absorbed=["a"], effective=day)],
    )  # fmt: skip
    assert [(f.focus, f.check) for f in check_consistency(dataset)] == [("h1", "merged-away")]


# ---- control cycles ----


def test_companies_that_control_each_other(tmp_path: Path):
    turtle = holding(
        "h1", "a", "b", 'gk:percent 60 ; gk:validFrom "2012-01-01"^^xsd:date'
    ) + holding(
        "h2", "b", "a",
        'gk:percent 55 ; gk:validFrom "2013-01-01"^^xsd:date ; gk:validTo "2013-07-01"^^xsd:date',
        "src2",
    )  # fmt: skip
    findings = _time_findings(_validate(tmp_path, turtle))
    assert [(f.focus, f.shape) for f in findings] == [
        (EX + "a", "control-cycle"),
        (EX + "b", "control-cycle"),
    ]
    assert findings[0].message.startswith(
        "Alpha, Beta control each other on 2013-01-01, each holding more than 50%"
    )
    assert "Alpha holds 60% of Beta; Beta holds 55% of Alpha" in findings[0].message
    assert all(f.sources == (EX + "src", EX + "src2") for f in findings)
    # At a higher threshold neither controls the other.
    path = tmp_path / "data.ttl"
    assert _time_findings(validate_files([path], threshold=70).findings) == []


def test_control_through_a_subsidiary_closes_a_cycle():
    day = parse_partial_date("2013-01-01")
    dataset = Dataset(
        entities={e: Entity(e, e.upper()) for e in ("a", "b", "c")},
        holdings=[
            Holding("h1", "a", "b", percent=80, valid_from=day, sources=["s1"]),
            Holding("h2", "b", "c", percent=90, valid_from=day, sources=["s2"]),
            Holding("h3", "b", "a", percent=30, valid_from=day, sources=["s3"]),
            Holding("h4", "c", "a", percent=30, valid_from=day, sources=["s4"]),
        ],
    )
    findings = check_consistency(dataset)
    # b controls a through c (30% + 30%); c is controlled, but controls neither.
    assert [(f.focus, f.check) for f in findings] == [
        ("a", "control-cycle"),
        ("b", "control-cycle"),
    ]
    assert findings[0].sources == ("s1", "s2", "s3", "s4")


def test_cross_holdings_below_control_are_no_cycle():
    day = parse_partial_date("2013-01-01")
    dataset = Dataset(
        entities={e: Entity(e, e.upper()) for e in ("a", "b")},
        holdings=[
            Holding("h1", "a", "b", percent=30, valid_from=day),
            Holding("h2", "b", "a", percent=30, valid_from=day),
        ],  # fmt: skip
    )
    assert check_consistency(dataset) == []


def test_mutual_consolidation_reports_is_a_cycle(tmp_path: Path):
    turtle = "".join(
        f"ex:r{i} a gk:DirectConsolidation ; gk:parent ex:{p} ; gk:child ex:{c} ; "
        'gk:validFrom "2020-01-01"^^xsd:date ; gk:factStatus gk:Stated ; '
        "prov:wasDerivedFrom ex:src .\n"
        for i, (p, c) in enumerate([("a", "b"), ("b", "a")])
    )
    findings = _time_findings(_validate(tmp_path, turtle))
    assert {(f.focus, f.shape) for f in findings} == {
        (EX + "a", "control-cycle"),
        (EX + "b", "control-cycle"),
    }
    assert "control (a reported consolidation)" in findings[0].message


# ---- sources that disagree ----


def test_disagreeing_sources_are_both_named_and_only_warn(tmp_path: Path):
    # Two sources, two figures for one owner, kind and day: distinct records, which the
    # time model adds up; the warning says so, and what to do if they are one holding.
    turtle = holding("h1", "a", "c", 'gk:percent 40 ; gk:asOf "2013-03-31"^^xsd:date') + holding(
        "h2", "a", "c", 'gk:percent 45 ; gk:asOf "2013-03-31"^^xsd:date', "src2"
    )
    path = tmp_path / "data.ttl"
    path.write_text(BASE + turtle, encoding="utf-8")
    report = validate_files([path])
    assert report.conforms
    records = [f for f in report.findings if f.shape == "same-day-records"]
    assert [(f.focus, f.severity, f.sources) for f in records] == [
        (EX + "h1", "Warning", (EX + "src",)),
        (EX + "h2", "Warning", (EX + "src2",)),
    ]
    assert records[0].message.startswith(
        f"2 distinct records of Alpha's shares in Gamma from 2013-03-31: {EX}h1 40% (cites "
        f'"Register"); {EX}h2 45% (cites "Annual report"). Distinct records of one owner, '
        "owned entity, kind and day add up: 85%. If they report one holding (sources that "
        "disagree), correct the data"
    )
    assert not [f for f in report.findings if "conflicting-holdings" in f.shape]


# ---- the command line ----


def _cli(*args: str):
    return CliRunner().invoke(cli, ["validate", *args])


def test_exit_codes_are_pyshacl_s(tmp_path: Path):
    good = tmp_path / "good.ttl"
    good.write_text(BASE, encoding="utf-8")
    warned = tmp_path / "warned.ttl"
    warned.write_text(
        BASE
        + holding("h1", "a", "c", 'gk:percent 40 ; gk:asOf "2013-03-31"^^xsd:date')
        + holding("h2", "a", "c", 'gk:percent 45 ; gk:asOf "2013-03-31"^^xsd:date'),
        encoding="utf-8",
    )
    bad = tmp_path / "bad.ttl"
    bad.write_text(
        BASE
        + holding("h1", "a", "b", 'gk:percent 60 ; gk:asOf "2013-03-31"^^xsd:date')
        + holding("h2", "b", "a", 'gk:percent 60 ; gk:asOf "2013-03-31"^^xsd:date'),
        encoding="utf-8",
    )
    broken = tmp_path / "broken.ttl"
    broken.write_text("ex:a ex:b .\n", encoding="utf-8")
    assert _cli(str(good)).exit_code == 0
    result = _cli(str(warned))
    assert result.exit_code == 0 and "Warning:" in result.output
    result = _cli(str(bad), "--json")
    assert result.exit_code == 1
    report = json.loads(result.stdout)
    assert not report["conforms"]
    assert {(f["focus"], f["shape"]) for f in report["findings"]} == {
        (EX + "a", "control-cycle"),
        (EX + "b", "control-cycle"),
    }
    result = _cli(str(broken))
    assert result.exit_code == 2
    assert result.stderr.lower().startswith(f"error: {broken}, line 1: ")


def test_files_are_validated_together_with_the_ontology(tmp_path: Path):
    # The holding and its parties live in two files; the merger's class hierarchy
    # (gk:AbsorptionMerger is a gk:Event) comes from the ontology.
    first = tmp_path / "entities.ttl"
    first.write_text(BASE + _merger("a", "b", "2014-01-01"), encoding="utf-8")
    second = tmp_path / "holdings.ttl"
    second.write_text(
        BASE.split("\n\n")[0] + "\n"
        + holding("h1", "a", "c", 'gk:percent 5 ; gk:asOf "2014-03-31"^^xsd:date'),
        encoding="utf-8",
    )  # fmt: skip
    result = _cli(str(first), str(second), "--json")
    assert result.exit_code == 1
    shapes = {(f["focus"], f["shape"]) for f in json.loads(result.stdout)["findings"]}
    assert shapes == {(EX + "h1", "check-holdings-after-dissolution")}


@pytest.fixture(scope="module")
def bundled_report():
    return validate_files()


def test_bundled_data_has_no_time_model_finding(bundled_report):
    assert bundled_report.conforms
    assert _time_findings(bundled_report.findings) == []
    # The releases disagree about one income figure: a warning, kept on purpose.
    assert {f.severity for f in bundled_report.findings} == {"Warning"}
    assert all(f.sources for f in bundled_report.findings)


def test_checks_survive_unplaceable_dates():
    dataset = Dataset(
        entities={e: Entity(e, e.upper()) for e in ("a", "b")},
        holdings=[Holding("h1", "a", "b", percent=60), Holding("h2", "b", "a", percent=60)],
        events=[
            Event(
                "m",
                "AbsorptionMerger",
                survivor="a",
                absorbed=["a", "b"],
                effective=parse_partial_date("0001-01-01"),
            )
        ],  # fmt: skip
    )
    findings = check_consistency(dataset)
    assert {f.check for f in findings} <= TIME_CHECKS
    assert all(f.message for f in findings)
