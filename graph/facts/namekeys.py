"""The rules that turn a name into the keys it is looked up by, one set for every store
and the search.

The rules
---------
A name is compared with every entity's names after *folding*: Unicode lower case
(``str.lower``, which is SPARQL's ``LCASE``, so a store can fold the same way) and
runs of white space made one space, leading and trailing space dropped. The levels, in
order of precedence:

1. **IRI** -- the name is the IRI of an entity, exactly (IRIs are case-sensitive).
2. **Name** -- the folded name equals the folded label, legal name, an alias, the LEI
   or an identifier value (``gk:identifierValue``) of an entity.
3. **Local id** -- the folded name equals the folded last segment of an entity's IRI
   (``iij-exlayer``, an LEI in a GLEIF IRI).
4. **Loose name** -- the same as 2 after a looser folding (:func:`loose`) and removing
   legal forms (:func:`without_legal_form`) from both the name and the entity's label,
   legal name and aliases: ``"IIJ Technology"`` finds ``"IIJ Technology Inc."``,
   ``"Acme Ltd"`` finds ``"Acme Inc."``, ``"Home Credit Slovakia"`` finds ``"Home
   Credit Slovakia, a.s."``, ``"Industria e Comercio"`` finds ``"Indústria e
   Comércio"`` and ``"Brink's"`` finds ``"Brink’s"``.

Loose folding
-------------
Full Unicode case folding (``"ß"`` = ``"ss"``); accents and other marks removed
(compatibility decomposition, NFKD, less its combining marks; the Japanese voicing
marks are kept, so ``"ブ"`` stays ``"ブ"``), and the letters that do not decompose
(``"ø"``, ``"ł"``, ``"đ"``...) written as cleanco's table of them says; apostrophes
(``'`` ``’`` ``‘`` ``ʼ``) and dots removed (``"a.s."`` = ``"as"``); every other run of
characters that are neither letters nor digits (commas, dashes, slashes, ``&``,
brackets, white space) made one space. No SPARQL function does this, so a store is
asked for a superset of the names that may match and Python folds those
(:mod:`groupkg.graph.facts.storenames`).

Legal forms
-----------
Removed from the end, word by word, repeatedly (``"acme co ltd"`` -> ``"acme"``): the
forms of 67 countries that the PyPI library ``cleanco`` lists (``a.s.``, ``GmbH``,
``S.A. de C.V.``, ``Sp. z o.o.``, ``K.K.``...; pure Python, MIT, no dependencies),
loosely folded, with a small supplement of what it lacks (:data:`SUPPLEMENT`:
``Kabushiki Kaisha``, ``Pty``, ``S.à r.l.`` and the Japanese forms, which also come
off the start and are removed with or without a space:
``"株式会社インターネットイニシアティブ"``). A name that is only a legal form
keeps it. Removing only at the ends keeps what remains a substring of the name, which
the stores' superset queries rely on. The OpenSanctions libraries made for this
(``rigour``, ``fingerprints``) are not used: every version needs ``pyicu``, which PyPI
has only as source to compile; ``fingerprints`` also sorts the words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from cleanco.clean import get_unique_terms
from cleanco.non_nfkd_map import NON_NFKD_MAP

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
    "SUPPLEMENT",
    "fold",
    "letters_and_digits",
    "loose",
    "name_keys",
    "query_keys",
    "without_legal_form",
]


#: The levels of the rules, in order of precedence (see the module's docstring).
IRI, NAME, LOCAL_ID, SHORT = 0, 1, 2, 3
LEVELS = ("IRI", "name", "local id", "loose name")

#: No entity is called anything longer; a longer "name" is refused before any look-up,
#: whose cost grows with the square of its length.
MAX_NAME_LENGTH = 4096

#: Legal forms that ``cleanco`` lacks, removed from the end as its own are.
SUPPLEMENT = ("kabushiki kaisha", "pty", "s.à r.l.", "株", "有")
#: Japanese legal forms, removed from the start or the end, with or without a space;
#: ``"(株)"`` and ``"㈱"`` fold to the word ``"株"``, removed from either end too.
JAPANESE_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社")
_JAPANESE = "|".join(JAPANESE_FORMS)
_JAPANESE_ENDS = re.compile(rf"^(?:{_JAPANESE})\s*|^[株有]\s+|\s*(?:{_JAPANESE})$")
_REMOVED = re.compile(r"[.'`\u2018\u2019\u02bc]+")
_SEPARATORS = re.compile(r"[\W_]+")
#: The separators of ASCII text once lower-cased: quicker to find than ``\W``.
_ASCII_SEPARATORS = re.compile(r"[^a-z0-9]+")
#: Combining marks kept: the Japanese voicing marks, which make other letters.
_KEPT_MARKS = frozenset("\u3099\u309a")


def _unaccented(text: str) -> str:
    """``text`` less its accents and other combining marks (see the module)."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    letters = (
        NON_NFKD_MAP.get(c, c)
        for c in decomposed
        if c in _KEPT_MARKS or not unicodedata.combining(c)
    )
    return unicodedata.normalize("NFC", "".join(letters).casefold())


def loose(text: str) -> str:
    """The loose folding of level 4 (see the module), legal forms kept.

    >>> loose("Indústria e Comércio, S.A.")
    'industria e comercio sa'
    >>> loose("Brink’s-Home  Straße")
    'brinks home strasse'
    """
    text = _unaccented(text)
    if not text.isascii():
        return " ".join(_SEPARATORS.sub(" ", _REMOVED.sub("", text)).split())
    text = text.replace(".", "").replace("'", "").replace("`", "")
    if not text.replace(" ", "").isalnum():
        text = _ASCII_SEPARATORS.sub(" ", text)
    return " ".join(text.split())


def _legal_forms() -> dict[str, list[tuple[str, ...]]]:
    """The legal forms, loosely folded, as word tuples by their last word, longest
    first."""
    forms = {tuple(loose(t).split()) for t in [*get_unique_terms(), *SUPPLEMENT]}
    by_last: dict[str, list[tuple[str, ...]]] = {}
    for form in sorted(filter(None, forms), key=lambda f: (-len(f), f)):
        by_last.setdefault(form[-1], []).append(form)
    return by_last


#: The legal forms removed from the end of a name: ``cleanco``'s and :data:`SUPPLEMENT`,
#: loosely folded, as tuples of words, by their last word, longest first.
LEGAL_FORMS = _legal_forms()


def fold(name: str) -> str:
    """The form names are compared in: lower case, one space between words.

    >>> fold("  IIJ   Technology Inc. ")
    'iij technology inc.'
    """
    return " ".join(name.lower().split())


@lru_cache(maxsize=4096)
def without_legal_form(name: str) -> str:
    """The key of level 4: ``name`` loosely folded, less its legal forms.

    >>> without_legal_form("IIJ Technology Inc.")
    'iij technology'
    >>> without_legal_form("Acme Co., Ltd.")
    'acme'
    >>> without_legal_form("Home Credit Slovakia, a.s.")
    'home credit slovakia'
    >>> without_legal_form("株式会社インターネットイニシアティブ")
    'インターネットイニシアティブ'
    >>> without_legal_form("Co.")
    'co'
    """
    text = loose(name)
    words, japanese = text.split(), not text.isascii()
    while True:
        shorter = words
        if japanese:
            shorter = _JAPANESE_ENDS.sub("", " ".join(words)).split() or words
        for form in LEGAL_FORMS.get(shorter[-1], ()) if shorter else ():
            if len(shorter) > len(form) and tuple(shorter[-len(form) :]) == form:
                shorter = shorter[: -len(form)]
                break
        if shorter == words:
            return " ".join(words)
        words = shorter


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
        SHORT: {without_legal_form(n) for n in candidate.names},
    }


def query_keys(name: str) -> dict[int, str]:
    """The key each level looks ``name`` up by."""
    folded = fold(name)
    return {IRI: name, NAME: folded, LOCAL_ID: folded, SHORT: without_legal_form(name)}


def letters_and_digits(text: str) -> str:
    """Letters and digits only, loosely folded (:func:`loose`): ``"IIJ Exlayer"``
    finds ``"IIJ-Exlayer"``.

    >>> letters_and_digits("Indústria-Comércio")
    'industriacomercio'
    """
    return _SEPARATORS.sub("", _unaccented(text))
