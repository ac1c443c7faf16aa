"""What a Python user finds on the package: its version, and every public name."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys

import groupkg.graph as gk


def test_the_version_is_the_installed_distribution_s():
    assert gk.__version__ == importlib.metadata.version("groupkg")
    assert gk.__version__.count(".") >= 2


def test_a_star_import_gives_every_public_name():
    code = "from groupkg.graph import *\nprint(__version__, as_day('2013-12-31'), UnknownName)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[:2] == [gk.__version__, "2013-12-31"]
