"""Worker processes kept between jobs: :class:`WorkerPool` runs each job in a forked
worker under the limits of :mod:`groupkg.graph.serve.isolation` (a memory limit, a
hard kill at the deadline, and, for a query, no network); their caches stay warm
between jobs, and one that is killed or dies is replaced.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from groupkg.graph.serve.isolation import (
    WorkerDied,
    WorkerTimedOut,
    address_space,
    confine,
    fork_lock,
    max_fd,
)

# WorkerDied and WorkerTimedOut are what WorkerPool.run raises, and fork_lock what a
# writer takes against its forks: the pool's users import them from here.
__all__ = ["WorkerBusy", "WorkerDied", "WorkerPool", "WorkerTimedOut", "fork_lock"]


class WorkerBusy(Exception):
    """No worker was free to take the job before its deadline."""


def _scrub_descriptors(keep: set[int]) -> None:
    """Point every inherited descriptor but the standard streams and ``keep`` at
    ``/dev/null``.

    A worker forked from the server inherits its listening socket, its clients'
    connections and the other workers' pipes: holding them would keep a closed
    connection open. They are replaced rather than closed so that their numbers are
    never given to the worker's own files: an object of the server's naming one may be
    collected in the worker, and closing it then closes nothing the worker uses.
    """
    null = os.open(os.devnull, os.O_RDWR)
    try:
        try:
            found = [int(name) for name in os.listdir("/proc/self/fd")]
        except OSError:
            found = list(range(3, min(max_fd(), 1 << 16)))
        for fd in found:
            if fd > 2 and fd != null and fd not in keep:
                try:
                    os.dup2(null, fd, inheritable=False)
                except OSError:
                    pass
    finally:
        os.close(null)


def _send_outcome(conn: multiprocessing.connection.Connection, outcome: tuple[str, Any],
                  retiring: bool = False) -> bool:  # fmt: skip
    try:
        data = pickle.dumps((*outcome, retiring))
    except MemoryError:
        data = pickle.dumps(("memory", None, True))
    except Exception as exc:  # noqa: BLE001
        data = pickle.dumps(("raised", RuntimeError(f"unpicklable outcome: {exc!r}"), retiring))
    try:
        conn.send_bytes(data)
    except (OSError, ValueError):
        return False
    return True


def _serve_jobs(conn: multiprocessing.connection.Connection, parent: int,
                prepare: Callable[[], Any] | None, max_memory: int | None) -> None:  # fmt: skip
    """A pooled worker's life: prepare once, then answer ``(fn, args)`` jobs with
    ``fn(context, *args)`` (``context`` is what ``prepare`` returned) until the pipe
    closes. A job that ran out of memory ends the worker, and so does one after which
    the worker holds more than three quarters of its memory limit (what it keeps
    between jobs has grown): the pool replaces it."""
    try:
        _scrub_descriptors({conn.fileno()})
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # the server stops its workers
        limit = confine(max_memory, parent)
        failed: tuple[str, Any] | None = None
        context = None
        try:
            if prepare is not None:
                context = prepare()
        except MemoryError:
            failed = ("memory", None)
        except BaseException as exc:  # noqa: BLE001 - reported with the first job
            failed = ("raised", exc)
        while True:
            try:
                job = conn.recv()
            except (EOFError, OSError):
                break
            if failed is not None:
                _send_outcome(conn, failed, True)
                break
            try:
                fn, args = job
                job = None
                outcome: tuple[str, Any] = ("ok", fn(context, *args))
            except MemoryError:
                outcome = ("memory", None)
            except BaseException as exc:  # noqa: BLE001 - the server decides what it means
                outcome = ("raised", exc)
            retiring = outcome[0] == "memory" or (
                limit is not None and max_memory is not None
                and address_space() > limit - max_memory // 4
            )  # fmt: skip
            if not _send_outcome(conn, outcome, retiring) or retiring:
                break
            outcome = ("", None)
    finally:
        os._exit(0)


class _Worker:
    """One forked worker process and the server's end of its pipe."""

    def __init__(self, context: Any, prepare: Callable[[], Any] | None,
                 max_memory: int | None, epoch: int, kept: bool):  # fmt: skip
        here, there = context.Pipe()
        self.process = context.Process(
            target=_serve_jobs, args=(there, os.getpid(), prepare, max_memory),
            name="groupkg-worker", daemon=True,
        )  # fmt: skip
        with fork_lock:  # no other child is forked while this pipe is open here
            self.process.start()
        there.close()
        self.conn = here
        self.epoch = epoch
        self.kept = kept  # False: forked for one job, ended after it
        self.since = 0.0  # when its current job was given to it
        self._stopping = threading.RLock()
        self._stopped = False

    def alive(self) -> bool:
        with self._stopping:
            return not self._stopped and self.process.is_alive()

    def kill(self) -> None:
        with self._stopping:
            if not self._stopped:
                self.process.kill()

    def ended(self) -> str:
        """Why the worker gave no answer (it has ended, or is made to)."""
        with self._stopping:
            if self._stopped:
                return "the worker was stopped: the server is stopping"
            self.process.join(5)
            code = self.process.exitcode
            if code is None:
                self.process.kill()
                return "the worker stopped answering"
        if code < 0:
            name = signal.Signals(-code).name
            return f"the worker stopped ({name}): it ran out of memory or crashed"
        return f"the worker ended without an answer (exit {code})"

    def stop(self) -> None:
        """Kill the worker, reap it and close the pipe and its other descriptors."""
        with self._stopping:
            if self._stopped:
                return
            self._stopped = True
            self.process.kill()
            self.process.join()
            self.conn.close()
            try:
                self.process.close()  # its sentinel descriptor
            except ValueError:  # reaped by another thread's Process.start in between
                pass


class WorkerPool:
    """``size`` forked workers kept alive between jobs, each under the same limits as
    :func:`~groupkg.graph.serve.isolation.run_isolated`: ``RLIMIT_AS`` (``max_memory``
    bytes beyond what it inherits), a kill at each job's deadline, the parent's death.

    ``prepare()`` runs once in each worker, right after the fork; what it returns is
    the first argument of every job (``fn(context, *args)``, with ``fn`` a function
    pickled by name). A worker killed at a deadline, or dead, is replaced at once by a
    new one forked from the server as it is then. A job waits for a kept worker while
    they answer; when every kept worker has been on its job for ``wait`` seconds, a job
    gets a worker forked for it alone, ended after it (the server's slots bound how
    many). :meth:`refresh` replaces every worker by
    one forked from the server's current state (a busy one when its job ends).

    Every worker is forked by one thread the pool keeps: ``PR_SET_PDEATHSIG`` fires
    when the thread that forked a process ends, and a request's thread may end long
    before the worker that replaced its killed one should.
    """

    def __init__(self, size: int, prepare: Callable[[], Any] | None = None, *,
                 max_memory: int | None = None, wait: float = 0.1):  # fmt: skip
        if size < 1:
            raise ValueError("a pool needs at least one worker")
        self.size, self.prepare, self.max_memory, self.wait = size, prepare, max_memory, wait
        self._context = multiprocessing.get_context("fork")
        self._changed = threading.Condition()
        self._idle: list[_Worker] = []  # the most recently used last
        self._busy: set[_Worker] = set()
        self._kept = 0  # kept workers of the current epoch, idle or busy
        self._epoch = 0
        self._closed = False
        self._forker = ThreadPoolExecutor(1, thread_name_prefix="groupkg-fork")
        with self._changed:
            self._fill()

    def _spawn(self, kept: bool) -> _Worker:
        made = self._forker.submit(
            _Worker, self._context, self.prepare, self.max_memory, self._epoch, kept
        )
        return made.result()

    def _fill(self) -> None:
        while self._kept < self.size and not self._closed:
            self._idle.append(self._spawn(kept=True))
            self._kept += 1

    def _take(self, deadline: float) -> _Worker:
        """An idle kept worker (the one used last), waiting for one while they answer;
        a worker forked for this job alone when every kept one has been on its job
        for ``wait`` seconds (stuck on a long job, not merely taken by short ones)."""
        with self._changed:
            while True:
                if self._closed:
                    raise WorkerDied("the server is stopping")
                while self._idle:
                    worker = self._idle.pop()  # the warmest
                    if worker.alive():
                        worker.since = time.monotonic()
                        self._busy.add(worker)
                        return worker
                    self._kept -= 1  # died while idle: replaced
                    self._idle.append(self._spawn(kept=True))
                    self._kept += 1
                    worker.stop()
                now = time.monotonic()
                if now >= deadline:
                    raise WorkerBusy()
                taken = [w.since for w in self._busy if w.kept and w.epoch == self._epoch]
                stuck = max(taken, default=now - self.wait) + self.wait
                if now >= stuck:
                    break
                self._changed.wait(min(stuck, deadline) - now)
            worker = self._spawn(kept=False)
            worker.since = time.monotonic()
            self._busy.add(worker)
            return worker

    def _give_back(self, worker: _Worker, healthy: bool) -> None:
        with self._changed:
            self._busy.discard(worker)
            current = worker.kept and worker.epoch == self._epoch
            if current and healthy and not self._closed and worker.alive():
                self._idle.append(worker)
                self._changed.notify()
                return
            if current:
                self._kept -= 1
            self._fill()
            self._changed.notify()
        worker.stop()

    def run(self, fn: Callable[..., Any], *args: Any, timeout: float) -> Any:
        """``fn(context, *args)`` in a worker: its value, or the exception it raised.

        Raises
        ------
        WorkerTimedOut
            At ``timeout`` seconds (the worker is killed and replaced).
        WorkerDied
            When the worker ran out of memory or ended without an answer (replaced).
        WorkerBusy
            When no worker was free before the deadline.
        """
        deadline = time.monotonic() + timeout
        worker = self._take(deadline)
        healthy = False
        try:
            try:
                worker.conn.send((fn, args))
                answered = worker.conn.poll(max(deadline - time.monotonic(), 0))
                if not answered:
                    worker.kill()
                    raise WorkerTimedOut()
                data = worker.conn.recv_bytes()
            except (EOFError, OSError, ValueError):  # ValueError: a pipe closed here
                raise WorkerDied(worker.ended()) from None
            kind, value, retiring = pickle.loads(data)
            if kind == "memory":
                raise WorkerDied("the worker ran out of memory")
            healthy = not retiring
            if kind == "raised":
                raise value
            return value
        finally:
            self._give_back(worker, healthy)

    def refresh(self) -> None:
        """Replace every worker by one forked now: the server's state has changed."""
        with self._changed:
            self._epoch += 1
            stale, self._idle = self._idle, []
            self._kept = 0
            self._fill()
            self._changed.notify_all()
        for worker in stale:
            worker.stop()

    def pids(self) -> list[int]:
        """The process ids of the workers alive now."""
        with self._changed:
            return [w.process.pid for w in [*self._idle, *self._busy] if w.process.pid]

    def close(self) -> None:
        """Kill and reap every worker; a job still running gets :class:`WorkerDied`."""
        with self._changed:
            self._closed = True
            workers = [*self._idle, *self._busy]
            self._idle = []
            self._changed.notify_all()
        for worker in workers:
            worker.stop()
        self._forker.shutdown()

    def __enter__(self) -> WorkerPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
