"""The state one running server shares between requests, and how a request's work is
run within its limits.

``max_queries`` SPARQL requests and ``max_calls`` API calls run at a time. pyoxigraph
cannot be interrupted from Python, so every query, API call and ``/view`` runs in a
worker process (:class:`groupkg.graph.serve.worker.WorkerPool`): ``workers`` of them are
forked at start and kept, each with the store open read-only, no Internet socket and
its caches warm between requests; one is killed at the timeout, or dies past
``max_memory``, and is replaced at once: its 503 frees its slot. When every kept
worker is busy, a request gets a worker forked for it alone. When the data changes (an
update, or an import into the ``oxigraph:PATH`` store by another process, seen by the
store's write mark), the workers are replaced by ones forked from the new state.
Updates run in a thread of the server's own process (they need the token), one at a
time, and keep their slot until they end. Rows are counted while they stream, and a
query stops at the row past the cap.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.concurrency import run_in_threadpool

from groupkg.graph.errors import GroupkgError
from groupkg.graph.serve.limits import Limits, default_workers
from groupkg.graph.serve.refused import Refused, busy, timed_out
from groupkg.graph.serve.source import (
    AnswerSource,
    WorkerState,
    answer_source,
    prepare_worker,
    reopened,
    store_state,
    warm,
    write_mark,
)
from groupkg.graph.serve.worker import WorkerBusy, WorkerDied, WorkerPool, WorkerTimedOut, fork_lock

__all__ = ["Server"]

_ANSWERS = 64 << 20  # bytes of answers a worker keeps, at most an eighth of --max-memory


class Server:
    """The state one running server shares between requests."""

    def __init__(self, data: AnswerSource, allow_update: bool, token: str | None, limits: Limits):
        if allow_update and not token:
            raise ValueError("updates need a bearer token")
        self.data = data
        self.allow_update = allow_update
        self.token = token
        self.limits = limits
        self.query_slots = asyncio.Semaphore(limits.max_queries)
        self.call_slots = asyncio.Semaphore(limits.max_calls)
        # Held by the worker thread, not the request: an update past the timeout still
        # keeps the next one waiting until it has really finished.
        self.writing = threading.Lock()
        self.refreshing = threading.Lock()
        self.seen = store_state(data.store)
        self.mark = write_mark(data.store)
        # What workers would otherwise import afresh for every request they run.
        import rdflib.plugins.sparql.parser  # noqa: F401
        import scipy.sparse.csgraph  # noqa: F401
        import scipy.sparse.linalg  # noqa: F401

        from groupkg import viz  # noqa: F401

        warm(data)
        # Forked now, before the server has other threads; each opens the store in
        # prepare_worker and answers from what it inherits.
        self.pool = WorkerPool(
            limits.workers or default_workers(), self._worker_context,
            max_memory=limits.max_memory,
        )  # fmt: skip

    def _worker_context(self) -> WorkerState:
        """Run in each worker right after its fork: the answers' source as the server
        had it."""
        prepare_worker(self.data.store)
        limit = self.limits.max_memory
        return WorkerState(self.data, min(_ANSWERS, limit // 8) if limit else _ANSWERS)

    def close(self) -> None:
        """Stop every worker (the server is stopping)."""
        self.pool.close()

    async def work(self, slots: asyncio.Semaphore, job: Callable[[], Any]) -> Any:
        """Run ``job`` in a thread of the server's own within the timeout, holding one
        of ``slots``. A job past the timeout is left to finish (it cannot be stopped)
        and gives its slot back only then."""
        return await self._holding(slots, lambda left: run_in_threadpool(job))

    async def isolated(self, slots: asyncio.Semaphore, fn: Callable[..., Any], *args: Any) -> Any:
        """``fn(state, *args)`` in a worker process (``state``: its :class:`WorkerState`;
        see :class:`~groupkg.graph.serve.worker.WorkerPool`), holding one of ``slots``;
        killed at the timeout or past ``max_memory``, which frees its slot at once.
        ``fn`` is sent by name: a function at the top of a module."""
        if store_state(self.data.store) != self.seen:
            await run_in_threadpool(self.fresh_data)
        return await self._holding(
            slots, lambda left: run_in_threadpool(self._isolated, fn, args, left)
        )

    async def _holding(
        self, slots: asyncio.Semaphore, start: Callable[[float], Awaitable[Any]]
    ) -> Any:
        """Hold one of ``slots`` (503 when none is free within the timeout) while the
        work ``start(seconds left)`` begins runs; 503 at the timeout."""
        timeout = self.limits.timeout
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        try:
            await asyncio.wait_for(slots.acquire(), timeout)
        except TimeoutError:
            raise busy() from None
        try:
            task = asyncio.ensure_future(start(deadline - loop.time()))
        except BaseException:
            slots.release()
            raise
        task.add_done_callback(lambda done: slots.release())
        try:
            return await asyncio.wait_for(asyncio.shield(task), deadline - loop.time())
        except TimeoutError:
            # Collect the late job's outcome so that nothing is logged as unretrieved.
            task.add_done_callback(lambda done: done.cancelled() or done.exception())
            raise timed_out(timeout) from None

    def _isolated(self, fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> Any:
        limits = self.limits
        try:
            return self.pool.run(fn, *args, timeout=max(timeout, 0.01))
        except WorkerTimedOut:
            raise timed_out(limits.timeout) from None
        except WorkerBusy:
            raise busy() from None
        except WorkerDied as died:
            limit = (
                f"the {limits.max_memory >> 20} MiB limit (--max-memory)"
                if limits.max_memory else "the machine's memory"
            )  # fmt: skip
            raise Refused(
                503,
                f"the request was stopped: it needed more memory than {limit}, or its "
                f"worker failed ({died.reason}); narrow it",
            ) from None

    def fresh_data(self) -> AnswerSource:
        """What the answers are read from as the store holds it now. When the files of
        an ``oxigraph:PATH`` store have changed since it was read (another process
        wrote to it, or compacted it), it is opened again, and its time model (or its
        group) read again if its write mark has changed too; the workers are replaced
        by ones that open it afresh."""
        if store_state(self.data.store) == self.seen:
            return self.data
        with self.refreshing:
            state = store_state(self.data.store)
            if state != self.seen:
                store = reopened(self.data.store)
                mark = write_mark(store)
                if mark is None or mark != self.mark:
                    data = answer_source(store, self.data.threshold)
                    warm(data)
                    self.data, self.mark = data, mark
                else:  # the same facts: only the files changed (a compaction)
                    self.data = AnswerSource(
                        store, self.data.threshold, group=self.data.whole,
                        register=self.data.register,
                    )  # fmt: skip
                    if self.data.whole is not None:
                        self.data.whole.store = store
                self.seen = state
                self.pool.refresh()
        return self.data

    def apply_update(self, update: str, dataset: dict[str, Any]) -> str | None:
        """Apply ``update`` to the store (``dataset``: its graphs and base IRI), one at
        a time, then read the data again for the API and fork new workers; a warning
        when the update was applied but the data could not be read again."""
        with self.writing:
            return self._apply_alone(update, dataset)

    def _apply_alone(self, update: str, dataset: dict[str, Any]) -> str | None:
        store = self.data.store
        apply = getattr(store, "update", None)
        if apply is None:
            raise Refused(501, f"the store {store.description} takes no updates here")
        try:
            with fork_lock:  # no worker is forked from a store half-way through a write
                apply(update, **dataset)
        except GroupkgError as exc:
            raise Refused(400, str(exc)) from None
        except OSError as exc:
            raise Refused(500, f"the store failed: {exc}") from None
        flush = getattr(store, "flush", None)
        if flush is not None:
            flush()
        try:
            # The analytics read the store (or its time model) once; read it again so
            # the API sees the update.
            data = answer_source(store, self.data.threshold)
            warm(data)
            self.data = data
            self.seen = store_state(store)
        except GroupkgError as exc:
            return f"update applied, but the API keeps the data it had: {exc}"
        finally:
            self.pool.refresh()  # workers forked from now on see the update
        return None
