"""Synthetic GLEIF-like corporate groups, written as N-Triples, for scale tests and benchmarks.

A register of ``N`` entities is made of groups drawn one after another, so memory stays
flat however large ``N`` is. Each group is a tree of holdings under one top company
(or a natural person who holds the top company), with the irregularities real
registers have:

* group sizes are heavy-tailed: the first group has ``min(5000, N // 20)`` entities, so
  a benchmark always finds one large group, and the rest follow a Zipf law with
  exponent 2.5 capped at 5,000 (about three groups in four are a single company, 96%
  have at most five entities, a register of a million entities has a handful of groups
  with thousands);
* a tree is at most eight holdings deep; an entity is owned by an earlier member of
  its group, most often one near the top, so groups are broad rather than deep;
* about 3% of entities have several owners: a second, shallower member of the group
  holds a minority beside the parent's majority;
* some subsidiaries hold a small stake (0.5-5%) in their parent, and some siblings
  hold small stakes in each other: cross-holding cycles;
* about a fifth of the holdings end: by a disposal (``gk:validTo``), by an absorption
  merger into the parent (an event, after which the absorbed company is dissolved) or
  by a stake change (a second holding of the same owner and owned, with a later
  ``gk:validFrom`` or ``gk:asOf``);
* 5% of parent stakes are reported as ranges (``(10, 25]``, ``(25, 50]``, ``(50, 75]``,
  ``(75, 100]``, the minimum exclusive), 5% of parent links as a
  ``gk:DirectConsolidation`` without a percent, and 10% of the
  entities two or more levels down also have a ``gk:UltimateConsolidation`` to the
  top company; 30% of the facts are observations (``gk:asOf``) rather than stated
  starts;
* dates lie in 1990-2025: incorporations up to 2018, holdings starting up to 2023,
  ends, changes and mergers up to 2025-12-31.

The stakes of a company never sum to more than 100% on any day: every owner's largest
stake in it (over the stake changes) is counted against one budget of 100%, a merger
passes the absorbed company's stakes to the survivor unchanged, and every date of a
merged company lies before its merger. Within a group an owner is numbered before what
it owns, except for the cross-holdings. The same seed gives the same bytes: all draws
come from :func:`numpy.random.default_rng` in a fixed order, and nothing depends on the
clock or on the order of a set or dict.
"""

from __future__ import annotations

import datetime as _dt
import gzip
import io
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from rdflib.namespace import FOAF, RDF, RDFS, XSD

from groupkg.graph.errors import InputError
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["DATA_BASE", "synthesize", "write_synth"]

DATA_BASE = "https://w3id.org/groupkg/data/synth/"

# Distribution parameters; DESIGN-level targets are in the module docstring.
LARGEST_GROUP = 5000
ZIPF_EXPONENT = 2.5
MAX_DEPTH = 8
PERSON_TOP = 0.15  # groups of two or more held by a natural person
JOINT = 0.13  # entities, from the third of a group on, with a second owner
CYCLE = 0.006  # subsidiaries holding a stake in their parent or a sibling
DISPOSAL = 0.085  # parent links ended by a disposal
CHANGE = 0.07  # exact parent stakes changed later
MERGER = 0.075  # subsidiaries that may be absorbed by their parent
RANGE = 0.05
CONSOLIDATION = 0.05
ULTIMATE = 0.10
OBSERVED = 0.30

FIRST_DAY = _dt.date(1990, 1, 1)
_LAST = (_dt.date(2025, 12, 31) - FIRST_DAY).days  # days are counted from FIRST_DAY
_LAST_INCORPORATION = (_dt.date(2018, 12, 31) - FIRST_DAY).days
_LAST_START = (_dt.date(2023, 12, 31) - FIRST_DAY).days
_FULL = 10_000  # stakes are counted in hundredths of a percent

_SUFFIXES = (".nt", ".nt.gz")
_GZIP_LEVEL = 3  # 16x smaller; about 3x faster than level 6 for 20% more bytes
_PROGRESS_STEP = 10_000
# The command line's ceiling: about a billion triples, hours of writing. A number past
# it is a slip of the keyboard, which would otherwise run until the disk is full.
_MAX_ENTITIES = 100_000_000


def _iri(term: Any) -> str:
    return f"<{term}>"


_A = _iri(RDF.type)
_LABEL = _iri(RDFS.label)
_STATED = f"{_iri(GK.factStatus)} {_iri(GK.Stated)} .\n"
_SOURCE = _iri(DATA_BASE + "source")
_DERIVED = f"{_iri(PROV.wasDerivedFrom)} {_SOURCE} .\n"
_P = {name: _iri(getattr(GK, name)) for name in (
    "lei", "incorporationDate", "dissolutionDate", "owner", "owned", "percent", "percentMin",
    "percentMinExclusive", "percentMax", "validFrom", "validTo", "asOf", "parent", "child",
    "announcementDate", "effectiveDate", "survivor", "absorbed", "participant",
)}  # fmt: skip
_COMPANY = (_iri(GK.LegalEntity), _iri(ORG.FormalOrganization))
_PERSON = (_iri(GK.NaturalPerson), _iri(FOAF.Person))
_HOLDING = _iri(GK.Holding)
_DIRECT, _ULTIMATE = _iri(GK.DirectConsolidation), _iri(GK.UltimateConsolidation)
_MERGER = (_iri(GK.AbsorptionMerger), _iri(ORG.ChangeEvent))
_ORIGINAL, _RESULTING = _iri(ORG.originalOrganization), _iri(ORG.resultingOrganization)
_TRUE = f'"true"^^{_iri(XSD.boolean)}'
_DATES = [f'"{FIRST_DAY + _dt.timedelta(days=d)}"^^{_iri(XSD.date)}' for d in range(_LAST + 1)]
_DECIMAL = _iri(XSD.decimal)
_BANDS = ((7500, 10000), (5000, 7500), (2500, 5000), (1000, 2500))  # (min, max], BODS-like

_E = f"<{DATA_BASE}e"  # an entity's IRI is _E + its number + ">"
_ALNUM = np.frombuffer(b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
_HALF = 36**6  # an LEI's 12 free characters, as two halves of six base-36 digits
_LEI_BLOCK = 1 << 14


def _percent(cents: int) -> str:
    whole, part = divmod(cents, 100)
    return f'"{whole}"^^{_DECIMAL}' if part == 0 else f'"{whole}.{part:02d}"^^{_DECIMAL}'


def _uniforms(rng: np.random.Generator) -> Callable[[], float]:
    """Uniform draws in [0, 1) from ``rng``, fetched in blocks: one call per draw is slow."""

    def draws() -> Iterator[float]:
        while True:
            yield from rng.random(1 << 16).tolist()

    return draws().__next__


def _between(u: Callable[[], float], first: int, last: int) -> int:
    """A whole number (a day, a stake in hundredths) in ``[first, last]``, both included."""
    return first + int(u() * (last - first + 1))


def _group_sizes(entities: int, rng: np.random.Generator) -> Iterator[int]:
    left = entities
    while left > 0:
        if left == entities:
            draws = [min(LARGEST_GROUP, max(1, entities // 20))]
        else:
            draws = rng.zipf(ZIPF_EXPONENT, 4096).tolist()
        for drawn in draws:
            size = min(drawn, LARGEST_GROUP, left)
            yield size
            left -= size
            if left == 0:
                return


class _Leis:
    """Distinct, well-formed LEIs for entity numbers, made in blocks with numpy.

    An LEI is a 4-character issuer prefix, ``00``, 12 characters and two ISO 7064
    MOD 97-10 check digits. The 12 characters are the entity number put through a
    three-round Feistel permutation of ``[0, 36**12)`` keyed by the seed, so numbers
    map one-to-one to LEIs that do not read as a counter.
    """

    def __init__(self, rng: np.random.Generator):
        self.keys = rng.integers(1, _HALF, size=(3, 2)).tolist()
        self.prefix = _ALNUM[rng.integers(0, 36, 4)].tobytes().decode() + "00"
        self.block, self.leis = -1, [""]

    def __call__(self, n: int) -> str:
        block, offset = divmod(n, _LEI_BLOCK)
        if block != self.block:
            self.block, self.leis = block, self._make(block * _LEI_BLOCK)
        return self.leis[offset]

    def _make(self, first: int) -> list[str]:
        numbers = np.arange(first, first + _LEI_BLOCK, dtype=np.int64)
        left, right = numbers // _HALF, numbers % _HALF
        for k1, k2 in self.keys:  # products stay below 36**12 < 2**63
            mixed = (right * k1 + k2) % _HALF * (right + 1) % _HALF
            left, right = right, (left + mixed) % _HALF
        digits = np.empty((_LEI_BLOCK, 12), dtype=np.int64)
        for col in range(6):
            digits[:, 5 - col] = left % 36
            digits[:, 11 - col] = right % 36
            left, right = left // 36, right // 36
        # The check digits make the whole code, read with A=10 ... Z=35, equal 1 mod 97.
        rest = np.full(_LEI_BLOCK, int("".join(str(int(c, 36)) for c in self.prefix)) % 97)
        for col in range(12):
            d = digits[:, col]
            rest = np.where(d < 10, rest * 10 + d, rest * 100 + d) % 97
        check = 98 - rest * 100 % 97
        codes = np.empty((_LEI_BLOCK, 14), dtype=np.uint8)
        codes[:, :12] = _ALNUM[digits]
        codes[:, 12], codes[:, 13] = 48 + check // 10, 48 + check % 10
        text = codes.tobytes().decode()
        return [self.prefix + text[i : i + 14] for i in range(0, len(text), 14)]


@dataclass(slots=True)
class _Link:
    """A parent link or stake in a group: a holding, or a direct consolidation if ``cents`` is 0."""

    owner: int
    owned: int
    cents: int
    start: int
    observed: bool
    band: tuple[int, int] | None = None
    end: int | None = None
    change: tuple[int, int] | None = None  # (day, cents) of a later record of the pair
    merge: bool = False  # the owned company may be absorbed by the owner

    @property
    def most(self) -> int:
        """The largest stake this link ever gives, for the budget of the owned company."""
        if self.band:
            return self.band[1]
        if self.cents == 0:
            return 5100  # a consolidating parent holds a majority, its percent unknown
        return max(self.cents, self.change[1] if self.change else 0)

    @property
    def last_day(self) -> int:
        return max(self.start, self.end or 0, self.change[0] if self.change else 0)


class _Register:
    """One synthesis run: the draws, the numbering of facts and the counts."""

    def __init__(self, entities: int, seed: int):
        sizes, draws, leis = np.random.SeedSequence(seed).spawn(3)
        self.entities = entities
        self.seed = seed
        self.sizes = _group_sizes(entities, np.random.default_rng(sizes))
        self.u = _uniforms(np.random.default_rng(draws))
        self.lei = _Leis(np.random.default_rng(leis))
        self.counts = {"entities": 0, "groups": 0, "holdings": 0, "relations": 0,
                       "events": 0, "triples": 0}  # fmt: skip

    def chunks(self) -> Iterator[str]:
        """The source's triples, then each group's, as text of whole N-Triples lines."""
        chunk = self._source()
        self.counts["triples"] += chunk.count("\n")
        yield chunk
        first = 0
        for size in self.sizes:
            if size == 1:  # most groups: one company, nothing to draw but its birth
                chunk = self._company(first, _between(self.u, 0, _LAST_INCORPORATION), None)
            else:
                chunk = self._group(first, size)
            self.counts["triples"] += chunk.count("\n")
            self.counts["entities"] += size
            self.counts["groups"] += 1
            yield chunk
            first += size

    def _source(self) -> str:
        title = f"Synthetic GLEIF-like register: {self.entities} entities, seed {self.seed}"
        return (
            f"{_SOURCE} {_A} {_iri(GK.Source)} .\n"
            f"{_SOURCE} {_A} {_iri(PROV.Entity)} .\n"
            f'{_SOURCE} {_iri(DCTERMS.title)} "{title}" .\n'
            f'{_SOURCE} {_iri(DCTERMS.publisher)} "groupkg synth" .\n'
            f"{_SOURCE} {_iri(DCTERMS.date)} {_DATES[_LAST]} .\n"
        )

    # -- one group ------------------------------------------------------------------

    def _group(self, first: int, size: int) -> str:
        u = self.u
        person = u() < PERSON_TOP
        top = 1 if person else 0
        parent, depth = [-1] * size, [0] * size
        incorporated = [_between(u, 0, _LAST_INCORPORATION) for _ in range(size)]
        if person:
            incorporated[0] = 0  # a person is not incorporated: no bound on the dates
        budget_used = [0] * size
        links: list[_Link] = []
        joint: list[tuple[int, int]] = []
        for i in range(1, size):
            p = int(i * u() ** 2)  # mostly near the top: groups are broad, not deep
            if person and p == 0 and i > 1:
                p = 1  # the person holds the top company only
            while depth[p] >= MAX_DEPTH:
                p = parent[p]
            parent[i], depth[i] = p, depth[p] + 1
            other = -1
            if i >= 2 and u() < JOINT:
                other = int(i * u())
                if other == p or depth[other] > depth[p]:
                    other = parent[p]  # no deeper than the parent, so depth stays bounded
            link = self._parent_link(p, i, incorporated, person and p == 0, other >= 0)
            links.append(link)
            budget_used[i] = link.most
            if other >= 0:
                joint.append((other, i))
        for owner, owned in joint:
            self._add_stake(links, budget_used, owner, owned, 100, _FULL, incorporated)
        for i in range(top + 1, size):
            if u() < CYCLE:
                self._cross_holding(links, budget_used, parent, i, incorporated)
        merged = self._mergers(links, parent, size)
        text = [self._person(first) if person else self._company(first, incorporated[0], None)]
        text += [self._company(first + i, incorporated[i], merged.get(i)) for i in range(1, size)]
        text += [self._link(first, link) for link in links]
        text += self._ultimates(first, links, parent, depth, top, merged)
        text += [self._merger(first + parent[i], first + i, day) for i, day in merged.items()]
        return "".join(text)

    def _parent_link(self, p: int, i: int, incorporated: list[int], by_person: bool,
                     shared: bool) -> _Link:  # fmt: skip
        """The link of ``i`` to its parent ``p``, leaving room for a second owner if ``shared``."""
        u = self.u
        start = _between(u, max(incorporated[p], incorporated[i]), _LAST_START)
        link = _Link(p, i, 0, start, u() < OBSERVED)
        most = 9000 if shared else _FULL
        if shared:
            link.cents = _between(u, 5001, most)
        elif by_person:
            link.cents = _between(u, 5001, _FULL)
        elif u() >= CONSOLIDATION:
            link.cents = self._stake()
            if u() < RANGE:
                link.band = next(b for b in _BANDS if link.cents > b[0])
        fate = u()
        if fate < DISPOSAL:
            link.end = _between(u, start + 1, _LAST)
        elif fate < DISPOSAL + CHANGE and link.cents and not link.band:
            later = min(self._stake(), most)
            later = later if later != link.cents else link.cents - 500
            link.change = (_between(u, start + 1, _LAST), later)
        elif fate < DISPOSAL + CHANGE + MERGER and not by_person:
            link.merge = True
        return link

    def _stake(self) -> int:
        draw = self.u()
        if draw < 0.55:
            return _FULL
        if draw < 0.85:
            return _between(self.u, 5001, _FULL - 1)
        return _between(self.u, 1001, 5000)

    def _add_stake(self, links: list[_Link], budget_used: list[int], owner: int, owned: int,
                   least: int, most: int, incorporated: list[int]) -> bool:  # fmt: skip
        """A stake of ``owner`` in ``owned`` within ``[least, most]``, if the budget allows."""
        room = min(most, _FULL - budget_used[owned])
        if room < least:
            return False
        u = self.u
        start = _between(u, max(incorporated[owner], incorporated[owned]), _LAST_START)
        link = _Link(owner, owned, _between(u, least, room), start, u() < OBSERVED)
        if most == _FULL and u() < DISPOSAL:  # cross-holdings stay, so the cycles are found
            link.end = _between(u, start + 1, _LAST)
        links.append(link)
        budget_used[owned] += link.cents
        return True

    def _cross_holding(self, links: list[_Link], budget_used: list[int], parent: list[int],
                       i: int, incorporated: list[int]) -> None:  # fmt: skip
        p = parent[i]
        if self.u() < 0.7:
            self._add_stake(links, budget_used, i, p, 50, 500, incorporated)
            return
        siblings = [j for j in range(p + 1, i) if parent[j] == p]
        if siblings:
            sibling = siblings[int(self.u() * len(siblings))]
            if self._add_stake(links, budget_used, i, sibling, 50, 500, incorporated):
                self._add_stake(links, budget_used, sibling, i, 50, 500, incorporated)

    def _mergers(self, links: list[_Link], parent: list[int], size: int) -> dict[int, int]:
        """Absorb merger candidates into their parents, deepest first, after all their dates.

        A company is absorbed only after every holding it takes part in has started,
        changed or ended, and after the mergers into it, so no fact outlives it; a
        parent absorbed in turn goes later still.
        """
        latest = [0] * size
        for link in links:
            day = link.last_day
            latest[link.owner] = max(latest[link.owner], day)
            latest[link.owned] = max(latest[link.owned], day)
        merged = {}
        for link in reversed(links):  # parent links come in order of the owned company
            i = link.owned
            if link.merge and latest[i] < _LAST:
                day = _between(self.u, latest[i] + 1, _LAST)
                merged[i] = day
                latest[parent[i]] = max(latest[parent[i]], day)
        return merged

    # -- triples --------------------------------------------------------------------

    def _company(self, n: int, incorporated: int, dissolved: int | None) -> str:
        e = f"{_E}{n}>"
        text = (
            f"{e} {_A} {_COMPANY[0]} .\n{e} {_A} {_COMPANY[1]} .\n"
            f'{e} {_LABEL} "Synthetic entity {n}" .\n{e} {_P["lei"]} "{self.lei(n)}" .\n'
            f"{e} {_P['incorporationDate']} {_DATES[incorporated]} .\n{e} {_DERIVED}"
        )
        if dissolved is None:
            return text
        return f"{text}{e} {_P['dissolutionDate']} {_DATES[dissolved]} .\n"

    @staticmethod
    def _person(n: int) -> str:
        e = f"{_E}{n}>"
        return (
            f"{e} {_A} {_PERSON[0]} .\n{e} {_A} {_PERSON[1]} .\n"
            f'{e} {_LABEL} "Synthetic person {n}" .\n{e} {_DERIVED}'
        )

    def _link(self, first: int, link: _Link) -> str:
        owner, owned = f"{_E}{first + link.owner}>", f"{_E}{first + link.owned}>"
        if link.cents == 0:
            return self._relation(_DIRECT, owner, owned, link.start, link.end, link.observed)
        text = self._holding(owner, owned, link.cents, link.band, link.start, link.end,
                             link.observed)  # fmt: skip
        if link.change:
            day, cents = link.change
            text += self._holding(owner, owned, cents, None, day, None, link.observed)
        return text

    def _holding(self, owner: str, owned: str, cents: int, band: tuple[int, int] | None,
                 start: int, end: int | None, observed: bool) -> str:  # fmt: skip
        h = f"<{DATA_BASE}h{self.counts['holdings']}>"
        self.counts["holdings"] += 1
        if band:
            stake = (
                f"{h} {_P['percentMin']} {_percent(band[0])} .\n"
                f"{h} {_P['percentMinExclusive']} {_TRUE} .\n"
                f"{h} {_P['percentMax']} {_percent(band[1])} .\n"
            )
        else:
            stake = f"{h} {_P['percent']} {_percent(cents)} .\n"
        return (
            f"{h} {_A} {_HOLDING} .\n{h} {_P['owner']} {owner} .\n{h} {_P['owned']} {owned} .\n"
            f"{stake}{_dated(h, start, end, observed)}"
        )

    def _relation(self, kind: str, parent: str, child: str, start: int, end: int | None,
                  observed: bool) -> str:  # fmt: skip
        r = f"<{DATA_BASE}r{self.counts['relations']}>"
        self.counts["relations"] += 1
        return (
            f"{r} {_A} {kind} .\n{r} {_P['parent']} {parent} .\n{r} {_P['child']} {child} .\n"
            f"{_dated(r, start, end, observed)}"
        )

    def _ultimates(self, first: int, links: list[_Link], parent: list[int], depth: list[int],
                   top: int, merged: dict[int, int]) -> list[str]:  # fmt: skip
        """The top company reported as ultimate parent of some entities two levels down or more.

        The relation holds from the last start on the path of parent links to the first
        disposal on it, if any, and ends when its child is absorbed; none is reported
        for a child absorbed before the path is complete.
        """
        up = {link.owned: link for link in links if link.owner == parent[link.owned]}
        found = []
        for i in range(top + 1, len(parent)):
            if depth[i] - depth[top] < 2 or self.u() >= ULTIMATE:
                continue
            start, end, node = 0, _LAST + 1, i
            while node != top:
                link = up[node]
                start = max(start, link.start)
                end = min(end, _LAST + 1 if link.end is None else link.end)
                node = parent[node]
            end = min(end, merged.get(i, end))
            if start < end:
                top_iri, child = f"{_E}{first + top}>", f"{_E}{first + i}>"
                stop = end if end <= _LAST else None
                found.append(self._relation(_ULTIMATE, top_iri, child, start, stop, False))
        return found

    def _merger(self, survivor: int, absorbed: int, day: int) -> str:
        m = f"<{DATA_BASE}m{self.counts['events']}>"
        self.counts["events"] += 1
        s, a = f"{_E}{survivor}>", f"{_E}{absorbed}>"
        announced = max(0, day - _between(self.u, 20, 120))
        return (
            f"{m} {_A} {_MERGER[0]} .\n{m} {_A} {_MERGER[1]} .\n"
            f"{m} {_P['announcementDate']} {_DATES[announced]} .\n"
            f"{m} {_P['effectiveDate']} {_DATES[day]} .\n"
            f"{m} {_P['survivor']} {s} .\n{m} {_P['absorbed']} {a} .\n"
            f"{m} {_ORIGINAL} {s} .\n{m} {_ORIGINAL} {a} .\n{m} {_RESULTING} {s} .\n"
            f"{m} {_P['participant']} {s} .\n{m} {_P['participant']} {a} .\n"
            f"{m} {_STATED}{m} {_DERIVED}"
        )


def _dated(fact: str, start: int, end: int | None, observed: bool) -> str:
    """A fact's dates, status and source: ``asOf`` for an observation, else ``validFrom``."""
    text = f"{fact} {_P['asOf' if observed else 'validFrom']} {_DATES[start]} .\n"
    if end is not None:
        text += f"{fact} {_P['validTo']} {_DATES[end]} .\n"
    return f"{text}{fact} {_STATED}{fact} {_DERIVED}"


# -- public API -----------------------------------------------------------------------


def _check(entities: int, seed: int) -> None:
    if isinstance(entities, bool) or not isinstance(entities, int) or entities < 1:
        raise ValueError(f"entities must be a positive integer, not {entities!r}")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, not {seed!r}")


def synthesize(entities: int, seed: int) -> Iterator[str]:
    """Yield the N-Triples lines of a synthetic register of ``entities`` entities.

    Parameters
    ----------
    entities
        How many entities (companies and the natural persons on top of some groups).
    seed
        The seed of every random draw; the same seed gives the same lines.

    Yields
    ------
    str
        One triple a line, ending in a newline: first the register's ``gk:Source``,
        then group after group its entities, holdings, reported consolidations and
        merger events.

    Raises
    ------
    ValueError
        When ``entities`` is not a positive integer or ``seed`` a non-negative one.

    Examples
    --------
    >>> lines = list(synthesize(50, seed=1))
    >>> lines == list(synthesize(50, seed=1))
    True
    >>> sum("rdf-schema#label" in line for line in lines)  # one label an entity
    50
    >>> lines[5].split()[0]
    '<https://w3id.org/groupkg/data/synth/e0>'
    """
    _check(entities, seed)
    chunks = _Register(entities, seed).chunks()
    return (line for chunk in chunks for line in chunk.splitlines(keepends=True))


def write_synth(
    path: str | os.PathLike[str],
    entities: int,
    seed: int,
    progress: Callable[[int], None] | None = None,
) -> dict[str, int]:
    """Write a synthetic register to ``path``: N-Triples (``.nt``) or gzipped (``.nt.gz``).

    The file appears only when complete (it is written beside the target, then
    renamed), and the same ``entities`` and ``seed`` give a byte-identical file, gzip
    included (no time stamp or name in its header).

    Parameters
    ----------
    path
        The file to write; its suffix chooses plain or gzipped N-Triples.
    entities, seed
        As for :func:`synthesize`.
    progress
        Called with the number of entities written so far, every 10,000 or so and at
        the end.

    Returns
    -------
    dict
        ``entities``, ``groups``, ``holdings``, ``relations`` (direct and ultimate
        consolidations), ``events`` (mergers) and ``triples`` written.

    Raises
    ------
    InputError
        When the suffix is neither ``.nt`` nor ``.nt.gz``, or the file cannot be written.
    ValueError
        As for :func:`synthesize`.
    """
    _check(entities, seed)
    target = Path(path)
    if not target.name.lower().endswith(_SUFFIXES):
        raise InputError(f"{target}: write .nt or .nt.gz")
    register = _Register(entities, seed)
    partial = target.with_name(target.name + ".part")
    try:
        with open(partial, "wb") as raw:
            if target.name.lower().endswith(".gz"):
                # No name and no time stamp in the header, so the bytes depend on the seed only.
                with gzip.GzipFile(fileobj=raw, mode="wb", filename="", mtime=0,
                                   compresslevel=_GZIP_LEVEL) as packed:  # fmt: skip
                    _write_chunks(packed, register, progress)
            else:
                _write_chunks(raw, register, progress)
        os.replace(partial, target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write it ({exc.strerror or exc})") from None
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    if progress is not None:
        progress(register.counts["entities"])
    return dict(register.counts)


def _write_chunks(out: io.BufferedIOBase, register: _Register,
                  progress: Callable[[int], None] | None) -> None:  # fmt: skip
    pending: list[str] = []
    size = reported = 0
    for chunk in register.chunks():
        pending.append(chunk)
        size += len(chunk)
        if size >= 1 << 20:
            out.write("".join(pending).encode())
            pending, size = [], 0
            done = register.counts["entities"]
            if progress is not None and done - reported >= _PROGRESS_STEP:
                progress(done)
                reported = done
    out.write("".join(pending).encode())
