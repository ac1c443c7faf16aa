"""The rules that turn a name into the keys it is looked up by, one set for every store
and the search.

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
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from groupkg.graph.model import Entity, local_id

__all__ = [
    "Candidate",
    "IRI",
    "JAPANESE_FORMS",
    "LEGAL_FORMS",
    "LEVELS",
    "LOCAL_ID",
    "MAX_NAME_LENGTH",
    "NAME",
    "SHORT",
    "fold",
    "letters_and_digits",
    "name_keys",
    "query_keys",
    "without_legal_form",
]


#: The levels of the rules, in order of precedence (see the module's docstring).
IRI, NAME, LOCAL_ID, SHORT = 0, 1, 2, 3
LEVELS = ("IRI", "name", "local id", "name without legal form")

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
    records: tuple[str, ...] = ()
    """The IRIs of the other source records merged into the entity: names of it too."""

    @classmethod
    def of(cls, entity: Entity) -> Candidate:
        identifiers = [value for _, value in entity.identifiers]
        identifiers += entity.facts.get("lei", [])
        records = tuple(r.id for r in entity.records if r.id != entity.id)
        return cls(entity.id, entity.label, entity.legal_name, tuple(entity.aliases),
                   entity.kind, tuple(identifiers), records)  # fmt: skip

    @property
    def names(self) -> list[str]:
        """Label, legal name and aliases: the names a user reads."""
        return [self.label, *([self.legal_name] if self.legal_name else []), *self.aliases]


def name_keys(candidate: Candidate) -> dict[int, set[str]]:
    """The keys under which each level finds ``candidate``."""
    named = {fold(n) for n in candidate.names}
    return {
        IRI: {candidate.id, *candidate.records},
        NAME: named | {fold(i) for i in candidate.identifiers},
        LOCAL_ID: {fold(local_id(i)) for i in (candidate.id, *candidate.records)},
        SHORT: {without_legal_form(n) for n in named},
    }


def query_keys(name: str) -> dict[int, str]:
    """The key each level looks ``name`` up by."""
    folded = fold(name)
    return {IRI: name, NAME: folded, LOCAL_ID: folded, SHORT: without_legal_form(folded)}


def letters_and_digits(text: str) -> str:
    """Letters and digits only: ``"IIJ Exlayer"`` finds ``"IIJ-Exlayer"``."""
    return re.sub(r"[\W_]+", "", text.lower())
