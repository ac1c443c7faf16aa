"""The public API's type hints as a user's type checker reads them: mypy, strict, on
``typing_use.py`` (the API called as a user calls it) passes, and on wrong calls fails."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
ROOT = HERE.parents[1]

WRONG = """\
from groupkg.graph import Group, as_day, open_store


def wrong(group: Group) -> None:
    group.owners("IIJ", 2013)
    as_day(None)
    open_store(["memory"])
"""


def test_mypy_accepts_the_public_api_used_as_documented_and_refuses_wrong_calls(tmp_path):
    # The package as an install lays it out (groupkg/graph, groupkg/viz), which mypy
    # finds where an editable install's import hook hides it.
    (tmp_path / "groupkg").mkdir()
    for package in ("graph", "viz"):
        (tmp_path / "groupkg" / package).symlink_to(ROOT / package, target_is_directory=True)
    wrong = tmp_path / "wrong_use.py"
    wrong.write_text(WRONG, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--follow-imports=silent",
         "--cache-dir", str(tmp_path / "cache"), "--no-error-summary",
         str(HERE / "typing_use.py"), str(wrong)],
        capture_output=True, text=True, cwd=tmp_path, env={"MYPYPATH": str(tmp_path)},
    )  # fmt: skip
    lines = done.stdout.splitlines()
    assert [line for line in lines if "typing_use.py" in line] == [], done.stdout
    refused = sorted(int(line.split(":")[1]) for line in lines if ": error:" in line)
    assert refused == [5, 6, 7], done.stdout + done.stderr
