"""Cells a spreadsheet would run as formulas, written so that it shows them as text."""

from __future__ import annotations

__all__ = ["FORMULA_STARTS", "spreadsheet_safe", "unquote_formula"]

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
