"""What every fuzz case shares: the profiles, the time limit, the verdict and the count.

Two hypothesis profiles, chosen with the environment variable ``GROUPKG_FUZZ``:

``ci`` (the default)
    A small, derandomised sample of every target, part of the normal
    ``python -m pytest`` run: a few hundred cases in all, the same ones every run.
``full``
    ``GROUPKG_FUZZ=full python -m pytest tests/fuzz``: more than 10,000 cases, drawn
    afresh every run (failures found are replayed from the ``.hypothesis`` database).

The profiles are registered under ``groupkg-fuzz-*`` names and applied to the fuzz
targets only, so loading them never changes the property tests of the rest of the
suite.

A case passes when the code under test returns or raises a
:class:`~groupkg.graph.errors.GroupkgError` with a message (the CLI: exits 0, 1 or 2
with no traceback, and a message on standard error for 2). Any other exception is a
bug, and so is a case that runs past its time limit: a ``SIGALRM`` interrupts it and
raises :class:`Hang`. (A hang inside native code is interrupted when control comes
back to Python.)
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from groupkg.graph import GroupkgError
from groupkg.graph.cli import cli

__all__ = [
    "MODE",
    "COUNTS",
    "SECONDS",
    "Hang",
    "fuzz_settings",
    "fuzz_case",
    "ends_cleanly",
    "run_cli",
]

MODE = os.environ.get("GROUPKG_FUZZ", "ci").strip().lower() or "ci"
if MODE not in ("ci", "full"):
    raise RuntimeError(f"GROUPKG_FUZZ={MODE!r}: use ci or full")

# Examples per target at weight 1; a target's weight scales it (cheap targets run more).
_PER_TARGET = {"ci": 10, "full": 420}

_COMMON = dict(
    deadline=None,  # wall-clock deadlines flake on a loaded machine; Hang guards instead
    suppress_health_check=list(HealthCheck),
    print_blob=True,
)
settings.register_profile(
    "groupkg-fuzz-ci", max_examples=_PER_TARGET["ci"], derandomize=True, database=None,
    **_COMMON,
)  # fmt: skip
settings.register_profile("groupkg-fuzz-full", max_examples=_PER_TARGET["full"], **_COMMON)

#: Cases run so far in this process, by target, and the seconds they took.
COUNTS: Counter[str] = Counter()
SECONDS: Counter[str] = Counter()

T = TypeVar("T")


def fuzz_settings(weight: float = 1.0) -> settings:
    """The settings of one target: the active profile, its example count scaled."""
    profile = settings.get_profile(f"groupkg-fuzz-{MODE}")
    return settings(profile, max_examples=max(2, round(_PER_TARGET[MODE] * weight)))


class Hang(Exception):
    """A fuzz case ran past its time limit."""


@contextlib.contextmanager
def fuzz_case(target: str, seconds: float = 20.0) -> Iterator[None]:
    """Count one case of ``target`` and interrupt it if it runs past ``seconds``."""
    COUNTS[target] += 1

    def alarm(signum: int, frame: Any) -> None:
        raise Hang(f"{target}: a case ran for more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    started = time.monotonic()
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        SECONDS[target] += time.monotonic() - started


def ends_cleanly(call: Callable[..., T], *args: Any, **kwargs: Any) -> T | GroupkgError:
    """Call the library; return its answer or the GroupkgError it raised.

    Any other exception propagates and fails the case.
    """
    try:
        return call(*args, **kwargs)
    except GroupkgError as exc:
        message = str(exc)
        assert message.strip(), f"{type(exc).__name__} without a message"
        assert "Traceback (most recent call last)" not in message
        return exc


_RUNNER = CliRunner()


class _LoggedTracebacks(logging.Handler):
    """Log records that carry a traceback: a library logging one prints it to the user."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.records.append(record)


def run_cli(args: Sequence[str]) -> Result:
    """Run ``groupkg ARGS`` in this process and check that it ended as documented.

    Exit 0, 1 or 2; no traceback on either stream, nor logged by a library (rdflib
    logs one for each literal it cannot read); exit 2 says why on standard error. An
    exception that escaped the command is raised again, with its own traceback.
    """
    logged = _LoggedTracebacks()
    root = logging.getLogger()
    root.addHandler(logged)
    try:
        result = _RUNNER.invoke(cli, list(args), catch_exceptions=True)
    finally:
        root.removeHandler(logged)
    for record in logged.records:
        raise AssertionError(
            f"groupkg {list(args)!r} logged a traceback ({record.name}): {record.getMessage()}"
        )
    exc = result.exception
    if exc is not None and not isinstance(exc, SystemExit):
        assert result.exc_info is not None
        shown = "".join(traceback.format_exception(*result.exc_info))
        raise AssertionError(f"groupkg {list(args)!r} raised:\n{shown}") from exc
    assert result.exit_code in (0, 1, 2), f"groupkg {list(args)!r} exited {result.exit_code}"
    for stream in (result.stdout, result.stderr):
        assert "Traceback (most recent call last)" not in stream, stream
    if result.exit_code == 2:
        assert result.stderr.strip(), f"groupkg {list(args)!r} exited 2 without a message"
    return result
