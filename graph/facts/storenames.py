"""Find an entity by name in a persistent or remote store, by the rules of
:mod:`groupkg.graph.facts.names`: the store is asked for the candidates of each level in
turn, and one :class:`~groupkg.graph.facts.names.NameTable` decides over them.

Each level is asked with a SPARQL query that finds every entity that level could match
(and possibly a few more), and :class:`~groupkg.graph.facts.names.NameTable` decides over
the rows read for them, as it decides over a loaded dataset: both give the same answer.
With the store's time model, its name index finds the candidates instead.

One bound keeps a large store fast: level 2 first looks the name up by the store's
indexes, spelled as typed, in lower case, in UPPER case, in Title case and Capitalised
(plain, ``@en`` or ``@ja``), and scans the labels, legal names and aliases only when none
of those spellings matches (LEIs and identifiers are found in those spellings only). An
entity whose name is written in another mix of cases (``"AcMe"``) is therefore found by a
store only when no entity's name matches in one of those spellings, and no entity has it
as its local id (which a store looks up before that scan); a loaded dataset finds it
always. Loose names (level 4) are found by the same scan, and only when no earlier
level matched. No SPARQL function folds as :func:`~groupkg.graph.facts.namekeys.loose`
does, so the scan returns a superset -- every name that is not all printable ASCII, and
every other whose letters and digits hold those of the loose key -- and Python folds
each name read. A store without a saved time model that holds many names in other
scripts or with accents therefore sends all of those at each such look-up.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from groupkg.graph.errors import InputError
from groupkg.graph.facts.namekeys import (
    IRI,
    LOCAL_ID,
    NAME,
    SHORT,
    Candidate,
    fold,
    letters_and_digits,
    query_keys,
    without_legal_form,
)
from groupkg.graph.facts.names import (
    HINTS_READ,
    NameTable,
    ambiguous,
    askable,
    check_name,
    hint_parts,
    hints,
    unknown,
)
from groupkg.graph.facts.storeidentity import canonical_in_store, records_in_store
from groupkg.graph.store import Store, iter_rows, sparql_string

__all__ = [
    "StoreLookup",
    "find_in_store",
    "lookup",
    "query_literal",
    "resolve_in_store",
    "short_name_candidates",
]

_ABSOLUTE_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:\S")


def query_literal(text: str) -> str:
    """A SPARQL string holding ``text``, with ``$`` escaped: a name holding ``$word``
    must not be taken for a placeholder of the query it is put in."""
    return sparql_string(text).replace("$", "\\u0024")


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
        elif position < 0 and _ABSOLUTE_IRI.match(name) and self.read_iri():
            return [name]  # a record merged into another entity, which the model holds
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
            found = records_in_store(self.store, wanted[start : start + 500])
            self.table.add(Candidate.of(e) for e in found.values())

    def read_iri(self) -> bool:
        """Add the entity whose IRI the name is, when the name may be an IRI; whether
        there is one."""
        name = self.name
        if _ABSOLUTE_IRI.match(name) and not any(c in name for c in '<>"{}|^`\\ \n\t'):
            try:
                self.read([name])
            except InputError:  # no IRI the store takes: no entity's
                pass
        return name in self.table.by_id

    def ask_spellings(self) -> None:
        """Add the entities with a name or identifier spelled as one of the name's
        spellings (:func:`_spellings`), found by the store's indexes."""
        spellings = _spellings(self.name)
        literals = [query_literal(s) + tag for s in spellings for tag in ("", "@en", "@ja")]
        self.ask("names-exact", names=" ".join(literals))

    def ask(self, query: str, **params: str) -> None:
        self.read(str(row["e"]) for row in iter_rows(self.store, query, **params))

    def ask_names(self, query: str, keep: Callable[[str], bool], **params: str) -> None:
        """Add the entities of the rows of ``query`` (an entity ``e`` and a name of it
        ``n``) whose name ``keep`` keeps."""
        rows = iter_rows(self.store, query, **params)
        self.read(str(row["e"]) for row in rows if keep(str(row["n"])))

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
        # One scan for the name in other mixes of cases and for the loose name: a name
        # that folds to either holds the letters and digits of the loose key, in order.
        self.ask_names(
            "names-loose",
            lambda n: fold(n) == folded or without_legal_form(n) == short,
            letters=query_literal(letters_and_digits(short)),
        )
        return self.decided(SHORT) or []


def short_name_candidates(store: Store, short: str) -> list[str]:
    """The entities of ``store`` with a name that is ``short`` once loosely folded and
    less its legal forms (one scan of every name: see
    :func:`~.namekeys.without_legal_form`)."""
    rows = iter_rows(store, "names-loose", letters=query_literal(letters_and_digits(short)))
    return sorted({str(row["e"]) for row in rows if without_legal_form(str(row["n"])) == short})


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
    if not found:
        return None
    # Records of one entity in several sources name one entity, by its canonical IRI.
    entities: dict[str, str] = {}
    for iri in found:
        entities.setdefault(canonical_in_store(store, iri), iri)
    if len(entities) == 1:
        return next(iter(entities))
    merged = records_in_store(store, entities)
    raise ambiguous(name, [Candidate.of(e) for e in merged.values()])


def resolve_in_store(store: Store, name: str, model: Any = None) -> str:
    """Like :meth:`NameTable.resolve`, asking the store instead of a loaded dataset
    (``model`` as for :func:`lookup`)."""
    found = find_in_store(store, name, model)
    if found is None:
        raise unknown(name, _hints(store, name))
    return found


def _hints(store: Store, name: str) -> list[str]:
    """:meth:`NameTable.closest`, asking the store."""
    for part in hint_parts(name):
        rows = iter_rows(store, "names-like", word=query_literal(part), limit=str(HINTS_READ))
        found = [str(row["name"]) for row in rows]
        if found:
            return hints(name, found)
    return []
