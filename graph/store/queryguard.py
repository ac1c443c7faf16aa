"""Checks a SPARQL text passes before anything parses or runs it.

``check_nesting``
    Oxigraph's parser recurses once a bracket: some thousands of nested ``{`` or
    ``(`` overflow its stack and kill the process (SIGSEGV) with no message. A cheap
    linear scan counts the brackets first and refuses past :data:`MAX_NESTING`.
``fetching_clause``
    Whether a query (or update) holds a SERVICE clause (or LOAD) as a SPARQL parser
    reads it: rdflib parses the text and its parse tree is searched. Only a text
    that holds the keyword somewhere, in any case and once ``\\u`` escapes are
    decoded, is parsed; one that holds it and does not parse counts as fetching.
``deny_network``
    In a worker process about to run a query: no Internet socket can be opened any
    more (a seccomp filter), so that no clause the checks missed can reach a URL.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import re
import struct
import unicodedata
from typing import Any

from groupkg.graph.errors import InputError

__all__ = [
    "MAX_CHAIN",
    "MAX_NESTING",
    "UNCHECKED",
    "chain_length",
    "check_nesting",
    "decode_escapes",
    "deny_network",
    "fetching_clause",
    "nesting_depth",
]

#: The deepest nesting of brackets (``{ ( [ <<``) a query or update may have.
MAX_NESTING = 256

#: The most operators, patterns and list items a query or update may chain (see
#: :func:`chain_length`): the parser builds a chain as deep a tree as nesting does.
MAX_CHAIN = 1000

_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def decode_escapes(text: str) -> str:
    """``text`` with its ``\\u`` and ``\\U`` escapes decoded, as SPARQL 1.1 lets a
    parser do before reading a query."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else match.group(0)

    return _CODEPOINT.sub(decode, text)


# -- nesting ------------------------------------------------------------------------

# Strings and comments hold no code; an IRI holds no "{" or "}", but its "(" and "["
# count (a "<" that is really a less-than sign may start what looks like an IRI), so
# the count never falls below the parser's. An unfinished string is no string: the
# brackets after its quote count.
_TOKEN = re.compile(
    r'''"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^'\\]|\\.|'(?!''))*\'\'\''''
    r"""|"(?:[^"\\\r\n]|\\[^\r\n])*"|'(?:[^'\\\r\n]|\\[^\r\n])*\'"""
    r"""|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""
    r"""|\#[^\r\n]*|<<|>>|[{(\[]|[})\]]""",
    re.DOTALL,
)


def nesting_depth(text: str) -> int:
    """The deepest nesting of brackets in SPARQL ``text`` (linear time).

    >>> nesting_depth("SELECT * { ?s ?p ?o FILTER((1 < 2)) }  # {{{{")
    3
    >>> nesting_depth("SELECT * { ?s ?p '{{{{' }")
    1
    """
    deepest = 0
    for variant in dict.fromkeys([text, decode_escapes(text)]):
        depth = 0
        for token in _TOKEN.finditer(variant):
            lexeme = token.group()
            first = lexeme[0]
            if lexeme in ("<<", "{", "(", "["):
                depth += 1
                deepest = max(deepest, depth)
            elif lexeme in (">>", "}", ")", "]"):
                depth = max(depth - 1, 0)
            elif first == "<":  # an IRI, or code between a "<" and a ">"
                deepest = max(deepest, depth + lexeme.count("(") + lexeme.count("["))
    return deepest


# -- chains ---------------------------------------------------------------------------

# Oxigraph's parser builds "1+1+...+1", "{} UNION {} UNION ...", a run of OPTIONAL,
# FILTER or BIND, a path "<p>/<p>/...", the triple patterns of a group (a collection
# "(1 2 3 ...)" is two patterns an item) as a tree one level deeper per link, and
# recurses over it: some thousands of links crash the process as deep brackets do
# (2,800 triple patterns of a DELETE WHERE; 4,800 collection items; 7,000 "+").
# Code outside VALUES and INSERT/DELETE DATA blocks (whose rows and triples the parser
# keeps in flat lists) counts: every operator, separator and pattern keyword, and
# each item of a bracket written without commas. Inside "(" a "<" after an operand is
# a less-than sign, not the start of an IRI that could hide an operator chain.
_CHAIN_TOKEN = re.compile(
    r"""(?P<comment>\#[^\r\n]*)"""
    r"""|(?P<iri><(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>)"""
    r'''|(?P<term>"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''''
    r"""|"(?:[^"\\\r\n]|\\[^\r\n])*"|\'(?:[^\'\\\r\n]|\\[^\r\n])*\'"""
    r"""|[?$]\w+|_:[\w.-]*|@[A-Za-z0-9-]+"""
    r"""|\d+\.\d*[eE][+-]?\d+|\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?"""
    r"""|(?:[^\W\d]|:)(?:[\w.:%-]|\\[_~.!$&'()*+,;=/?#@%-])*)"""
    r"""|(?P<op>\|\||&&|!=|<=|>=|\^\^|<<|>>|[=<>+\-*/|^!.;,])"""
    r"""|(?P<open>[{(\[])|(?P<close>[})\]])""",
    re.DOTALL,
)
_PATTERN_WORDS = frozenset({"UNION", "OPTIONAL", "MINUS", "FILTER", "BIND", "GRAPH",
                            "SERVICE", "EXISTS"})  # fmt: skip
_FLAT_WORDS = frozenset({"VALUES", "DATA"})  # the next {...} holds rows or triples


def chain_length(text: str) -> int:
    """How long a chain of links the parser may have to follow in SPARQL ``text``,
    counted high (linear time): the operators, separators and pattern keywords of its
    code, and the items of a bracket written without commas, outside VALUES and
    INSERT/DELETE DATA blocks; the links of one bracket add to those of the brackets
    around it, not to those of the brackets beside it.

    >>> chain_length("SELECT * { ?s ?p ?o . ?o ?q 1 FILTER(?o > 1 + 2) }")
    7
    >>> chain_length("SELECT * { { ?s ?p 1 . ?s ?p 2 } UNION { ?s ?p 3 . ?s ?p 4 } }")
    6
    >>> chain_length("SELECT * { VALUES ?x { 1 2 -3 } FILTER(?x IN (1, 2, 3)) }")
    6
    """
    longest = 0
    for variant in dict.fromkeys([text, decode_escapes(text)]):
        pos, end = 0, len(variant)
        brackets: list[str] = []
        links = [0]  # the links counted in each open bracket, the outermost first
        total = 0  # their sum
        flat_at: int | None = None  # the depth of the VALUES or DATA block being skipped
        flat_next = False
        previous = "open"  # the kind of the last token: open, close, op or term
        while pos < end:
            token = _CHAIN_TOKEN.match(variant, pos)
            if token is None:
                pos += 1  # a space, or a character that starts nothing (a lone quote)
                continue
            kind, lexeme = token.lastgroup, token.group()
            in_parens = bool(brackets) and brackets[-1] == "("
            if kind == "iri" and in_parens and previous in ("term", "close"):
                kind, lexeme, pos = "op", "<", pos + 1  # a less-than sign
            else:
                pos = token.end()
            if kind == "comment":
                continue
            link = False
            if kind == "open":
                if flat_next and lexeme == "{":
                    flat_at, flat_next = len(brackets) + 1, False
                elif flat_at is None and lexeme == "{":
                    link = True
            elif kind == "close":
                if flat_at is not None and len(brackets) <= flat_at:
                    flat_at = None
            elif flat_at is not None:
                pass
            elif kind == "op":
                link = lexeme != "," or not in_parens  # not between arguments or IN items
            elif lexeme.upper() in _FLAT_WORDS:
                flat_next = True
            elif lexeme.upper() in _PATTERN_WORDS:
                link = True
            elif in_parens and previous != "op":
                link = True  # the first item in brackets, or an item of a collection
            if link:
                links[-1] += 1
                total += 1
                longest = max(longest, total)
            if kind == "open":
                brackets.append(lexeme)
                links.append(0)
            elif kind == "close" and brackets:
                brackets.pop()
                total -= links.pop()
            previous = "term" if kind == "iri" else str(kind)
    return longest


def check_nesting(text: str, what: str = "query", limit: int = MAX_NESTING) -> None:
    """Refuse a text whose parse tree would be too deep for the parser: brackets
    nested deeper than ``limit``, or a chain longer than :data:`MAX_CHAIN`.

    Raises
    ------
    InputError
        Naming the depth (or length) found and the limit.
    """
    depth = nesting_depth(text)
    if depth > limit:
        raise InputError(
            f"the {what} nests brackets {depth} deep; groupkg accepts at most {limit} "
            "levels of { ( [ or << (flatten the pattern)"
        )
    links = chain_length(text)
    if links > MAX_CHAIN:
        raise InputError(
            f"the {what} chains {links} operators, patterns or list items; groupkg "
            f"accepts at most {MAX_CHAIN} (the parser would run out of stack): put long "
            "lists of values in VALUES or IN (...), or split the query"
        )


# -- SERVICE and LOAD as a parser reads them --------------------------------------------

#: What :func:`fetching_clause` answers for a text that names a keyword and does not
#: parse: it cannot be told from a clause, so it counts as one.
UNCHECKED = "UNCHECKED"


def _folded(text: str) -> str:
    # NFKC turns look-alike letters (fullwidth, ligatures) into ASCII; upper() folds
    # the rest of what any case-insensitive matcher might take for a keyword's letter.
    return unicodedata.normalize("NFKC", text).upper()


def mentions(text: str, keyword: str) -> bool:
    """Whether ``keyword`` occurs anywhere in ``text``, in any case, raw or once its
    ``\\u`` escapes are decoded: a text without it can hold no such clause."""
    return any(keyword in _folded(v) for v in (text, decode_escapes(text)))


def _parsed_keywords(tree: Any) -> set[str]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            if node.name == "ServiceGraphPattern":
                found.add("SERVICE")
            elif node.name == "Load":
                found.add("LOAD")
            stack.extend(node.values())
        elif isinstance(node, (ParseResults, list, tuple)):
            stack.extend(node)
        elif isinstance(node, dict):
            stack.extend(node.values())
    return found


def fetching_clause(text: str, update: bool = False) -> str | None:
    """``"SERVICE"`` or ``"LOAD"`` when ``text`` holds such a clause as rdflib's SPARQL
    parser reads it, :data:`UNCHECKED` when it names one and does not parse, else
    ``None``. LOAD counts only in an update.

    >>> fetching_clause("SELECT ?service { ?service ?p 'SERVICE <x>' } # SERVICE")
    >>> fetching_clause("SELECT * { OPTIONAL { SERVICE <http://10.0.0.1/> { } } }")
    'SERVICE'
    """
    keywords = [k for k in (("SERVICE", "LOAD") if update else ("SERVICE",)) if mentions(text, k)]
    if not keywords:
        return None
    from rdflib.plugins.sparql import parser

    found: set[str] = set()
    for variant in dict.fromkeys([text, decode_escapes(text)]):
        try:
            tree = parser.parseUpdate(variant) if update else parser.parseQuery(variant)
        except RecursionError:
            return UNCHECKED
        except Exception:  # noqa: BLE001 - any failure to parse leaves it unchecked
            if variant is text:
                return UNCHECKED
            continue  # decoding broke a string: the raw text was parsed
        found |= _parsed_keywords(tree)
    for keyword in keywords:
        if keyword in found:
            return keyword
    return None


# -- no network in a worker ---------------------------------------------------------

# seccomp: a classic BPF program run on every system call. Ours answers EACCES to
# socket() for any family but AF_UNIX, and to io_uring_setup (which could connect
# without socket()); everything else is allowed.
_ARCH = {  # machine: (AUDIT_ARCH_*, socket, io_uring_setup)
    "x86_64": (0xC000003E, 41, 425),
    "aarch64": (0xC00000B7, 198, 425),
}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_ERRNO = 0x7FFF0000, 0x00050000
_LD_W_ABS, _JEQ_K, _JGE_K, _RET_K = 0x20, 0x15, 0x35, 0x06
_X32 = 0x40000000
_AF_UNIX = 1


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def deny_network() -> bool:
    """Forbid this process (and its threads made from now on) to open any Internet
    socket; return whether the filter is in place (Linux on x86_64 or aarch64)."""
    arch = _ARCH.get(platform.machine())
    if arch is None or not hasattr(os, "fork"):
        return False
    audit, socket_nr, uring_nr = arch
    deny = _RET_ERRNO | errno.EACCES

    def op(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("=HBBI", code, jt, jf, k)

    program = b"".join([
        op(_LD_W_ABS, 0, 0, 4),  # seccomp_data.arch
        op(_JEQ_K, 1, 0, audit),
        op(_RET_K, 0, 0, deny),  # another ABI: refuse every call
        op(_LD_W_ABS, 0, 0, 0),  # seccomp_data.nr
        op(_JGE_K, 0, 1, _X32),  # the x32 numbering of the same calls
        op(_RET_K, 0, 0, deny),
        op(_JEQ_K, 0, 1, uring_nr),
        op(_RET_K, 0, 0, deny),
        op(_JEQ_K, 0, 3, socket_nr),
        op(_LD_W_ABS, 0, 0, 16),  # seccomp_data.args[0] (low half): the family
        op(_JEQ_K, 1, 0, _AF_UNIX),
        op(_RET_K, 0, 0, deny),
        op(_RET_K, 0, 0, _RET_ALLOW),
    ])  # fmt: skip
    buffer = ctypes.create_string_buffer(program)
    fprog = _SockFprog(len(program) // 8, ctypes.addressof(buffer))
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p,
                           ctypes.c_ulong, ctypes.c_ulong]  # fmt: skip
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, None, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0
