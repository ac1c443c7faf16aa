"""What a Virtuoso endpoint needs of the remote store beyond standard SPARQL.

Virtuoso (7.2.5) compiles a ``VALUES`` block into one SQL ``IN (...)`` and refuses one
of more than about 4,000 terms ("SP030: Too many arguments for standard built-in
function"), which a question about a group of a few thousand entities asks:
:func:`split_values` cuts such a query into queries of :data:`VALUES_TERMS` terms each,
whose rows together are the answer. Each term costs more the longer the block is (the
records of 4,000 entities took 1.26 s of Virtuoso's time in one query, 0.81 s in parts
of 2,000, 0.52 s in parts of 500), so the parts are short. It writes SPARQL JSON
results about three times slower than SPARQL XML for the same rows: :func:`xml_rows`
reads the XML, blank nodes named as in its JSON (``_:nodeID://b10010``, which no RDF
parser takes as they are).
"""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from groupkg.graph.store.terms import to_python

__all__ = ["VALUES_TERMS", "joined_rows", "split_values", "xml_rows"]

VALUES_TERMS = 500  # terms of one VALUES block in one query, well under Virtuoso's limit

# One variable's VALUES block: its terms are IRIs or string literals (escapes allowed).
_VALUES = re.compile(r"VALUES\s+\?\w+\s*\{")
_TERM = re.compile(r'\s*(<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*")')
_CLOSE = re.compile(r"\s*\}")
_BNODE = re.compile(rb"<bnode>([^<]*)</bnode>")
_DISTINCT = re.compile(r"\bSELECT\s+DISTINCT\b", re.IGNORECASE)
# A query whose rows depend on all of its VALUES at once: not to be split. Looked for
# outside IRIs, strings and comment lines (an IRI .../min-corp is no MIN).
_QUOTED = re.compile(r'<[^<>"{}|^`\\\s]*>|"(?:[^"\\\n]|\\.)*"')
_WHOLE = re.compile(r"\b(LIMIT|OFFSET|ORDER\s+BY|GROUP\s+BY|COUNT|SUM|MIN|MAX|AVG|SAMPLE)\b",
                    re.IGNORECASE)  # fmt: skip


def split_values(query: str, size: int = VALUES_TERMS) -> list[str]:
    """``query`` as queries of at most ``size`` terms in its first ``VALUES`` block; the
    query alone when the block is smaller, has terms of other kinds, or when the rows
    depend on all of the block at once (a limit, an order, an aggregate).

    >>> split_values('SELECT ?e WHERE { VALUES ?e { <urn:a> <urn:b> "c" } ?e ?p ?o }', 2)
    ['SELECT ?e WHERE { VALUES ?e { <urn:a> <urn:b> } ?e ?p ?o }', \
'SELECT ?e WHERE { VALUES ?e { "c" } ?e ?p ?o }']
    >>> len(split_values('SELECT ?e WHERE { VALUES ?e { <urn:a> <urn:b> } } LIMIT 5', 1))
    1
    >>> len(split_values('# the count\\nSELECT ?e WHERE { VALUES ?e { <urn:min> "max" } }', 1))
    2
    """
    found = _VALUES.search(query)
    if found is None or _depends_on_all(query):
        return [query]
    terms, at = [], found.end()
    while (term := _TERM.match(query, at)) is not None:
        terms.append(term.group(1))
        at = term.end()
    end = _CLOSE.match(query, at)
    if end is None or len(terms) <= size:
        return [query]
    head, tail = query[: found.end()], query[end.start() :]
    return [head + " " + " ".join(terms[i : i + size]) + tail for i in range(0, len(terms), size)]


def _depends_on_all(query: str) -> bool:
    lines = _QUOTED.sub(" ", query).splitlines()
    return _WHOLE.search("\n".join(x for x in lines if not x.lstrip().startswith("#"))) is not None


def joined_rows(query: str, answers: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """The rows of the parts of ``query`` (:func:`split_values`) as its own: one after
    the other, without repeats where it is a ``SELECT DISTINCT`` (one row may be found
    from starts in two parts).

    >>> joined_rows("SELECT DISTINCT ?e WHERE {}", [[{"e": "a"}, {"e": "b"}], [{"e": "a"}]])
    [{'e': 'a'}, {'e': 'b'}]
    """
    rows = [row for answer in answers for row in answer]
    if len(answers) < 2 or not _DISTINCT.search(query):
        return rows
    seen: set[tuple[tuple[str, Any], ...]] = set()
    kept = []
    for row in rows:
        key = tuple(sorted(row.items()))
        if key not in seen:
            seen.add(key)
            kept.append(row)
    return kept


def xml_rows(body: bytes) -> list[dict[str, Any]] | None:
    """The rows of SPARQL XML results as plain values (each distinct term converted
    once), or ``None`` where ``body`` is not such results. Returned, not raised: a
    traceback would keep pyoxigraph's parser alive, to be dropped later on another
    thread, which pyoxigraph refuses."""
    # Virtuoso's blank node names, hex-coded for the parser and decoded below.
    body = _BNODE.sub(lambda m: b"<bnode>h" + m.group(1).hex().encode() + b"</bnode>", body)
    try:
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.XML)
        if not isinstance(results, ox.QuerySolutions):
            return None
        names = [variable.value for variable in results.variables]
        values: dict[Any, Any] = {}
        rows = []
        for solution in results:
            row = {}
            for name in names:
                term = solution[name]
                if term is not None:
                    value = values.get(term, values)
                    if value is values:
                        value = values[term] = (
                            "_:" + bytes.fromhex(term.value[1:]).decode()
                            if isinstance(term, ox.BlankNode)
                            else to_python(term)
                        )
                    row[name] = value
            rows.append(row)
    except (SyntaxError, ValueError, OSError):  # UnicodeDecodeError is a ValueError
        return None
    return rows
