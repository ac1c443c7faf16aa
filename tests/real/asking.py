"""Asking a store a question through the command line, as a user would, for the tests
of real samples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from groupkg.graph.cli import cli

__all__ = ["ask", "imported"]


def ask(store: str, *args: str) -> dict[str, Any]:
    """The ``--json`` answer of ``groupkg ARGS`` on ``store`` (no bundled data)."""
    result = CliRunner().invoke(cli, ["--store", store, "--no-default-data", "--json", *args])
    assert result.exit_code in (0, 1), result.output  # 1: nothing found, still an answer
    return json.loads(result.output)


def imported(folder: Path, *files: Path) -> str:
    """An on-disk store in ``folder`` holding ``files``, each imported as a user would,
    by content; its ``--store`` option value."""
    spec = f"oxigraph:{folder / 'store'}"
    for path in files:
        result = CliRunner().invoke(
            cli, ["--store", spec, "--no-default-data", "import", "--quiet", str(path)]
        )
        assert result.exit_code == 0, result.output
    return spec
