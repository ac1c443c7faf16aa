"""The questions about a group: ``info``, ``entity``, ``owners``, ``holdings``,
``paths``, ``effective``, ``perimeter``, ``diff`` and ``events``.

Each asks :class:`groupkg.graph.group.Group` one question and prints its answer
(:mod:`groupkg.graph.cli.output`); an empty answer exits 1.
"""

from __future__ import annotations

from typing import Any

import click

from groupkg.graph.cli.options import at_option, current_settings, option_day, shared_options
from groupkg.graph.cli.output import (
    echo_assumptions,
    echo_scheduled,
    emit,
    percent_range,
    percent_text,
    say,
    stake_table,
)
from groupkg.graph.cli.tables import print_table
from groupkg.graph.dates import known_pair, parse_date
from groupkg.graph.errors import InputError

__all__ = [
    "info",
    "entity",
    "owners",
    "holdings",
    "paths",
    "effective",
    "perimeter",
    "diff",
    "events",
    "history",
]


@shared_options
@click.command()
def info() -> None:
    """Counts, date range and sources of the loaded graph."""
    from groupkg.graph.group import store_info

    answer = store_info(current_settings().open())

    def table(a: dict[str, Any]) -> None:
        for key in ("store", "triples", "entities", "holdings", "relations", "events",
                    "observations"):  # fmt: skip
            say(f"{key:>13}: {a[key]}")
        if a["date_range"]:
            say(f"{'date range':>13}: {a['date_range'][0]} .. {a['date_range'][1]}")
        for source in a["sources"]:
            say(f"{'source':>13}: {source}")

    emit(answer, table)


@shared_options
@click.command()
@click.argument("name")
@at_option
def entity(name: str, at: str | None) -> None:
    """Facts about one entity at a date."""
    answer = current_settings().group(name, model=True).entity(name, option_day(at))

    def table(a: dict[str, Any]) -> None:
        say(f"{a['entity']['name']}  ({a['entity']['id']})")
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
                + (" (assumed)" if a["dissolved_assumed"] and a["dissolved"] else "")
                + (" (scheduled)" if a["dissolved_scheduled"] else ""),
            ),
            ("issued shares", _issued_text(a)),
        ]
        since = a.get("facts_as_of", {})
        rows += [
            (k.replace("_", " "), "; ".join(v) + (f" (as of {since[k]})" if k in since else ""))
            for k, v in sorted(a["facts"].items())
        ]
        rows += [
            ("record", f"{r['id']} ({'; '.join(r['sources']) or 'no source'})")
            for r in a.get("records", [])
        ]
        for key, value in rows:
            if value:
                say(f"  {key:>22}: {value}")
        echo_assumptions(a["assumptions"])

    emit(answer, table)


def _issued_text(a: dict[str, Any]) -> str:
    """The issued shares of an ``entity`` answer: a count, or a range, and whether a
    scheduled issue is counted."""
    low, high = a["issued_shares_min"], a["issued_shares_max"]
    if not high:
        return "unknown"
    text = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    return text + (" (scheduled)" if a["issued_shares_scheduled"] else "")


@shared_options
@click.command()
@click.argument("name")
@at_option
def owners(name: str, at: str | None) -> None:
    """Direct owners of NAME at a date."""
    _stakes(name, at, "owners", "owner")


@shared_options
@click.command()
@click.argument("name")
@at_option
def holdings(name: str, at: str | None) -> None:
    """What NAME directly holds at a date."""
    _stakes(name, at, "holdings", "holds")


def _stakes(name: str, at: str | None, side: str, who: str) -> None:
    """The stakes on one side of NAME (its ``owners`` or its ``holdings``), a row each."""
    group = current_settings().group(name, model=True)
    answer = getattr(group, side)(name, option_day(at))

    def table(a: dict[str, Any]) -> None:
        say(f"{side.capitalize()} of {a['entity']['name']} on {a['at']} ({a['status']}):")
        stake_table(a[side], who)
        echo_scheduled(a["scheduled_events"])

    emit(answer, table, empty=not answer[side])


@shared_options
@click.command()
@click.argument("name")
@at_option
def paths(name: str, at: str | None) -> None:
    """Ultimate parent and consolidation paths down to NAME."""
    answer = current_settings().group(name, model=True).paths(name, option_day(at))

    def table(a: dict[str, Any]) -> None:
        dissolved_assumed = any(x.get("fact") == "dissolved" for x in a["assumptions"])
        say(
            f"{a['entity']['name']} on {a['at']} ({a['status']}"
            f"{' (assumed)' if dissolved_assumed else ''}): "
            f"ultimate parent {a['ultimate_parent']['name']}"
        )
        basis, reported = a["ultimate_parent_basis"], a["reported_ultimate_parents"]
        if basis == "completed":
            say(
                f"  reported ultimate parent {reported[0]['name']} completes the chain the"
                f" direct records leave open at {a['computed_ultimate_parent']['name']}"
            )
        elif basis == "differs":
            names = ", ".join(r["name"] for r in reported)
            say(
                f"  computed from the direct records: {a['computed_ultimate_parent']['name']};"
                f" reported ultimate parent: {names}"
            )
        for path in a["paths"]:
            say("  " + " -> ".join(step["name"] for step in path))
        echo_assumptions(a["assumptions"])
        echo_scheduled(a["scheduled_events"])

    emit(answer, table, empty=not answer["paths"])


@shared_options
@click.command()
@click.argument("owner")
@click.argument("target")
@at_option
def effective(owner: str, target: str, at: str | None) -> None:
    """Integrated (look-through) ownership of OWNER in TARGET."""
    answer = (
        current_settings().group(owner, target, model=True).effective(owner, target, option_day(at))
    )

    def table(a: dict[str, Any]) -> None:
        if a["reason"] is not None:
            value = f"no stake ({a['reason']})"
        elif a["percent"] is not None:
            value = f"{a['percent']}%"
        else:
            value = f"{a['percent_min']}% to {a['percent_max']}%"
        say(f"{a['owner']['name']} in {a['target']['name']} on {a['at']}: {value}")

    emit(answer, table, empty=not answer["percent_max"])


@shared_options
@click.command()
@click.argument("name")
@at_option
@click.option("--affiliate-min", type=float, default=20.0, show_default=True,
              help="Lowest effective percent of an equity-method affiliate.")  # fmt: skip
def perimeter(name: str, at: str | None, affiliate_min: float) -> None:
    """Subsidiaries and equity-method affiliates of NAME."""
    group = current_settings().group(name, model=True)
    answer = group.perimeter(name, option_day(at), affiliate_min=affiliate_min)

    def table(a: dict[str, Any]) -> None:
        say(f"Perimeter of {a['entity']['name']} on {a['at']}:")
        print_table(
            ["entity", "role", "effective %", "control"],
            [[s["name"], "subsidiary", percent_range(s), s["control"]] for s in a["subsidiaries"]]
            + [[s["name"], "affiliate", percent_range(s), ""] for s in a["affiliates"]],
        )

    emit(answer, table, empty=not (answer["subsidiaries"] or answer["affiliates"]))


@shared_options
@click.command()
@click.option("--before", "before", default=None, help="First date YYYY-MM-DD.")
@click.option("--after", "after", default=None, help="Second date YYYY-MM-DD.")
@click.option("--event", "event", default=None, help="Across one event: its id.")
@click.option("--root", "root", default=None, help="Only the group around this entity.")
@click.option("--known-before", default=None, help="As known on this date YYYY-MM-DD...")
@click.option("--known-after", default=None, help="...against as known on this one.")
@click.option("--at", "at", default=None, help="With --known-*: the day compared (default today).")
@click.argument("name", required=False)
def diff(before: str | None, after: str | None, event: str | None, root: str | None,
         known_before: str | None, known_after: str | None, at: str | None,
         name: str | None) -> None:  # fmt: skip
    """Holdings, entities and consolidation paths that changed between two dates, or
    between what was known on two dates (--known-before, --known-after; NAME: only the
    group around it)."""
    if known_before or known_after:
        _known_diff(known_before, known_after, at, name or root, bool(before or after or event))
        return
    if name or at:
        raise InputError("NAME and --at go with --known-before and --known-after")
    # An event the named entity took no part in is read from the store (Group.event).
    group = current_settings().group(root, model=True)
    if event:
        if before or after:
            raise InputError("give either --event or --before/--after, not both")
        day1, day2 = group.event_days(event)
    elif before and after:
        day1, day2 = parse_date(before, "--before"), parse_date(after, "--after")
    else:
        raise InputError("diff needs --before and --after, or --event")
    answer = group.diff(day1, day2, root)
    title = f"Changes from {answer['before']} to {answer['after']}:"
    _emit_changes(answer, title)


def _known_diff(known_before: str | None, known_after: str | None, at: str | None,
                root: str | None, valid_days: bool) -> None:  # fmt: skip
    """``diff --known-before K1 --known-after K2``: what changed in what was known."""
    settings = current_settings()
    k1, k2 = known_pair(known_before, known_after, valid_days=valid_days,
                        known_at=settings.known_at is not None,
                        spell=lambda name: "--" + name.replace("_", "-"))  # fmt: skip
    answer = settings.group().diff_known(k1, k2, option_day(at), root)
    title = (f"Changes on {answer['at']} from as known on {answer['known_before']}"
             f" to as known on {answer['known_after']}:")  # fmt: skip
    _emit_changes(answer, title)


def _emit_changes(answer: dict[str, Any], title: str) -> None:
    """Print a ``diff`` answer (between two days, or two days' knowledge)."""

    def table(a: dict[str, Any]) -> None:
        say(title)
        signs = (("added", "+"), ("removed", "-"), ("first_recorded", "first recorded:"))
        for key, sign in signs:
            for e in a[key]:
                say(f"  {sign} {e['owner']['name']} -> {e['owned']['name']}"
                           f" {percent_text(e)}"
                           f"{' (assumed)' if e.get('assumed') else ''}")  # fmt: skip
        for e in a["changed"]:
            was, now = (f"{p}%" if p is not None else "unknown"
                        for p in (e["percent_before"], e["percent"]))  # fmt: skip
            say(f"  ~ {e['owner']['name']} -> {e['owned']['name']} {was} => {now}"
                 f"{' (assumed)' if e.get('assumed') else ''}")  # fmt: skip
        for key in ("began", "ended"):
            for ref in a[key]:
                say(f"  {key}: {ref['name']}{' (assumed)' if ref.get('assumed') else ''}")
        for change in a["paths_changed"]:
            say(f"  paths to {change['entity']['name']}:")
            for label, found in (("before", change["before"]), ("after", change["after"])):
                for path in found or [[]]:
                    say(f"    {label}: " + (" -> ".join(s["name"] for s in path) or "none"))
        for change in a.get("issued_shares_changed", []):
            was, now = (_shares_text(change[k]) for k in ("before", "after"))
            say(f"  issued shares of {change['entity']['name']}: {was} => {now}")
        for key, label in (("became_known", "became known"), ("superseded", "superseded")):
            for record in a.get(key, []):
                say(f"  {label}: {record['kind']} {record['id'].rsplit('/', 1)[-1]}")

    keys = ("added", "removed", "changed", "first_recorded", "began", "ended",
            "issued_shares_changed", "became_known", "superseded")  # fmt: skip
    nothing = not any(answer.get(k) for k in keys)
    emit(answer, table, empty=nothing)


def _shares_text(figure: dict[str, Any] | None) -> str:
    if figure is None:
        return "unknown"
    low, high = figure["min"], figure["max"]
    text = f"{low:,}" if low == high else f"{low:,} to {high:,}"
    return text + (" (scheduled)" if figure["scheduled"] else "")


@shared_options
@click.command()
@click.option("--entity", "name", default=None, help="Only events NAME took part in.")
@click.option("--from", "start", default=None, help="From date YYYY-MM-DD.")
@click.option("--to", "end", default=None, help="To date YYYY-MM-DD.")
def events(name: str | None, start: str | None, end: str | None) -> None:
    """Dated events (mergers, splits, issues...) with participants and sources."""
    answer = (
        current_settings()
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

    emit(answer, table, empty=not answer)


@shared_options
@click.command()
@click.argument("name")
@click.option("--html", "html_file", default=None, metavar="FILE",
              help="Write a self-contained HTML timeline to FILE instead.")  # fmt: skip
def history(name: str, html_file: str | None) -> None:
    """Every record about NAME: when it held, when it became known, what replaced it."""
    settings = current_settings()
    answer = settings.group(name).history(name)
    if html_file:
        from groupkg.viz.historypage import write_history_html

        if settings.known_at is not None:
            answer = {**answer, "knownAt": settings.known_at.isoformat()}
        say(f"wrote {write_history_html(answer, html_file)}", err=True)
        return

    def table(a: dict[str, Any]) -> None:
        say(f"History of {a['entity']['name']}:")
        print_table(
            ["known from", "how", "valid", "status", "what", "superseded"],
            [
                [r["known_from"] or "", r["known_by"], _valid_text(r), r["status"], r["what"],
                 _superseded_text(r)]
                for r in a["records"]
            ],
        )  # fmt: skip

    emit(answer, table, empty=not answer["records"])


def _valid_text(r: dict[str, Any]) -> str:
    """When a history record says its fact held: from .. to, or as of."""
    if r["valid_from"] or r["valid_to"]:
        return f"{r['valid_from'] or ''} .. {r['valid_to'] or ''}"
    return f"as of {r['as_of']}" if r["as_of"] else ""


def _superseded_text(r: dict[str, Any]) -> str:
    if not r["superseded_by"]:
        return ""
    by = ", ".join(i.rsplit("/", 1)[-1] for i in r["superseded_by"])
    return f"from {r['superseded_from'] or 'always'} by {by}"
