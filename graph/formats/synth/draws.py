"""The random draws of a synthetic register: group sizes, and each group's tree of
holdings, second owners, cross-holdings, disposals, stake changes, mergers and reported
ultimate parents, with the figures that shape them.

Entities are numbered from 0 within a group and days counted from :data:`FIRST_DAY`;
stakes are in hundredths of a percent. Nothing here writes a triple: a drawn group is a
:class:`Group`, which :mod:`groupkg.graph.formats.synth.ntriples` writes.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

__all__ = [
    "FIRST_DAY",
    "LAST_DAY",
    "FULL",
    "Link",
    "Group",
    "GroupDraws",
    "uniforms",
    "between",
    "group_sizes",
]

# Distribution parameters; DESIGN-level targets are in the package docstring.
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
LAST_DAY = (_dt.date(2025, 12, 31) - FIRST_DAY).days  # days are counted from FIRST_DAY
_LAST_INCORPORATION = (_dt.date(2018, 12, 31) - FIRST_DAY).days
_LAST_START = (_dt.date(2023, 12, 31) - FIRST_DAY).days
FULL = 10_000  # stakes are counted in hundredths of a percent
_BANDS = ((7500, 10000), (5000, 7500), (2500, 5000), (1000, 2500))  # (min, max], BODS-like


def uniforms(rng: np.random.Generator) -> Callable[[], float]:
    """Uniform draws in [0, 1) from ``rng``, fetched in blocks: one call per draw is slow."""

    def draws() -> Iterator[float]:
        while True:
            yield from rng.random(1 << 16).tolist()

    return draws().__next__


def between(u: Callable[[], float], first: int, last: int) -> int:
    """A whole number (a day, a stake in hundredths) in ``[first, last]``, both included."""
    return first + int(u() * (last - first + 1))


def group_sizes(entities: int, rng: np.random.Generator) -> Iterator[int]:
    """The sizes of the groups, first to last, until they add up to ``entities``."""
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


@dataclass(slots=True)
class Link:
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


@dataclass(slots=True)
class Group:
    """The draws of one group of two or more entities.

    ``ultimates`` are the reported ultimate consolidations under the top entity, as
    (child, first day, end day or None); ``merged`` maps each absorbed company to the
    (announcement, effective) days of its absorption merger into its parent.
    """

    person: bool
    incorporated: list[int]
    parent: list[int]
    links: list[Link]
    ultimates: list[tuple[int, int, int | None]]
    merged: dict[int, tuple[int, int]]

    @property
    def top(self) -> int:
        """The top company: the first entity, or the second under a natural person."""
        return 1 if self.person else 0


class GroupDraws:
    """The draws of one register's groups, all from one stream of uniforms, in a fixed order."""

    def __init__(self, u: Callable[[], float]):
        self.u = u

    def incorporation(self) -> int:
        """The incorporation day of a company on its own."""
        return between(self.u, 0, _LAST_INCORPORATION)

    def group(self, size: int) -> Group:
        """A group of ``size`` entities (two or more)."""
        u = self.u
        person = u() < PERSON_TOP
        top = 1 if person else 0
        parent, depth = [-1] * size, [0] * size
        incorporated = [between(u, 0, _LAST_INCORPORATION) for _ in range(size)]
        if person:
            incorporated[0] = 0  # a person is not incorporated: no bound on the dates
        budget_used = [0] * size
        links: list[Link] = []
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
            self._add_stake(links, budget_used, owner, owned, 100, FULL, incorporated)
        for i in range(top + 1, size):
            if u() < CYCLE:
                self._cross_holding(links, budget_used, parent, i, incorporated)
        merged = self._mergers(links, parent, size)
        ultimates = self._ultimates(links, parent, depth, top, merged)
        announced = {i: max(0, day - between(u, 20, 120)) for i, day in merged.items()}
        dated = {i: (announced[i], day) for i, day in merged.items()}
        return Group(person, incorporated, parent, links, ultimates, dated)

    def _parent_link(self, p: int, i: int, incorporated: list[int], by_person: bool,
                     shared: bool) -> Link:  # fmt: skip
        """The link of ``i`` to its parent ``p``, leaving room for a second owner if ``shared``."""
        u = self.u
        start = between(u, max(incorporated[p], incorporated[i]), _LAST_START)
        link = Link(p, i, 0, start, u() < OBSERVED)
        most = 9000 if shared else FULL
        if shared:
            link.cents = between(u, 5001, most)
        elif by_person:
            link.cents = between(u, 5001, FULL)
        elif u() >= CONSOLIDATION:
            link.cents = self._stake()
            if u() < RANGE:
                link.band = next(b for b in _BANDS if link.cents > b[0])
        fate = u()
        if fate < DISPOSAL:
            link.end = between(u, start + 1, LAST_DAY)
        elif fate < DISPOSAL + CHANGE and link.cents and not link.band:
            later = min(self._stake(), most)
            later = later if later != link.cents else link.cents - 500
            link.change = (between(u, start + 1, LAST_DAY), later)
        elif fate < DISPOSAL + CHANGE + MERGER and not by_person:
            link.merge = True
        return link

    def _stake(self) -> int:
        draw = self.u()
        if draw < 0.55:
            return FULL
        if draw < 0.85:
            return between(self.u, 5001, FULL - 1)
        return between(self.u, 1001, 5000)

    def _add_stake(self, links: list[Link], budget_used: list[int], owner: int, owned: int,
                   least: int, most: int, incorporated: list[int]) -> bool:  # fmt: skip
        """A stake of ``owner`` in ``owned`` within ``[least, most]``, if the budget allows."""
        room = min(most, FULL - budget_used[owned])
        if room < least:
            return False
        u = self.u
        start = between(u, max(incorporated[owner], incorporated[owned]), _LAST_START)
        link = Link(owner, owned, between(u, least, room), start, u() < OBSERVED)
        if most == FULL and u() < DISPOSAL:  # cross-holdings stay, so the cycles are found
            link.end = between(u, start + 1, LAST_DAY)
        links.append(link)
        budget_used[owned] += link.cents
        return True

    def _cross_holding(self, links: list[Link], budget_used: list[int], parent: list[int],
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

    def _mergers(self, links: list[Link], parent: list[int], size: int) -> dict[int, int]:
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
            if link.merge and latest[i] < LAST_DAY:
                day = between(self.u, latest[i] + 1, LAST_DAY)
                merged[i] = day
                latest[parent[i]] = max(latest[parent[i]], day)
        return merged

    def _ultimates(self, links: list[Link], parent: list[int], depth: list[int], top: int,
                   merged: dict[int, int]) -> list[tuple[int, int, int | None]]:  # fmt: skip
        """The top company reported as ultimate parent of some entities two levels down or more.

        The relation holds from the last start on the path of parent links to the first
        disposal on it, if any, and ends when its child is absorbed; none is reported
        for a child absorbed before the path is complete.
        """
        up = {link.owned: link for link in links if link.owner == parent[link.owned]}
        found: list[tuple[int, int, int | None]] = []
        for i in range(top + 1, len(parent)):
            if depth[i] - depth[top] < 2 or self.u() >= ULTIMATE:
                continue
            start, end, node = 0, LAST_DAY + 1, i
            while node != top:
                link = up[node]
                start = max(start, link.start)
                end = min(end, LAST_DAY + 1 if link.end is None else link.end)
                node = parent[node]
            end = min(end, merged.get(i, end))
            if start < end:
                found.append((i, start, end if end <= LAST_DAY else None))
        return found
