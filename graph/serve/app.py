"""The Starlette application (:func:`create_app`: its routes and middleware) and the
command's server (:func:`run`), which serves it with uvicorn until stopped.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import click
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from groupkg.graph.group import Group
from groupkg.graph.serve.api import API, ApiRoutes
from groupkg.graph.serve.guard import SameOrigin, loopback_hosts
from groupkg.graph.serve.limits import Limits
from groupkg.graph.serve.refused import error_response
from groupkg.graph.serve.server import Server
from groupkg.graph.serve.source import answer_source
from groupkg.graph.serve.sparql import SparqlEndpoint
from groupkg.graph.store import Store

__all__ = ["create_app", "run"]


def create_app(
    source: Group | Store,
    *,
    threshold: float = 50.0,
    allow_update: bool = False,
    token: str | None = None,
    limits: Limits | None = None,
    allowed_hosts: Sequence[str] | None = None,
    cors: str | None = None,
) -> Starlette:
    """The ASGI application serving ``source``: a group read into memory, or a store
    (an ``oxigraph:PATH`` store is answered from its cached time model, any other is
    read into a group with the control ``threshold``).

    ``allowed_hosts`` restricts the ``Host`` header (against DNS rebinding); ``None``
    accepts any. Requests from browsers on other origins are refused, except from
    the origin ``cors`` (see :class:`~groupkg.graph.serve.guard.SameOrigin`).

    Raises
    ------
    ValueError
        When ``allow_update`` is given without a ``token``.
    """
    server = Server(answer_source(source, threshold), allow_update, token, limits or Limits())
    answers, sparql = ApiRoutes(server), SparqlEndpoint(server)
    routes = [
        Route("/", answers.index),
        Route("/static/{name}", answers.asset),
        Route("/view", answers.view),
        Route("/sparql", sparql.answer, methods=["GET", "POST"]),
        Route("/api/queries", answers.named),
        *(Route(path, answers.api(path)) for path in API),
    ]
    middleware = [Middleware(_CommonHeaders)]
    if allowed_hosts is not None:
        middleware.append(Middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts)))
    middleware.append(Middleware(SameOrigin, cors=cors))
    app = Starlette(
        routes=routes,
        middleware=middleware,
        exception_handlers={HTTPException: _http_error, Exception: _internal_error},
    )
    app.state.server = server
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return error_response(request.url.path, exc.detail, exc.status_code, exc.headers)


async def _internal_error(request: Request, exc: Exception) -> Response:
    message = f"internal error ({type(exc).__name__}); the server log has the details"
    return error_response(request.url.path, message, 500)


class _CommonHeaders:
    """Headers every answer carries, whatever route made it."""

    HEADERS = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        async def sending(message: Any) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.HEADERS]}
            await send(message)

        await self.app(scope, receive, sending if scope["type"] == "http" else send)


def run(
    source_factory: Callable[[], Group | Store],
    *,
    threshold: float = 50.0,
    host: str = "127.0.0.1",
    port: int = 8000,
    allow_update: bool = False,
    token: str | None = None,
    limits: Limits | None = None,
    cors: str | None = None,
) -> None:
    """Open the data, then serve it until interrupted (SIGINT or SIGTERM)."""
    import uvicorn

    click.echo("groupkg serve: loading the data...", err=True)
    source = source_factory()
    # Bound to loopback, only loopback names may address the server: a page whose own
    # name was rebound to 127.0.0.1 cannot read the data. (Starlette reads the name in
    # "Host: [::1]:8000" as "[::1]", brackets and all.)
    hosts = loopback_hosts(host)
    app = create_app(
        source, threshold=threshold, allow_update=allow_update, token=token, limits=limits,
        allowed_hosts=hosts, cors=cors,
    )  # fmt: skip
    mode = "updates need the bearer token" if allow_update else "read-only"
    mode += f", {app.state.server.pool.size} workers"
    where = f"[{host}]" if ":" in host else host
    click.echo(
        f"groupkg serve: {app.state.server.data.store.description}, {mode}; "
        f"viewer http://{where}:{port}/, "
        f"SPARQL http://{where}:{port}/sparql, API http://{where}:{port}/api/info",
        err=True,
    )
    config = uvicorn.Config(app, host=host, port=port, lifespan="off", server_header=False)
    with _stopping_workers(app.state.server):
        uvicorn.Server(config).run()


class _Stopped(BaseException):
    """SIGTERM, raised where it would have ended the process."""


@contextlib.contextmanager
def _stopping_workers(server: Server) -> Iterator[None]:
    """Stop the server's workers when it stops, SIGTERM included, then end as asked.

    uvicorn answers SIGTERM by shutting down, then raising the signal again for its
    previous handler, which ends the process at once: the workers would only be
    killed by their parent's death. Here that handler stops them first, then the
    process ends by SIGTERM as before.
    """
    main = threading.current_thread() is threading.main_thread()

    def stopped(signum: int, frame: Any) -> None:
        raise _Stopped()

    previous = signal.signal(signal.SIGTERM, stopped) if main else None
    ended = False
    try:
        yield
    except _Stopped:
        ended = True
    finally:
        server.close()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
    if ended:
        signal.raise_signal(signal.SIGTERM)
