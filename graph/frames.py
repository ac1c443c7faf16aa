"""Answers as pandas DataFrames: :func:`frame` turns what a :class:`~groupkg.graph.group.Group`
answers (the dicts the command line prints as JSON) into a table with proper dtypes, and
so does :meth:`QueryRows.to_frame` with the rows of a SPARQL query.

pandas is an optional extra (``pip install 'groupkg[frames]'``): nothing else in
groupkg needs it, and this module imports it only when a frame is asked for.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["QueryRows", "frame"]

#: The lists whose entries are an answer's rows, by the answer that has them; an
#: answer with several (a perimeter, a diff) stacks them, a ``section`` column saying
#: which list each row comes from.
ROW_LISTS = (
    ("owners",),
    ("holdings",),
    ("subsidiaries", "affiliates"),
    ("added", "first_recorded", "removed", "changed", "began", "ended"),
    ("paths",),
)
#: Fields that hold a reference (``{"id", "name"}``) or null.
REF_FIELDS = frozenset(
    {"entity", "owner", "owned", "target", "root", "survivor", "ultimate_parent",
     "computed_ultimate_parent", "reported_ultimate_parent"}
)  # fmt: skip
#: Fields that hold a count, or null when it is not recorded.
COUNT_FIELDS = frozenset({"shares", "issued_shares"})
#: Fields that hold a date (ISO text in the JSON).
DATE_FIELDS = frozenset({"at", "date", "announced", "incorporated", "dissolved", "before", "after"})
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INT64 = 2**63


class QueryRows(list[dict[str, Any]]):
    """The rows of a SPARQL SELECT: a list of dicts, one a solution, each with every
    variable of the query (None where it is unbound), in :attr:`variables` order.

    A list like any other (it compares equal to the same list of dicts); it also knows
    its variables, so that a result without rows still has its columns.

    Attributes
    ----------
    variables : tuple of str
        The query's variables, in the order it selects them.

    Examples
    --------
    >>> rows = QueryRows(["name", "percent"], [{"name": "IIJ", "percent": 99.9}])
    >>> rows == [{"name": "IIJ", "percent": 99.9}], rows.variables
    (True, ('name', 'percent'))
    >>> list(QueryRows(["name", "percent"], []).to_frame().columns)
    ['name', 'percent']
    """

    def __init__(self, variables: Iterable[str], rows: Iterable[Mapping[str, Any]] = ()):
        self.variables = tuple(variables)
        super().__init__({name: row.get(name) for name in self.variables} for row in rows)

    def to_frame(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame, one column a variable, typed as :func:`frame`
        types an answer's fields: numbers ``Int64`` or ``float64`` (NaN for unbound),
        days ``datetime64[ns]`` (a column that also holds a year or a month, which a
        SPARQL result gives as ISO text, is ISO text throughout), flags ``bool``, IRIs
        and other text ``string``.

        Raises
        ------
        ImportError
            When pandas is not installed, naming the extra that installs it.
        """
        return frame(self)

    def __repr__(self) -> str:
        return f"QueryRows({list(self.variables)!r}, {list(self)!r})"


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "groupkg.graph.frame needs pandas: pip install 'groupkg[frames]'"
        ) from None
    return pandas


def _is_ref(value: Any) -> bool:
    return isinstance(value, Mapping) and set(value) == {"id", "name"}


def _flat(fields: Mapping[str, Any]) -> dict[str, Any]:
    """A ref field ``x`` as ``x_id`` and ``x_name``; every other field as it is."""
    flat: dict[str, Any] = {}
    for key, value in fields.items():
        if _is_ref(value):
            flat[f"{key}_id"], flat[f"{key}_name"] = value["id"], value["name"]
        elif value is None and key in REF_FIELDS:
            flat[f"{key}_id"] = flat[f"{key}_name"] = None
        else:
            flat[key] = value
    return flat


def _row(entry: Any) -> dict[str, Any]:
    if isinstance(entry, list):  # a path: refs from the ultimate parent down
        return {"path_ids": [r["id"] for r in entry], "path_names": [r["name"] for r in entry]}
    return _flat(entry)


def _rows(answer: Any) -> list[dict[str, Any]]:
    """The rows of one answer, each with the fields that say what was asked."""
    if isinstance(answer, QueryRows):  # flat already: a variable is a column as it is
        return [dict(row) for row in answer]
    if isinstance(answer, list):
        return [_row(entry) for entry in answer]
    if not isinstance(answer, Mapping):
        raise TypeError(f"frame: {type(answer).__name__} is not an answer (a dict or a list)")
    lists = next(
        (keys for keys in ROW_LISTS if any(isinstance(answer.get(k), list) for k in keys)), None
    )
    if lists is None:
        return [_flat(answer)]
    asked = _flat(
        {k: v for k, v in answer.items() if not isinstance(v, list | Mapping) or _is_ref(v)}
    )
    rows = []
    for key in lists:
        for entry in answer.get(key) or []:
            row = _row(entry)
            if len(lists) > 1:
                row = {"section": key, **row}
            rows.append({**{k: v for k, v in asked.items() if k not in row}, **row})
    return rows


def _column(pd: Any, name: str, values: list[Any]) -> Any:
    """One column with the dtype its values have: float64 for a percent, datetime64 for
    days, nullable integers, booleans and strings; ``object`` for lists and maps."""
    known = [v for v in values if v is not None]
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in known)
    if ("percent" in name or name == "threshold") and numbers:
        return pd.Series(values, dtype="float64", name=name)
    if known and all(isinstance(v, _dt.date) for v in known):
        if any(isinstance(v, _dt.datetime) and v.tzinfo is not None for v in known):
            return pd.Series(values, dtype="object", name=name)  # no one timezone to pick
        days = pd.to_datetime(pd.Series(values, dtype="object"))
        return pd.Series(days, name=name).astype("datetime64[ns]")
    if known and all(isinstance(v, _dt.date | str) for v in known):
        if any(isinstance(v, _dt.date) for v in known):  # days and years or months
            text = [v.isoformat() if isinstance(v, _dt.date) else v for v in values]
            return pd.Series(text, dtype="string", name=name)
    if name in DATE_FIELDS and all(isinstance(v, str) for v in known):
        if all(_DAY.match(v) for v in known):
            days = pd.to_datetime(values, format="%Y-%m-%d")
            return pd.Series(days, name=name).astype("datetime64[ns]")
        return pd.Series(values, dtype="string", name=name)  # a year or a month: no day invented
    if known and all(isinstance(v, bool) for v in known):
        return pd.Series(values, dtype="boolean" if len(known) < len(values) else "bool", name=name)
    if (known or name in COUNT_FIELDS) and all(
        isinstance(v, int) and not isinstance(v, bool) for v in known
    ):
        if all(-_INT64 <= v < _INT64 for v in known):
            return pd.Series(values, dtype="Int64", name=name)
        return pd.Series(values, dtype="object", name=name)
    if known and numbers:
        return pd.Series(values, dtype="float64", name=name)
    if all(isinstance(v, str) for v in known):
        return pd.Series(values, dtype="string", name=name)
    return pd.Series(values, dtype="object", name=name)


def frame(*answers: Any) -> pd.DataFrame:
    """The answers of a :class:`~groupkg.graph.group.Group` as one pandas DataFrame.

    The answer methods return plain dicts, equal to the command line's JSON, and this
    one function makes a table of any of them: a function rather than a dict subclass
    with a ``to_frame`` method, so that answers stay exactly what ``json.loads`` gives
    (the output of ``groupkg owners --json`` or of the server's ``/api/owners`` makes
    the same table), and so that several answers, one per day, stack into one table.

    Parameters
    ----------
    *answers : dict, list or QueryRows
        Answers of ``Group`` (``owners``, ``holdings``, ``perimeter``, ``diff``,
        ``paths``, ``events``, ``effective``, ``entity``, ``info``), or the same read
        from JSON; or the rows of a SPARQL query (``Group.query``, ``Group.sparql``),
        one column a variable. Several are stacked, in order: ``frame(*(group.owners(name,
        day) for day in days))`` is one name's owners over several days, told apart by
        ``at``.

    Returns
    -------
    pandas.DataFrame
        One row per entry of the answer's list (its owners, holdings, subsidiaries and
        affiliates, paths or events; a diff's stakes added, first recorded, removed and
        changed and its entities begun and ended, its ``paths_changed`` left to the
        dict; a ``section`` column names the list where an answer has several), or one
        row for an answer without one (``effective``, ``entity``, ``info``). A
        reference ``x`` (an ``{"id", "name"}`` object) becomes two columns ``x_id`` and
        ``x_name``. Each row also has the plain fields of its answer that say what was
        asked (``entity_id``, ``entity_name``, ``at``...), save where the row has a
        field of that name. Dtypes: percents ``float64`` with NaN for unknown; days
        (``at``, ``date``...) ``datetime64[ns]``, or ISO text where a source gives only
        a year or a month; counts ``Int64``; flags ``bool``; ids, names and other text
        ``string``; lists (sources, assumptions) ``object``.

    Raises
    ------
    ImportError
        When pandas is not installed, naming the extra that installs it.

    Examples
    --------
    >>> from datetime import date
    >>> import pandas as pd
    >>> from groupkg.graph.loading import load
    >>> group = load(pd.DataFrame({"owner": ["Parent", "Fund"], "owned": ["Sub", "Sub"],
    ...                            "percent": [60, pd.NA], "percent_max": [pd.NA, 10]}))
    >>> table = frame(group.owners("Sub", date(2024, 1, 1)))
    >>> table[["entity_name", "at", "name", "percent", "percent_max"]]
      entity_name         at    name  percent  percent_max
    0         Sub 2024-01-01  Parent     60.0         60.0
    1         Sub 2024-01-01    Fund      NaN         10.0
    >>> str(table["percent"].dtype), str(table["at"].dtype), str(table["name"].dtype)
    ('float64', 'datetime64[ns]', 'string')
    >>> days = [date(2023, 12, 31), date(2024, 1, 1)]
    >>> len(frame(*(group.owners("Sub", day) for day in days)))
    4
    """
    pd = _pandas()
    rows = [row for answer in answers for row in _rows(answer)]
    variables = [v for answer in answers if isinstance(answer, QueryRows) for v in answer.variables]
    names = list(dict.fromkeys([*variables, *(key for row in rows for key in row)]))
    columns = {name: _column(pd, name, [row.get(name) for row in rows]) for name in names}
    return pd.DataFrame(columns, columns=names)
