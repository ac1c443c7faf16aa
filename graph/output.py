"""Files the program writes for a user (``export -o``, ``parents -o``, ``render -o``):
whole or not at all.

The text goes to a temporary file in the same folder, which is renamed over the
target only once every byte is written and flushed to disk. A full disk, a missing
folder or a folder the user may not write leaves the target as it was (absent, or
its old contents) and no temporary file behind, and is reported in one line. A target
that is not a regular file (``/dev/stdout``, a named pipe) is written directly: it
cannot be renamed over, and it holds nothing to keep.
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from groupkg.graph.errors import InputError

__all__ = ["write_output", "xml_safe"]

# What XML 1.0 cannot carry at all, not even as a character reference: C0 controls
# other than tab, line feed and carriage return, lone surrogates, U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe(text: str) -> str:
    """``text`` with each character XML 1.0 cannot carry written as a visible escape,
    ``\\xNN`` or ``\\uNNNN`` (``"a\\x1bb"`` for ``"a"``, ESC, ``"b"``), so that a
    document holding it stays well-formed. Everything else is left as it is.

    >>> print(xml_safe("Acme\\x1b[2J\\x00 Ltd"))
    Acme\\x1b[2J\\x00 Ltd
    """
    return _NOT_XML.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


Writer = Callable[[BinaryIO], None]


def write_output(path: str | Path, data: bytes | str | Writer, option: str = "-o") -> Path:
    """Write ``data`` to ``path`` whole or not at all: bytes, text (written as UTF-8),
    or a function that writes to the binary stream it is given (a large file, streamed).

    Raises
    ------
    InputError
        Naming ``option`` and the path, and why it cannot be written; the target is
        then as it was.
    """
    target = Path(path)
    body = data.encode("utf-8") if isinstance(data, str) else data

    def write(stream: BinaryIO) -> None:
        if isinstance(body, bytes):
            stream.write(body)
        else:
            body(stream)

    try:
        if target.exists() and not target.is_file():
            if target.is_dir():
                raise InputError(f"{option} {target}: cannot write it (it is a folder)")
            with open(target, "wb") as stream:
                write(stream)
            return target
        folder = target.parent
        if not folder.is_dir():
            raise InputError(f"{option} {target}: cannot write it (no folder {str(folder)!r})")
        handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=folder)
        partial = Path(name)
        try:
            with open(handle, "wb") as stream:
                write(stream)
                stream.flush()
                os.fsync(stream.fileno())
            if target.exists():  # keep the old file's permissions
                with contextlib.suppress(OSError):
                    os.chmod(partial, target.stat().st_mode & 0o7777)
            else:
                os.chmod(partial, 0o666 & ~_umask())
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise InputError(f"{option} {target}: cannot write it ({exc.strerror or exc})") from None
    return target


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
