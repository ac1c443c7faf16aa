"""Fixtures shared by the test suite: stores, groups, servers and headless Chromium for the
browser tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from groupkg.graph import Group, add_files, open_store
from tests.browser import CHROMIUM_ARGS

TESTS = Path(__file__).parent
REPO = TESTS.parent


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


@pytest.fixture(scope="session")
def start_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Start ``groupkg serve`` as a real process on a free 127.0.0.1 port.

    ``start_server(*options, env={...})`` returns the base URL once the server answers;
    the same options give the same process for the whole session, and every process is
    stopped (terminated, then killed) at its end.
    """
    import os
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from tests.servers import stop

    running: dict[tuple[str, ...], tuple[str, subprocess.Popen[bytes], Path]] = {}

    def start(*options: str, env: dict[str, str] | None = None) -> str:
        key = options + tuple(f"{k}={v}" for k, v in sorted((env or {}).items()))
        if key in running:
            return running[key][0]
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        folder = tmp_path_factory.mktemp("serve")
        log = folder / "server.log"
        command = [sys.executable, "-m", "groupkg.graph.cli.serve",
                   "--host", "127.0.0.1", "--port", str(port), *options]  # fmt: skip
        with log.open("wb") as out:
            process = subprocess.Popen(
                command, stdout=out, stderr=subprocess.STDOUT, cwd=folder,
                env={**os.environ, **(env or {})},
            )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        running[key] = (url, process, log)
        give_up = time.monotonic() + 120
        while time.monotonic() < give_up:
            if process.poll() is not None:
                pytest.fail(f"groupkg serve exited ({process.returncode}):\n{log.read_text()}")
            try:
                with urllib.request.urlopen(url + "/api/info", timeout=10) as answer:
                    if answer.status == 200:
                        return url
            except OSError:
                pass
            time.sleep(0.1)
        pytest.fail(f"groupkg serve did not answer within 120 s:\n{log.read_text()}")

    yield start
    for _, process, _ in running.values():
        stop(process)


@pytest.fixture(scope="module")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """The `oxigraph` PyPI package's own server on a free 127.0.0.1 port, for one module:
    its SPARQL query URL, once ``groupkg init`` has written the ontology and the IIJ
    data into it over SPARQL Update. Stopped at the module's end."""
    import subprocess

    from click.testing import CliRunner

    from groupkg.graph.cli import cli
    from tests.servers import await_sparql, stop
    from tests.tools import executable, free_port

    binary = executable("oxigraph")
    if binary is None:
        pytest.fail("the oxigraph server is missing: make install-test installs it")
    port = free_port()
    folder = tmp_path_factory.mktemp("oxigraph-server")
    log = (folder / "server.log").open("wb")
    process = subprocess.Popen(
        [binary, "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}/query"
    await_sparql(url, process, folder / "server.log", "oxigraph serve", 60)
    init = CliRunner().invoke(cli, ["init", "--store", f"sparql:{url}"])
    assert init.exit_code == 0, init.output
    yield url
    stop(process)
    log.close()


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    """Debian's Virtuoso on free 127.0.0.1 ports with a throwaway database, one for the
    session (each test writes into named graphs of its own); stopped and removed at the
    end. A machine without it fails the tests that need it, saying what to install."""
    from tests.servers import start_virtuoso

    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso") / "db")
    yield server
    server.stop()


# The SPARQL servers the tests of sparql:URL run against.
SPARQL_SERVERS = ["oxigraph", "virtuoso"]


@pytest.fixture(scope="module", params=SPARQL_SERVERS)
def sparql_store(request: pytest.FixtureRequest) -> str:
    """``--store sparql:URL`` of each SPARQL server in turn, holding the ontology and the
    IIJ data (``groupkg init``): the Oxigraph server of the module, or a named graph of
    the module's own in the session's Virtuoso."""
    if request.param == "oxigraph":
        return f"sparql:{request.getfixturevalue('oxigraph_server')}"
    from click.testing import CliRunner

    from groupkg.graph.cli import cli

    server = request.getfixturevalue("virtuoso_server")
    spec = server.store(f"urn:groupkg:test:{request.module.__name__}")
    init = CliRunner().invoke(cli, ["init", "--store", spec])
    assert init.exit_code == 0, init.output
    return spec


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Chromium for the browser tests of the views and of the server's viewer."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(
            "the browser tests need the playwright package (pip install playwright); "
            "it drives Debian's chromium, so no browser download is needed"
        )
    chromium = shutil.which("chromium")
    if chromium is None:
        pytest.fail(
            "headless Chromium is missing: install Debian's package with "
            "`apt-get install -y chromium` (the tests launch /usr/bin/chromium)"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=chromium, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()
