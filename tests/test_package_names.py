"""Every name ``groupkg.graph`` lists is there, imported from its home when first asked for."""

from __future__ import annotations

import subprocess
import sys

import pytest

import groupkg.graph


@pytest.mark.parametrize("name", groupkg.graph.__all__)
def test_every_public_name_of_the_package_is_found(name: str) -> None:
    value = getattr(groupkg.graph, name)
    assert getattr(value, "__name__", name) == name


def test_a_name_of_the_package_is_found_in_a_fresh_process() -> None:
    # The names are imported on first use: a new interpreter has none of them yet.
    code = "from groupkg.graph import Timeline, Stake, ultimate_parent; print(Timeline.__name__)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Timeline"
