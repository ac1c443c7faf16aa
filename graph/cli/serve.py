"""``groupkg serve``: the command that starts the server of :mod:`groupkg.graph.serve`.

Its store options are the command line's shared options (given before or after the
command's name); run alone, the command keeps its own settings.
"""

from __future__ import annotations

import click

from groupkg.graph.cli.errors import UserError
from groupkg.graph.cli.options import current_settings, shared_options
from groupkg.graph.errors import GroupkgError, InputError
from groupkg.graph.serve import Limits, check_origin, check_token, run

__all__ = ["serve"]


@shared_options
@click.command(name="serve", context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True)
@click.option("--allow-update", is_flag=True, help="Accept SPARQL updates (with --token).")
@click.option("--token", envvar="GROUPKG_TOKEN", default=None,
              help="Bearer token that updates must carry [env GROUPKG_TOKEN].")  # fmt: skip
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0,
              show_default=True, help="Seconds one request may take.")  # fmt: skip
@click.option("--max-results", type=click.IntRange(min=1), default=100_000,
              show_default=True, help="Rows (or triples) one query may return.")  # fmt: skip
@click.option("--max-body", type=click.IntRange(min=1), default=1 << 20,
              show_default=True, help="Bytes one request body may have.")  # fmt: skip
@click.option("--max-memory", type=click.IntRange(min=16), default=1024, show_default=True,
              help="MiB one worker (a query, an API call) may allocate.")  # fmt: skip
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes kept warm (default: min(4, CPUs)).")  # fmt: skip
@click.option(
    "--cors",
    default=None,
    metavar="ORIGIN",
    help="Let pages of this one origin (scheme://host[:port]) call the server.",
)
def serve(host: str, port: int, allow_update: bool, token: str | None, timeout: float,
          max_results: int, max_body: int, max_memory: int, workers: int | None,
          cors: str | None) -> None:  # fmt: skip
    """SPARQL 1.1 endpoint at /sparql, JSON API at /api, HTML viewer at /.

    Read-only unless --allow-update, and then updates need 'Authorization: Bearer
    TOKEN'. Queries and API calls run in --workers processes kept warm. A request over
    --timeout, or a worker past --max-memory, is answered 503 and its worker killed and
    replaced; a result over --max-results 422, a body over --max-body 413.
    """
    token = token or None
    if allow_update and token is None:
        raise UserError("--allow-update needs a bearer token: give --token or set GROUPKG_TOKEN")
    try:
        if token is not None:
            check_token(token)
        if cors is not None:
            check_origin(cors)
    except InputError as exc:
        raise UserError(str(exc)) from None
    settings = current_settings()
    # Updates write into the store: an oxigraph: store is opened for writing, and
    # holds its lock (one writer at a time) while the server runs.
    settings.writable = allow_update
    limits = Limits(timeout=timeout, max_results=max_results, max_body=max_body,
                    max_memory=max_memory << 20, workers=workers or 0)  # fmt: skip
    try:
        # An oxigraph:PATH store is answered from its cached time model: not read whole.
        run(settings.open, threshold=settings.threshold, host=host, port=port,
            allow_update=allow_update, token=token, limits=limits, cors=cors)  # fmt: skip
    except GroupkgError as exc:
        raise UserError(str(exc)) from None


if __name__ == "__main__":
    serve(prog_name="groupkg serve")
