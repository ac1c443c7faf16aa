"""What ``groupkg render`` does: pick the view the options ask for and write its page."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from groupkg.graph.errors import InputError
from groupkg.graph.group import Group
from groupkg.viz.controlpage import write_control_html
from groupkg.viz.controlview import view_control
from groupkg.viz.render import write_html
from groupkg.viz.views import view_at, view_diff, view_timeline

__all__ = ["render"]


def _day(value: object, option: str) -> _dt.date | None:
    """A day as given, rejecting what is not one (a string, or a datetime with a time)."""
    if value is None:
        return None
    if isinstance(value, _dt.date) and not isinstance(value, _dt.datetime):
        return value
    raise InputError(f"{option} must be a date, got {value!r}")


def render(
    group: Group,
    out_path: str | Path,
    at: _dt.date | None = None,
    before: _dt.date | None = None,
    after: _dt.date | None = None,
    event: str | None = None,
    timeline: bool = False,
    root: str | None = None,
    path: str | None = None,
    control: str | None = None,
    rules: list[str] | None = None,
) -> Path:
    """Write one HTML view of ``group`` to ``out_path`` and return the path written.

    Exactly one of: ``at`` (the group on a day, with ``path`` the consolidation paths
    to one entity), ``before`` and ``after`` (what changed between two days),
    ``event`` (what one event changed: the day before it against its effective day),
    ``timeline`` (every state, one page). ``root`` limits any of them to the group
    around one entity. ``control`` (a name, with ``at``) draws who controls and who
    beneficially owns it under each of ``rules`` (every shipped rule set by default),
    side by side.

    Raises
    ------
    InputError
        For a bad combination of options, a date that is not a date, an unknown
        name, event or rule set, an invalid rule file, or a file that cannot be written.
    """
    at, before, after = _day(at, "--at"), _day(before, "--before"), _day(after, "--after")
    if control is not None:
        return _control(
            group,
            out_path,
            control,
            at,
            rules,
            root,
            path,
            bool(before or after or event or timeline),
        )
    if (before is None) != (after is None):
        raise InputError("--before and --after go together: give both or neither")
    chosen = [
        name
        for name, given in (
            ("--at", at is not None),
            ("--before/--after", before is not None),
            ("--event", event is not None),
            ("--timeline", bool(timeline)),
        )
        if given
    ]
    if len(chosen) != 1:
        found = ", ".join(chosen) if chosen else "none"
        raise InputError(
            f"give exactly one of --at, --before with --after, --event or --timeline (got {found})"
        )
    if path is not None and at is None:
        raise InputError("--path draws the consolidation paths on one day: it needs --at")
    if rules is not None:
        raise InputError("--rules chooses the rule sets of --control: it needs --control")

    if at is not None:
        item = view_at(group, at, root=root, path_to=path)
    elif event is not None:
        first, last = group.event_days(event)
        found = group.event(event)
        item = view_diff(group, first, last, root=root)
        name = found.label or found.type
        item = replace(item, title=f"{name}, effective {last.isoformat()}: {item.title}")
    elif timeline:
        item = view_timeline(group, root=root)
    else:
        assert before is not None and after is not None
        item = view_diff(group, before, after, root=root)

    return _write(lambda target: write_html(item, target), out_path)


def _control(
    group: Group,
    out_path: str | Path,
    name: str,
    at: _dt.date | None,
    rules: list[str] | None,
    root: str | None,
    path: str | None,
    other_views: bool,
) -> Path:
    """The control view of ``name`` on ``at``: the one view ``--control`` draws."""
    if at is None:
        raise InputError("--control draws control on one day: it needs --at")
    if other_views or root is not None or path is not None:
        raise InputError(
            "--control draws the entity and its holders on one day: not with --before, "
            "--after, --event, --timeline, --root or --path"
        )
    item = view_control(group, name, at, rules)
    return _write(lambda target: write_control_html(item, target), out_path)


def _write(draw: Callable[[Path], Path], out_path: str | Path) -> Path:
    target = Path(out_path)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        return draw(target)
    except OSError as error:
        raise InputError(f"cannot write {target}: {error.strerror or error}") from error
