"""A pandas DataFrame in the CSV holdings layout, read as a CSV holdings file is read.

Each cell becomes the text a CSV file would hold, and the rows go through the CSV
reader itself (:func:`~groupkg.graph.formats.csvholdings.reader.read_records`): the same
columns, the same checks and the same messages, each problem at ``row LABEL`` (the
row's index label) instead of a line number.

A missing cell (``None``, ``pd.NA``, ``pd.NaT``, NaN) is an empty one, as in pandas
itself: ``pd.read_csv`` reads an empty cell as NaN, and a float column cannot hold None.
So an unknown percent is written as pandas writes any missing value, and means what an
empty cell of a CSV file means (a holding of unknown size).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Callable, Iterator
from typing import Any

from rdflib import Graph, URIRef

from groupkg.graph.formats.csvholdings.columns import LOCAL_BASE
from groupkg.graph.formats.csvholdings.reader import read_records

__all__ = ["cell_text", "read_frame"]


def cell_text(value: Any) -> str:
    """The text of a DataFrame cell as the CSV holdings reader takes it; a missing
    value (NaN included) is empty.

    A whole float is written without its ``.0`` (a ``shares`` column with a missing
    cell is float64 in pandas); a day, date-time or Timestamp is its ISO day.

    >>> import datetime
    >>> [cell_text(v) for v in (None, 60.0, 12.5, float("nan"), True, datetime.date(2020, 1, 2))]
    ['', '60', '12.5', '', 'true', '2020-01-02']
    """
    import pandas as pd

    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if hasattr(value, "item") and not isinstance(value, str | bytes):  # a numpy scalar
        if str(getattr(value, "dtype", "")).startswith("datetime64"):
            return str(pd.Timestamp(value).date())
        value = value.item()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return str(int(value))
        return "" if math.isnan(value) else repr(value)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def _records(frame: Any) -> Iterator[tuple[int | str, list[str]]]:
    columns = [str(column) for column in frame.columns]
    yield "columns", columns
    for label, row in zip(frame.index, frame.itertuples(index=False, name=None), strict=True):
        yield f"row {label}", [cell_text(value) for value in row]


def read_frame(
    name: str,
    frame: Any,
    resolve: Callable[[str], URIRef | None] | None = None,
    *,
    base: str = LOCAL_BASE,
) -> Graph:
    """Read a DataFrame in the CSV holdings layout into a graph of stated holdings, all
    or nothing, as :func:`~groupkg.graph.formats.csvholdings.reader.read_csv` reads a file.

    Parameters
    ----------
    name
        What problems name as their file (``DataFrame``), and the source of a row with
        an empty ``source``.
    frame : pandas.DataFrame
        One holding a row; its columns those of the CSV file (``owner``, ``owned``,
        ``percent``...), its index labels naming the rows.
    resolve, base
        As for ``read_csv``.

    Raises
    ------
    BadInput
        Every problem ``read_csv`` reports, as ``NAME:row LABEL: FIELD: REASON``.

    Examples
    --------
    >>> import pandas as pd
    >>> from groupkg.graph.errors import BadInput
    >>> rows = pd.DataFrame({"owner": ["Acme"] * 2, "owned": ["A1", "A2"], "percent": [60, 150]})
    >>> try:
    ...     read_frame("DataFrame", rows)
    ... except BadInput as error:
    ...     print(error)
    DataFrame:row 1: percent: 150 is not a percentage between 0 and 100
    """
    return read_records(name, _records(frame), resolve, base=base)
