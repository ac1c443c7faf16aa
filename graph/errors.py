"""The errors groupkg raises for a user's mistake, as opposed to a bug.

The command line turns a ``GroupkgError`` into a message and an exit code (2 for
bad input, 1 for data that fails validation), never a traceback.
"""

__all__ = ["GroupkgError", "InputError", "ValidationFailed"]


class GroupkgError(Exception):
    """Base of every error groupkg reports to a user."""


class InputError(GroupkgError):
    """Bad input: a file, line, field, name or date that cannot be used (exit 2)."""


class ValidationFailed(GroupkgError):
    """Data that parses but breaks the model's rules (exit 1)."""
