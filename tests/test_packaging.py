"""What an install carries: every package folder of the source is listed in
pyproject.toml, so a wheel or a non-editable install holds every module."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_package_folder_is_listed_for_the_install():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    listed = set(setuptools["packages"])
    found = set()
    for name, folder in setuptools["package-dir"].items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder)
            found.add(".".join([name, *relative.parts]))
    assert found - listed == set(), "packages missing from pyproject.toml"
    assert listed - found == set(), "pyproject.toml lists packages that do not exist"


def test_the_typed_packages_ship_their_py_typed_marker():
    # PEP 561: without the marker a user's type checker ignores groupkg's hints
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = config["tool"]["setuptools"]
    for package in ("groupkg.graph", "groupkg.viz"):
        assert "py.typed" in setuptools["package-data"][package], package
        assert (ROOT / setuptools["package-dir"][package] / "py.typed").is_file(), package
