"""A generated file written beside its target and renamed only when complete, so that
a run stopped half-way leaves no file that looks whole."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from groupkg.graph.errors import InputError

__all__ = ["whole_file"]


@contextlib.contextmanager
def whole_file(target: Path, mode: str = "wb", **options: Any) -> Iterator[IO[Any]]:
    """The open ``TARGET.part``, renamed ``target`` once the block ends without an
    error; any error removes it, and one of the file system is an InputError."""
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, mode, **options) as out:
            yield out
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write it ({exc.strerror or exc})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
