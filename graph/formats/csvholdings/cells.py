"""The records of a CSV file with the line each starts on, and cells a spreadsheet would
run as formulas, written so that it shows them as text."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

__all__ = ["FORMULA_STARTS", "Unreadable", "csv_records", "spreadsheet_safe", "unquote_formula"]

#: What a spreadsheet takes as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(cell: str) -> str:
    """``cell`` as a spreadsheet shows it as text and never runs it: a cell a
    spreadsheet would read as a formula (``=HYPERLINK(...)``, ``+SUM(...)``, ``-2+3``,
    ``@cmd``, or one starting with a tab or carriage return) gets a ``'`` in front, as
    OWASP advises. So that reading the file back gives the text that was written, a
    cell that already starts with ``'`` before such a character gets one more.

    >>> print(spreadsheet_safe("=1+2"), spreadsheet_safe("'=1+2"), spreadsheet_safe("Acme"))
    '=1+2 ''=1+2 Acme
    """
    return "'" + cell if cell.lstrip("'").startswith(FORMULA_STARTS) else cell


def unquote_formula(cell: str) -> str:
    """The text :func:`spreadsheet_safe` was given (a cell of a file it wrote)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(FORMULA_STARTS):
        return cell[1:]
    return cell


class Unreadable(Exception):
    """A record the csv module cannot read at all (a field past its size limit)."""

    def __init__(self, line: int, reason: str):
        super().__init__(reason)
        self.line, self.reason = line, reason


def csv_records(stream: TextIO) -> Iterator[tuple[int, list[str]]]:
    """Rows of a CSV stream with the line each starts on (quoted fields may span lines),
    blank rows left out.

    >>> import io
    >>> list(csv_records(io.StringIO('a,b\\n\\n"x\\ny",z\\n')))
    [(1, ['a', 'b']), (3, ['x\\ny', 'z'])]
    """
    reader = csv.reader(stream)
    end = 0
    try:
        for row in reader:
            start, end = end + 1, reader.line_num
            if row and any(cell.strip() for cell in row):
                yield start, row
    except csv.Error as exc:
        raise Unreadable(end + 1, str(exc)) from None
