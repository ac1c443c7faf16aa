"""Progress on a terminal for the long commands (import, parents, synth).

One rule for all of them: progress is drawn on standard error when it is a terminal,
never with --quiet nor when it is piped or redirected, where a bar would be noise.
"""

from __future__ import annotations

import contextlib
import sys
import time
from collections.abc import Callable, Iterator
from typing import TextIO

import click

__all__ = ["Tick", "progress"]

Tick = Callable[..., None]


def _terminal() -> TextIO | None:
    """Standard error when it is a terminal; a progress bar anywhere else is noise."""
    stream = sys.stderr
    return stream if stream.isatty() else None


@contextlib.contextmanager
def progress(quiet: bool, unit: str, total: int | None = None) -> Iterator[Tick | None]:
    """A callback to report progress with, or ``None`` when nothing is to be drawn.

    With ``total`` known before the work begins, the callback takes ``(done)`` out of
    it, drawn as click's bar labelled ``unit``. Otherwise it takes ``(done)``, a count
    of ``unit`` so far, or ``(done, total)`` in bytes, drawn as a line with the time
    taken.
    """
    stream = None if quiet else _terminal()
    if stream is None:
        yield None
    elif total is not None:
        with click.progressbar(length=total, label=unit, file=stream) as bar:

            def advance(done: int) -> None:
                bar.update(done - bar.pos)

            yield advance
    else:
        with _counter(stream, unit) as tick:
            yield tick


@contextlib.contextmanager
def _counter(stream: TextIO, unit: str) -> Iterator[Tick]:
    began = time.monotonic()
    last = [0.0, -1]

    def tick(done: int, total: int | None = None) -> None:
        now = time.monotonic()
        finished = total is not None and done >= total
        if now - last[0] < 0.5 and not (finished and last[1] != done):
            return
        last[0], last[1] = now, done
        elapsed = _elapsed(now - began)
        if total:
            share = min(done / total, 1.0)
            bar = "#" * round(30 * share)
            line = f"loading [{bar:<30}] {share:4.0%} of {total / 1e6:,.0f} MB  {elapsed}"
        else:
            line = f"{done:,} {unit}  {elapsed}"
        click.echo(f"\r{line}", nl=False, file=stream)

    try:
        yield tick
    finally:
        click.echo("", file=stream)


def _elapsed(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes}:{seconds:02d}"
