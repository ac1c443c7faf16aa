"""The fuzz suite's session record: how many cases ran, of what, and for how long.

At the end of a session that ran fuzz cases, the counts and the seconds spent in
the cases are written as JSON to ``$GROUPKG_FUZZ_STATS`` (default
``/tmp/groupkg-fuzz-<profile>.json``), so that the figures the README gives come
from a real run.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fuzz.harness import COUNTS, MODE, SECONDS


@pytest.fixture(scope="session", autouse=True)
def fuzz_record() -> Iterator[None]:
    before, spent = COUNTS.copy(), SECONDS.copy()
    yield
    ran, took = COUNTS - before, SECONDS - spent
    if not ran:
        return
    path = Path(os.environ.get("GROUPKG_FUZZ_STATS", f"/tmp/groupkg-fuzz-{MODE}.json"))
    record = {
        "profile": MODE,
        "cases": sum(ran.values()),
        "seconds_in_cases": round(sum(took.values()), 1),
        "targets": {t: {"cases": n, "seconds": round(took[t], 1)} for t, n in sorted(ran.items())},
        "finished": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        path.write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    except OSError as exc:  # a read-only /tmp must not fail the run
        print(f"fuzz record not written to {path}: {exc}")
