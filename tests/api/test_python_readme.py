"""The README's "Python and notebooks" section runs as written and says what it prints.

Its ``pycon`` blocks are doctests, run in order in one namespace, in a folder that
holds the section's ``csv`` block as ``holdings.csv``.
"""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

README = Path(__file__).parents[2] / "README.md"


def section(title: str) -> str:
    text = README.read_text(encoding="utf-8")
    found = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", text, re.S | re.M)
    assert found is not None, f"the README has no section {title!r}"
    return found.group(1)


def blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```$", text, re.S | re.M)


def test_the_python_section_runs_as_written(tmp_path, monkeypatch):
    text = section("Python and notebooks")
    (csv,) = blocks(text, "csv")
    monkeypatch.chdir(tmp_path)
    (tmp_path / "holdings.csv").write_text(csv, encoding="utf-8")
    examples = "\n".join(blocks(text, "pycon"))
    test = doctest.DocTestParser().get_doctest(examples, {}, "README", str(README), 0)
    assert len(test.examples) >= 15
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    reports: list[str] = []
    runner.run(test, out=reports.append)
    if reports:
        pytest.fail("".join(reports), pytrace=False)
    assert (tmp_path / "iij-2014.html").is_file()


def test_the_section_links_to_the_example_notebook():
    text = section("Python and notebooks")
    for link in re.findall(r"\]\(((?:docs|data)/[^)#]+)\)", text):
        assert (README.parent / link).is_file(), link
