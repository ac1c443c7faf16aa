"""The names of a time model's entities, indexed by the keys of :mod:`groupkg.graph.facts.namekeys`.

A store of a million entities cannot be scanned for a name at every question (an
on-disk Oxigraph store took seconds for a local id), and the look-ups a store can do
by its own indexes find only some spellings of a name. The time model
(:class:`~groupkg.graph.timemodel.register.Register`) is built from every entity's names, so it
keeps them here as :func:`~groupkg.graph.facts.namekeys.name_keys` gives them: for each level
(name, local id, loose name), the keys sorted as UTF-8 bytes, each with
the position of its entity. A name is then found by binary search at each level in
turn, in the memory map of the saved model, and the level that matches first decides,
as :class:`~groupkg.graph.facts.names.NameTable` decides over a loaded dataset: every store
with a saved model resolves a name as the memory store does.

Examples
--------
>>> from groupkg.graph.facts.namekeys import Candidate, NAME, LOCAL_ID
>>> arrays = build([Candidate("https://example.org/iij-exlayer", "IIJ Exlayer Inc."),
...                 None, Candidate("https://example.org/acme", "Acme")])
>>> index = NameIndex(arrays)
>>> index.find(NAME, "iij exlayer inc."), index.find(LOCAL_ID, "acme"), index.find(NAME, "x")
([0], [2], [])
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from groupkg.graph.facts.namekeys import LOCAL_ID, NAME, SHORT, Candidate, name_keys

__all__ = ["NameIndex", "build"]

_LEVELS = (NAME, LOCAL_ID, SHORT)


def _prefix(level: int) -> str:
    return f"names{level}"


def build(candidates: Iterable[Candidate | None]) -> dict[str, np.ndarray]:
    """The arrays of the index of ``candidates``, positions counted in their order (None:
    a position no name finds)."""
    keyed: dict[int, list[tuple[bytes, int]]] = {level: [] for level in _LEVELS}
    for position, candidate in enumerate(candidates):
        if candidate is None:
            continue
        keys = name_keys(candidate)
        for level in _LEVELS:
            keyed[level].extend((key.encode(), position) for key in keys[level] if key)
    arrays: dict[str, np.ndarray] = {}
    for level, rows in keyed.items():
        rows.sort()
        blob = b"".join(key for key, _ in rows)
        lengths = np.fromiter((len(key) for key, _ in rows), dtype=np.int64, count=len(rows))
        offsets = np.zeros(len(rows) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        arrays[_prefix(level) + "_blob"] = np.frombuffer(blob, dtype=np.uint8).copy()
        arrays[_prefix(level) + "_offsets"] = offsets
        arrays[_prefix(level) + "_positions"] = np.fromiter(
            (position for _, position in rows), dtype=np.int32, count=len(rows)
        )
    return arrays


class NameIndex:
    """Binary search over the sorted keys of each level (see the module)."""

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._levels = {
            level: (
                arrays[_prefix(level) + "_blob"],
                arrays[_prefix(level) + "_offsets"],
                arrays[_prefix(level) + "_positions"],
            )
            for level in _LEVELS
        }

    @staticmethod
    def present(arrays: dict[str, np.ndarray]) -> bool:
        """Whether ``arrays`` (a saved model's) hold an index."""
        return all(_prefix(level) + "_positions" in arrays for level in _LEVELS)

    def find(self, level: int, key: str) -> list[int]:
        """The positions of the entities with ``key`` at ``level``, in order."""
        if level not in self._levels or not key:
            return []
        blob, offsets, positions = self._levels[level]
        wanted = key.encode()

        def at(i: int) -> bytes:
            return bytes(blob[offsets[i] : offsets[i + 1]])

        low, high = 0, len(positions)
        while low < high:  # the first key >= wanted
            middle = (low + high) // 2
            if at(middle) < wanted:
                low = middle + 1
            else:
                high = middle
        found = []
        while low < len(positions) and at(low) == wanted:
            found.append(int(positions[low]))
            low += 1
        return sorted(found)
