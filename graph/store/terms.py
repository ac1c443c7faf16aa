"""RDF terms in and out of SPARQL text: the one literal decoder and its callers.

:func:`literal_value` is where groupkg turns a literal's text into a Python value (a
number, a boolean, a date): every store's rows (:func:`to_python` for pyoxigraph's
terms, :func:`tsv_term` for a TSV result, the remote store for SPARQL JSON) and the
BODS and CSV exports go through it. (rdflib, which the exports and validation parse
with, still normalises a literal's text as it reads it.) :func:`sparql_iri` and
:func:`sparql_string` go the other way, writing a value into a query.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

from groupkg.graph.dates import parse_partial_date
from groupkg.graph.errors import InputError

__all__ = [
    "XSD",
    "XSD_BOOLEAN",
    "XSD_DATE",
    "XSD_DECIMAL",
    "literal_value",
    "to_python",
    "tsv_term",
    "sparql_iri",
    "sparql_string",
]

XSD = "http://www.w3.org/2001/XMLSchema#"
XSD_BOOLEAN = XSD + "boolean"
XSD_DATE = XSD + "date"
XSD_DECIMAL = XSD + "decimal"
_NUMERIC = {
    XSD + "integer": int,
    XSD + "int": int,
    XSD + "long": int,
    XSD + "nonNegativeInteger": int,
    XSD + "positiveInteger": int,
    XSD_DECIMAL: Decimal,
    XSD + "double": float,
    XSD + "float": float,
}
_DATES = {XSD_DATE, XSD + "gYearMonth", XSD + "gYear", XSD + "dateTime"}


def literal_value(text: str, datatype: str | None) -> Any:
    """The value of a literal with lexical form ``text`` and ``datatype`` (an IRI).

    Numbers become ``int``/``Decimal``/``float``, booleans ``bool`` (``true`` or
    ``1``, surrounding space allowed, as XML Schema reads them), dates
    :class:`~groupkg.graph.dates.PartialDate`; text that does not fit its datatype,
    and every other literal, stays text.

    >>> literal_value("5.59", XSD_DECIMAL), literal_value(" true", XSD_BOOLEAN)
    (Decimal('5.59'), True)
    >>> literal_value("2013-13-45", XSD_DATE)
    '2013-13-45'
    """
    if datatype in _NUMERIC:
        try:
            return _NUMERIC[datatype](text)
        except (ValueError, ArithmeticError):
            return text
    if datatype == XSD_BOOLEAN:
        return text.strip() in ("true", "1")
    if datatype in _DATES:
        try:
            return parse_partial_date(text)
        except InputError:
            return text
    return text


def to_python(term: Any) -> Any:
    """Turn an RDF term into a plain value.

    IRIs become ``str``, blank nodes ``"_:id"``, literals their
    :func:`literal_value`.
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Literal):
        return literal_value(term.value, term.datatype.value if term.datatype else None)
    return str(term)


def sparql_iri(iri: str) -> str:
    """``<iri>`` for a SPARQL query; refuses text that could break out of the brackets.

    >>> sparql_iri("https://example.org/a")
    '<https://example.org/a>'
    """
    if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t'):
        raise InputError(f"not an IRI: {iri!r}")
    return f"<{iri}>"


def sparql_string(text: str) -> str:
    """A SPARQL string literal holding ``text`` exactly.

    >>> sparql_string('say "hi"')
    '"say \\\\"hi\\\\""'
    """
    escaped = (
        text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    )
    return f'"{escaped}"'


_ESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))")
_ECHAR = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescape(text: str) -> str:
    """The text of an escaped IRI or string of a SPARQL TSV result."""
    if "\\" not in text:
        return text

    def one(match: re.Match[str]) -> str:
        code = match.group(1) or match.group(2)
        return chr(int(code, 16)) if code else _ECHAR.get(match.group(3), match.group(3))

    return _ESCAPE.sub(one, text)


def tsv_term(text: str) -> Any:
    """A term of a SPARQL TSV result (``<iri>``, ``_:b``, ``"lit"^^<dt>``, ``1.5``...) as
    :func:`to_python` gives it; ``None`` for an empty field (an unbound variable)."""
    if not text:
        return None
    if text[0] == "<":
        return text[1:-1] if "\\" not in text else _unescape(text[1:-1])
    if text.startswith("_:"):
        return text
    if text.startswith('"'):
        if text.endswith(">") and '"^^<' in text:
            lexical, datatype = text[1:].rsplit('"^^<', 1)
            return literal_value(_unescape(lexical), _unescape(datatype[:-1]))
        if not text.endswith('"'):  # a language-tagged string: its text
            return _unescape(text[1 : text.rindex('"@')])
        return _unescape(text[1:-1])
    if text in ("true", "false"):
        return text == "true"
    if "e" in text or "E" in text:
        kind = "double"
    elif "." in text:
        kind = "decimal"
    else:
        kind = "integer"
    return literal_value(text, XSD + kind)
