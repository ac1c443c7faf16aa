"""Many names looked up in one store at once, with the answers
:func:`~groupkg.graph.facts.storenames.find_in_store` gives one by one.

Each level of the rules (:mod:`~groupkg.graph.facts.namekeys`) matches a name only
when every word of its loose key (level 4) is a substring of one loosely folded text
the store holds (:func:`~groupkg.graph.facts.namekeys.loose`): a label, legal name,
alias, identifier or IRI. One scan of the store reads those texts, one pass of an
Aho-Corasick automaton over them finds which words occur in which, and only a name all
of whose words occur in one text is looked up one by one. A file of new names thus
costs one query whatever its length; a name the store may have costs what it
always did.
"""

from __future__ import annotations

from collections.abc import Iterable

import ahocorasick

from groupkg.graph.errors import GroupkgError
from groupkg.graph.facts.namekeys import loose, without_legal_form
from groupkg.graph.facts.names import check_name
from groupkg.graph.facts.storenames import find_in_store
from groupkg.graph.store import Store, iter_rows

__all__ = ["StoreNames"]


def _words(name: str) -> list[str]:
    """The words every text that names ``name`` at some level holds as substrings."""
    return without_legal_form(name).split()


class StoreNames:
    """The entities of ``store`` that names name, found many at a time
    (:meth:`look_up`) and kept: :meth:`find` then answers from what was found."""

    def __init__(self, store: Store):
        self.store = store
        self.found: dict[str, str | None | GroupkgError] = {}
        self.texts: list[str] | None = None

    def look_up(self, names: Iterable[str]) -> None:
        """Find every one of ``names`` not found yet."""
        wanted = [n for n in dict.fromkeys(names) if n not in self.found]
        if not wanted:
            return
        possible = self.possible(wanted)
        for name in wanted:
            try:
                if name in possible:
                    self.found[name] = find_in_store(self.store, name)
                else:
                    check_name(name)  # too long, not UTF-8: refused as one by one
                    self.found[name] = None
            except GroupkgError as exc:
                self.found[name] = exc

    def find(self, name: str) -> str | None:
        """As :func:`~groupkg.graph.facts.storenames.find_in_store` (and raising what it
        raises), from what :meth:`look_up` found."""
        if name not in self.found:
            self.look_up([name])
        outcome = self.found[name]
        if isinstance(outcome, GroupkgError):
            raise outcome
        return outcome

    def possible(self, names: list[str]) -> set[str]:
        """The names of ``names`` the store may have: every word of each occurs in one
        of its texts (a name without words is always looked up)."""
        words = {name: _words(name) for name in names}
        automaton = ahocorasick.Automaton()
        for word in {w for each in words.values() for w in each}:
            automaton.add_word(word, word)
        where: dict[str, set[int]] = {}  # word -> the texts it occurs in
        if len(automaton):
            automaton.make_automaton()
            for line, text in enumerate(self.store_texts()):
                for _, word in automaton.iter(text):
                    where.setdefault(word, set()).add(line)
        return {n for n, each in words.items() if not each or _together(each, where)}

    def store_texts(self) -> list[str]:
        """Every text of the store, loosely folded; read once."""
        if self.texts is None:
            rows = iter_rows(self.store, "names-texts")
            self.texts = [_folded(str(row["text"])) for row in rows]
        return self.texts


def _folded(text: str) -> str:
    """``text`` loosely folded, as far as the words of a key can tell: lower case is
    enough for printable ASCII without dots or apostrophes (a word, letters and digits
    only, occurs in the one where it occurs in the other), and quicker."""
    if text.isascii() and text.isprintable() and not _JOINING.intersection(text):
        return text.lower()
    return loose(text)


_JOINING = frozenset(".'`")


def _together(words: list[str], where: dict[str, set[int]]) -> bool:
    """Whether one text holds every one of ``words``."""
    lines = sorted((where.get(word, set()) for word in set(words)), key=len)
    return bool(lines[0]) and bool(lines[0].intersection(*lines[1:]))
