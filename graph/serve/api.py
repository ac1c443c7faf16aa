"""``/api/...``, ``/view`` and the viewer at ``/``.

``/api/...`` gives the command line's ``--json`` answers, one route a command, plus
``/api/entities`` (search as you type), ``/api/changes`` (the days on which a group
changes, the viewer's slider), ``/api/queries`` (the named queries of the
library) and ``/api/queries/{name}?param=value`` (one of them with its parameters
filled in); errors are ``{"error": message}``. ``/view`` is the picture of the group at
a date (``at``), or of what changed between two (``before``, ``after``), from
:mod:`groupkg.viz`, one self-contained page; ``/`` the viewer: an entity and
a date, the picture, owners, holdings, consolidation paths and events around the date,
and a SPARQL box. The answers are worked out in a worker process (:func:`api_job`,
:func:`view_job`); :class:`ApiRoutes` holds the routes.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Callable
from importlib import resources
from typing import Any, cast

from starlette.datastructures import QueryParams
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response

from groupkg.graph.dates import known_pair, parse_date
from groupkg.graph.errors import GroupkgError, InputError
from groupkg.graph.facts import queries as library
from groupkg.graph.facts.names import UnknownName
from groupkg.graph.group import Group, store_info
from groupkg.graph.serve.refused import Refused
from groupkg.graph.serve.server import Server
from groupkg.graph.serve.source import AnswerSource, WorkerState

__all__ = ["API", "ApiRoutes", "api_job", "named_queries", "refuse_unknown_parameters", "view_job"]


def named_queries() -> list[dict[str, Any]]:
    """The queries of ``ontology/queries/`` for the SPARQL box: name, description, text.

    ``parameters`` maps each ``$NAME`` placeholder to its kind (entity, date, iri,
    string); ``role`` is ``example`` for a user's query, ``check`` for a validation
    check and ``internal`` for one the library runs for itself.
    """
    return [
        {
            "name": q.name,
            "description": q.description,
            "role": "internal"
            if q.internal
            else "check"
            if q.name.startswith("check-")
            else "example",
            "parameters": q.params,
            "text": q.text,
        }
        for q in library.named_queries().values()
    ]


# -- the answers (run in a worker) ---------------------------------------------------


def _day(params: QueryParams, key: str = "at", required: bool = False) -> _dt.date:
    value = params.get(key)
    if not value:
        if required:
            raise InputError(f"{key}: missing (give a date YYYY-MM-DD)")
        return _dt.date.today()
    return parse_date(value, key)


def _known_at(params: QueryParams) -> _dt.date | None:
    """The day the answer is asked as known on (``known_at``); None: everything known."""
    value = params.get("known_at")
    return parse_date(value, "known_at") if value else None


def _group(data: AnswerSource, request: Request, *names: str | None) -> Group:
    """The group a question about ``names`` needs, as known on the day it asks."""
    return data.group(*names, known_at=_known_at(request.query_params))


def _text(params: QueryParams, key: str) -> str:
    value = params.get(key)
    if not value:
        raise InputError(f"{key}: missing")
    return value


def _diff(data: AnswerSource, request: Request) -> Any:
    params = request.query_params
    root = params.get("root") or None
    if params.get("known_before") or params.get("known_after"):
        return _known_diff(data, params, root)
    if params.get("at"):
        raise InputError("at goes with known_before and known_after")
    group = _group(data, request, root)
    if params.get("event"):
        if params.get("before") or params.get("after"):
            raise InputError("give either event or before/after, not both")
        before, after = group.event_days(params["event"])
    else:
        before, after = _day(params, "before", True), _day(params, "after", True)
    return group.diff(before, after, root)


def _known_diff(data: AnswerSource, params: QueryParams, root: str | None) -> Any:
    """``/api/diff?known_before=K1&known_after=K2[&at=D]``: what changed in what was
    known, as ``groupkg diff --known-before K1 --known-after K2`` answers it."""
    k1, k2 = known_pair(
        params.get("known_before"),
        params.get("known_after"),
        valid_days=bool(params.get("before") or params.get("after") or params.get("event")),
        known_at=bool(params.get("known_at")),
    )
    return data.records().diff_known(k1, k2, _day(params), root)


def _history(data: AnswerSource, request: Request) -> Any:
    name = request.path_params["name"]
    return _group(data, request, name).history(name)


def _perimeter(data: AnswerSource, request: Request) -> Any:
    params = request.query_params
    try:
        affiliate_min = float(params.get("affiliate_min", "20"))
    except ValueError:
        raise InputError("affiliate_min: not a number") from None
    name = request.path_params["name"]
    return _group(data, request, name).perimeter(name, _day(params), affiliate_min)


def _events(data: AnswerSource, request: Request) -> Any:
    params = request.query_params
    name = params.get("entity") or None
    return _group(data, request, name).events(
        name,
        _day(params, "from") if params.get("from") else None,
        _day(params, "to") if params.get("to") else None,
    )


def _changes(data: AnswerSource, request: Request) -> Any:
    """The days on which the group around ``entity`` (or the whole store) changes."""
    name = request.query_params.get("entity") or None
    days = _group(data, request, name).change_days()
    return {"entity": name, "days": [d.isoformat() for d in days]}


def _prepared(data: AnswerSource, request: Request) -> Any:
    values = dict(request.query_params)
    text = library.prepare(data.store, request.path_params["name"], values)
    return {"name": request.path_params["name"], "parameters": values, "text": text}


def _effective(data: AnswerSource, request: Request) -> Any:
    params = request.query_params
    owner, target = _text(params, "owner"), _text(params, "target")
    return _group(data, request, owner, target).effective(owner, target, _day(params))


def _by_name(method: str) -> Callable[[AnswerSource, Request], Any]:
    def answer(data: AnswerSource, request: Request) -> Any:
        name = request.path_params["name"]
        return getattr(_group(data, request, name), method)(name, _day(request.query_params))

    return answer


# The query parameters each API route reads (None: the named query's own, which the
# library checks). Any other is refused with 400 rather than ignored: a client asking
# for ?date=... or ?threshold=40 must not get an answer that quietly dropped it.
_ACCEPTS: dict[str, frozenset[str] | None] = {
    "/api/info": frozenset(),
    "/api/entity/{name:path}": frozenset({"at", "known_at"}),
    "/api/links/{name:path}": frozenset(),
    "/api/owners/{name:path}": frozenset({"at", "known_at"}),
    "/api/holdings/{name:path}": frozenset({"at", "known_at"}),
    "/api/paths/{name:path}": frozenset({"at", "known_at"}),
    "/api/perimeter/{name:path}": frozenset({"at", "affiliate_min", "known_at"}),
    "/api/effective": frozenset({"owner", "target", "at", "known_at"}),
    "/api/history/{name:path}": frozenset({"known_at"}),
    "/api/queries/{name}": None,
    "/api/diff": frozenset(
        {"before", "after", "event", "root", "known_at", "known_before", "known_after", "at"}
    ),
    "/api/events": frozenset({"entity", "from", "to", "known_at"}),
    "/api/changes": frozenset({"entity", "known_at"}),
    "/api/entities": frozenset({"q"}),
    "/view": frozenset({"at", "entity", "before", "after", "known_at"}),
}


def refuse_unknown_parameters(request: Request, route: str) -> None:
    """400 for a query parameter ``route`` does not take, or one given twice."""
    # A parameter given twice would be answered with one of its values, the other
    # dropped in silence: refused like a parameter the route does not take.
    keys = [key for key, _ in request.query_params.multi_items()]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    if twice:
        raise Refused(400, f"{route}: {', '.join(twice)} given more than once")
    accepted = _ACCEPTS[route]
    if accepted is None:
        return
    unknown = sorted(set(request.query_params) - accepted)
    if unknown:
        takes = ", ".join(sorted(accepted)) or "no parameter"
        note = (
            " (the control threshold is the server's: serve --threshold)"
            if "threshold" in unknown else ""
        )  # fmt: skip
        raise Refused(400, f"{route} takes {takes}, not {', '.join(unknown)}{note}")


API: dict[str, Callable[[AnswerSource, Request], Any]] = {
    "/api/info": lambda data, request: store_info(data.store),
    "/api/entity/{name:path}": _by_name("entity"),
    "/api/links/{name:path}": lambda data, request: data.group(request.path_params["name"]).links(
        request.path_params["name"]
    ),
    "/api/owners/{name:path}": _by_name("owners"),
    "/api/holdings/{name:path}": _by_name("holdings"),
    "/api/paths/{name:path}": _by_name("paths"),
    "/api/perimeter/{name:path}": _perimeter,
    "/api/effective": _effective,
    "/api/history/{name:path}": _history,
    "/api/queries/{name}": _prepared,
    "/api/diff": _diff,
    "/api/events": _events,
    "/api/changes": _changes,
    "/api/entities": lambda data, request: {
        "query": request.query_params.get("q", ""),
        "entities": data.search(request.query_params.get("q", "")),
    },
}


# -- control and beneficial ownership under rule sets ---------------------------------


def _control(data: AnswerSource, request: Request) -> Any:
    """``/api/control/NAME?at=D&rules=eu-amld,uk-psc``: the shipped rule sets only, by
    name (a server reads no file a client names)."""
    from groupkg.graph.formats.rulesets import shipped_rule_sets

    params = request.query_params
    names = [n.strip() for n in params.get("rules", "").split(",") if n.strip()] or None
    shipped = shipped_rule_sets()
    unknown = [n for n in names or [] if n not in shipped]
    if unknown:
        raise InputError(
            f"rules: unknown rule set {', '.join(unknown)}; the server answers with "
            + ", ".join(shipped)
        )
    name = request.path_params["name"]
    return _group(data, request, name).control(name, _day(params), names)


_ACCEPTS["/api/control/{name:path}"] = frozenset({"at", "rules", "known_at"})
API["/api/control/{name:path}"] = _control


class _Asked:
    """What an API answer reads of its request, rebuilt in the worker."""

    def __init__(self, path_params: dict[str, Any], items: list[tuple[str, str]]):
        self.path_params = path_params
        self.query_params = QueryParams(items)


def _json(content: Any) -> bytes:
    """``content`` as :class:`JSONResponse` writes it."""
    return json.dumps(content, ensure_ascii=False, allow_nan=False, indent=None,
                      separators=(",", ":")).encode("utf-8")  # fmt: skip


def api_job(worker: WorkerState, route: str, path_params: dict[str, Any],
            items: list[tuple[str, str]]) -> bytes:  # fmt: skip
    """The JSON answer of an API route (``items``: its query parameters)."""
    key = ("api", route, tuple(sorted(path_params.items())), tuple(sorted(items)))
    asked = cast(Request, _Asked(path_params, items))

    def answer() -> bytes:
        found = API[route](worker.data, asked)
        known_at = _known_at(asked.query_params)
        if known_at is not None and isinstance(found, dict):
            found = {**found, "knownAt": known_at.isoformat()}  # as the command line's
        return _json(found)

    return worker.answer(key, answer)


def view_job(worker: WorkerState, items: list[tuple[str, str]]) -> bytes:
    """The page of ``/view``."""

    def draw() -> bytes:
        from groupkg import viz  # the picture is an exporter above the core

        params = QueryParams(items)
        entity = params.get("entity") or None
        group = worker.data.group(entity, known_at=_known_at(params))
        if params.get("before") or params.get("after"):
            if params.get("at"):
                raise InputError("give either at or before/after, not both")
            before, after = _day(params, "before", True), _day(params, "after", True)
            view = viz.view_diff(group, before, after, root=entity)
        else:
            view = viz.view_at(group, _day(params), path_to=entity)
        return viz.to_html(view).encode("utf-8")

    return worker.answer(("view", tuple(sorted(items))), draw)


# -- the routes --------------------------------------------------------------------

_ASSETS = {
    "viewer.js": "text/javascript",
    "sparql.js": "text/javascript",
    "viewer.css": "text/css",
}
_VIEWER_POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'"
)
# The picture carries its own, stricter policy (script hashes) in a meta element.
_VIEW_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data:; font-src data:; connect-src 'none'; base-uri 'none'; "
    "form-action 'none'; frame-ancestors 'self'"
)


class ApiRoutes:
    """The routes of the JSON API and of the viewer (``/``, its assets, ``/view``) on
    one server."""

    def __init__(self, server: Server):
        self.server = server
        folder = resources.files("groupkg.graph.serve").joinpath("assets")
        self.assets = {n: folder.joinpath(n).read_bytes() for n in [*_ASSETS, "index.html"]}
        self.queries = named_queries()

    def api(self, route: str) -> Callable[[Request], Any]:
        """The endpoint of the API ``route`` (a key of :data:`API`)."""

        async def endpoint(request: Request) -> Response:
            try:
                refuse_unknown_parameters(request, route)
                found = await self.server.isolated(
                    self.server.call_slots, api_job, route, dict(request.path_params),
                    list(request.query_params.multi_items()),
                )  # fmt: skip
            except Refused as refused:
                return JSONResponse({"error": refused.message}, refused.status, refused.headers)
            except UnknownName as exc:
                return JSONResponse({"error": str(exc)}, 404)
            except GroupkgError as exc:
                return JSONResponse({"error": str(exc)}, 400)
            return Response(found, media_type="application/json")

        return endpoint

    async def named(self, request: Request) -> Response:
        """``/api/queries``: the named queries (:func:`named_queries`)."""
        return JSONResponse(self.queries)

    async def view(self, request: Request) -> Response:
        """``/view``: the picture, or the error as plain text."""
        try:
            refuse_unknown_parameters(request, "/view")
            page = await self.server.isolated(
                self.server.call_slots, view_job, list(request.query_params.multi_items())
            )
        except Refused as refused:
            return PlainTextResponse(refused.message, refused.status, refused.headers)
        except UnknownName as exc:
            return PlainTextResponse(str(exc), 404)
        except GroupkgError as exc:
            return PlainTextResponse(str(exc), 400)
        return HTMLResponse(page, headers={"Content-Security-Policy": _VIEW_POLICY})

    async def index(self, request: Request) -> Response:
        """``/``: the viewer's page."""
        return HTMLResponse(
            self.assets["index.html"], headers={"Content-Security-Policy": _VIEWER_POLICY}
        )

    async def asset(self, request: Request) -> Response:
        """``/static/{name}``: the viewer's script and style sheet."""
        name = request.path_params["name"]
        if name not in _ASSETS:
            raise HTTPException(404)
        return Response(self.assets[name], media_type=_ASSETS[name],
                        headers={"Cache-Control": "no-cache"})  # fmt: skip
