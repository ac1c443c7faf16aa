"""HTML pictures of a group: at a date, before/after a change, paths, a timeline.

Rendering is an exporter of what :mod:`groupkg.graph` computed; nothing in the core
imports this package. :mod:`groupkg.viz.views` builds plain view objects
(:mod:`groupkg.viz.model`), :mod:`groupkg.viz.render` draws them with pyvis into one
self-contained page, :mod:`groupkg.viz.svg` into a static picture (what a notebook
shows, :mod:`groupkg.viz.notebook`), and :func:`groupkg.viz.command.render` is what
``groupkg render`` calls.
"""

from groupkg.viz.model import LegendItem, TimelineViews, View, ViewEdge, ViewNode
from groupkg.viz.notebook import mime_bundle, notebook_html
from groupkg.viz.render import to_html, write_html
from groupkg.viz.svg import to_svg
from groupkg.viz.views import view_at, view_diff, view_timeline

__all__ = [
    "LegendItem",
    "TimelineViews",
    "View",
    "ViewEdge",
    "ViewNode",
    "mime_bundle",
    "notebook_html",
    "to_html",
    "to_svg",
    "view_at",
    "view_diff",
    "view_timeline",
    "write_html",
]
