"""What the server answers a request it will not or cannot serve: :class:`Refused`, an
error status with a one-line message, and the two 503s of a server that is busy or a
request past its timeout; :func:`error_response` writes an error as its route does.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from starlette.responses import JSONResponse, PlainTextResponse, Response

__all__ = ["Refused", "busy", "error_response", "timed_out"]


class Refused(Exception):
    """A request the server answers with an error status and a one-line message."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}

    def __reduce__(self) -> tuple[Any, ...]:  # sent back from a worker process
        return (Refused, (self.status, self.message, self.headers))


def busy() -> Refused:
    """503: no slot or worker freed up in time."""
    return Refused(
        503, "the server is busy (every worker is taken); try again later",
        {"Retry-After": "5"},
    )  # fmt: skip


def timed_out(timeout: float) -> Refused:
    """503: the request ran past the ``timeout`` seconds it may take."""
    return Refused(
        503,
        f"query exceeded the {timeout:g} s timeout (--timeout); "
        "narrow it, or ask the server's operator for a longer one",
    )


def error_response(
    path: str, message: str, status: int, headers: Mapping[str, str] | None = None
) -> Response:
    """An error on ``path``: ``{"error": message}`` on ``/api/``, plain text elsewhere."""
    if path.startswith("/api/"):
        return JSONResponse({"error": message}, status, headers)
    return PlainTextResponse(message, status, headers)
