"""A day as an analyst holds it: every answer of ``Group`` (and ``as_day``, ``export``)
takes an ISO string, a date, a datetime, a pandas Timestamp or a numpy datetime64, and
refuses anything else with an ``InputError`` naming the value."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from groupkg.graph import (
    Group,
    InputError,
    Register,
    Timeline,
    as_day,
    export,
    load_dataset,
    open_store,
)
from tests.tools import loaded_by

DAY = dt.date(2013, 12, 31)

SAME_DAY = [
    "2013-12-31",
    DAY,
    dt.datetime(2013, 12, 31, 23, 59),
    # its own calendar date: 23:00 in New York is already 2014 in UTC, still 2013-12-31
    dt.datetime(2013, 12, 31, 23, tzinfo=dt.timezone(dt.timedelta(hours=-5))),
    pd.Timestamp("2013-12-31"),
    pd.Timestamp("2013-12-31 08:00", tz="Asia/Tokyo"),
    np.datetime64("2013-12-31"),
    np.datetime64("2013-12-31T12:00:00.000000000"),
]

NOT_A_DAY = [
    (None, "None is not a day"),
    (2013, "2013 is not a day"),
    (2013.0, "2013.0 is not a day"),
    (True, "True is not a day"),
    ("2013", "'2013' is not an ISO date"),
    ("2013-02-30", "2013-02-30 is not a real day"),
    ("yesterday", "'yesterday' is not an ISO date"),
    (pd.NaT, "NaT is a missing date"),
    (np.datetime64("NaT"), "is a missing date"),
    (np.datetime64("2013-12", "M"), "is not a day (its unit is 'M')"),
    (np.datetime64("12000-01-01"), "outside the days Python has"),
]


@pytest.mark.parametrize("value", SAME_DAY, ids=repr)
def test_every_kind_of_day_is_the_same_day(value):
    assert as_day(value) == DAY
    assert type(as_day(value)) is dt.date


@pytest.mark.parametrize(("value", "message"), NOT_A_DAY, ids=repr)
def test_anything_else_is_an_input_error_naming_the_value(value, message):
    with pytest.raises(InputError, match="^at: .*" + _escaped(message)):
        as_day(value, "at")


def _escaped(text: str) -> str:
    return re.escape(text)


@pytest.fixture(scope="module")
def iij() -> Group:
    return Group(open_store("memory"))


ANSWERS = {
    "owners": lambda g, d: g.owners("IIJ Exlayer", d),
    "holdings": lambda g, d: g.holdings("IIJ", d),
    "entity": lambda g, d: g.entity("IIJ Exlayer", d),
    "paths": lambda g, d: g.paths("IIJ Exlayer USA", d),
    "effective": lambda g, d: g.effective("Koichi Suzuki", "IIJ", d),
    "perimeter": lambda g, d: g.perimeter("IIJ", d),
    "diff": lambda g, d: g.diff(d, "2014-01-01"),
    "diff after": lambda g, d: g.diff("2013-09-30", d),
    "events": lambda g, d: g.events("IIJ Exlayer", start=d, end=d),
    "status": lambda g, d: g.status(g.resolve("IIJ Exlayer"), d),
    "issued_shares": lambda g, d: g.issued_shares(g.resolve("IIJ"), d),
    "members": lambda g, d: g.members([d]),
    "snapshot": lambda g, d: len(g.snapshot(d).stakes),
    "pair": lambda g, d: [len(s.stakes) for s in g.pair(d, d)],
}


@pytest.mark.parametrize("question", sorted(ANSWERS))
def test_every_answer_takes_every_kind_of_day_alike(iij, question):
    ask = ANSWERS[question]
    expected = ask(iij, DAY)
    for value in SAME_DAY:
        assert ask(iij, value) == expected, value


@pytest.mark.parametrize("question", sorted(ANSWERS))
@pytest.mark.parametrize(("value", "message"), NOT_A_DAY[:3] + NOT_A_DAY[5:8], ids=repr)
def test_every_answer_refuses_what_is_not_a_day(iij, question, value, message):
    if question == "events" and value is None:  # no bound: every event of the entity
        assert ANSWERS[question](iij, value) == iij.events("IIJ Exlayer")
        return
    with pytest.raises(InputError, match=_escaped(message)):
        ANSWERS[question](iij, value)


def test_a_date_is_written_as_the_readme_writes_it(iij):
    owners = iij.owners("IIJ Exlayer", "2013-12-31")
    assert owners["at"] == "2013-12-31"
    assert owners["owners"], owners


def test_export_takes_a_day_as_a_string():
    store = open_store("memory")
    assert export(store, "graphml", "2013-12-31") == export(store, "graphml", DAY)
    with pytest.raises(InputError, match="'yesterday' is not an ISO date"):
        export(store, "graphml", "yesterday")


def test_a_day_as_text_imports_neither_numpy_nor_pandas():
    code = (
        "import datetime\n"
        "from groupkg.graph import as_day\n"
        "as_day('2013-12-31'), as_day(datetime.datetime(2013, 12, 31))"
    )
    assert loaded_by(code, ("numpy", "pandas")) == []


def test_the_time_model_takes_every_kind_of_day_alike(iij):
    timeline = Timeline(load_dataset(iij.store))
    register = Register.from_timeline(timeline)
    exlayer = iij.resolve("IIJ Exlayer")
    for value in SAME_DAY:
        assert timeline.status(exlayer, value) == timeline.status(exlayer, DAY)
        assert timeline.snapshot(value).stakes == timeline.snapshot(DAY).stakes
        assert register.snapshot(value).stakes == register.snapshot(DAY).stakes
        assert register.owners_at(exlayer, value) == register.owners_at(exlayer, DAY)
    with pytest.raises(InputError, match="None is not a day"):
        register.owners_at(exlayer, None)  # type: ignore[arg-type]
    with pytest.raises(InputError, match="'yesterday' is not an ISO date"):
        timeline.snapshot("yesterday")


def test_the_pictures_take_every_kind_of_day_alike(iij):
    from groupkg.viz import to_html, view_at, view_diff

    expected = to_html(view_at(iij, DAY, root="IIJ"))
    assert to_html(view_at(iij, "2013-12-31", root="IIJ")) == expected
    assert to_html(view_at(iij, pd.Timestamp("2013-12-31"), root="IIJ")) == expected
    changed = to_html(view_diff(iij, DAY, dt.date(2014, 1, 1), root="IIJ"))
    assert to_html(view_diff(iij, "2013-12-31", np.datetime64("2014-01-01"), root="IIJ")) == changed
    with pytest.raises(InputError, match="before: 'yesterday' is not an ISO date"):
        view_diff(iij, "yesterday", DAY)
