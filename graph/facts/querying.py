"""SPARQL from Python: the named queries of ``ontology/queries/`` (:func:`query`) and any
query text (:func:`sparql`), answered as rows of plain Python values.

The answer is what ``groupkg sparql --json`` prints, each term as a Python value: an IRI
as its text, a blank node as ``"_:label"``, a number as ``int`` (``xsd:integer``) or
``float`` (``xsd:decimal``, ``xsd:double``), a boolean as ``bool``, an ``xsd:date`` as a
:class:`datetime.date`, an ``xsd:dateTime`` as a :class:`datetime.datetime`, and a year
or a month (``xsd:gYear``, ``xsd:gYearMonth``) as its ISO text, ``"2013"`` or
``"1996-11"``, so that no day is invented; a literal that does not fit its datatype, and
any other literal, as its text. An unbound variable is ``None``.

A query only reads: an update (``INSERT``, ``DELETE``, ``LOAD``...) is refused before it
reaches the store, and so is a text nested deeper than the parser can take
(:func:`~groupkg.graph.store.queryguard.check_nesting`), as the server refuses them. A
``SERVICE`` clause runs, as it does with ``groupkg sparql``: the query runs on the user's
own machine.
"""

from __future__ import annotations

import datetime as _dt
import json
import keyword
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from groupkg.graph.dates import PartialDate
from groupkg.graph.errors import InputError
from groupkg.graph.facts.queries import prepare
from groupkg.graph.frames import QueryRows
from groupkg.graph.store import Store, literal_value, to_python
from groupkg.graph.store.queryguard import check_nesting
from groupkg.graph.store.sparqltext import UPDATE_KEYWORDS, first_keyword
from groupkg.graph.store.terms import XSD

__all__ = ["query", "sparql"]

_JSON = "application/sparql-results+json"
_DATE_TIME = XSD + "dateTime"
_TRIPLE_PARTS = ("subject", "predicate", "object")


def query(
    store: Store, name: str, params: Mapping[str, Any] | None = None, /, **values: Any
) -> QueryRows:
    """Run the named query ``name`` with its parameters; its rows as plain values.

    Parameters
    ----------
    store : Store
        The store to ask.
    name : str
        A query of ``ontology/queries/`` (``user_queries()`` lists those for users, with
        their parameters): ``owners-at``, ``holdings-at``, ``ancestors-at``,
        ``events-of``, ``sources-of``, ``dissolved-between``, the ``check-*`` queries.
    params : mapping, optional
        Parameters by name, for a name Python cannot take as a keyword.
    **values
        Parameters by name. An ``entity`` is a name or an IRI, resolved as every
        answer resolves a name; a ``date`` is any day :func:`~groupkg.graph.dates.as_day`
        takes (a :class:`datetime.date`, ``"2013-12-31"``, a pandas ``Timestamp``...).
        A parameter named as a Python keyword may be given with a trailing underscore:
        ``from_=`` for ``from``.

    Returns
    -------
    QueryRows
        A list of dicts, one a row, each with every variable of the query (None where
        unbound), values as the module says; ``.to_frame()`` makes a DataFrame.

    Raises
    ------
    InputError
        For an unknown query (the message lists them), a parameter missing, unknown or
        given twice, or a bad value (``field`` names the parameter); ``UnknownName`` or
        ``AmbiguousName`` (both ``InputError``) for an entity no name or several fit.

    Examples
    --------
    >>> from datetime import date
    >>> from groupkg.graph.store import open_store
    >>> store = open_store("memory")  # the ontology and the IIJ data
    >>> rows = query(store, "owners-at", entity="IIJ Exlayer", date=date(2013, 12, 31))
    >>> [(r["ownerName"], r["percent"], r["shares"], r["start"]) for r in rows]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('Internet Initiative Japan Inc.', 99.9, 3996, datetime.date(2013, 11, 7)),
     ('Other shareholders of IIJ Exlayer Inc.', 0.1, 4, datetime.date(2013, 11, 7))]
    >>> query(store, "owners-at", entity="IIJ Exlayer")
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: query 'owners-at' needs the parameter date (a date)
    """
    if not isinstance(name, str):
        raise InputError(f"a query's name is text; got {name!r:.60} ({type(name).__name__})")
    given = dict(params or {})
    for key, value in values.items():
        key = key[:-1] if key.endswith("_") and keyword.iskeyword(key[:-1]) else key
        if key in given:
            raise InputError(f"query {name!r}: parameter {key} given twice", field=key)
        given[key] = value
    answer = sparql(store, prepare(store, name, given, option=None))
    if not isinstance(answer, QueryRows):  # every named query is a SELECT
        raise InputError(f"query {name!r} is not a SELECT query")
    return answer


def sparql(store: Store, text: str) -> QueryRows | bool:
    """Run a SPARQL query; its answer as plain Python values.

    Parameters
    ----------
    store : Store
        The store to ask: its whole dataset, as ``groupkg sparql`` sees it.
    text : str
        A SELECT, ASK, CONSTRUCT or DESCRIBE query.

    Returns
    -------
    QueryRows or bool
        A SELECT's rows: a list of dicts, one a solution, each with every variable of
        the query (None where unbound), values as the module says; ``.to_frame()`` makes
        a DataFrame. A CONSTRUCT's or DESCRIBE's triples as rows of ``subject``,
        ``predicate`` and ``object``. An ASK's answer as a bool.

    Raises
    ------
    InputError
        For a syntax error (the parser's message), an update, a text nested too deep,
        a text that is no string, a store that answers something else than SPARQL
        results, or a store with data added over it in memory (``load(file,
        "oxigraph:PATH")``), where one query cannot join both.

    Examples
    --------
    >>> from groupkg.graph.store import open_store
    >>> store = open_store("memory")  # the ontology and the IIJ data
    >>> sparql(store, '''PREFIX gk: <https://w3id.org/groupkg/ontology#>
    ... PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
    ... SELECT ?name ?born WHERE {
    ...   ?company rdfs:label ?name ; gk:incorporationDate ?born .
    ...   FILTER(STRSTARTS(?name, "IIJ T") || STRSTARTS(?name, "Internet"))
    ... } ORDER BY ?name''')  # doctest: +NORMALIZE_WHITESPACE
    QueryRows(['name', 'born'], [{'name': 'IIJ Technology Inc.', 'born': '1996-11'},
      {'name': 'Internet Initiative Japan Inc.', 'born': datetime.date(1992, 12, 3)}])
    >>> sparql(store, "ASK { ?s a <https://w3id.org/groupkg/ontology#UnnamedHolders> }")
    True
    >>> sparql(store, "DELETE WHERE { ?s ?p ?o }")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    groupkg.graph.errors.InputError: DELETE starts an update: a query only reads (SELECT, ...)
    """
    if not isinstance(text, str):
        raise InputError(
            f"a SPARQL query is text; got {text!r:.60} ({type(text).__name__})", field="query"
        )
    first = first_keyword(text)
    if first in UPDATE_KEYWORDS:
        raise InputError(
            f"{first} starts an update: a query only reads (SELECT, ASK, CONSTRUCT or DESCRIBE)",
            field="query",
        )
    check_nesting(text)  # past some thousands of levels the parser would crash
    body, media = store.query_raw(text, _JSON)  # a store with data beside it refuses
    graph = ox.RdfFormat.from_media_type(media.split(";")[0].strip())
    if graph is not None:
        return _triples(body, graph)
    try:
        doc = json.loads(body)
        if "boolean" in doc:
            return bool(doc["boolean"])
        variables = [str(v) for v in doc["head"]["vars"]]
        rows = [{k: _value(v) for k, v in row.items()} for row in doc["results"]["bindings"]]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InputError(f"{store.description} did not answer with SPARQL JSON results") from None
    return QueryRows(variables, rows)


def _triples(body: bytes, fmt: ox.RdfFormat) -> QueryRows:
    """The triples of a CONSTRUCT or DESCRIBE answer as rows."""
    try:
        found = [(q.subject, q.predicate, q.object) for q in ox.parse(body, format=fmt)]
    except (SyntaxError, ValueError, OSError) as exc:
        raise InputError(f"the store's answer is not valid {fmt.name}: {exc}") from None
    return QueryRows(
        _TRIPLE_PARTS, [dict(zip(_TRIPLE_PARTS, map(_term, t), strict=True)) for t in found]
    )


def _term(term: Any) -> Any:
    """A pyoxigraph term as a plain value."""
    if isinstance(term, ox.Literal):
        return _literal(term.value, term.datatype.value if term.datatype else None)
    return to_python(term)  # an IRI, a blank node, or a triple term (RDF 1.2) as text


def _value(term: dict[str, Any]) -> Any:
    """A term of SPARQL JSON results as a plain value."""
    kind, value = term["type"], term["value"]
    if kind == "uri":
        return str(value)
    if kind == "bnode":
        return "_:" + str(value)
    if kind == "triple":  # RDF 1.2: << subject predicate object >> as text
        parts = [value[part] for part in _TRIPLE_PARTS]
        return "<< " + " ".join(str(_value(part)) for part in parts) + " >>"
    if not isinstance(value, str):
        raise TypeError("a SPARQL JSON literal is a string")
    return _literal(value, term.get("datatype"))


def _literal(text: str, datatype: str | None) -> Any:
    """A literal as the module says: what the library's one decoder reads
    (:func:`~groupkg.graph.store.terms.literal_value`), made plain."""
    if datatype == _DATE_TIME:  # the library reads a date-time's day; a user gets it whole
        try:
            return _dt.datetime.fromisoformat(text.strip())
        except ValueError:
            pass
    found = literal_value(text, datatype)
    if isinstance(found, Decimal):
        return float(found)
    if isinstance(found, PartialDate):
        return found.start if found.precision == "day" else str(found)
    return found
