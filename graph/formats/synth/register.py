"""A synthetic register run from its seed: the groups drawn one after another and
written as they come, to a stream of N-Triples lines or to a file (gzipped or not)
that appears only when complete.
"""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from groupkg.graph.errors import InputError
from groupkg.graph.formats.synth.atomic import whole_file
from groupkg.graph.formats.synth.draws import GroupDraws, group_sizes, uniforms
from groupkg.graph.formats.synth.lei import Leis
from groupkg.graph.formats.synth.ntriples import NTriplesWriter

__all__ = ["MAX_ENTITIES", "Register", "synthesize", "write_synth"]

_SUFFIXES = (".nt", ".nt.gz")
_GZIP_LEVEL = 3  # 16x smaller; about 3x faster than level 6 for 20% more bytes
_PROGRESS_STEP = 10_000
# The command line's ceiling: about a billion triples, hours of writing. A number past
# it is a slip of the keyboard, which would otherwise run until the disk is full.
MAX_ENTITIES = 100_000_000


class Register:
    """One synthesis run: the draws, the numbering of facts and the counts."""

    def __init__(self, entities: int, seed: int):
        sizes, draws, leis = np.random.SeedSequence(seed).spawn(3)
        self.entities = entities
        self.seed = seed
        self.sizes = group_sizes(entities, np.random.default_rng(sizes))
        self.draws = GroupDraws(uniforms(np.random.default_rng(draws)))
        self.counts = {"entities": 0, "groups": 0, "holdings": 0, "relations": 0,
                       "events": 0, "triples": 0}  # fmt: skip
        self.writer = NTriplesWriter(Leis(np.random.default_rng(leis)), self.counts)

    def chunks(self) -> Iterator[str]:
        """The source's triples, then each group's, as text of whole N-Triples lines."""
        chunk = self.writer.source(self.entities, self.seed)
        self.counts["triples"] += chunk.count("\n")
        yield chunk
        first = 0
        for size in self.sizes:
            if size == 1:  # most groups: one company, nothing to draw but its birth
                chunk = self.writer.company(first, self.draws.incorporation(), None)
            else:
                chunk = self.writer.group(first, self.draws.group(size))
            self.counts["triples"] += chunk.count("\n")
            self.counts["entities"] += size
            self.counts["groups"] += 1
            yield chunk
            first += size


def _check(entities: int, seed: int) -> None:
    if isinstance(entities, bool) or not isinstance(entities, int) or entities < 1:
        raise ValueError(f"entities must be a positive integer, not {entities!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")


def synthesize(entities: int, seed: int) -> Iterator[str]:
    """Yield the N-Triples lines of a synthetic register of ``entities`` entities.

    Parameters
    ----------
    entities
        How many entities (companies and the natural persons on top of some groups).
    seed
        The seed of every random draw; the same seed gives the same lines.

    Yields
    ------
    str
        One triple a line, ending in a newline: first the register's ``gk:Source``,
        then group after group its entities, holdings, reported consolidations and
        merger events.

    Raises
    ------
    ValueError
        When ``entities`` is not a positive integer or ``seed`` a non-negative one.

    Examples
    --------
    >>> lines = list(synthesize(50, seed=1))
    >>> lines == list(synthesize(50, seed=1))
    True
    >>> sum("rdf-schema#label" in line for line in lines)  # one label an entity
    50
    >>> lines[5].split()[0]
    '<https://w3id.org/groupkg/data/synth/e0>'
    """
    _check(entities, seed)
    chunks = Register(entities, seed).chunks()
    return (line for chunk in chunks for line in chunk.splitlines(keepends=True))


def write_synth(
    path: str | os.PathLike[str],
    entities: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic register to ``path``: N-Triples (``.nt``) or gzipped (``.nt.gz``).

    The file appears only when complete (it is written beside the target, then
    renamed), and the same ``entities`` and ``seed`` give a byte-identical file, gzip
    included (no time stamp or name in its header).

    Parameters
    ----------
    path
        The file to write; its suffix chooses plain or gzipped N-Triples.
    entities, seed
        As for :func:`synthesize`.
    progress
        Called with the number of entities written so far, every 10,000 or so and at
        the end.

    Returns
    -------
    dict
        ``entities``, ``groups``, ``holdings``, ``relations`` (direct and ultimate
        consolidations), ``events`` (mergers) and ``triples`` written.

    Raises
    ------
    InputError
        When the suffix is neither ``.nt`` nor ``.nt.gz``, or the file cannot be written.
    ValueError
        As for :func:`synthesize`.
    """
    _check(entities, seed)
    target = Path(path)
    if not target.name.lower().endswith(_SUFFIXES):
        raise InputError(f"{target}: write .nt or .nt.gz")
    register = Register(entities, seed)
    with whole_file(target) as raw:
        if target.name.lower().endswith(".gz"):
            # No name and no time stamp in the header, so the bytes depend on the seed only.
            with gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0,
                               compresslevel=_GZIP_LEVEL) as packed:  # fmt: skip
                _write_chunks(packed, register, progress)
        else:
            _write_chunks(raw, register, progress)
    if progress is not None:
        progress(register.counts["entities"])
    return dict(register.counts)


def _write_chunks(out: io.BufferedIOBase, register: Register,
                  progress: Callable[[int], None] | None) -> None:  # fmt: skip
    pending: list[str] = []
    size = reported = 0
    for chunk in register.chunks():
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            out.write("".join(pending).encode())
            pending, size = [], 0
            done = register.counts["entities"]
            if progress is not None and done - reported >= _PROGRESS_STEP:
                progress(done)
                reported = done
    out.write("".join(pending).encode())
