"""The random registers the tests draw, from one seed each.

:class:`RandomRegister` draws a register as N-Triples: entities, dated holdings and
consolidations, mergers and share capital, with the awkward cases on purpose (ranges,
unknown stakes, observations superseded on the same day and later, partial dates,
mergers in chains, unnamed holders, one-to-one control cycles, joint control,
cross-holdings and cycles whose walk sums diverge). :class:`SeveralGroups` keeps its
holdings within blocks of six entities. :func:`random_group` draws a large group as an
ownership graph of the shape :mod:`groupkg.graph.analytics` reads. Hypothesis
strategies for small groups are in :mod:`tests.strategies`.
"""

from __future__ import annotations

import datetime as dt

import networkx as nx
import numpy as np
import pyoxigraph as ox

from groupkg.graph import OxigraphStore, open_store
from groupkg.graph.vocab import GK, ORG

__all__ = [
    "A",
    "BASE",
    "XSD",
    "RandomRegister",
    "SeveralGroups",
    "iri",
    "random_group",
]

BASE = "https://example.org/reg/"
A = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"
XSD = "http://www.w3.org/2001/XMLSchema#"


def iri(term: object) -> str:
    """``term`` written as an N-Triples IRI."""
    return f"<{term}>"


class RandomRegister:
    """A small register drawn from ``seed``, as N-Triples lines."""

    def __init__(self, seed: int, entities: int = 36):
        self.rng = np.random.default_rng(seed)
        self.n = entities
        self.lines: list[str] = []
        self.facts = 0
        self.days: list[dt.date] = []
        for i in range(entities):
            self._entity(i)
        for _ in range(int(entities * 1.6)):
            self._holding(*self._pair())
        for _ in range(entities // 6):
            self._consolidation(*self._pair())
        # The awkward shapes, on purpose: one-to-one control both ways, joint control,
        # a cycle of consolidations (divergent upper bounds), small cross-holdings.
        e = self.rng.permutation(entities).tolist()
        self._holding(e[0], e[1], exact=60)
        self._holding(e[1], e[0], exact=60)
        self._holding(e[2], e[3], exact=60)
        self._holding(e[2], e[4], exact=60)
        self._holding(e[3], e[5], exact=30)
        self._holding(e[4], e[5], exact=30)
        self._consolidation(e[6], e[7])
        self._consolidation(e[7], e[6])
        self._holding(e[8], e[9], exact=3)
        self._holding(e[9], e[8], exact=4)
        self._holding(e[10], e[11], exact=60, start=dt.date(2001, 1, 1))  # and consolidated
        self._consolidation(e[10], e[11], start=dt.date(2001, 1, 1))
        # A chain the direct records leave open, completed by a reported ultimate parent.
        self._holding(e[12], e[13], exact=60, start=dt.date(2001, 1, 1))
        self._consolidation(e[14], e[13], start=dt.date(2001, 1, 1), ultimate=True)
        for _ in range(entities // 8):
            self._merger()
        self._merger(chain=True)
        # Share capital: holdings given as share counts follow issued shares, splits
        # and issuances; a 55% stake diluted below 50% by an issue loses control.
        self._holding(e[15], e[16], exact=55, start=dt.date(2002, 1, 1))
        shares = f"<{BASE}h{self.facts - 1:04d}> {iri(GK.shares)}"
        self.lines.append(f'{shares} "550"^^<{XSD}integer> .')
        for i in {e[16], *self.rng.choice(entities, 4, replace=False).tolist()}:
            self._capital(int(i))

    def entity(self, i: int) -> str:
        return f"{BASE}e{i:03d}"

    def _date(self, day: dt.date, partial: bool = True) -> str:
        self.days.append(day)
        draw = self.rng.random() if partial else 1.0
        if draw < 0.08:
            return f'"{day.year}"^^<{XSD}gYear>'
        if draw < 0.16:
            return f'"{day.year}-{day.month:02d}"^^<{XSD}gYearMonth>'
        return f'"{day.isoformat()}"^^<{XSD}date>'

    def _day(self, first: int = 2000, last: int = 2010) -> dt.date:
        start = dt.date(first, 1, 1).toordinal()
        return dt.date.fromordinal(int(self.rng.integers(start, dt.date(last, 12, 31).toordinal())))

    def _entity(self, i: int) -> None:
        e, draw = f"<{self.entity(i)}>", self.rng.random()
        if draw < 0.06:
            return  # untyped: it appears only in holdings
        kind = (
            GK.UnnamedHolders
            if draw < 0.14
            else GK.NaturalPerson
            if draw < 0.22
            else GK.LegalEntity
        )
        self.lines.append(f"{e} {A} {iri(kind)} .")
        self.lines.append(f'{e} <http://www.w3.org/2000/01/rdf-schema#label> "Entity {i}" .')
        if self.rng.random() < 0.7:
            born = self._day(1995, 2004)
            self.lines.append(f"{e} {iri(GK.incorporationDate)} {self._date(born)} .")
        if self.rng.random() < 0.12:
            self.lines.append(f"{e} {iri(GK.dissolutionDate)} {self._date(self._day(2005))} .")

    def _pair(self) -> tuple[int, int]:
        owner = int(self.rng.integers(self.n))
        owned = owner if self.rng.random() < 0.03 else int(self.rng.integers(self.n))
        return owner, owned

    def _dated(self, fact: str, start: dt.date | None = None) -> None:
        draw = self.rng.random()
        start = start or self._day()
        if draw < 0.45:
            self.lines.append(f"{fact} {iri(GK.validFrom)} {self._date(start)} .")
        elif draw < 0.9:
            self.lines.append(f"{fact} {iri(GK.asOf)} {self._date(start)} .")
        if self.rng.random() < 0.25:
            end = dt.date.fromordinal(start.toordinal() + int(self.rng.integers(1, 2500)))
            self.lines.append(f"{fact} {iri(GK.validTo)} {self._date(end)} .")

    def _holding(
        self,
        owner: int,
        owned: int,
        exact: float | None = None,
        start: dt.date | None = None,
        again: bool = True,
    ) -> None:
        h = f"<{BASE}h{self.facts:04d}>"
        self.facts += 1
        o, d = f"<{self.entity(owner)}>", f"<{self.entity(owned)}>"
        self.lines += [
            f"{h} {A} {iri(GK.Holding)} .",
            f"{h} {iri(GK.owner)} {o} .",
            f"{h} {iri(GK.owned)} {d} .",
        ]
        draw = self.rng.random()
        if exact is not None or draw < 0.6:
            value = (
                exact
                if exact is not None
                else self.rng.choice([5, 10, 25, 30, 49.99, 50, 50.01, 51, 60, 75, 100])
            )
            self.lines.append(f'{h} {iri(GK.percent)} "{value}"^^<{XSD}decimal> .')
        elif draw < 0.8:
            low, high = sorted(self.rng.choice([0, 10, 25, 50, 75, 100], 2, replace=False))
            self.lines.append(f'{h} {iri(GK.percentMin)} "{low}"^^<{XSD}decimal> .')
            self.lines.append(f'{h} {iri(GK.percentMax)} "{high}"^^<{XSD}decimal> .')
            if self.rng.random() < 0.5:
                self.lines.append(f'{h} {iri(GK.percentMinExclusive)} "true"^^<{XSD}boolean> .')
        elif draw < 0.9:
            self.lines.append(
                f'{h} {iri(GK.shares)} "{int(self.rng.integers(1, 999))}"^^<{XSD}integer> .'
            )
        kind = self.rng.random()
        if kind < 0.25:  # interest kinds other than shares, never added to them
            interest = self.rng.choice(
                ["votingRights", "appointmentOfBoard", "unknownInterest",
                 "otherInfluenceOrControl", "shareholding"]
            )  # fmt: skip
            self.lines.append(f'{h} {iri(GK.interestType)} "{interest}" .')
        self._dated(h, start)
        if self.rng.random() < 0.06:  # an exact repeat: the same record again, counted once
            twin = f"<{BASE}h{self.facts:04d}>"
            self.facts += 1
            first = self.lines.index(f"{h} {A} {iri(GK.Holding)} .")
            self.lines += [
                line.replace(h, twin, 1) for line in self.lines[first:] if line.startswith(h)
            ]
        if again and self.rng.random() < 0.25:  # a later record, or one on the same day
            same = self.rng.random() < 0.3
            when = None if not same else start
            self._holding(owner, owned, start=when, again=False)

    def _consolidation(
        self, parent: int, child: int, start: dt.date | None = None, ultimate: bool = False
    ) -> None:
        r = f"<{BASE}r{self.facts:04d}>"
        self.facts += 1
        direct = not ultimate and (start is not None or self.rng.random() < 0.8)
        kind = GK.DirectConsolidation if direct else GK.UltimateConsolidation
        self.lines += [
            f"{r} {A} {iri(kind)} .",
            f"{r} {iri(GK.parent)} <{self.entity(parent)}> .",
            f"{r} {iri(GK.child)} <{self.entity(child)}> .",
        ]
        if self.rng.random() < 0.3:  # GLEIF reports a consolidation percentage
            value = self.rng.choice([20, 51, 100])
            self.lines.append(f'{r} {iri(GK.percent)} "{value}"^^<{XSD}decimal> .')
        if self.rng.random() < 0.1 and not ultimate:  # a relation GLEIF marks INACTIVE
            self.lines.append(f'{r} {iri(GK.relationshipStatus)} "INACTIVE" .')
        self._dated(r, start)

    def _capital(self, i: int) -> None:
        """Issued shares of entity ``i`` observed, then a split and an issuance."""
        o, e = f"<{BASE}o{self.facts:04d}>", f"<{self.entity(i)}>"
        self.facts += 1
        day = self._day(2001, 2003)
        self.lines += [
            f"{o} {A} {iri(GK.ShareCapitalObservation)} .",
            f"{o} {iri(GK.subject)} {e} .",
            f"{o} {iri(GK.measure)} {iri(GK.IssuedShares)} .",
            f'{o} {iri(GK.value)} "1000"^^<{XSD}integer> .',
            f"{o} {iri(GK.asOf)} {self._date(day, partial=False)} .",
        ]
        for kind, fact in ((GK.StockSplit, (GK.splitRatio, "2")),
                           (GK.ShareIssuance, (GK.newSharesIssued, "1000"))):  # fmt: skip
            m = f"<{BASE}m{self.facts:04d}>"
            self.facts += 1
            day = self._day(2003, 2009)
            self.lines += [
                f"{m} {A} {iri(kind)} .",
                f"{m} {iri(GK.issuer)} {e} .",
                f'{m} {iri(fact[0])} "{fact[1]}"^^<{XSD}decimal> .',
                f"{m} {iri(GK.effectiveDate)} {self._date(day)} .",
            ]

    def _merger(self, chain: bool = False) -> None:
        survivor, absorbed = (int(x) for x in self.rng.choice(self.n, 2, replace=False))
        day = self._day(2003)
        self._merge(survivor, absorbed, day, plain=self.rng.random() < 0.3)
        if chain:  # the survivor is absorbed in turn, later
            self._merge(int(self.rng.integers(self.n)), survivor, day + dt.timedelta(days=400))

    def _merge(self, survivor: int, absorbed: int, day: dt.date, plain: bool = False) -> None:
        if survivor == absorbed:
            return
        m = f"<{BASE}m{self.facts:04d}>"
        self.facts += 1
        s, a = f"<{self.entity(survivor)}>", f"<{self.entity(absorbed)}>"
        if plain:  # an org:ChangeEvent with no groupkg type: still a merger
            self.lines += [
                f"{m} {A} {iri(ORG.ChangeEvent)} .",
                f"{m} {iri(ORG.resultingOrganization)} {s} .",
                f"{m} {iri(ORG.originalOrganization)} {s} .",
                f"{m} {iri(ORG.originalOrganization)} {a} .",
            ]
        else:
            self.lines += [
                f"{m} {A} {iri(GK.AbsorptionMerger)} .",
                f"{m} {iri(GK.survivor)} {s} .",
                f"{m} {iri(GK.absorbed)} {a} .",
            ]
        self.lines.append(f"{m} {iri(GK.effectiveDate)} {self._date(day)} .")
        self.days += [day - dt.timedelta(days=1), day]

    def store(self) -> OxigraphStore:
        store = open_store("memory", default_data=False)
        assert isinstance(store, OxigraphStore)
        store.add_rdf("\n".join(self.lines).encode(), ox.RdfFormat.N_TRIPLES)
        return store

    def sample_days(self, count: int = 6) -> list[dt.date]:
        picks = self.rng.choice(len(self.days), min(count, len(self.days)), replace=False)
        return sorted({self.days[int(i)] for i in picks} | {dt.date(1999, 1, 1)})


class SeveralGroups(RandomRegister):
    """A random register whose holdings and consolidations stay within blocks of six
    entities: several groups, linked to one another only by the mergers and the
    awkward shapes :class:`RandomRegister` draws across the whole register. A question
    about one group then reads a neighbourhood smaller than the store."""

    def _pair(self) -> tuple[int, int]:
        owner = int(self.rng.integers(self.n))
        if self.rng.random() < 0.03:
            return owner, owner
        block = owner - owner % 6
        return owner, block + int(self.rng.integers(min(6, self.n - block)))


def random_group(
    seed: int, n: int, held: int = 100, ranges: bool = True, closing: float = 0.1
) -> nx.DiGraph:
    """A group of ``n`` entities ``N0000``, ``N0001``, ...: mostly a forest of
    majorities, with minorities, joint ventures and cross-holdings.

    Each entity but the first has one to three holders, mostly earlier in the list;
    a share ``closing`` of the holders are drawn from the whole list and so close
    cycles. The holders of an entity hold at most ``held`` percent of it together.
    With ``ranges``, some stakes are ranges or unknown (some of these consolidated);
    without, every stake is exact.
    """
    rng = np.random.default_rng(seed)
    G = nx.DiGraph()
    names = [f"N{i:04d}" for i in range(n)]
    G.add_nodes_from(names)
    for j in range(1, n):
        left = held
        for _ in range(int(rng.choice([1, 1, 2, 3]))):
            if left <= 0:
                break
            i = int(rng.integers(n)) if rng.random() < closing else int(rng.integers(j))
            if i == j or G.has_edge(names[i], names[j]):
                continue
            percent = min(int(rng.choice([100, 60, 51, 50, 40, 30, 25, 20, 10])), left)
            left -= percent
            kind = rng.random() if ranges else 0.0
            if kind < 0.7:
                G.add_edge(names[i], names[j], low=percent / 100, high=percent / 100)
            elif kind < 0.85:
                G.add_edge(names[i], names[j], low=max(0, percent - 10) / 100, high=percent / 100)
            else:
                G.add_edge(names[i], names[j], low=0.0, high=1.0, consolidated=kind > 0.95)
    return G
