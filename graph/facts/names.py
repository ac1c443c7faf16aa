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
---------------------------
The rules are pure functions over :class:`~groupkg.graph.facts.namekeys.Candidate` rows
(:func:`~groupkg.graph.facts.namekeys.name_keys`, :class:`NameTable`,
:func:`~groupkg.graph.facts.search.search_rank`). A loaded
:class:`~groupkg.graph.model.Dataset` gives every entity
(:meth:`NameTable.from_dataset`: the memory store, ``--data``, the server). A persistent
or remote store (:func:`lookup`, :func:`resolve_in_store`) is asked for the candidates
of each level in turn, each with a SPARQL query that finds every entity that level could
match (and possibly a few more), then the same :class:`NameTable` decides over the rows
read for them -- so both give the same answer. One bound keeps a large store fast: level
2 first looks the name up by the store's indexes, spelled as typed, in lower case, in
UPPER case, in Title case and Capitalised (plain, ``@en`` or ``@ja``), and scans the
labels, legal names and aliases only when none of those spellings matches (LEIs and
identifiers are found in those spellings only). An entity whose name is written in
another mix of cases (``"AcMe"``) is therefore found by a store only when no entity's
name matches in one of those spellings, and no entity has it as its local id (which a
store looks up before that scan); a loaded dataset finds it always. Names without legal
form are found by a scan of the store, as before, and only when no earlier level
matched.
"""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from groupkg.graph.errors import InputError
from groupkg.graph.facts.namekeys import (
    IRI,
    JAPANESE_FORMS,
    LEGAL_FORMS,
    LEVELS,
    LOCAL_ID,
    MAX_NAME_LENGTH,
    NAME,
    SHORT,
    Candidate,
    fold,
    name_keys,
    query_keys,
)
from groupkg.graph.facts.records import entities_from_rows
from groupkg.graph.model import Dataset
from groupkg.graph.store import Store, iter_rows, sparql_iri, sparql_string

__all__ = [
    "AmbiguousName",
    "NameTable",
    "StoreLookup",
    "UnknownName",
    "askable",
    "find_in_store",
    "lookup",
    "query_literal",
    "resolve_in_store",
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


_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S")
_REGEX_SPECIALS = set("\\.^$*+?()[]{}|")


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
        for part in _hint_parts(name):
            found = [n for n, _ in pairs if part in n.lower()][:HINTS_READ]
            if found:
                return hints(name, found)
        return []


#: How many names containing a part of an unknown name are weighed for the hints.
HINTS_READ = 10


def _hint_parts(name: str) -> list[str]:
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


# -- asking a store --------------------------------------------------------------------


def _regex_literal(text: str) -> str:
    """Escape ``text`` for an XPath regular expression (SPARQL REGEX)."""
    return "".join("\\" + c if c in _REGEX_SPECIALS else c for c in text)


def _words_pattern(folded: str) -> str:
    """The words of ``folded`` for a regular expression over a lower-cased name,
    allowing any white space between and around them."""
    return r"\s+".join(_regex_literal(word) for word in folded.split())


def query_literal(text: str) -> str:
    """A SPARQL string holding ``text``, with ``$`` escaped: a name holding ``$word``
    must not be taken for a placeholder of the query it is put in."""
    return sparql_string(text).replace("$", "\\u0024")


def _longest_word(folded: str) -> str:
    """The longest word of ``folded``, which every name the level matches contains."""
    return query_literal(max(folded.split(), key=len))


def _spellings(name: str) -> list[str]:
    """The spellings the store's indexes are asked for at the name level."""
    tidy = " ".join(name.split())
    forms = [name, tidy, tidy.lower(), tidy.upper(), tidy.title(), tidy.capitalize()]
    return list(dict.fromkeys(f for f in forms if f))


class StoreLookup:
    """Candidates read from a store level by level, decided by one :class:`NameTable`;
    with a saved time model (``model``, a
    :class:`~groupkg.graph.timemodel.register.Register`), the candidates of each level are
    found in its name index instead of by queries."""

    def __init__(self, store: Store, name: str, model: Any = None):
        self.store, self.name = store, name
        self.table = NameTable()
        self.keys = query_keys(name)
        self.model = model if model is not None and model.names is not None else None

    def indexed(self) -> list[str]:
        """The levels in turn, each looked up in the model's index; the first with
        candidates decides (their names read from the store, for the answer)."""
        model, name = self.model, self.name
        assert model is not None and model.names is not None
        position = model.position(name) if _ABSOLUTE_IRI.match(name) else -1
        if position >= 0 and model.entity_info[position][1]:
            found = [name]
        else:
            found = []
            for level in (NAME, LOCAL_ID, SHORT):
                found = [model.entity(p) for p in model.names.find(level, self.keys[level])]
                if found:
                    break
        self.read(found)
        return sorted(found)

    def read(self, ids: Iterable[str]) -> None:
        """Add the candidates ``ids`` (entities only: a label may also name a source, an
        event or a term of the ontology, which no question is about)."""
        wanted = sorted({i for i in ids if i not in self.table.by_id and not i.startswith("_:")})
        for start in range(0, len(wanted), 500):
            chunk = " ".join(sparql_iri(i) for i in wanted[start : start + 500])
            found = entities_from_rows(iter_rows(self.store, "scope-entities", entities=chunk))
            self.table.add(Candidate.of(e) for e in found.values())

    def read_iri(self) -> None:
        """Add the entity whose IRI the name is, when the name may be an IRI."""
        name = self.name
        if _ABSOLUTE_IRI.match(name) and not any(c in name for c in '<>"{}|^`\\ \n\t'):
            try:
                self.read([name])
            except InputError:  # no IRI the store takes: no entity's
                pass

    def ask_spellings(self) -> None:
        """Add the entities with a name or identifier spelled as one of the name's
        spellings (:func:`_spellings`), found by the store's indexes."""
        spellings = _spellings(self.name)
        literals = [query_literal(s) + tag for s in spellings for tag in ("", "@en", "@ja")]
        self.ask("names-exact", names=" ".join(literals))

    def ask(self, query: str, **params: str) -> None:
        self.read(str(row["e"]) for row in iter_rows(self.store, query, **params))

    def decided(self, up_to: int) -> list[str] | None:
        found = self.table.match(self.name)
        return found[1] if found is not None and found[0] <= up_to else None

    def run(self) -> list[str]:
        if self.model is not None:
            return self.indexed()
        folded, short = self.keys[NAME], self.keys[SHORT]
        self.read_iri()
        if (found := self.decided(IRI)) is not None:
            return found
        if not folded:
            return []
        self.ask_spellings()
        if (found := self.decided(NAME)) is not None:
            return found
        # A local id before the scan of every name in other mixes of cases: ids
        # (e12345, an LEI) are what a user types when no name is at hand.
        if not any(c.isspace() for c in folded):
            self.ask("names-local-id", part=query_literal(folded))
            if (found := self.decided(LOCAL_ID)) is not None:
                return found
        self.ask(
            "names-folded",
            word=_longest_word(folded),
            pattern=query_literal("^\\s*" + _words_pattern(folded) + "\\s*$"),
        )
        if (found := self.decided(LOCAL_ID)) is not None:
            return found
        # Every name whose legal forms come off to leave ``short`` is ``short`` with
        # legal forms before (Japanese) or after it.
        japanese = "(" + "|".join(_regex_literal(f) for f in JAPANESE_FORMS) + ")"
        suffix = "(" + "|".join(_regex_literal(f) for f in LEGAL_FORMS) + ")"
        tail = rf"([,.]?\s+{suffix}\.?|\s*{japanese})*"
        pattern = rf"^\s*({japanese}\s*)*" + _words_pattern(short) + tail + r"\s*$"
        self.ask("names-short", word=_longest_word(short), pattern=query_literal(pattern))
        return self.decided(SHORT) or []


def lookup(store: Store, name: str, model: Any = None) -> list[str]:
    """The entities of a store that ``name`` names by the rules: none, the one it names,
    or every one it may name when it is ambiguous (sorted by IRI). ``model``: the
    store's time model, whose name index then finds the candidates."""
    if not askable(name):
        return []
    return StoreLookup(store, name, model).run()


def find_in_store(store: Store, name: str, model: Any = None) -> str | None:
    """The entity of ``store`` that ``name`` names, or None when none is so called
    (``model`` as for :func:`lookup`).

    Raises
    ------
    AmbiguousName
        With every entity so called, when more than one is.
    """
    check_name(name)
    asked = StoreLookup(store, name, model)
    found = asked.run()
    return asked.table.decide(name, found) if found else None


def resolve_in_store(store: Store, name: str, model: Any = None) -> str:
    """Like :meth:`NameTable.resolve`, asking the store instead of a loaded dataset
    (``model`` as for :func:`lookup`)."""
    found = find_in_store(store, name, model)
    if found is None:
        raise unknown(name, _hints(store, name))
    return found


def _hints(store: Store, name: str) -> list[str]:
    """:meth:`NameTable.closest`, asking the store."""
    for part in _hint_parts(name):
        rows = iter_rows(store, "names-like", word=query_literal(part), limit=str(HINTS_READ))
        found = [str(row["name"]) for row in rows]
        if found:
            return hints(name, found)
    return []
