"""docs/pictures.md shows every screenshot scripts/screenshots.py makes, and they exist."""

from __future__ import annotations

import importlib.util
import re
import struct
from pathlib import Path

REPO = Path(__file__).parents[2]
PAGE = REPO / "docs" / "pictures.md"


def shots() -> list[tuple[str, str, dict, str | None]]:
    spec = importlib.util.spec_from_file_location(
        "screenshots", REPO / "scripts" / "screenshots.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.SHOTS


def test_the_page_shows_each_screenshot_with_its_command():
    text = PAGE.read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]*\]\(pictures/([\w.-]+\.png)\)", text)
    assert shown == [name for name, *_ in shots()]
    for _name, what, _options, _state in shots():
        assert what.split(": ", 1)[1] in text


def test_each_screenshot_is_a_small_png():
    for name, *_ in shots():
        data = (REPO / "docs" / "pictures" / name).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n", name
        width, height = struct.unpack(">II", data[16:24])
        assert (width, height) == (1100, 760), name
        assert len(data) < 200_000, f"{name} is {len(data)} bytes"
