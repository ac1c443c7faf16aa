"""The named SPARQL queries of ``ontology/queries/``, with their parameters.

A query file starts with comment lines: the first says what the query answers, and
``# param NAME: KIND`` lines declare the ``$NAME`` placeholders it takes, where KIND is
``entity`` (a name or IRI, resolved by the store, written as the IRIs of every record
of the entity: a query takes it as ``VALUES ?var { $NAME }``), ``date`` (ISO ``YYYY-MM-DD``, or any
day :func:`~groupkg.graph.dates.as_day` takes), ``iri`` or ``string``. Queries named
``facts-*``, ``scope-*``, ``names-*``, ``info-*`` feed the library itself; ``check-*``
are validation checks. The rest are for users (:func:`user_queries`), who run them from
Python with :func:`groupkg.graph.query`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

from groupkg.graph.dates import as_day
from groupkg.graph.errors import InputError
from groupkg.graph.facts.storeidentity import read_once, same_entity_records
from groupkg.graph.facts.storenames import resolve_in_store
from groupkg.graph.store import Store, sparql_iri, sparql_string

__all__ = ["NamedQuery", "named_queries", "user_queries", "prepare"]

INTERNAL = ("facts-", "scope-", "names-", "info-")
_PARAM = re.compile(r"^#\s*param\s+(\w+)\s*:\s*(entity|date|iri|string)\s*$")


@dataclass(frozen=True)
class NamedQuery:
    """A query file: its name, what it answers, its parameters and its text."""

    name: str
    description: str
    text: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def internal(self) -> bool:
        return self.name.startswith(INTERNAL)


def _parse(name: str, text: str) -> NamedQuery:
    comments = []
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        comments.append(line)
    params = {}
    description = ""
    for line in comments:
        match = _PARAM.match(line)
        if match:
            params[match.group(1)] = match.group(2)
        elif not description:
            description = line.lstrip("# ").strip()
    return NamedQuery(name, description, text, params)


def named_queries() -> dict[str, NamedQuery]:
    """Every query of ``ontology/queries/``, by name."""
    folder = resources.files("groupkg.ontology").joinpath("queries")
    found = {}
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name.endswith(".rq"):
            name = path.name[:-3]
            found[name] = _parse(name, path.read_text(encoding="utf-8"))
    return found


def user_queries() -> dict[str, NamedQuery]:
    """The queries offered to users: everything but the library's own plumbing."""
    return {n: q for n, q in named_queries().items() if not q.internal}


def prepare(
    store: Store, name: str, values: Mapping[str, Any], option: str | None = "--param"
) -> str:
    """The text of query ``name`` with its parameters filled in from ``values``.

    Parameters
    ----------
    store : Store
        The store that resolves an ``entity`` parameter (a name or an IRI).
    name : str
        The query's name (a file of ``ontology/queries/``).
    values : mapping of str to value
        A value for each parameter: text, or for a ``date`` any day
        :func:`~groupkg.graph.dates.as_day` takes.
    option : str or None
        How a message names a parameter: the command line's option (the default; the
        server's ``/api/queries`` says the same), or None for Python's keyword arguments.

    Raises
    ------
    InputError
        For an unknown query, a missing or unknown parameter, or a bad value; its
        ``field`` is the parameter, when one is wrong.
    """
    queries = named_queries()
    if name not in queries:
        where = "--list shows them" if option else "user_queries() lists them"
        raise InputError(f"no named query {name!r}; {where} ({', '.join(sorted(user_queries()))})")
    query = queries[name]
    unknown = sorted(set(values) - set(query.params))
    if unknown:
        raise InputError(
            f"query {name!r} takes no parameter {', '.join(unknown)}", field=unknown[0]
        )
    missing = sorted(set(query.params) - set(values))
    if missing:
        if option:
            wanted = ", ".join(f"{p}={query.params[p]}" for p in missing)
            raise InputError(f"query {name!r} needs {option} {wanted}", field=missing[0])
        wanted = ", ".join(f"{p} (a {query.params[p]})" for p in missing)
        raise InputError(f"query {name!r} needs the parameter {wanted}", field=missing[0])
    text = query.text
    # Longest names first, so $from is not replaced inside $fromDate.
    for param in sorted(query.params, key=len, reverse=True):
        what = f"{option} {param}" if option else f"parameter {param}"
        kind, value = query.params[param], values[param]
        try:
            if kind == "date":
                term = sparql_string(as_day(value, what).isoformat())
            elif not isinstance(value, str):
                raise InputError(f"{what}: {value!r} is not text ({type(value).__name__})")
            elif kind == "entity":
                term = _records_of(store, value)
            elif kind == "iri":
                term = sparql_iri(value)
            else:
                term = sparql_string(value)
        except InputError as exc:
            if exc.field is None:
                exc.field = param
            raise
        text = text.replace("$" + param, term)
    return text


def _records_of(store: Store, name: str) -> str:
    """The IRIs of every record of the entity ``name`` names, as the terms of a VALUES
    block: a fact any source reported on any of them is a fact of the entity."""
    with read_once(store):
        records = same_entity_records(store, [resolve_in_store(store, name)])
    return " ".join(sparql_iri(iri) for iri in sorted(records))
