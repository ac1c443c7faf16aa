"""How a view shows itself in Jupyter: a static picture, the same everywhere it goes.

A view displayed in a notebook (``view`` as a cell's last line, or ``display(view)``)
is a MIME bundle of three entries:

``text/html``
    an ``<img>`` whose source is the SVG picture of the view (:func:`to_svg`) as a
    ``data:`` URI. JupyterLab and Notebook show it whether the notebook is trusted or
    not: their sanitiser keeps images and drops iframes, scripts and inline ``<svg>``,
    and it is the HTML entry they choose for an untrusted output.
``image/svg+xml``
    the SVG itself, for the exports that take no HTML (nbconvert to PDF or LaTeX) and
    for other front ends.
``text/plain``
    the view's short repr, for a console.

Why no script and no vis-network: a page that runs needs a library of 690 KB, which
an output would either carry each time (the size of a notebook grows by that much a
picture) or share with the other outputs of its notebook, and then a picture would
draw only if the output holding the library was rendered before it, trusted, and
kept when cells are cleared or reordered. A static picture needs none of that: it
survives a reload, an untrusted notebook, a ``nbconvert`` export and a diff in
version control, and costs the size of its SVG about twice and a half (30 KB for the
11 entities of the IIJ group on 2014-01-01). The picture has the page's layout,
colours, labels and legend; what it lacks is zooming and the tooltips (a browser
shows them when the SVG is opened by itself). The interactive page is still a call
away: :func:`~groupkg.viz.to_html` and :func:`~groupkg.viz.write_html` write it, and
:func:`notebook_html` puts it in a sandboxed iframe for a trusted notebook, carrying
vis-network with it.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence
from typing import Any

from groupkg.viz import model as _model
from groupkg.viz.model import View
from groupkg.viz.render import to_html
from groupkg.viz.svg import to_svg

__all__ = ["mime_bundle", "notebook_html"]


def mime_bundle(item: View | Sequence[tuple[Any, View]]) -> dict[str, str]:
    """The MIME bundle Jupyter shows for a view or a timeline (see the module's text)."""
    svg = to_svg(item)
    source = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    text = repr(item)
    picture = (
        f'<img src="{source}" alt="{html.escape(text, quote=True)}" '
        'style="max-width: 100%; height: auto">'
    )
    return {"text/html": picture, "image/svg+xml": svg, "text/plain": text}


def notebook_html(item: View | Sequence[tuple[Any, View]], height: int = 640) -> str:
    """The interactive page inside a sandboxed iframe, for a trusted notebook.

    Each such output carries vis-network (about 700 KB); display it with
    ``IPython.display.HTML(notebook_html(view))``.
    """
    page = html.escape(to_html(item), quote=True)
    return (
        f'<iframe srcdoc="{page}" sandbox="allow-scripts" '
        f'style="width: 100%; height: {int(height)}px; border: 0"></iframe>'
    )


_model._display = mime_bundle  # Jupyter's rich display of views (_repr_mimebundle_)
