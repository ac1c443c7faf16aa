"""The ``groupkg`` command line: a thin layer over :class:`groupkg.graph.group.Group`.

Exit codes: 0 ok; 1 nothing found, or data that fails validation; 2 a usage or input
error (an unknown or ambiguous name, an impossible date, a file that does not parse).
A user's mistake is reported in one line on standard error, never as a traceback.

This module holds the group, its error handling and :func:`main`; the commands are
in :mod:`~groupkg.graph.cli.questions`, :mod:`~groupkg.graph.cli.parents`,
:mod:`~groupkg.graph.cli.links`,
:mod:`~groupkg.graph.cli.data` and :mod:`~groupkg.graph.cli.render`, and ``serve``
and ``synth`` in modules of their own, loaded only when called.
"""

from __future__ import annotations

import errno
import importlib
import os
import sys
from typing import Any

import click

from groupkg.graph.cli import control, data, links, parents, questions, render
from groupkg.graph.cli.errors import EXIT_NOTHING, EXIT_USAGE, UserError, os_error, usage_error
from groupkg.graph.cli.options import shared_options
from groupkg.graph.cli.output import say
from groupkg.graph.errors import GroupkgError, ValidationFailed

__all__ = ["main", "cli"]


class GroupkgCommands(click.Group):
    """Turns groupkg's own errors into messages and exit codes for every command.

    The server and the generator are imported only when called, so that a plain
    question does not pay for loading a web stack.
    """

    lazy = {"serve": "groupkg.graph.cli.serve", "synth": "groupkg.graph.cli.synth"}

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted([*super().list_commands(ctx), *self.lazy])

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.lazy:
            module = importlib.import_module(self.lazy[cmd_name])
            command: click.Command = getattr(module, cmd_name)
            return command
        return super().get_command(ctx, cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise usage_error(exc) from None

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except ValidationFailed as exc:
            say(f"groupkg: {exc}", err=True)
            ctx.exit(EXIT_NOTHING)
        except GroupkgError as exc:
            raise UserError(str(exc)) from None
        except click.exceptions.NoArgsIsHelpError:
            raise
        except click.UsageError as exc:
            raise usage_error(exc) from None
        except OSError as exc:
            if exc.errno == errno.EPIPE:  # click ends quietly when the reader goes away
                raise
            raise os_error(exc) from None


@click.version_option(package_name="groupkg")
@shared_options
@click.group(cls=GroupkgCommands, context_settings={"help_option_names": ["-h", "--help"]})
def cli() -> None:
    """groupkg: who owns whom in a corporate group, by how much, from when to when."""


for _command in (
    *(getattr(questions, name) for name in questions.__all__),
    parents.parents,
    links.links,
    control.control,
    *(getattr(data, name) for name in data.__all__),
    render.render,
):
    cli.add_command(_command)


def main(argv: list[str] | None = None) -> None:
    """Run the command line (the ``groupkg`` console script).

    What is still buffered for standard output is written before the exit, so that a
    full disk or a closed pipe behind it is reported like any error, not by Python.
    """
    try:
        cli.main(args=argv, prog_name="groupkg", standalone_mode=True)
        status: Any = 0
    except SystemExit as done:
        status = done.code
    try:
        sys.stdout.flush()
    except OSError as exc:
        # Nothing more can reach standard output: send what is left nowhere, so that
        # Python's own flush at exit does not fail again.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
        if exc.errno != errno.EPIPE:
            click.echo(f"Error: standard output: {exc.strerror or exc}", err=True)
            status = EXIT_USAGE
        elif not status:
            status = EXIT_NOTHING
    sys.exit(status)
