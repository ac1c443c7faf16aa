"""Fixtures shared by the test suite: stores, groups and the shared reference folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from groupkg.graph.group import Group
from groupkg.graph.inputs import add_files
from groupkg.graph.store import open_store

TESTS = Path(__file__).parent
REPO = TESTS.parent


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """``../shared`` beside the checkout: seeds and format references."""
    path = REPO.parent / "shared"
    if not path.is_dir():
        pytest.fail(f"the shared reference folder is missing: {path}")
    return path


def group_from(*files: Path, default_data: bool = False) -> Group:
    """A group in a fresh memory store holding the ontology and ``files``."""
    store = open_store("memory", default_data=default_data)
    if files:
        add_files(store, list(files))
    return Group(store)


@pytest.fixture(scope="session")
def toy_group() -> Group:
    return group_from(TESTS / "data" / "toygroup.ttl")


@pytest.fixture(scope="session")
def iij() -> Group:
    """The bundled IIJ group in the default memory store."""
    return Group(open_store("memory"))
