"""Figures, their ratios to peers and limits, the printed table and ``RESULTS.md``."""

from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Figure",
    "Other",
    "Previous",
    "format_seconds",
    "table",
    "results_json",
    "results_markdown",
    "TARGETS",
]

NONE = "—"  # a figure with no previous measurement


def format_seconds(seconds: float | None) -> str:
    if seconds is None or math.isnan(seconds):
        return "n/a"
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} µs"
    if seconds < 1.0:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


@dataclass
class Other:
    """A peer (another tool answering the same question) or a limit (the least cost)."""

    name: str
    seconds: float | None
    detail: str = ""
    limit: bool = False
    key: str | None = None  # kept in results.json (and shown beside its previous) when set

    def ratio(self, ours: float) -> str:
        if self.seconds is None or not ours or math.isnan(ours) or math.isnan(self.seconds):
            return ""
        if self.limit:
            return f"groupkg = {ours / self.seconds:.1f}x the limit"
        factor = self.seconds / ours
        return (
            f"groupkg {factor:.1f}x faster" if factor >= 1 else f"groupkg {1 / factor:.1f}x slower"
        )


@dataclass
class Figure:
    """One measured figure of groupkg, with the peers and limits measured beside it, and
    the target it is judged against (seconds; ``None`` when the issue sets none)."""

    key: str
    name: str
    seconds: float | None
    detail: str = ""
    others: list[Other] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)
    target: float | None = None


class Previous:
    """The figures of an earlier run (``results.json``, or the hand-made
    ``previous.json``), looked up by key and size."""

    def __init__(self, data: dict[str, Any] | None = None, path: Path | None = None):
        self.data = data or {}
        self.path = path
        self.figures: dict[str, dict[str, Any]] = self.data.get("figures", {})

    @classmethod
    def read(cls, path: Path) -> Previous:
        """The figures of ``path``; none when it does not exist. A file that is not the
        harness's JSON is an error (a run must not quietly compare against nothing)."""
        if not path.is_file():
            return cls()
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise SystemExit(f"{path}: not readable as the figures of a run: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("figures"), dict):
            raise SystemExit(f'{path}: no "figures" object: not the figures of a run')
        return cls(data, path)

    def seconds(self, key: str | None, size: int) -> float | None:
        if not key:
            return None
        found = self.figures.get(key, {}).get(str(size))
        if not isinstance(found, dict):
            return None
        value = found.get("seconds")
        return float(value) if isinstance(value, (int, float)) else None

    def text(self, key: str | None, size: int) -> str:
        value = self.seconds(key, size)
        return NONE if value is None else format_seconds(value)

    def runs(self, size: int) -> set[str]:
        """The dates of earlier runs the figures of ``size`` were kept from (a run that
        did not measure that size keeps them, see :func:`results_json`)."""
        return {
            sizes[str(size)]["run"]
            for sizes in self.figures.values()
            if isinstance(sizes.get(str(size)), dict) and "run" in sizes[str(size)]
        }

    def elapsed(self, size: int) -> float | None:
        value = self.data.get("elapsed", {}).get(str(size))
        return float(value) if isinstance(value, (int, float)) else None

    def describe(self) -> str:
        if not self.data:
            return "no earlier run"
        when, command = self.data.get("date", "?"), self.data.get("command", "?")
        where = f"`{self.path.name}`, " if self.path is not None else ""
        return f"{where}the run of {when} (`{command}`)"


def _target(f: Figure) -> str:
    return f"<= {format_seconds(f.target)}" if f.target is not None else ""


def table(size: int, triples: int, figures: list[Figure], previous: Previous | None = None) -> str:
    """The figures of one size as fixed-width text: groupkg, target, previous, detail."""
    before = previous or Previous()
    lines = [f"== {size:,} entities ({triples:,} triples) =="]
    width = max([len(f.name) for f in figures] + [10])
    for f in figures:
        lines.append(
            f"{f.name:<{width}}  {format_seconds(f.seconds):>10}  {_target(f):>10}  "
            f"previous {before.text(f.key, size):>9}  {f.detail}"
        )
        for o in f.others:
            tag = "limit" if o.limit else "peer"
            label = f"  {tag}: {o.name}"
            value = format_seconds(o.seconds) if o.seconds is not None else "-"
            was = f"previous {before.text(o.key, size):>9}" if o.key else " " * 18
            lines.append(
                f"{label:<{width}}  {value:>10}  {'':>10}  {was}  {o.detail}  "
                f"{o.ratio(f.seconds or 0)}"
            )
    return "\n".join(lines)


# key -> (what the issue asks, the limit in seconds or None, how to check extra conditions)
TARGETS: dict[str, str] = {
    "load": "Load <= 45 s with <= 2 GB peak memory",
    "reopen": "Reopen <= 0.1 s",
    "owners": "Owners-at-date <= 0.02 ms hot, at least 500x faster than rdflib string SPARQL",
    "parents": "Ultimate parents for all <= 0.1 s",
    "effective": "Effective ownership for all top parents <= 5 s, exact with cycles",
    "cli": "Cold CLI lookup <= 1 s",
    "render": "A 5,000-node group rendered in <= 5 s",
    "picture": "Its page in Chromium: first stable picture <= 2 s, an expand <= 200 ms, "
    "search to focus <= 300 ms",
    "serve": "Hot API answer (groupkg serve, 127.0.0.1) <= 5 ms median",
    "cli-largest": "Cold CLI `owners`/`holdings`/`paths`/`entity`, an entity of the largest "
    "group <= 1.0 s",
    "cli-small": "Cold CLI `owners`/`holdings`/`paths`/`entity`, an entity of a small group "
    "<= 0.6 s",
    "cli-effective": "Cold CLI `effective` from the largest group's top parent <= 1.5 s",
    "cli-perimeter": "Cold CLI `perimeter` of the largest group's top parent <= 1.5 s",
    "cli-render": "Cold CLI `render --root TOP` of the largest group, end to end <= 3 s",
    "viewer": "The viewer's answer for the largest group's top parent (groupkg serve, "
    "first answer) <= 1 s",
    "first-answer": "`groupkg import` then the first `groupkg owners` (new processes) <= 2x "
    "the bulk loader alone",
}


def _markdown_rows(size: int, figures: list[Figure], previous: Previous) -> list[str]:
    rows = [
        "| figure | groupkg | target | previous | detail | peer / limit | its figure "
        "| its previous | ratio |",
        "|---|---:|---:|---:|---|---|---:|---:|---|",
    ]
    for f in figures:
        rows.append(
            f"| {f.name} | {format_seconds(f.seconds)} | {_target(f)} "
            f"| {previous.text(f.key, size)} | {f.detail} | | | | |"
        )
        for o in f.others:
            tag = "limit" if o.limit else "peer"
            value = format_seconds(o.seconds) if o.seconds is not None else "-"
            was = previous.text(o.key, size) if o.key else ""
            rows.append(
                f"| | | | | | {tag}: {o.name} ({o.detail}) | {value} | {was} "
                f"| {o.ratio(f.seconds or 0)} |"
            )
    return rows


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else round(value, 7)


def results_json(
    machine: dict[str, Any],
    command: str,
    runs: list[tuple[int, int, list[Figure]]],
    elapsed: dict[int, float],
    when: _dt.datetime,
    previous: Previous | None = None,
) -> dict[str, Any]:
    """``benchmarks/results.json``: every figure (and keyed limit) by key and size, for
    the next run to show beside its own. The ``previous`` figures of sizes this run did
    not measure are kept, each with the date of its run (``run``), so that a run of
    one size does not leave the next run of another with nothing to compare."""
    figures: dict[str, dict[str, Any]] = {}
    measured = {str(size) for size, _, _ in runs}
    kept_elapsed: dict[str, Any] = {}
    if previous is not None and previous.data:
        date = previous.data.get("date", "?")
        for key, sizes in previous.figures.items():
            for kept, old in sizes.items():
                if kept not in measured and isinstance(old, dict):
                    figures.setdefault(key, {})[kept] = {"run": date, **old}
        kept_elapsed = {
            k: v for k, v in previous.data.get("elapsed", {}).items() if k not in measured
        }
    for size, _, found in runs:
        for f in found:
            entry: dict[str, Any] = {"name": f.name, "seconds": _number(f.seconds)}
            if f.target is not None:
                entry["target"] = f.target
            if f.seconds is None and "failed" in f.detail:
                entry["failed"] = f.detail
            figures.setdefault(f.key, {})[str(size)] = entry
            for o in f.others:
                if o.key:
                    figures.setdefault(o.key, {})[str(size)] = {
                        "name": o.name,
                        "seconds": _number(o.seconds),
                    }
    return {
        "date": when.strftime("%Y-%m-%d %H:%M"),
        "command": command,
        "machine": machine,
        "triples": {str(size): triples for size, triples, _ in runs},
        "elapsed": {
            **kept_elapsed,
            **{str(size): round(seconds, 1) for size, seconds in elapsed.items()},
        },
        "figures": figures,
    }


def results_markdown(
    machine: dict[str, Any],
    command: str,
    load: dict[str, float],
    runs: list[tuple[int, int, list[Figure]]],
    verdicts: list[tuple[str, str, str, str]],
    notes: list[str],
    previous: Previous | None = None,
    when: _dt.datetime | None = None,
) -> str:
    """``benchmarks/RESULTS.md``: the machine, every figure beside its previous one, and
    each target's verdict."""
    before = previous or Previous()
    libs = ", ".join(f"{k} {v}" for k, v in machine["libraries"].items())
    out = [
        "# groupkg benchmark results",
        "",
        f"Written by `{command}` on {(when or _dt.datetime.now()).strftime('%Y-%m-%d %H:%M')}.",
        "Every figure beside a peer or a limit was measured in the same run. The "
        f'"previous" column is {before.describe()}; {NONE}: not measured then.',
        "",
        "## Machine",
        "",
        f"- CPU: {machine['cpu']}, {machine['cores']} cores available to the run",
        f"- Memory: {machine['memory_gb']} GB; {machine['os']}",
        f"- Python {machine['python']}; {libs}",
        f"- Load average during the run (1-minute, sampled every 5 s): "
        f"min {load['min']:.2f}, mean {load['mean']:.2f}, max {load['max']:.2f}",
    ]
    if load["mean"] > machine["cores"] * 0.75:
        out.append(
            f"- The load average stayed above the {machine['cores']} cores for much of the run: "
            "other work was sharing the CPU, so the times are longer than on an idle machine."
        )
    out += [
        "",
        "## Targets",
        "",
        "| target | measured | previous | verdict |",
        "|---|---|---|---|",
    ]
    out += [f"| {t} | {m} | {p} | {v} |" for t, m, p, v in verdicts]
    for size, triples, figures in runs:
        out += ["", f"## {size:,} entities ({triples:,} triples)", ""]
        older = before.runs(size)
        if older:
            out += [f"Previous figures of this size: the run of {', '.join(sorted(older))}.", ""]
        out += _markdown_rows(size, figures, before)
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"
