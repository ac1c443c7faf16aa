"""A store seen together with ``--data`` files held beside it in memory (``UnionStore``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.store.ntriples import Progress
from groupkg.graph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from groupkg.graph.store import Store

__all__ = ["UnionStore"]


class UnionStore:
    """A store seen together with an in-memory overlay of ``--data`` files.

    SELECTs run on each part and their rows are concatenated (a named query in each
    part's own dialect, by :func:`~groupkg.graph.store.rows.iter_rows`), which is exact
    for the fact-reading queries the library runs (each row stands for one triple); a
    user's SPARQL query (:meth:`query_raw`) is refused, as no such concatenation answers
    it.
    """

    def __init__(self, base: Store, overlay: OxigraphStore):
        self.base = base
        self.overlay = overlay
        self.description = f"{base.description} + --data"

    def select(self, query: str) -> list[dict[str, Any]]:
        return self.base.select(query) + self.overlay.select(query)

    def query_raw(self, query: str, media_type: str) -> tuple[bytes, str]:
        # A user's query may join the two parts, which no concatenation of rows answers;
        # answered by the base alone it would silently miss the files.
        raise InputError(
            f"the data loaded over {self.base.description} is held beside it, in memory, "
            "where one SPARQL query cannot join both: load the store's data and yours into "
            "one store (a memory store, or import your files into it)",
            field="store",
        )

    def add_rdf(self, data: bytes, fmt: ox.RdfFormat) -> int:
        return self.base.add_rdf(data, fmt)

    def import_ntriples(self, path: Path, progress: Progress | None = None) -> int:
        return self.base.import_ntriples(path, progress)

    def __len__(self) -> int:
        return len(self.base) + len(self.overlay)
