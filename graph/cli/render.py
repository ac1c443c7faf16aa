"""``groupkg render``: a self-contained HTML view of the group, by
:mod:`groupkg.viz.command` (loaded only when the command runs)."""

from __future__ import annotations

from pathlib import Path

import click

from groupkg.graph.cli.options import current_settings, rule_names, shared_options
from groupkg.graph.cli.output import say
from groupkg.graph.dates import parse_date

__all__ = ["render"]


@shared_options
@click.command()
@click.option("--at", "at", default=None, help="The group on this date.")
@click.option("--before", "before", default=None, help="Before/after: the first date.")
@click.option("--after", "after", default=None, help="Before/after: the second date.")
@click.option("--event", "event", default=None, help="Before/after one event (its id).")
@click.option("--timeline", is_flag=True, help="One page stepping through every change.")
@click.option("--root", "root", default=None, help="Only the group around this entity.")
@click.option("--path", "path_to", default=None, help="Highlight the consolidation paths to NAME.")
@click.option("--control", "control", default=None, metavar="NAME",
              help="Who controls and owns NAME on --at, the rule sets side by side.")  # fmt: skip
@click.option("--rules", "rules", default=None, metavar="R,...",
              help="With --control: rule sets, by name or Turtle file; all shipped ones "
                   "by default.")  # fmt: skip
@click.option("-o", "--output", "output", required=True, type=click.Path(dir_okay=False),
              help="The HTML file to write.")  # fmt: skip
def render(at: str | None, before: str | None, after: str | None, event: str | None,
           timeline: bool, root: str | None, path_to: str | None, control: str | None,
           rules: str | None, output: str) -> None:  # fmt: skip
    """Write a self-contained HTML view of the group (no network needed to open it)."""
    from groupkg.viz.command import render as render_view

    group = current_settings().group(root, path_to, control, model=True)
    written = render_view(
        group,
        Path(output),
        at=parse_date(at, "--at") if at else None,
        before=parse_date(before, "--before") if before else None,
        after=parse_date(after, "--after") if after else None,
        event=event,
        timeline=timeline,
        root=root,
        path=path_to,
        control=control,
        rules=rule_names(rules),
    )
    say(f"wrote {written}", err=True)
