"""Data into groupkg from Python, checked as ``groupkg import`` checks it: :func:`load`
makes a :class:`~groupkg.graph.group.Group` ready for questions out of files of any
format the registry reads, pandas DataFrames in the CSV holdings layout and a store.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.factrules import percent_problem
from groupkg.graph.formats.inputs import data_target, resolver, staged_file
from groupkg.graph.group import Group
from groupkg.graph.store import (
    OxigraphStore,
    SparqlStore,
    Store,
    UnionStore,
    as_ntriples,
    open_store,
)

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["load"]

_STORE_KINDS = ("oxigraph:", "sparql:")
_STORES = (OxigraphStore, SparqlStore, UnionStore)


def _kind(source: Any) -> str:
    """What a source of :func:`load` is: ``store``, ``frame`` or ``file``."""
    if isinstance(source, _STORES):
        return "store"
    if isinstance(source, str) and (source == "memory" or source.startswith(_STORE_KINDS)):
        return "store"
    if isinstance(source, str | os.PathLike):
        return "file"
    pandas = sys.modules.get("pandas")  # a DataFrame exists only once pandas is imported
    if pandas is not None and isinstance(source, pandas.DataFrame):
        return "frame"
    raise InputError(
        f"load: {type(source).__name__} {source!r:.60}: not a file, a DataFrame or a store"
    )


def _open(stores: list[Any], with_iij: bool) -> Store:
    """The one store given, opened; a memory store when none is."""
    if len(stores) > 1:
        raise InputError(f"load: give one store at most, not {len(stores)}")
    found = stores[0] if stores else "memory"
    return open_store(found, default_data=with_iij) if isinstance(found, str) else found


def _frame_triples(store: Store, name: str, frame: pd.DataFrame) -> bytes:
    from groupkg.graph.formats.csvholdings.table import read_frame

    graph = read_frame(name, frame, resolve=resolver(store))
    try:
        return as_ntriples(graph)
    except ValueError as exc:  # a term N-Triples cannot hold, as a file reader says
        raise InputError(f"{name}: {exc}") from None


def load(
    *sources: str | os.PathLike[str] | pd.DataFrame | Store,
    threshold: float = 50.0,
    with_iij: bool | None = None,
) -> Group:
    """A group ready for questions, from files, DataFrames and a store, all checked.

    Every file and DataFrame is read and checked before anything is added, exactly as
    ``groupkg import`` reads a file: one bad record anywhere and nothing is loaded.

    Parameters
    ----------
    *sources : path, DataFrame, or store
        Each one of:

        - a file (``str`` or :class:`~pathlib.Path`) in any format the registry reads
          (Turtle and the other RDF syntaxes, BODS 0.4 JSON, CSV holdings, GLEIF
          relationship records as CSV or zip: see ``FORMATS``), told by its name and
          content as ``groupkg import`` tells it;
        - a pandas DataFrame in the CSV holdings layout: the columns of the CSV file
          (``owner``, ``owned``, ``percent``, ``percent_min``, ``percent_max``,
          ``shares``, ``start_date``, ``end_date``, ``source``...), one holding a row,
          checked as a CSV row is, a problem naming the row by its index label. A
          missing cell (``None``, ``pd.NA``, NaN, an empty string) is an empty one, as
          pandas writes any missing value: an unknown percent is NaN in a float column;
        - at most one store: ``"memory"``, ``"oxigraph:PATH"`` or ``"sparql:URL"``, or
          one already open (``open_store``). It is opened and read, never written or
          copied: the files and DataFrames are added over it, in memory. A new
          ``oxigraph:PATH`` is created with the ontology (and the IIJ data with
          ``with_iij``); an existing store is read as it is.

        A string that names a store is one; a file called ``memory`` is given as a
        :class:`~pathlib.Path`.

        A name in a CSV row or DataFrame means the entity the store (or an earlier
        source) has by that name; an unknown name is a new entity.
    threshold : float
        The control threshold in percent: control means strictly more (default 50).
    with_iij : bool, optional
        Whether the bundled IIJ data is loaded too. By default it is when no source is
        given (``load()`` is the IIJ example), and is not when any is: a user's own data
        is never mixed with it unless asked.

    Returns
    -------
    Group
        The group of everything loaded; its answer methods (``owners``, ``paths``...)
        return what the command line's JSON prints, and ``export`` writes it out.

    Raises
    ------
    InputError
        For a missing file, an unknown file type, a source that is none of the above,
        two stores, or a threshold that is not a percentage; a ``BadInput`` (an
        ``InputError``) listing every bad record of a file or DataFrame, each with its
        line or row and its field. Nothing is loaded then.

    Examples
    --------
    >>> import pandas as pd
    >>> from datetime import date
    >>> holdings = pd.DataFrame(
    ...     {"owner": ["Parent Co", "Parent Co"], "owned": ["Alpha", "Beta"], "percent": [60, 45.5]}
    ... )
    >>> group = load(holdings)
    >>> [(o["name"], o["percent"]) for o in group.owners("Beta", date(2024, 1, 1))["owners"]]
    [('Parent Co', 45.5)]
    >>> try:
    ...     load(holdings.assign(percent=[60, 150]))
    ... except InputError as error:
    ...     print(error)
    DataFrame:row 1: percent: 150 is not a percentage between 0 and 100
    """
    _check_threshold(threshold)
    kinds = [_kind(source) for source in sources]
    iij = with_iij if with_iij is not None else not sources
    store = _open([s for s, kind in zip(sources, kinds, strict=True) if kind == "store"], iij)
    data = [(s, kind) for s, kind in zip(sources, kinds, strict=True) if kind != "store"]
    if data:
        into, store = data_target(store)
        frames = kinds.count("frame")
        batches, seen = [], 0
        for source, kind in data:
            if kind == "file":
                batches.append(staged_file(store, Path(source)))
            else:  # named as problems name it: the DataFrame, or the Nth of them
                seen += 1
                name = "DataFrame" if frames == 1 else f"DataFrame {seen}"
                batches.append(_frame_triples(store, name, source))
        into.add_rdf(b"\n".join(batches), ox.RdfFormat.N_TRIPLES)
    return Group(store, threshold=threshold)


def _check_threshold(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise InputError(f"threshold: {value!r} is not a number")
    reason = percent_problem(value, f"{value:g}")
    if reason is not None:
        raise InputError(f"threshold: {reason}")
