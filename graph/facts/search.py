"""Rank the entities for the search of the viewer, by the rules of
:mod:`groupkg.graph.facts.namekeys`.

The search of the viewer (:func:`search`) ranks every entity by the best level at
which one of its names matches, levels 1-4 of the rules, then (search only):

5. the folded label, legal name, alias or local id begins with the folded text;
6. a word of it does;
7. it contains the text;
8. it contains the text with spaces and punctuation left out (``"iijexlayer"``).

Ties go by label, then IRI. So when
:meth:`~groupkg.graph.facts.names.NameTable.resolve` answers an entity, the search puts
that entity first: no other entity matches at its level or above.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

from groupkg.graph.facts.namekeys import (
    IRI,
    LOCAL_ID,
    NAME,
    SHORT,
    Candidate,
    fold,
    letters_and_digits,
    query_keys,
    without_legal_form,
)
from groupkg.graph.facts.names import askable
from groupkg.graph.facts.storenames import StoreLookup, query_literal
from groupkg.graph.model import local_id
from groupkg.graph.store import Store

if TYPE_CHECKING:
    import numpy as np

__all__ = ["LabelIndex", "search", "search_in_store", "search_rank"]

#: Search-only ranks after the levels of the rules.
PREFIX, WORD_PREFIX, SUBSTRING, LOOSE = 4, 5, 6, 7


def search_rank(candidate: Candidate, text: str) -> tuple[int, str] | None:
    """How well ``candidate`` matches search ``text``, and the name that matches best:
    a level (0-3) as for resolving, then a search-only rank (4-7); None for no match."""
    wanted = query_keys(text)
    if not wanted[NAME]:
        return None
    lid = local_id(candidate.id)
    iris = (candidate.id, *candidate.records)  # a merged entity's records name it too
    hits = [(IRI, wanted[IRI])] if wanted[IRI] in iris else []
    hits += [(NAME, n) for n in [*candidate.names, *candidate.identifiers]
             if fold(n) == wanted[NAME]]  # fmt: skip
    hits += [(LOCAL_ID, local_id(i)) for i in iris if fold(local_id(i)) == wanted[LOCAL_ID]]
    hits += [(SHORT, n) for n in candidate.names
             if wanted[SHORT] and without_legal_form(n) == wanted[SHORT]]  # fmt: skip
    if hits:
        return min(hits)
    part, loose = wanted[NAME], letters_and_digits(text)
    for name in [*candidate.names, lid]:
        shown = fold(name)
        if shown.startswith(part):
            hits.append((PREFIX, name))
        elif any(word.startswith(part) for word in shown.split()):
            hits.append((WORD_PREFIX, name))
        elif part in shown:
            hits.append((SUBSTRING, name))
        elif loose and loose in letters_and_digits(name):
            hits.append((LOOSE, name))
    return min(hits) if hits else None


def search(
    candidates: Iterable[Candidate], text: str, limit: int = 20
) -> list[tuple[Candidate, str]]:
    """The candidates matching ``text``, best first, each with the name that matched
    best; an empty ``text`` gives the first ``limit`` by label."""
    found: list[tuple[int, str, str, Candidate, str]] = []
    for candidate in candidates:
        hit = search_rank(candidate, text) if fold(text) else (SUBSTRING, candidate.label)
        if hit is not None:
            found.append((hit[0], candidate.label.lower(), candidate.id, candidate, hit[1]))
    found.sort(key=lambda hit: hit[:3])
    return [(candidate, matched) for _, _, _, candidate, matched in found[:limit]]


class LabelIndex:
    """The label and local id of every entity of a store, searchable by substring: what
    :func:`search_in_store` reads instead of scanning the store for them.

    ``entities`` holds ``(IRI, label, kind)`` of every entity (the cached time model of
    an ``oxigraph:PATH`` store has them).
    """

    def __init__(self, entities: Iterable[tuple[str, str, str]]):
        self.entities = list(entities)
        texts = [t for e, label, _ in self.entities for t in (label, local_id(e))]
        self._blobs: dict[bool, tuple[str, np.ndarray]] = {}
        self._texts = texts

    def _blob(self, loose: bool) -> tuple[str, np.ndarray]:
        import numpy as np

        if loose not in self._blobs:
            parts = [letters_and_digits(t) if loose else t.lower() for t in self._texts]
            starts = np.cumsum([0, *(len(p) + 1 for p in parts)])[:-1]
            self._blobs[loose] = ("\n".join(parts), starts)
        return self._blobs[loose]

    def holding(self, key: str, loose: bool) -> list[tuple[str, str, str]]:
        """The entities whose label or local id holds ``key``: with ``loose``, in their
        letters and digits (:func:`~groupkg.graph.facts.namekeys.letters_and_digits`),
        else in lower case."""
        import numpy as np

        blob, starts = self._blob(loose)
        found = [m.start() for m in re.finditer(re.escape(key), blob)]
        if not found:
            return []
        rows = np.unique(np.searchsorted(starts, np.array(found), side="right") - 1) // 2
        return [self.entities[int(r)] for r in rows]


def search_in_store(
    store: Store, text: str, index: LabelIndex, limit: int = 20
) -> list[tuple[Candidate, str]]:
    """:func:`search` over the entities of a store, read for the text: the same answer
    as :func:`search` over every entity of the store, without reading every entity.

    Every rank needs a name or the local id holding the letters and digits of the text
    less its legal forms (or, when it has none, the longest word of it), or an
    identifier spelled as the name levels look it up
    (:func:`~groupkg.graph.facts.storenames.lookup`). Labels and local ids are found in
    ``index``; legal names and aliases by a scan of the store, and identifiers by the
    store's indexes; the entities found by the store are read
    (:class:`~groupkg.graph.facts.storenames.StoreLookup`), and all are ranked by :func:`search`.
    """
    if not askable(text):
        return []
    folded = fold(text)
    if not folded:
        first = heapq.nsmallest(limit, index.entities, key=lambda e: (e[1].lower(), e[0]))
        return search((Candidate(e, label, kind=kind) for e, label, kind in first), text, limit)
    asked = StoreLookup(store, text)
    asked.read_iri()
    asked.ask_spellings()
    short = without_legal_form(text)
    key, loose = letters_and_digits(short), True
    if not key:  # punctuation only: the name holds it as it is
        key, loose = max(folded.split(), key=len), False
    strip = r"[^\p{L}\p{N}]" if loose else r"\s"

    def holds(name: str) -> bool:
        return key in (letters_and_digits(name) if loose else "".join(name.lower().split()))

    asked.ask_names("names-search", holds, strip=query_literal(strip), key=query_literal(key))
    found = dict(asked.table.by_id)
    for entity, label, kind in index.holding(key, loose):
        if entity not in found:
            found[entity] = Candidate(entity, label, kind=kind)
    return search(found.values(), text, limit)
