"""What a request may reach, and who may send one.

Who: a server bound to a loopback address answers only to loopback names
(:func:`loopback_hosts`, against DNS rebinding); a browser page of another origin is
refused (:class:`SameOrigin`) unless ``--cors`` names it (:func:`check_origin`); an
update needs the server's bearer token (:func:`check_token`, :func:`authorize_update`).

What: nothing that would make the server fetch a URL, a SERVICE clause or LOAD
(:func:`fetching_keyword`, :func:`refuse_fetching`), and no text nested too deep to
parse (:func:`refuse_nesting`).
"""

from __future__ import annotations

import hmac
import ipaddress
import re
import socket
import urllib.parse
from collections.abc import Iterator
from typing import Any

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response

from groupkg.graph.errors import InputError
from groupkg.graph.serve.refused import Refused, error_response
from groupkg.graph.store import queryguard

__all__ = [
    "SameOrigin",
    "authorize_update",
    "check_origin",
    "check_token",
    "fetching_keyword",
    "loopback_hosts",
    "refuse_fetching",
    "refuse_nesting",
]

# -- what a request may reach --------------------------------------------------------

# Oxigraph runs a SERVICE clause by sending its pattern over HTTP to the IRI named, and
# LOAD fetches the IRI: on a server, either would let any client make it reach any
# address it can (SSRF). Keywords count only in the query's code, not in its strings,
# IRIs, comments or variable names; Oxigraph matches them with no word boundary
# ("1SERVICE<...>", "SERVICESILENT" and "SERVICE:x" all run), so a bare word counts
# when it holds the keyword anywhere before a colon.
_LONG_STRING = {q: re.compile(rf"{q * 3}(?:[^{q}\\]|\\.|{q}(?!{q * 2}))*{q * 3}", re.DOTALL)
                for q in "\"'"}  # fmt: skip
_SHORT_STRING = {q: re.compile(rf"{q}(?:[^{q}\\\r\n]|\\[^\r\n])*{q}") for q in "\"'"}
_END_OF_LINE = re.compile(r"[\r\n]|\Z")
_CODE = re.compile(
    r"""(?P<skip>\#[^\r\n]*"""  # a comment
    r"""|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"""  # an IRI
    r"""|[?$]\w*)"""  # a variable
    # A bare word; a prefixed name's escapes belong to it ("ex:a\#" starts no comment).
    r"""|(?P<word>(?:[\w:%-]|\\[_~.!$&'()*+,;=/?#@%-])+)"""
)
_START = re.compile(r"""["'#<?$\w:%\\-]""")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
_FETCHING = {False: ("SERVICE",), True: ("SERVICE", "LOAD")}


def _code_words(text: str) -> Iterator[str]:
    """The bare words of SPARQL ``text``: what is left once strings, IRIs, comments
    and variables are taken out. Linear in the length of ``text``."""
    no_long: set[str] = set()  # quotes whose long string never ends from here on
    no_short: dict[str, int] = {}  # quote -> where its unfinished line ends
    found = _START.search(text)
    while found is not None:
        pos = found.start()
        char = text[pos]
        if char in "\"'":
            # As in Oxigraph's parser, an unfinished long string is read as an empty
            # string and a short one; a quote that starts no string is skipped and
            # what follows it is still read as code.
            if char not in no_long and text.startswith(char * 3, pos):
                string = _LONG_STRING[char].match(text, pos)
                if string is not None:
                    found = _START.search(text, string.end())
                    continue
                # No later one ends either: whether a quote is escaped does not
                # depend on where the scan began.
                no_long.add(char)
            if pos >= no_short.get(char, -1):
                string = _SHORT_STRING[char].match(text, pos)
                if string is not None:
                    found = _START.search(text, string.end())
                    continue
                line_end = _END_OF_LINE.search(text, pos)
                no_short[char] = line_end.start() if line_end else len(text)
            found = _START.search(text, pos + 1)
            continue
        lexeme = _CODE.match(text, pos)
        if lexeme is None:  # a lone backslash or "<"
            found = _START.search(text, pos + 1)
            continue
        if lexeme.group("word") is not None:
            yield lexeme.group("word")
        found = _START.search(text, lexeme.end())


def _codepoints(text: str) -> str:
    """``text`` with its ``\\u`` escapes decoded everywhere, which SPARQL 1.1 lets a
    parser do before reading a query (Oxigraph does not; a remote store may)."""

    def decode(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        return chr(code) if code < 0x110000 else match.group(0)

    return _CODEPOINT.sub(decode, text)


def fetching_keyword(text: str, update: bool = False) -> str | None:
    """The keyword by which SPARQL ``text`` would make the store fetch a URL, if any.

    SERVICE in a query; SERVICE or LOAD in an update (``update=True``). Strings, IRIs,
    comments and variables are not code. A bare word counts when it holds the keyword
    before any colon (Oxigraph reads ``1SERVICE<...>`` as ``1 SERVICE <...>``), so
    an odd prefix such as ``webservice:`` is refused too, and no clause is missed.

    Examples
    --------
    >>> fetching_keyword("SELECT * { service <http://10.0.0.1/sparql> { ?s ?p ?o } }")
    'SERVICE'
    >>> fetching_keyword('SELECT ?service { ?service ?p "SERVICE <x>" } # SERVICE')
    >>> fetching_keyword("LOAD <http://10.0.0.1/data.ttl>", update=True)
    'LOAD'
    """
    for variant in dict.fromkeys([text, _codepoints(text)]):
        for word in _code_words(variant):
            head = word.partition(":")[0].upper()
            for keyword in _FETCHING[update]:
                if keyword in head:
                    return keyword
    return None


def refuse_fetching(text: str, update: bool = False) -> None:
    """403 for a text that may fetch a URL. Two gates, either refuses: the parse tree
    rdflib reads (:func:`queryguard.fetching_clause`; a text that names the keyword and does
    not parse counts as fetching) and Oxigraph's way of reading keywords
    (:func:`fetching_keyword`). A worker running a query can open no Internet socket
    besides (:func:`queryguard.deny_network`)."""
    keyword = fetching_keyword(text, update)
    unchecked = ""
    if keyword is None:
        try:
            found = queryguard.fetching_clause(text, update)
        except RecursionError:
            found = queryguard.UNCHECKED
        if found == queryguard.UNCHECKED:
            keyword = "LOAD" if update and queryguard.mentions(text, "LOAD") else "SERVICE"
            unchecked = f" ({keyword} is named where it cannot be told from a clause)"
        else:
            keyword = found
    if keyword is not None:
        raise Refused(
            403,
            f"{keyword} is refused: this server fetches nothing from other addresses for "
            f"{'an update' if update else 'a query'} (a SERVICE clause or LOAD could reach "
            "any URL the server can); run a federated query with 'groupkg sparql' on your "
            f"own machine{unchecked}",
        )


def refuse_nesting(text: str, update: bool = False) -> None:
    """400 for a text nested too deep to be parsed safely
    (:func:`queryguard.check_nesting`)."""
    try:
        queryguard.check_nesting(text, "update" if update else "query")
    except InputError as exc:
        raise Refused(400, str(exc)) from None


# -- who may send one ------------------------------------------------------------


class SameOrigin:
    """Browser requests from another site are refused (403): a page the user opens
    must not drive the endpoint, with a fetch or a cross-site form POST. A request
    whose ``Origin`` is not the server's own (the scheme and the ``Host`` it was sent
    to) is refused, and so is one a browser marks ``Sec-Fetch-Site: cross-site`` or
    ``same-site`` other than a link followed; ``cors`` names the one other origin
    allowed, which gets the CORS headers (and answers to preflight requests)."""

    def __init__(self, app: Any, cors: str | None = None):
        self.app, self.cors = app, cors

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        origin = headers.get("origin")
        allowed = origin is not None and self.cors is not None and origin == self.cors
        own = f"{scope.get('scheme', 'http')}://{headers.get('host', '')}".lower()
        site = headers.get("sec-fetch-site", "").lower()
        refused = None
        if origin is not None and not allowed and origin.lower() != own:
            refused = f"cross-origin request refused: Origin {origin} is not this server's"
        elif origin is None and site in ("cross-site", "same-site"):
            if headers.get("sec-fetch-mode", "").lower() != "navigate":
                refused = "cross-site request refused (Sec-Fetch-Site: " + site + ")"
        if refused is not None:
            refused += " (the operator may allow one origin with groupkg serve --cors ORIGIN)"
            await error_response(scope["path"], refused, 403)(scope, receive, send)
            return
        if not allowed:
            await self.app(scope, receive, send)
            return
        cors = [(b"access-control-allow-origin", str(origin).encode("latin-1")),
                (b"vary", b"Origin")]  # fmt: skip
        if scope["method"] == "OPTIONS" and "access-control-request-method" in headers:
            preflight = Response(status_code=204, headers={
                "Access-Control-Allow-Methods": "GET, POST",
                "Access-Control-Allow-Headers": "Accept, Authorization, Content-Type",
                "Access-Control-Max-Age": "600",
            })  # fmt: skip
            preflight.raw_headers.extend(cors)
            await preflight(scope, receive, send)
            return

        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *cors]}
            await send(message)

        await self.app(scope, receive, sending)


def check_origin(origin: str) -> str:
    """``origin`` as ``--cors`` takes it: ``scheme://host[:port]``, nothing more.

    Raises
    ------
    InputError
        For anything else (a path, a wildcard, a missing scheme).
    """
    parts = urllib.parse.urlsplit(origin)
    if (
        parts.scheme not in ("http", "https") or not parts.hostname
        or parts.path or parts.query or parts.fragment or parts.username
        or origin != f"{parts.scheme}://{parts.netloc}"
    ):  # fmt: skip
        raise InputError(
            f"--cors: {origin!r} is not an origin (give scheme://host[:port], "
            "such as https://app.example.org, with no path and no wildcard)"
        )
    return origin


_LOOPBACK = ("127.0.0.1", "localhost", "::1", "[::1]")


def _is_loopback(name: str) -> bool:
    """Whether the address ``name`` binds to is a loopback one: a loopback address
    in any spelling the system takes (``127.1``, ``::ffff:127.0.0.1``), or a name
    that resolves to loopback addresses only (``localhost``, ``ip6-localhost``)."""
    if name.lower() == "localhost":
        return True
    try:
        found = socket.getaddrinfo(name, None, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError):
        return False
    addresses = [ipaddress.ip_address(str(info[4][0]).partition("%")[0]) for info in found]
    return bool(addresses) and all(
        a.is_loopback
        or isinstance(a, ipaddress.IPv6Address) and a.ipv4_mapped is not None
        and a.ipv4_mapped.is_loopback
        for a in addresses
    )  # fmt: skip


def loopback_hosts(host: str) -> list[str] | None:
    """The names a server bound to ``host`` answers to, when ``host`` is a loopback
    address (any of 127.0.0.0/8, ::1, localhost, however spelt): the loopback names
    and ``host`` itself; ``None`` (any name) for another address.

    >>> loopback_hosts("127.0.0.2")[-1]
    '127.0.0.2'
    >>> loopback_hosts("127.1")[-1]
    '127.1'
    >>> loopback_hosts("0.0.0.0") is None
    True
    """
    name = host.strip("[]")
    if not _is_loopback(name):
        return None
    hosts = list(_LOOPBACK)
    own = f"[{name}]" if ":" in name else name
    if own not in hosts:
        hosts.append(own)
    return hosts


def check_token(token: str) -> str:
    """A bearer token ``--token`` may be: printable ASCII without spaces (RFC 6750's
    token68 and more), which every client can send in a header.

    Raises
    ------
    InputError
        Naming the first character that cannot be sent.
    """
    for char in token:
        if not ("!" <= char <= "~"):
            raise InputError(
                f"--token: the character {char!r} cannot be sent in an Authorization "
                "header (use printable ASCII without spaces, e.g. from 'openssl rand "
                "-hex 32')"
            )
    return token


def authorize_update(request: Request, allow_update: bool, token: str | None) -> None:
    """Let an update through only on a server started with ``--allow-update`` (403
    otherwise), and only with ``Authorization: Bearer`` and the server's ``token``
    (401 otherwise; compared in constant time)."""
    if not allow_update:
        raise Refused(403, "updates are disabled: this server is read-only "
                           "(start it with --allow-update and a --token)")  # fmt: skip
    given = request.headers.get("authorization", "")
    scheme, _, credentials = given.partition(" ")
    assert token is not None
    if scheme.lower() != "bearer" or not hmac.compare_digest(
        credentials.strip().encode(), token.encode()
    ):
        raise Refused(
            401,
            "an update needs the header 'Authorization: Bearer <token>' with the "
            "server's token" + (" (the one given is wrong)" if given else ""),
            {"WWW-Authenticate": 'Bearer realm="groupkg"'},
        )
