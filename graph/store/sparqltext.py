"""Reading just enough of a SPARQL text to know its dataset.

A query's own dataset clause (``FROM``, ``FROM NAMED``) decides which graphs it reads;
an update operation's ``USING`` / ``USING NAMED`` / ``WITH`` likewise. The SPARQL 1.1
Protocol's ``using-graph-uri`` and ``using-named-graph-uri`` parameters act as
``USING`` clauses on every operation that takes them. These helpers find keywords in
the text's code only (not in its strings, IRIs, comments or variables) and track the
depth of braces, which is all that is needed; the store parses the text itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from groupkg.graph.errors import InputError

__all__ = ["UPDATE_KEYWORDS", "first_keyword", "has_dataset_clause", "with_using"]

_TOKEN = re.compile(
    r"""(?P<skip>"{3}(?:[^"\\]|\\.|"(?!""))*"{3}"""  # long strings
    r"""|'{3}(?:[^'\\]|\\.|'(?!''))*'{3}"""
    r"""|"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*'"""  # short strings
    r"""|\#[^\r\n]*"""  # a comment
    r"""|<[^<>"{}|^`\\\x00-\x20]*>"""  # an IRI
    r"""|[?$]\w*)"""  # a variable
    r"""|(?P<word>[A-Za-z_][\w:.-]*\w|[A-Za-z_])"""  # a keyword or prefixed name
    r"""|(?P<brace>[{}])""",
    re.DOTALL,
)


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, start)`` of the words and braces of ``text``'s code."""
    for found in _TOKEN.finditer(text):
        kind = found.lastgroup
        if kind == "word":
            yield "word", found.group().upper(), found.start()
        elif kind == "brace":
            yield "brace", found.group(), found.start()


#: The keywords an update operation starts with.
UPDATE_KEYWORDS = frozenset({"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD",
                             "MOVE", "COPY", "WITH"})  # fmt: skip


def first_keyword(text: str) -> str | None:
    """The first keyword of a SPARQL text after its prologue (``BASE`` and ``PREFIX``
    declarations), upper case: ``SELECT``, ``ASK``, ``CONSTRUCT`` or ``DESCRIBE`` for a
    query, one of :data:`UPDATE_KEYWORDS` for an update; None for a text without one.

    >>> first_keyword("PREFIX gk: <https://w3id.org/groupkg/ontology#> # SELECT\\nask {}")
    'ASK'
    >>> first_keyword("PREFIX : <http://a/> INSERT DATA { :a :b :c }")
    'INSERT'
    """
    declared = False  # the word after PREFIX may be the prefix being declared
    for found in _TOKEN.finditer(text):
        if found.lastgroup != "word":
            continue
        word = found.group().upper()
        if word in ("BASE", "PREFIX"):
            declared = word == "PREFIX"
            continue
        if declared and text.startswith(":", found.end()):
            declared = False
            continue
        return word
    return None


def has_dataset_clause(query: str) -> bool:
    """Whether a query names its own dataset (``FROM`` or ``FROM NAMED``).

    >>> has_dataset_clause("SELECT * FROM <http://a> { ?s ?p ?o }")
    True
    >>> has_dataset_clause('SELECT ?from { ?s ?p "FROM" } # FROM')
    False
    """
    return any(kind == "word" and word == "FROM" for kind, word, _ in _tokens(query))


def with_using(update: str, default_graphs: Sequence[str], named_graphs: Sequence[str]) -> str:
    """``update`` with ``USING`` clauses for the graphs given, in every operation that
    has a ``WHERE`` clause (``DELETE``/``INSERT ... WHERE``), as the SPARQL 1.1 Protocol's
    ``using-graph-uri`` and ``using-named-graph-uri`` ask.

    Raises
    ------
    InputError
        When an operation names its own dataset (``USING`` or ``WITH``) as well, which
        the Protocol forbids, or for an IRI that cannot be written in SPARQL.

    >>> with_using("INSERT { ?s a <x> } WHERE { ?s a <y> }", ["http://g"], [])
    'INSERT { ?s a <x> } USING <http://g> WHERE { ?s a <y> }'
    """
    if not default_graphs and not named_graphs:
        return update
    for iri in [*default_graphs, *named_graphs]:
        if not iri or any(c in iri for c in '<>"{}|^`\\ \n\t\r'):
            raise InputError(f"not an IRI: {iri!r}")
    clauses = "".join(f"USING <{g}> " for g in default_graphs)
    clauses += "".join(f"USING NAMED <{g}> " for g in named_graphs)
    inserts: list[int] = []
    depth = 0
    previous = ""  # the last word at depth 0 in this operation
    modify = False  # the operation is DELETE/INSERT with templates
    for kind, word, start in _tokens(update):
        if kind == "brace":
            depth += 1 if word == "{" else -1
            if depth == 1 and word == "{" and previous in ("DELETE", "INSERT"):
                modify = True
            continue
        if depth:
            continue
        if word in ("USING", "WITH"):
            raise InputError(
                f"the update has its own {word} clause: give either it or "
                "using-graph-uri/using-named-graph-uri, not both"
            )
        if word == "WHERE" and modify:
            inserts.append(start)
        if word in ("DELETE", "INSERT", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE",
                    "COPY") and previous not in ("DELETE", "INSERT"):  # fmt: skip
            modify = False
        previous = word
    for start in reversed(inserts):
        update = update[:start] + clauses + update[start:]
    return update
