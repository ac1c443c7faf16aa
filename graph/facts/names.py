"""Find an entity by what a user calls it: one set of rules for every store and the search.

The rules
---------
A name is compared with every entity's names after *folding*: Unicode lower case
(``str.lower``, which is SPARQL's ``LCASE``, so a store can fold the same way) and
runs of white space made one space, leading and trailing space dropped. Full case
folding (``"ß"`` = ``"ss"``) and width folding are not applied: no SPARQL function does
them. The levels, in order of precedence:

1. **IRI** -- the name is the IRI of an entity, exactly (IRIs are case-sensitive).
2. **Name** -- the folded name equals the folded label, legal name, an alias, the LEI
   or an identifier value (``gk:identifierValue``) of an entity.
3. **Local id** -- the folded name equals the folded last segment of an entity's IRI
   (``iij-exlayer``, an LEI in a GLEIF IRI).
4. **Name without legal form** -- the same as 2 after removing legal forms
   (``Inc.``, ``Co., Ltd.``, ``K.K.``, ``GmbH``, ``株式会社``...) from both the name and
   the entity's label, legal name and aliases: ``"IIJ Technology"`` finds
   ``"IIJ Technology Inc."`` and ``"Acme Ltd"`` finds ``"Acme Inc."``.

The first level at which any entity matches decides: one entity answers; several are
ambiguous (:class:`AmbiguousName`, listing every one of them, whatever matched at that
level); none at any level is unknown (:class:`UnknownName`, with the closest names).
Names alone never merge entities: two entities both called "Acme" stay two, and "Acme"
names neither. A name matches a level whichever of an entity's names it matches, so an
entity whose alias is another entity's label makes that name ambiguous.

Names come before local ids: a user types what the answers show (labels, legal names,
aliases), while a local id is often an opaque code (``e123``, an LEI) that may happen to
spell another entity's name; a local id is still found when no name matches.

The search of the viewer (:func:`search`) ranks every entity by the best level at
which one of its names matches, levels 1-4 as above, then (search only):

5. the folded label, legal name, alias or local id begins with the folded text;
6. a word of it does;
7. it contains the text;
8. it contains the text with spaces and punctuation left out (``"iijexlayer"``).

Ties go by label, then IRI. So when :func:`NameTable.resolve` answers an entity, the
search puts that entity first: no other entity matches at its level or above.

Legal forms
-----------
Removed by the small table :data:`LEGAL_FORMS` here, repeatedly, from the end (after a
space or a comma: ``"acme co., ltd."`` -> ``"acme"``) and, for Japanese forms, from the
start or the end without a space (``"株式会社インターネットイニシアティブ"``). A name that
is only a legal form keeps it. The PyPI libraries made for this were tried and are not
used: ``fingerprints`` sorts and transliterates the words (``"iij inc technology"``)
and keeps the forms, ``rigour`` removes only some forms (not ``K.K.``,
``Corporation`` nor ``株式会社``) and brings ICU, ``cleanco`` removes one form from the end
(``"Acme Co., Ltd."`` -> ``"Acme Co."``) and no Japanese form. Removing only at the
ends also keeps what the store must look for a substring of the name it stores.

Where the rules are applied
---------------------------
The rules are pure functions over :class:`Candidate` rows (:func:`name_keys`,
:class:`NameTable`, :func:`search_rank`). A loaded :class:`~groupkg.graph.model.Dataset`
gives every entity (:meth:`NameTable.from_dataset`: the memory store, ``--data``, the
server). A persistent or remote store (:func:`lookup`, :func:`resolve_in_store`) is asked
for the candidates of each level in turn, each with a SPARQL query that finds every
entity that level could match (and possibly a few more), then the same
:class:`NameTable` decides over the rows read for them -- so both give the same answer.
One bound keeps a large store fast: level 2 first looks the name up by the store's
indexes, spelled as typed, in lower case, in UPPER case, in Title case and Capitalised
(plain, ``@en`` or ``@ja``), and scans the labels, legal names and aliases only when
none of those spellings matches (LEIs and identifiers are found in those spellings
only). An entity whose name is written in another mix of cases (``"AcMe"``) is
therefore found by a store only when no entity's name matches in one of those
spellings, and no entity has it as its local id (which a store looks up before that
scan); a loaded dataset finds it always. Names without legal form are found by a scan
of the store, as before, and only when no earlier level matched.
"""

from __future__ import annotations

import difflib
import heapq
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from groupkg.graph.errors import InputError
from groupkg.graph.model import Dataset, Entity, local_id
from groupkg.graph.store import Store, iter_rows, sparql_iri, sparql_string

if TYPE_CHECKING:
    import numpy as np

__all__ = [
    "AmbiguousName",
    "Candidate",
    "LEGAL_FORMS",
    "LabelIndex",
    "NameTable",
    "UnknownName",
    "find_in_store",
    "fold",
    "lookup",
    "name_keys",
    "resolve_in_store",
    "search",
    "search_in_store",
    "search_rank",
    "without_legal_form",
]


class UnknownName(InputError):
    """No entity has that name."""


class AmbiguousName(InputError):
    """More than one entity has that name; ``candidates`` holds their ids, sorted."""

    def __init__(self, message: str, candidates: Iterable[str] = ()):
        super().__init__(message)
        self.candidates = sorted(candidates)


#: The levels of the rules, in order of precedence (see the module's docstring).
IRI, NAME, LOCAL_ID, SHORT = 0, 1, 2, 3
LEVELS = ("IRI", "name", "local id", "name without legal form")
#: Search-only ranks after the levels.
PREFIX, WORD_PREFIX, SUBSTRING, LOOSE = 4, 5, 6, 7

#: No entity is called anything longer; a longer "name" is refused before any look-up,
#: whose cost grows with the square of its length.
MAX_NAME_LENGTH = 4096

#: Legal forms removed from the end of a folded name, after a space or a comma.
LEGAL_FORMS = (
    "inc", "incorporated", "co", "corp", "corporation", "company", "ltd", "limited",
    "llc", "llp", "plc", "k.k", "kk", "g.k", "kabushiki kaisha", "ag", "gmbh", "sa", "s.a",
    "nv", "n.v", "bv", "b.v", "pte", "pty", "sas", "srl", "spa", "s.p.a", "oy", "ab",
)  # fmt: skip
#: Japanese legal forms, removed from the start or the end, with or without a space.
JAPANESE_FORMS = (
    "株式会社", "有限会社", "合同会社", "合資会社", "合名会社", "(株)", "（株）", "㈱",
)  # fmt: skip
_SUFFIX = re.compile(r"[,.]?\s+(?:" + "|".join(re.escape(f) for f in LEGAL_FORMS) + r")\.?$")
_JAPANESE = "|".join(re.escape(f) for f in JAPANESE_FORMS)
_JAPANESE_ENDS = re.compile(rf"^(?:{_JAPANESE})\s*|\s*(?:{_JAPANESE})$")
_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S")
_REGEX_SPECIALS = set("\\.^$*+?()[]{}|")


# -- the rules, as pure functions ------------------------------------------------------


def fold(name: str) -> str:
    """The form names are compared in: lower case, one space between words.

    >>> fold("  IIJ   Technology Inc. ")
    'iij technology inc.'
    """
    return " ".join(name.lower().split())


def without_legal_form(folded: str) -> str:
    """A folded name less its legal forms: how people shorten names.

    >>> without_legal_form("iij technology inc.")
    'iij technology'
    >>> without_legal_form("acme co., ltd.")
    'acme'
    >>> without_legal_form("株式会社インターネットイニシアティブ")
    'インターネットイニシアティブ'
    >>> without_legal_form("co.")
    'co.'
    """
    text = folded
    while True:
        shorter = _JAPANESE_ENDS.sub("", _SUFFIX.sub("", text)).strip()
        if shorter == text or not shorter:
            return text
        text = shorter


@dataclass(frozen=True)
class Candidate:
    """What the rules know of an entity: its IRI, names and kind."""

    id: str
    label: str
    legal_name: str | None = None
    aliases: tuple[str, ...] = ()
    kind: str = "legal"
    identifiers: tuple[str, ...] = ()

    @classmethod
    def of(cls, entity: Entity) -> Candidate:
        identifiers = [value for _, value in entity.identifiers]
        identifiers += entity.facts.get("lei", [])
        return cls(entity.id, entity.label, entity.legal_name, tuple(entity.aliases),
                   entity.kind, tuple(identifiers))  # fmt: skip

    @property
    def names(self) -> list[str]:
        """Label, legal name and aliases: the names a user reads."""
        return [self.label, *([self.legal_name] if self.legal_name else []), *self.aliases]


def name_keys(candidate: Candidate) -> dict[int, set[str]]:
    """The keys under which each level finds ``candidate``."""
    named = {fold(n) for n in candidate.names}
    return {
        IRI: {candidate.id},
        NAME: named | {fold(i) for i in candidate.identifiers},
        LOCAL_ID: {fold(local_id(candidate.id))},
        SHORT: {without_legal_form(n) for n in named},
    }


def query_keys(name: str) -> dict[int, str]:
    """The key each level looks ``name`` up by."""
    folded = fold(name)
    return {IRI: name, NAME: folded, LOCAL_ID: folded, SHORT: without_legal_form(folded)}


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
        f"{name!r} names more than one entity: {listed}{hint}", (c.id for c in candidates)
    )


def unknown(name: str, closest: list[str]) -> UnknownName:
    hint = f"; closest: {', '.join(closest)}" if closest else ""
    return UnknownName(f"no entity is called {name!r}{hint}")


def _loose(text: str) -> str:
    """Letters and digits only: ``"IIJ Exlayer"`` finds ``"IIJ-Exlayer"``."""
    return re.sub(r"[\W_]+", "", text.lower())


def search_rank(candidate: Candidate, text: str) -> tuple[int, str] | None:
    """How well ``candidate`` matches search ``text``, and the name that matches best:
    a level (0-3) as for resolving, then a search-only rank (4-7); None for no match."""
    wanted = query_keys(text)
    if not wanted[NAME]:
        return None
    lid = local_id(candidate.id)
    hits = [(IRI, candidate.id)] if candidate.id == wanted[IRI] else []
    hits += [(NAME, n) for n in [*candidate.names, *candidate.identifiers]
             if fold(n) == wanted[NAME]]  # fmt: skip
    hits += [(LOCAL_ID, lid)] if fold(lid) == wanted[LOCAL_ID] else []
    hits += [(SHORT, n) for n in candidate.names
             if without_legal_form(fold(n)) == wanted[SHORT]]  # fmt: skip
    if hits:
        return min(hits)
    part, loose = wanted[NAME], _loose(text)
    for name in [*candidate.names, lid]:
        shown = fold(name)
        if shown.startswith(part):
            hits.append((PREFIX, name))
        elif any(word.startswith(part) for word in shown.split()):
            hits.append((WORD_PREFIX, name))
        elif part in shown:
            hits.append((SUBSTRING, name))
        elif loose and loose in _loose(name):
            hits.append((LOOSE, name))
    return min(hits) if hits else None


def search(
    candidates: Iterable[Candidate], text: str, limit: int = 20
) -> list[tuple[Candidate, str]]:
    """The candidates matching ``text``, best first, each with the name that matched
    best; an empty ``text`` gives the first ``limit`` by label."""
    found: list[tuple[int, str, str, Candidate, str]] = []
    for candidate in candidates:
        hit = search_rank(candidate, text) if fold(text) else (SUBSTRING, candidate.label)
        if hit is not None:
            found.append((hit[0], candidate.label.lower(), candidate.id, candidate, hit[1]))
    found.sort(key=lambda hit: hit[:3])
    return [(candidate, matched) for _, _, _, candidate, matched in found[:limit]]


def check_name(name: str) -> None:
    """Refuse a name no entity can have, before any look-up."""
    if len(name) > MAX_NAME_LENGTH:
        raise UnknownName(
            f"no entity is called {name[:40]!r}... ({len(name):,} characters; "
            f"a name has at most {MAX_NAME_LENGTH:,})"
        )
    if not _encodable(name):
        raise UnknownName(f"no entity is called {name!r}: it is not valid UTF-8 text")


def _encodable(text: str) -> bool:
    """False for text holding lone surrogates: bytes of a command-line argument that
    were not UTF-8 reach Python as such, and no store can be asked about them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


# -- asking a store --------------------------------------------------------------------


def _regex_literal(text: str) -> str:
    """Escape ``text`` for an XPath regular expression (SPARQL REGEX)."""
    return "".join("\\" + c if c in _REGEX_SPECIALS else c for c in text)


def _words_pattern(folded: str) -> str:
    """The words of ``folded`` for a regular expression over a lower-cased name,
    allowing any white space between and around them."""
    return r"\s+".join(_regex_literal(word) for word in folded.split())


def _literal(text: str) -> str:
    """A SPARQL string holding ``text``, with ``$`` escaped: a name holding ``$word``
    must not be taken for a placeholder of the query it is put in."""
    return sparql_string(text).replace("$", "\\u0024")


def _longest_word(folded: str) -> str:
    """The longest word of ``folded``, which every name the level matches contains."""
    return _literal(max(folded.split(), key=len))


def _spellings(name: str) -> list[str]:
    """The spellings the store's indexes are asked for at the name level."""
    tidy = " ".join(name.split())
    forms = [name, tidy, tidy.lower(), tidy.upper(), tidy.title(), tidy.capitalize()]
    return list(dict.fromkeys(f for f in forms if f))


class _StoreLookup:
    """Candidates read from a store level by level, decided by one :class:`NameTable`;
    with a saved time model (``model``, a :class:`~groupkg.graph.timemodel.register.Register`), the
    candidates of each level are found in its name index instead of by queries."""

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
        from groupkg.graph.facts.loader import _entities

        wanted = sorted({i for i in ids if i not in self.table.by_id and not i.startswith("_:")})
        for start in range(0, len(wanted), 500):
            chunk = " ".join(sparql_iri(i) for i in wanted[start : start + 500])
            rows = list(iter_rows(self.store, "scope-entities", entities=chunk))
            found = _entities((r for r in rows if "p" in r), (r for r in rows if "p" not in r))
            self.table.add(Candidate.of(e) for e in found.values())

    def ask(self, query: str, **params: str) -> None:
        self.read(str(row["e"]) for row in iter_rows(self.store, query, **params))

    def decided(self, up_to: int) -> list[str] | None:
        found = self.table.match(self.name)
        return found[1] if found is not None and found[0] <= up_to else None

    def run(self) -> list[str]:
        if self.model is not None:
            return self.indexed()
        name, folded, short = self.name, self.keys[NAME], self.keys[SHORT]
        if _ABSOLUTE_IRI.match(name) and not any(c in name for c in '<>"{}|^`\\ \n\t'):
            try:
                self.read([name])
            except InputError:  # no IRI the store takes: no entity's
                pass
            if (found := self.decided(IRI)) is not None:
                return found
        if not folded:
            return []
        spellings = _spellings(name)
        literals = [_literal(s) + tag for s in spellings for tag in ("", "@en", "@ja")]
        self.ask("names-exact", names=" ".join(literals))
        if (found := self.decided(NAME)) is not None:
            return found
        # A local id before the scan of every name in other mixes of cases: ids
        # (e12345, an LEI) are what a user types when no name is at hand.
        if not any(c.isspace() for c in folded):
            self.ask("names-local-id", part=_literal(folded))
            if (found := self.decided(LOCAL_ID)) is not None:
                return found
        self.ask(
            "names-folded",
            word=_longest_word(folded),
            pattern=_literal("^\\s*" + _words_pattern(folded) + "\\s*$"),
        )
        if (found := self.decided(LOCAL_ID)) is not None:
            return found
        # Every name whose legal forms come off to leave ``short`` is ``short`` with
        # legal forms before (Japanese) or after it.
        japanese = "(" + "|".join(_regex_literal(f) for f in JAPANESE_FORMS) + ")"
        suffix = "(" + "|".join(_regex_literal(f) for f in LEGAL_FORMS) + ")"
        tail = rf"([,.]?\s+{suffix}\.?|\s*{japanese})*"
        pattern = rf"^\s*({japanese}\s*)*" + _words_pattern(short) + tail + r"\s*$"
        self.ask("names-short", word=_longest_word(short), pattern=_literal(pattern))
        return self.decided(SHORT) or []


def lookup(store: Store, name: str, model: Any = None) -> list[str]:
    """The entities of a store that ``name`` names by the rules: none, the one it names,
    or every one it may name when it is ambiguous (sorted by IRI). ``model``: the
    store's time model, whose name index then finds the candidates."""
    if len(name) > MAX_NAME_LENGTH or not _encodable(name):
        return []
    return _StoreLookup(store, name, model).run()


def find_in_store(store: Store, name: str, model: Any = None) -> str | None:
    """The entity of ``store`` that ``name`` names, or None when none is so called
    (``model`` as for :func:`lookup`).

    Raises
    ------
    AmbiguousName
        With every entity so called, when more than one is.
    """
    check_name(name)
    asked = _StoreLookup(store, name, model)
    found = asked.run()
    return asked.table.decide(name, found) if found else None


def resolve_in_store(store: Store, name: str, model: Any = None) -> str:
    """Like :meth:`NameTable.resolve`, asking the store instead of a loaded dataset
    (``model`` as for :func:`lookup`)."""
    found = find_in_store(store, name, model)
    if found is None:
        raise unknown(name, _hints(store, name))
    return found


class LabelIndex:
    """The label and local id of every entity of a store, searchable by substring: what
    :func:`search_in_store` reads instead of scanning the store for them.

    ``entities`` holds ``(IRI, label, kind)`` of every entity (the cached time model of
    an ``oxigraph:PATH`` store has them).
    """

    def __init__(self, entities: Iterable[tuple[str, str, str]]):
        self.entities = list(entities)
        texts = [t for e, label, _ in self.entities for t in (label, local_id(e))]
        self._blobs: dict[bool, tuple[str, np.ndarray]] = {}
        self._texts = texts

    def _blob(self, loose: bool) -> tuple[str, np.ndarray]:
        import numpy as np

        if loose not in self._blobs:
            parts = [_loose(t) if loose else t.lower() for t in self._texts]
            starts = np.cumsum([0, *(len(p) + 1 for p in parts)])[:-1]
            self._blobs[loose] = ("\n".join(parts), starts)
        return self._blobs[loose]

    def holding(self, key: str, loose: bool) -> list[tuple[str, str, str]]:
        """The entities whose label or local id holds ``key``: with ``loose``, in their
        letters and digits (:func:`_loose`), else in lower case."""
        import numpy as np

        blob, starts = self._blob(loose)
        found = [m.start() for m in re.finditer(re.escape(key), blob)]
        if not found:
            return []
        rows = np.unique(np.searchsorted(starts, np.array(found), side="right") - 1) // 2
        return [self.entities[int(r)] for r in rows]


def search_in_store(
    store: Store, text: str, index: LabelIndex, limit: int = 20
) -> list[tuple[Candidate, str]]:
    """:func:`search` over the entities of a store, read for the text: the same answer
    as :func:`search` over every entity of the store, without reading every entity.

    Every rank needs a name or the local id holding the letters and digits of the text
    less its legal forms (or, when it has none, the longest word of it), or an
    identifier spelled as the name levels look it up (:func:`lookup`). Labels and local
    ids are found in ``index``; legal names and aliases by a scan of the store, and
    identifiers by the store's indexes; the entities found by the store are read
    (:class:`_StoreLookup`), and all are ranked by :func:`search`.
    """
    if len(text) > MAX_NAME_LENGTH or not _encodable(text):
        return []
    folded = fold(text)
    if not folded:
        first = heapq.nsmallest(limit, index.entities, key=lambda e: (e[1].lower(), e[0]))
        return search((Candidate(e, label, kind=kind) for e, label, kind in first), text, limit)
    asked = _StoreLookup(store, text)
    if _ABSOLUTE_IRI.match(text) and not any(c in text for c in '<>"{}|^`\\ \n\t'):
        try:
            asked.read([text])
        except InputError:  # no IRI the store takes: no entity's
            pass
    literals = [_literal(s) + tag for s in _spellings(text) for tag in ("", "@en", "@ja")]
    asked.ask("names-exact", names=" ".join(literals))
    short = without_legal_form(folded)
    key, loose = _loose(short), True
    if not key:  # punctuation only: the name holds it as it is
        key, loose = max(short.split(), key=len), False
    strip = r"[^\p{L}\p{N}]" if loose else r"\s"
    asked.ask("names-search", strip=_literal(strip), key=_literal(key))
    found = dict(asked.table.by_id)
    for entity, label, kind in index.holding(key, loose):
        if entity not in found:
            found[entity] = Candidate(entity, label, kind=kind)
    return search(found.values(), text, limit)


def _hints(store: Store, name: str) -> list[str]:
    """:meth:`NameTable.closest`, asking the store."""
    for part in _hint_parts(name):
        rows = iter_rows(store, "names-like", word=_literal(part), limit=str(HINTS_READ))
        found = [str(row["name"]) for row in rows]
        if found:
            return hints(name, found)
    return []


def describe(candidates: list[Candidate]) -> list[dict[str, Any]]:
    """Candidates as JSON-ready dicts (id, name, kind)."""
    return [{"id": c.id, "name": c.label, "kind": c.kind} for c in candidates]
