"""``groupkg links`` on real records of one company in two sources, and judgements that
split and join them: every answer follows (the BODS AstraZeneca PLC record and a GLEIF
relationship of its LEI; Home Credit's GLEIF and BODS records)."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from groupkg.graph.cli import cli
from tests.real.asking import imported
from tests.real.test_real_identity import (  # noqa: F401 (fixtures)
    AZ_BODS,
    AZ_LEI,
    AZ_PARENT,
    REAL,
    SLOVAKIA,
    az_relationship,
    homecredit_level1,
)

LEI_RECORD = f"https://w3id.org/groupkg/data/lei/{AZ_LEI}"
BODS_RECORD = "https://w3id.org/groupkg/data/bods/70044236"


def run(store: str, *args: str):
    return CliRunner().invoke(cli, ["--store", store, "--no-default-data", *args])


def answer(store: str, *args: str) -> dict:
    result = run(store, *args, "--json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def parent_of_astrazeneca(store: str) -> str:
    return answer(store, "paths", "AstraZeneca PLC", "--at", "2024-01-01")["ultimate_parent"]["id"]


def test_a_judgement_splits_records_an_lei_joins_and_another_joins_them_again(
    tmp_path: Path,
    az_relationship: Path,  # noqa: F811
) -> None:
    store = imported(tmp_path, AZ_BODS, az_relationship)
    got = answer(store, "links", "AstraZeneca PLC")
    assert [r["id"] for r in got["records"]] == [BODS_RECORD, LEI_RECORD]
    assert {r["id"]: r["joined_by"] for r in got["records"]} == {
        BODS_RECORD: [{"scheme": "XI-LEI", "value": AZ_LEI}],
        LEI_RECORD: [{"scheme": "XI-LEI", "value": AZ_LEI}],
    }
    assert parent_of_astrazeneca(store).endswith(AZ_PARENT)

    result = run(store, "links", "--not-same", BODS_RECORD, LEI_RECORD, "--by", "tester",
                 "--on", "2026-01-01", "--note", "checked the register")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = answer(store, "links", "AstraZeneca PLC")
    assert [r["id"] for r in got["records"]] == [BODS_RECORD]
    assert [(j["same"], j["by"], j["on"]) for j in got["judgements"]] == [
        (False, "tester", "2026-01-01")
    ]
    # every answer follows: the BODS company is its own ultimate parent again, and the
    # GLEIF record of the LEI, now an entity of its own, keeps the parent
    assert parent_of_astrazeneca(store) == BODS_RECORD
    paths = answer(store, "paths", LEI_RECORD, "--at", "2024-01-01")
    assert paths["ultimate_parent"]["id"].endswith(AZ_PARENT)
    result = run(store, "owners", "AstraZeneca PLC", "--at", "2024-01-01", "--json")
    assert result.exit_code == 1  # no owner: the consolidation is the GLEIF record's
    assert json.loads(result.stdout)["entity"]["id"] == BODS_RECORD

    result = run(store, "links", "--same", LEI_RECORD, BODS_RECORD, "--by", "tester",
                 "--on", "2026-02-01")  # fmt: skip
    assert result.exit_code == 0, result.output
    got = answer(store, "links", "AstraZeneca PLC")
    assert [r["id"] for r in got["records"]] == [BODS_RECORD, LEI_RECORD]
    assert [j["same"] for j in got["judgements"]] == [False, True]  # the later counts
    assert {r["id"]: r["judged_same_as"] for r in got["records"]} == {
        BODS_RECORD: [LEI_RECORD],
        LEI_RECORD: [BODS_RECORD],
    }
    assert parent_of_astrazeneca(store).endswith(AZ_PARENT)


def test_a_same_judgement_joins_records_no_identifier_joins(tmp_path: Path) -> None:
    store = imported(tmp_path, AZ_BODS, REAL / "bods_relationship_replace_relationship.json")
    air_bank = answer(store, "entity", "Air Bank a.s.", "--at", "2024-07-01")["entity"]["id"]
    result = run(store, "links", "--same", "AstraZeneca PLC", "Air Bank a.s.", "--by", "t")
    assert result.exit_code == 0, result.output
    got = answer(store, "links", "Air Bank a.s.")
    assert sorted(r["id"] for r in got["records"]) == sorted([BODS_RECORD, air_bank])
    assert all(r["joined_by"] == [] for r in got["records"])
    # the joined entity owns what either record owned
    holdings = answer(store, "holdings", "AstraZeneca PLC", "--at", "2024-07-01")
    assert [h["id"] for h in holdings["holdings"]] == [
        f"https://w3id.org/groupkg/data/bods/{SLOVAKIA}"
    ]


def test_home_credit_records_of_gleif_and_bods_are_listed_with_their_sources(
    homecredit_level1: Path,  # noqa: F811
) -> None:
    bods = REAL / "bods_relationship_replace_relationship.json"
    result = CliRunner().invoke(cli, ["--no-default-data", "--data", str(homecredit_level1),
                                      "--data", str(bods), "--json", "links",
                                      "Home Credit Slovakia, a.s."])  # fmt: skip
    assert result.exit_code == 0, result.output
    got = json.loads(result.stdout)
    records = {r["id"]: r for r in got["records"]}
    assert set(records) == {
        f"https://w3id.org/groupkg/data/bods/{SLOVAKIA}",
        f"https://w3id.org/groupkg/data/lei/{SLOVAKIA}",
    }
    gleif = records[f"https://w3id.org/groupkg/data/lei/{SLOVAKIA}"]
    assert {"scheme": "XI-LEI", "value": SLOVAKIA} in gleif["joined_by"]
    assert ("RA000526", "36234176") in {(i["scheme"], i["value"]) for i in gleif["identifiers"]}
    assert all(r["sources"] for r in records.values())
    assert got["lookalikes"] == [] and got["judgements"] == []


def test_a_judgement_in_a_turtle_data_file_is_honoured_without_a_store(
    tmp_path: Path,
    az_relationship: Path,  # noqa: F811
) -> None:
    judgement = tmp_path / "judgement.ttl"
    judgement.write_text(
        "@prefix gk: <https://w3id.org/groupkg/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        "<urn:x:j> a gk:IdentityJudgement ;\n"
        f"  gk:judgedRecord <{BODS_RECORD}>, <{LEI_RECORD}> ;\n"
        '  gk:sameEntity false ; gk:judgedBy "ana" ; gk:judgedOn "2026-01-01"^^xsd:date .\n',
        encoding="utf-8",
    )
    files = ["--data", str(AZ_BODS), "--data", str(az_relationship)]
    question = ["--no-default-data", "--json", "paths", "AstraZeneca PLC", "--at", "2024-01-01"]
    joined = CliRunner().invoke(cli, [*files, *question])
    parted = CliRunner().invoke(cli, [*files, "--data", str(judgement), *question])
    assert json.loads(joined.stdout)["ultimate_parent"]["id"].endswith(AZ_PARENT)
    assert json.loads(parted.stdout)["ultimate_parent"]["id"] == BODS_RECORD
