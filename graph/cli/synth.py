"""``groupkg synth``: write a synthetic register (:mod:`groupkg.graph.formats.synth`)."""

from __future__ import annotations

from pathlib import Path

import click

from groupkg.graph.cli.errors import UserError
from groupkg.graph.cli.options import shared_options
from groupkg.graph.cli.progress import progress
from groupkg.graph.errors import InputError
from groupkg.graph.formats.synth import MAX_ENTITIES, write_synth

__all__ = ["synth"]


@shared_options
@click.command("synth")
@click.option(
    "--entities",
    "-n",
    type=click.IntRange(min=1, max=MAX_ENTITIES),
    required=True,
    help="How many entities to write (at most 100,000,000).",
)
@click.option(
    "--seed",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Random seed; the same seed writes the same file.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="FILE.nt, or FILE.nt.gz for gzip.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def synth(entities: int, seed: int, output: Path, quiet: bool) -> None:  # fmt: skip
    """Write a synthetic GLEIF-like register of corporate groups as N-Triples.

    Shows a progress bar on a terminal (not with --quiet, nor when standard error is
    piped) and prints the counts. Exit codes: 0 written; 2 a bad option or a file that
    cannot be written.
    """
    try:
        with progress(quiet, "synth", total=entities) as tick:
            counts = write_synth(output, entities, seed, progress=tick)
    except InputError as exc:
        raise UserError(str(exc)) from None
    click.echo(f"wrote {output}")
    for key, value in counts.items():
        click.echo(f"{key:>10}: {value}")
