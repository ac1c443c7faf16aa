"""How the command line reports a failure: its exit codes (0 ok, 1 nothing found or
findings, 2 a user's mistake) and the one-line errors it prints instead of a traceback.
"""

from __future__ import annotations

import errno

import click

from groupkg.graph.cli.tables import terminal_text

__all__ = ["EXIT_OK", "EXIT_NOTHING", "EXIT_USAGE", "UserError", "usage_error", "os_error"]

EXIT_OK, EXIT_NOTHING, EXIT_USAGE = 0, 1, 2


class UserError(click.ClickException):
    """A user's mistake: one line on standard error, exit 2."""

    exit_code = EXIT_USAGE

    def __init__(self, message: str):
        super().__init__(terminal_text(message, lines=True))


def usage_error(exc: click.UsageError) -> UserError:
    """click's usage error in one line (click prints the usage and a hint besides)."""
    command = exc.ctx.command_path if exc.ctx is not None else "groupkg"
    message = " ".join(exc.format_message().split())
    return UserError(f"{message} (see {command} --help)")


def os_error(exc: OSError) -> UserError:
    """A failure of the system (a full disk, standard output closed) in one line."""
    reason = exc.strerror or str(exc) or type(exc).__name__
    if exc.filename is not None:
        return UserError(f"{exc.filename}: {reason}")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO):
        return UserError(f"cannot write the output: {reason}")
    return UserError(reason)
