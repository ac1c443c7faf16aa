"""What one request may cost (:class:`Limits`, set by ``groupkg serve``) and the
:class:`Budget` that holds a query to its row cap and deadline as its rows stream.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from groupkg.graph.serve.refused import Refused, timed_out

__all__ = ["Budget", "Limits", "default_workers"]


@dataclass(frozen=True)
class Limits:
    """What one request may cost, and the workers; ``groupkg serve`` sets all but the
    two counts of requests at a time."""

    timeout: float = 30.0
    max_results: int = 100_000
    max_body: int = 1 << 20
    max_memory: int | None = 1 << 30  # bytes one worker may allocate; None: no limit
    max_queries: int = 4  # SPARQL requests running at once (also past their timeout)
    max_calls: int = 8  # API calls and pictures running at once
    workers: int = 0  # worker processes kept warm; 0: min(4, the CPUs this process may use)


def default_workers() -> int:
    """How many workers ``groupkg serve`` keeps by default: min(4, CPUs available)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(4, cpus or 1))


class Budget:
    """The row cap and the deadline of one query, checked as its rows stream."""

    def __init__(self, max_results: int, deadline: float | None, timeout: float):
        self.max_results, self.deadline, self.timeout = max_results, deadline, timeout

    def take(self, items: Iterable[Any], what: str) -> list[Any]:
        """The ``items`` (``what``: rows or triples): 422 past the cap, 503 past the
        deadline."""
        kept: list[Any] = []
        for item in items:
            if len(kept) >= self.max_results:
                raise Refused(
                    422,
                    f"the result has more than {self.max_results} {what} (--max-results); "
                    f"narrow the query or add LIMIT {self.max_results}",
                )
            if self.deadline is not None and time.monotonic() > self.deadline:
                raise timed_out(self.timeout)
            kept.append(item)
        return kept
