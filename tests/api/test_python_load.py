"""Data into groupkg from Python through the public API alone: ``load`` from files of
each format, DataFrames in the CSV holdings layout and a store, all checked and all or
nothing; a ``Dataset`` given to ``Group`` checked; ``Group.export`` writing it out.

Every expected answer is read off the input the test writes (or the sample file it
names) by hand."""

from __future__ import annotations

import math
import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from groupkg.graph import (
    Dataset,
    Entity,
    Group,
    Holding,
    InputError,
    PartialDate,
    Relation,
    import_file,
    load,
    open_store,
)

DATA = Path(__file__).parents[1] / "data"
GLEIF = DATA / "gleif" / "sample.csv"
BODS = DATA / "bods-0.4" / "examples" / "bods-package-entity-owning-entity.json"
DAY = date(2024, 1, 1)

HOLDINGS_CSV = """owner,owned,percent,percent_min,percent_max,shares,start_date,end_date,source
Parent Co,Alpha Ltd,60,,,600,2020-01-01,,Annual report 2020
Parent Co,Beta Ltd,45.5,,,,2020-01-01,2023-01-01,Annual report 2020
Fund LP,Beta Ltd,,10,20,,2021-06-01,,Fund filing
"""


def owners_of(group: Group, name: str, day: date = DAY) -> list[tuple[str, object]]:
    return [(o["name"], o["percent"]) for o in group.owners(name, day)["owners"]]


def as_frame() -> pd.DataFrame:
    """HOLDINGS_CSV as an analyst has it: unknown cells as pd.NA."""
    return pd.DataFrame(
        {
            "owner": ["Parent Co", "Parent Co", "Fund LP"],
            "owned": ["Alpha Ltd", "Beta Ltd", "Beta Ltd"],
            "percent": [60, 45.5, pd.NA],
            "percent_min": [pd.NA, pd.NA, 10],
            "percent_max": [pd.NA, pd.NA, 20],
            "shares": [600, pd.NA, pd.NA],
            "start_date": [date(2020, 1, 1), date(2020, 1, 1), pd.Timestamp("2021-06-01")],
            "end_date": [None, "2023-01-01", None],
            "source": ["Annual report 2020", "Annual report 2020", "Fund filing"],
        }
    )


@pytest.fixture
def holdings_csv(tmp_path: Path) -> Path:
    path = tmp_path / "holdings.csv"
    path.write_text(HOLDINGS_CSV, encoding="utf-8")
    return path


def test_a_csv_file_loads_with_the_owners_it_states_and_without_the_iij_data(holdings_csv):
    group = load(holdings_csv)
    assert owners_of(group, "Alpha Ltd") == [("Parent Co", 60)]
    # Beta: Parent Co's 45.5% ended on 2023-01-01 (exclusive); Fund LP holds 10-20%.
    assert owners_of(group, "Beta Ltd", date(2022, 12, 31)) == [
        ("Parent Co", 45.5),
        ("Fund LP", None),
    ]
    assert owners_of(group, "Beta Ltd") == [("Fund LP", None)]
    (fund,) = group.owners("Beta Ltd", DAY)["owners"]
    assert (fund["percent_min"], fund["percent_max"]) == (10, 20)
    assert group.holdings("Parent Co", DAY)["holdings"][0]["shares"] == 600
    assert group.info()["entities"] == 4  # Parent Co, Alpha Ltd, Beta Ltd, Fund LP
    with pytest.raises(InputError):
        group.resolve("Internet Initiative Japan")
    assert load(str(holdings_csv)).owners("Alpha Ltd", DAY) == group.owners("Alpha Ltd", DAY)


def test_load_with_nothing_is_the_bundled_iij_example_and_with_iij_adds_it():
    # docs/json.md: Koichi Suzuki's effective stake in IIJ on 2013-12-31 is 5.59%.
    group = load()
    assert group.effective("Koichi Suzuki", "IIJ", date(2013, 12, 31))["percent"] == 5.59
    assert load(with_iij=False).info()["entities"] == 0


def test_a_dataframe_loads_as_the_same_rows_in_a_csv_file(holdings_csv):
    from_file, from_frame = load(holdings_csv), load(as_frame())
    for name in ("Alpha Ltd", "Beta Ltd"):
        for day in (date(2020, 6, 30), date(2022, 12, 31), DAY):
            file_answer = from_file.owners(name, day)
            frame_answer = from_frame.owners(name, day)
            for stake in file_answer["owners"] + frame_answer["owners"]:
                stake.pop("sources")  # the file's name or "DataFrame" where a row has none
            assert frame_answer == file_answer


def test_a_missing_figure_is_unknown_as_pandas_writes_it():
    # pandas writes a missing value of a float column as NaN (pd.read_csv reads an empty
    # cell so): it is an unknown percent, as an empty cell of a CSV file is.
    frame = pd.DataFrame({"owner": ["P", "P"], "owned": ["A", "B"], "percent": [60.0, None]})
    assert frame["percent"].isna().tolist() == [False, True]
    group = load(frame)
    assert owners_of(group, "A") == [("P", 60)]
    assert owners_of(group, "B") == [("P", None)]
    frame["percent"] = frame["percent"].astype("Float64")  # NaN -> pd.NA: the same
    assert owners_of(load(frame), "B") == [("P", None)]


def test_a_bad_dataframe_names_each_row_and_field_as_a_csv_names_its_lines(tmp_path):
    frame = pd.DataFrame(
        {
            "owner": ["P", "P", "P", ""],
            "owned": ["A", "B", "C", "D"],
            "percent": [150, 20, 30, 40],
            "start_date": ["2020-01-01", "2020-02-30", None, None],
        },
        index=["a", "b", "c", "d"],
    )
    with pytest.raises(InputError) as refused:
        load(frame)
    assert [(p.location, p.field) for p in refused.value.problems] == [
        ("row a", "percent"),
        ("row b", "start_date"),
        ("row d", "owner"),
    ]
    path = tmp_path / "h.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(InputError) as in_file:
        load(path)
    # The same reasons, at lines 2, 3 and 5 of the file (the header is line 1).
    assert [(p.location, p.field, p.reason) for p in in_file.value.problems] == [
        (line, p.field, p.reason) for line, p in zip((2, 3, 5), refused.value.problems, strict=True)
    ]
    assert str(refused.value).splitlines()[0] == (
        "DataFrame:row a: percent: 150 is not a percentage between 0 and 100"
    )


def test_unknown_columns_of_a_dataframe_are_refused_with_a_hint():
    frame = pd.DataFrame({"owner": ["P"], "owned": ["A"], "precent": [50]})
    with pytest.raises(InputError, match=r"DataFrame:columns: precent: unknown column "
                                         r"\(did you mean 'percent'\?\)"):  # fmt: skip
        load(frame)


def test_gleif_and_bods_files_load_with_what_their_records_say():
    group = load(GLEIF, BODS)
    # sample.csv: 5493000SUBSIDIARYB28 IS_DIRECTLY_CONSOLIDATED_BY 5493000PARENT0GRP062
    # at 60 PERCENTAGE from 2018-07-01.
    (parent,) = group.owners("5493000SUBSIDIARYB28", DAY)["owners"]
    assert (parent["name"], parent["percent"], parent["interest"]) == (
        "5493000PARENT0GRP062",
        60,
        "directConsolidation",
    )
    assert group.owners("5493000SUBSIDIARYB28", date(2018, 6, 30))["owners"] == []
    # The BODS example: MVJ LIMITED holds at least 75% and under 100% of JENEX LIMITED.
    (mvj,) = group.owners("JENEX LIMITED", DAY)["owners"]
    assert (mvj["name"], mvj["percent_min"], mvj["percent_max"]) == ("MVJ LIMITED", 75, 100)


def test_several_sources_load_together_or_not_at_all(tmp_path, holdings_csv):
    extra = pd.DataFrame({"owner": ["Alpha Ltd"], "owned": ["Gamma Ltd"], "percent": [100]})
    group = load(holdings_csv, extra, GLEIF)
    # The DataFrame's "Alpha Ltd" is the file's Alpha Ltd: Parent Co controls Gamma.
    assert group.paths("Gamma Ltd", DAY)["ultimate_parent"]["name"] == "Parent Co"
    assert owners_of(group, "5493000SUBSIDIARYB28") == [("5493000PARENT0GRP062", 60)]

    store_path = tmp_path / "store"
    store = open_store(f"oxigraph:{store_path}", default_data=False, writable=True)
    import_file(store, holdings_csv)
    before = len(store)
    store.close()
    bad = extra.assign(percent=[101])
    with pytest.raises(InputError, match="DataFrame 2:row 0: percent: 101 is not"):
        load(f"oxigraph:{store_path}", extra, GLEIF, bad)
    assert len(open_store(f"oxigraph:{store_path}", default_data=False)) == before


def test_a_store_is_opened_and_read_and_sources_are_added_over_it_not_into_it(
    tmp_path, holdings_csv
):
    spec = f"oxigraph:{tmp_path / 'store'}"
    store = open_store(spec, default_data=False, writable=True)
    import_file(store, holdings_csv)
    before = len(store)
    store.close()
    assert owners_of(load(spec), "Alpha Ltd") == [("Parent Co", 60)]
    extra = pd.DataFrame({"owner": ["Alpha Ltd"], "owned": ["Gamma Ltd"], "percent": [100]})
    group = load(spec, extra)
    assert owners_of(group, "Gamma Ltd") == [("Alpha Ltd", 100)]
    assert len(open_store(spec, default_data=False)) == before
    opened = open_store(spec, default_data=False)
    assert owners_of(load(opened), "Alpha Ltd") == [("Parent Co", 60)]


def test_an_export_over_a_store_holds_the_sources_added_over_it(tmp_path, holdings_csv):
    spec = f"oxigraph:{tmp_path / 'store'}"
    store = open_store(spec, default_data=False, writable=True)
    import_file(store, holdings_csv)
    store.close()
    extra = pd.DataFrame({"owner": ["Alpha Ltd"], "owned": ["Gamma Ltd"], "percent": [100]})
    rows = load(spec, extra).export("csv").decode("utf-8").splitlines()
    # The import stamped its time on the records it wrote (known_from, the last
    # column); the DataFrame, read for this run only, has none.
    imported = [r for r in rows if r.startswith("Parent Co,Alpha Ltd,")]
    assert len(imported) == 1
    stamp = r"\d{4}-\d\d-\d\dT[\d:]+(Z|\+00:00)"
    assert re.fullmatch(
        rf"Parent Co,Alpha Ltd,60,,,600,2020-01-01,,Annual report 2020,{stamp}", imported[0]
    )
    assert "Alpha Ltd,Gamma Ltd,100,,,,,,DataFrame," in rows


@pytest.mark.parametrize(
    ("sources", "message"),
    [
        (("no-such-file.csv",), "no-such-file.csv: no such file"),
        ((42,), "load: int 42: not a file, a DataFrame or a store"),
        (("memory", "memory"), "give one store at most, not 2"),
        (("sparql:ftp://example.org",), "is not an http:// or https:// URL"),
    ],
)
def test_a_source_that_cannot_be_loaded_is_an_input_error(sources, message):
    with pytest.raises(InputError, match=message):
        load(*sources)


def test_an_unknown_file_type_and_an_impossible_threshold_are_input_errors(tmp_path):
    notes = tmp_path / "notes.docx"
    notes.write_bytes(b"PK")
    with pytest.raises(InputError, match="notes.docx: unknown file type"):
        load(notes)
    for threshold in (150, math.nan):
        with pytest.raises(InputError, match="threshold: .* is not a percentage"):
            load(threshold=threshold)
    assert load(threshold=60.0).threshold == 60.0


def day(text: str) -> PartialDate:
    start = date.fromisoformat(text)
    return PartialDate(start, date.fromordinal(start.toordinal() + 1), "day")


def toy(*holdings: Holding, relations: tuple[Relation, ...] = ()) -> Dataset:
    entities = {e: Entity(e, e.title()) for e in ("parent", "alpha", "beta")}
    return Dataset(entities, list(holdings), list(relations))


def test_a_dataset_given_to_group_is_checked_naming_each_holding_and_field():
    empty = open_store("memory", default_data=False)
    bad = toy(
        Holding("h1", "parent", "alpha", 150.0),
        Holding("h2", "parent", "beta", math.nan),
        Holding("h3", "nobody", "beta", 10.0, shares=-5),
        Holding("h4", "alpha", "beta", percent_min=30.0, percent_max=20.0),
        Holding("h5", "alpha", "alpha", 10.0),
        Holding(
            "h6", "parent", "beta", 5.0, valid_from=day("2020-01-01"), valid_to=day("2019-01-01")
        ),
        Holding("h7", "parent", "beta", 5.0, valid_from="2020-01-01"),  # type: ignore[arg-type]
        relations=(Relation("r1", "direct", "parent", "ghost", percent=-1.0),),
    )
    with pytest.raises(InputError) as refused:
        Group(empty, dataset=bad)
    assert str(refused.value).splitlines() == [
        "Dataset:holding h1: percent: 150.0 is not a percentage between 0 and 100",
        "Dataset:holding h2: percent: nan is not a percentage between 0 and 100",
        "Dataset:holding h3: owner: 'nobody' is not an entity of the dataset",
        "Dataset:holding h3: shares: '-5' is not a whole number of shares",
        "Dataset:holding h4: percent_min: 30.0 is greater than percent_max 20.0",
        "Dataset:holding h5: owned: 'alpha' is also the owner: nothing holds itself",
        "Dataset:holding h6: valid_to: 2019-01-01 is not after start_date 2020-01-01"
        " (end is exclusive)",
        "Dataset:holding h7: valid_from: '2020-01-01' is not a PartialDate",
        "Dataset:relation r1: child: 'ghost' is not an entity of the dataset",
        "Dataset:relation r1: percent: -1.0 is not a percentage between 0 and 100",
    ]


def test_a_good_dataset_is_answered_as_before():
    empty = open_store("memory", default_data=False)
    group = Group(empty, dataset=toy(Holding("h1", "parent", "alpha", 60.0, shares=600)))
    assert owners_of(group, "Alpha") == [("Parent", 60)]
    assert group.effective("Parent", "Alpha", DAY)["percent"] == 60


def test_a_loaded_group_exports_in_one_call_and_the_export_loads_back(tmp_path, holdings_csv):
    group = load(holdings_csv)
    for fmt, suffix in (("csv", ".csv"), ("ttl", ".ttl"), ("bods", ".json")):
        path = tmp_path / f"out{suffix}"
        data = group.export(fmt, path)
        assert path.read_bytes() == data
        again = load(path)
        assert owners_of(again, "Alpha Ltd") == [("Parent Co", 60)]
        assert owners_of(again, "Beta Ltd", date(2022, 12, 31)) == [
            ("Parent Co", 45.5),
            ("Fund LP", None),
        ]
    graphml = group.export("graphml", day=DAY).decode("utf-8")
    assert "Alpha Ltd" in graphml and "<graphml" in graphml
    with pytest.raises(InputError, match="'xlsx' is not one of"):
        group.export("xlsx")
