"""The public API as a user's type-checked code calls it (``test_typing.py`` runs mypy on
this file): each ``assert_type`` fails the check when a hint of the API changes.

The functions are never called; importing the module does nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, assert_type

import numpy as np

import groupkg.graph as gk
from groupkg.graph import (
    AmbiguousName,
    BadInput,
    Day,
    Group,
    InputError,
    QueryRows,
    Store,
    UnknownName,
    as_day,
    export,
    open_store,
)

__all__ = ["answers", "days", "errors"]


def days() -> None:
    assert_type(as_day("2013-12-31"), dt.date)
    assert_type(as_day(dt.datetime(2013, 12, 31)), dt.date)
    assert_type(as_day(np.datetime64("2013-12-31")), dt.date)
    every: list[Day] = ["2013-12-31", dt.date(2013, 12, 31), np.datetime64("2013-12-31")]
    assert_type(every, list[Day])
    assert_type(gk.__version__, str)


def answers(group: Group) -> None:
    store = open_store("memory")
    assert_type(store, Store)
    assert_type(group.owners("IIJ Exlayer", "2013-12-31"), dict[str, Any])
    assert_type(group.effective("Koichi Suzuki", "IIJ", dt.date(2013, 12, 31)), dict[str, Any])
    assert_type(group.diff("2013-12-31", dt.datetime(2014, 1, 1)), dict[str, Any])
    assert_type(group.events("IIJ", start="2013-01-01"), list[dict[str, Any]])
    assert_type(group.status("urn:x", "2013-12-31"), str)
    assert_type(group.issued_shares("urn:x", "2013-12-31"), int | None)
    assert_type(group.resolve("IIJ"), str)
    assert_type(export(store, "graphml", "2013-12-31"), bytes)
    assert_type(group.query("owners-at", entity="IIJ", date=dt.date(2013, 12, 31)), QueryRows)
    assert_type(group.query("dissolved-between", {"from": "2010-01-01"}, to="2011"), QueryRows)
    assert_type(gk.query(store, "events-of", entity="IIJ"), QueryRows)
    assert_type(group.sparql("ASK { ?s ?p ?o }"), QueryRows | bool)
    assert_type(gk.sparql(store, "SELECT * { ?s ?p ?o }"), QueryRows | bool)
    assert_type(gk.user_queries()["owners-at"].params, dict[str, str])


def errors() -> None:
    try:
        open_store("nowhere")
    except UnknownName as unknown:
        assert_type(unknown.name, str)
        assert_type(unknown.candidates, list[str])
    except AmbiguousName as ambiguous:
        assert_type(ambiguous.candidates, list[str])
    except BadInput as bad:
        assert_type(bad.problems[0].location, int | str)
    except InputError as error:
        assert_type(error.file, str | None)
        assert_type(error.line, int | None)
        assert_type(error.field, str | None)
