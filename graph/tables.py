"""Plain-text tables for answers read by people rather than programs."""

from __future__ import annotations

from collections.abc import Sequence

import click

__all__ = ["print_table", "format_table"]


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns, a rule under the header; ``None`` prints as empty.

    >>> print(format_table(["owner", "percent"], [["NTT", "21.62%"]]))
    owner  percent
    -----  -------
    NTT    21.62%
    """
    cells = [[("" if c is None else str(c)) for c in row] for row in rows]
    widths = [len(h) for h in header]
    for row in cells:
        widths = [max(w, len(c)) for w, c in zip(widths, row, strict=True)]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    return "\n".join(lines)


def print_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    """Print :func:`format_table`, or ``(none)`` for no rows."""
    click.echo(format_table(header, rows) if rows else "  (none)")
