"""The ``groupkg`` command line: a thin layer over :class:`groupkg.graph.group.Group`.

Exit codes: 0 ok; 1 nothing found, or data that fails validation; 2 a usage or input
error (an unknown or ambiguous name, an impossible date, a file that does not parse).
A user's mistake is reported in one line on standard error, never as a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import errno
import functools
import importlib
import json
import math
import os
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from groupkg.graph.cli.tables import print_table, terminal_text
from groupkg.graph.dates import parse_date
from groupkg.graph.errors import GroupkgError, InputError, ValidationFailed
from groupkg.graph.formats.inputs import add_files
from groupkg.graph.store import OxigraphStore, Store, UnionStore, open_store

if TYPE_CHECKING:
    from groupkg.graph.group import Group

__all__ = ["main", "cli"]

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


class Settings:
    """Options that every command accepts, before or after its name."""

    def __init__(self) -> None:
        self.store = "memory"
        self.data: list[str] = []
        self.default_data = True
        self.as_json = False
        self.threshold = 50.0
        self.given: set[str] = set()
        self.writable = False  # open an oxigraph: store for writing (serve --allow-update)

    def open(self) -> Store:
        store = open_store(self.store, default_data=self.default_data, writable=self.writable)
        if self.data:
            if isinstance(store, OxigraphStore) and store.description == "memory":
                add_files(store, [Path(p) for p in self.data])
            else:
                overlay = OxigraphStore()
                add_files(overlay, [Path(p) for p in self.data])
                store = UnionStore(store, overlay)
        return store

    def group(self, *names: str | None, model: bool = False) -> Group:
        """The group a question needs: all of a memory store; of a persistent or
        remote store, only the neighbourhood of the entities the question names. With
        ``model``, an ``oxigraph:PATH`` store answers from its cached time model."""
        from groupkg.graph.group import Group  # analytics load scipy: only when asked

        store = self.open()
        named = [n for n in names if n]
        if named and model and store.description.startswith("oxigraph:"):
            return Group.model(store, named, threshold=self.threshold)
        if named and store.description != "memory":
            return Group.around(store, named, threshold=self.threshold)
        return Group(store, threshold=self.threshold)


def _settings() -> Settings:
    ctx = click.get_current_context()
    root = ctx.find_root()
    if not isinstance(root.obj, Settings):
        root.obj = Settings()
    return root.obj


def _apply(store: str | None, data: tuple[str, ...], no_default_data: bool,
           as_json: bool, threshold: float | None) -> Settings:  # fmt: skip
    settings = _settings()
    if store:
        settings.store = store
        settings.given.add("--store")
    if data:
        settings.data.extend(data)
        settings.given.add("--data")
    if no_default_data:
        settings.default_data = False
        settings.given.add("--no-default-data")
    if as_json:
        settings.as_json = True
        settings.given.add("--json")
    if threshold is not None:
        # Checked here, where the option arrives before or after any command's name, so
        # that no command (validate, serve given it first) takes an impossible one.
        if not (math.isfinite(threshold) and 0.0 <= threshold <= 100.0):
            raise UserError(f"--threshold: {threshold:g} is not a percent between 0 and 100")
        settings.threshold = threshold
        settings.given.add("--threshold")
    return settings


# The global options a command has no use for. Given before or after its name, they
# are refused with a message rather than dropped in silence: a user who asks for
# --threshold 40 or --data x.csv must not get an answer that quietly ignored it.
_NOT_FOR = {
    "info": {"--threshold"},
    "entity": {"--threshold"},
    "owners": {"--threshold"},
    "holdings": {"--threshold"},
    "effective": {"--threshold"},
    "events": {"--threshold"},
    "sparql": {"--threshold"},
    "export": {"--json", "--threshold"},
    "render": {"--json"},
    "init": {"--data", "--threshold"},
    "import": {"--data", "--threshold"},
    "serve": {"--json"},
    "synth": {"--store", "--data", "--no-default-data", "--json", "--threshold"},
}


def refuse_unused_options(command: str) -> None:
    """Refuse (exit 2) any global option given that ``command`` has no use for."""
    unused = sorted(_settings().given & _NOT_FOR.get(command, set()))
    if unused:
        raise UserError(f"{command}: {', '.join(unused)} does not apply to this command")


def common(command: Callable[..., Any]) -> Callable[..., Any]:
    """Give a command the global options too, so they may follow its name."""

    @click.option("--store", "store_", default=None, help="memory | oxigraph:PATH | sparql:URL")
    @click.option("--data", "data", multiple=True, help="Add a file (ttl, nt, jsonld, csv...).")
    @click.option("--no-default-data", is_flag=True, help="Leave the bundled IIJ data out.")
    @click.option("--json", "as_json", is_flag=True, help="Answer as JSON.")
    @click.option("--threshold", type=float, default=None, help="Control threshold in percent.")
    @functools.wraps(command)
    def wrapper(store_: str | None, data: tuple[str, ...], no_default_data: bool,
                as_json: bool, threshold: float | None, **kwargs: Any) -> Any:  # fmt: skip
        _apply(store_, data, no_default_data, as_json, threshold)
        refuse_unused_options(click.get_current_context().info_name or command.__name__)
        return command(**kwargs)

    return wrapper


def _day(value: str | None, what: str = "--at") -> _dt.date:
    return parse_date(value, what) if value else _dt.date.today()


def _emit(answer: Any, table: Callable[[Any], None], empty: bool = False) -> None:
    if _settings().as_json:
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        table(answer)
    if empty:
        raise SystemExit(EXIT_NOTHING)


def _say(text: str, err: bool = False, lines: bool = False) -> None:
    """Print text for a person: control characters in names shown, not acted on."""
    click.echo(terminal_text(text, lines=lines), err=err)


class UserError(click.ClickException):
    """A user's mistake: one line on standard error, exit 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(terminal_text(message, lines=True))


def _usage_error(exc: click.UsageError) -> UserError:
    """click's usage error in one line (click prints the usage and a hint besides)."""
    command = exc.ctx.command_path if exc.ctx is not None else "groupkg"
    message = " ".join(exc.format_message().split())
    return UserError(f"{message} (see {command} --help)")


def _os_error(exc: OSError) -> UserError:
    """A failure of the system (a full disk, standard output closed) in one line."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return UserError(f"{exc.filename}: {reason}")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return UserError(f"cannot write the output: {reason}")
    return UserError(reason)


class GroupkgCommands(click.Group):
    """Turns groupkg's own errors into messages and exit codes for every command.

    The server and the generator are imported only when called, so that a plain
    question does not pay for loading a web stack.
    """

    lazy = {"serve": "groupkg.graph.cli.serve", "synth": "groupkg.graph.cli.synth"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module = importlib.import_module(self.lazy[cmd_name])
            command: click.Command = getattr(module, cmd_name)
            return command
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise _usage_error(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            _say(f"groupkg: {exc}", err=True)
            ctx.exit(EXIT_NOTHING)
        except GroupkgError as exc:
            raise UserError(str(exc)) from None
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise _usage_error(exc) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # click ends quietly when the reader goes away
                raise
            raise _os_error(exc) from None


@click.group(cls=GroupkgCommands, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--store", "store_", default=None, help="memory | oxigraph:PATH | sparql:URL")
@click.option("--data", "data", multiple=True, help="Add a file for this run (repeatable).")
@click.option("--no-default-data", is_flag=True, help="Leave the bundled IIJ data out.")
@click.option("--json", "as_json", is_flag=True, help="Answer as JSON.")
@click.option("--threshold", type=float, default=None, help="Control threshold in percent.")
@click.version_option(package_name="groupkg")
def cli(store_: str | None, data: tuple[str, ...], no_default_data: bool, as_json: bool,
        threshold: float | None) -> None:  # fmt: skip
    """groupkg: who owns whom in a corporate group, by how much, from when to when."""
    _apply(store_, data, no_default_data, as_json, threshold)
    ctx = click.get_current_context()
    if ctx.invoked_subcommand:
        refuse_unused_options(ctx.invoked_subcommand)


@cli.command()
@common
def info() -> None:
    """Counts, date range and sources of the loaded graph."""
    from groupkg.graph.group import store_info

    answer = store_info(_settings().open())

    def table(a: dict[str, Any]) -> None:
        for key in ("store", "triples", "entities", "holdings", "relations", "events",
                    "observations"):  # fmt: skip
            _say(f"{key:>13}: {a[key]}")
        if a["date_range"]:
            _say(f"{'date range':>13}: {a['date_range'][0]} .. {a['date_range'][1]}")
        for source in a["sources"]:
            _say(f"{'source':>13}: {source}")

    _emit(answer, table)


@cli.command()
@click.argument("name")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@common
def entity(name: str, at: str | None) -> None:
    """Facts about one entity at a date."""
    answer = _settings().group(name, model=True).entity(name, _day(at))

    def table(a: dict[str, Any]) -> None:
        _say(f"{a['entity']['name']}  ({a['entity']['id']})")
        assumed = " (assumed)" if a.get("status_assumed") else ""
        rows = [
            ("status on " + a["at"], a["status"] + assumed),
            ("kind", a["kind"]),
            ("legal name", a["legal_name"]),
            ("aliases", ", ".join(a["aliases"])),
            ("identifiers", ", ".join(f"{i['scheme']} {i['value']}" for i in a["identifiers"])),
            ("listings", "; ".join(a["listings"])),
            ("incorporated", a["incorporated"]),
            (
                "dissolved",
                (a["dissolved"] or "")
                + (" (assumed)" if a["dissolved_assumed"] and a["dissolved"] else ""),
            ),
            ("issued shares", f"{a['issued_shares']:,}" if a["issued_shares"] else "unknown"),
        ]
        since = a.get("facts_as_of", {})
        rows += [
            (k.replace("_", " "), "; ".join(v) + (f" (as of {since[k]})" if k in since else ""))
            for k, v in sorted(a["facts"].items())
        ]
        for key, value in rows:
            if value:
                _say(f"  {key:>22}: {value}")
        _echo_assumptions(a["assumptions"])

    _emit(answer, table)


def _echo_assumptions(assumptions: list[dict[str, str]]) -> None:
    """One line per assumption an answer rests on, so no assumption reads as a fact."""
    for item in assumptions:
        what = item.get("property") or item.get("fact", "")
        click.echo(f"  (assumed) {what}: {item['reason']}")


def _stake_table(rows: list[dict[str, Any]], who: str) -> None:
    print_table(
        [who, "interest", "percent", "shares", "basis", "sources"],
        [
            [
                r["name"],
                r.get("interest", ""),
                _percent_text(r),
                f"{r['shares']:,}" if r["shares"] is not None else "",
                r["basis"],
                "; ".join(r["sources"]),
            ]
            for r in rows
        ],
    )


def _percent_text(row: dict[str, Any]) -> str:
    if row.get("percent") is not None:
        text = f"{row['percent']}%"
    elif row.get("percent_min") is not None or row.get("percent_max") is not None:
        low = row.get("percent_min") or 0
        high = 100 if row.get("percent_max") is None else row["percent_max"]
        text = f"{low}%" if low == high else f"{low}-{high}%"
    else:
        text = "unknown"
    if row.get("consolidated") and row.get("percent") is None:
        text += " (consolidated)"
    return text


@cli.command()
@click.argument("name")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@common
def owners(name: str, at: str | None) -> None:
    """Direct owners of NAME at a date."""
    answer = _settings().group(name, model=True).owners(name, _day(at))

    def table(a: dict[str, Any]) -> None:
        _say(f"Owners of {a['entity']['name']} on {a['at']} ({a['status']}):")
        _stake_table(a["owners"], "owner")

    _emit(answer, table, empty=not answer["owners"])


@cli.command()
@click.argument("name")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@common
def holdings(name: str, at: str | None) -> None:
    """What NAME directly holds at a date."""
    answer = _settings().group(name, model=True).holdings(name, _day(at))

    def table(a: dict[str, Any]) -> None:
        _say(f"Holdings of {a['entity']['name']} on {a['at']} ({a['status']}):")
        _stake_table(a["holdings"], "holds")

    _emit(answer, table, empty=not answer["holdings"])


@cli.command()
@click.argument("name")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@common
def paths(name: str, at: str | None) -> None:
    """Ultimate parent and consolidation paths down to NAME."""
    answer = _settings().group(name, model=True).paths(name, _day(at))

    def table(a: dict[str, Any]) -> None:
        dissolved_assumed = any(x.get("fact") == "dissolved" for x in a["assumptions"])
        _say(
            f"{a['entity']['name']} on {a['at']} ({a['status']}"
            f"{' (assumed)' if dissolved_assumed else ''}): "
            f"ultimate parent {a['ultimate_parent']['name']}"
        )
        basis, reported = a["ultimate_parent_basis"], a["reported_ultimate_parents"]
        if basis == "completed":
            _say(
                f"  reported ultimate parent {reported[0]['name']} completes the chain the"
                f" direct records leave open at {a['computed_ultimate_parent']['name']}"
            )
        elif basis == "differs":
            names = ", ".join(r["name"] for r in reported)
            _say(
                f"  computed from the direct records: {a['computed_ultimate_parent']['name']};"
                f" reported ultimate parent: {names}"
            )
        for path in a["paths"]:
            _say("  " + " -> ".join(step["name"] for step in path))
        _echo_assumptions(a["assumptions"])

    _emit(answer, table, empty=not answer["paths"])


@cli.command()
@click.argument("owner")
@click.argument("target")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@common
def effective(owner: str, target: str, at: str | None) -> None:
    """Integrated (look-through) ownership of OWNER in TARGET."""
    answer = _settings().group(owner, target, model=True).effective(owner, target, _day(at))

    def table(a: dict[str, Any]) -> None:
        value = (
            f"{a['percent']}%"
            if a["percent"] is not None
            else f"{a['percent_min']}% to {a['percent_max']}%"
        )
        _say(f"{a['owner']['name']} in {a['target']['name']} on {a['at']}: {value}")

    _emit(answer, table, empty=not answer["percent_max"])


@cli.command()
@click.argument("name")
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@click.option("--affiliate-min", type=float, default=20.0, show_default=True,
              help="Lowest effective percent of an equity-method affiliate.")  # fmt: skip
@common
def perimeter(name: str, at: str | None, affiliate_min: float) -> None:
    """Subsidiaries and equity-method affiliates of NAME."""
    group = _settings().group(name, model=True)
    answer = group.perimeter(name, _day(at), affiliate_min=affiliate_min)

    def table(a: dict[str, Any]) -> None:
        _say(f"Perimeter of {a['entity']['name']} on {a['at']}:")
        print_table(
            ["entity", "role", "effective %", "control"],
            [[s["name"], "subsidiary", _range(s), s["control"]] for s in a["subsidiaries"]]
            + [[s["name"], "affiliate", _range(s), ""] for s in a["affiliates"]],
        )

    _emit(answer, table, empty=not (answer["subsidiaries"] or answer["affiliates"]))


@cli.command()
@click.option("--at", "at", default=None, help="Date YYYY-MM-DD (default: today).")
@click.option("-o", "--output", "output", type=click.Path(dir_okay=False), default=None,
              help="Write every entity and its ultimate parent here as CSV.")  # fmt: skip
@click.option("--quiet", is_flag=True, help="No progress bar.")
@common
def parents(at: str | None, output: str | None, quiet: bool) -> None:
    """The ultimate parent of every entity at a date, for the whole register.

    Worked out on the register index (numpy columns of every stake, laid out by the
    time model: interest kinds apart, mergers, dissolutions and supersession applied),
    with the rule of ``paths``: a reported ultimate parent completes a chain the direct
    records leave open (the CSV's ``basis`` column says which answers rest on one).
    Percentages derived from share counts follow splits and issuances, as in every
    other answer. Beside an ``oxigraph:PATH`` store the index is cached in the folder
    ``PATH.model`` and rebuilt after every write.
    """
    import numpy as np

    from groupkg.graph.timemodel.register import Register

    settings, day = _settings(), _day(at)
    store = settings.open()
    with _progress(quiet, "triples read into the register index") as tick:
        register = Register.from_store(store, progress=tick)
    from groupkg.graph.timemodel.register import BASES

    found, basis = register.completed_parents_at(day, threshold=settings.threshold)
    present = np.flatnonzero(found >= 0)
    tops, sizes = np.unique(found[present], return_counts=True)
    if output:
        _write_parents(Path(output), register, present, found, basis)
    largest = np.argsort(-sizes, kind="stable")[:10]
    names = _labels(store, [register.entity(int(tops[k])) for k in largest])
    answer: dict[str, Any] = {
        "at": day.isoformat(),
        "threshold": settings.threshold,
        "entities": int(present.size),
        "ultimate_parents": int(tops.size),
        "bases": {b: int(np.count_nonzero(basis[present] == k)) for k, b in enumerate(BASES)},
        "largest_groups": [
            {"id": (top := register.entity(int(tops[k]))), "name": names.get(top, top),
             "entities": int(sizes[k])}
            for k in largest
        ],
    }  # fmt: skip
    if output:
        answer["written"] = output
    if settings.as_json and not output:
        ids = register.ids
        answer["parents"] = {ids[i]: ids[int(found[i])] for i in present.tolist()}

    def table(a: dict[str, Any]) -> None:
        _say(
            f"On {a['at']}: {a['entities']:,} entities under {a['ultimate_parents']:,} "
            f"ultimate parents (control above {a['threshold']:g}%)."
        )
        print_table(["largest groups", "entities"],
                    [[g["name"], f"{g['entities']:,}"] for g in a["largest_groups"]])  # fmt: skip
        if output:
            _say(f"wrote every entity and its ultimate parent to {output}")

    _emit(answer, table, empty=not answer["entities"])


def _write_parents(path: Path, register: Any, present: Any, found: Any, basis: Any) -> None:
    """``entity,ultimate_parent,basis`` rows, written whole or not at all."""
    import csv
    import io

    from groupkg.graph.formats.csvholdings import spreadsheet_safe
    from groupkg.graph.output import write_output
    from groupkg.graph.timemodel.register import BASES

    ids = register.ids

    def write(stream: Any) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        writer = csv.writer(text)
        writer.writerow(["entity", "ultimate_parent", "basis"])
        writer.writerows(
            (spreadsheet_safe(ids[i]), spreadsheet_safe(ids[int(found[i])]),
             BASES[int(basis[i])])
            for i in present.tolist()
        )  # fmt: skip
        text.flush()
        text.detach()

    write_output(path, write)


def _labels(store: Store, ids: list[str]) -> dict[str, str]:
    """The labels of a few entities, in one query."""
    from groupkg.graph.store import sparql_iri

    if not ids:
        return {}
    values = " ".join(sparql_iri(i) for i in ids)
    rows = store.select(
        "SELECT ?e ?name WHERE { VALUES ?e { " + values + " } "
        "?e <http://www.w3.org/2000/01/rdf-schema#label> ?name }"
    )
    return {str(r["e"]): str(r["name"]) for r in rows}


def _range(item: dict[str, Any]) -> str:
    low, high = item["effective_percent"], item.get("effective_percent_max")
    return f"{low}" if high in (None, low) else f"{low}-{high}"


@cli.command()
@click.option("--before", "before", default=None, help="First date YYYY-MM-DD.")
@click.option("--after", "after", default=None, help="Second date YYYY-MM-DD.")
@click.option("--event", "event", default=None, help="Across one event: its id.")
@click.option("--root", "root", default=None, help="Only the group around this entity.")
@common
def diff(before: str | None, after: str | None, event: str | None, root: str | None) -> None:
    """Holdings, entities and consolidation paths that changed between two dates."""
    # An event the named entity took no part in is read from the store (Group.event).
    group = _settings().group(root, model=True)
    if event:
        if before or after:
            raise InputError("give either --event or --before/--after, not both")
        day1, day2 = group.event_days(event)
    elif before and after:
        day1, day2 = parse_date(before, "--before"), parse_date(after, "--after")
    else:
        raise InputError("diff needs --before and --after, or --event")
    answer = group.diff(day1, day2, root)

    def table(a: dict[str, Any]) -> None:
        _say(f"Changes from {a['before']} to {a['after']}:")
        signs = (("added", "+"), ("removed", "-"), ("first_recorded", "first recorded:"))
        for key, sign in signs:
            for e in a[key]:
                _say(f"  {sign} {e['owner']['name']} -> {e['owned']['name']}"
                           f" {_percent_text(e)}"
                           f"{' (assumed)' if e.get('assumed') else ''}")  # fmt: skip
        for e in a["changed"]:
            was, now = (f"{p}%" if p is not None else "unknown"
                        for p in (e["percent_before"], e["percent"]))  # fmt: skip
            _say(f"  ~ {e['owner']['name']} -> {e['owned']['name']} {was} => {now}"
                 f"{' (assumed)' if e.get('assumed') else ''}")  # fmt: skip
        for key in ("began", "ended"):
            for ref in a[key]:
                _say(f"  {key}: {ref['name']}{' (assumed)' if ref.get('assumed') else ''}")
        for change in a["paths_changed"]:
            _say(f"  paths to {change['entity']['name']}:")
            for label, found in (("before", change["before"]), ("after", change["after"])):
                for path in found or [[]]:
                    _say(f"    {label}: " + (" -> ".join(s["name"] for s in path) or "none"))

    nothing = not any(
        answer[k] for k in ("added", "removed", "changed", "first_recorded", "began", "ended")
    )
    _emit(answer, table, empty=nothing)


@cli.command()
@click.option("--entity", "name", default=None, help="Only events NAME took part in.")
@click.option("--from", "start", default=None, help="From date YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="To date YYYY-MM-DD.")
@common
def events(name: str | None, start: str | None, end: str | None) -> None:
    """Dated events (mergers, splits, issues...) with participants and sources."""
    answer = (
        _settings()
        .group(name, model=True)
        .events(
            name,
            parse_date(start, "--from") if start else None,
            parse_date(end, "--to") if end else None,
        )
    )

    def table(a: list[dict[str, Any]]) -> None:
        print_table(
            ["effective", "announced", "type", "participants", "id"],
            [
                [e["date"] or "unknown", e["announced"] or "", e["type"],
                 ", ".join(p["name"] for p in e["participants"]), e["id"].rsplit("/", 1)[-1]]
                for e in a
            ],
        )  # fmt: skip

    _emit(answer, table, empty=not answer)


@cli.command()
@click.argument("query", required=False)
@click.option("-f", "--file", "path", type=click.Path(dir_okay=False), default=None,
              help="Read the query from a .rq file.")  # fmt: skip
@click.option("--name", "query_name", default=None, help="Run a named query (see --list).")
@click.option("--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter of the named query (repeatable).")  # fmt: skip
@click.option("--list", "list_queries", is_flag=True, help="List the named queries.")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv", "tsv", "xml"]),
              default=None, help="Result format [default: table; json with --json].")  # fmt: skip
@common
def sparql(query: str | None, path: str | None, query_name: str | None,
           params: tuple[str, ...], list_queries: bool, fmt: str) -> None:  # fmt: skip
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE): text, file or named."""
    from groupkg.graph.cli import query as sparqlcli
    from groupkg.graph.facts import queries as library

    if list_queries:
        extra = [name for name, given in (("QUERY", query is not None), ("-f", path is not None),
                 ("--name", query_name is not None), ("--param", bool(params)),
                 ("--format", fmt is not None)) if given]  # fmt: skip
        extra += sorted(_settings().given & {"--store", "--data", "--no-default-data", "--json"})
        if extra:
            raise InputError(f"--list takes no {', '.join(extra)}")
        for named in library.user_queries().values():
            args = " ".join(f"--param {p}={k.upper()}" for p, k in named.params.items())
            _say(f"{named.name}: {named.description}")
            _say(f"    groupkg sparql --name {named.name} {args}".rstrip())
        return
    given = [x for x in (query, path, query_name) if x is not None]
    if len(given) != 1:
        raise InputError("give one of: a query, -f FILE or --name NAME")
    if params and query_name is None:
        raise InputError("--param is for a named query (--name NAME)")
    if _settings().as_json:
        if fmt not in (None, "json"):
            raise InputError(f"--json asks for JSON results, --format for {fmt}: give one")
        fmt = "json"
    fmt = fmt or "table"
    store = _settings().open()
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


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False))
@common
def validate(files: tuple[str, ...]) -> None:
    """SHACL and consistency checks: exit 0 conforms, 1 findings, 2 error.

    Checks exactly the data the other commands read with the same --store, --data
    and --no-default-data. FILES (any format --data takes) are read as --data files
    are, and leave the bundled IIJ data out: `groupkg validate my.csv` checks my.csv.
    """
    from groupkg.graph.validate import validate_store

    settings = _settings()
    if files:
        settings.data.extend(files)
        settings.default_data = False
    report = validate_store(settings.open(), threshold=settings.threshold)
    if settings.as_json:
        click.echo(json.dumps(report.to_json(), indent=2, ensure_ascii=False))
    else:
        _say(report.text(), lines=True)
    if not report.conforms:
        raise ValidationFailed(f"{len(report.findings)} finding(s)")


@cli.command()
@click.option("--at", "at", default=None, help="The group on this date.")
@click.option("--before", "before", default=None, help="Before/after: the first date.")
@click.option("--after", "after", default=None, help="Before/after: the second date.")
@click.option("--event", "event", default=None, help="Before/after one event (its id).")
@click.option("--timeline", is_flag=True, help="One page stepping through every change.")
@click.option("--root", "root", default=None, help="Only the group around this entity.")
@click.option("--path", "path_to", default=None, help="Highlight the consolidation paths to NAME.")
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")  # fmt: skip
@common
def render(at: str | None, before: str | None, after: str | None, event: str | None,
           timeline: bool, root: str | None, path_to: str | None, output: str) -> None:  # fmt: skip
    """Write a self-contained HTML view of the group (no network needed to open it)."""
    from groupkg.viz.command import render as render_view

    # The timeline steps through every change of the group: it reads the neighbourhood
    # across all time.
    group = _settings().group(root, path_to, model=not timeline)
    written = render_view(
        group,
        Path(output),
        at=parse_date(at, "--at") if at else None,
        before=parse_date(before, "--before") if before else None,
        after=parse_date(after, "--after") if after else None,
        event=event,
        timeline=timeline,
        root=root,
        path=path_to,
    )
    _say(f"wrote {written}", err=True)


@cli.command()
@common
def init() -> None:
    """Write the ontology and (unless --no-default-data) the IIJ data into the store.

    A new oxigraph: store does this by itself; use it once for a sparql: store.
    """
    from groupkg.graph.store import initialise

    settings = _settings()
    store = open_store(settings.store, default_data=settings.default_data, writable=True)
    written = initialise(store, default_data=settings.default_data)
    holds = len(store)
    if isinstance(store, OxigraphStore):
        store.close()
    if settings.as_json:
        answer = {"store": store.description, "written": written, "triples": holds}
        click.echo(json.dumps(answer, ensure_ascii=False))
    if written:
        _say(f"wrote {written:,} triples into {store.description}", err=True)
    else:
        _say(f"{store.description} holds the ontology: {holds:,} triples", err=True)


@cli.command(name="import")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    default=None,
    help="csv | bods | gleif-rr | ttl | nt | nq | trig | jsonld | rdf (default: by name)",
)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@common
def import_(path: str, fmt: str | None, quiet: bool) -> None:
    """Import a file into the store named by --store, all or nothing."""
    from groupkg.graph.formats.importer import import_file

    settings = _settings()
    store = open_store(settings.store, default_data=settings.default_data, writable=True)
    try:
        with _progress(quiet, "rows") as tick:
            count = import_file(store, Path(path), fmt, progress=tick)
    finally:
        if isinstance(store, OxigraphStore):
            store.close()
    note = "" if store.description != "memory" else " (a memory store keeps nothing: use --store)"
    if settings.as_json:
        answer = {"file": path, "store": store.description, "triples": count}
        click.echo(json.dumps(answer, ensure_ascii=False))
    _say(f"imported {count:,} triples from {path} into {store.description}{note}", err=True)


@cli.command()
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["ttl", "nt", "jsonld", "trig", "bods", "csv", "graphml"]),
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
@common
def export(fmt: str, output: str | None, at: str | None) -> None:
    """Export the data (not the ontology) as RDF, BODS, CSV holdings or GraphML."""
    from groupkg.graph.formats.exporter import export as export_data

    if at is not None and fmt != "graphml":
        raise InputError(f"--at applies to --format graphml only; {fmt} exports every date")
    data = export_data(_settings().open(), fmt, _day(at))
    if output:
        from groupkg.graph.output import write_output

        write_output(output, data)
    else:
        click.echo(data, nl=False)


@contextlib.contextmanager
def _progress(quiet: bool, unit: str) -> Iterator[Callable[..., None] | None]:
    """Progress on a terminal, nothing when piped or with --quiet.

    The callback takes ``(done)``, a count of ``unit`` read so far, or ``(done,
    total)`` in bytes, drawn as a bar with the time taken.
    """
    if quiet or not sys.stderr.isatty():
        yield None
        return
    began = time.monotonic()
    last = [0.0, -1]

    def tick(done: int, total: int | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - last[0] < 0.5 and not (finished and last[1] != done):
            return
        last[0], last[1] = now, done
        elapsed = _elapsed(now - began)
        if total:
            share = min(done / total, 1.0)
            bar = "#" * round(30 * share)
            line = f"loading [{bar:<30}] {share:4.0%} of {total / 1e6:,.0f} MB  {elapsed}"
        else:
            line = f"{done:,} {unit}  {elapsed}"
        click.echo(f"\r{line}", nl=False, err=True)

    try:
        yield tick
    finally:
        click.echo("", err=True)


def _elapsed(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``groupkg`` console script).

    What is still buffered for standard output is written before the exit, so that a
    full disk or a closed pipe behind it is reported like any error, not by Python.
    """
    try:
        cli.main(args=argv, prog_name="groupkg", standalone_mode=True)
        status: Any = 0
    except SystemExit as done:
        status = done.code
    try:
        sys.stdout.flush()
    except OSError as exc:
        # Nothing more can reach standard output: send what is left nowhere, so that
        # Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        if exc.errno != errno.EPIPE:
            click.echo(f"Error: standard output: {exc.strerror or exc}", err=True)
            status = EXIT_USAGE
        elif not status:
            status = EXIT_NOTHING
    sys.exit(status)
