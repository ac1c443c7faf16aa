"""The errors groupkg raises for a user's mistake, as opposed to a bug.

The command line turns a ``GroupkgError`` into a message and an exit code (2 for
bad input, 1 for data that fails validation), never a traceback. A file reader
(CSV holdings, BODS, GLEIF) reports every problem of a file at once, each an
:class:`ImportProblem`, together in one :class:`BadInput`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = ["BadInput", "GroupkgError", "ImportProblem", "InputError", "ValidationFailed"]


class GroupkgError(Exception):
    """Base of every error groupkg reports to a user."""


class InputError(GroupkgError):
    """Bad input: a file, line, field, name or date that cannot be used (exit 2)."""


class ValidationFailed(GroupkgError):
    """Data that parses but breaks the model's rules (exit 1)."""


@dataclass(frozen=True)
class ImportProblem:
    """One thing wrong with an input file, located precisely.

    ``location`` is a line number for line-based files (CSV) and an RFC 6901 JSON
    pointer for JSON ones (BODS), ``""`` meaning the whole document.

    Examples
    --------
    >>> str(ImportProblem("h.csv", 4, "percent", "120 is not between 0 and 100"))
    'h.csv:4: percent: 120 is not between 0 and 100'
    """

    file: str
    location: int | str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.location}: {self.field}: {self.reason}"


class BadInput(InputError):
    """An input file that cannot be loaded, with every problem found in it.

    The message lists the problems one per line as ``FILE:LOCATION: FIELD: REASON``.
    """

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
