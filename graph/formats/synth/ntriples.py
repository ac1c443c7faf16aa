"""A synthetic register written as N-Triples text: its source, and each drawn group's
entities, holdings, reported consolidations and merger events, numbered in the order
they are written.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

from rdflib.namespace import FOAF, RDF, RDFS, XSD

from groupkg.graph.formats.synth.draws import FIRST_DAY, LAST_DAY, Group, Link
from groupkg.graph.vocab import DCTERMS, GK, ORG, PROV

__all__ = ["DATA_BASE", "NTriplesWriter"]

DATA_BASE = "https://w3id.org/groupkg/data/synth/"


def _iri(term: Any) -> str:
    return f"<{term}>"


_A = _iri(RDF.type)
_LABEL = _iri(RDFS.label)
_STATED = f"{_iri(GK.factStatus)} {_iri(GK.Stated)} .\n"
_SOURCE = _iri(DATA_BASE + "source")
_DERIVED = f"{_iri(PROV.wasDerivedFrom)} {_SOURCE} .\n"
_P = {name: _iri(getattr(GK, name)) for name in (
    "lei", "incorporationDate", "dissolutionDate", "owner", "owned", "percent", "percentMin",
    "percentMinExclusive", "percentMax", "validFrom", "validTo", "asOf", "parent", "child",
    "announcementDate", "effectiveDate", "survivor", "absorbed", "participant",
)}  # fmt: skip
_COMPANY = (_iri(GK.LegalEntity), _iri(ORG.FormalOrganization))
_PERSON = (_iri(GK.NaturalPerson), _iri(FOAF.Person))
_HOLDING = _iri(GK.Holding)
_DIRECT, _ULTIMATE = _iri(GK.DirectConsolidation), _iri(GK.UltimateConsolidation)
_MERGER = (_iri(GK.AbsorptionMerger), _iri(ORG.ChangeEvent))
_ORIGINAL, _RESULTING = _iri(ORG.originalOrganization), _iri(ORG.resultingOrganization)
_TRUE = f'"true"^^{_iri(XSD.boolean)}'
_DATES = [f'"{FIRST_DAY + _dt.timedelta(days=d)}"^^{_iri(XSD.date)}' for d in range(LAST_DAY + 1)]
_DECIMAL = _iri(XSD.decimal)
_E = f"<{DATA_BASE}e"  # an entity's IRI is _E + its number + ">"


def _percent(cents: int) -> str:
    whole, part = divmod(cents, 100)
    return f'"{whole}"^^{_DECIMAL}' if part == 0 else f'"{whole}.{part:02d}"^^{_DECIMAL}'


class NTriplesWriter:
    """The N-Triples text of one register; ``counts`` numbers its holdings, relations
    and events as they are written."""

    def __init__(self, lei: Callable[[int], str], counts: dict[str, int]):
        self.lei = lei
        self.counts = counts

    def source(self, entities: int, seed: int) -> str:
        """The register's ``gk:Source``."""
        title = f"Synthetic GLEIF-like register: {entities} entities, seed {seed}"
        return (
            f"{_SOURCE} {_A} {_iri(GK.Source)} .\n"
            f"{_SOURCE} {_A} {_iri(PROV.Entity)} .\n"
            f'{_SOURCE} {_iri(DCTERMS.title)} "{title}" .\n'
            f'{_SOURCE} {_iri(DCTERMS.publisher)} "groupkg synth" .\n'
            f"{_SOURCE} {_iri(DCTERMS.date)} {_DATES[LAST_DAY]} .\n"
        )

    def group(self, first: int, group: Group) -> str:
        """A drawn group whose first entity is numbered ``first``."""
        merged = group.merged
        text = [
            _person(first) if group.person else self.company(first, group.incorporated[0], None)
        ]
        text += [
            self.company(first + i, group.incorporated[i], merged[i][1] if i in merged else None)
            for i in range(1, len(group.parent))
        ]
        text += [self._link(first, link) for link in group.links]
        top = f"{_E}{first + group.top}>"
        text += [
            self._relation(_ULTIMATE, top, f"{_E}{first + i}>", start, end, False)
            for i, start, end in group.ultimates
        ]
        text += [
            self._merger(first + group.parent[i], first + i, announced, day)
            for i, (announced, day) in merged.items()
        ]
        return "".join(text)

    def company(self, n: int, incorporated: int, dissolved: int | None) -> str:
        """A company numbered ``n``, dissolved on ``dissolved`` if it was absorbed."""
        e = f"{_E}{n}>"
        text = (
            f"{e} {_A} {_COMPANY[0]} .\n{e} {_A} {_COMPANY[1]} .\n"
            f'{e} {_LABEL} "Synthetic entity {n}" .\n{e} {_P["lei"]} "{self.lei(n)}" .\n'
            f"{e} {_P['incorporationDate']} {_DATES[incorporated]} .\n{e} {_DERIVED}"
        )
        if dissolved is None:
            return text
        return f"{text}{e} {_P['dissolutionDate']} {_DATES[dissolved]} .\n"

    def _link(self, first: int, link: Link) -> str:
        owner, owned = f"{_E}{first + link.owner}>", f"{_E}{first + link.owned}>"
        if link.cents == 0:
            return self._relation(_DIRECT, owner, owned, link.start, link.end, link.observed)
        text = self._holding(owner, owned, link.cents, link.band, link.start, link.end,
                             link.observed)  # fmt: skip
        if link.change:
            day, cents = link.change
            text += self._holding(owner, owned, cents, None, day, None, link.observed)
        return text

    def _holding(self, owner: str, owned: str, cents: int, band: tuple[int, int] | None,
                 start: int, end: int | None, observed: bool) -> str:  # fmt: skip
        h = f"<{DATA_BASE}h{self.counts['holdings']}>"
        self.counts["holdings"] += 1
        if band:
            stake = (
                f"{h} {_P['percentMin']} {_percent(band[0])} .\n"
                f"{h} {_P['percentMinExclusive']} {_TRUE} .\n"
                f"{h} {_P['percentMax']} {_percent(band[1])} .\n"
            )
        else:
            stake = f"{h} {_P['percent']} {_percent(cents)} .\n"
        return (
            f"{h} {_A} {_HOLDING} .\n{h} {_P['owner']} {owner} .\n{h} {_P['owned']} {owned} .\n"
            f"{stake}{_dated(h, start, end, observed)}"
        )

    def _relation(self, kind: str, parent: str, child: str, start: int, end: int | None,
                  observed: bool) -> str:  # fmt: skip
        r = f"<{DATA_BASE}r{self.counts['relations']}>"
        self.counts["relations"] += 1
        return (
            f"{r} {_A} {kind} .\n{r} {_P['parent']} {parent} .\n{r} {_P['child']} {child} .\n"
            f"{_dated(r, start, end, observed)}"
        )

    def _merger(self, survivor: int, absorbed: int, announced: int, day: int) -> str:
        m = f"<{DATA_BASE}m{self.counts['events']}>"
        self.counts["events"] += 1
        s, a = f"{_E}{survivor}>", f"{_E}{absorbed}>"
        return (
            f"{m} {_A} {_MERGER[0]} .\n{m} {_A} {_MERGER[1]} .\n"
            f"{m} {_P['announcementDate']} {_DATES[announced]} .\n"
            f"{m} {_P['effectiveDate']} {_DATES[day]} .\n"
            f"{m} {_P['survivor']} {s} .\n{m} {_P['absorbed']} {a} .\n"
            f"{m} {_ORIGINAL} {s} .\n{m} {_ORIGINAL} {a} .\n{m} {_RESULTING} {s} .\n"
            f"{m} {_P['participant']} {s} .\n{m} {_P['participant']} {a} .\n"
            f"{m} {_STATED}{m} {_DERIVED}"
        )


def _person(n: int) -> str:
    """A natural person numbered ``n``, on top of a group."""
    e = f"{_E}{n}>"
    return (
        f"{e} {_A} {_PERSON[0]} .\n{e} {_A} {_PERSON[1]} .\n"
        f'{e} {_LABEL} "Synthetic person {n}" .\n{e} {_DERIVED}'
    )


def _dated(fact: str, start: int, end: int | None, observed: bool) -> str:
    """A fact's dates, status and source: ``asOf`` for an observation, else ``validFrom``."""
    text = f"{fact} {_P['asOf' if observed else 'validFrom']} {_DATES[start]} .\n"
    if end is not None:
        text += f"{fact} {_P['validTo']} {_DATES[end]} .\n"
    return f"{text}{fact} {_STATED}{fact} {_DERIVED}"
