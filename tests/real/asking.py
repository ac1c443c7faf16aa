"""Asking a store a question through the command line, as a user would, for the tests
of real samples."""

from __future__ import annotations

import json
from typing import Any

from click.testing import CliRunner

from groupkg.graph.cli import cli

__all__ = ["ask"]


def ask(store: str, *args: str) -> dict[str, Any]:
    """The ``--json`` answer of ``groupkg ARGS`` on ``store`` (no bundled data)."""
    result = CliRunner().invoke(cli, ["--store", store, "--no-default-data", "--json", *args])
    assert result.exit_code in (0, 1), result.output  # 1: nothing found, still an answer
    return json.loads(result.output)
