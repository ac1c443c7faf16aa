"""What a picture of a group shows, before any drawing library is involved.

A :class:`View` is a list of :class:`ViewNode` and :class:`ViewEdge` with their text,
their style classes and their place in a top-down chart; :mod:`groupkg.viz.views` makes
them from a group, and :mod:`groupkg.viz.render` turns a view into a page.

Style classes
    nodes: ``kind`` is one of ``listed``, ``subsidiary`` (controlled by someone),
    ``company``, ``person``, ``unnamed`` (holders a source does not name) or
    ``dissolved`` (not active on the day shown); ``change`` is ``began``/``ended``
    in a before/after view; ``on_path`` marks a consolidation path.
    ``noted`` marks an entity with notes (a stock split, an issue of shares).
    edges: ``kind`` is ``holding``, ``consolidation`` (a reported consolidation,
    percent unknown) or ``merger`` (an absorbed company into its survivor, not a
    holding); ``change`` is ``added``/``removed``/``changed``; ``possible`` dashes a
    path that qualifies its holder only possibly (a control view).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from groupkg.viz.detail import Link

__all__ = [
    "LegendItem",
    "TimelineViews",
    "View",
    "ViewEdge",
    "ViewNode",
]


@dataclass(frozen=True)
class ViewNode:
    """One entity in the picture; ``title`` is its plain-text tooltip."""

    id: str
    label: str
    title: str
    kind: str
    level: int = 0
    x: float | None = None
    y: float | None = None
    change: str | None = None
    on_path: bool = False
    ultimate_parent: bool = False
    notes: tuple[str, ...] = ()  # events on the entity, each a line under its name

    @property
    def drawn_label(self) -> str:
        """The name and, under it, the notes: the text the picture draws.

        >>> ViewNode("i", "IIJ", "", "listed", notes=("1:200 split 2012-10-01",)).drawn_label
        'IIJ\\n1:200 split 2012-10-01'
        """
        return "\n".join([self.label, *self.notes])


@dataclass(frozen=True)
class ViewEdge:
    """One holding (or reported consolidation), drawn from owner to owned."""

    id: str
    source: str
    target: str
    label: str
    title: str
    kind: str = "holding"
    change: str | None = None
    on_path: bool = False
    bend: float = 0.0  # 0: drawn straight down; else curved clockwise (> 0) or not, this much
    possible: bool = False  # on a path that qualifies its holder only possibly (dashed)


@dataclass(frozen=True)
class LegendItem:
    """One line of the legend: a style class (``"node"`` or ``"edge"``) and its meaning."""

    target: str
    style: str
    text: str


@dataclass
class View:
    """A picture of a group: at a date, before/after, or one state of a timeline.

    In Jupyter a view shows itself as a static picture (:mod:`groupkg.viz.notebook`
    says why); ``repr()`` is one line saying what it shows. ``tree`` is where each
    entity hangs in the control tree (:mod:`groupkg.viz.detail`), which lets the page
    open a large group at a readable level of detail; a view without it is drawn whole.
    """

    title: str
    nodes: list[ViewNode]
    edges: list[ViewEdge]
    legend: list[LegendItem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    day: _dt.date | None = None
    tree: dict[str, Link] = field(default_factory=dict)

    def node(self, node_id: str) -> ViewNode:
        return next(n for n in self.nodes if n.id == node_id)

    def edge(self, source: str, target: str) -> ViewEdge:
        return next(e for e in self.edges if (e.source, e.target) == (source, target))

    def __repr__(self) -> str:
        """What the view shows, short enough for a log line or a notebook's text output.

        >>> View("Ownership on 2014-01-01", [], [])
        <View 'Ownership on 2014-01-01': 0 entities, 0 holdings>
        """
        return f"<View {_short(self.title)}: {_counts(self)}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return _display(self)

    def _repr_html_(self) -> str:
        return _display(self)["text/html"]


class TimelineViews(list):
    """The states of a group over time, a list of ``(day, View)``, shown as one page."""

    title: str = "Timeline"

    def __repr__(self) -> str:
        """The title, how many states, and from which day to which.

        >>> import datetime as dt
        >>> days = TimelineViews([(dt.date(2014, 1, 1), View("t", [], [])),
        ...                       (dt.date(2014, 4, 1), View("t", [], []))])
        >>> days
        <TimelineViews 'Timeline': 2 states from 2014-01-01 to 2014-04-01>
        """
        if not self:
            return f"<TimelineViews {_short(self.title)}: no states>"
        first, last = self[0][0], self[-1][0]
        return f"<TimelineViews {_short(self.title)}: {len(self)} states from {first} to {last}>"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        return _display(self)

    def _repr_html_(self) -> str:
        return _display(self)["text/html"]


def _short(title: str, most: int = 120) -> str:
    """A title quoted for a repr, cut to ``most`` characters so the repr stays short."""
    text = repr(title)
    return text if len(text) <= most else text[: most - 2] + "…" + text[0]


def _counts(view: View) -> str:
    entities = "entity" if len(view.nodes) == 1 else "entities"
    count = sum(1 for e in view.edges if e.kind != "merger")
    holdings = "holding" if count == 1 else "holdings"
    return f"{len(view.nodes)} {entities}, {count} {holdings}"


def _not_displayed(item: object) -> dict[str, str]:
    raise RuntimeError("import groupkg.viz to display views")


#: How Jupyter's rich display shows a view (a MIME bundle): the model itself never
#: draws, and :mod:`groupkg.viz.notebook` sets this when it is imported (as ``import
#: groupkg.viz``, which every way to a view goes through, does).
_display: Callable[[Any], dict[str, str]] = _not_displayed
