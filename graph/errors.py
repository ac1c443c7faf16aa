"""The errors groupkg raises for a user's mistake, as opposed to a bug.

The command line turns a ``GroupkgError`` into a message and an exit code (2 for
bad input, 1 for data that fails validation), never a traceback. A file reader
(CSV holdings, BODS, GLEIF) reports every problem of a file at once, each an
:class:`ImportProblem`, together in one :class:`BadInput`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

__all__ = ["BadInput", "GroupkgError", "ImportProblem", "InputError", "ValidationFailed"]


class GroupkgError(Exception):
    """Base of every error groupkg reports to a user."""


class InputError(GroupkgError):
    """Bad input: a file, line, field, name or date that cannot be used (exit 2).

    Where the error is about a place in a file or a field, it says which.

    Attributes
    ----------
    file : str or None
        The file the error is about.
    location : int, str or None
        Where in it: a line number (CSV, GLEIF) or an RFC 6901 JSON pointer (BODS).
    field : str or None
        The field, column or setting that is wrong (``"store"`` for a store
        specification).

    Examples
    --------
    >>> error = InputError("120 is not between 0 and 100", file="h.csv", location=4,
    ...                    field="percent")
    >>> error.file, error.line, error.field
    ('h.csv', 4, 'percent')
    """

    def __init__(
        self,
        message: str = "",
        *,
        file: str | None = None,
        location: int | str | None = None,
        field: str | None = None,
    ):
        super().__init__(message)
        self.file = file
        self.location = location
        self.field = field

    @property
    def line(self) -> int | None:
        """The line number of :attr:`location`, when it is one."""
        return self.location if isinstance(self.location, int) else None

    def __reduce__(self) -> tuple[Any, ...]:
        # Whatever a subclass's constructor takes, a copy (a server worker sends its
        # errors back pickled) keeps the message and every attribute.
        return _rebuilt, (type(self), self.args, dict(self.__dict__))


def _rebuilt(cls: type[InputError], args: tuple[Any, ...], state: dict[str, Any]) -> InputError:
    error = cls.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


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
    :attr:`file` is the file when every problem is in one; :attr:`location` and
    :attr:`field` are those of the problem when there is only one.

    Examples
    --------
    >>> error = BadInput([ImportProblem("h.csv", 4, "percent", "120 is not a percent")])
    >>> error.file, error.line, error.field, len(error.problems)
    ('h.csv', 4, 'percent', 1)
    """

    def __init__(self, problems: Iterable[ImportProblem]):
        self.problems = list(problems)
        files = {p.file for p in self.problems}
        only = self.problems[0] if len(self.problems) == 1 else None
        super().__init__(
            "\n".join(str(p) for p in self.problems),
            file=files.pop() if len(files) == 1 else None,
            location=only.location if only else None,
            field=only.field if only else None,
        )
