"""How a job is kept from harming the server: it runs in a child forked for it, which
can be stopped.

pyoxigraph cannot be interrupted from Python, and a thread cannot be killed: a query
running in the server's own process would go on computing (and growing) after its
answer was given up. A job here runs in a child made by ``fork`` (it inherits the
server's data copy-on-write), under ``RLIMIT_AS`` (what it may allocate beyond what
it inherited), and is killed with SIGKILL at its deadline; the child only runs the
job, sends back its pickled outcome through a pipe and exits without cleaning up.
A child whose parent dies is killed too (``PR_SET_PDEATHSIG``): :func:`confine`.

:func:`run_isolated` forks a child for one job;
:class:`~groupkg.graph.serve.worker.WorkerPool` keeps a few alive between jobs.
"""

from __future__ import annotations

import ctypes
import os
import pickle
import resource
import select
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

__all__ = [
    "WorkerDied",
    "WorkerTimedOut",
    "address_space",
    "confine",
    "fork_lock",
    "max_fd",
    "run_isolated",
]

#: Held while forking: a thread that takes it around a write to shared state knows
#: no child is forked half-way through the write.
fork_lock = threading.Lock()

_PR_SET_PDEATHSIG = 1
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class WorkerTimedOut(Exception):
    """The job was still running at its deadline and has been killed."""


class WorkerDied(Exception):
    """The worker ended without an answer: out of memory, or killed by a signal."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def address_space() -> int:
    """The bytes of address space this process holds now."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[0]) * _PAGE


def confine(max_memory: int | None, parent: int | None = None) -> int | None:
    """In a child just forked: die with the parent (``PR_SET_PDEATHSIG``), or at once
    when it is already gone (the child's parent is no longer ``parent``, or, with no
    ``parent`` given, the child was handed to init), and allocate at most
    ``max_memory`` bytes beyond what it inherited. The address-space limit set, if any.
    """
    libc = ctypes.CDLL(None)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    gone = os.getppid() == 1 if parent is None else os.getppid() != parent
    if gone:
        os._exit(1)
    if max_memory is None:
        return None
    limit = address_space() + max_memory
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _child(job: Callable[[], Any], write: int, max_memory: int | None,
           prepare: Callable[[], None] | None) -> None:  # fmt: skip
    try:
        confine(max_memory)
        try:
            if prepare is not None:
                prepare()
            outcome: tuple[str, Any] = ("ok", job())
        except MemoryError:
            outcome = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - the parent decides what it means
            outcome = ("raised", exc)
        try:
            data = pickle.dumps(outcome)
        except Exception as exc:  # noqa: BLE001
            data = pickle.dumps(("raised", RuntimeError(f"unpicklable outcome: {exc!r}")))
        view = memoryview(data)
        while view:
            view = view[os.write(write, view) :]
    finally:
        os._exit(0)


def run_isolated(
    job: Callable[[], Any],
    *,
    timeout: float,
    max_memory: int | None = None,
    prepare: Callable[[], None] | None = None,
) -> Any:
    """``job()`` run in a forked child: its value, or the exception it raised.

    ``prepare`` runs in the child first (after the memory limit is set): it may drop
    privileges or open files the job needs. ``max_memory`` bytes may be allocated on
    top of what the child inherits.

    Raises
    ------
    WorkerTimedOut
        At ``timeout`` seconds (the child is killed).
    WorkerDied
        When the child ran out of memory or ended without an answer.
    """
    with fork_lock:  # no other child may inherit this pipe's writing end
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child never returns
            # Other clients' connections and the listening socket stay the server's:
            # a child holding them would keep a closed connection open.
            os.closerange(3, write)
            os.closerange(write + 1, max_fd())
            _child(job, write, max_memory, prepare)
        os.close(write)
    deadline = time.monotonic() + timeout
    chunks: list[bytes] = []
    timed_out = False
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                timed_out = True
                break
            ready, _, _ = select.select([read], [], [], left)
            if not ready:
                continue
            chunk = os.read(read, 1 << 20)
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(read)
        if timed_out:
            _kill(pid)
        _, status = os.waitpid(pid, 0)
    if timed_out:
        raise WorkerTimedOut()
    data = b"".join(chunks)
    if not data:
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            raise WorkerDied(f"the worker stopped ({name}): it ran out of memory or crashed")
        raise WorkerDied(f"the worker ended without an answer (exit {os.WEXITSTATUS(status)})")
    kind, value = pickle.loads(data)
    if kind == "memory":
        raise WorkerDied("the worker ran out of memory")
    if kind == "raised":
        raise value
    return value


def max_fd() -> int:
    """One past the highest file descriptor this process may hold (at most 2**20)."""
    soft, _ = resource.getrlimit(resource.RLIMIT_NOFILE)
    return soft if 0 < soft < (1 << 20) else (1 << 20)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
