"""The peers groupkg is measured against, and the limits: what the same question costs
when answered another way.

Peers are what a user could reach for instead (an rdflib graph and its SPARQL engine,
networkx enumerating paths); limits are the least a Python program could spend on the
question (a dict lookup, numpy or scipy on arrays with no bookkeeping at all).
"""

from __future__ import annotations

import bisect
import re
import time
from collections import defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np
import scipy.sparse as sp

from groupkg.graph import Register

__all__ = [
    "OwnersDict",
    "OwnersIntervals",
    "RdflibOwners",
    "majority_parents",
    "path_products",
    "one_solve",
]


class OwnersDict:
    """The limit: a plain dict of owned entity -> [(owner, start, end, low, high)]."""

    def __init__(self, register: Register):
        self.rows: dict[str, list[tuple[str, int, int, float, float]]] = defaultdict(list)
        ids = register.ids
        for owner, owned, start, end, low, high in zip(
            register.owner.tolist(),
            register.owned.tolist(),
            register.start.tolist(),
            register.end.tolist(),
            register.low.tolist(),
            register.high.tolist(),
            strict=True,
        ):
            self.rows[ids[owned]].append((ids[owner], start, end, low, high))

    def owners_at(self, entity: str, day: int) -> list[tuple[str, float, float]]:
        return [(o, lo, hi) for o, s, e, lo, hi in self.rows.get(entity, ()) if s <= day < e]


class OwnersIntervals:
    """The limit with an interval index: each entity's rows sorted by start, bisected."""

    def __init__(self, register: Register):
        plain = OwnersDict(register).rows
        self.starts: dict[str, list[int]] = {}
        self.rows: dict[str, list[tuple[str, int, int, float, float]]] = {}
        for entity, rows in plain.items():
            rows.sort(key=lambda r: r[1])
            self.rows[entity] = rows
            self.starts[entity] = [r[1] for r in rows]

    def owners_at(self, entity: str, day: int) -> list[tuple[str, float, float]]:
        starts = self.starts.get(entity)
        if starts is None:
            return []
        rows = self.rows[entity]
        return [
            (o, lo, hi) for o, s, e, lo, hi in rows[: bisect.bisect_right(starts, day)] if day < e
        ]


# A named query's ``VALUES ?v { $entity }``: the records of the entity asked about.
_VALUES_OF_ENTITY = re.compile(r"VALUES \?(\w+) \{ \$entity \}")


class RdflibOwners:
    """The peer: the library's own ``owners-at.rq`` on an rdflib in-memory graph."""

    def __init__(self, path: str):
        import rdflib
        from rdflib.plugins.sparql import prepareQuery

        from groupkg.graph.store import named_query

        start = time.perf_counter()
        self.graph = rdflib.Graph()
        self.graph.parse(path, format="nt")
        self.load_seconds = time.perf_counter() - start
        self.text = named_query("owners-at")
        # $entity and $date are SPARQL variables: bound per call, the query parsed once.
        # The entity's records are a VALUES block (one record here): a bound variable
        # takes its place.
        bound = _VALUES_OF_ENTITY.sub(r"BIND(?given AS ?\1)", self.text)
        self.prepared = prepareQuery(bound.replace("$entity", "?given"))
        self.rdflib = rdflib

    def string(self, entity: str, day: str) -> list[Any]:
        text = self.text.replace("$entity", f"<{entity}>").replace("$date", f'"{day}"')
        return list(self.graph.query(text))

    def prepared_query(self, entity: str, day: str) -> list[Any]:
        bindings = {"given": self.rdflib.URIRef(entity), "date": self.rdflib.Literal(day)}
        return list(self.graph.query(self.prepared, initBindings=bindings))


def majority_parents(register: Register, day: int, threshold: float = 0.5) -> np.ndarray:
    """The limit for ultimate parents: the largest holder above the threshold of each
    entity (no joint control, no cycles, no consolidations), then pointer jumping."""
    matrices = register.graph_at(day)
    n = len(register)
    columns = sp.csc_array(matrices.low)
    parent = np.arange(n)
    lengths = np.diff(columns.indptr)
    owned = np.flatnonzero(lengths)
    if owned.size:
        # The largest stake of each column: reduceat over the column's entries.
        best = np.maximum.reduceat(columns.data, columns.indptr[owned])
        at = np.repeat(best, lengths[owned]) == columns.data
        first = np.flatnonzero(at)
        column_of = np.repeat(owned, lengths[owned])[first]
        keep = np.r_[True, column_of[1:] != column_of[:-1]]
        winner, column = columns.indices[first[keep]], column_of[keep]
        majority = best[np.searchsorted(owned, column)] > threshold
        parent[column[majority]] = winner[majority]
    for _ in range(max(1, n.bit_length())):
        further = parent[parent]
        if np.array_equal(further, parent):
            break
        parent = further
    return parent


def one_solve(register: Register, day: int) -> float:
    """The limit for effective ownership: one sparse LU factorisation of ``I - Aᵀ`` over
    the whole register and one solve; seconds."""
    from scipy.sparse.linalg import splu

    start = time.perf_counter()
    matrix = register.graph_at(day).high
    n = matrix.shape[0]
    system = (sp.identity(n, format="csc") - sp.csc_array(matrix.T)).tocsc()
    rhs = np.zeros(n)
    rhs[: min(n, 10)] = 1.0
    splu(system).solve(rhs)
    return time.perf_counter() - start


def path_products(graph: nx.DiGraph, owner: Hashable, cap: float) -> tuple[dict, bool]:
    """The peer: every simple path from ``owner`` enumerated with networkx, the products
    of the stakes (low bounds) summed per entity. Gives up after ``cap`` seconds."""
    targets = nx.descendants(graph, owner)
    found: dict[Hashable, float] = defaultdict(float)
    if not targets:
        return found, False
    deadline = time.perf_counter() + cap
    for path in nx.all_simple_paths(graph, owner, targets):
        product = 1.0
        for u, v in zip(path, path[1:], strict=False):
            product *= graph.edges[u, v]["low"]
        found[path[-1]] += product
        if time.perf_counter() > deadline:
            return found, True
    return found, False
