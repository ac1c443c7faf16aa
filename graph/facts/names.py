"""Find an entity by what a user calls it, in a loaded dataset or in a store, by the
rules of :mod:`groupkg.graph.facts.namekeys`; the closest names when none is so called.

Which level decides
-------------------
The first level at which any entity matches decides: one entity answers; several are
ambiguous (:class:`AmbiguousName`, listing every one of them, whatever matched at that
level); none at any level is unknown (:class:`UnknownName`, with the closest names).
Names alone never merge entities: two entities both called "Acme" stay two, and "Acme"
names neither. A name matches a level whichever of an entity's names it matches, so an
entity whose alias is another entity's label makes that name ambiguous.

Names come before local ids: a user types what the answers show (labels, legal names,
aliases), while a local id is often an opaque code (``e123``, an LEI) that may happen to
spell another entity's name; a local id is still found when no name matches.

Where the rules are applied
-------------------------
The rules are pure functions over :class:`~groupkg.graph.facts.namekeys.Candidate` rows
(:func:`~groupkg.graph.facts.namekeys.name_keys`, :class:`NameTable`,
:func:`~groupkg.graph.facts.search.search_rank`). A loaded
:class:`~groupkg.graph.model.Dataset` gives every entity
(:meth:`NameTable.from_dataset`: the memory store, ``--data``, the server); a persistent
or remote store is asked for the candidates level by level
(:mod:`groupkg.graph.facts.storenames`), and the same :class:`NameTable` decides.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from groupkg.graph.errors import InputError
from groupkg.graph.facts.namekeys import (
    LEVELS,
    MAX_NAME_LENGTH,
    Candidate,
    fold,
    name_keys,
    query_keys,
)
from groupkg.graph.model import Dataset

__all__ = [
    "HINTS_READ",
    "AmbiguousName",
    "NameTable",
    "UnknownName",
    "askable",
    "check_name",
    "hint_parts",
    "hints",
    "unknown",
]


class UnknownName(InputError):
    """No entity has that name.

    Attributes
    ----------
    name : str
        The name asked.
    candidates : list of str
        The names of entities closest to it, the ones the message suggests (perhaps none).

    Examples
    --------
    >>> error = unknown("Acme Corp", ["Acme Inc."])
    >>> error.name, error.candidates
    ('Acme Corp', ['Acme Inc.'])
    >>> str(error)
    "no entity is called 'Acme Corp'; closest: Acme Inc."
    """

    def __init__(self, message: str, name: str = "", candidates: Iterable[str] = ()):
        super().__init__(message)
        self.name = name
        self.candidates = list(candidates)


class AmbiguousName(InputError):
    """More than one entity has that name.

    Attributes
    ----------
    name : str
        The name asked.
    candidates : list of str
        The ids of every entity so called, sorted.
    """

    def __init__(self, message: str, candidates: Iterable[str] = (), name: str = ""):
        super().__init__(message)
        self.name = name
        self.candidates = sorted(candidates)


@dataclass
class NameTable:
    """The candidates of a look-up, indexed by level and key; decides what a name names.

    Examples
    --------
    >>> table = NameTable([Candidate("ex:a", "IIJ Exlayer", aliases=("IIJ-Exlayer",))])
    >>> table.resolve("iij-exlayer")
    'ex:a'
    """

    candidates: Iterable[Candidate] = ()
    by_id: dict[str, Candidate] = field(init=False, default_factory=dict)
    keys: dict[int, dict[str, set[str]]] = field(init=False)

    def __post_init__(self) -> None:
        self.keys = {level: defaultdict(set) for level in range(len(LEVELS))}
        self.add(self.candidates)

    @classmethod
    def from_dataset(cls, dataset: Dataset) -> NameTable:
        return cls(Candidate.of(e) for e in dataset.entities.values())

    def add(self, candidates: Iterable[Candidate]) -> None:
        for candidate in candidates:
            if candidate.id in self.by_id:
                continue
            self.by_id[candidate.id] = candidate
            for level, keys in name_keys(candidate).items():
                for key in keys:
                    if key:
                        self.keys[level][key].add(candidate.id)

    def match(self, name: str) -> tuple[int, list[str]] | None:
        """The first level at which some candidate matches ``name``, and all of them."""
        for level, key in query_keys(name).items():
            found = self.keys[level].get(key) if key else None
            if found:
                return level, sorted(found)
        return None

    def resolve(self, name: str) -> str:
        """The id of the one entity called ``name``.

        Raises
        ------
        UnknownName
            With the closest names, when nothing is called that.
        AmbiguousName
            With every entity so called, when more than one is.
        """
        check_name(name)
        found = self.match(name)
        if found is None:
            raise unknown(name, self.closest(name))
        return self.decide(name, found[1])

    def decide(self, name: str, ids: list[str]) -> str:
        if len(ids) == 1:
            return ids[0]
        raise ambiguous(name, [self.by_id[i] for i in ids])

    def closest(self, name: str) -> list[str]:
        """The names closest to ``name`` (:func:`hints`), as a store finds them."""
        pairs = sorted({(n, c.id) for c in self.by_id.values() for n in c.names})
        for part in hint_parts(name):
            found = [n for n, _ in pairs if part in n.lower()][:HINTS_READ]
            if found:
                return hints(name, found)
        return []


#: How many names containing a part of an unknown name are weighed for the hints.
HINTS_READ = 10


def hint_parts(name: str) -> list[str]:
    """What the names suggested for an unknown ``name`` contain, tried in turn until one
    is found: each of its words (the longest first), then its first four, then three
    letters."""
    parts: list[str] = []
    for word in sorted(fold(name).split(), key=len, reverse=True):
        parts += [p for p in (word, word[:4], word[:3]) if len(p) >= 2 and p not in parts]
    return parts


def hints(name: str, found: Iterable[str]) -> list[str]:
    """The names to suggest for an unknown ``name`` among ``found`` (the first
    :data:`HINTS_READ` names, by text then entity IRI, that contain a part of it): the
    five closest, or the first five when none is close."""
    ordered = sorted(set(found))
    return difflib.get_close_matches(fold(name), ordered, n=5, cutoff=0.3) or ordered[:5]


def ambiguous(name: str, candidates: list[Candidate], hint: str = "") -> AmbiguousName:
    listed = "; ".join(f"{c.label} ({c.id})" for c in sorted(candidates, key=lambda c: c.id))
    return AmbiguousName(
        f"{name!r} names more than one entity: {listed}{hint}",
        (c.id for c in candidates),
        name,
    )


def unknown(name: str, closest: list[str]) -> UnknownName:
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    return UnknownName(f"no entity is called {name!r}{hint}", name, closest)


def check_name(name: str) -> None:
    """Refuse a name no entity can have, before any look-up.

    Raises
    ------
    InputError
        For a name that is not text (None, a number).
    UnknownName
        For text too long to be a name, or that is not valid UTF-8.
    """
    if not isinstance(name, str):
        raise InputError(f"a name is text; got {name!r} ({type(name).__name__})")
    if len(name) > MAX_NAME_LENGTH:
        raise UnknownName(
            f"no entity is called {name[:40]!r}... ({len(name):,} characters; "
            f"a name has at most {MAX_NAME_LENGTH:,})",
            name,
        )
    if not _encodable(name):
        raise UnknownName(f"no entity is called {name!r}: it is not valid UTF-8 text", name)


def _encodable(text: str) -> bool:
    """False for text holding lone surrogates: bytes of a command-line argument that
    were not UTF-8 reach Python as such, and no store can be asked about them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def askable(text: str) -> bool:
    """Whether a store may be asked about ``text``: what :func:`check_name` refuses is
    no entity's name."""
    return len(text) <= MAX_NAME_LENGTH and _encodable(text)
