"""Printing answers: as JSON with --json, otherwise as text for a person.

Text shows control characters in names as escapes (:func:`terminal_text`), so that a
name cannot act on the terminal it is printed on.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import click

from groupkg.graph.cli.errors import EXIT_NOTHING
from groupkg.graph.cli.options import current_settings
from groupkg.graph.cli.tables import print_table, terminal_text

__all__ = ["emit", "say", "echo_assumptions", "stake_table", "percent_text", "percent_range"]


def emit(answer: Any, table: Callable[[Any], None], empty: bool = False) -> None:
    """Print ``answer`` as JSON or by ``table``; exit 1 after it when it is ``empty``.

    As known on a day (--known-at), a JSON object says so (``"knownAt"``), and the text
    begins with a line that does."""
    settings = current_settings()
    known_at = settings.known_at.isoformat() if settings.known_at is not None else None
    if settings.as_json:
        if known_at is not None and isinstance(answer, dict):
            answer = {**answer, "knownAt": known_at}
        click.echo(json.dumps(answer, indent=2, ensure_ascii=False))
    else:
        if known_at is not None:
            say(f"As known on {known_at}:")
        table(answer)
    if empty:
        raise SystemExit(EXIT_NOTHING)


def say(text: str, err: bool = False, lines: bool = False) -> None:
    """Print text for a person: control characters in names shown, not acted on."""
    click.echo(terminal_text(text, lines=lines), err=err)


def echo_assumptions(assumptions: list[dict[str, str]]) -> None:
    """One line per assumption an answer rests on, so no assumption reads as a fact."""
    for item in assumptions:
        what = item.get("property") or item.get("fact", "")
        click.echo(f"  (assumed) {what}: {item['reason']}")


def echo_scheduled(events: list[dict[str, Any]]) -> None:
    """The scheduled events an answer rests on (announced, not confirmed since they took
    effect), a line each, so an announced change does not read as one that happened."""
    if events:
        say("  rests on events known only as announced (scheduled):")
    for event in events:
        say(f"    {event['date']} {event['label'] or event['type']} ({event['type']})")


def stake_table(rows: list[dict[str, Any]], who: str) -> None:
    """Owners or holdings, one stake a row."""
    print_table(
        [who, "interest", "percent", "shares", "basis", "sources"],
        [
            [
                r["name"],
                r.get("interest", ""),
                percent_text(r),
                f"{r['shares']:,}" if r["shares"] is not None else "",
                r["basis"],
                "; ".join(r["sources"]),
            ]
            for r in rows
        ],
    )


def percent_text(row: dict[str, Any]) -> str:
    """A stake's percent, its bounds when only they are known, or ``unknown``."""
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


def percent_range(item: dict[str, Any]) -> str:
    """An effective percent, or its range where the records leave it open."""
    low, high = item["effective_percent"], item.get("effective_percent_max")
    return f"{low}" if high in (None, low) else f"{low}-{high}"
