import datetime as dt

import pytest

from groupkg.graph import InputError, parse_date
from groupkg.graph.dates import parse_partial_date


@pytest.mark.parametrize(
    "text, start, end, precision",
    [
        ("2014-01-01", dt.date(2014, 1, 1), dt.date(2014, 1, 2), "day"),
        ("1996-11", dt.date(1996, 11, 1), dt.date(1996, 12, 1), "month"),
        ("2013-12", dt.date(2013, 12, 1), dt.date(2014, 1, 1), "month"),
        ("1992", dt.date(1992, 1, 1), dt.date(1993, 1, 1), "year"),
        ("2020-03-31T00:00:00Z", dt.date(2020, 3, 31), dt.date(2020, 4, 1), "day"),
    ],
)
def test_partial_dates_denote_their_interval(text, start, end, precision):
    date = parse_partial_date(text)
    assert (date.start, date.end, date.precision) == (start, end, precision)


@pytest.mark.parametrize("text", ["2013-02-30", "2013-13-01", "13-01-01", "yesterday", ""])
def test_impossible_user_dates_are_input_errors(text):
    with pytest.raises(InputError, match="--at"):
        parse_date(text, "--at")


def test_partial_date_rejects_non_dates():
    with pytest.raises(InputError):
        parse_partial_date("2013-02-30")
    with pytest.raises(InputError):
        parse_partial_date("soon")


def test_partial_date_keeps_its_precision_in_text_and_datatype():
    assert str(parse_partial_date("1996-11")) == "1996-11"
    assert parse_partial_date("1996").xsd_datatype.endswith("#gYear")
