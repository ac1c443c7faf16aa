"""Programs the tests start, found the way a fresh clone has them, and the modules a
fresh interpreter loads.

``make test`` runs ``.venv/bin/python -m pytest`` without the virtual environment's
``bin`` folder on PATH, so a program installed into it (the ``oxigraph`` server from
the PyPI package of that name) is looked for beside the running interpreter first,
and only then on PATH.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path

__all__ = ["executable", "free_port", "loaded_by"]


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


def loaded_by(code: str, modules: tuple[str, ...]) -> list[str]:
    """Which of ``modules`` a fresh interpreter has loaded once it has run ``code``."""
    check = f"{code}\nimport sys\nprint(','.join(m for m in {modules!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", check], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return [m for m in done.stdout.strip().split(",") if m]
