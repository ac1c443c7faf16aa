"""The workers of ``groupkg serve``: kept between requests, replaced when killed, dead or
out of date, and stopped with the server.

The pool itself (:class:`groupkg.graph.serve.worker.WorkerPool`) is tested in this process;
the server's use of it through real ``groupkg serve`` processes on 127.0.0.1.
"""

from __future__ import annotations

import json
import os
import signal
import threading
import time
import urllib.parse
from pathlib import Path

import pytest
from click.testing import CliRunner

from groupkg.graph import OxigraphStore
from groupkg.graph.cli import cli
from groupkg.graph.cli.serve import serve
from groupkg.graph.serve.source import prepare_worker as _prepare_worker
from groupkg.graph.serve.worker import WorkerBusy, WorkerDied, WorkerPool, WorkerTimedOut
from tests.servers import TOKEN, Canary, call, children_of, get, launch, post_body, run_state, stop

TESTS = Path(__file__).parents[1]

# -- jobs the pool's workers run (sent by name) -------------------------------------------


def whoami(context: dict, *_: object) -> int:
    return os.getpid()


def count(context: dict) -> tuple[int, int]:
    """How many jobs this worker has run, kept in its context between jobs."""
    context["jobs"] = context.get("jobs", 0) + 1
    return os.getpid(), context["jobs"]


def sleep(context: dict, seconds: float) -> int:
    time.sleep(seconds)
    return os.getpid()


def hog(context: dict) -> int:
    return len(bytearray(1 << 30))


def keep(context: dict, size: int) -> int:
    context["kept"] = bytearray(size)  # still held after the answer
    return os.getpid()


def fail(context: dict) -> None:
    raise KeyError("no such thing")


def generation(context: dict) -> object:
    return context["generation"]


def service(store: OxigraphStore, url: str) -> int:
    query = f"SELECT * {{ SERVICE SILENT <{url}> {{ ?x ?p ?o }} }}"
    return len(list(store.store.query(query)))


def _gone(pid: int) -> bool:
    return run_state(pid) in ("", "Z") and pid not in children_of(os.getpid())


# -- the pool -----------------------------------------------------------------------------


def test_a_worker_is_kept_between_jobs_with_what_it_holds():
    with WorkerPool(1, dict) as pool:
        answers = [pool.run(count, timeout=30) for _ in range(5)]
    assert len({pid for pid, _ in answers}) == 1
    assert [jobs for _, jobs in answers] == [1, 2, 3, 4, 5]


def test_a_worker_past_its_deadline_is_killed_and_replaced_at_once():
    with WorkerPool(1, dict) as pool:
        first = pool.run(whoami, timeout=30)
        started = time.monotonic()
        with pytest.raises(WorkerTimedOut):
            pool.run(sleep, 30, timeout=0.5)
        assert time.monotonic() - started < 5
        assert _gone(first)  # killed and reaped
        begun = time.monotonic()
        second = pool.run(whoami, timeout=30)
        assert second != first and time.monotonic() - begun < 2
        assert pool.pids() == [second]


def test_a_worker_past_its_memory_limit_dies_and_is_replaced():
    with WorkerPool(1, dict, max_memory=64 << 20) as pool:
        first = pool.run(whoami, timeout=30)
        with pytest.raises(WorkerDied):
            pool.run(hog, timeout=30)
        second = pool.run(whoami, timeout=30)
        assert second != first and _gone(first)


def test_a_worker_that_keeps_most_of_its_memory_is_replaced_after_answering():
    with WorkerPool(1, dict, max_memory=64 << 20) as pool:
        first = pool.run(keep, 1 << 20, timeout=30)
        assert pool.run(whoami, timeout=30) == first  # a little kept: the same worker
        assert pool.run(keep, 56 << 20, timeout=30) == first  # answered, then retired
        assert pool.run(whoami, timeout=30) != first


def test_an_error_is_raised_and_the_worker_kept():
    with WorkerPool(1, dict) as pool:
        first = pool.run(whoami, timeout=30)
        with pytest.raises(KeyError, match="no such thing"):
            pool.run(fail, timeout=30)
        assert pool.run(whoami, timeout=30) == first


def test_a_failed_preparation_is_reported_with_the_job():
    def prepare() -> None:
        raise RuntimeError("Corruption: a table file vanished")

    with WorkerPool(1, prepare) as pool:
        for _ in range(2):  # and again by the worker that replaced it
            with pytest.raises(RuntimeError, match="a table file vanished"):
                pool.run(whoami, timeout=30)


def test_a_worker_forked_for_a_thread_outlives_the_thread():
    # A worker dies with the thread that forked it (PR_SET_PDEATHSIG); the one that
    # replaces a killed worker must outlive the request's thread that noticed.
    with WorkerPool(1, dict) as pool:

        def request() -> None:
            with pytest.raises(WorkerTimedOut):
                pool.run(sleep, 30, timeout=0.3)

        thread = threading.Thread(target=request)
        thread.start()
        thread.join()
        replacement = pool.pids()
        time.sleep(0.5)
        assert pool.run(whoami, timeout=30) == replacement[0]


def test_a_job_finding_every_worker_busy_gets_one_of_its_own():
    with WorkerPool(1, dict, wait=0.05) as pool:
        kept = pool.run(whoami, timeout=30)
        slow: list[int] = []
        thread = threading.Thread(target=lambda: slow.append(pool.run(sleep, 1.5, timeout=30)))
        thread.start()
        time.sleep(0.3)
        extra = pool.run(whoami, timeout=30)
        assert extra != kept
        assert _gone(extra)  # forked for that job alone
        thread.join()
        assert slow == [kept] and pool.pids() == [kept]


def test_no_worker_free_before_the_deadline_is_busy():
    with WorkerPool(1, dict, wait=5) as pool:
        thread = threading.Thread(target=pool.run, args=(sleep, 2), kwargs={"timeout": 30})
        thread.start()
        time.sleep(0.3)
        with pytest.raises(WorkerBusy):
            pool.run(whoami, timeout=0.3)
        thread.join()


_SEEN = {"generation": 1}


def test_refresh_replaces_every_worker_by_one_forked_from_the_current_state():
    with WorkerPool(2, lambda: dict(_SEEN)) as pool:
        before = set(pool.pids())
        assert pool.run(generation, timeout=30) == 1
        _SEEN["generation"] = 2
        assert pool.run(generation, timeout=30) == 1  # forked before the change
        pool.refresh()
        assert not set(pool.pids()) & before and len(pool.pids()) == 2
        assert pool.run(generation, timeout=30) == 2
        assert all(_gone(pid) for pid in before)


def test_close_leaves_no_process_and_no_descriptor():
    descriptors = sorted(os.listdir("/proc/self/fd"))
    pool = WorkerPool(2, dict)
    pids = pool.pids()
    outcome: list[BaseException] = []

    def running() -> None:  # a job still running when the pool closes
        try:
            pool.run(sleep, 30, timeout=60)
        except BaseException as exc:  # noqa: BLE001
            outcome.append(exc)

    thread = threading.Thread(target=running)
    thread.start()
    time.sleep(0.3)
    pool.close()
    thread.join(timeout=10)
    assert [type(exc) for exc in outcome] == [WorkerDied]
    assert all(_gone(pid) for pid in pids)
    assert sorted(os.listdir("/proc/self/fd")) == descriptors
    with pytest.raises(WorkerDied):
        pool.run(whoami, timeout=5)


def test_a_kept_worker_opens_no_internet_socket_job_after_job():
    canary = Canary()
    store = OxigraphStore()

    def prepare() -> OxigraphStore:
        _prepare_worker(store)
        return store

    try:
        with WorkerPool(1, prepare) as pool:
            first = pool.run(service, canary.url, timeout=30)
            second = pool.run(service, canary.url, timeout=30)
        assert first == second == 1  # SILENT: the failed call gives one empty solution
        assert canary.contacts == 0
    finally:
        canary.close()


# -- the server ---------------------------------------------------------------------------

q = urllib.parse.quote


def test_requests_are_answered_by_the_same_kept_workers(tmp_path):
    base, process = launch("--workers", "2", cwd=tmp_path)
    try:
        workers = sorted(children_of(process.pid))
        assert len(workers) == 2
        paths = ["/api/owners/" + q("IIJ Exlayer") + "?at=2013-12-31",
                 "/api/paths/" + q("IIJ Exlayer USA") + "?at=2013-12-31",
                 "/api/entities?q=iij", "/view?at=2013-12-31",
                 "/sparql?query=" + q("ASK { ?s ?p ?o }")]  # fmt: skip
        for number in range(30):
            assert call("GET", base + paths[number % len(paths)])[0] == 200
        assert sorted(children_of(process.pid)) == workers
        answers = {call("GET", base + paths[0])[2] for _ in range(5)}
        assert len(answers) == 1  # a kept answer is the answer given first
    finally:
        stop(process)


def test_an_answer_given_before_an_update_is_not_given_after_it(tmp_path):
    base, process = launch("--allow-update", "--workers", "1", env={"GROUPKG_TOKEN": TOKEN},
                           cwd=tmp_path)  # fmt: skip
    search = base + "/api/entities?q=" + q("Acme Widgets")
    try:
        assert json.loads(call("GET", search)[2])["entities"] == []
        workers = children_of(process.pid)
        insert = ('INSERT DATA { <https://example.org/acme> a '
                  '<https://w3id.org/groupkg/ontology#LegalEntity> ; '
                  '<http://www.w3.org/2000/01/rdf-schema#label> "Acme Widgets Ltd" }')  # fmt: skip
        status, _, body = post_body(base + "/sparql", insert, "application/sparql-update",
                                    headers={"Authorization": f"Bearer {TOKEN}"})  # fmt: skip
        assert status == 204, body
        found = json.loads(call("GET", search)[2])["entities"]
        assert [e["id"] for e in found] == ["https://example.org/acme"]
        ask = "ASK { <https://example.org/acme> ?p ?o }"
        assert json.loads(get(base + "/sparql", query=ask)[2])["boolean"] is True
        assert not set(children_of(process.pid)) & set(workers)  # forked after the update
    finally:
        stop(process)


def test_an_import_replaces_the_workers_and_their_answers(tmp_path):
    store = tmp_path / "store"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", f"oxigraph:{store}", "init"]).exit_code == 0
    base, process = launch("--store", f"oxigraph:{store}", "--workers", "2", cwd=tmp_path)
    search = base + "/api/entities?q=" + q("Parent Co")
    try:
        assert json.loads(call("GET", search)[2])["entities"] == []
        workers = set(children_of(process.pid))
        for _ in range(5):  # reading the store changes nothing: the workers are kept
            assert call("GET", base + "/api/info")[0] == 200
            assert get(base + "/sparql", query="ASK { ?s ?p ?o }")[0] == 200
        assert set(children_of(process.pid)) == workers
        result = runner.invoke(cli, ["--store", f"oxigraph:{store}", "import", "--quiet",
                                     str(TESTS / "data" / "toygroup.ttl")])  # fmt: skip
        assert result.exit_code == 0, result.output
        found = json.loads(call("GET", search)[2])["entities"]
        assert "Parent Co" in [e["name"] for e in found]
        assert not set(children_of(process.pid)) & workers
    finally:
        stop(process)


def test_the_server_stops_with_its_workers(tmp_path):
    base, process = launch("--workers", "3", cwd=tmp_path)
    assert call("GET", base + "/api/owners/IIJ?at=2013-12-31")[0] == 200
    workers = children_of(process.pid)
    assert len(workers) == 3
    process.send_signal(signal.SIGTERM)
    assert process.wait(timeout=30) == -signal.SIGTERM  # ended as SIGTERM ends a process
    assert all(run_state(pid) in ("", "Z") for pid in workers)
    log = next(tmp_path.glob("serve-*.log")).read_text()
    assert "Traceback" not in log and "leaked" not in log


def test_the_number_of_workers_is_checked():
    result = CliRunner().invoke(serve, ["--workers", "0"])
    assert result.exit_code == 2 and "--workers" in result.output
