"""A register saved as a folder of ``.npy`` files, and the cache beside an on-disk store.

A saved register is a folder holding one ``.npy`` file per array and ``model.json``
(the cache key and the names of the arrays). Reopening it maps each file with
``numpy.load(..., mmap_mode="r")``: nothing is read until a question reads it, so a
register of millions of rows opens in milliseconds. The folder is written under a
temporary name and renamed into place, so a reader finds a whole register or none; a
reader that sees the folder replaced while it opens it starts again.

Beside an ``oxigraph:PATH`` store the cache is ``PATH.model/``, keyed by
:func:`cache_key`: the store's committed imports and the mark every write renews; the
register of what was known on an earlier day is ``PATH.model.known-DAY/``
(:func:`known_path`), under the same key.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

import numpy as np

from groupkg.graph.store import OxigraphStore, Store
from groupkg.graph.timemodel.columns import REQUIRED

__all__ = [
    "FORMAT",
    "cache_key",
    "cache_path",
    "discard",
    "finish",
    "known_path",
    "load",
    "save",
    "write_arrays",
]

# 4: loose name keys; 5: records of one entity merged; 6: knowledge time
FORMAT = "groupkg-register-7"
_META = "model.json"
_NAMES = "arrays.json"  # of a folder written, its key still to come
_ATTEMPTS = 3  # a folder replaced while read, again and again: read as missing


def cache_path(store: Store, cache: bool | str | os.PathLike[str]) -> Path | None:
    """Where the register of ``store`` is cached: ``PATH.model`` beside an
    ``oxigraph:PATH`` store when ``cache`` is True, ``cache`` itself when a path, else
    nowhere (None)."""
    if cache is False:
        return None
    if cache is not True:
        return Path(cache)
    if isinstance(store, OxigraphStore) and store.description.startswith("oxigraph:"):
        folder = Path(store.description.partition(":")[2])
        return folder.with_name(folder.name + ".model")
    return None


def known_path(path: Path | None, day: _dt.date) -> Path | None:
    """Where the register of what was known on ``day`` is cached beside the register
    cached at ``path`` (``PATH.model.known-DAY``; before every knowledge date,
    ``known-0001-01-01``); nowhere when that is."""
    return None if path is None else path.with_name(f"{path.name}.known-{day.isoformat()}")


def cache_key(store: Store) -> str:
    """What the register of a store depends on: its committed imports and the mark
    every write through groupkg renews (an update that keeps the number of triples
    changes it too). A store no write has marked (made by an older groupkg) is keyed on
    its size as well.
    """
    if not isinstance(store, OxigraphStore):
        return ""
    key: dict[str, Any] = {
        "format": FORMAT,
        "imports": [graph.value for graph in store.committed_imports()],
        "written": store.generation,
    }
    if not key["written"]:
        key["triples"] = len(store)
    return json.dumps(key)


def save(arrays: dict[str, np.ndarray], path: Path, key: str) -> Path:
    """Write ``arrays`` and ``key`` as the folder ``path``, replacing what was there."""
    return finish(write_arrays(arrays, path), path, key)


def write_arrays(arrays: dict[str, np.ndarray], path: Path) -> Path:
    """Write ``arrays`` into a new folder beside ``path``, not yet a register anyone
    reads (no key): :func:`finish` makes it the register at ``path``. Returns the folder."""
    partial = path.with_name(f"{path.name}.{uuid.uuid4().hex}.part")
    try:
        partial.mkdir()
        for name, array in arrays.items():
            np.save(partial / f"{name}.npy", np.asarray(array), allow_pickle=False)
        (partial / _NAMES).write_text(json.dumps(sorted(arrays)), encoding="utf-8")
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return partial


def finish(partial: Path, path: Path, key: str) -> Path:
    """Give the folder :func:`write_arrays` wrote its ``key`` and rename it to ``path``
    (a reader finds the whole register or none); the folder is removed should that fail."""
    try:
        names = json.loads((partial / _NAMES).read_text(encoding="utf-8"))
        (partial / _NAMES).unlink()
        meta = {"key": key, "arrays": names}
        (partial / _META).write_text(json.dumps(meta), encoding="utf-8")
        _rename_into_place(partial, path)
    finally:
        if partial.exists():
            shutil.rmtree(partial, ignore_errors=True)
    return path


def discard(partial: Path) -> None:
    """Remove a folder :func:`write_arrays` wrote that will not be a register."""
    shutil.rmtree(partial, ignore_errors=True)


def _rename_into_place(partial: Path, path: Path) -> None:
    """Rename the folder ``partial`` to ``path``: at once when nothing is there, else
    after renaming the old one aside (a folder is not replaced by a rename)."""
    for _ in range(_ATTEMPTS):
        try:
            os.rename(partial, path)
            return
        except OSError:
            if not os.path.lexists(path):
                raise
        aside = path.with_name(f"{path.name}.{uuid.uuid4().hex}.old")
        try:
            os.rename(path, aside)
        except FileNotFoundError:
            continue  # another writer moved it: try again
        if aside.is_dir() and not aside.is_symlink():
            shutil.rmtree(aside, ignore_errors=True)
        else:
            aside.unlink(missing_ok=True)
    os.rename(partial, path)


def load(path: Path) -> tuple[dict[str, np.ndarray], str]:
    """The arrays of the register saved at ``path``, as read-only memory maps, and its
    key.

    Raises
    ------
    OSError, ValueError, KeyError
        Nothing there, a register partly missing or not one at all.
    """
    for _ in range(_ATTEMPTS):
        before = os.stat(path)
        arrays, key = _read(path)
        after = os.stat(path)
        # The same folder from first to last: not one renamed into place meanwhile.
        if (before.st_ino, before.st_dev) == (after.st_ino, after.st_dev):
            return arrays, key
    raise OSError(f"{path}: replaced while read")


def _read(path: Path) -> tuple[dict[str, np.ndarray], str]:
    meta = json.loads((path / _META).read_text(encoding="utf-8"))
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: not a saved register")
    key, names = meta.get("key"), meta.get("arrays")
    if not isinstance(key, str) or not isinstance(names, list):
        raise ValueError(f"{path}: not a saved register")
    arrays = {}
    folder = os.path.abspath(path)  # a text path: numpy resolves a Path for every file
    for name in names:
        if not isinstance(name, str) or not name.isidentifier():
            raise ValueError(f"{path}: {name!r} is not an array of a register")
        mapped = np.load(os.path.join(folder, name + ".npy"), mmap_mode="r", allow_pickle=False)
        # A plain view of the map: answers built from it are plain arrays.
        arrays[name] = mapped.view(np.ndarray)
    for name in REQUIRED:
        if name not in arrays:
            raise KeyError(name)
    return arrays, key
