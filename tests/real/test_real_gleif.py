"""GLEIF files as published, every vintage, imported through the command line: the
answers each sample's README reads off the source records by hand, numbered there.

Nothing here is copied from groupkg's own output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.real.asking import ask, imported

REAL = Path(__file__).parents[1] / "data" / "real"
EPOCH_CSV = REAL / "gleif-rr-csv-2019" / "rr-golden-copy-epoch-excerpt.csv"
LEI = "https://w3id.org/groupkg/data/lei/"


def owners(store: str, child: str, day: str) -> list[str]:
    answer = ask(store, "owners", child, "--at", day)
    return sorted(o["id"].removeprefix(LEI) for o in answer["owners"])


@pytest.fixture(scope="module")
def epoch_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return imported(tmp_path_factory.mktemp("gleif-epoch"), EPOCH_CSV)


@pytest.mark.parametrize(
    ("child", "parent", "first_day"),
    [
        ("00TV1D5YIV5IDUGWBW29", "549300J4MR4TMTZPUP92", "2017-06-22"),  # README 13: E2
        ("097900BEMJ0000006171", "31570074F1TFBSNYJM10", "2017-06-22"),  # README 14: E3
        ("0L6CM7SPOSGAEQJK0J73", "549300MWIOC0W2Z2ZM36", "2017-07-13"),  # README 15: E5
        ("0XOOAY5P5J7Q734SEC89", "5493000C01ZX7D35SD85", "2017-10-02"),  # README 17: E7
    ],
)
def test_the_2019_rows_with_epoch_dates_and_many_periods_import(
    epoch_store, child, parent, first_day
):
    assert owners(epoch_store, child, "2019-09-01") == [parent]
    assert owners(epoch_store, child, first_day) == [parent]
    day_before = {"2017-06-22": "2017-06-21", "2017-07-13": "2017-07-12"}.get(
        first_day, "2017-10-01"
    )
    assert owners(epoch_store, child, day_before) == []


def test_a_period_ending_before_it_starts_is_kept_and_the_row_imports(epoch_store):
    # README 18: E4
    paths = ask(epoch_store, "paths", "0A6MFVCO7B244F0UGO76", "--at", "2019-09-01")
    assert LEI + "RGUZHJ05YTITL6D76949" in json.dumps(paths)
    paths = ask(epoch_store, "paths", "0A6MFVCO7B244F0UGO76", "--at", "2017-11-07")
    assert LEI + "RGUZHJ05YTITL6D76949" not in json.dumps(paths)


def test_a_reported_ultimate_parent_from_an_epoch_date(epoch_store):
    # README 16: E6, ultimate only, from 1988-07-07
    child = "0XKTQGPTA3P542CII630"
    assert owners(epoch_store, child, "2019-09-01") == []
    paths = ask(epoch_store, "paths", child, "--at", "2019-09-01")
    assert LEI + "VGRQXHF3J8VDLUA7XE92" in json.dumps(paths)
    paths = ask(epoch_store, "paths", child, "--at", "1988-07-06")
    assert LEI + "VGRQXHF3J8VDLUA7XE92" not in json.dumps(paths)


def test_every_period_of_a_2019_row_is_kept_with_its_type_and_days():
    from rdflib import URIRef

    from groupkg.graph.formats.gleif import read_gleif
    from groupkg.graph.vocab import GK

    graph = read_gleif(EPOCH_CSV)
    (relation,) = graph.subjects(GK.child, URIRef(LEI + "0L6CM7SPOSGAEQJK0J73"))  # README 15: E5
    periods = sorted(
        tuple(str(graph.value(p, term) or "") for term in (GK.periodType, GK.startDate, GK.endDate))
        for p in graph.objects(relation, GK.reportedPeriod)
    )
    assert periods == [
        ("ACCOUNTING_PERIOD", "2017-01-01", "2017-12-31"),
        ("ACCOUNTING_PERIOD", "2018-07-06", "2018-08-02"),
        ("RELATIONSHIP_PERIOD", "2017-07-13", ""),
        ("RELATIONSHIP_PERIOD", "2017-07-13", ""),
    ]
    (relation,) = graph.subjects(GK.child, URIRef(LEI + "097900BEMJ0000006171"))  # README 14
    days = {
        (str(graph.value(p, GK.startDate)), str(graph.value(p, GK.endDate)))
        for p in graph.objects(relation, GK.reportedPeriod)
        if str(graph.value(p, GK.periodType)) != "RELATIONSHIP_PERIOD"
    }
    assert days == {("2017-12-31", "2018-12-30"), ("2018-09-09", "2018-10-09")}


# ---- GLEIF golden copy excerpt, 2023-11-06, relationship records as XML ----

RR_XML = REAL / "gleif-rr-2023-11-06" / "rr-updates-data2.xml"
MONOOVA_FX, MONOOVA_GP, MONEYTECH = (
    "98450051BS9C610A8T78",
    "2138002YAB7Z9KO21397",
    "984500501A1B1045PB30",
)


@pytest.fixture(scope="module")
def xml_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    return imported(tmp_path_factory.mktemp("gleif-xml"), RR_XML)


def test_the_xml_relationship_records_import_with_their_direct_parents(xml_store):
    # README answers 1, 2, 8, 11
    assert owners(xml_store, MONOOVA_FX, "2023-06-30") == [MONOOVA_GP]
    assert owners(xml_store, MONOOVA_GP, "2023-06-30") == [MONEYTECH]
    assert owners(xml_store, "097900BHF50000076475", "2023-06-30") == ["549300JB1P61FUTPEZ75"]
    assert owners(xml_store, "097900BHF50000076475", "2022-10-23") == []
    assert owners(xml_store, "097900BJGO0000201513", "2023-06-30") == ["9845002B9874D50A4531"]


def test_a_quantifier_of_one_percent_is_read_as_a_hundred_and_marked_assumed(xml_store):
    # README answer 12: Aquila's records say 1.00 PERCENTAGE for a full consolidation; the
    # reading as 100 % is an inference, shown as assumed with its reason, never silently
    (stake,) = ask(xml_store, "owners", "097900BJGO0000201513", "--at", "2023-06-30")["owners"]
    assert stake["percent"] == 100 and stake["assumed"] is True
    (assumption,) = stake["assumptions"]
    assert assumption["property"] == "percent"
    assert assumption["reason"].startswith("GLEIF states 1.00 PERCENTAGE")


def test_the_xml_chain_and_its_reported_top(xml_store):
    # README answer 3: computed and reported ultimate parent agree on 2023-06-30
    paths = ask(xml_store, "paths", MONOOVA_FX, "--at", "2023-06-30")
    assert paths["ultimate_parent"]["id"] == LEI + MONEYTECH
    assert sorted([r["id"] for r in path] for path in paths["paths"]) == [
        [LEI + MONEYTECH, LEI + MONOOVA_GP, LEI + MONOOVA_FX]
    ]
    # README answer 5: on 2019-01-01 the direct chain stops at MONOOVA GLOBAL PAYMENTS,
    # and RR 11 still reports MONEYTECH as the ultimate parent
    assert owners(xml_store, MONOOVA_GP, "2019-01-01") == []
    early = ask(xml_store, "paths", MONOOVA_FX, "--at", "2019-01-01")
    assert LEI + MONEYTECH in json.dumps(early)
    # README answer 6: before 2018-06-30 nothing holds
    assert owners(xml_store, MONOOVA_FX, "2018-01-01") == []


# ---- Level 1 (LEI-CDF) CSV of 2019 with the relationship rows of the same year ----

RR_CSV = REAL / "gleif-rr-csv-2019" / "rr-golden-copy-excerpt.csv"
LEI_CSV = REAL / "gleif-rr-csv-2019" / "lei-golden-copy-excerpt.csv"
NOMINEES, CITIBANK = "029200302D4K9BC3E535", "029200343C4N7D2E6H83"


def owner_names(store: str, child: str, day: str) -> list[str]:
    return sorted(o["name"] for o in ask(store, "owners", child, "--at", day)["owners"])


@pytest.fixture(scope="module", params=["level-1-first", "level-2-first"])
def named_store(request, tmp_path_factory: pytest.TempPathFactory) -> str:
    files = (LEI_CSV, RR_CSV) if request.param == "level-1-first" else (RR_CSV, LEI_CSV)
    return imported(tmp_path_factory.mktemp("gleif-named"), *files)


def test_level_2_alone_names_entities_by_their_lei(tmp_path):
    store = imported(tmp_path, RR_CSV)  # README 21
    assert owner_names(store, NOMINEES, "2019-09-01") == [CITIBANK]


def test_with_level_1_owners_are_named_by_their_legal_name(named_store):
    # README 19, in either order of import
    assert owner_names(named_store, NOMINEES, "2019-09-01") == ["CITIBANK NIGERIA LIMITED"]
    answer = ask(
        named_store, "owners", "NIGERIA INTERNATIONAL BANK NOMINEES LIMITED", "--at", "2019-09-01"
    )
    assert [o["id"] for o in answer["owners"]] == [LEI + CITIBANK]


def test_with_level_1_paths_are_named(named_store):
    # README 20: the entity without a Level 1 record keeps its LEI for a name
    paths = ask(named_store, "paths", "0292003678F3M2X5I579", "--at", "2019-09-01")
    names = sorted([r["name"] for r in path] for path in paths["paths"])
    assert names == [
        [
            "ZAYQDKTCATIXF9OQY690",
            "RAND MERCHANT BANK NIGERIA LIMITED",
            "RMB NIGERIA NOMINEES LIMITED",
        ]
    ]


def entity_answer(store: str, lei: str) -> dict[str, object]:
    return ask(store, "entity", lei)


def test_level_1_facts_reach_the_entity_answer(tmp_path):
    store = imported(tmp_path, LEI_CSV)
    esg = entity_answer(store, "00TR8NKAEL48RGTZEW89")
    assert esg["dissolved"] == "2018-11-09"
    answer = json.dumps(esg, ensure_ascii=False)
    # README 22 and its table: name, jurisdiction, legal form, statuses, authority id
    for text in (
        "ESG DOMESTIC OPPORTUNITY OFFSHORE FUND LTD.",
        "KY",
        "CAYMAN ISLANDS ORDINARY NON-RESIDENT COMPANY",
        "INACTIVE",
        "RETIRED",
        "2018-11-09",
        "RA000087",
        "574206",
    ):
        assert text in answer, text
    # README 23: INACTIVE without a date, no dissolution date invented
    icon = entity_answer(store, "0292001436A4KDG0E577")
    assert "INACTIVE" in json.dumps(icon) and "DUPLICATE" in json.dumps(icon)
    assert icon["dissolved"] is None
    # README 24: no registration-authority identifier
    assert "RA999999" not in json.dumps(entity_answer(store, "00TV1D5YIV5IDUGWBW29"))


# ---- the 2023 XML excerpt: Level 1 and Level 2 together ----

LEI_XML = REAL / "gleif-rr-2023-11-06" / "lei-updates-data2.xml"


def test_xml_level_1_names_the_xml_relationship_answers(tmp_path):
    store = imported(tmp_path, RR_XML, LEI_XML)
    # README answers 1 and 3 of gleif-rr-2023-11-06, with the names of its Level 1 table
    assert owner_names(store, MONOOVA_FX, "2023-06-30") == ["MONOOVA GLOBAL PAYMENTS PTY LTD"]
    paths = ask(store, "paths", "MONOOVA FX PTY LTD", "--at", "2023-06-30")
    assert [[r["name"] for r in path] for path in paths["paths"]] == [
        ["MONEYTECH GROUP LIMITED", "MONOOVA GLOBAL PAYMENTS PTY LTD", "MONOOVA FX PTY LTD"]
    ]
    # README answer 7: a lapsed LEI does not end the entity
    moneytech = ask(store, "entity", MONEYTECH)
    assert moneytech["status"] == "active" and moneytech["dissolved"] is None
