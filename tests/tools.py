"""Programs the tests start, found the way a fresh clone has them.

``make test`` runs ``.venv/bin/python -m pytest`` without the virtual environment's
``bin`` folder on PATH, so a program installed into it (the ``oxigraph`` server from
the PyPI package of that name) is looked for beside the running interpreter first,
and only then on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
from pathlib import Path

__all__ = ["executable", "free_port"]


def executable(name: str) -> str | None:
    """The path of program ``name``: beside ``sys.executable`` first, else on PATH."""
    beside = Path(sys.executable).parent / name
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which(name)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
