"""``groupkg import``: bring a file of any supported format into a store, all or nothing.

Every format is first turned into N-Triples in a temporary file, checking every record
on the way; only a file with no bad record reaches the store, in one step the store
applies whole (see :meth:`groupkg.graph.store.OxigraphStore.import_ntriples`). GLEIF
files and RDF are streamed: memory stays flat however many rows or triples they have.
An N-Triples file bound for ``oxigraph:PATH`` goes straight to the bulk loader, which
checks it as it reads: a bad line leaves the store as it was.

An import into an ``oxigraph:PATH`` store that held little before (a new store, say)
also builds the store's time model (:class:`~groupkg.graph.timemodel.register.Register`) and
saves it beside the store: on a second thread, from the N-Triples it loads and what
the store held, while the bulk loader writes the same triples to disk: the facts are
read from the file's lines (:mod:`~groupkg.graph.facts.ntfacts`). The first question
after the import then opens the model instead of reading every fact back out of the
store, which on disk costs several times the import. An import into a larger store,
or of a file whose model would take more than half the memory the machine has free,
leaves the model to the first question (it reads the whole store once).

What a BODS, CSV or GLEIF file gives that says nothing of when it became known is
known from the import on (:mod:`~groupkg.graph.formats.importtime`).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
import threading
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from groupkg.graph.errors import InputError
from groupkg.graph.formats.fileguard import check_rdf
from groupkg.graph.formats.importtime import stamp_import_time
from groupkg.graph.formats.readers import Read
from groupkg.graph.formats.registry import FileFormat, by_name, format_of, readable_names
from groupkg.graph.store import STAGING_PREFIX, OxigraphStore, Store

__all__ = ["import_file", "import_read", "guess_format"]


def guess_format(path: Path) -> FileFormat:
    """The import format of a file from its name and content (see
    :func:`~groupkg.graph.formats.registry.format_of`), or an InputError saying to name it."""
    found = format_of(path)
    if found is None or not found.readable:
        raise InputError(
            f"{path}: cannot tell its format; give --format ({', '.join(readable_names())})"
        )
    return found


# A store holding at most this many triples is copied beside an import to build its
# model there; a larger one would cost a read of the whole store, left to the first
# question (which does it once for any number of imports in a row).
MODEL_BASE_LIMIT = 200_000
# Nor is one beside a file whose model would take more than half the memory the machine
# has free: the model grows with the file, where the import itself keeps memory flat.
# It takes about this many bytes of memory per byte of N-Triples while it is built
# (5.3 GB from the 1.43 GB file of the 1M-entity synthetic register).
MODEL_BYTES_PER_FILE_BYTE = 4
# Where the free memory cannot be read, a file of at most this many bytes.
MODEL_FILE_LIMIT = 256 << 20


class _ModelBeside:
    """The time model of ``store`` as it will be once ``path`` is imported, built on a
    thread of its own while the import loads, from ``store``'s triples (copied now) and
    the file's lines (:func:`~groupkg.graph.facts.ntfacts.ntriples_facts`), read as
    :meth:`Register.from_store` would read a store holding them. Its arrays are written
    beside the store while the import still loads."""

    def __init__(self, store: OxigraphStore, path: Path):
        self.register: Any = None
        self.store = store
        # The model's arrays, written beside the store while the import still loads;
        # they become its cache once the import is committed.
        self.staged: Path | None = None
        self.cancelled = threading.Event()
        self.base = list(store.visible_triples())
        self.thread = threading.Thread(
            target=self._build, args=(path,), name="groupkg-model", daemon=True
        )
        self.thread.start()

    @classmethod
    def start(cls, store: Store, path: Path) -> _ModelBeside | None:
        """A builder for an on-disk store that held at most :data:`MODEL_BASE_LIMIT`
        triples and a file without blank nodes (which the two stores would name apart)
        whose model fits in memory (:func:`_model_fits`); else None."""
        if not isinstance(store, OxigraphStore) or store.path is None or store.read_only:
            return None
        if not _model_fits(path.stat().st_size):
            return None
        if len(store) > MODEL_BASE_LIMIT or _has_blank_nodes(path):
            return None
        return cls(store, path)

    def _build(self, path: Path) -> None:
        from groupkg.graph.facts.ntfacts import ntriples_facts
        from groupkg.graph.timemodel.register import Register

        try:
            dataset = ntriples_facts([path], self.base)
            self.base = []
            if self.cancelled.is_set():
                return
            register = Register.from_dataset(dataset, provenance=True)
            if self.cancelled.is_set():
                return
            self.register = register
            with contextlib.suppress(OSError):  # a read-only folder: saved at the end, or not
                self.staged = register.stage(self.store)
            if self.cancelled.is_set() and self.staged is not None:
                Register.discard_staged(self.staged)
        except (InputError, OSError, SyntaxError, ValueError):
            self.register = None  # the first question builds it, and reports what is wrong

    def save(self, store: Store) -> None:
        """Wait for the model; save it as the cache of ``store``, now holding the import."""
        from groupkg.graph.timemodel.register import Register

        self.thread.join()
        if self.register is None:
            return
        with contextlib.suppress(OSError):  # a read-only folder: the first question builds it
            if self.staged is not None:
                Register.attach_staged(self.staged, store)
            else:
                self.register.attach(store)

    def cancel(self) -> None:
        """The import failed: the model is of nothing, stop building it (and remove
        what it wrote)."""
        from groupkg.graph.timemodel.register import Register

        self.cancelled.set()
        if not self.thread.is_alive() and self.staged is not None:
            Register.discard_staged(self.staged)


def free_memory() -> int | None:
    """The bytes of memory the machine has available (Linux's ``MemAvailable``), or None
    where that cannot be read."""
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    return None


def _model_fits(size: int) -> bool:
    """Whether the model of an N-Triples file of ``size`` bytes may be built beside its
    import: it would take at most half the memory available (or, where that cannot be
    read, the file is at most :data:`MODEL_FILE_LIMIT` bytes)."""
    free = free_memory()
    if free is None:
        return size <= MODEL_FILE_LIMIT
    return size * MODEL_BYTES_PER_FILE_BYTE <= free // 2


def _has_blank_nodes(path: Path) -> bool:
    """Whether an N-Triples file may hold a blank node (``_:`` anywhere, a literal's
    text too: then it is left to the first question)."""
    tail = b""
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 24):
            if b"_:" in tail + chunk[:1]:
                return True
            if b"_:" in chunk:
                return True
            tail = chunk[-1:]
    return False


def _load(store: Store, path: Path, progress: Callable[..., None] | None) -> int:
    """``store.import_ntriples``, with the model built beside it where it can be."""
    model = _ModelBeside.start(store, path)
    try:
        count = store.import_ntriples(path, progress)
    except BaseException:
        if model is not None:
            model.cancel()
        raise
    if model is not None:
        model.save(store)
    return count


def import_file(store: Store, path: Path, fmt: str | None = None,
                progress: Callable[..., None] | None = None) -> int:  # fmt: skip
    """Import ``path`` into ``store``; return the number of triples written.

    See :func:`import_read`, which says what was read as well.
    """
    return import_read(store, path, fmt, progress).triples


def import_read(store: Store, path: Path, fmt: str | None = None,
                progress: Callable[..., None] | None = None) -> Read:  # fmt: skip
    """Import ``path`` into ``store``; return the number of triples written and, where
    the format says more, what was read (a BODS file's version and statements).

    ``progress`` is told ``(rows)`` while a file is read, then ``(bytes, total)`` while
    the store loads it.

    Raises
    ------
    InputError
        When the file cannot be read or has bad records (all of them are listed, each
        with its line or JSON pointer); the store is then exactly as it was.
    """
    if not path.is_file():
        raise InputError(f"{path}: no such file", file=str(path))
    found = by_name(fmt) if fmt else guess_format(path)
    assert found.reader is not None  # by_name and guess_format give readable formats only
    if found.name == "nt" and isinstance(store, OxigraphStore) and store.path is not None:
        check_rdf(path, ox.RdfFormat.N_TRIPLES)
        return Read(_load(store, path, progress))
    # Beside an on-disk store, the converted file goes into the store's folder: should
    # the import be killed, the next writer removes it with the rest of the import.
    folder = store.path if isinstance(store, OxigraphStore) else None
    handle, name = tempfile.mkstemp(prefix=STAGING_PREFIX, suffix=".nt", dir=folder)
    os.close(handle)
    staged = Path(name)
    try:
        read = found.reader(path, staged, store, progress)
        if not isinstance(read, Read):
            read = Read(read)
        if found.syntax is None:  # a format groupkg reads into records, not RDF as written
            stamps = stamp_import_time(staged, store, written=read.written)
            read = replace(read, triples=read.triples + len(stamps), written=None)
        _load(store, staged, progress)
        return read
    except OSError as exc:  # the staging file on a full disk, say
        raise InputError(
            f"{path}: the import failed, nothing of it was added ({exc.strerror or exc})"
        ) from None
    finally:
        staged.unlink(missing_ok=True)
