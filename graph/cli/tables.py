"""Plain-text tables for answers read by people rather than programs."""

from __future__ import annotations

import re
from collections.abc import Sequence

import click

__all__ = ["print_table", "format_table", "terminal_text"]

# C0 controls, DEL and C1 controls (ESC and CSI among them: a name holding them could
# move the cursor, recolour or retitle the terminal) and the bidirectional overrides
# that reorder what is shown.
_CONTROLS = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _visible(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def terminal_text(text: str, lines: bool = False) -> str:
    """``text`` safe to print on a terminal: every control character shown as an escape
    (``\\x1b``, ``\\n``, ``\\u202e``) instead of acted on. With ``lines``, line breaks
    are kept (text of several lines), and whatever else is in each line escaped.

    >>> print(terminal_text("Acme\\x1b]0;owned\\x07 Ltd"))
    Acme\\x1b]0;owned\\x07 Ltd
    """
    if lines:
        return "\n".join(_CONTROLS.sub(_visible, line) for line in text.split("\n"))
    return _CONTROLS.sub(_visible, text)


def format_table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """Left-aligned columns, a rule under the header; ``None`` prints as empty.

    >>> print(format_table(["owner", "percent"], [["NTT", "21.62%"]]))
    owner  percent
    -----  -------
    NTT    21.62%
    """
    header = [terminal_text(h) for h in header]
    cells = [[("" if c is None else terminal_text(str(c))) for c in row] for row in rows]
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
