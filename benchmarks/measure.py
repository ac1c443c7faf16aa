"""Timing, child processes with their peak memory, and the machine being measured."""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

__all__ = [
    "Child",
    "LoadSampler",
    "latencies",
    "machine",
    "run_child",
    "run_command",
    "spread",
    "timed",
]


def timed(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> tuple[float, Any]:
    """Seconds one call of ``fn`` takes, and what it returns."""
    start = time.perf_counter()
    result = fn(*args, **kwargs)
    return time.perf_counter() - start, result


def latencies(
    fn: Callable[..., Any], calls: Sequence[tuple], warm: int = 20, budget: float | None = None
) -> list[float]:
    """Seconds of each call of ``fn(*args)`` after ``warm`` untimed calls (hot caches).

    With ``budget`` (seconds) the calls stop once that much time has gone: slow peers
    are measured on as many calls as fit, never fewer than one.
    """
    for args in calls[:warm]:
        fn(*args)
    found: list[float] = []
    spent = 0.0
    for args in calls:
        start = time.perf_counter()
        fn(*args)
        took = time.perf_counter() - start
        found.append(took)
        spent += took
        if budget is not None and spent > budget:
            break
    return found


def spread(values: Iterable[float]) -> dict[str, float]:
    """Median and 90th percentile of some latencies."""
    ordered = sorted(values)
    if not ordered:
        return {"median": float("nan"), "p90": float("nan"), "n": 0}
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return {"median": statistics.median(ordered), "p90": p90, "n": len(ordered)}


@dataclass
class Child:
    """What a child process did: its wall time, peak memory, JSON answer (of
    :func:`run_child`), what it printed, its exit code and the processor time it used
    (user and system: on a shared machine, what its wall time would be alone, at
    most, for a process that uses one core)."""

    seconds: float
    peak_bytes: int
    answer: dict[str, Any] = field(default_factory=dict)
    error: str = ""
    output: str = ""
    code: int = 0
    cpu_seconds: float = 0.0


def run_child(args: list[str], timeout: float) -> Child:
    """Run ``python -m benchmarks.child ARGS`` and measure it alone; its answer is the
    last JSON line it prints."""
    child = run_command([sys.executable, "-m", "benchmarks.child", *args], timeout)
    if child.error:
        return child
    lines = [line for line in child.output.splitlines() if line.startswith("{")]
    child.answer = json.loads(lines[-1]) if lines else {}
    return child


def run_command(command: list[str], timeout: float, ok: Sequence[int] = (0,)) -> Child:
    """Run ``command`` in a new process and measure it alone: wall time, peak memory,
    what it printed. An exit code outside ``ok``, a Python traceback on standard error
    (an uncaught exception exits with 1, the code of an empty answer of ``groupkg``),
    or the timeout, is its ``error``.

    The peak resident memory is the process's own (``os.wait4``), not the largest of
    every child this process ever had, as ``RUSAGE_CHILDREN`` would give.
    """
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=out, stderr=err, cwd=root)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        text = out.read().decode(errors="replace")
        problem = err.read().decode(errors="replace")
    peak = usage.ru_maxrss * 1024  # kilobytes on Linux
    cpu = usage.ru_utime + usage.ru_stime
    crashed = "Traceback (most recent call last)" in problem
    if process.returncode not in ok or (crashed and process.returncode != 0):
        if crashed:
            last = problem.strip().splitlines()[-1:] or ["a traceback"]
            reason = f"exit code {process.returncode}: {last[0][:300]}"
        elif process.returncode < 0:
            reason = f"timed out after {timeout:g} s" if seconds >= timeout else "killed"
        else:  # a user's error: its first line says what was wrong
            first = problem.strip().splitlines()[:1] or [f"exit code {process.returncode}"]
            reason = f"exit code {process.returncode}: {first[0][:300]}"
        return Child(
            seconds, peak, error=reason, output=text, code=process.returncode, cpu_seconds=cpu
        )
    return Child(seconds, peak, output=text, code=process.returncode, cpu_seconds=cpu)


class LoadSampler:
    """The load average, sampled every few seconds while the run lasts."""

    def __init__(self, every: float = 5.0):
        self.samples: list[float] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(every,), daemon=True)

    def _run(self, every: float) -> None:
        while not self._stop.is_set():
            try:
                self.samples.append(os.getloadavg()[0])
            except OSError:
                return
            self._stop.wait(every)

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def summary(self) -> dict[str, float]:
        if not self.samples:
            return {"min": float("nan"), "mean": float("nan"), "max": float("nan")}
        return {
            "min": min(self.samples),
            "mean": statistics.fmean(self.samples),
            "max": max(self.samples),
        }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory_bytes() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def _version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": cores,
        "memory_gb": round(_memory_bytes() / 2**30, 1),
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "libraries": {
            name: _version(name)
            for name in (
                "groupkg",
                "pyoxigraph",
                "rdflib",
                "numpy",
                "scipy",
                "networkx",
                "pyvis",
                "click",
            )
        },
    }
