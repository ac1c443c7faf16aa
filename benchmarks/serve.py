"""Hot API answers of ``groupkg serve``, measured over HTTP on 127.0.0.1.

A ``groupkg serve`` process of its own is started on a free loopback port; one client
on one kept-alive connection asks a few distinct questions (``/api/owners`` and
``/api/paths`` of entities at dates) once each to warm the server, then cycles through
them for the measured requests: the latency a user of a running server sees for a
question it has been asked before (the worker's caches warm). Only 127.0.0.1 is
contacted, and the number of requests is bounded.

``python -m benchmarks.serve [--store oxigraph:PATH] [--requests 500]`` prints the
median and the 90th percentile.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import http.client
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.measure import spread

__all__ = ["IIJ_CALLS", "hot_api", "paths_of", "serving", "synth_calls", "viewer"]

# Questions about the bundled IIJ data (names as a user types them).
IIJ_CALLS = [
    ("owners", "IIJ Exlayer", "2013-12-31"),
    ("paths", "IIJ Exlayer USA", "2013-12-31"),
    ("owners", "IIJ Technology Inc.", "2003-06-30"),
    ("paths", "IIJ America Inc.", "2010-01-01"),
    ("owners", "Internet Initiative Japan Inc.", "2016-03-31"),
    ("paths", "IIJ Exlayer Inc.", "2013-12-31"),
]


class serving:  # noqa: N801 - used as a context manager, like open()
    """A ``groupkg serve`` process on 127.0.0.1 for the ``with`` block; its base URL.
    ``started`` is the seconds it took to answer its first request."""

    def __init__(self, options: Sequence[str], start_timeout: float = 900.0):
        self.options = list(options)
        self.start_timeout = start_timeout
        self.process: subprocess.Popen[bytes] | None = None
        self.log = tempfile.TemporaryFile()
        self.started = float("nan")

    def __enter__(self) -> str:
        """Start the server and wait for its first answer; a server that exits, or
        does not answer within ``start_timeout`` seconds, is stopped and reported
        (``RuntimeError``) with the end of what it printed."""
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        root = Path(__file__).resolve().parent.parent
        self.process = subprocess.Popen(
            [sys.executable, "-m", "groupkg.graph.cli.serve", "--host", "127.0.0.1",
             "--port", str(port), *self.options],
            stdout=self.log, stderr=subprocess.STDOUT, cwd=root,
        )  # fmt: skip
        begun = time.monotonic()
        give_up = begun + self.start_timeout
        try:
            while time.monotonic() < give_up:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"groupkg serve exited with code {self.process.returncode}: "
                        f"{self._printed()}"
                    )
                try:
                    status, _ = _get(("127.0.0.1", port), "/api/info", timeout=30)
                    if status == 200:
                        self.started = time.monotonic() - begun
                        return f"127.0.0.1:{port}"
                except OSError:
                    pass
                time.sleep(0.1)
            raise RuntimeError(
                f"groupkg serve did not answer /api/info within {self.start_timeout:g} s "
                f"of its start: {self._printed() or 'it printed nothing'}"
            )
        except BaseException:
            self.__exit__()
            raise

    def _printed(self) -> str:
        """The last lines the server printed."""
        self.log.flush()
        self.log.seek(0)
        lines = self.log.read().decode(errors="replace").strip().splitlines()
        self.log.seek(0, 2)
        return " | ".join(lines[-3:])[-600:]

    def __exit__(self, *exc: object) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def _get(address: tuple[str, int], path: str, timeout: float = 60) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(*address, timeout=timeout)
    try:
        connection.request("GET", path)
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def paths_of(calls: Sequence[tuple[str, str, str]]) -> list[str]:
    """``/api/ROUTE/NAME?at=DAY`` for each ``(route, name, day)``."""
    return [
        f"/api/{route}/{urllib.parse.quote(name, safe='')}?at={day}" for route, name, day in calls
    ]


def hot_api(
    base: str, paths: Sequence[str], requests: int = 500, budget: float | None = None
) -> dict[str, Any]:
    """Seconds of each of ``requests`` GETs cycling through ``paths`` on one kept-alive
    connection, after each path was asked once; their median, p90 and count, and
    ``first``: the median of the first asking of each path. Every answer must be a
    200. With ``budget`` (seconds), the first askings, then the measured requests,
    stop once that much time has gone (never fewer than one of each): a slow server
    bounds the run; ``asked`` and ``n`` say how many paths were asked and how many
    requests measured."""
    host, _, port = base.rpartition(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=120)
    began = time.perf_counter()
    try:

        def ask(path: str) -> float:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Accept": "application/json"})
            answer = connection.getresponse()
            answer.read()
            took = time.perf_counter() - start
            if answer.status != 200:
                raise RuntimeError(f"{path}: HTTP {answer.status}")
            return took

        def spent() -> bool:
            return budget is not None and time.perf_counter() - began > budget

        first = []  # the first answer of each warms the caches
        for path in paths:
            first.append(ask(path))
            if spent():
                break
        asked = paths[: len(first)]
        measured = []
        for i in range(requests):
            measured.append(ask(asked[i % len(asked)]))
            if spent():
                break
        found = spread(measured)
        found["first"] = spread(first)["median"]
        found["asked"] = len(asked)
    finally:
        connection.close()
    return found


def viewer(base: str, entity: str, day: str, picture: bool = False) -> float:
    """Seconds until the viewer's page has what it shows for ``entity`` on ``day``: the
    five JSON answers its ``show()`` asks for at once (entity, owners, holdings, paths,
    and the events a year either side), each on a connection of its own as a browser
    sends them; with ``picture``, the ``/view`` page of the group instead. Every
    answer must be a 200."""
    from concurrent.futures import ThreadPoolExecutor

    address = base.rpartition(":")
    where = (address[0], int(address[2]))
    name = urllib.parse.quote(entity, safe="")
    at = _dt.date.fromisoformat(day)

    def shifted(years: int) -> str:  # as the page's shiftYears: 29 February -> 1 March
        return (_dt.date(at.year + years, at.month, 1) + _dt.timedelta(at.day - 1)).isoformat()

    around = {"entity": entity, "from": shifted(-1), "to": shifted(1)}
    if picture:
        paths = [f"/view?{urllib.parse.urlencode({'entity': entity, 'at': day})}"]
    else:
        paths = [f"/api/{route}/{name}?at={day}" for route in ("entity", "owners", "holdings",
                                                             "paths")]  # fmt: skip
        paths.append(f"/api/events?{urllib.parse.urlencode(around)}")
    start = time.perf_counter()
    with ThreadPoolExecutor(len(paths)) as pool:
        answers = list(pool.map(lambda path: (path, *_get(where, path, 120)), paths))
    took = time.perf_counter() - start
    for path, status, body in answers:
        if status != 200:
            raise RuntimeError(f"{path}: HTTP {status}: {body[:200].decode(errors='replace')}")
    return took


def synth_calls(store_path: Path, count: int = 20, seed: int = 1) -> list[tuple[str, str, str]]:
    """Owners and paths questions about entities of a synthetic register that have owners
    at the day asked (from the register index of the store)."""
    import numpy as np

    from groupkg.graph import OxigraphStore, Register

    store = OxigraphStore(store_path, read_only=True)
    try:
        register = Register.from_store(store)
    finally:
        store.close()
    if register.rows == 0:
        return []
    rng = np.random.default_rng(seed)
    rows = rng.choice(register.rows, size=min(count, register.rows), replace=False)
    lowest, highest = _dt.date(1990, 1, 1).toordinal(), _dt.date(2025, 12, 31).toordinal()
    calls = []
    for number, r in enumerate(rows.tolist()):
        first = max(int(register.start[r]), lowest)
        last = min(int(register.end[r]), highest + 1)
        day = _dt.date.fromordinal(int(rng.integers(first, max(first + 1, last))))
        route = "owners" if number % 2 == 0 else "paths"
        calls.append((route, register.entity(int(register.owned[r])), day.isoformat()))
    return calls


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve",
                                     description=__doc__.split("\n")[0])  # fmt: skip
    parser.add_argument("--store", default=None, help="oxigraph:PATH (default: the IIJ data)")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--option", action="append", default=[],
                        help="a further groupkg serve option (repeatable)")  # fmt: skip
    given = parser.parse_args(argv)
    options = list(given.option)
    if given.store:
        options += ["--store", given.store]
        calls = synth_calls(Path(given.store.partition(":")[2]))
    else:
        calls = IIJ_CALLS
    with serving(options) as base:
        found = hot_api(base, paths_of(calls), given.requests)
    print(f"hot API answer: median {found['median'] * 1e3:.2f} ms, "
          f"p90 {found['p90'] * 1e3:.2f} ms over {found['n']} requests "
          f"({len(calls)} distinct questions, each first answered in "
          f"{found['first'] * 1e3:.1f} ms, median)")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
