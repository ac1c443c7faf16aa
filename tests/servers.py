"""Talking to ``groupkg serve`` processes over real HTTP, for the server tests.

``call`` and its shorthands (``get``, ``post_form``, ``post_body``) make one request and
return ``(status, headers, body)``, error statuses included; ``launch`` and ``stop``
run a server process of a test's own (for tests that need its pid); ``Canary`` is a
listener that counts the connections a server should never make; ``children_of`` and
``run_state`` read a process's children and state from /proc. ``start_virtuoso`` runs
Debian's Virtuoso (``virtuoso-opensource-7-bin``) with a throwaway database, for the
tests of ``sparql:URL`` against it.
"""

from __future__ import annotations

import contextlib
import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.tools import executable, free_port

__all__ = [
    "TOKEN",
    "Canary",
    "Virtuoso",
    "await_sparql",
    "call",
    "children_of",
    "get",
    "launch",
    "post_body",
    "post_form",
    "run_state",
    "start_virtuoso",
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
        try:
            text = (task / "children").read_text().split()
        except FileNotFoundError:  # a thread that ended since the folder was listed
            continue
        found.extend(int(c) for c in text)
    return found


def run_state(pid: int) -> str:
    """R running, S sleeping (a worker waiting for a job), Z a zombie; '' gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return ""


# A small throwaway Virtuoso: the database, its logs and its temporary files in one
# folder. ResultSetMaxRows is the limit past which it cuts answers short (the tests
# read less; one test passes it on purpose). NumberOfBuffers is its page cache (8 KiB
# pages); MaxDirtyBuffers, the pages it may hold unwritten, about three quarters of it,
# as the sample virtuoso.ini suggests for every memory size.
_VIRTUOSO_INI = """\
[Database]
DatabaseFile = {folder}/db.db
ErrorLogFile = {folder}/db.log
LockFile = {folder}/db.lck
TransactionFile = {folder}/db.trx
xa_persistent_file = {folder}/db.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {folder}/temp.db
TransactionFile = {folder}/temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{isql_port}
NumberOfBuffers = {buffers}
MaxDirtyBuffers = {dirty}
DirsAllowed = ., {folder}
CheckpointInterval = 60
TransactionAfterImageLimit = {after_image}
ThreadsPerQuery = 2

[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {folder}
MaxClientConnections = 5
ServerThreads = 5

[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryExecutionTime = {seconds}
"""

VIRTUOSO_MISSING = (
    "virtuoso-t is not installed: install Debian's virtuoso-opensource-7-bin "
    "(`make install-test` does, with apt-get)"
)


@dataclass
class Virtuoso:
    """A Virtuoso server of the tests' own: its SPARQL endpoint at ``url``, the one that
    asks for digest authentication (user ``dba``, password ``dba``) at ``auth_url``."""

    folder: Path
    process: subprocess.Popen[bytes]
    http_port: int
    isql_port: int
    max_rows: int

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql"

    @property
    def auth_url(self) -> str:
        return f"http://127.0.0.1:{self.http_port}/sparql-auth"

    def store(self, graph: str) -> str:
        """The ``--store`` of a groupkg store held in named ``graph``."""
        return f"sparql:{self.url};graph={graph}"

    def isql(self, statement: str) -> str:
        """Run one SQL statement as the database administrator; its output."""
        done = subprocess.run(
            [executable("isql-vt") or "isql-vt", f"127.0.0.1:{self.isql_port}", "dba", "dba",
             f"exec={statement}"], capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert done.returncode == 0 and "Error" not in done.stdout, done.stdout + done.stderr
        return done.stdout

    def stop(self) -> None:
        stop(self.process)
        shutil.rmtree(self.folder, ignore_errors=True)


def await_sparql(url: str, process: subprocess.Popen[bytes], log: Path, what: str,
                 seconds: float) -> None:  # fmt: skip
    """Wait until the SPARQL endpoint ``url`` answers ``ASK {}``; fail the test, with
    the server's ``log``, when its ``process`` ends or ``seconds`` pass first."""
    ask = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    give_up = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(ask, timeout=5).close()
            return
        except OSError:
            if time.monotonic() > give_up or process.poll() is not None:
                process.kill()
                pytest.fail(f"{what} did not start: {log.read_text()}")
            time.sleep(0.2)


def start_virtuoso(
    folder: Path,
    max_rows: int = 10000,
    buffers: int = 10000,
    seconds: int = 600,
    after_image: int = 50_000_000,
) -> Virtuoso:
    """Virtuoso on free 127.0.0.1 ports with an empty database in ``folder``, a page
    cache of ``buffers`` pages, ``seconds`` a query or update may run and ``after_image``
    bytes of changes one transaction may log (an import's last update, which adds the
    staging graph to the data, is one transaction), its SPARQL user
    allowed to update; the test fails (never skips) where it is not installed."""
    binary = executable("virtuoso-t")
    if binary is None or executable("isql-vt") is None:
        pytest.fail(VIRTUOSO_MISSING)
    folder.mkdir(parents=True, exist_ok=True)
    http_port, isql_port = free_port(), free_port()
    ini = folder / "virtuoso.ini"
    ini.write_text(_VIRTUOSO_INI.format(folder=folder, isql_port=isql_port,
                                        http_port=http_port, max_rows=max_rows,
                                        buffers=buffers, dirty=buffers * 3 // 4,
                                        seconds=seconds, after_image=after_image))  # fmt: skip
    with (folder / "server.log").open("wb") as log:
        process = subprocess.Popen([binary, "-f", "-c", str(ini)], cwd=folder, stdout=log,
                                   stderr=subprocess.STDOUT)  # fmt: skip
    server = Virtuoso(folder, process, http_port, isql_port, max_rows)
    await_sparql(server.url, process, folder / "server.log", "virtuoso-t", 120)
    server.isql('GRANT SPARQL_UPDATE TO "SPARQL";')
    return server


@contextlib.contextmanager
def serving(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on a free 127.0.0.1 port answering with ``handler`` on a thread of
    its own (a fake endpoint); yields its ``/sparql`` URL, and stops it."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
