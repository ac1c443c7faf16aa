"""The rule sets figure: control and beneficial owners of every top parent of a
register under all shipped rule sets, beside the single rule.

A top parent (its own ultimate parent, holding something on the day) is where a
user asks "who owns this group?". The figure times
:func:`groupkg.graph.analytics.rules.qualifying_holders` under the six shipped rule
sets for each of them, on the interest graph of the day (every interest kind of every
pair, from the register's snapshot); beside it the same loop under ``groupkg-default``
alone, and the ultimate parents of every entity (the single-rule answer of
``groupkg parents``).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from benchmarks.measure import timed
from benchmarks.report import Figure, Other

__all__ = ["rule_sets_figure"]

PERSONS = "SELECT ?e WHERE { ?e a <https://w3id.org/groupkg/ontology#NaturalPerson> }"


def _top_parents(register: Any, day: Any, parents: np.ndarray) -> list[str]:
    edges = register.edges_at(day)
    holds = np.zeros(len(register), dtype=bool)
    holds[edges.src] = True
    positions = np.arange(len(register))
    return [register.entity(i) for i in np.flatnonzero((parents == positions) & holds).tolist()]


def rule_sets_figure(
    register: Any, store: Any, parents: np.ndarray, day: Any, parents_seconds: float
) -> Figure:
    """The figure, for a register opened from ``store`` and its ultimate parents on ``day``."""
    from groupkg.graph.analytics.rules import qualifying_holders
    from groupkg.graph.formats.rulesets import rule_sets
    from groupkg.graph.model import Entity
    from groupkg.graph.timemodel.interestgraph import interest_graph

    persons = {str(row["e"]) for row in store.select(PERSONS)}
    build, graph = timed(
        lambda: interest_graph(
            register.snapshot(day), {p: Entity(p, p, kind="person") for p in persons}
        )
    )
    tops = _top_parents(register, day.toordinal(), parents)
    every, one = rule_sets(), rule_sets(["groupkg-default"])

    def answer(rules: list) -> int:
        return sum(
            len(a["beneficial_owners"]) + len(a["controlling_entities"])
            for top in tops
            for a in qualifying_holders(graph, top, rules)
        )

    seconds, found = timed(answer, every)
    single, _ = timed(answer, one)
    return Figure(
        "rules",
        f"control and beneficial owners of every top parent, all {len(every)} rule sets",
        seconds,
        f"{len(tops):,} top parents, {found:,} qualifying holders; the day's interest "
        f"graph built once first ({build:.2f} s, not counted)",
        others=[
            Other("groupkg-default alone, same top parents", single, key="rules-single"),
            Other("ultimate parents of every entity (groupkg parents)", parents_seconds),
        ],
    )
