"""Find an entity by what a user calls it: IRI, local id, label, legal name or alias."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict

from groupkg.graph.errors import InputError
from groupkg.graph.model import Dataset, local_id

__all__ = ["NameIndex", "AmbiguousName", "UnknownName"]


class UnknownName(InputError):
    """No entity has that name."""


class AmbiguousName(InputError):
    """More than one entity has that name."""


_LEGAL_FORMS = re.compile(
    r"[,.]?\s+(inc|co|corp|corporation|company|ltd|limited|llc|plc|k\.k|ag|gmbh|sa|nv|bv)\.?$"
)


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
