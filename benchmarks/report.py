"""Figures, their ratios to peers and limits, the printed table and ``RESULTS.md``."""

from __future__ import annotations

import datetime as _dt
import math
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Figure", "Other", "format_seconds", "table", "results_markdown", "TARGETS"]


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
    """One measured figure of groupkg, with the peers and limits measured beside it."""

    key: str
    name: str
    seconds: float | None
    detail: str = ""
    others: list[Other] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


def table(size: int, triples: int, figures: list[Figure]) -> str:
    """The figures of one size as fixed-width text."""
    lines = [f"== {size:,} entities ({triples:,} triples) =="]
    width = max([len(f.name) for f in figures] + [10])
    for f in figures:
        lines.append(f"{f.name:<{width}}  {format_seconds(f.seconds):>10}  {f.detail}")
        for o in f.others:
            tag = "limit" if o.limit else "peer"
            label = f"  {tag}: {o.name}"
            value = format_seconds(o.seconds) if o.seconds is not None else "-"
            lines.append(f"{label:<{width}}  {value:>10}  {o.detail}  {o.ratio(f.seconds or 0)}")
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
    "serve": "Hot API answer (groupkg serve, 127.0.0.1) <= 5 ms median",
}


def _markdown_rows(figures: list[Figure]) -> list[str]:
    rows = [
        "| figure | groupkg | detail | peer / limit | its figure | ratio |",
        "|---|---:|---|---|---:|---|",
    ]
    for f in figures:
        rows.append(f"| {f.name} | {format_seconds(f.seconds)} | {f.detail} | | | |")
        for o in f.others:
            tag = "limit" if o.limit else "peer"
            value = format_seconds(o.seconds) if o.seconds is not None else "-"
            rows.append(
                f"| | | | {tag}: {o.name} ({o.detail}) | {value} | {o.ratio(f.seconds or 0)} |"
            )
    return rows


def results_markdown(
    machine: dict[str, Any],
    command: str,
    load: dict[str, float],
    runs: list[tuple[int, int, list[Figure]]],
    verdicts: list[tuple[str, str, str]],
    notes: list[str],
) -> str:
    """``benchmarks/RESULTS.md``: the machine, every figure, and each target's verdict."""
    libs = ", ".join(f"{k} {v}" for k, v in machine["libraries"].items())
    out = [
        "# groupkg benchmark results",
        "",
        f"Written by `{command}` on {_dt.datetime.now().strftime('%Y-%m-%d %H:%M')}.",
        "Every figure beside a peer or a limit was measured in the same run.",
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
    out += ["", "## Targets", "", "| target | measured | verdict |", "|---|---|---|"]
    out += [f"| {t} | {m} | {v} |" for t, m, v in verdicts]
    for size, triples, figures in runs:
        out += ["", f"## {size:,} entities ({triples:,} triples)", ""]
        out += _markdown_rows(figures)
    if notes:
        out += ["", "## Notes", ""]
        out += [f"- {n}" for n in notes]
    return "\n".join(out) + "\n"
