"""Find an entity by what a user calls it: IRI, local id, label, legal name or alias."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from groupkg.graph.errors import InputError
from groupkg.graph.model import Dataset, local_id
from groupkg.graph.store import Store, iter_rows, sparql_iri, sparql_string

__all__ = ["NameIndex", "AmbiguousName", "UnknownName", "lookup", "resolve_in_store"]


class UnknownName(InputError):
    """No entity has that name."""


class AmbiguousName(InputError):
    """More than one entity has that name."""


_RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_GK = "https://w3id.org/groupkg/ontology#"
_ENTITY_TYPES = {_GK + t for t in ("Entity", "LegalEntity", "NaturalPerson", "Trust", "Fund",
                                   "UnnamedHolders")}  # fmt: skip

#: No entity is called anything longer; a longer "name" is refused before any look-up,
#: whose cost grows with the square of its length.
MAX_NAME_LENGTH = 4096
_FORM = r"[,.]?\s+(inc|co|corp|corporation|company|ltd|limited|llc|plc|k\.k|ag|gmbh|sa|nv|bv)\.?"
_LEGAL_FORMS = re.compile(_FORM + "$")
_REGEX_SPECIALS = set("\\.^$*+?()[]{}|")


def _check_length(name: str) -> None:
    if len(name) > MAX_NAME_LENGTH:
        raise UnknownName(
            f"no entity is called {name[:40]!r}... ({len(name):,} characters; "
            f"a name has at most {MAX_NAME_LENGTH:,})"
        )
    if not _encodable(name):
        raise UnknownName(f"no entity is called {name!r}: it is not valid UTF-8 text")


def _regex_literal(text: str) -> str:
    """Escape ``text`` for an XPath regular expression (SPARQL REGEX)."""
    return "".join("\\" + c if c in _REGEX_SPECIALS else c for c in text)


def _fold(name: str) -> str:
    return " ".join(name.casefold().split())


def _without_legal_form(name: str) -> str:
    """``"iij technology inc."`` -> ``"iij technology"``: how people shorten names."""
    return _LEGAL_FORMS.sub("", name).strip()


class NameIndex:
    """Every name of every entity, case-insensitively, with or without a legal form.

    Examples
    --------
    >>> from groupkg.graph.model import Dataset, Entity
    >>> ds = Dataset(entities={"ex:a": Entity("ex:a", "IIJ Exlayer", aliases=["IIJ-Exlayer"])})
    >>> NameIndex(ds).resolve("iij-exlayer")
    'ex:a'
    """

    def __init__(self, dataset: Dataset):
        self.dataset = dataset
        self.names: dict[str, set[str]] = defaultdict(set)
        self.short: dict[str, set[str]] = defaultdict(set)
        for entity in dataset.entities.values():
            names = [entity.id, local_id(entity.id), entity.label, *entity.aliases]
            if entity.legal_name:
                names.append(entity.legal_name)
            names.extend(value for _, value in entity.identifiers)
            for name in names:
                self.names[_fold(name)].add(entity.id)
                self.short[_without_legal_form(_fold(name))].add(entity.id)

    def resolve(self, name: str) -> str:
        """The id of the one entity called ``name``.

        Raises
        ------
        UnknownName
            With the closest names, when nothing is called that.
        AmbiguousName
            With every entity so called, when more than one is.
        """
        _check_length(name)
        found = self.names.get(_fold(name)) or self.short.get(
            _without_legal_form(_fold(name)), set()
        )
        if len(found) == 1:
            return next(iter(found))
        if found:
            listed = "; ".join(
                f"{self.dataset.ref(e).name} ({e})" for e in sorted(found)
            )
            raise AmbiguousName(f"{name!r} names more than one entity: {listed}")
        close = difflib.get_close_matches(_fold(name), list(self.names), n=5, cutoff=0.5)
        labels = sorted({self.dataset.ref(next(iter(self.names[c]))).name for c in close})
        hint = f"; closest: {', '.join(labels)}" if labels else ""
        raise UnknownName(f"no entity is called {name!r}{hint}")


def lookup(store: Store, name: str) -> list[str]:
    """The entities of a store that ``name`` names, asked of the store itself.

    Tries, in order and stopping at the first that finds something: the name as an
    IRI, an exact label/legal name/alias/LEI/identifier, the same ignoring case, and
    a local id (the last segment of an IRI). The exact look-ups use the store's
    indexes; the others scan, which only a name that is not spelled exactly pays for.
    """
    if len(name) > MAX_NAME_LENGTH or not _encodable(name):
        return []
    if "://" in name or name.startswith("urn:"):
        try:
            return _entities_only(store, [name])
        except InputError:
            return []
    literal = sparql_string(name)
    steps = [
        ("names-exact", {"name": f"{literal} {literal}@en"}),
        ("names-folded", {"name": literal}),
    ]
    if re.fullmatch(r"[\w.\-~]+", name):
        steps.append(("names-local-id", {"suffix": sparql_string("/" + name)}))
    short = _without_legal_form(_fold(name))
    pattern = "^" + _regex_literal(short) + "(" + _FORM + ")?$"
    steps.append(("names-short", {"pattern": sparql_string(pattern)}))
    for query, params in steps:
        rows = iter_rows(store, query, **params)
        found = _entities_only(store, sorted({row["e"] for row in rows}))
        if found:
            return found
    return []


def _entities_only(store: Store, found: list[str]) -> list[str]:
    """The entities among ``found``: a label may also name a source, an event or a term
    of the ontology (``percent``), which no question is about."""
    named = [f for f in found if not f.startswith("_:")]
    if not named:
        return found
    rows = iter_rows(store, "scope-entities", entities=" ".join(map(sparql_iri, named)))
    typed = {r["s"] for r in rows if r.get("p") == _RDF_TYPE and r.get("o") in _ENTITY_TYPES}
    return [f for f in found if f in typed or f.startswith("_:")]


def _encodable(text: str) -> bool:
    """False for text holding lone surrogates: bytes of a command-line argument that
    were not UTF-8 reach Python as such, and no store can be asked about them."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def resolve_in_store(store: Store, name: str) -> str:
    """Like :meth:`NameIndex.resolve`, asking the store instead of a loaded dataset."""
    _check_length(name)
    found = lookup(store, name)
    if len(found) == 1:
        return found[0]
    if found:
        raise AmbiguousName(f"{name!r} names more than one entity: {'; '.join(found)}")
    hints: set[str] = set()
    for word in sorted(_fold(name).split(), key=len, reverse=True):
        for part in (word, word[:4]):
            if len(part) >= 2 and not hints:
                rows = iter_rows(store, "names-like", word=sparql_string(part))
                hints = {str(row["n"]) for row in rows}
    ordered = sorted(hints)
    close = difflib.get_close_matches(_fold(name), ordered, n=5, cutoff=0.3) or ordered[:5]
    hint = f"; closest: {', '.join(close)}" if close else ""
    raise UnknownName(f"no entity is called {name!r}{hint}")
