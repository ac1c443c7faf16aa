"""The commands about the data itself: ``sparql``, ``validate``, ``init``, ``import``
and ``export``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from groupkg.graph.cli.errors import EXIT_NOTHING
from groupkg.graph.cli.options import current_settings, option_day, shared_options
from groupkg.graph.cli.output import say
from groupkg.graph.cli.progress import progress
from groupkg.graph.errors import InputError, ValidationFailed
from groupkg.graph.formats.registry import readable_names, writable_names
from groupkg.graph.store import OxigraphStore

__all__ = ["sparql", "validate", "init", "import_", "export"]


@shared_options
@click.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "path", type=click.Path(dir_okay=False), default=None,
              help="Read the query from a .rq file.")  # fmt: skip
@click.option("--name", "query_name", default=None, help="Run a named query (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query (repeatable).")  # fmt: skip
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
              default=None, help="Result format [default: table; json with --json].")  # fmt: skip
def sparql(query: str | None, path: str | None, query_name: str | None,
           params: tuple[str, ...], list_queries: bool, fmt: str) -> None:  # fmt: skip
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE): text, file or named."""
    from groupkg.graph.cli import query as sparqlcli
    from groupkg.graph.facts import queries as library

    if list_queries:
        extra = [name for name, given in (("QUERY", query is not None), ("-f", path is not None),
                 ("--name", query_name is not None), ("--param", bool(params)),
                 ("--format", fmt is not None)) if given]  # fmt: skip
        extra += sorted(
            current_settings().given & {"--store", "--data", "--no-default-data", "--json"}
        )
        if extra:
            raise InputError(f"--list takes no {', '.join(extra)}")
        for named in library.user_queries().values():
            args = " ".join(f"--param {p}={k.upper()}" for p, k in named.params.items())
            say(f"{named.name}: {named.description}")
            say(f"    groupkg sparql --name {named.name} {args}".rstrip())
        return
    given = [x for x in (query, path, query_name) if x is not None]
    if len(given) != 1:
        raise InputError("give one of: a query, -f FILE or --name NAME")
    if params and query_name is None:
        raise InputError("--param is for a named query (--name NAME)")
    if current_settings().as_json:
        if fmt not in (None, "json"):
            raise InputError(f"--json asks for JSON results, --format for {fmt}: give one")
        fmt = "json"
    fmt = fmt or "table"
    store = current_settings().open()
    if path is not None:
        try:
            query = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{path}: {exc.strerror}") from None
        except UnicodeDecodeError as exc:
            raise InputError(f"{path}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    elif query_name is not None:
        values = {}
        for item in params:
            key, sep, value = item.partition("=")
            if not sep or not key:
                raise InputError(f"--param {item!r}: expected KEY=VALUE")
            values[key.strip()] = value
        query = library.prepare(store, query_name, values)
    assert query is not None
    from groupkg.graph.store.queryguard import check_nesting

    try:
        check_nesting(query)  # past some thousands of levels the parser would crash
    except InputError as exc:
        raise InputError(f"{path}: {exc}" if path is not None else str(exc)) from None
    if not sparqlcli.run(store, query, fmt):
        raise SystemExit(EXIT_NOTHING)


@shared_options
@click.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
def validate(files: tuple[str, ...]) -> None:
    """SHACL and consistency checks: exit 0 conforms, 1 findings, 2 error.

    Checks exactly the data the other commands read with the same --store, --data
    and --no-default-data. FILES (any format --data takes) are read as --data files
    are, and leave the bundled IIJ data out: `groupkg validate my.csv` checks my.csv.
    """
    from groupkg.graph.validate import validate_store

    settings = current_settings()
    if files:
        settings.data.extend(files)
        settings.default_data = False
    report = validate_store(settings.open(), threshold=settings.threshold)
    if settings.as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        say(report.text(), lines=True)
    if not report.conforms:
        raise ValidationFailed(f"{len(report.findings)} finding(s)")


@shared_options
@click.command()
def init() -> None:
    """Write the ontology and (unless --no-default-data) the IIJ data into the store.

    A new oxigraph: store does this by itself; use it once for a sparql: store.
    """
    from groupkg.graph.store import initialise

    settings = current_settings()
    store = settings.store_named(writable=True)
    written = initialise(store, default_data=settings.default_data)
    holds = len(store)
    if isinstance(store, OxigraphStore):
        store.close()
    if settings.as_json:
        answer = {"store": store.description, "written": written, "triples": holds}
        click.echo(json.dumps(answer, ensure_ascii=False))
    if written:
        say(f"wrote {written:,} triples into {store.description}", err=True)
    else:
        say(f"{store.description} holds the ontology: {holds:,} triples", err=True)


@shared_options
@click.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    help=f"{' | '.join(readable_names())} (default: by name and content)",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
def import_(path: str, fmt: str | None, quiet: bool) -> None:
    """Import a file into the store named by --store, all or nothing."""
    from groupkg.graph.formats.importer import import_read

    settings = current_settings()
    store = settings.store_named(writable=True)
    try:
        with progress(quiet, "rows") as tick:
            read = import_read(store, Path(path), fmt, progress=tick)
    finally:
        if isinstance(store, OxigraphStore):
            store.close()
    note = "" if store.description != "memory" else " (a memory store keeps nothing: use --store)"
    if settings.as_json:
        answer = {"file": path, "store": store.description, "triples": read.triples}
        click.echo(json.dumps({**answer, **read.details}, ensure_ascii=False))
    what = f" ({read.summary})" if read.summary else ""
    say(
        f"imported {read.triples:,} triples from {path}{what} into {store.description}{note}",
        err=True,
    )


@shared_options
@click.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(writable_names()),
)
@click.option(
    "-o",
    "--output",
    "output",
    type=click.Path(dir_okay=False),
    default=None,
    help="Write to this file (default: standard output).",
)
@click.option("--at", "at", default=None, help="For graphml: the date (default: today).")
@click.option(
    "--lossy",
    is_flag=True,
    help="Write what csv or bods can carry and name on stderr what is left out "
    "(without it, such an export is refused with exit 2).",
)
def export(fmt: str, output: str | None, at: str | None, lossy: bool) -> None:
    """Export the data (not the ontology) as RDF, BODS, CSV holdings or GraphML.

    RDF (ttl, nt, jsonld, trig) carries every fact. csv and bods carry part of them: an
    export that would leave facts out names them and exits 2 unless --lossy is given.
    graphml is by definition the ownership graph of one day (--at) and nothing else.
    """
    from groupkg.graph.formats.exporter import export_lossy

    if at is not None and fmt != "graphml":
        raise InputError(f"--at applies to --format graphml only; {fmt} exports every date")
    data, lost = export_lossy(current_settings().open(), fmt, option_day(at), lossy)
    if output:
        from groupkg.graph.output import write_output

        write_output(output, data)
    else:
        click.echo(data, nl=False)
    if lost:  # said once the data is written, so a failed write says only why
        say(f"left out of the {fmt} export: {lost.listing()}", err=True)
