"""Talking to ``groupkg serve`` processes over real HTTP, for the server tests.

``call`` and its shorthands (``get``, ``post_form``, ``post_body``) make one request and
return ``(status, headers, body)``, error statuses included; ``launch`` and ``stop``
run a server process of a test's own (for tests that need its pid); ``Canary`` is a
listener that counts the connections a server should never make; ``children_of`` and
``run_state`` read a process's children and state from /proc.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

__all__ = [
    "TOKEN",
    "Canary",
    "call",
    "children_of",
    "get",
    "launch",
    "post_body",
    "post_form",
    "run_state",
    "stop",
]

TOKEN = "test-token-4711"


def call(method, address, body=None, headers=None):
    """``(status, headers, body)`` of one request, error statuses included."""
    request = urllib.request.Request(address, data=body, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as answer:
            return answer.status, answer.headers, answer.read()
    except urllib.error.HTTPError as error:
        with error:
            return error.code, error.headers, error.read()


def get(address, accept=None, **params):
    query = "?" + urllib.parse.urlencode(params) if params else ""
    return call("GET", address + query, headers={"Accept": accept} if accept else {})


def post_form(address, accept=None, headers=None, **fields):
    headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    if accept:
        headers["Accept"] = accept
    return call("POST", address, urllib.parse.urlencode(fields).encode(), headers)


def post_body(address, text, kind="application/sparql-query", accept=None, headers=None):
    headers = {"Content-Type": kind, **(headers or {})}
    if accept:
        headers["Accept"] = accept
    return call("POST", address, text.encode(), headers)


class Canary:
    """A listener on 127.0.0.1 that counts the connections made to it."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/sparql"
        self.contacts = 0
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.contacts += 1
            conn.close()

    def close(self) -> None:
        self.sock.close()


def launch(*options: str, host: str = "127.0.0.1", env: dict[str, str] | None = None,
           cwd: Path) -> tuple[str, subprocess.Popen[bytes]]:  # fmt: skip
    """A ``groupkg serve`` process of its own (its pid is needed); its base URL."""
    with socket.socket() as probe:
        probe.bind((host, 0))
        port = probe.getsockname()[1]
    with (cwd / f"serve-{port}.log").open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "groupkg.graph.cli.serve", "--host", host, "--port", str(port),
             *options], stdout=log, stderr=subprocess.STDOUT, cwd=cwd,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    base = f"http://{host}:{port}"
    give_up = time.monotonic() + 120
    while time.monotonic() < give_up:
        assert process.poll() is None, (cwd / f"serve-{port}.log").read_text()
        try:
            if call("GET", base + "/api/info")[0] == 200:
                return base, process
        except OSError:
            pass
        time.sleep(0.1)
    process.kill()
    pytest.fail("groupkg serve did not start")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def children_of(pid: int) -> list[int]:
    """The pids of the children of process ``pid``."""
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        text = (task / "children").read_text().split()
        found.extend(int(c) for c in text)
    return found


def run_state(pid: int) -> str:
    """R running, S sleeping (a worker waiting for a job), Z a zombie; '' gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return ""
