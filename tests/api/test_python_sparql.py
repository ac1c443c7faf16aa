"""SPARQL from Python through the public API alone: named queries with their parameters
(days as analysts hold them), any query text, rows of plain values, typed DataFrames,
and clear errors.

Expected figures are read off the bundled data by hand (data/iij/holdings.ttl): on
2013-11-07 IIJ holds 3,996 shares (99.9%) of IIJ Exlayer and the other shareholders 4
(0.1%), both recorded as of that day (gk:asOf); data/iij/entities.ttl: IIJ was
incorporated on 1992-12-03, IIJ Technology in 1996-11 (a month).
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import groupkg.graph as gk
from groupkg.graph import (
    Group,
    InputError,
    NamedQuery,
    PartialDate,
    QueryRows,
    UnknownName,
    frame,
    load,
    open_store,
    query,
    sparql,
    user_queries,
)

IIJ = "https://w3id.org/groupkg/data/iij/"
DAY = dt.date(2013, 12, 31)
PREFIXES = """PREFIX gk: <https://w3id.org/groupkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
EXLAYER_OWNERS = [
    {
        "owner": IIJ + "iij",
        "ownerName": "Internet Initiative Japan Inc.",
        "percent": 99.9,
        "percentMin": None,
        "percentMax": None,
        "shares": 3996,
        "start": dt.date(2013, 11, 7),
        "holding": IIJ + "h-iij-iij-exlayer-2013-11-07",
    },
    {
        "owner": IIJ + "other-shareholders-iij-exlayer",
        "ownerName": "Other shareholders of IIJ Exlayer Inc.",
        "percent": 0.1,
        "percentMin": None,
        "percentMax": None,
        "shares": 4,
        "start": dt.date(2013, 11, 7),
        "holding": IIJ + "h-other-iij-exlayer-2013-11-07",
    },
]


@pytest.fixture(scope="module")
def iij() -> Group:
    return load()


def plain(value: object) -> bool:
    return value is None or type(value) in (str, int, float, bool, dt.date, dt.datetime)


# -- named queries ---------------------------------------------------------------------


def test_a_named_query_answers_rows_of_plain_values_read_off_the_data(iij):
    rows = iij.query("owners-at", entity="IIJ Exlayer", date=DAY)
    assert rows == EXLAYER_OWNERS
    assert isinstance(rows, list) and isinstance(rows, QueryRows)
    assert rows.variables == tuple(EXLAYER_OWNERS[0])
    assert all(plain(v) for row in rows for v in row.values())
    assert not any(isinstance(v, Decimal | PartialDate) for row in rows for v in row.values())


def test_the_function_and_the_method_answer_alike(iij):
    assert query(iij.store, "owners-at", entity="IIJ Exlayer", date=DAY) == EXLAYER_OWNERS
    assert gk.query is query and gk.sparql is sparql


@pytest.mark.parametrize(
    "day",
    [
        "2013-12-31",
        DAY,
        dt.datetime(2013, 12, 31, 18, 30),
        pd.Timestamp("2013-12-31"),
        np.datetime64("2013-12-31"),
    ],
)
def test_a_date_parameter_takes_a_day_as_analysts_hold_it(iij, day):
    assert iij.query("owners-at", entity="IIJ Exlayer", date=day) == EXLAYER_OWNERS


def test_an_entity_is_a_name_or_an_iri_and_a_day_before_it_existed_has_no_rows(iij):
    by_iri = iij.query("owners-at", entity=IIJ + "iij-exlayer", date=DAY)
    assert by_iri == EXLAYER_OWNERS
    # data/iij/entities.ttl: IIJ Exlayer was incorporated on 2009-10-01.
    before = iij.query("owners-at", entity="IIJ Exlayer", date=dt.date(2009, 9, 30))
    assert before == [] and before.variables == tuple(EXLAYER_OWNERS[0])


def test_a_parameter_named_as_a_python_keyword_takes_a_trailing_underscore_or_a_mapping(iij):
    # data/iij/entities.ttl: IIJ Technology and IIJ Financial Systems were dissolved on
    # 2010-04-01, and nothing else ended in 2010.
    by_keyword = iij.query("dissolved-between", from_="2010-01-01", to=dt.date(2011, 1, 1))
    by_mapping = iij.query("dissolved-between", {"from": "2010-01-01", "to": "2011-01-01"})
    assert by_keyword == by_mapping
    names = sorted(row["name"] for row in by_keyword)
    assert names == ["IIJ Financial Systems Inc.", "IIJ Technology Inc."]
    assert {row["ended"] for row in by_keyword} == {dt.date(2010, 4, 1)}


def test_the_library_of_queries_is_public_with_each_query_s_parameters():
    queries = user_queries()
    assert {"owners-at", "holdings-at", "ancestors-at", "dissolved-between"} <= set(queries)
    assert not any(name.startswith(("facts-", "names-")) for name in queries)
    owners = queries["owners-at"]
    assert isinstance(owners, NamedQuery)
    assert owners.params == {"entity": "entity", "date": "date"}
    assert owners.description.startswith("Direct owners of an entity on a date")


# -- any query text ----------------------------------------------------------------------


def test_a_year_or_a_month_comes_back_as_its_iso_text_and_a_day_as_a_date(iij):
    rows = iij.sparql(
        PREFIXES + "SELECT ?name ?born WHERE { ?e rdfs:label ?name ; gk:incorporationDate ?born "
        'FILTER(?name IN ("IIJ Technology Inc.", "Internet Initiative Japan Inc.")) } '
        "ORDER BY ?name"
    )
    assert rows == [
        {"name": "IIJ Technology Inc.", "born": "1996-11"},
        {"name": "Internet Initiative Japan Inc.", "born": dt.date(1992, 12, 3)},
    ]
    table = rows.to_frame()
    assert str(table["born"].dtype) == "string"  # no day invented for the month
    assert list(table["born"]) == ["1996-11", "1992-12-03"]


def test_literals_of_every_kind_become_plain_values(iij):
    rows = iij.sparql(
        PREFIXES + "SELECT ?int ?decimal ?double ?flag ?year ?moment ?text ?bad ?nothing "
        "WHERE { BIND(1 AS ?int) BIND(2.5 AS ?decimal) BIND(1e3 AS ?double) "
        'BIND(true AS ?flag) BIND("2013"^^xsd:gYear AS ?year) '
        'BIND("2013-12-31T10:30:00Z"^^xsd:dateTime AS ?moment) BIND("text"@en AS ?text) '
        'BIND("x"^^xsd:date AS ?bad) OPTIONAL { ?nothing a gk:NoSuchClass } }'
    )
    assert rows.variables == (
        "int", "decimal", "double", "flag", "year", "moment", "text", "bad", "nothing"
    )  # fmt: skip
    assert rows == [
        {
            "int": 1,
            "decimal": 2.5,
            "double": 1000.0,
            "flag": True,
            "year": "2013",
            "moment": dt.datetime(2013, 12, 31, 10, 30, tzinfo=dt.UTC),
            "text": "text",
            "bad": "x",  # not a date: its text
            "nothing": None,
        }
    ]
    assert [type(v) for v in rows[0].values()][:4] == [int, float, float, bool]


def test_an_ask_is_a_bool_and_a_construct_rows_of_triples(iij):
    assert iij.sparql(PREFIXES + "ASK { ?s a gk:UnnamedHolders }") is True
    assert iij.sparql(PREFIXES + "ASK { ?s a gk:NoSuchClass }") is False
    triples = iij.sparql(
        PREFIXES + "CONSTRUCT { ?h gk:shares ?n } WHERE { ?h gk:owned <" + IIJ + "iij-exlayer> ; "
        "gk:shares ?n }"
    )
    assert triples.variables == ("subject", "predicate", "object")
    assert {(t["subject"].rsplit("/", 1)[-1], t["object"]) for t in triples} >= {
        ("h-iij-iij-exlayer-2013-11-07", 3996),
        ("h-other-iij-exlayer-2013-11-07", 4),
    }


def test_a_store_of_its_own_is_asked_as_a_group_s_store_is():
    store = open_store("memory", default_data=False)  # the ontology alone
    assert sparql(store, PREFIXES + "SELECT ?h WHERE { ?h a gk:Holding }") == []


def test_a_remote_store_answers_the_same_plain_values(iij, start_server):
    # groupkg's own server over the bundled data, asked as any SPARQL endpoint is.
    remote = open_store(f"sparql:{start_server()}/sparql")
    assert query(remote, "owners-at", entity="IIJ Exlayer", date=DAY) == EXLAYER_OWNERS
    text = PREFIXES + "SELECT ?e ?born WHERE { ?e gk:incorporationDate ?born } ORDER BY ?e"
    assert sparql(remote, text) == iij.sparql(text)
    assert sparql(remote, PREFIXES + "ASK { ?s a gk:UnnamedHolders }") is True


# -- DataFrames ---------------------------------------------------------------------------


def test_rows_make_a_typed_frame_and_frame_makes_the_same(iij):
    rows = iij.query("owners-at", entity="IIJ Exlayer", date=DAY)
    table = rows.to_frame()
    assert list(table.columns) == list(rows.variables)
    dtypes = {name: str(dtype) for name, dtype in table.dtypes.items()}
    assert dtypes == {
        "owner": "string",
        "ownerName": "string",
        "percent": "float64",
        "percentMin": "float64",  # unbound throughout: NaN, still a percent
        "percentMax": "float64",
        "shares": "Int64",
        "start": "datetime64[ns]",
        "holding": "string",
    }
    assert list(table["percent"]) == [99.9, 0.1]
    assert list(table["shares"]) == [3996, 4]
    assert list(table["start"]) == [pd.Timestamp("2013-11-07")] * 2
    pd.testing.assert_frame_equal(frame(rows), table)


def test_a_result_without_rows_keeps_its_columns(iij):
    rows = iij.query("owners-at", entity="IIJ Exlayer", date=dt.date(2009, 9, 30))
    table = rows.to_frame()
    assert table.empty and list(table.columns) == list(rows.variables)


def test_several_days_stack_into_one_frame(iij):
    days = [dt.date(2013, 12, 31), dt.date(2014, 12, 31)]
    tables = [iij.query("owners-at", entity="IIJ Exlayer", date=d).to_frame() for d in days]
    stacked = pd.concat([t.assign(date=d) for t, d in zip(tables, days, strict=True)])
    assert len(stacked) == sum(len(t) for t in tables)


# -- errors ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "params", "message", "field"),
    [
        ("no-such-query", {}, "no named query 'no-such-query'; user_queries() lists them", None),
        ("owners-at", {"entity": "IIJ"}, "needs the parameter date (a date)", "date"),
        ("owners-at", {"entity": "IIJ", "date": DAY, "at": DAY}, "takes no parameter at", "at"),
        ("owners-at", {"entity": "IIJ", "date": "2013-02-30"}, "not a real day", "date"),
        ("owners-at", {"entity": "IIJ", "date": None}, "None is not a day", "date"),
        ("owners-at", {"entity": 42, "date": DAY}, "42 is not text", "entity"),
        ("owners-at", {"entity": None, "date": DAY}, "None is not text", "entity"),
    ],
)
def test_a_bad_query_name_or_parameter_is_an_input_error_naming_it(
    iij, name, params, message, field
):
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        iij.query(name, **params)
    assert caught.value.field == field
    assert "--" not in str(caught.value)  # no command-line option in a library's message


def test_the_unknown_query_lists_the_queries_a_user_has():
    with pytest.raises(InputError) as caught:
        load().query("owner-at", entity="IIJ", date=DAY)
    assert "owners-at" in str(caught.value) and "facts-holdings" not in str(caught.value)


def test_a_parameter_given_twice_or_a_name_that_is_no_text_is_refused(iij):
    with pytest.raises(InputError, match="parameter from given twice") as caught:
        iij.query("dissolved-between", {"from": "2015-01-01"}, from_="2015-01-01", to=DAY)
    assert caught.value.field == "from"
    with pytest.raises(InputError, match="a query's name is text"):
        iij.query(None)  # type: ignore[arg-type]


def test_an_unknown_entity_is_unknown_name_with_its_candidates(iij):
    with pytest.raises(UnknownName) as caught:
        iij.query("owners-at", entity="IIJ Exlayr", date=DAY)
    assert caught.value.name == "IIJ Exlayr"
    assert "IIJ Exlayer Inc." in caught.value.candidates


@pytest.mark.parametrize(
    "update",
    [
        "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
        PREFIXES + "DELETE WHERE { ?h a gk:Holding }",
        "# a comment first\nprefix : <urn:x:> clear all",
        "LOAD <http://example.org/data.ttl>",
    ],
)
def test_an_update_is_refused_and_changes_nothing(update):
    group = load()
    before = len(group.store)
    with pytest.raises(InputError, match="starts an update: a query only reads") as caught:
        group.sparql(update)
    assert caught.value.field == "query"
    assert len(group.store) == before


def test_a_syntax_error_a_text_nested_too_deep_or_no_text_is_an_input_error(iij):
    with pytest.raises(InputError, match="SPARQL syntax error"):
        iij.sparql("SELECT ?x WHERE { ?x ")
    with pytest.raises(InputError, match="nests brackets 300 deep"):
        iij.sparql("SELECT * WHERE " + "{" * 300 + "}" * 300)
    with pytest.raises(InputError, match="a SPARQL query is text"):
        iij.sparql(b"ASK {}")  # type: ignore[arg-type]


def test_files_loaded_over_a_store_on_disk_are_not_silently_left_out(tmp_path: Path):
    path = tmp_path / "store"
    open_store(f"oxigraph:{path}", default_data=False, writable=True).close()  # type: ignore[attr-defined]
    csv = tmp_path / "holdings.csv"
    csv.write_text("owner,owned,percent\nParent Co,Alpha Ltd,60\n", encoding="utf-8")
    group = load(csv, f"oxigraph:{path}")
    assert [o["name"] for o in group.owners("Alpha Ltd", DAY)["owners"]] == ["Parent Co"]
    with pytest.raises(InputError, match="held beside it, in memory") as caught:
        group.sparql(PREFIXES + "SELECT ?h WHERE { ?h a gk:Holding }")
    assert caught.value.field == "store"
